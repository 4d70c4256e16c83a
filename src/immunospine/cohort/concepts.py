"""Concept sets as data: standard codes with provenance, and what a measurement value means.

Concept sets live in ``cohort/data/concept_sets/<name>.toml``, one file per set. Each concept names
an OMOP ``vocabulary`` (vocabulary_id: SNOMED, LOINC, RxNorm, ICD10CM …) and its ``code``
(concept_code); a site resolves the codes against its own ``concept`` table
(:mod:`immunospine.cohort.resolve`). ``id`` is the standard OMOP concept_id where it was seen in an
OHDSI artefact: it is what a CDM *without* vocabulary tables is searched for. ``verified`` is true
only when the code ↔ concept (and the id, when given) was seen in the cited ``source``. A few
concepts have an id and no code (their code was not found); they resolve by id. There are no local
placeholder ids: a concept whose OMOP id is unknown has no ``id`` and is found through its code.
What each set is for: ``docs/case-finding.md``.

    >>> cs = concept_set("crp")
    >>> 3020460 in cs.ids
    True
    >>> ("LOINC", "1988-5") in cs.codes
    True

With a ``concept_ancestor`` table, :meth:`ConceptSet.expand` adds every descendant of the included
concepts (where descendants are allowed) and drops the excluded ones.

The measurement rules (:data:`HLA_B27_RULE`, :data:`CRP_RULE`, :data:`ESR_RULE`) are the reference
implementation; the case-finding engine's Ibis translation must agree with them.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from immunospine.errors import CohortError, InputError, KnowledgeError

Domain = Literal["condition", "drug", "measurement", "procedure", "observation", "meas_value"]

#: Where each domain's concept ids live in OMOP CDM 5.4: (table, concept column).
DOMAIN_COLUMNS: dict[str, tuple[str, str]] = {
    "condition": ("condition_occurrence", "condition_concept_id"),
    "drug": ("drug_exposure", "drug_concept_id"),
    "measurement": ("measurement", "measurement_concept_id"),
    "procedure": ("procedure_occurrence", "procedure_concept_id"),
    "observation": ("observation", "observation_concept_id"),
    "meas_value": ("measurement", "value_as_concept_id"),
}

#: The OMOP ``domain_id`` of each set domain (what a resolved concept is expected to be).
OMOP_DOMAINS: dict[str, str] = {
    "condition": "Condition",
    "drug": "Drug",
    "measurement": "Measurement",
    "procedure": "Procedure",
    "observation": "Observation",
    "meas_value": "Meas Value",
}

#: First id of the OMOP range for local (site-defined) concepts. Shipped sets hold no such id.
LOCAL_CONCEPT_MIN = 2_000_000_000


class _ConceptFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: int | None = Field(default=None, gt=0, lt=LOCAL_CONCEPT_MIN)
    name: str = Field(min_length=1)
    vocabulary: str = Field(min_length=1, pattern=r"^\S(.*\S)?$")
    code: str | None = Field(default=None, min_length=1, pattern=r"^\S+$")
    verified: bool
    source: str = Field(min_length=1)
    exclude: bool = False
    include_descendants: bool | None = None

    @model_validator(mode="after")
    def _code_or_id(self) -> _ConceptFile:
        if self.code is None and self.id is None:
            raise ValueError("a concept needs a code (and, where known, its standard id)")
        return self


class _ConceptSetFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str = Field(min_length=1)
    domain: Domain
    include_descendants: bool
    description: str = ""
    concept: tuple[_ConceptFile, ...] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept of a set: its code, its standard id where known, and where both come from."""

    name: str
    vocabulary: str
    code: str | None
    id: int | None
    verified: bool
    source: str
    exclude: bool = False
    include_descendants: bool = True

    @property
    def key(self) -> tuple[str, str] | None:
        """``(vocabulary_id, concept_code)``, the site-independent name of this concept."""
        return None if self.code is None else (self.vocabulary, self.code)

    @property
    def label(self) -> str:
        """``SNOMED 278860009`` or, for an id-only concept, ``LOINC id 3033347``."""
        if self.code is not None:
            return f"{self.vocabulary} {self.code}"
        return f"{self.vocabulary} id {self.id}"


