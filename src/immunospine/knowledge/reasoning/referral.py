"""Referral strategies for suspected axSpA, side by side, and one combined recommendation.

**Strategies** (clinical.md §7; rules, figures and sources in ``data/referral_strategies.toml``):
``asas_2015``, ``nice_ng65``, ``cafaspa``, ``berlin_2005`` and ``braun_2011``. Each applies after
the shared entry (back pain ≥ 3 months, onset < 45; ``features.entry``) and is three-valued: met,
not met or indeterminate, with the items that decided it and the unknown answers that could still
change it. "IBP" is the IBP finding in use (``features``: given, or derived from the ASAS IBP
criteria). Approximations, because the case has no finer item: NICE "first-degree relative" reads
``family_history`` (which also counts second-degree relatives); NICE "enthesitis" reads
``enthesitis_heel``; NICE "buttock pain" reads ``back_pain.buttock_pain``, which alternating buttock
pain implies; sacroiliitis on imaging is ``mri_sacroiliitis`` or ``radiographic_sacroiliitis``.

**Combined recommendation** (``refer_to_rheumatology``), in this order:

1. entry not met → ``False`` (the strategies and the probability model do not apply);
2. axSpA probability probable or definite (≥ 0.80) → ``True``;
3. otherwise the ASAS 2015 recommendation decides: met → ``True``, not met → ``False``,
   indeterminate → ``None`` (unknown answers or blood tests could change it). Imaging not done
   counts as not available (the recommendation says "if available"), so it never holds the
   decision open. ASAS 2015 is the current international consensus and the most sensitive rule;
   it includes HLA-B27 as a screening item, as the 2005 Berlin proposal did. The other strategies
   are shown for comparison.

**Next tests**, in the fixed order ``hla_b27``, ``crp``, ``esr``, ``mri_sacroiliac_joints``,
``radiograph_sacroiliac_joints``; only tests whose result is unknown, only when the entry is not
failed, and only where they would help. A blood test (HLA-B27; CRP and ESR together, since the
case has one finding for both) is listed when a positive and a negative result would lead to a
different recommendation or to a different side of the 0.80 (probable) line; or, for HLA-B27,
when NICE NG65 asks for it (exactly three items); or as the diagnostic work-up when referral is
recommended and axSpA is not yet definite. Imaging is not a screening test (NICE NG59): MRI of the
sacroiliac joints is listed only in that work-up; an X-ray of the sacroiliac joints likewise,
unless the MRI already shows sacroiliitis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from immunospine.knowledge._logic import Outcome, all_of, any_of, at_least, item
from immunospine.knowledge._types import Verdict
from immunospine.knowledge.probability.axspa import CATEGORIES, post_test_probability
from immunospine.knowledge.reasoning._data import load_toml
from immunospine.knowledge.reasoning.case import TriageCase
from immunospine.knowledge.reasoning.features import entry, onset_below

__all__ = [
    "STRATEGIES",
    "TESTS",
    "Referral",
    "StrategyInfo",
    "StrategyVerdict",
    "evaluate_strategies",
    "recommend",
    "strategy_info",
]

TESTS: tuple[str, ...] = (
    "hla_b27",
    "crp",
    "esr",
    "mri_sacroiliac_joints",
    "radiograph_sacroiliac_joints",
)
STRONG = ("probable", "definite")
CAFASPA_LONG_MONTHS = 60
"""CaFaSpA item: back pain for more than 5 years."""

Findings = Mapping[str, bool | None]


class StrategyInfo(BaseModel):
    """One strategy's entry in ``referral_strategies.toml``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    title: str
    rule: str
    performance: str
    reference: str
    source: str
    """Where the rule and figures were seen (issue 14)."""
    verified: bool


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    strategies: dict[str, StrategyInfo]


@cache
def strategy_info() -> dict[str, StrategyInfo]:
    """The strategies' rules, figures and sources, validated on first use."""
    data = _File.model_validate(load_toml("referral_strategies")).strategies
    if set(data) != set(STRATEGIES):
        raise ValueError(
            f"referral_strategies.toml differs from the code: {set(data) ^ set(STRATEGIES)}"
        )
    return data


@dataclass(frozen=True, slots=True)
class StrategyVerdict:
    name: str
    verdict: Verdict
    because: tuple[str, ...]
    missing: tuple[str, ...]
    asks_for_hla_b27: bool = False

    def to_dict(self) -> dict[str, Any]:
        info = strategy_info()[self.name]
        return {
            "name": self.name,
            "verdict": self.verdict.value,
            "reference": info.reference,
            "title": info.title,
            "rule": info.rule,
            "performance": info.performance,
            "verified": info.verified,
            "because": list(self.because),
            "missing": list(self.missing),
        }


@dataclass(frozen=True, slots=True)
class Referral:
    refer_to_rheumatology: bool | None
    strategies: tuple[StrategyVerdict, ...]
    next_tests: tuple[str, ...]
    reasons: tuple[str, ...]
    missing: tuple[str, ...]


