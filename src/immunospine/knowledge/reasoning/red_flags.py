"""Red-flag screen for serious spinal pathology (clinical.md §8; data in ``data/red_flags.toml``).

**Rule**: every red-flag answer that is true is reported, with the condition it may point to
(``cauda_equina``, ``malignancy``, ``infection`` or ``fracture``) and what to do. Two age-based
prompts are added from the case (AHCPR 1994 Table 1: "age over 50 or under 20"): back pain that
began within the past 12 months (``NEW_PAIN_MONTHS``) in a person over 50 or under 20. The pain's
start is read from ``back_pain.duration_months``, or else from ``age − back_pain.age_at_onset``;
with neither known the prompt is not raised (and ``missing`` says so). "New" as ≤ 12 months is our
operational reading of "new-onset" [M: no source fixes the window].

**Interpretation**: red flags are prompts for a clinician, not diagnoses; the evidence for most
single items is weak (Verhagen 2016). They are always reported and set the urgency whatever else the
case says: cauda equina → ``emergency``; malignancy, infection or fracture → at least ``urgent``
(see ``urgency.py``).

**References**: AHCPR 1994 (Bigos et al., guideline No. 14) Table 1; NHS Gloucestershire pathway
(NICE CKS); Verhagen 2016 (Eur Spine J 25:2788).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from immunospine.knowledge.reasoning._data import load_toml
from immunospine.knowledge.reasoning.case import RedFlagAnswers, TriageCase

__all__ = [
    "CONTRACT_ITEMS",
    "NEW_PAIN_MONTHS",
    "OLDER_THAN",
    "YOUNGER_THAN",
    "RedFlag",
    "RedFlagCatalogue",
    "catalogue",
    "screen",
]

Suspected = Literal["cauda_equina", "malignancy", "infection", "fracture"]
Urgency = Literal["emergency", "urgent"]

OLDER_THAN = 50
"""New back pain above this age prompts a check for cancer (AHCPR 1994)."""
YOUNGER_THAN = 20
"""New back pain below this age prompts a check for cancer (AHCPR 1994)."""
NEW_PAIN_MONTHS = 12
"""Back pain that began within this many months counts as new [M: operational choice]."""

CONTRACT_ITEMS: tuple[str, ...] = tuple(RedFlagAnswers.model_fields)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Condition(_Strict):
    label: str
    urgency: Urgency
    action: str


class Item(_Strict):
    """One red-flag item. ``verified`` is true only if the cited source was read and links the
    item to its condition (issue 14); otherwise ``source_note`` says why it was not."""

    suspected: Suspected
    label: str
    citation: str
    verified: bool
    source_note: str = ""
    derived: bool = False

    @model_validator(mode="after")
    def _unverified_items_say_why(self) -> Item:
        if self.verified == bool(self.source_note):
            raise ValueError("give source_note exactly when verified is false")
        return self


class RedFlagCatalogue(_Strict):
    """The validated contents of ``red_flags.toml`` (unknown keys are errors)."""

    conditions: dict[Suspected, Condition]
    items: dict[str, Item]


@cache
def catalogue() -> RedFlagCatalogue:
    """The red-flag items and conditions, validated on first use."""
    data = RedFlagCatalogue.model_validate(load_toml("red_flags"))
    answered = {k for k, v in data.items.items() if not v.derived}
    if answered != set(CONTRACT_ITEMS):
        raise ValueError(
            f"red_flags.toml items differ from the contract: {answered ^ set(CONTRACT_ITEMS)}"
        )
    return data


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One red flag found in the case."""

    item: str
    suspected: Suspected
    label: str
    condition: str
    action: str
    urgency: Urgency
    citation: str
    verified: bool = True
    """Whether the item's link to its condition was seen in the cited source (issue 14)."""
    source_note: str = ""
    """Why not, when ``verified`` is false."""

    def to_dict(self) -> dict[str, str | bool]:
        return {
            "item": self.item,
            "suspected": self.suspected,
            "action": self.action,
            "label": self.label,
            "condition": self.condition,
            "urgency": self.urgency,
            "citation": self.citation,
            "verified": self.verified,
            "source_note": self.source_note,
        }


def months_since_onset(case: TriageCase) -> float | None:
    """How long ago the back pain began, from the duration or else from the age at onset."""
    bp = case.back_pain
    if bp.duration_months is not None:
        return bp.duration_months
    if bp.age_at_onset is not None:
        return (case.age - bp.age_at_onset) * 12
    return None


def _flag(name: str) -> RedFlag:
    data = catalogue()
    item = data.items[name]
    condition = data.conditions[item.suspected]
    return RedFlag(
        item=name,
        suspected=item.suspected,
        label=item.label,
        condition=condition.label,
        action=condition.action,
        urgency=condition.urgency,
        citation=item.citation,
        verified=item.verified,
        source_note=item.source_note,
    )


def screen(case: TriageCase) -> tuple[tuple[RedFlag, ...], tuple[str, ...]]:
    """The red flags present (answers first, then age prompts) and the answers still unknown."""
    answers = case.red_flags.model_dump()
    flags = [_flag(name) for name in CONTRACT_ITEMS if answers[name] is True]
    missing = [f"red_flags.{name}" for name in CONTRACT_ITEMS if answers[name] is None]
    if case.age > OLDER_THAN or case.age < YOUNGER_THAN:
        since = months_since_onset(case)
        if since is None:
            missing.append("back_pain.duration_months")
        elif since <= NEW_PAIN_MONTHS:
            flags.append(
                _flag(
                    "new_back_pain_over_50" if case.age > OLDER_THAN else "new_back_pain_under_20"
                )
            )
    return tuple(flags), tuple(missing)
