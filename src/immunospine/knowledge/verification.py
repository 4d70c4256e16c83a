"""Every clinical fact still marked unverified in the knowledge data, read from the data itself.

Issue 14 asks that each fact be verified or *visibly* not. The flags live with the facts: a
calculator spec's ``unverified`` tuple, an axSpA likelihood-ratio row's ``verified``/``source``,
``verified``/``source_note`` in ``red_flags.toml``, ``verified``/``source`` in
``referral_strategies.toml`` and in the treatment guidelines' steps, the programme catalogue's
``unverified`` lists and the autoimmune base's per-source ``verified``/``checked``. This module
reads them where they live (never a hand-kept list), so the reference page
``docs/reference/unverified-facts.md`` and ``immunospine knowledge unverified`` cannot drift from
the data. Concept sets belong to the cohort layer and are collected there
(``immunospine.cohort.verification``); the service joins both.

Each :class:`UnverifiedFact` says which area and item, what is unverified, the reason as recorded,
which result depends on it and what a clinician (or data engineer) must check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AREAS",
    "REASON_IN_FACT",
    "AreaCount",
    "UnverifiedFact",
    "area_count",
    "check_area",
    "unverified_facts",
    "verification_summary",
]

AREAS: dict[str, str] = {
    "calculators": "Calculators (instruments, criteria, response, probability)",
    "axspa_likelihood_ratios": "axSpA likelihood ratios (triage probability)",
    "red_flags": "Red flags (triage)",
    "referral_strategies": "Referral strategies (triage)",
    "treatment": "Treatment guideline steps",
    "programme": "Exercise and self-management programme",
    "autoimmune_diseases": "Autoimmune disease base (entries' sources, recognised lists)",
    "concept_sets": "Case-finding concept sets (OMOP)",
}
"""Every area, in the order the reference page and the command list them."""

REASON_IN_FACT = "stated with the fact (the calculator's `unverified` list gives both)"
"""The reason of a calculator fact: the spec's ``unverified`` text says what and why at once."""

_TRIAGE_USES = {
    "axspa_probability": "the triage's axSpA probability and referral",
    "ibp_asas": "the triage's inflammatory-back-pain verdicts",
    "ibp_berlin": "the triage's inflammatory-back-pain verdicts",
    "ibp_calin": "the triage's inflammatory-back-pain verdicts",
    "fibromyalgia_acr_2016": "the triage's considerations (fibromyalgia)",
}
"""Calculators whose result the triage uses as well (``reasoning/features.py``,
``referral.py``, ``considerations.py``)."""


@dataclass(frozen=True, slots=True)
class UnverifiedFact:
    """One fact a result may depend on that nobody confirmed in a source here."""

    area: str
    item: str
    what: str
    reason: str
    affects: str
    check: str

    def to_dict(self) -> dict[str, str]:
        return {
            "area": self.area,
            "item": self.item,
            "what": self.what,
            "reason": self.reason,
            "affects": self.affects,
            "check": self.check,
        }


@dataclass(frozen=True, slots=True)
class AreaCount:
    """How many items of an area are fully verified, how many are not, and the open facts."""

    area: str
    title: str
    items: int
    verified: int
    unverified: int
    facts: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "title": self.title,
            "items": self.items,
            "verified": self.verified,
            "unverified": self.unverified,
            "facts": self.facts,
        }


def _calculators() -> tuple[int, list[UnverifiedFact]]:
    from immunospine.knowledge.registry import catalogue

    specs = catalogue()
    facts = []
    for spec in specs:
        affects = f"calculator {spec.name}"
        if spec.name in _TRIAGE_USES:
            affects += f"; {_TRIAGE_USES[spec.name]}"
        check = (
            f"a clinician: confirm it in the references of {spec.name} "
            "(docs/reference/calculators.md), then correct the calculator or drop the mark"
        )
        facts += [
            UnverifiedFact(
                "calculators",
                spec.name,
                fact,
                REASON_IN_FACT,
                affects,
                check,
            )
            for fact in spec.unverified
        ]
    return len(specs), facts


