"""BASDAI — Bath Ankylosing Spondylitis Disease Activity Index.

**Formula**: ``(q1 + q2 + q3 + q4 + (q5 + q6) / 2) / 5``, range 0–10.

**Inputs** (past week, 0–10 NRS; ASAS prefers NRS to the original 10 cm VAS): q1 fatigue;
q2 neck, back or hip pain; q3 pain or swelling in other joints; q4 discomfort from areas tender to
touch or pressure; q5 severity of morning stiffness; q6 duration of morning stiffness
(0 = none, 5 = 1 hour, 10 = 2 hours or more).

**Interpretation**: ≥ 4 is the conventional "active disease" threshold of the ASAS anti-TNF
recommendations; it is not a validated disease-activity state system (use ASDAS for states).
No missing-item rule is published, so every item is required.

**References**: Garrett 1994 (J Rheumatol 21:2286).

**Example**: q1..q6 = 2, 10, 7, 1, 9, 3 → (20 + 6) / 5 = 5.2 (CamCOPS unit test).
"""

from __future__ import annotations

from immunospine.knowledge._inputs import NRS, ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, bands_from_cutoffs
from immunospine.knowledge._types import Result
from immunospine.knowledge.references import GARRETT_1994_BASDAI


class BasdaiInputs(ClinicalInputs):
    q1: NRS
    q2: NRS
    q3: NRS
    q4: NRS
    q5: NRS
    q6: NRS


def score(x: BasdaiInputs) -> Result:
    stiffness = (x.q5 + x.q6) / 2
    value = (x.q1 + x.q2 + x.q3 + x.q4 + stiffness) / 5
    return SPEC.result(
        score=value,
        components={"q1": x.q1, "q2": x.q2, "q3": x.q3, "q4": x.q4, "morning_stiffness": stiffness},
    )


SPEC = CalculatorSpec(
    name="basdai",
    version="1994.1",
    title="Bath Ankylosing Spondylitis Disease Activity Index (BASDAI)",
    kind="instrument",
    inputs=BasdaiInputs,
    compute=score,
    references=(GARRETT_1994_BASDAI,),
    # Not a disease-activity state system: the contract gives BASDAI no categories. The ≥ 4
    # "active" threshold is reported in components by faces that need it, not as a category.
    score_range=(0.0, 10.0),
    interpretation="0–10, higher is more active; ≥ 4 is the conventional threshold for active "
    "disease (ASAS anti-TNF recommendations). Not a disease-activity state system.",
)

# Kept for faces that show the conventional threshold; see the module docstring.
ACTIVE_THRESHOLD = 4.0
ACTIVE_BANDS = bands_from_cutoffs(
    ("not_active", "active"), (ACTIVE_THRESHOLD,), upper_inclusive=(False,)
)
