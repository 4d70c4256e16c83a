"""Pass 1 of a Bundle import: check every resource, keep only what pass 2 needs to resolve.

A Bundle may list its resources in any order (a score Observation before the
QuestionnaireResponse it is derived from, a Condition before its Patient), so an import reads the
entries twice. This first pass validates each resource against the R4B model and our code
bindings and keeps only keys: where Patients and QuestionnaireResponses are, the patients
themselves with their diagnoses, how many score Observations use each response, and which
entries were invalid. Pass 2 (``reader``) maps the other resources to records.

Sources: ``BundleFile`` (a file read with ``BundleStream``; a digest of its bytes tells pass 2
whether the file changed in between) and ``LoadedBundle`` (a Bundle already in memory).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from immunospine.errors import FhirError, InputError
from immunospine.fhir import _resources as res
from immunospine.fhir._fields import At, Problems
from immunospine.fhir.bundle_stream import BundleStream
from immunospine.fhir.validation import binding_problems, model_problems
from immunospine.records import Diagnosis, Patient

__all__ = ["BundleFile", "BundleIndex", "BundleSource", "LoadedBundle", "index_bundle"]

TARGETS = ("Patient", "QuestionnaireResponse")
"""The resource types other resources refer to (``subject``, ``derivedFrom``)."""


class BundleSource(Protocol):
    """Somewhere the entries of one Bundle can be read from, as many times as needed."""

    def entries(self) -> Iterator[tuple[int, Any]]:
        """``(index, entry)`` from the first entry on; ``members`` is complete afterwards."""
        ...

    @property
    def members(self) -> dict[str, Any]: ...

    @property
    def entry_is_list(self) -> bool: ...

    def progress(self) -> tuple[int, int]:
        """``(done, total)`` of the current read, in bytes (or entries for a loaded bundle)."""
        ...


class LoadedBundle:
    """A Bundle already parsed into Python objects (small bundles, tests, other programs)."""

    def __init__(self, data: Any) -> None:
        self._data = data if isinstance(data, dict) else {}
        self._entry = self._data.get("entry", [])
        self.entry_is_list = isinstance(self._entry, list)
        self.members = {k: v for k, v in self._data.items() if k != "entry"}
        if not isinstance(data, dict):
            self.members = {"resourceType": type(data).__name__}
        if not self.entry_is_list:
            self.members["entry"] = self._entry
        self._done = 0

    def entries(self) -> Iterator[tuple[int, Any]]:
        for i, entry in enumerate(self._entry if self.entry_is_list else []):
            self._done = i
            yield i, entry

    def progress(self) -> tuple[int, int]:
        total = len(self._entry) if self.entry_is_list else 0
        return min(self._done + 1, total), total


class BundleFile:
    """A Bundle JSON file, streamed; ``digest`` is the SHA-256 of the bytes of the last read."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.members: dict[str, Any] = {}
        self.entry_is_list = True
        self.digest: str | None = None
        self._stream: BundleStream | None = None
        self._size = 0

    def entries(self) -> Iterator[tuple[int, Any]]:
        try:
            raw = self.path.open("rb")
            self._size = self.path.stat().st_size
        except OSError as exc:
            raise FhirError(f"{self.path}: cannot be read ({exc.strerror})") from None
        with raw:
            hashing = _Hashing(raw)
            self._stream = BundleStream(hashing, name=str(self.path))
            yield from self._stream.entries()
            self.members = self._stream.members
            self.entry_is_list = self._stream.entry_is_list
            self.digest = hashing.sha.hexdigest()

    def progress(self) -> tuple[int, int]:
        done = self._stream.bytes_read if self._stream is not None else 0
        return min(done, self._size), self._size


