"""A person's treatment state: the input of ``treatment_options`` (JSON names are a contract).

The names and allowed values follow issue 12: ``diagnosis``, the latest activity scores
(``asdas``, ``basdai``, ``das28``, ``cdai``), ``crp_mg_l``, imaging, NSAID trials, the current and
past advanced or conventional therapies (drug classes and stop reasons as in the CSV format,
docs/reference/csv-format.md), extra-musculoskeletal manifestations, peripheral arthritis,
contraindications and the STarT Back risk group. A few optional fields extend the contract
(``poor_prognostic_factors``, ``pain_duration_weeks``, ``age_years``); nothing is renamed.

Every field but ``diagnosis`` may be ``null`` (or left out): unknown, never read as "no" or as
zero. An empty list means "none". Unknown fields, unknown values and out-of-range numbers raise
``InputError`` naming the field, the value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from immunospine.errors import InputError

__all__ = [
    "CONTRAINDICATIONS",
    "DIAGNOSES",
    "DRUG_CLASSES",
    "EXTRA_MUSCULOSKELETAL",
    "STOP_REASONS",
    "CurrentTherapy",
    "PastTherapy",
    "TreatmentState",
    "parse_state",
]

Diagnosis = Literal[
    "axspa", "psa", "ra", "ibd_spa", "nonspecific_low_back_pain", "chronic_primary_pain"
]
DrugClass = Literal[
    "nsaid",
    "csdmard",
    "tnf_inhibitor",
    "il17_inhibitor",
    "il23_inhibitor",
    "il6_inhibitor",
    "jak_inhibitor",
    "ctla4_fusion",
    "anti_cd20",
    "glucocorticoid",
    "analgesic",
    "other",
]
"""The CSV format's ``drug_class`` values (``records.DrugClass``; a test keeps them equal)."""
StopReason = Literal[
    "inefficacy",
    "loss_of_response",
    "adverse_event",
    "remission",
    "patient_choice",
    "pregnancy",
    "cost_or_access",
    "course_completed",
    "other",
]
"""The CSV format's ``stop_reason`` values (``records.StopReason``; a test keeps them equal)."""
ExtraMusculoskeletal = Literal["uveitis", "ibd", "psoriasis"]
Contraindication = Literal[
    "serious_infection",
    "latent_tuberculosis",
    "cancer_history",
    "pregnancy",
    "heart_failure",
    "demyelinating_disease",
    "nsaid_contraindicated",
    "methotrexate_contraindicated",
    "jak_risk_factors",
]
"""``jak_risk_factors``: age 65 or over, current or long-time past smoking, raised cardiovascular,
cancer or venous-thromboembolism risk (the EMA 2023 restriction)."""
StartBackRisk = Literal["low", "medium", "high"]

DIAGNOSES: tuple[str, ...] = get_args(Diagnosis)
DRUG_CLASSES: tuple[str, ...] = get_args(DrugClass)
STOP_REASONS: tuple[str, ...] = get_args(StopReason)
EXTRA_MUSCULOSKELETAL: tuple[str, ...] = get_args(ExtraMusculoskeletal)
CONTRAINDICATIONS: tuple[str, ...] = get_args(Contraindication)

