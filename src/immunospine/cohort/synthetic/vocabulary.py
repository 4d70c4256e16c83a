"""The vocabulary subset a synthetic population ships: ``concept``, ``concept_ancestor``, mappings.

A site resolves the concept sets' codes against its own OMOP vocabulary
(:mod:`immunospine.cohort.resolve`); the generator writes this subset beside its clinical tables so
synthetic data resolves the same way. It holds every concept of every shipped set, the ids the
generator writes (person, visit, unit and type concepts), and:

* **ids**: a concept's shipped standard OMOP id where the set has one. A concept whose OMOP id was
  not found (enthesitis, dactylitis, SI-joint imaging, family history …) gets a **synthetic id for
  synthetic data only**, ``2,000,000,000 + crc32("vocabulary|code") mod 10**8`` — in the OMOP
  range for local concepts, so it can never be mistaken for a standard concept. Those ids appear
  in no concept set: a site never sees them, and its own vocabulary gives the real ones.
* **mappings**: a non-standard source code (ICD-10-CM) is written non-standard with a
  'Maps to' relationship to a synthetic standard concept (vocabulary ``Synthetic``), the way a
  site's ICD-10-CM codes map to SNOMED.
* **hierarchy**: ``concept_ancestor`` has a self row per standard concept plus a few parent → child
  links between set concepts (uveitis → anterior uveitis → iritis, IBD → Crohn's …). It is a
  simplified stand-in for SNOMED's hierarchy, enough to exercise descendant expansion; it is not a
  copy of Athena.

Names, domains and classes of the non-set concepts (gender, race, visit, unit, type) follow OMOP
conventions; their ``concept_code`` values are illustrative. Synthetic data: no real patients.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from immunospine.cohort.concepts import OMOP_DOMAINS, Concept, all_concept_sets

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "SYNTHETIC_ID_MIN",
    "VOCABULARY_TABLES",
    "set_ids",
    "standard_id",
    "synthetic_id",
    "vocabulary_tables",
]

SYNTHETIC_ID_MIN = 2_000_000_000
_SPAN = 100_000_000
_START, _END = dt.date(1970, 1, 1), dt.date(2099, 12, 31)
#: The tables :func:`vocabulary_tables` returns (and the generator writes).
VOCABULARY_TABLES = ("concept", "concept_ancestor", "concept_relationship")
#: Source vocabularies: their codes are non-standard and map to a standard concept.
SOURCE_VOCABULARIES = frozenset({"ICD10CM", "ICD9CM", "ICD10"})

_CLASS: dict[tuple[str, str], str] = {
    ("SNOMED", "Condition"): "Clinical Finding",
    ("SNOMED", "Procedure"): "Procedure",
    ("SNOMED", "Observation"): "Clinical Finding",
    ("SNOMED", "Meas Value"): "Qualifier Value",
    ("LOINC", "Measurement"): "Lab Test",
    ("LOINC", "Meas Value"): "Answer",
    ("RxNorm", "Drug"): "Ingredient",
    ("CPT4", "Procedure"): "CPT4",
    ("Meas Value", "Meas Value"): "Meas Value",
    ("OMOP Extension", "Measurement"): "Lab Test",
}

#: Concepts the generator writes outside the sets: id → (name, domain, vocabulary, class, code).
KNOWN: dict[int, tuple[str, str, str, str, str]] = {
    8507: ("MALE", "Gender", "Gender", "Gender", "M"),
    8532: ("FEMALE", "Gender", "Gender", "Gender", "F"),
    8527: ("White", "Race", "Race", "Race", "5"),
    8516: ("Black or African American", "Race", "Race", "Race", "3"),
    8515: ("Asian", "Race", "Race", "Race", "2"),
    9201: ("Inpatient Visit", "Visit", "Visit", "Visit", "IP"),
    9202: ("Outpatient Visit", "Visit", "Visit", "Visit", "OP"),
    9203: ("Emergency Room Visit", "Visit", "Visit", "Visit", "ER"),
    8751: ("milligram per liter", "Unit", "UCUM", "Unit", "mg/L"),
    8840: ("milligram per deciliter", "Unit", "UCUM", "Unit", "mg/dL"),
    8752: ("millimeter per hour", "Unit", "UCUM", "Unit", "mm/h"),
    32817: ("EHR", "Type Concept", "Type Concept", "Type Concept", "EHR"),
    4013636: ("Magnetic resonance imaging", "Procedure", "SNOMED", "Procedure", "113091000"),
}

#: Parent → child links between set concepts, by (vocabulary, code): a simplified hierarchy.
_EDGES: tuple[tuple[tuple[str, str], tuple[str, str]], ...] = (
    (("SNOMED", "161891005"), ("SNOMED", "279039007")),  # backache → low back pain
    (("SNOMED", "279039007"), ("SNOMED", "278860009")),  # low back pain → chronic low back pain
    (("SNOMED", "784332006"), ("SNOMED", "9631008")),  # spondyloarthritis → AS
    (("SNOMED", "784332006"), ("SNOMED", "713777005")),  # → nr-axSpA
    (("SNOMED", "784332006"), ("SNOMED", "85611000119105")),  # → undifferentiated SpA
    (("SNOMED", "9631008"), ("SNOMED", "786077003")),  # AS → AS with anterior uveitis
    (("SNOMED", "128473001"), ("SNOMED", "410692006")),  # uveitis → anterior uveitis
    (("SNOMED", "410692006"), ("SNOMED", "4927003")),  # → acute anterior uveitis
    (("SNOMED", "410692006"), ("SNOMED", "267619000")),  # → non-infectious anterior uveitis
    (("SNOMED", "410692006"), ("SNOMED", "65074000")),  # → iritis
    (("SNOMED", "410692006"), ("SNOMED", "77971008")),  # → iridocyclitis
    (("SNOMED", "24526004"), ("SNOMED", "34000006")),  # IBD → Crohn's disease
    (("SNOMED", "24526004"), ("SNOMED", "64766004")),  # IBD → ulcerative colitis
)


def synthetic_id(vocabulary: str, code: str) -> int:
    """The synthetic-data-only id of a code without a known OMOP id (stable across runs)."""
    return SYNTHETIC_ID_MIN + zlib.crc32(f"{vocabulary}|{code}".encode()) % _SPAN


@dataclass(frozen=True, slots=True)
class _Row:
    concept_id: int
    name: str
    domain: str
    vocabulary: str
    concept_class: str
    standard: str | None
    code: str


def _set_rows() -> tuple[list[_Row], dict[int, int]]:
    """Rows for every set concept (and mapping targets); ``maps_to`` source id → target id."""
    rows: dict[int, _Row] = {}
    maps_to: dict[int, int] = {}
    for cs in all_concept_sets().values():
        domain = OMOP_DOMAINS[cs.domain]
        for c in cs.concepts:
            row = _row_for(c, domain)
            _add(rows, row)
            if row.standard is None:
                target = _Row(
                    synthetic_id("Synthetic", f"{c.vocabulary}:{c.code}"),
                    c.name,
                    domain,
                    "Synthetic",
                    _CLASS.get(("SNOMED", domain), "Clinical Finding"),
                    "S",
                    f"{c.vocabulary}:{c.code}",
                )
                _add(rows, target)
                maps_to[row.concept_id] = target.concept_id
    return list(rows.values()), maps_to


def _row_for(c: Concept, domain: str) -> _Row:
    standard = None if c.vocabulary in SOURCE_VOCABULARIES else "S"
    # a concept without an id has a code (checked when the set is loaded)
    cid = c.id if c.id is not None else synthetic_id(c.vocabulary, c.code or "")
    code = c.code if c.code is not None else str(c.id)
    cls = _CLASS.get((c.vocabulary, domain), "ICD10 code" if standard is None else "Undefined")
    return _Row(cid, c.name, domain, c.vocabulary, cls, standard, code)


def _add(rows: dict[int, _Row], row: _Row) -> None:
    old = rows.get(row.concept_id)
    if old is not None and (old.vocabulary, old.code) != (row.vocabulary, row.code):
        raise AssertionError(  # a crc32 collision between two codes: change the scheme
            f"synthetic id {row.concept_id} given to {old.vocabulary} {old.code} and "
            f"{row.vocabulary} {row.code}"
        )
    rows.setdefault(row.concept_id, row)


@cache
def _set_vocabulary() -> tuple[tuple[_Row, ...], tuple[tuple[int, int], ...]]:
    rows, maps_to = _set_rows()
    return tuple(rows), tuple(sorted(maps_to.items()))


def standard_id(vocabulary: str, code: str) -> int:
    """The standard id a set's code resolves to in synthetic data (the 'Maps to' target of a
    source code). Raises ``KeyError`` for a code no set names."""
    rows, maps_to = _set_vocabulary()
    mapping = dict(maps_to)
    for r in rows:
        if (r.vocabulary, r.code) == (vocabulary, code):
            return mapping.get(r.concept_id, r.concept_id)
    raise KeyError(f"{vocabulary} {code} is in no concept set")


def _closure(edges: Iterable[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """(ancestor, descendant) → (min, max) levels of separation, for the transitive closure."""
    children: dict[int, set[int]] = {}
    for a, d in edges:
        children.setdefault(a, set()).add(d)
    out: dict[tuple[int, int], tuple[int, int]] = {}

    def walk(root: int, node: int, depth: int) -> None:
        for child in children.get(node, ()):
            lo, hi = out.get((root, child), (depth, depth))
            out[(root, child)] = (min(lo, depth), max(hi, depth))
            walk(root, child, depth + 1)

    for root in children:
        walk(root, root, 1)
    return out


def vocabulary_tables(written: Iterable[int] = ()) -> dict[str, pa.Table]:
    """``concept``, ``concept_ancestor`` and ``concept_relationship`` for a synthetic CDM.

    ``written`` are the concept ids the generator wrote; ids outside the sets and :data:`KNOWN`
    get a row named ``Synthetic concept <id>`` so that every written id has a concept.
    """
    import pyarrow as pa

    from immunospine.cohort.omop_schema import arrow_schema

    set_rows, maps_to = _set_vocabulary()
    rows = {r.concept_id: r for r in set_rows}
    for cid, (name, domain, vocab, cls, code) in KNOWN.items():
        rows.setdefault(cid, _Row(cid, name, domain, vocab, cls, "S", code))
    for cid in sorted({int(i) for i in written if int(i) > 0} - set(rows)):
        rows[cid] = _Row(cid, f"Synthetic concept {cid}", "Observation", "Synthetic",
                         "Undefined", "S", str(cid))  # fmt: skip
    ordered = [rows[i] for i in sorted(rows)]
    concept = pa.table(
        {
            "concept_id": [r.concept_id for r in ordered],
            "concept_name": [r.name for r in ordered],
            "domain_id": [r.domain for r in ordered],
            "vocabulary_id": [r.vocabulary for r in ordered],
            "concept_class_id": [r.concept_class for r in ordered],
            "standard_concept": [r.standard for r in ordered],
            "concept_code": [r.code for r in ordered],
            "valid_start_date": [_START] * len(ordered),
            "valid_end_date": [_END] * len(ordered),
            "invalid_reason": [None] * len(ordered),
        },
        schema=arrow_schema("concept"),
    )
    by_key = {(r.vocabulary, r.code): r.concept_id for r in ordered}
    edges = [(by_key[a], by_key[d]) for a, d in _EDGES if a in by_key and d in by_key]
    levels = {(r.concept_id, r.concept_id): (0, 0) for r in ordered if r.standard == "S"}
    levels.update(_closure(edges))
    pairs = sorted(levels)
    ancestor = pa.table(
        {
            "ancestor_concept_id": [a for a, _ in pairs],
            "descendant_concept_id": [d for _, d in pairs],
            "min_levels_of_separation": [levels[p][0] for p in pairs],
            "max_levels_of_separation": [levels[p][1] for p in pairs],
        },
        schema=arrow_schema("concept_ancestor"),
    )
    rel = [(s, t, "Maps to") for s, t in maps_to] + [(t, s, "Mapped from") for s, t in maps_to]
    relationship = pa.table(
        {
            "concept_id_1": [a for a, _, _ in rel],
            "concept_id_2": [b for _, b, _ in rel],
            "relationship_id": [r for _, _, r in rel],
            "valid_start_date": [_START] * len(rel),
            "valid_end_date": [_END] * len(rel),
            "invalid_reason": [None] * len(rel),
        },
        schema=arrow_schema("concept_relationship"),
    )
    return {"concept": concept, "concept_ancestor": ancestor, "concept_relationship": relationship}


@cache
def _resolved_sets() -> Mapping[str, frozenset[int]]:
    from immunospine.cohort.resolve import resolve_tables

    t = vocabulary_tables()
    res = resolve_tables(t["concept"], t["concept_relationship"], t["concept_ancestor"])
    return {name: s.ids for name, s in res.sets.items()}


def set_ids(name: str) -> frozenset[int]:
    """The ids set ``name`` resolves to in synthetic data (shipped ids plus synthetic ones)."""
    return _resolved_sets()[name]
