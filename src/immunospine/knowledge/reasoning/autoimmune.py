"""The autoimmune knowledge base: immune-mediated diseases that cause or mimic back pain, and how.

The data live in ``data/autoimmune_diseases.toml``; ``diseases()`` validates them on first use
(unknown keys, empty fields and unknown pathways are errors). Each entry says by which pathways
the disease leads to back pain (axial joint inflammation, enthesitis, bone inflammation, nerve
damage, myelitis, muscle inflammation, referred pain, treatment effects, mimicry), its mechanism,
key features, helpful tests, the immunospine calculators that implement its criteria and a citation.
``citation_verified`` is false where the citation was written from memory.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from immunospine.knowledge.reasoning._data import load_toml

__all__ = ["Disease", "Pathway", "disease", "diseases"]

Pathway = Literal[
    "axial_joint_inflammation",
    "enthesitis",
    "bone_inflammation",
    "nerve_damage",
    "myelitis",
    "muscle_inflammation",
    "referred_pain",
    "treatment_effect",
    "mimic",
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]


class Disease(BaseModel):
    """One immune-mediated disease and how it causes or mimics back pain."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)
    name: Text
    pathways: Annotated[list[Pathway], Field(min_length=1)]
    mechanism: Text
    key_features: Annotated[list[Text], Field(min_length=1)]
    helpful_tests: Annotated[list[Text], Field(min_length=1)]
    calculators: list[str]
    citation: Text
    citation_verified: bool


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)
    diseases: dict[str, Disease]


@cache
def diseases() -> dict[str, Disease]:
    """Every disease in the knowledge base, keyed by its snake_case id."""
    return dict(_File.model_validate(load_toml("autoimmune_diseases")).diseases)


def disease(key: str) -> Disease:
    """One entry; ``KeyError`` names the unknown key."""
    return diseases()[key]
