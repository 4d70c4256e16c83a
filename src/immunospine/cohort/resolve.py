"""Resolve the shipped concept sets against a CDM's own vocabulary tables.

A concept set names codes (``vocabulary_id`` + ``concept_code``; :mod:`~.concepts`); a site's
``concept`` table says which ``concept_id`` each code has there. Per concept:

1. the code is looked up in ``concept``; an id-only concept is looked up by its id;
2. a **standard** concept (``standard_concept = 'S'``; a classification ``'C'`` when descendants
   are allowed) resolves to its own id; a non-standard one (an ICD-10-CM source code, an
   invalidated concept) follows ``concept_relationship`` 'Maps to' when that table exists;
3. where the set allows descendants, ``concept_ancestor`` adds every descendant of the resolved
   ids; excluded concepts (and their descendants) are removed last.

Without a ``concept`` table (a CDM shipped without vocabulary) the sets fall back to the standard
ids shipped in the TOML files (expanded through ``concept_ancestor`` if present), and the result
says so: concepts without a shipped id cannot be matched then. The conventions followed are those
of the CDM 5.4 vocabulary tables (``OHDSI/CommonDataModel`` field list; ``concept_relationship``
'Maps to' for source → standard, as in ``OHDSI/ETL-CDMBuilder``'s source-to-standard query).

:func:`resolve_tables` is the pure core (pyarrow tables in, :class:`Resolution` out);
:func:`resolve_backend` fetches the few vocabulary rows it needs from any backend (DuckDB,
PostgreSQL, Spark) and calls it; :func:`record_counts` counts each resolved concept's records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from immunospine.cohort.concepts import Concept, ConceptSet, all_concept_sets, expand_ids

if TYPE_CHECKING:
    import pyarrow as pa

    from immunospine.cohort.backends.base import CohortBackend

__all__ = [
    "CodeResolution",
    "Resolution",
    "SetResolution",
    "record_counts",
    "resolve_backend",
    "resolve_tables",
]

Status = Literal[
    "standard", "mapped", "by_id", "shipped", "absent", "non_standard", "invalid", "no_vocabulary"
]

#: Statuses whose concept contributes ids to its set.
RESOLVED: frozenset[str] = frozenset({"standard", "mapped", "by_id", "shipped"})

#: What each status means, for people (``cohort concepts`` prints these).
STATUS_TEXT: dict[str, str] = {
    "standard": "standard concept",
    "mapped": "non-standard, mapped ('Maps to')",
    "by_id": "found by its standard id (no code shipped)",
    "shipped": "shipped standard id (no vocabulary table)",
    "absent": "not in this CDM's concept table",
    "non_standard": "non-standard, no 'Maps to' mapping",
    "invalid": "invalid (deprecated/updated), no 'Maps to' mapping",
    "no_vocabulary": "no vocabulary table and no shipped id: cannot be matched",
}

CONCEPT_COLUMNS = (
    "concept_id",
    "concept_name",
    "domain_id",
    "vocabulary_id",
    "standard_concept",
    "concept_code",
    "invalid_reason",
)


@dataclass(frozen=True)
class CodeResolution:
    """One concept of a set as this CDM knows it."""

    concept: Concept
    status: Status
    #: ids the code resolved to (before descendants)
    ids: tuple[int, ...] = ()
    #: ``ids`` plus their descendants (where allowed), minus the set's excluded concepts
    expanded: frozenset[int] = frozenset()
    #: the site's concept_name for the code (None when absent)
    site_name: str | None = None
    #: anything a reviewer should know (a different name or domain, a different id than shipped)
    note: str = ""

    @property
    def resolved(self) -> bool:
        return self.status in RESOLVED

    @property
    def descendants(self) -> int:
        """How many ids the descendants added beyond ``ids``."""
        return len(self.expanded - set(self.ids))


@dataclass(frozen=True)
class SetResolution:
    """A concept set resolved: per concept, and the final ids the screen filters on."""

    concept_set: ConceptSet
    codes: tuple[CodeResolution, ...]
    ids: frozenset[int]

    @property
    def included(self) -> tuple[CodeResolution, ...]:
        return tuple(c for c in self.codes if not c.concept.exclude)

    @property
    def resolved_count(self) -> int:
        return sum(1 for c in self.included if c.resolved)

    @property
    def resolves(self) -> bool:
        """At least one included concept resolved, so the set can match rows."""
        return bool(self.ids)


@dataclass(frozen=True)
class Resolution:
    """Every shipped set resolved against one CDM."""

    #: ``vocabulary`` (codes resolved through ``concept``) or ``shipped`` (no ``concept`` table)
    source: Literal["vocabulary", "shipped"]
    #: ``concept_ancestor`` was read
    expanded: bool
    #: ``concept_relationship`` was available for 'Maps to'
    mapping: bool
    sets: Mapping[str, SetResolution] = field(default_factory=dict)

    def ids(self, name: str) -> frozenset[int]:
        return self.sets[name].ids

    def unresolved(self) -> tuple[CodeResolution, ...]:
        """Included concepts that did not resolve, over all sets."""
        return tuple(c for s in self.sets.values() for c in s.included if not c.resolved)

    def missing_shipped_ids(self) -> tuple[int, ...]:
        """Shipped ids of included concepts that did not resolve in this CDM."""
        return tuple(sorted({c.concept.id for c in self.unresolved() if c.concept.id is not None}))


# --- the pure core --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    concept_id: int
    name: str
    domain: str
    vocabulary: str
    standard: str | None
    code: str
    invalid: str | None


def _rows(concept: pa.Table | None) -> list[_Row]:
    if concept is None:
        return []
    cols = {c: concept.column(c).to_pylist() if c in concept.column_names else None
            for c in CONCEPT_COLUMNS}  # fmt: skip
    n = concept.num_rows

    def get(c: str, i: int) -> Any:
        values = cols[c]
        return None if values is None else values[i]

    return [
        _Row(
            int(get("concept_id", i)),
            str(get("concept_name", i) or ""),
            str(get("domain_id", i) or ""),
            str(get("vocabulary_id", i) or ""),
            (get("standard_concept", i) or None),
            str(get("concept_code", i) or ""),
            (get("invalid_reason", i) or None),
        )
        for i in range(n)
        if get("concept_id", i) is not None
    ]


def _maps_to(relationship: pa.Table | None) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    if relationship is None or relationship.num_rows == 0:
        return out
    one = relationship.column("concept_id_1").to_pylist()
    two = relationship.column("concept_id_2").to_pylist()
    rel = relationship.column("relationship_id").to_pylist()
    for a, b, r in zip(one, two, rel, strict=True):
        if r == "Maps to" and a is not None and b is not None:
            out.setdefault(int(a), []).append(int(b))
    return {k: sorted(set(v)) for k, v in out.items()}


def _standard_ok(row: _Row, descendants: bool) -> bool:
    if row.invalid not in (None, "", "V"):
        return False
    return row.standard == "S" or (row.standard == "C" and descendants)


def _resolve_one(
    c: Concept,
    cs: ConceptSet,
    by_code: Mapping[tuple[str, str], _Row],
    by_id: Mapping[int, _Row],
    maps_to: Mapping[int, list[int]],
) -> CodeResolution:
    row = by_code.get(c.key) if c.key is not None else by_id.get(c.id or -1)
    if row is None:
        return CodeResolution(c, "absent")
    notes = []
    if row.name.strip().lower() != c.name.strip().lower():
        notes.append(f"site name {row.name!r}")
    if _standard_ok(row, c.include_descendants):
        if row.domain and row.domain != cs.omop_domain:
            notes.append(f"domain {row.domain}, set expects {cs.omop_domain}")
        if c.id is not None and row.concept_id != c.id:
            notes.append(f"site id {row.concept_id}, shipped id {c.id}")
        status: Status = "standard" if c.key is not None else "by_id"
        return CodeResolution(c, status, (row.concept_id,), site_name=row.name,
                              note="; ".join(notes))  # fmt: skip
    targets = maps_to.get(row.concept_id, [])
    if targets:
        notes.append(f"maps to {', '.join(str(t) for t in targets)}")
        return CodeResolution(c, "mapped", tuple(targets), site_name=row.name,
                              note="; ".join(notes))  # fmt: skip
    bad: Status = "invalid" if row.invalid not in (None, "", "V") else "non_standard"
    return CodeResolution(c, bad, site_name=row.name, note="; ".join(notes))


def _shipped_one(c: Concept) -> CodeResolution:
    if c.id is None:
        return CodeResolution(c, "no_vocabulary")
    return CodeResolution(c, "shipped", (c.id,))


def _finish(
    cs: ConceptSet, codes: list[CodeResolution], ancestor: pa.Table | None
) -> SetResolution:
    """Expand each resolved concept (where allowed) and take the excluded ones out."""
    empty: dict[str, list[Any]] = {"ancestor_concept_id": [], "descendant_concept_id": []}
    table: Any = ancestor if ancestor is not None else empty
    excluded = {
        i: r.concept.include_descendants
        for r in codes
        if r.concept.exclude and r.resolved
        for i in r.ids
    }
    removed = expand_ids(excluded, {}, table) if excluded else frozenset()
    out: list[CodeResolution] = []
    final: set[int] = set()
    for r in codes:
        if not r.resolved:
            out.append(r)
            continue
        ids = expand_ids(dict.fromkeys(r.ids, r.concept.include_descendants), {}, table)
        if not r.concept.exclude:
            ids = ids - removed
            final |= ids
        out.append(replace(r, expanded=ids))
    return SetResolution(cs, tuple(out), frozenset(final))


def resolve_tables(
    concept: pa.Table | None,
    relationship: pa.Table | None = None,
    ancestor: pa.Table | None = None,
    *,
    sets: Mapping[str, ConceptSet] | None = None,
) -> Resolution:
    """Resolve ``sets`` (default: all shipped) given the CDM's vocabulary rows as pyarrow tables.

    ``concept`` may hold just the rows for the sets' codes and ids (lower-case column names);
    ``None`` means the CDM has no ``concept`` table (fall back to shipped ids). ``relationship``
    needs ``concept_id_1``, ``concept_id_2``, ``relationship_id``; ``ancestor`` needs
    ``ancestor_concept_id`` and ``descendant_concept_id``.
    """
    sets = all_concept_sets() if sets is None else sets
    out: dict[str, SetResolution] = {}
    if concept is None:
        for name, cs in sets.items():
            out[name] = _finish(cs, [_shipped_one(c) for c in cs.concepts], ancestor)
        return Resolution("shipped", ancestor is not None, False, out)
    rows = _rows(concept)
    by_code = {(r.vocabulary, r.code): r for r in rows}
    by_id = {r.concept_id: r for r in rows}
    maps_to = _maps_to(relationship)
    for name, cs in sets.items():
        codes = [_resolve_one(c, cs, by_code, by_id, maps_to) for c in cs.concepts]
        out[name] = _finish(cs, codes, ancestor)
    return Resolution("vocabulary", ancestor is not None, relationship is not None, out)


# --- fetching from a backend ----------------------------------------------------------------------


def _columns(table: Any) -> dict[str, str]:
    return {c.lower(): c for c in table.columns}


def _fetch_concepts(backend: CohortBackend, sets: Iterable[ConceptSet]) -> pa.Table:
    import ibis

    ct = backend.table("concept")
    cols = _columns(ct)
    concepts = [c for cs in sets for c in cs.concepts]
    codes = sorted({c.code for c in concepts if c.code is not None})
    vocabs = sorted({c.vocabulary for c in concepts if c.code is not None})
    ids = sorted({c.id for c in concepts if c.id is not None and c.code is None})
    cid = ct[cols["concept_id"]].cast("int64")
    wanted = ct[cols["concept_code"]].cast("string").isin(codes) & ct[cols["vocabulary_id"]].cast(
        "string"
    ).isin(vocabs)
    if ids:
        wanted = wanted | cid.isin(ids)
    select: dict[str, Any] = {"concept_id": cid}
    for name in CONCEPT_COLUMNS[1:]:
        select[name] = (
            ct[cols[name]].cast("string") if name in cols else ibis.literal(None, type="string")
        )
    return backend.fetch(ct.filter(wanted).select(**select))


def _fetch_maps_to(backend: CohortBackend, ids: list[int]) -> pa.Table:
    rt = backend.table("concept_relationship")
    cols = _columns(rt)
    one = rt[cols["concept_id_1"]].cast("int64")
    rel = rt[cols["relationship_id"]].cast("string")
    cond = one.isin(ids) & (rel == "Maps to")
    if "invalid_reason" in cols:
        cond = cond & rt[cols["invalid_reason"]].isnull()
    expr = rt.filter(cond).select(
        concept_id_1=one,
        concept_id_2=rt[cols["concept_id_2"]].cast("int64"),
        relationship_id=rel,
    )
    return backend.fetch(expr)


def _fetch_ancestors(backend: CohortBackend, roots: list[int]) -> pa.Table:
    ca = backend.table("concept_ancestor")
    cols = _columns(ca)
    anc = ca[cols["ancestor_concept_id"]].cast("int64")
    expr = ca.filter(anc.isin(roots)).select(
        ancestor_concept_id=anc,
        descendant_concept_id=ca[cols["descendant_concept_id"]].cast("int64"),
    )
    return backend.fetch(expr)


def resolve_backend(
    backend: CohortBackend, *, sets: Mapping[str, ConceptSet] | None = None
) -> Resolution:
    """Resolve the sets against the vocabulary tables behind ``backend`` (few, small queries)."""
    sets = all_concept_sets() if sets is None else sets
    tables = set(backend.list_tables())
    concept = _fetch_concepts(backend, sets.values()) if "concept" in tables else None
    relationship = None
    if concept is not None and "concept_relationship" in tables:
        ids = concept.column("concept_id").to_pylist()
        standard = concept.column("standard_concept").to_pylist()
        nonstd = sorted({int(i) for i, flag in zip(ids, standard, strict=True) if flag != "S"})
        relationship = _fetch_maps_to(backend, nonstd or [-1])
    ancestor = None
    if "concept_ancestor" in tables:
        direct = resolve_tables(concept, relationship, None, sets=sets)
        roots = sorted({i for s in direct.sets.values() for c in s.codes for i in c.ids})
        ancestor = _fetch_ancestors(backend, roots or [-1])
    return resolve_tables(concept, relationship, ancestor, sets=sets)


def record_counts(backend: CohortBackend, resolution: Resolution) -> dict[str, dict[int, int]]:
    """Per set, records per concept id in the set's domain table (only ids with records)."""
    out: dict[str, dict[int, int]] = {}
    tables = set(backend.list_tables())
    by_column: dict[tuple[str, str], set[int]] = {}
    for s in resolution.sets.values():
        cs = s.concept_set
        by_column.setdefault((cs.table, cs.concept_column), set()).update(s.ids)
    counted: dict[tuple[str, str], dict[int, int]] = {}
    for (table, column), ids in by_column.items():
        if table not in tables or not ids:
            counted[(table, column)] = {}
            continue
        t = backend.table(table)
        col = t[_columns(t)[column]].cast("int64")
        expr = t.filter(col.isin(sorted(ids))).group_by(concept_id=col).aggregate(n=col.count())
        got = backend.fetch(expr).to_pylist()
        counted[(table, column)] = {int(r["concept_id"]): int(r["n"]) for r in got}
    for name, s in resolution.sets.items():
        cs = s.concept_set
        counts = counted[(cs.table, cs.concept_column)]
        out[name] = {i: counts[i] for i in s.ids if i in counts}
    return out
