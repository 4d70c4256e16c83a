"""What the planner is given: ``PlanRequest``, and ``parse_request`` for plain data.

Every field has one type and a stated range; a value outside it, an unknown diagnosis, an unknown
session id (in ``prefer``, ``avoid``, ``done`` or ``missed``) or an unknown red-flag id is an
``InputError`` naming the field, the value and what is allowed. Missing scores stay missing
(``None``): the planner says what it assumed instead of reading them as zero.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from immunospine.errors import InputError
from immunospine.knowledge.programme.catalogue import catalogue
from immunospine.knowledge.reasoning import red_flags

__all__ = [
    "FALL_RED_FLAG",
    "Diagnosis",
    "DoneSession",
    "MissedSession",
    "PlanRequest",
    "parse_request",
    "red_flag_ids",
]

FALL_RED_FLAG = "new_pain_after_fall"
"""The programme's own red flag: new spinal pain after a fall (fracture in a stiff spine)."""

Diagnosis = Literal[
    "axspa",
    "pspa",
    "psa",
    "ibd_spa",
    "ra",
    "nonspecific_low_back_pain",
    "mechanical_back_pain",
    "chronic_primary_pain",
    "fibromyalgia",
    "other",
]


def _known_session(value: str) -> str:
    known = catalogue().by_id()
    if value not in known:
        raise ValueError(f"is not a session of the programme; allowed: {', '.join(sorted(known))}")
    return value


def red_flag_ids() -> tuple[str, ...]:
    """Red-flag ids the planner accepts: the triage red flags and ``new_pain_after_fall``."""
    return (*sorted(red_flags.catalogue().items), FALL_RED_FLAG)


def _known_red_flag(value: str) -> str:
    if value not in red_flag_ids():
        raise ValueError(f"is not a red flag; allowed: {', '.join(red_flag_ids())}")
    return value


SessionId = Annotated[str, AfterValidator(_known_session)]
RedFlagId = Annotated[str, AfterValidator(_known_red_flag)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DoneSession(_Strict):
    """A session logged as done."""

    session: SessionId
    on: date
    minutes: int | None = Field(default=None, ge=1, le=1440, description="minutes, 1–1440")


class MissedSession(_Strict):
    """A planned session logged as missed, with the reason given."""

    session: SessionId
    on: date
    reason: str = Field(min_length=1, max_length=200, description="why, 1–200 characters")


class PlanRequest(_Strict):
    """A person's situation for one week of the programme."""

    diagnosis: Diagnosis
    programme_start: date = Field(description="the first day of week 1")
    week: int = Field(ge=1, le=520, description="programme week, 1–520")
    minutes_per_week: int | None = Field(
        default=None,
        ge=10,
        le=1680,
        description="minutes the person has for the programme each week, 10–1680 (4 h a day)",
    )
    basfi: float | None = Field(default=None, ge=0, le=10, description="BASFI 0–10")
    odi: float | None = Field(default=None, ge=0, le=100, description="ODI percent 0–100")
    basdai: float | None = Field(default=None, ge=0, le=10, description="BASDAI 0–10")
    asdas: float | None = Field(default=None, ge=0, le=10, description="ASDAS 0–10")
    age: int | None = Field(default=None, ge=16, le=120, description="age in years, 16–120")
    ankylosed_spine: bool | None = Field(default=None, description="fused spine or syndesmophytes")
    osteoporosis: bool | None = None
    fall_risk: bool | None = None
    sleep_problem: bool | None = None
    infection_or_open_wound: bool | None = Field(
        default=None, description="an infection, fever or open wound now"
    )
    prefer: tuple[SessionId, ...] = ()
    avoid: tuple[SessionId, ...] = ()
    flare_dates: tuple[date, ...] = ()
    done: tuple[DoneSession, ...] = ()
    missed: tuple[MissedSession, ...] = ()
    red_flags: tuple[RedFlagId, ...] = ()

    @model_validator(mode="after")
    def _prefer_or_avoid(self) -> PlanRequest:
        both = sorted(set(self.prefer) & set(self.avoid))
        if both:
            raise ValueError(f"sessions both preferred and avoided: {', '.join(both)}")
        return self


def parse_request(data: Mapping[str, Any]) -> PlanRequest:
    """A ``PlanRequest`` from plain data (JSON types; dates as ``YYYY-MM-DD``)."""
    try:
        return PlanRequest.model_validate(dict(data))
    except ValidationError as exc:
        raise InputError.from_validation(exc, model=PlanRequest, context="plan") from None
