"""The autoimmune knowledge base: large enough, complete, strict, and linked to real calculators."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import immunospine.knowledge.reasoning.autoimmune as autoimmune
from immunospine.knowledge import catalogue
from immunospine.knowledge.reasoning._data import load_toml


def test_at_least_25_complete_entries() -> None:
    diseases = autoimmune.diseases()
    assert len(diseases) >= 25
    for key, entry in diseases.items():
        assert key == key.lower() and " " not in key
        assert entry.name and entry.mechanism and entry.citation
        assert entry.key_features and entry.helpful_tests and entry.pathways


def test_every_referenced_calculator_exists() -> None:
    names = {spec.name for spec in catalogue()}
    for key, entry in autoimmune.diseases().items():
        assert set(entry.calculators) <= names, key


def test_the_required_kinds_of_disease_are_covered() -> None:
    diseases = autoimmune.diseases()
    for key in (
        "multiple_sclerosis",
        "guillain_barre_syndrome",
        "chronic_inflammatory_demyelinating_polyneuropathy",
        "neuromyelitis_optica_spectrum_disorder",
        "systemic_lupus_erythematosus",
        "polymyalgia_rheumatica",
        "giant_cell_arteritis",
        "rheumatoid_arthritis",
        "psoriatic_arthritis",
    ):
        assert key in diseases
    pathways = {p for entry in diseases.values() for p in entry.pathways}
    assert pathways == {
        "axial_joint_inflammation",
        "enthesitis",
        "bone_inflammation",
        "nerve_damage",
        "myelitis",
        "muscle_inflammation",
        "referred_pain",
        "treatment_effect",
        "mimic",
    }
    assert "treatment_effect" in autoimmune.disease("systemic_lupus_erythematosus").pathways


def test_unknown_keys_and_empty_fields_are_errors() -> None:
    raw = load_toml("autoimmune_diseases")
    entry = dict(raw["diseases"]["multiple_sclerosis"])
    with pytest.raises(ValidationError, match="extra"):
        autoimmune.Disease.model_validate({**entry, "prevalence": "1 in 1000"})
    with pytest.raises(ValidationError):
        autoimmune.Disease.model_validate({**entry, "key_features": []})
    with pytest.raises(ValidationError):
        autoimmune.Disease.model_validate({**entry, "pathways": ["bad_luck"]})


def test_unknown_disease_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        autoimmune.disease("not_a_disease")
