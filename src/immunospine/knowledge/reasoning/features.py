"""What the case says about the back pain: IBP criteria, the axSpA entry and the findings in use.

* **Inflammatory back pain** is judged by the three criteria sets through the catalogue (one
  implementation each): ``ibp_calin`` (morning stiffness = ``morning_stiffness_minutes > 0``),
  ``ibp_berlin`` and ``ibp_asas``, from the case's ``back_pain`` answers.
* **The IBP finding of the probability model**: the case's ``findings.inflammatory_back_pain``
  when given; when it is null, the ASAS IBP verdict (met → true, not met → false, indeterminate →
  null). ASAS is chosen because it is the IBP definition inside the ASAS axSpA criteria and the
  referral recommendation, and because the LR row (sens 75 %, spec 76 %) describes IBP as judged by
  experts, which the ASAS set was built to reproduce. ``ibp_source`` records which one was used.
* **The entry** shared by the LR model and every referral strategy: back pain for ≥ 3 months that
  began before 45. An unknown age at onset is known to be < 45 when the person is younger than 45.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from immunospine.knowledge._logic import Outcome, all_of
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.reasoning.case import BackPain, TriageCase
from immunospine.knowledge.registry import calculate

__all__ = [
    "CHRONIC_MONTHS",
    "ONSET_BEFORE_YEARS",
    "Features",
    "entry",
    "evaluate_ibp",
    "features",
    "onset_below",
]

CHRONIC_MONTHS = 3
"""Chronic back pain: ≥ 3 months (ASAS; clinical.md §7 entry)."""
ONSET_BEFORE_YEARS = 45
"""Onset before 45 years: the entry of the ASAS axSpA criteria and of every referral strategy."""

IbpSource = Literal["findings", "ibp_asas", "unknown"]


@dataclass(frozen=True, slots=True)
class Features:
    """The derived picture one case gives."""

    ibp: Mapping[str, Result]
    """``calin``, ``berlin``, ``asas`` → the criteria results."""
    findings: Mapping[str, bool | None]
    """The twelve findings in use (``inflammatory_back_pain`` possibly derived)."""
    ibp_source: IbpSource
    entry: Outcome
    """Back pain ≥ 3 months with onset < 45 (the LR model's and the strategies' population)."""


def evaluate_ibp(bp: BackPain) -> dict[str, Result]:
    """The Calin, Berlin and ASAS IBP criteria for these answers."""
    stiffness = None if bp.morning_stiffness_minutes is None else bp.morning_stiffness_minutes > 0
    return {
        "calin": calculate(
            "ibp_calin",
            age_at_onset_years=bp.age_at_onset,
            back_pain_duration_months=bp.duration_months,
            insidious_onset=bp.insidious_onset,
            morning_stiffness=stiffness,
            improves_with_exercise=bp.improves_with_exercise,
        ),
        "berlin": calculate(
            "ibp_berlin",
            morning_stiffness_minutes=bp.morning_stiffness_minutes,
            improves_with_exercise=bp.improves_with_exercise,
            improves_with_rest=bp.improves_with_rest,
            wakes_second_half_of_night=bp.wakes_second_half_of_night,
            alternating_buttock_pain=bp.alternating_buttock_pain,
        ),
        "asas": calculate(
            "ibp_asas",
            age_at_onset_years=bp.age_at_onset,
            insidious_onset=bp.insidious_onset,
            improves_with_exercise=bp.improves_with_exercise,
            improves_with_rest=bp.improves_with_rest,
            night_pain=bp.night_pain,
        ),
    }


def onset_below(case: TriageCase, years: float, *, inclusive: bool = False) -> Outcome:
    """Did the back pain begin before ``years`` (or at ``years`` or younger if ``inclusive``)?"""
    onset = case.back_pain.age_at_onset
    word = "≤" if inclusive else "<"
    if onset is not None:
        ok = onset <= years if inclusive else onset < years
        text = f"back pain began at {onset:g} ({'' if ok else 'not '}{word} {years:g})"
        return Outcome(Verdict.MET if ok else Verdict.NOT_MET, (text,))
    if case.age < years or (inclusive and case.age == years):
        return Outcome(Verdict.MET, (f"age {case.age}, so the pain began {word} {years:g}",))
    return Outcome(Verdict.INDETERMINATE, (), ("back_pain.age_at_onset",))


def entry(case: TriageCase) -> Outcome:
    """Chronic back pain (≥ 3 months) that began before 45."""
    months = case.back_pain.duration_months
    if months is None:
        chronic = Outcome(Verdict.INDETERMINATE, (), ("back_pain.duration_months",))
    elif months >= CHRONIC_MONTHS:
        chronic = Outcome(Verdict.MET, (f"back pain for {months:g} months (≥ {CHRONIC_MONTHS})",))
    else:
        chronic = Outcome(
            Verdict.NOT_MET, (f"back pain for {months:g} months (less than {CHRONIC_MONTHS})",)
        )
    return all_of(chronic, onset_below(case, ONSET_BEFORE_YEARS))


def features(case: TriageCase) -> Features:
    """IBP verdicts, the findings in use and the entry for one case."""
    ibp = evaluate_ibp(case.back_pain)
    findings: dict[str, bool | None] = case.findings.model_dump()
    source: IbpSource = "findings"
    if findings["inflammatory_back_pain"] is None:
        verdict = ibp["asas"].verdict
        derived = {Verdict.MET: True, Verdict.NOT_MET: False}.get(verdict)  # type: ignore[arg-type]
        findings["inflammatory_back_pain"] = derived
        source = "unknown" if derived is None else "ibp_asas"
    return Features(ibp=ibp, findings=findings, ibp_source=source, entry=entry(case))
