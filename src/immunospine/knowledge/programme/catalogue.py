"""The programme catalogue: sessions, the dose goal, the planner's rules, safety rules, sources.

Read from ``data/catalogue.toml`` on first use and validated strictly (unknown keys, unknown
source codes, unknown contraindication codes, unknown diagnoses and a ``verified`` flag that
contradicts its ``unverified`` list are all refused), so a slip in the data fails loudly.

``session(id)`` is the one lookup; an unknown id is an ``InputError`` naming the field, the
value and the ids allowed.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from immunospine.errors import InputError

__all__ = [
    "AXIAL",
    "CONTRAINDICATIONS",
    "DIAGNOSES",
    "SPONDYLOARTHRITIS",
    "Catalogue",
    "Contraindication",
    "Goal",
    "Progression",
    "RedFlagRule",
    "Session",
    "Source",
    "catalogue",
    "session",
]

DIAGNOSES: tuple[str, ...] = (
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
)
"""Diagnoses the planner knows: the record's conditions and the treatment-options state's."""
SPONDYLOARTHRITIS = frozenset({"axspa", "pspa", "psa", "ibd_spa"})
"""Posture and chest-expansion work is offered to these."""
AXIAL = frozenset({"axspa", "ibd_spa"})
"""Axial disease: daily mobility, and the fall rule with its urgent advice."""

Contra = Literal["ankylosed_spine", "osteoporosis", "fall_risk", "flare", "infection_or_open_wound"]
CONTRAINDICATIONS: tuple[str, ...] = (
    "ankylosed_spine",
    "osteoporosis",
    "fall_risk",
    "flare",
    "infection_or_open_wound",
)
Kind = Literal["exercise", "physiotherapy", "stress_reduction"]
Category = Literal[
    "mobility",
    "posture",
    "breathing",
    "strength",
    "aerobic",
    "hydrotherapy",
    "supervised",
    "balance",
    "relaxation",
    "mindfulness",
    "sleep_routine",
]
Band = Literal["mild", "moderate", "severe"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class _Cited(_Strict):
    sources: tuple[str, ...] = Field(min_length=1)
    verified: bool
    unverified: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _flag_agrees(self) -> _Cited:
        if self.verified and self.unverified:
            raise ValueError("verified = true but unverified facts are listed")
        if not self.verified and not self.unverified:
            raise ValueError("verified = false needs the unverified facts listed")
        return self


class Source(_Strict):
    text: str
    url: str


class Goal(_Cited):
    """The physical-activity dose the plan grows toward (WHO 2020, EULAR 2018)."""

    aerobic_moderate_min_per_week: int = Field(gt=0)
    strength_sessions_per_week: int = Field(gt=0)
    balance_sessions_per_week_age_65: int = Field(gt=0)
    age_for_balance: int = Field(gt=0)


class Progression(_Cited):
    """The planner's own operational rules (not guideline text)."""

    aerobic_start_min: dict[Band, int]
    aerobic_step_min: int = Field(gt=0)
    aerobic_bout_min: int = Field(gt=0)
    aerobic_bout_max: int = Field(gt=0)
    strength_second_session_from_step: dict[Band, int]
    hold_if_done_below: float = Field(gt=0, le=1)
    flare_lookback_days: int = Field(ge=0)
    flare_aerobic_factor: float = Field(gt=0, le=1)
    ramp_steps: int = Field(gt=1)
    basfi_limited_from: float
    basfi_severe_from: float


class Contraindication(_Cited):
    label: str
    advice: str


class RedFlagRule(_Cited):
    """New pain after a fall: urgent care, the words depending on axial disease."""

    label: str
    advice_axial: str
    advice_other: str


class Session(_Cited):
    """One kind of session in the catalogue, with its dose from week 1 to the full dose."""

    id: str
    title: str
    category: Category
    kind: Kind
    intensity: Literal["light", "moderate", "vigorous"]
    for_: tuple[str, ...] = Field(alias="for", min_length=1)
    minutes_start: int = Field(gt=0, le=240)
    minutes_target: int = Field(gt=0, le=240)
    sessions_start: int = Field(gt=0, le=7)
    sessions_target: int = Field(gt=0, le=7)
    how: str
    dose: str
    progression: str
    safety: tuple[str, ...]
    caution_if: dict[Contra, str]
    avoid_if: tuple[Contra, ...]

    def offered_for(self, diagnosis: str) -> bool:
        return "all" in self.for_ or diagnosis in self.for_


class Catalogue(_Strict):
    version: str
    goal: Goal
    progression: Progression
    contraindications: dict[Contra, Contraindication]
    red_flag: dict[Literal["new_pain_after_fall"], RedFlagRule]
    session: tuple[Session, ...]
    sources: dict[str, Source]

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        cited = [self.goal, self.progression, *self.contraindications.values()]
        cited += [*self.red_flag.values(), *self.session]
        unknown = sorted({s for c in cited for s in c.sources} - set(self.sources))
        if unknown:
            raise ValueError(f"unknown source codes: {', '.join(unknown)}")
        ids = [s.id for s in self.session]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate session ids")
        bad = sorted({d for s in self.session for d in s.for_} - {*DIAGNOSES, "all"})
        if bad:
            raise ValueError(f"unknown diagnoses in 'for': {', '.join(bad)}")
        if set(self.contraindications) != set(CONTRAINDICATIONS):
            raise ValueError("every contraindication code needs its entry")
        return self

    def by_id(self) -> dict[str, Session]:
        return {s.id: s for s in self.session}


def load(text: str) -> Catalogue:
    """A catalogue from TOML text (the tests feed broken data through here)."""
    return Catalogue.model_validate(tomllib.loads(text), strict=False)


@cache
def catalogue() -> Catalogue:
    """The packaged catalogue, validated on first use."""
    text = (
        resources.files(__package__).joinpath("data").joinpath("catalogue.toml").read_text("utf-8")
    )
    return load(text)


def session(session_id: str, *, field: str = "session") -> Session:
    """The session ``session_id``; ``InputError`` on ``field`` naming the ids allowed."""
    found = catalogue().by_id().get(session_id)
    if found is None:
        allowed = ", ".join(sorted(catalogue().by_id()))
        raise InputError.single(
            (field,),
            f"is not a session of the programme; allowed: {allowed}",
            session_id,
            code="unknown_session",
        )
    return found
