"""Validated, frozen inputs. Every calculator's inputs subclass ``ClinicalInputs``.

Strict: no unknown fields, no strings or booleans where numbers are asked, no NaN or Infinity,
no silent coercion. Units are part of field names (``crp_mg_l``, ``esr_mm_h``).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "NRS",
    "ClinicalInputs",
    "Count28",
    "CrpMgL",
    "EsrMmH",
    "Finding",
    "Vas100",
]


class ClinicalInputs(BaseModel):
    """Base of every calculator's inputs: frozen, strict, unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


NRS = Annotated[float, Field(ge=0, le=10, description="0–10 numeric rating scale")]
Vas100 = Annotated[float, Field(ge=0, le=100, description="0–100 mm visual analogue scale")]
CrpMgL = Annotated[float, Field(ge=0, description="C-reactive protein in mg/L (≥ 0)")]
EsrMmH = Annotated[float, Field(ge=0, description="erythrocyte sedimentation rate in mm/h (≥ 0)")]
Count28 = Annotated[int, Field(ge=0, le=28, description="joint count of the 28-joint set, 0–28")]
Finding = Annotated[bool | None, Field(description="true, false, or null when unknown")]
