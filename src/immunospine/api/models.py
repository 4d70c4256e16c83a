"""Response shapes of the open routes, for the OpenAPI document (documentation and tests).

The routes answer with the services' own JSON (``result_json``, ``TriageResult.to_dict``), so
these models describe it without re-validating every answer; extra fields are allowed (the
contracts add fields freely, never rename them).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CalculatorInfo",
    "CalculatorResult",
    "ErrorBody",
    "ErrorEnvelope",
    "Health",
    "Problem",
    "TriageAssessment",
]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Health(BaseModel):
    status: Literal["ok"] = Field(description="the server answers")
    version: str = Field(description="immunospine's version")
    database: Literal["ok", "unavailable"] = Field(
        description="whether the patient database can be opened (it is never created here)"
    )


class CalculatorInfo(_Open):
    name: str
    version: str
    title: str
    kind: str
    categories: list[str]
    bands: list[dict[str, Any]] | None
    score_range: list[float] | None
    interpretation: str | None
    citation: str
    references: list[dict[str, Any]]
    unverified: list[str]
    input_schema: dict[str, Any] = Field(description="JSON Schema of the inputs (the body)")
    batch: bool


class CalculatorResult(_Open):
    name: str
    version: str
    score: float | None = Field(description="the score; null when inputs are missing")
    category: str | None
    components: dict[str, Any]
    missing: list[str] = Field(description="inputs that were needed but not given")
    interpretation: str | None
    citation: str
    verdict: str | None = Field(default=None, description="criteria: met, not_met, indeterminate")
    because: list[str]
    unverified: list[str] = Field(
        default=[],
        description="facts this calculator uses that are not yet confirmed in a source (issue 14)",
    )


class TriageAssessment(_Open):
    urgency: str
    red_flags: list[dict[str, Any]]
    inflammatory_back_pain: dict[str, Any]
    axspa: dict[str, Any]
    referral: dict[str, Any]
    considerations: list[dict[str, Any]]
    explanation: str
    disclaimer: str


class Problem(_Open):
    loc: list[str | int] = Field(description='where: ["body", "crp_mg_l"], ["body"], …')
    msg: str = Field(description="what is wrong and what is allowed, as the command line says")
    value: Any = Field(default=None, description="the value received (absent when none)")


class ErrorBody(BaseModel):
    type: str = Field(
        description="input_error, not_found, unauthorized, forbidden, conflict, rate_limited, "
        "method_not_allowed or server_error"
    )
    message: str
    problems: list[Problem]


class ErrorEnvelope(BaseModel):
    error: ErrorBody
