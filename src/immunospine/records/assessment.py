"""An assessment: one calculator result stored with everything needed to recompute and audit it.

The raw ``inputs`` are kept exactly as validated by the knowledge core, together with the
calculator ``name`` and the instrument ``version`` that scored them. A later spec version therefore
produces a new derived value instead of silently rewriting history: recompute with
``immunospine.knowledge.calculate(a.calculator, **a.inputs)`` and compare ``version``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import Field, field_validator

from immunospine.knowledge import Result
from immunospine.records._base import RecordModel, latest_allowed_date
from immunospine.records.patient import PatientId

__all__ = ["Assessment"]


class Assessment(RecordModel):
    """A scored questionnaire, index or criteria evaluation for one patient on one date.

    Attributes:
        id: database id, ``None`` until stored.
        patient_id: the patient's pseudonym.
        assessed_on: the clinical date of the visit or questionnaire.
        calculator: registry name, e.g. ``"asdas_crp"``, ``"basdai"``.
        version: the calculator spec version that produced ``score`` and ``category``.
        inputs: the raw inputs as given to the calculator (JSON-compatible).
        score: the exact, unrounded score (``None`` for verdict-only criteria).
        category: the band label, e.g. ``"high"`` (``None`` when the calculator has none).
        result: the full contract result (``Result.to_dict()``): components, citation, verdict.
    """

    RECORD = "assessment"

    id: int | None = None
    patient_id: PatientId
    assessed_on: date
    calculator: str = Field(min_length=1, max_length=64)
    version: str = Field(min_length=1, max_length=32)
    inputs: dict[str, Any]
    score: float | None
    category: str | None = Field(max_length=64)
    result: dict[str, Any]

    @field_validator("assessed_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > latest_allowed_date():
            raise ValueError("is in the future")
        return value

    @classmethod
    def of(
        cls, patient_id: str, assessed_on: date, inputs: dict[str, Any], result: Result
    ) -> Assessment:
        """The assessment recording ``result``, computed from ``inputs`` on ``assessed_on``."""
        return cls(
            patient_id=patient_id,
            assessed_on=assessed_on,
            calculator=result.name,
            version=result.version,
            inputs=dict(inputs),
            score=result.score,
            category=result.category,
            result=result.to_dict(),
        )