@dataclass(frozen=True, slots=True)
class ConceptSet:
    """A named set of concepts (codes with provenance) of one OMOP domain."""

    name: str
    title: str
    domain: str
    include_descendants: bool
    description: str
    concepts: tuple[Concept, ...]

    @property
    def ids(self) -> frozenset[int]:
        """The shipped standard ids of the included concepts (the fallback without vocabulary)."""
        return frozenset(c.id for c in self.concepts if not c.exclude and c.id is not None)

    @property
    def excluded_ids(self) -> frozenset[int]:
        return frozenset(c.id for c in self.concepts if c.exclude and c.id is not None)

    @property
    def codes(self) -> frozenset[tuple[str, str]]:
        """``(vocabulary_id, concept_code)`` of the included concepts that have a code."""
        return frozenset(c.key for c in self.concepts if not c.exclude and c.key is not None)

    @property
    def unverified(self) -> tuple[Concept, ...]:
        return tuple(c for c in self.concepts if not c.verified)

    @property
    def table(self) -> str:
        return DOMAIN_COLUMNS[self.domain][0]

    @property
    def concept_column(self) -> str:
        return DOMAIN_COLUMNS[self.domain][1]

    @property
    def omop_domain(self) -> str:
        return OMOP_DOMAINS[self.domain]

    def expand(self, concept_ancestor: Any) -> frozenset[int]:
        """Included shipped ids plus their descendants in ``concept_ancestor``, minus excluded.

        ``concept_ancestor`` is anything ``pyarrow.table`` accepts (a pyarrow Table, a pandas
        frame, a mapping of columns) with ``ancestor_concept_id`` and ``descendant_concept_id``.
        Excluded concepts remove their own descendants too.
        """
        included = {c.id: c.include_descendants for c in self.concepts if not c.exclude}
        excluded = {c.id: c.include_descendants for c in self.concepts if c.exclude}
        return expand_ids(
            {i: d for i, d in included.items() if i is not None},
            {i: d for i, d in excluded.items() if i is not None},
            concept_ancestor,
        )


def expand_ids(
    included: Mapping[int, bool], excluded: Mapping[int, bool], concept_ancestor: Any
) -> frozenset[int]:
    """``included`` ids (id → whether descendants count) expanded, minus ``excluded`` likewise."""
    anc, desc = (
        _ancestor_columns(concept_ancestor)
        if any(included.values()) or any(excluded.values())
        else (np.empty(0, np.int64), np.empty(0, np.int64))
    )

    def down(ids: Mapping[int, bool]) -> frozenset[int]:
        roots = [i for i, d in ids.items() if d]
        return frozenset(desc[np.isin(anc, roots)].tolist()) | frozenset(ids)

    return down(included) - down(excluded)


def _ancestor_columns(table: Any) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    import pyarrow as pa

    try:
        t = table if isinstance(table, pa.Table) else pa.table(table)
        anc = t.column("ancestor_concept_id").to_numpy(zero_copy_only=False).astype(np.int64)
        desc = t.column("descendant_concept_id").to_numpy(zero_copy_only=False).astype(np.int64)
    except (KeyError, TypeError, ValueError, pa.ArrowException) as exc:
        raise CohortError(
            "concept_ancestor needs integer columns ancestor_concept_id and descendant_concept_id"
            f" ({exc})"
        ) from None
    return anc, desc


def _data_dir() -> Any:
    return resources.files("immunospine.cohort").joinpath("data", "concept_sets")