class _Hashing:
    """A binary file that hashes what is read from it."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.sha = hashlib.sha256()

    def read(self, n: int) -> bytes:
        data: bytes = self.raw.read(n)
        self.sha.update(data)
        return data


@dataclass
class BundleIndex:
    """What pass 1 found: every problem so far, and the keys pass 2 resolves references with."""

    problems: Problems = field(default_factory=Problems)
    identifier: str | None = None
    entries: int = 0
    patients: dict[int, Patient] = field(default_factory=dict)
    """Valid, unique patients (diagnoses included) by entry index."""
    refs: dict[str, int] = field(default_factory=dict)
    """``fullUrl`` and ``Type/id`` of every valid Patient and QuestionnaireResponse."""
    kinds: dict[int, str] = field(default_factory=dict)
    """Resource type of the entries in ``refs``."""
    skip: set[int] = field(default_factory=set)
    """Entries pass 2 need not read: invalid ones (already reported) and those done here."""
    broken: set[str] = field(default_factory=set)
    """References of invalid entries: pointing at one is not reported again."""
    uses: Counter[int] = field(default_factory=Counter)
    """How many score Observations derive from each QuestionnaireResponse."""

    def response_of(self, resource: dict[str, Any]) -> int | None:
        """The QuestionnaireResponse a score Observation is derived from, if it resolves."""
        derived = resource.get("derivedFrom") or [None]
        text = derived[0].get("reference") if isinstance(derived[0], dict) else None
        i = self.refs.get(str(text))
        return i if i is not None and self.kinds[i] == "QuestionnaireResponse" else None

    def target(self, at: At, ref: Any, path: str, expected: str) -> int | None:
        """The entry ``ref`` points at, if it is a valid resource of ``expected`` type."""
        text = ref.get("reference") if isinstance(ref, dict) else None
        if text is None:
            at.add(path, f"is required (a reference to a {expected})", code="missing")
            return None
        i = self.refs.get(str(text))
        if i is None or self.kinds[i] != expected:
            if str(text) not in self.broken:
                at.add(
                    path,
                    f"does not resolve to a {expected} in this bundle",
                    text,
                    code="broken_reference",
                )
            return None
        return i


@dataclass
class _PatientDraft:
    fields: dict[str, Any]
    diagnoses: list[Diagnosis] = field(default_factory=list)


def index_bundle(
    source: BundleSource, on_entry: Callable[[int], None] | None = None
) -> BundleIndex:
    """Pass 1 over ``source``: validate every entry, index patients and responses.

    ``on_entry(index)`` is called after each entry (for progress reports).
    """
    index = BundleIndex()
    drafts: dict[int, _PatientDraft] = {}
    seen: dict[str, int] = {}
    conditions: list[tuple[int, dict[str, Any]]] = []
    derived: list[dict[str, Any]] = []
    for i, entry in source.entries():
        index.entries = i + 1
        resource = _checked(index, i, entry)
        if resource is not None:
            rt = resource["resourceType"]
            if rt == "Patient":
                _patient(index, i, resource, drafts, seen)
            elif rt == "Condition":
                conditions.append((i, resource))
            elif rt == "Observation" and resource.get("derivedFrom"):
                derived.append({"derivedFrom": resource["derivedFrom"][:1]})
            if rt in ("Patient", "Condition", "Questionnaire"):
                index.skip.add(i)
        if on_entry is not None:
            on_entry(i)
    _bundle_problems(index, source)
    for i, resource in conditions:
        at = At(i, "Condition", index.problems)
        p = index.target(at, resource.get("subject"), "subject.reference", "Patient")
        dx = res.diagnosis(at, resource)
        if p is not None and p in drafts and dx is not None:
            drafts[p].diagnoses.append(dx)
    for resource in derived:
        qi = index.response_of(resource)
        if qi is not None:
            index.uses[qi] += 1
    for i, kind in index.kinds.items():
        if kind == "QuestionnaireResponse" and not index.uses[i]:
            index.skip.add(i)
            At(i, kind, index.problems).add(
                "(resource)", "is not the derivedFrom of any score Observation"
            )
    for i, draft in drafts.items():
        try:
            index.patients[i] = Patient.parse({**draft.fields, "diagnoses": tuple(draft.diagnoses)})
        except InputError as exc:
            At(i, "Patient", index.problems).record_error(exc)
    return index


def _checked(index: BundleIndex, i: int, entry: Any) -> dict[str, Any] | None:
    """The entry's resource if it is valid (its references indexed), else ``None`` (reported)."""
    resource = entry.get("resource") if isinstance(entry, dict) else None
    if not isinstance(resource, dict):
        index.problems.add(("entry", i), "needs a resource object", code="missing")
        index.skip.add(i)
        return None
    rt = str(resource.get("resourceType"))
    urls = [entry["fullUrl"]] if isinstance(entry.get("fullUrl"), str) else []
    if resource.get("id"):
        urls.append(f"{rt}/{resource['id']}")
    found = model_problems(resource) + binding_problems(resource)
    for loc, msg in found:
        index.problems.add(("entry", i, rt, *loc), msg)
    if found:
        index.skip.add(i)
        index.broken.update(urls)
        return None
    if rt in TARGETS:
        index.kinds[i] = rt
        for url in urls:
            index.refs[url] = i
    return resource


def _patient(
    index: BundleIndex,
    i: int,
    resource: dict[str, Any],
    drafts: dict[int, _PatientDraft],
    seen: dict[str, int],
) -> None:
    at = At(i, "Patient", index.problems)
    fields = res.patient_fields(at, resource)
    if fields is None:
        return
    pid = fields["patient_id"]
    if pid in seen:
        at.add(("identifier",), f"patient {pid} is also entry {seen[pid]}", pid, code="duplicate")
        return
    seen[pid] = i
    drafts[i] = _PatientDraft(fields)


def _bundle_problems(index: BundleIndex, source: BundleSource) -> None:
    members = source.members
    problems = index.problems
    if members.get("resourceType") != "Bundle":
        problems.add(("bundle", "resourceType"), "must be 'Bundle'", members.get("resourceType"))
    if members.get("type") not in ("collection", "transaction"):
        problems.add(
            ("bundle", "type"), "must be 'collection' or 'transaction'", members.get("type")
        )
    if not source.entry_is_list:
        problems.add(("bundle", "entry"), "must be a list")
    ident = members.get("identifier")
    if isinstance(ident, dict) and ident.get("value"):
        index.identifier = f"{ident.get('system', '')}|{ident['value']}"
