"""ACR 2016 revised fibromyalgia criteria (Wolfe 2016).

**Rule**: all of

1. (WPI ≥ 7 and SSS ≥ 5) or (WPI 4–6 and SSS ≥ 9) — computed as the equivalent
   (WPI ≥ 7 and SSS ≥ 5) or (WPI ≥ 4 and SSS ≥ 9);
2. generalised pain: pain in ≥ 4 of 5 regions, where jaw, chest and abdomen do not count
   towards a region;
3. symptoms generally present for ≥ 3 months.

A diagnosis of fibromyalgia is valid irrespective of other diagnoses.

* Widespread Pain Index (WPI, 0–19): areas painful in the past week. Regions: left upper (jaw,
  shoulder girdle, upper arm, lower arm), right upper (same), left lower (hip/buttock/
  trochanter, upper leg, lower leg), right lower (same), axial (neck, upper back, lower back,
  chest, abdomen).
* Symptom Severity Scale (SSS, 0–12): fatigue, waking unrefreshed, cognitive symptoms, each
  0–3 over the past week, plus 1 each for headaches, pain or cramps in the lower abdomen and
  depression during the previous 6 months.
* Fibromyalgia severity (FS, 0–31) = WPI + SSS.

**Inputs**: 19 site findings (``jaw_left`` … ``abdomen``), ``fatigue``,
``waking_unrefreshed``, ``cognitive_symptoms`` (integers 0–3), three symptom findings and
``symptoms_duration_months``. Unknown sites and items stay unknown (never zero).

**Interpretation**: ``score`` is the WPI; ``components`` hold WPI, SSS, painful regions and FS
(known values, with the maximum still reachable). Decision support, not a diagnosis.

**References**: Wolfe 2016 (Semin Arthritis Rheum 46:319).

**Example**: neck, lower back, both shoulders, both hips, left upper leg, right lower arm
(WPI 8, 5 regions), SSS 6, 6 months → met, FS 14 (clinical.md A36 [C]).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._logic import Outcome, all_of, any_of, item
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.criteria._common import (
    count_at_least,
    count_true,
    criteria_result,
    finding,
    labelled,
    measure,
    numeric_item,
)
from immunospine.knowledge.criteria._references import WOLFE_2016_FIBROMYALGIA

DURATION_AT_LEAST_MONTHS = 3
REGIONS_NEEDED = 4
REGIONS: dict[str, tuple[str, ...]] = {
    "left upper": ("jaw_left", "shoulder_girdle_left", "upper_arm_left", "lower_arm_left"),
    "right upper": ("jaw_right", "shoulder_girdle_right", "upper_arm_right", "lower_arm_right"),
    "left lower": ("hip_left", "upper_leg_left", "lower_leg_left"),
    "right lower": ("hip_right", "upper_leg_right", "lower_leg_right"),
    "axial": ("neck", "upper_back", "lower_back", "chest", "abdomen"),
}
NOT_COUNTED_FOR_REGIONS = frozenset({"jaw_left", "jaw_right", "chest", "abdomen"})
SEVERITY_ITEMS = ("fatigue", "waking_unrefreshed", "cognitive_symptoms")
SOMATIC_ITEMS = ("headaches", "lower_abdominal_pain_or_cramps", "depression")
SITES = tuple(site for sites in REGIONS.values() for site in sites)


def _site() -> Any:
    return finding("pain in this area during the past week")


def _severity(what: str) -> Any:
    return Field(
        default=None,
        ge=0,
        le=3,
        description=f"{what} over the past week: 0 no problem, 1 slight or mild, 2 moderate, "
        "3 severe; null when unknown",
    )


class FibromyalgiaInputs(ClinicalInputs):
    jaw_left: bool | None = _site()
    shoulder_girdle_left: bool | None = _site()
    upper_arm_left: bool | None = _site()
    lower_arm_left: bool | None = _site()
    jaw_right: bool | None = _site()
    shoulder_girdle_right: bool | None = _site()
    upper_arm_right: bool | None = _site()
    lower_arm_right: bool | None = _site()
    hip_left: bool | None = finding("pain in the left hip, buttock or trochanter (past week)")
    upper_leg_left: bool | None = _site()
    lower_leg_left: bool | None = _site()
    hip_right: bool | None = finding("pain in the right hip, buttock or trochanter (past week)")
    upper_leg_right: bool | None = _site()
    lower_leg_right: bool | None = _site()
    neck: bool | None = _site()
    upper_back: bool | None = _site()
    lower_back: bool | None = _site()
    chest: bool | None = _site()
    abdomen: bool | None = _site()
    fatigue: int | None = _severity("fatigue")
    waking_unrefreshed: int | None = _severity("waking unrefreshed")
    cognitive_symptoms: int | None = _severity("cognitive symptoms")
    headaches: bool | None = finding("headaches during the previous 6 months")
    lower_abdominal_pain_or_cramps: bool | None = finding(
        "pain or cramps in the lower abdomen during the previous 6 months"
    )
    depression: bool | None = finding("depression during the previous 6 months")
    symptoms_duration_months: float | None = measure(
        "months the symptoms have generally been present (≥ 3 needed)", ge=0
    )


def _at_least(label: str, known: int, possible: int, unknown: tuple[str, ...], n: int) -> Outcome:
    if known >= n:
        return Outcome(Verdict.MET, (f"{label} {known} ≥ {n}",))
    if possible < n:
        reach = f", at most {possible}," if possible > known else ""
        return Outcome(Verdict.NOT_MET, (f"{label} {known}{reach} < {n}",))
    return Outcome(
        Verdict.INDETERMINATE, (f"{label} {known} known, up to {possible} (need {n})",), unknown
    )


def _region(name: str, sites: tuple[str, ...], x: FibromyalgiaInputs) -> Outcome:
    counted = [s for s in sites if s not in NOT_COUNTED_FOR_REGIONS]
    outcome = any_of(*(item(s, getattr(x, s)) for s in counted))
    return Outcome(outcome.verdict, (f"{name} region",), outcome.missing)


def evaluate(x: FibromyalgiaInputs) -> Result:
    sites = {s: getattr(x, s) for s in SITES}
    wpi = sum(v is True for v in sites.values())
    wpi_unknown = tuple(s for s, v in sites.items() if v is None)
    severity = {s: getattr(x, s) for s in SEVERITY_ITEMS}
    somatic = {s: getattr(x, s) for s in SOMATIC_ITEMS}
    sss = sum(v for v in severity.values() if v is not None) + sum(
        v is True for v in somatic.values()
    )
    sss_unknown = tuple(s for s, v in (severity | somatic).items() if v is None)
    wpi_max = wpi + len(wpi_unknown)
    sss_max = sss + 3 * sum(v is None for v in severity.values())
    sss_max += sum(v is None for v in somatic.values())

    def wpi_at_least(n: int) -> Outcome:
        return _at_least("WPI", wpi, wpi_max, wpi_unknown, n)

    def sss_at_least(n: int) -> Outcome:
        return _at_least("SSS", sss, sss_max, sss_unknown, n)

    severity_rule = labelled(
        "WPI/SSS",
        any_of(all_of(wpi_at_least(7), sss_at_least(5)), all_of(wpi_at_least(4), sss_at_least(9))),
    )
    regions = tuple(_region(name, sites_, x) for name, sites_ in REGIONS.items())
    generalised = labelled(
        "generalised pain", count_at_least(REGIONS_NEEDED, regions, what="regions")
    )
    duration = numeric_item(
        "symptoms_duration_months",
        x.symptoms_duration_months,
        holds=lambda v: v >= DURATION_AT_LEAST_MONTHS,
        label="symptom duration months",
        rule=f"≥ {DURATION_AT_LEAST_MONTHS}",
    )
    outcome = all_of(severity_rule, generalised, duration)
    return criteria_result(
        SPEC,
        outcome,
        score=wpi,
        components={
            "wpi": wpi,
            "wpi_max_possible": wpi_max,
            "sss": sss,
            "sss_max_possible": sss_max,
            "painful_regions": count_true(regions),
            "fibromyalgia_severity": wpi + sss,
            "fibromyalgia_severity_max_possible": wpi_max + sss_max,
        },
    )


SPEC = CalculatorSpec(
    name="fibromyalgia_acr_2016",
    version="2016.1",
    title="ACR 2016 revised fibromyalgia criteria",
    kind="criteria",
    inputs=FibromyalgiaInputs,
    compute=evaluate,
    references=(WOLFE_2016_FIBROMYALGIA,),
    score_range=(0.0, 19.0),
    interpretation="Fibromyalgia (ACR 2016) when WPI ≥ 7 and SSS ≥ 5 (or WPI 4-6 and SSS ≥ 9), "
    "pain is generalised (≥ 4 of 5 regions) and symptoms have lasted ≥ 3 months; valid "
    "irrespective of other diagnoses. Decision support, not a diagnosis.",
    unverified=(
        "fibromyalgia severity (WPI + SSS) follows the 2011 modification; its use in the 2016 "
        "paper (FS ≥ 12) is not yet checked against the paper, and no FS cut-off is applied here",
    ),
)
