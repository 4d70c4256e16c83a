"""Concept-set entries still marked unverified, for the issue-14 list of unverified facts.

The knowledge core collects its own areas (``immunospine.knowledge.verification``); concept sets
belong to this layer, so they are collected here, from the shipped set files, and the service
``immunospine.services.verification`` joins both.
"""

from __future__ import annotations

from immunospine.cohort.concepts import Concept, ConceptSet, all_concept_sets
from immunospine.knowledge.verification import AreaCount, UnverifiedFact, area_count

__all__ = ["concept_set_facts", "concept_set_summary"]


def _label(c: Concept) -> str:
    """``SNOMED 278860009`` or, for a concept known by id alone, ``LOINC id 3033347``."""
    return f"{c.vocabulary} {c.code}" if c.code is not None else f"{c.vocabulary} id {c.id}"


def _id(c: Concept) -> str:
    """``, concept_id 3015183`` when the label does not show the id already."""
    return "" if c.id is None or c.code is None else f", concept_id {c.id}"


def _fact(s: ConceptSet, c: Concept) -> UnverifiedFact:
    use = "excluded from" if c.exclude else "in"
    return UnverifiedFact(
        "concept_sets",
        f"{s.name} · {_label(c)}",
        f"{c.name} ({_label(c)}{_id(c)}) {use} the set {s.title}",
        c.source,
        f"case-finding (cohort screen): which records count as {s.title}",
        "a data engineer: look the code and concept_id up in the current OHDSI vocabulary "
        "(Athena) and confirm the concept is standard and means what the set needs; a clinician "
        "if the meaning is in doubt",
    )


def _collect() -> tuple[int, list[UnverifiedFact]]:
    sets = all_concept_sets().values()
    facts = [_fact(s, c) for s in sets for c in s.concepts if not c.verified]
    return sum(len(s.concepts) for s in sets), facts


def concept_set_facts() -> tuple[UnverifiedFact, ...]:
    """Every concept of the shipped sets marked ``verified = false``, set by set."""
    return tuple(_collect()[1])


def concept_set_summary() -> AreaCount:
    """Concepts in the shipped sets: how many verified, how many not."""
    items, facts = _collect()
    return area_count("concept_sets", items, facts)