def load_concept_set_file(path: Path | str, text: str | None = None) -> ConceptSet:
    """Parse and validate one concept-set TOML file; unknown keys and bad values are errors."""
    label = str(path)
    try:
        raw = tomllib.loads(text if text is not None else Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError.single(("concept_set",), f"cannot be read ({exc})", label) from None
    try:
        model = _ConceptSetFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError.from_validation(
            exc, context=f"concept set {label}", model=_ConceptSetFile, prefix=("concept_set",)
        ) from None
    ids = [c.id for c in model.concept if c.id is not None]
    if len(ids) != len(set(ids)):
        raise InputError.single(("concept_set", "concept"), "duplicate concept id", label)
    keys = [(c.vocabulary, c.code) for c in model.concept if c.code is not None]
    if len(keys) != len(set(keys)):
        raise InputError.single(("concept_set", "concept"), "duplicate vocabulary and code", label)
    concepts = tuple(
        Concept(
            name=c.name,
            vocabulary=c.vocabulary,
            code=c.code,
            id=c.id,
            verified=c.verified,
            source=c.source,
            exclude=c.exclude,
            include_descendants=(
                model.include_descendants
                if c.include_descendants is None
                else c.include_descendants
            ),
        )
        for c in model.concept
    )
    return ConceptSet(
        model.name,
        model.title,
        model.domain,
        model.include_descendants,
        model.description.strip(),
        concepts,
    )


@cache
def all_concept_sets() -> Mapping[str, ConceptSet]:
    """Every shipped concept set, by name (file stem and ``name`` must agree)."""
    out: dict[str, ConceptSet] = {}
    for entry in sorted(_data_dir().iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        cs = load_concept_set_file(entry.name, entry.read_text(encoding="utf-8"))
        if cs.name != entry.name.removesuffix(".toml"):
            raise InputError.single(
                ("concept_set", "name"), "must equal the file name", cs.name, context=entry.name
            )
        out[cs.name] = cs
    return out


def concept_set(name: str) -> ConceptSet:
    """The shipped concept set ``name``; :class:`KnowledgeError` names the known ones otherwise."""
    sets = all_concept_sets()
    try:
        return sets[name]
    except KeyError:
        raise KnowledgeError(
            f"unknown concept set {name!r}; known: {', '.join(sorted(sets))}"
        ) from None


# --- measurement value semantics ------------------------------------------------------------------

UNIT_MG_L = 8751  # UCUM mg/L (OHDSI Data Quality Dashboard concept-level checks)
UNIT_MG_DL = 8840
UNIT_MM_H = 8752


@dataclass(frozen=True, slots=True)
class RaisedRule:
    """A lab is raised when value_as_number > range_high; with no range_high, > ``default_limit``.

    ``unit_factors`` converts the row's unit_concept_id to ``unit`` before the default limit is
    applied (rows with an unknown unit and no range_high are not judged: False). Comparing against
    range_high needs no conversion because value and range come from the same lab row.
    """

    concept_set: str
    default_limit: float
    unit: str
    unit_factors: Mapping[int, float]
    source: str

    def is_raised(
        self, value: npt.ArrayLike, range_high: npt.ArrayLike, unit_concept_id: npt.ArrayLike
    ) -> npt.NDArray[np.bool_]:
        v = np.asarray(value, dtype=np.float64)
        hi = np.asarray(range_high, dtype=np.float64)
        unit_ids = np.asarray(unit_concept_id, dtype=np.int64)
        factor = np.full(v.shape, np.nan)
        for uid, f in self.unit_factors.items():
            factor[unit_ids == uid] = f
        with np.errstate(invalid="ignore"):
            by_range = v > hi
            by_default = v * factor > self.default_limit
        return np.where(np.isnan(hi), by_default, by_range) & ~np.isnan(v)


CRP_RULE = RaisedRule(
    concept_set="crp",
    default_limit=5.0,
    unit="mg/L",
    unit_factors={UNIT_MG_L: 1.0, UNIT_MG_DL: 10.0},
    source=(
        "ASAS 'elevated CRP' = above the local upper limit of normal (the ASAS SpA feature "
        "definition), so range_high wins; 5 mg/L is a widespread laboratory ULN used as the "
        "default when range_high is missing (a choice, to confirm per site; see "
        "docs/case-finding.md). "
        "mg/dL × 10 = mg/L."
    ),
)

ESR_RULE = RaisedRule(
    concept_set="esr",
    default_limit=20.0,
    unit="mm/h",
    unit_factors={UNIT_MM_H: 1.0, 0: 1.0},
    source=(
        "Raised = above the local upper limit of normal (range_high). Default 20 mm/h when "
        "missing: a common single Westergren ULN (age- and sex-dependent in reality: roughly "
        "15-20 men, 20-30 women); a choice, to confirm per site. Unit 0 (unmapped) is read as mm/h."
    ),
)


@dataclass(frozen=True, slots=True)
class PositiveRule:
    """A qualitative test is positive when value_as_concept_id is a 'positive' answer, or when
    value_as_number > 0 (sites that store 1/0)."""

    concept_set: str
    positive_values: str
    source: str

    def is_positive(
        self, value_as_concept_id: npt.ArrayLike, value_as_number: npt.ArrayLike
    ) -> npt.NDArray[np.bool_]:
        positive = np.array(sorted(concept_set(self.positive_values).ids), dtype=np.int64)
        vc = np.asarray(value_as_concept_id, dtype=np.float64)
        vn = np.asarray(value_as_number, dtype=np.float64)
        by_concept = np.isin(np.nan_to_num(vc, nan=0.0).astype(np.int64), positive)
        with np.errstate(invalid="ignore"):
            by_number = vn > 0
        return by_concept | by_number


HLA_B27_RULE = PositiveRule(
    concept_set="hla_b27",
    positive_values="positive_result",
    source=(
        "value_as_concept_id in the positive_result set (Positive/Present/Detected ids used by "
        "public OHDSI study code; unverified) or value_as_number > 0."
    ),
)