def _likelihood_ratios() -> tuple[int, list[UnverifiedFact]]:
    from immunospine.knowledge.probability.axspa import (
        HLA_B27_WITH_PSORIASIS_OR_IBD,
        LIKELIHOOD_RATIOS,
    )

    rows = [*LIKELIHOOD_RATIOS.values(), HLA_B27_WITH_PSORIASIS_OR_IBD]
    facts = [
        UnverifiedFact(
            "axspa_likelihood_ratios",
            row.finding,
            f"{row.label}: sensitivity {row.sensitivity:.0%}, specificity {row.specificity:.0%}, "
            f"LR+ {row.lr_positive:g}, LR− {row.lr_negative:g}",
            row.source,
            "calculator axspa_probability; the triage's axSpA probability (when the finding is "
            "given) and the case-finding score (cohort screen)",
            "a clinician: compare the row with Table 1 of Rudwaleit, Feldtkeller & Sieper, Ann "
            "Rheum Dis 2006;65:1251-2 (or the LR table of Rudwaleit 2004, ARD 63:535); if it "
            "differs, change knowledge/probability/axspa.py and the case tables",
        )
        for row in rows
        if not row.verified
    ]
    return len(rows), facts


def _red_flags() -> tuple[int, list[UnverifiedFact]]:
    from immunospine.knowledge.reasoning.red_flags import catalogue

    items = catalogue().items
    facts = [
        UnverifiedFact(
            "red_flags",
            name,
            f"{item.label} → {item.suspected.replace('_', ' ')}",
            item.source_note,
            "the triage's red flags and urgency (the item is always reported when answered yes)",
            f"a clinician: confirm that the cited guideline ({item.citation}) lists this item as "
            f"a sign of {item.suspected.replace('_', ' ')}",
        )
        for name, item in items.items()
        if not item.verified
    ]
    return len(items), facts


def _referral_strategies() -> tuple[int, list[UnverifiedFact]]:
    from immunospine.knowledge.reasoning.referral import strategy_info

    info = strategy_info()
    facts = [
        UnverifiedFact(
            "referral_strategies",
            name,
            f"{s.title}: {s.rule}",
            s.source,
            "the triage's referral (this strategy's verdict)",
            f"a clinician: confirm the rule and figures in {s.reference}",
        )
        for name, s in info.items()
        if not s.verified
    ]
    return len(info), facts


def _treatment() -> tuple[int, list[UnverifiedFact]]:
    from immunospine.knowledge.treatment import guidelines

    items = 0
    facts = []
    for g in guidelines():
        info = g.guideline
        items += 1 + len(g.step)
        if not info.verified:
            facts.append(
                UnverifiedFact(
                    "treatment",
                    info.id,
                    f"the citation of {info.short}: {info.citation}",
                    info.source,
                    f"treatment options citing {info.short}",
                    "a librarian or clinician: confirm the citation (authors, journal, year, DOI)",
                )
            )
        facts += [
            UnverifiedFact(
                "treatment",
                f"{info.id} · {s.id}",
                f"{g.label(s)} ({s.label}): {s.wording}",
                s.source,
                f"treatment options: the option {s.id} (shown with verified = false)",
                f"a clinician: confirm number, wording and strength of {g.label(s)} in "
                f"{info.citation}",
            )
            for s in g.step
            if not s.verified
        ]
    return items, facts


