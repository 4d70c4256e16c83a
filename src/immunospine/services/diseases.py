"""The autoimmune knowledge base for the faces (issue 14): list, filter and describe diseases.

``immunospine knowledge diseases`` / ``disease NAME``, ``GET /api/v1/knowledge/diseases[/NAME]``
and the generated ``docs/reference/autoimmune-diseases.md`` read the base through these functions,
so the three show the same entries in the same words. Unknown names, mechanisms or groups are
``KnowledgeError`` naming the nearest or allowed ones (HTTP 404 / exit 2).
"""

from __future__ import annotations

from typing import Any

from immunospine.knowledge.reasoning import autoimmune

__all__ = [
    "GROUPS",
    "MECHANISMS",
    "BackInvolvement",
    "Group",
    "Mechanism",
    "describe",
    "entry_json",
    "key_of",
    "list_diseases",
    "summary_json",
]

MECHANISMS = autoimmune.MECHANISMS
GROUPS = autoimmune.GROUPS
#: The names a face may validate against (the knowledge module's own ``Literal`` types).
Mechanism = autoimmune.Mechanism
Group = autoimmune.Group
BackInvolvement = autoimmune.BackInvolvement


def summary_json(key: str, entry: autoimmune.Disease) -> dict[str, Any]:
    """One row of the list: key, name, group, back involvement, mechanisms, specialist."""
    return {
        "key": key,
        "name": entry.name,
        "group": entry.group,
        "back_involvement": entry.back_involvement,
        "mechanisms": list(entry.mechanisms),
        "specialist": entry.specialist,
        "red_flag": entry.red_flag,
        "verified": entry.verified,
    }


def entry_json(key: str, entry: autoimmune.Disease) -> dict[str, Any]:
    """The whole entry, sources and verification status included."""
    return {
        **summary_json(key, entry),
        "aliases": list(entry.aliases),
        "how_it_reaches_the_back": entry.how_it_reaches_the_back,
        "key_features": list(entry.key_features),
        "helpful_tests": list(entry.helpful_tests),
        "prevalence": entry.prevalence,
        "calculators": list(entry.calculators),
        "clues": list(entry.clues),
        "lists": list(entry.lists),
        "sources": [s.model_dump() for s in entry.sources],
    }


def list_diseases(mechanism: str | None = None, group: str | None = None) -> list[dict[str, Any]]:
    """Every disease (or those reaching the back by ``mechanism``, in ``group``), as rows."""
    return [summary_json(k, d) for k, d in autoimmune.diseases(mechanism, group).items()]


def key_of(name: str) -> str | None:
    """The key of the disease called ``name`` (key, name or alias, any case), or None (the
    pages link a triage consideration to its entry only when it is one)."""
    return autoimmune.resolve(name)


def describe(name: str) -> dict[str, Any]:
    """One disease by key, name or alias (any case), whole."""
    key = autoimmune.disease_key(name)
    return entry_json(key, autoimmune.disease(key))