ADVANCED = frozenset(
    {
        "tnf_inhibitor",
        "il17_inhibitor",
        "il23_inhibitor",
        "il6_inhibitor",
        "jak_inhibitor",
        "ctla4_fusion",
        "anti_cd20",
    }
)
"""Biological and targeted synthetic DMARD classes (b/tsDMARDs)."""
FAILED = frozenset({"inefficacy", "loss_of_response", "adverse_event"})
"""Stop reasons that count as a failure of the drug (no effect, lost effect, not tolerated)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


class CurrentTherapy(_Frozen):
    """A therapy taken now: its class, how long so far and the activity score when it began."""

    drug_class: DrugClass = Field(description="drug class as in the CSV format")
    weeks: Annotated[
        float | None, Field(ge=0, le=5200, description="weeks on it so far, 0–5200")
    ] = None
    score_at_start: Annotated[
        float | None,
        Field(
            ge=0, le=100, description="the disease's activity score when it began (ASDAS, DAS28)"
        ),
    ] = None


class PastTherapy(_Frozen):
    """A therapy stopped: its class and why it stopped."""

    drug_class: DrugClass = Field(description="drug class as in the CSV format")
    stop_reason: StopReason | None = Field(default=None, description="why it stopped (CSV format)")


class TreatmentState(_Frozen):
    """Where a person stands; ``null`` = unknown (see the module docstring)."""

    diagnosis: Diagnosis = Field(description="the diagnosis whose pathway applies")
    asdas: Annotated[float | None, Field(ge=0, le=15, description="latest ASDAS, 0–15")] = None
    basdai: Annotated[float | None, Field(ge=0, le=10, description="latest BASDAI, 0–10")] = None
    das28: Annotated[float | None, Field(ge=0, le=10, description="latest DAS28, 0–10")] = None
    cdai: Annotated[float | None, Field(ge=0, le=76, description="latest CDAI, 0–76")] = None
    crp_mg_l: Annotated[float | None, Field(ge=0, description="latest CRP in mg/L (≥ 0)")] = None
    mri_active_sacroiliitis: bool | None = Field(
        default=None, description="MRI shows active inflammation of the sacroiliac joints"
    )
    radiographic_sacroiliitis: bool | None = Field(
        default=None, description="X-ray shows sacroiliitis (modified New York grade)"
    )
    nsaids_tried: Annotated[
        int | None, Field(ge=0, le=50, description="how many different NSAIDs were tried, 0–50")
    ] = None
    nsaid_trial_weeks: Annotated[
        float | None, Field(ge=0, le=5200, description="weeks of NSAID treatment in total")
    ] = None
    current: tuple[CurrentTherapy, ...] | None = Field(
        default=None, description="therapies taken now; [] = none"
    )
    past: tuple[PastTherapy, ...] | None = Field(
        default=None, description="therapies stopped; [] = none"
    )
    extra_musculoskeletal: tuple[ExtraMusculoskeletal, ...] | None = Field(
        default=None, description="uveitis, ibd, psoriasis; [] = none of them"
    )
    peripheral_arthritis: bool | None = Field(default=None, description="swollen joints")
    contraindications: tuple[Contraindication, ...] | None = Field(
        default=None, description="what rules drugs out or needs care first; [] = none"
    )
    start_back_risk: StartBackRisk | None = Field(
        default=None, description="STarT Back risk group: low, medium or high"
    )
    poor_prognostic_factors: bool | None = Field(
        default=None,
        description="RA/PsA: autoantibodies, high activity, early erosions or two csDMARDs failed",
    )
    pain_duration_weeks: Annotated[
        float | None, Field(ge=0, le=5200, description="how long the pain has lasted, in weeks")
    ] = None
    age_years: Annotated[int | None, Field(ge=16, le=120, description="age in years, 16–120")] = (
        None
    )

    def has(self, field: str, value: str) -> bool | None:
        """Whether list field ``field`` holds ``value``; None when the list is unknown."""
        items = getattr(self, field)
        return None if items is None else value in items


def parse_state(data: Mapping[str, Any]) -> TreatmentState:
    """Validate a JSON object as a ``TreatmentState``; ``InputError`` naming every bad field.

    JSON arrays become tuples; everything else is taken strictly (no "3" for 3, no 1 for true).
    """
    if not isinstance(data, Mapping):
        raise InputError.single((), "must be a JSON object", data, context="treatment state")
    try:
        return TreatmentState.model_validate(_tuples(dict(data)))
    except ValidationError as exc:
        raise InputError.from_validation(
            exc, context="treatment state", model=TreatmentState
        ) from None


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value