def _programme() -> tuple[int, list[UnverifiedFact]]:
    from immunospine.knowledge.programme.catalogue import catalogue

    cat = catalogue()
    cited: list[tuple[str, str, Any]] = [
        ("goal", "the weekly activity goal", cat.goal),
        ("progression", "the planner's progression rules", cat.progression),
    ]
    cited += [
        (f"contraindication {k}", f"the caution for {c.label}", c)
        for k, c in cat.contraindications.items()
    ]
    cited += [(f"red flag {k}", f"the rule '{r.label}'", r) for k, r in cat.red_flag.items()]
    cited += [(f"session {s.id}", f"the session '{s.title}' and its dose", s) for s in cat.session]
    facts = [
        UnverifiedFact(
            "programme",
            item,
            fact,
            f"recorded in the catalogue against {what} (sources: {', '.join(entry.sources)})",
            f"the exercise programme (plan) — {what}",
            "a clinician or physiotherapist: judge whether the rule or dose is acceptable for "
            "the people served, or find a source that fixes it",
        )
        for item, what, entry in cited
        for fact in entry.unverified
    ]
    return len(cited), facts


def _autoimmune() -> tuple[int, list[UnverifiedFact]]:
    from immunospine.knowledge.reasoning.autoimmune import disease_lists, diseases

    base = diseases()
    lists = disease_lists()
    facts = [
        UnverifiedFact(
            "autoimmune_diseases",
            f"list {key}",
            f"the recognised list: {entry.citation}",
            entry.checked,
            "which diseases the base covers (its completeness), not any one result",
            "a librarian: compare the entries tagged with this list with the list itself",
        )
        for key, entry in lists.items()
        if not entry.verified
    ]
    for key, d in base.items():
        if d.clues:
            affects = "the triage's considerations (other things to consider)"
            if d.red_flag:
                affects += ", listed first as urgent"
        else:
            affects = "the disease's entry (knowledge disease) only: no triage clue uses it"
        facts += [
            UnverifiedFact(
                "autoimmune_diseases",
                f"{key} ({d.name})",
                f"source: {s.citation}",
                s.checked,
                affects,
                "a clinician: read a current review of the disease and confirm the entry's "
                "mechanisms, features, tests, specialist and back involvement; cite what was read",
            )
            for s in d.sources
            if not s.verified
        ]
    return len(base) + len(lists), facts


def _items_with(facts: Iterable[UnverifiedFact]) -> int:
    return len({f.item for f in facts})


_COLLECTORS = (
    ("calculators", _calculators),
    ("axspa_likelihood_ratios", _likelihood_ratios),
    ("red_flags", _red_flags),
    ("referral_strategies", _referral_strategies),
    ("treatment", _treatment),
    ("programme", _programme),
    ("autoimmune_diseases", _autoimmune),
)
"""Every knowledge area with its collector (concept sets: ``immunospine.cohort.verification``)."""


def unverified_facts(area: str | None = None) -> tuple[UnverifiedFact, ...]:
    """Every fact marked unverified in the knowledge data (all areas, or ``area``), in area
    order then data order. An unknown area is a ``KnowledgeError`` naming the allowed ones."""
    check_area(area)
    return tuple(f for a, collect in _COLLECTORS if area in (None, a) for f in collect()[1])


def verification_summary() -> tuple[AreaCount, ...]:
    """Per knowledge area: items, items fully verified, items with an unverified fact, facts."""
    out = []
    for area, collect in _COLLECTORS:
        items, facts = collect()
        out.append(area_count(area, items, facts))
    return tuple(out)


def area_count(area: str, items: int, facts: Iterable[UnverifiedFact]) -> AreaCount:
    """The count for ``area`` from its number of items and its unverified facts (an item with
    at least one fact is unverified)."""
    facts = list(facts)
    open_items = _items_with(facts)
    return AreaCount(area, AREAS[area], items, items - open_items, open_items, len(facts))


def check_area(area: str | None) -> None:
    """``KnowledgeError`` naming the nearest and the allowed areas unless ``area`` is one
    (or None)."""
    if area is not None and area not in AREAS:
        from immunospine.errors import KnowledgeError, json_text
        from immunospine.knowledge.reasoning.autoimmune import nearest_names

        raise KnowledgeError(
            f"unknown area {json_text(area)}{nearest_names(area, AREAS)}; "
            f"allowed: {', '.join(AREAS)}"
        )
