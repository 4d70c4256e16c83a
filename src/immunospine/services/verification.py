"""What is still unverified, across the knowledge base and the case-finding concept sets (issue 14).

``immunospine knowledge unverified``, ``GET``-style callers and the generated
``docs/reference/unverified-facts.md`` read the list through these functions, so all show the same
facts in the same words. An unknown area is a ``KnowledgeError`` naming the nearest and the allowed
areas (exit 2).
"""

from __future__ import annotations

from typing import Any

from immunospine.cohort.verification import concept_set_facts, concept_set_summary
from immunospine.knowledge.verification import (
    AREAS,
    AreaCount,
    UnverifiedFact,
    check_area,
    unverified_facts,
    verification_summary,
)

__all__ = ["AREAS", "all_unverified", "summary", "unverified_json"]


def all_unverified(area: str | None = None) -> tuple[UnverifiedFact, ...]:
    """Every unverified fact (all areas, or ``area``), knowledge areas first, then concept sets."""
    check_area(area)
    knowledge = () if area == "concept_sets" else unverified_facts(area)
    cohort = concept_set_facts() if area in (None, "concept_sets") else ()
    return (*knowledge, *cohort)


def summary(area: str | None = None) -> tuple[AreaCount, ...]:
    """Per area (or for ``area``): items, verified, unverified, open facts."""
    check_area(area)
    counts = (*verification_summary(), concept_set_summary())
    return tuple(c for c in counts if area in (None, c.area))


def unverified_json(area: str | None = None) -> dict[str, Any]:
    """``{"summary": [...], "facts": [...]}`` as every face shows it."""
    return {
        "summary": [c.to_dict() for c in summary(area)],
        "facts": [f.to_dict() for f in all_unverified(area)],
    }
