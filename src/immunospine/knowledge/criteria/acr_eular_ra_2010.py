"""2010 ACR/EULAR classification criteria for rheumatoid arthritis.

**Rule**: target population (entry) — ≥ 1 joint with definite clinical synovitis (swelling),
not better explained by another disease. Then add the highest category of each domain; RA when
the total is ≥ 6 of 10:

* A. joints (swollen or tender; DIP, first CMC and first MTP joints excluded): 1 large 0;
  2–10 large 1; 1–3 small 2; 4–10 small 3; > 10 joints with ≥ 1 small 5. Large joints:
  shoulders, elbows, hips, knees, ankles. Small: MCPs, PIPs, MTPs 2–5, thumb IPs, wrists.
  "Other" joints (e.g. temporomandibular, acromioclavicular, sternoclavicular) count only
  towards "> 10 joints";
* B. serology: RF and ACPA both negative 0; either low-positive (> ULN, ≤ 3 × ULN) 2; either
  high-positive (> 3 × ULN) 3;
* C. acute-phase reactants: CRP and ESR normal 0; either abnormal 1;
* D. symptom duration: < 6 weeks 0; ≥ 6 weeks 1.

At least one serology test and one acute-phase test are needed. So a domain is scored from
the test(s) that were done; when *both* tests of a domain are missing it is unknown (0–3 or
0–1 points) and the verdict is ``indeterminate`` (``insufficient_data``) unless the other
domains already reach 6 or could not reach 6 at all. Other unknown inputs (joint counts,
duration) are likewise unknown, never zero.

**Inputs**: ``large_joints_involved`` (0–10), ``small_joints_involved`` and
``other_joints_involved`` (integers ≥ 0), ``rheumatoid_factor`` and ``acpa`` (``negative``,
``low_positive``, ``high_positive``), ``crp_abnormal``, ``esr_abnormal``,
``symptom_duration_weeks``, and the two target-population findings.

**Interpretation**: ``ra`` (≥ 6), ``not_ra``, ``insufficient_data`` (indeterminate) or
``not_applicable`` (target population not met). Classification, not a diagnosis. The
shortcut for erosive disease typical of RA is not implemented.

**References**: Aletaha 2010 (Arthritis Rheum 62:2569; Ann Rheum Dis 69:1580).

**Example**: 3 MCPs + 1 knee (2), RF 4 × ULN (3), CRP raised (1), 8 weeks (1) → 7, ``ra``
(clinical.md A30 [C]).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Literal

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._logic import all_of, item
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.criteria._common import (
    Domain,
    absent_item,
    criteria_result,
    finding,
    labelled,
    measure,
    sum_at_least,
)
from immunospine.knowledge.criteria._references import ALETAHA_2010_RA

POINTS_NEEDED = 6
MAX_LARGE_JOINTS = 10
MORE_THAN_JOINTS = 10
DURATION_AT_LEAST_WEEKS = 6
SEROLOGY_POINTS = {"negative": 0, "low_positive": 2, "high_positive": 3}
CATEGORIES = ("ra", "not_ra", "insufficient_data", "not_applicable")

Serology = Literal["negative", "low_positive", "high_positive"]
_SEROLOGY_DOC = (
    "negative (≤ upper limit of normal), low_positive (> ULN, ≤ 3 × ULN) or high_positive "
    "(> 3 × ULN); null when not tested"
)


class AcrEularRa2010Inputs(ClinicalInputs):
    synovitis_in_at_least_one_joint: bool | None = finding(
        "at least one joint with definite clinical synovitis (swelling)"
    )
    other_disease_better_explains_synovitis: bool | None = finding(
        "the synovitis is better explained by another disease (e.g. SLE, psoriatic arthritis, gout)"
    )
    large_joints_involved: int | None = measure(
        "number of swollen or tender large joints (shoulders, elbows, hips, knees, ankles)",
        ge=0,
        le=MAX_LARGE_JOINTS,
    )
    small_joints_involved: int | None = measure(
        "number of swollen or tender small joints (MCPs, PIPs, MTPs 2-5, thumb IPs, wrists)", ge=0
    )
    other_joints_involved: int | None = measure(
        "number of other involved joints (e.g. temporomandibular, acromioclavicular, "
        "sternoclavicular); they count only towards '> 10 joints'",
        ge=0,
    )
    rheumatoid_factor: Serology | None = Field(
        default=None, description=f"rheumatoid factor: {_SEROLOGY_DOC}"
    )
    acpa: Serology | None = Field(
        default=None, description=f"anti-citrullinated protein antibody: {_SEROLOGY_DOC}"
    )
    crp_abnormal: bool | None = finding("CRP abnormal by the local laboratory's standard")
    esr_abnormal: bool | None = finding("ESR abnormal by the local laboratory's standard")
    symptom_duration_weeks: float | None = measure(
        "patient-reported duration of synovitis symptoms in weeks (≥ 6 scores 1)", ge=0
    )


def joint_points(large: int, small: int, other: int) -> int:
    """Domain A: the highest category reached by these counts."""
    if small >= 1 and large + small + other > MORE_THAN_JOINTS:
        return 5
    if small >= 4:
        return 3
    if small >= 1:
        return 2
    return 1 if large >= 2 else 0


def _joint_domain(x: AcrEularRa2010Inputs) -> Domain:
    """Domain A over every value the unknown counts could take (beyond 11 nothing changes)."""
    counts = {
        "large_joints_involved": x.large_joints_involved,
        "small_joints_involved": x.small_joints_involved,
        "other_joints_involved": x.other_joints_involved,
    }
    upper = {"large_joints_involved": MAX_LARGE_JOINTS}
    ranges = [
        (v,) if v is not None else range(upper.get(k, MORE_THAN_JOINTS + 1) + 1)
        for k, v in counts.items()
    ]
    points = {combo: joint_points(*combo) for combo in itertools.product(*ranges)}
    known, possible = min(points.values()), max(points.values())
    unknown = tuple(
        name
        for i, (name, value) in enumerate(counts.items())
        if value is None and _can_change(points, i, ranges[i][0], ranges[i][-1])
    )
    label = f"joints ({known}-{possible} points)" if known != possible else "joints"
    return Domain(label, known, possible, unknown)


def _can_change(points: dict[tuple[int, ...], int], index: int, lo: int, hi: int) -> bool:
    """Whether moving count ``index`` from ``lo`` to ``hi`` changes the points somewhere.

    Joint points never fall when a count rises, so comparing the two ends is enough.
    """
    return any(
        points[c] != points[(*c[:index], hi, *c[index + 1 :])] for c in points if c[index] == lo
    )


def _either_test(
    label: str, names: tuple[str, str], points: Sequence[int | None], most: int
) -> Domain:
    """A domain scored from whichever of its two tests was done; unknown when neither was."""
    done = [p for p in points if p is not None]
    if not done:
        return Domain(label, 0, most, names)
    return Domain(label, max(done), max(done))


def evaluate(x: AcrEularRa2010Inputs) -> Result:
    entry = labelled(
        "target population",
        all_of(
            item(
                "synovitis_in_at_least_one_joint",
                x.synovitis_in_at_least_one_joint,
                label="synovitis in ≥ 1 joint",
            ),
            absent_item(
                "other_disease_better_explains_synovitis",
                x.other_disease_better_explains_synovitis,
                present="synovitis better explained by another disease",
                absent="not better explained by another disease",
            ),
        ),
    )
    rf, acpa = x.rheumatoid_factor, x.acpa
    domains = (
        _joint_domain(x),
        _either_test(
            "serology",
            ("rheumatoid_factor", "acpa"),
            tuple(None if t is None else SEROLOGY_POINTS[t] for t in (rf, acpa)),
            3,
        ),
        _either_test(
            "acute-phase reactants",
            ("crp_abnormal", "esr_abnormal"),
            tuple(None if t is None else int(t) for t in (x.crp_abnormal, x.esr_abnormal)),
            1,
        ),
        Domain("symptom duration", 0, 1, ("symptom_duration_weeks",))
        if x.symptom_duration_weeks is None
        else Domain(
            "symptom duration",
            int(x.symptom_duration_weeks >= DURATION_AT_LEAST_WEEKS),
            int(x.symptom_duration_weeks >= DURATION_AT_LEAST_WEEKS),
        ),
    )
    score = sum_at_least(POINTS_NEEDED, domains, what="points")
    outcome = all_of(entry, score)
    untested = [
        name
        for name, value, partner in (
            ("rheumatoid_factor", rf, acpa),
            ("acpa", acpa, rf),
            ("crp_abnormal", x.crp_abnormal, x.esr_abnormal),
            ("esr_abnormal", x.esr_abnormal, x.crp_abnormal),
        )
        if value is None and partner is not None
    ]
    category = {
        Verdict.MET: "ra",
        Verdict.INDETERMINATE: "insufficient_data",
        Verdict.NOT_MET: "not_applicable" if entry.verdict is Verdict.NOT_MET else "not_ra",
    }[outcome.verdict]
    return criteria_result(
        SPEC,
        outcome,
        score=sum(d.known for d in domains),
        category=category,
        components={
            "points_needed": POINTS_NEEDED,
            "points_max_possible": sum(d.possible for d in domains),
            "target_population": entry.verdict,
            "untested_second_test": untested,
        },
    )


SPEC = CalculatorSpec(
    name="acr_eular_ra_2010",
    version="2010.1",
    title="2010 ACR/EULAR classification criteria for rheumatoid arthritis",
    kind="criteria",
    inputs=AcrEularRa2010Inputs,
    compute=evaluate,
    references=(ALETAHA_2010_RA,),
    categories=CATEGORIES,
    score_range=(0.0, 10.0),
    interpretation="Rheumatoid arthritis (ACR/EULAR 2010) when, in a patient with synovitis of "
    "≥ 1 joint not better explained by another disease, joints + serology + acute-phase "
    "reactants + duration score ≥ 6 of 10. Classification, not a diagnosis.",
    unverified=(
        "high-positive serology is '> 3 × ULN' in the original (from memory)",
        "a qualitative positive RF is scored as low-positive (from memory); give "
        "rheumatoid_factor = 'low_positive' for it",
        "'abnormal' CRP/ESR by local laboratory standards (from memory)",
        "symptom duration is patient-reported, regardless of treatment (from memory)",
        "joint involvement may be confirmed by imaging (from memory)",
    ),
)
