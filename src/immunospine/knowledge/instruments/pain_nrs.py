"""Pain NRS — pain intensity on the 11-point 0–10 numeric rating scale.

**Formula**: the patient's rating itself (0 = no pain, 10 = worst pain imaginable).

**Inputs**: ``pain``, an integer 0–10 (LOINC 72514-3 "Pain severity – 0-10 verbal numeric
rating"). Record the recall period with the value (BASDAI/ASDAS items: past week; STarT Back:
2 weeks; RMDQ: today). A 0–100 mm VAS is not an NRS: convert (÷ 10) only where recorded.

**Interpretation** (severity bands of the HL7 score catalogue, with their SNOMED CT codes):
0 no pain (301379001); 1–3 mild (40196000); 4–6 moderate (50415004); 7–9 severe (76948002);
10 excruciating (67849003). A change of about 2 points or about 30 % is clinically important
(Farrar 2001, pooled chronic-pain trials including chronic low back pain).

**References**: HL7 pain score catalogue (hl7.eu/scores/PAIN.htm); Farrar 2001.

**Example**: 6 → moderate (SNOMED CT 50415004).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference, bands_from_cutoffs
from immunospine.knowledge._types import Result

HL7_PAIN_SCORE = Reference(
    "HL7 Europe score catalogue: Pain severity 0-10 numeric rating scale, interpretation bands "
    "(hl7.eu/scores/PAIN.htm)",
)
FARRAR_2001_PAIN_NRS = Reference(
    "Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of changes in "
    "chronic pain intensity measured on an 11-point numerical pain rating scale. "
    "Pain 2001;94:149-58",
    doi="10.1016/S0304-3959(01)00349-9",
    pmid="11690728",
)

BANDS = bands_from_cutoffs(
    ("no_pain", "mild", "moderate", "severe", "excruciating"),
    (1.0, 4.0, 7.0, 10.0),
    upper_inclusive=(False, False, False, False),
)
"""0 no pain; 1–3 mild; 4–6 moderate; 7–9 severe; 10 excruciating."""

SNOMED_CT = {
    "no_pain": "301379001",
    "mild": "40196000",
    "moderate": "50415004",
    "severe": "76948002",
    "excruciating": "67849003",
}
"""SNOMED CT interpretation code of each band (HL7 score catalogue)."""

CLINICALLY_IMPORTANT_CHANGE_POINTS = 2
CLINICALLY_IMPORTANT_CHANGE_PERCENT = 30


class PainNrsInputs(ClinicalInputs):
    pain: Annotated[
        int, Field(ge=0, le=10, description="pain intensity, integer 0–10 (0 = no pain)")
    ]


def score(x: PainNrsInputs) -> Result:
    category = BANDS.classify(x.pain)
    return SPEC.result(
        score=float(x.pain),
        category=category,
        components={"snomed_ct_interpretation": SNOMED_CT[category]},
    )


SPEC = CalculatorSpec(
    name="pain_nrs",
    version="2001.1",
    title="Pain intensity, 11-point numeric rating scale (NRS 0–10)",
    kind="instrument",
    inputs=PainNrsInputs,
    compute=score,
    references=(HL7_PAIN_SCORE, FARRAR_2001_PAIN_NRS),
    bands=BANDS,
    score_range=(0.0, 10.0),
    interpretation="0 no pain, 1–3 mild, 4–6 moderate, 7–9 severe, 10 excruciating. A change "
    "of about 2 points or 30 % is clinically important (Farrar 2001).",
    notes="The HL7 score catalogue is a web page without a DOI or PMID.",
)