def _finding(findings: Findings, name: str, label: str) -> Outcome:
    return item(f"findings.{name}", findings.get(name), label=label)


def _bp(case: TriageCase, name: str, label: str) -> Outcome:
    return item(f"back_pain.{name}", getattr(case.back_pain, name), label=label)


def _ibp(findings: Findings) -> Outcome:
    return _finding(findings, "inflammatory_back_pain", "inflammatory back pain")


def _b27(findings: Findings) -> Outcome:
    return _finding(findings, "hla_b27", "HLA-B27 positive")


def _imaging(case: TriageCase, findings: Findings) -> Outcome:
    return any_of(
        _finding(findings, "mri_sacroiliitis", "sacroiliitis on MRI"),
        item(
            "radiographic_sacroiliitis",
            case.radiographic_sacroiliitis,
            label="sacroiliitis on X-ray",
        ),
    )


def _count(n: int, parts: list[Outcome], what: str) -> Outcome:
    named = {f"{i}": p.value for i, p in enumerate(parts)}
    outcome = at_least(n, named, what=what)
    met = [" and ".join(p.because) for p in parts if p.verdict is Verdict.MET]
    missing = tuple(m for p in parts if p.verdict is Verdict.INDETERMINATE for m in p.missing)
    head = f"{len(met)} of {len(parts)} {what} (need {n}): {'; '.join(met) or 'none'}"
    return Outcome(
        outcome.verdict, (head,), missing if outcome.verdict is Verdict.INDETERMINATE else ()
    )


def asas_2015(case: TriageCase, findings: Findings) -> StrategyVerdict:
    rule = any_of(
        _ibp(findings),
        _b27(findings),
        _imaging(case, findings),
        _finding(findings, "peripheral_arthritis", "arthritis"),
        _finding(findings, "enthesitis_heel", "heel enthesitis"),
        _finding(findings, "dactylitis", "dactylitis"),
        _finding(findings, "psoriasis", "psoriasis"),
        _finding(findings, "ibd", "inflammatory bowel disease"),
        _finding(findings, "anterior_uveitis", "uveitis"),
        _finding(findings, "family_history", "family history of SpA"),
        _finding(findings, "nsaid_response", "good response to NSAIDs"),
        _finding(findings, "elevated_crp_or_esr", "raised CRP or ESR"),
    )
    return _verdict("asas_2015", all_of(entry(case), rule))


def berlin_2005(case: TriageCase, findings: Findings) -> StrategyVerdict:
    rule = any_of(_ibp(findings), _b27(findings), _imaging(case, findings))
    return _verdict("berlin_2005", all_of(entry(case), rule))


def cafaspa(case: TriageCase, findings: Findings) -> StrategyVerdict:
    months = case.back_pain.duration_months
    long = None if months is None else months > CAFASPA_LONG_MONTHS
    parts = [
        _ibp(findings),
        _finding(findings, "nsaid_response", "good response to NSAIDs"),
        _finding(findings, "family_history", "family history of SpA"),
        item("back_pain.duration_months", long, label="back pain for more than 5 years"),
    ]
    return _verdict("cafaspa", all_of(entry(case), _count(2, parts, "CaFaSpA items")))


def braun_2011(case: TriageCase, findings: Findings) -> StrategyVerdict:
    parts = [
        onset_below(case, 35, inclusive=True),
        _bp(case, "improves_with_exercise", "improves with exercise"),
        _finding(findings, "nsaid_response", "improves with NSAIDs"),
        _bp(case, "wakes_second_half_of_night", "wakes in the second half of the night"),
        _bp(case, "alternating_buttock_pain", "alternating buttock pain"),
    ]
    return _verdict("braun_2011", all_of(entry(case), _count(3, parts, "Braun items")))


def nice_ng65(case: TriageCase, findings: Findings) -> StrategyVerdict:
    bp = case.back_pain
    buttock = True if bp.alternating_buttock_pain is True else bp.buttock_pain
    parts = [
        onset_below(case, 35),
        _bp(case, "wakes_second_half_of_night", "waking in the second half of the night"),
        item("back_pain.buttock_pain", buttock, label="buttock pain"),
        _bp(case, "improves_with_exercise", "improvement with movement"),
        _finding(findings, "nsaid_response", "improvement with NSAIDs within 48 hours"),
        _finding(findings, "family_history", "relative with spondyloarthritis"),
        _finding(findings, "peripheral_arthritis", "arthritis"),
        _finding(findings, "enthesitis_heel", "enthesitis"),
        _finding(findings, "psoriasis", "psoriasis"),
    ]
    known = sum(p.verdict is Verdict.MET for p in parts)
    unknown = sum(p.verdict is Verdict.INDETERMINATE for p in parts)
    b27 = findings.get("hla_b27")
    shown = "; ".join(" and ".join(p.because) for p in parts if p.verdict is Verdict.MET)
    head = f"{known} of 9 NICE items (4 refer; exactly 3 → HLA-B27): {shown or 'none'}"
    outcomes: set[bool | None] = set()
    for count in range(known, known + unknown + 1):
        if count >= 4:
            outcomes.add(True)
        elif count == 3:
            outcomes.add(b27)
        else:
            outcomes.add(False)
    missing = tuple(m for p in parts if p.verdict is Verdict.INDETERMINATE for m in p.missing)
    asks = known == 3 and b27 is None
    if outcomes == {True}:
        rule = Outcome(Verdict.MET, (head, *(("HLA-B27 positive",) if known < 4 else ())))
    elif outcomes == {False}:
        tail = ("HLA-B27 negative",) if known + unknown >= 3 else ()
        rule = Outcome(Verdict.NOT_MET, (head, *tail))
    else:
        b27_missing = ("findings.hla_b27",) if None in outcomes else ()
        rule = Outcome(Verdict.INDETERMINATE, (head,), missing + b27_missing)
    return _verdict("nice_ng65", all_of(entry(case), rule), asks_for_hla_b27=asks)


