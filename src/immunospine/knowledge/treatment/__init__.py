"""Treatment options by disease and severity: the guidelines as data, and where a person stands.

``treatment_options(state)`` is pure: a validated ``TreatmentState`` in, ``TreatmentOptions`` out
— options to discuss now (each ``recommended``, ``consider``, ``not_recommended`` or
``indeterminate`` with the inputs it is waiting for), who decides, what would change the options,
when to re-assess, the target and the recommendations behind each option. Decision support:
options to discuss with the clinician, never a prescription.

Pathways: ``axspa`` (ASAS-EULAR 2022), ``ibd_spa`` (as axSpA with the IBD steer, ACR 2019),
``ra`` (EULAR 2022), ``psa`` (EULAR 2023 with GRAPPA 2021), ``nonspecific_low_back_pain``
(NICE NG59 with STarT Back) and ``chronic_primary_pain`` (NICE NG193). The guideline steps live in
``data/*.toml`` (one file per guideline), each with its number, our wording, its conditions,
citation and whether it was checked against a public source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from immunospine.knowledge.treatment._answer import (
    DISCLAIMER,
    Change,
    Option,
    OptionVerdict,
    TreatmentOptions,
)
from immunospine.knowledge.treatment._data import GUIDELINES, Guideline, Step, guideline, guidelines
from immunospine.knowledge.treatment.pain import chronic_primary_pain_options, low_back_pain_options
from immunospine.knowledge.treatment.psa import psa_options
from immunospine.knowledge.treatment.ra import ra_options
from immunospine.knowledge.treatment.spa import axspa_options
from immunospine.knowledge.treatment.state import (
    CONTRAINDICATIONS,
    DIAGNOSES,
    DRUG_CLASSES,
    EXTRA_MUSCULOSKELETAL,
    STOP_REASONS,
    CurrentTherapy,
    PastTherapy,
    TreatmentState,
    parse_state,
)

__all__ = [
    "CONTRAINDICATIONS",
    "DIAGNOSES",
    "DISCLAIMER",
    "DRUG_CLASSES",
    "EXTRA_MUSCULOSKELETAL",
    "GUIDELINES",
    "PATHWAYS",
    "STOP_REASONS",
    "Change",
    "CurrentTherapy",
    "Guideline",
    "Option",
    "OptionVerdict",
    "PastTherapy",
    "Step",
    "TreatmentOptions",
    "TreatmentState",
    "guideline",
    "guidelines",
    "options_for",
    "parse_state",
    "treatment_options",
]

PATHWAYS: dict[str, Callable[[TreatmentState], TreatmentOptions]] = {
    "axspa": axspa_options,
    "ibd_spa": axspa_options,
    "ra": ra_options,
    "psa": psa_options,
    "nonspecific_low_back_pain": low_back_pain_options,
    "chronic_primary_pain": chronic_primary_pain_options,
}
"""Each diagnosis's pathway function."""


def treatment_options(state: TreatmentState) -> TreatmentOptions:
    """Where ``state`` stands on its diagnosis's pathway (pure; see the package docstring)."""
    return PATHWAYS[state.diagnosis](state)


def options_for(data: Mapping[str, Any]) -> TreatmentOptions:
    """``treatment_options`` of a JSON object (validated; ``InputError`` names bad fields)."""
    return treatment_options(parse_state(data))
