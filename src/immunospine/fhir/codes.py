"""Code systems, URLs and LOINC codes used by the FHIR R4 mapping (one place, nothing else).

LOINC codes come from the project's clinical reference (clinical.md §10, omop-and-data.md §4.2).
Instruments without a LOINC code (BASDAI, ASDAS, BASFI, DAS28, RMDQ, STarT Back, …) are coded in
the immunospine instrument CodeSystem with the calculator name as the code. The quantitative RF
(11572-5) and anti-CCP (32218-0) codes, [M] in the reference, were checked for issue 14 in public
LOINC mapping tables (code corpus): 11572-5 "Rheumatoid factor [Units/volume] in Serum or
Plasma" (example unit [IU]/mL), 32218-0 "Cyclic citrullinated peptide Ab [Units/volume] in Serum
by Immunoassay" (example unit [arb'U]/mL: the record's "U/mL" is sent as UCUM "U/mL", which
strictly means enzyme units — a data engineer should decide on [arb'U]/mL). Not a LOINC release
itself: check against the current release before shipping.
"""

from __future__ import annotations

from immunospine.records import (
    DrugClass,
    ImagingModality,
    InterventionKind,
    LabTest,
    StopReason,
)

__all__ = [
    "BASE",
    "BUNDLE_IDENTIFIER_SYSTEM",
    "CATEGORY_SYSTEM",
    "CODE_SYSTEMS",
    "CONDITION_SYSTEM",
    "CRITERIA_MET_URL",
    "DIARY_SYSTEM",
    "DRUG_CLASS_SYSTEM",
    "DURATION_URL",
    "IMAGING_SYSTEM",
    "INPUT_SHAPE_URL",
    "INSTRUMENT_SYSTEM",
    "INTERVENTION_SYSTEM",
    "LAB_LOINC",
    "LAB_SYSTEM",
    "LOINC",
    "OBSERVATION_CATEGORY",
    "PATIENT_IDENTIFIER_SYSTEM",
    "QUESTIONNAIRE_BASE",
    "SCORE_LOINC",
    "STOP_REASON_SYSTEM",
    "UCUM",
    "UCUM_OF_UNIT",
    "loinc_test",
]

BASE = "https://immunospine.org/fhir"
INSTRUMENT_SYSTEM = f"{BASE}/CodeSystem/instruments"
CATEGORY_SYSTEM = f"{BASE}/CodeSystem/score-categories"
CONDITION_SYSTEM = f"{BASE}/CodeSystem/conditions"
DRUG_CLASS_SYSTEM = f"{BASE}/CodeSystem/drug-classes"
STOP_REASON_SYSTEM = f"{BASE}/CodeSystem/stop-reasons"
INTERVENTION_SYSTEM = f"{BASE}/CodeSystem/interventions"
IMAGING_SYSTEM = f"{BASE}/CodeSystem/imaging"
DIARY_SYSTEM = f"{BASE}/CodeSystem/diary"
LAB_SYSTEM = f"{BASE}/CodeSystem/labs"
QUESTIONNAIRE_BASE = f"{BASE}/Questionnaire"
PATIENT_IDENTIFIER_SYSTEM = f"{BASE}/NamingSystem/patient-pseudonym"
BUNDLE_IDENTIFIER_SYSTEM = f"{BASE}/NamingSystem/export"
CRITERIA_MET_URL = f"{BASE}/StructureDefinition/criteria-met"
INPUT_SHAPE_URL = f"{BASE}/StructureDefinition/input-shape"
DURATION_URL = f"{BASE}/StructureDefinition/duration"

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

SCORE_LOINC: dict[str, str] = {
    "pain_nrs": "72514-3",
    "haq_di": "75874-8",
    "cdai": "75847-4",
    "sdai": "75845-8",
    "odi": "97909-6",
}
"""Calculators whose total score has a LOINC code; every other one uses ``INSTRUMENT_SYSTEM``."""

LAB_LOINC: dict[LabTest, str] = {
    LabTest.CRP: "1988-5",
    LabTest.ESR: "30341-2",
    LabTest.HLA_B27: "26028-1",
    LabTest.RHEUMATOID_FACTOR: "11572-5",
    LabTest.ANTI_CCP: "32218-0",
}

UCUM_OF_UNIT: dict[str, str] = {"mg/L": "mg/L", "mm/h": "mm/h", "IU/mL": "[IU]/mL", "U/mL": "U/mL"}
"""Record unit → UCUM code (the record's unit is kept as ``Quantity.unit``)."""


def loinc_test(code: str) -> LabTest | None:
    """The lab test whose LOINC code is ``code``, if any."""
    for test, loinc in LAB_LOINC.items():
        if loinc == code:
            return test
    return None


# Every enum's value is its code in its CodeSystem; listed here so the docs can name them.
CODE_SYSTEMS: dict[str, tuple[str, ...]] = {
    DRUG_CLASS_SYSTEM: tuple(c.value for c in DrugClass),
    STOP_REASON_SYSTEM: tuple(c.value for c in StopReason),
    INTERVENTION_SYSTEM: tuple(c.value for c in InterventionKind),
    IMAGING_SYSTEM: tuple(c.value for c in ImagingModality),
}