STRATEGIES: dict[str, Callable[[TriageCase, Findings], StrategyVerdict]] = {
    "asas_2015": asas_2015,
    "nice_ng65": nice_ng65,
    "cafaspa": cafaspa,
    "berlin_2005": berlin_2005,
    "braun_2011": braun_2011,
}


def _verdict(name: str, outcome: Outcome, *, asks_for_hla_b27: bool = False) -> StrategyVerdict:
    return StrategyVerdict(
        name, outcome.verdict, outcome.because, outcome.missing, asks_for_hla_b27
    )


def evaluate_strategies(case: TriageCase, findings: Findings) -> tuple[StrategyVerdict, ...]:
    """Every strategy, in the order of ``STRATEGIES``."""
    return tuple(fn(case, findings) for fn in STRATEGIES.values())


def _decision(case: TriageCase, findings: Findings) -> tuple[bool | None, bool]:
    """(refer_to_rheumatology, probable or definite) for these findings."""
    strong = CATEGORIES.classify(post_test_probability(case.pretest, findings)) in STRONG
    if entry(case).verdict is Verdict.NOT_MET:
        return False, strong
    if strong:
        return True, strong
    return _tri(_asas_if_available(case, findings).verdict), strong


def _asas_if_available(case: TriageCase, findings: Findings) -> StrategyVerdict:
    """ASAS 2015 with imaging not done read as not available (the recommendation's wording)."""
    if case.radiographic_sacroiliitis is None:
        case = case.model_copy(update={"radiographic_sacroiliitis": False})
    if findings.get("mri_sacroiliitis") is None:
        findings = {**findings, "mri_sacroiliitis": False}
    return asas_2015(case, findings)


def _tri(verdict: Verdict) -> bool | None:
    return {Verdict.MET: True, Verdict.NOT_MET: False}.get(verdict)


def _would_help(case: TriageCase, findings: Findings, name: str) -> bool:
    outcomes = {_decision(case, {**findings, name: value}) for value in (True, False)}
    return len(outcomes) > 1


def recommend(case: TriageCase, findings: Findings) -> Referral:
    """The strategies side by side, the combined recommendation and the tests that would help."""
    strategies = evaluate_strategies(case, findings)
    by_name = {s.name: s for s in strategies}
    refer, strong = _decision(case, findings)
    gate = entry(case)
    category = CATEGORIES.classify(post_test_probability(case.pretest, findings))
    reasons: list[str] = []
    if gate.verdict is Verdict.NOT_MET:
        reasons.append("entry not met: " + "; ".join(gate.because))
    elif strong:
        reasons.append(f"axSpA probability is {category}")
    else:
        asas = by_name["asas_2015"]
        reasons.append(f"ASAS 2015 recommendation {asas.verdict.value}: " + "; ".join(asas.because))
    tests: list[str] = []
    work_up = refer is True and category != "definite"
    if gate.verdict is not Verdict.NOT_MET:
        if findings.get("hla_b27") is None and (
            work_up
            or _would_help(case, findings, "hla_b27")
            or by_name["nice_ng65"].asks_for_hla_b27
        ):
            tests.append("hla_b27")
        if findings.get("elevated_crp_or_esr") is None and (
            work_up or _would_help(case, findings, "elevated_crp_or_esr")
        ):
            tests += ["crp", "esr"]
        if work_up:
            if findings.get("mri_sacroiliitis") is None:
                tests.append("mri_sacroiliac_joints")
            if (
                case.radiographic_sacroiliitis is None
                and findings.get("mri_sacroiliitis") is not True
            ):
                tests.append("radiograph_sacroiliac_joints")
    if tests:
        reasons.append("tests that could change the recommendation: " + ", ".join(tests))
    missing = _asas_if_available(case, findings).missing if refer is None else ()
    return Referral(refer, strategies, tuple(tests), tuple(reasons), missing)
