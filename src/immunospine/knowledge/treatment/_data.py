"""The guidelines as data: one TOML file per guideline in ``knowledge/treatment/data``.

Each file has a ``[guideline]`` table (citation, DOI, whether the citation was checked) and
``[[step]]`` tables, one per recommendation (or part of one) the pathways use: its number, the
verdict when its conditions hold (``strength``), our own wording, the conditions, who decides,
whether it was checked against a public source (``verified``) and where. Files are validated
on first use; unknown keys are errors.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict

from immunospine.knowledge.treatment.state import DrugClass

__all__ = ["GUIDELINES", "Guideline", "Step", "guideline", "guidelines", "step"]

GUIDELINES = (
    "asas_eular_2022",
    "acr_spartan_2019",
    "eular_ra_2022",
    "eular_psa_2023",
    "nice_ng59",
    "nice_ng193",
)
"""Every guideline file, in the order the reference page lists them."""

Strength = Literal["recommended", "consider", "not_recommended"]
Kind = Literal["non_drug", "drug", "review", "procedure"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Step(_Strict):
    """One recommendation (or part of one) as a pathway step."""

    id: str
    label: str
    number: str
    strength: Strength
    kind: Kind
    drug_classes: tuple[DrugClass, ...]
    who_decides: str
    conditions: str
    wording: str
    verified: bool
    source: str


class GuidelineInfo(_Strict):
    id: str
    short: str
    title: str
    citation: str
    doi: str
    verified: bool
    source: str


class Guideline(_Strict):
    """A guideline file: its ``guideline`` table and its steps by id."""

    guideline: GuidelineInfo
    step: tuple[Step, ...]

    def label(self, s: Step) -> str:
        """``ASAS-EULAR 2022 #9`` or ``NICE NG59 1.2.2``: the recommendation behind a step."""
        numbered = s.number[:1].isdigit() and not self.guideline.id.startswith("nice_")
        sep = " #" if numbered else " "
        return f"{self.guideline.short}{sep}{s.number}"


@cache
def guideline(name: str) -> Guideline:
    """The guideline file ``data/<name>.toml``, validated (step ids unique, file named by id)."""
    text = resources.files(__package__).joinpath("data", f"{name}.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    return check(name, Guideline.model_validate(raw))


def check(name: str, g: Guideline) -> Guideline:
    """``g`` if its id is ``name`` and its step ids are unique; ``ValueError`` otherwise."""
    ids = [s.id for s in g.step]
    if g.guideline.id != name or len(set(ids)) != len(ids):
        raise ValueError(f"{name}.toml: the id differs from the file name, or a step id repeats")
    return g


def guidelines() -> tuple[Guideline, ...]:
    """Every guideline, in ``GUIDELINES`` order."""
    return tuple(guideline(n) for n in GUIDELINES)


def step(guideline_id: str, step_id: str) -> Step:
    """One step by guideline and step id; ``KeyError`` names both when there is none."""
    for s in guideline(guideline_id).step:
        if s.id == step_id:
            return s
    raise KeyError(f"{guideline_id}: no step {step_id!r}")
