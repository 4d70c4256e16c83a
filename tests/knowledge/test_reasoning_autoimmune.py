"""The autoimmune knowledge base: complete entries, a strict loader, lookup by any name."""

from __future__ import annotations

import pytest

import immunospine.knowledge.reasoning.autoimmune as autoimmune
from immunospine.errors import KnowledgeError
from immunospine.knowledge import catalogue

GOOD = """
[alpha_disease]
name = "Alpha disease"
aliases = ["AD"]
back_involvement = "possible"
mechanisms = ["referred_pain"]
how_it_reaches_the_back = "Pain from an organ."
key_features = ["a feature"]
helpful_tests = ["a test"]
specialist = "rheumatologist"
prevalence = "not published"
calculators = ["basdai"]
clues = ["female", "known:alpha_disease"]

[[alpha_disease.sources]]
citation = "A B. Title. J 2020;1:1-2"
verified = false
checked = "written from memory; not yet checked"
"""


def _parse(text: str, name: str = "other.toml", **more: str) -> dict[str, autoimmune.Disease]:
    return autoimmune.parse_diseases({name: text, **more}, {"basdai"}, {"list_a", "list_b"})


def test_every_entry_is_complete_and_consistent() -> None:
    diseases = autoimmune.diseases()
    assert len(diseases) >= 30
    names = {spec.name for spec in catalogue()}
    for key, entry in diseases.items():
        assert key == key.lower() and " " not in key
        assert entry.name and entry.how_it_reaches_the_back and entry.specialist
        assert entry.key_features and entry.helpful_tests and entry.sources
        assert set(entry.calculators) <= names, key
        assert entry.group in autoimmune.GROUPS
        assert (entry.back_involvement == "not_typical") == (not entry.mechanisms), key


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
        "igg4_related_disease",
    ):
        assert key in diseases
    assert {m for d in diseases.values() for m in d.mechanisms} == set(autoimmune.MECHANISMS)
    assert "treatment_related" in autoimmune.disease("systemic_lupus_erythematosus").mechanisms


def test_lookup_by_key_name_or_alias_in_any_case() -> None:
    sle = autoimmune.disease("systemic_lupus_erythematosus")
    assert autoimmune.disease("Lupus") is sle
    assert autoimmune.disease(" sle ") is sle
    assert autoimmune.disease("SYSTEMIC LUPUS ERYTHEMATOSUS") is sle
    assert autoimmune.resolve("nope") is None


def test_unknown_disease_names_the_nearest() -> None:
    with pytest.raises(KnowledgeError, match="nearest: multiple_sclerosis"):
        autoimmune.disease("multiple sclerosys")
    with pytest.raises(KnowledgeError, match="knowledge diseases"):
        autoimmune.disease("qqqqqqqqqqqqqqqqqqqqqqq")


def test_filter_by_mechanism_and_group() -> None:
    nerve = autoimmune.diseases(mechanism="nerve_or_spinal_cord")
    assert "multiple_sclerosis" in nerve and "ankylosing_spondylitis" not in nerve
    neuro = autoimmune.diseases(mechanism="nerve_or_spinal_cord", group="neurological")
    assert set(neuro) < set(nerve)
    assert all(d.group == "neurological" for d in neuro.values())
    with pytest.raises(KnowledgeError, match="nearest: nerve_or_spinal_cord; allowed: spinal"):
        autoimmune.diseases(mechanism="nerve_or_spinal")
    with pytest.raises(KnowledgeError, match="allowed: spondyloarthritis"):
        autoimmune.diseases(group="nervous")


def test_a_good_file_loads_and_verified_needs_every_source() -> None:
    (entry,) = _parse(GOOD).values()
    assert entry.group == "other" and not entry.verified
    assert _parse(GOOD.replace("verified = false", "verified = true"))["alpha_disease"].verified
    assert autoimmune.parse_diseases({"other.toml": GOOD.replace('"basdai"', '"nope"')}) != {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace('prevalence = "not published"', 'prevalance = "x"'), r"\[alpha_disease\]"),
        (GOOD.split("[[alpha_disease.sources]]")[0], "sources: is required"),
        (GOOD.replace('"referred_pain"', ""), "mechanisms: must name at least one of"),
        (
            GOOD.replace('"possible"', '"not_typical"'),
            'mechanisms: must be empty when back_involvement = "not_typical"',
        ),
        (GOOD.replace('"female"', '"femal"'), 'clues: unknown clue "femal"; nearest: female'),
        (GOOD.replace("known:alpha_disease", "known:alfa_disease"), "nearest: alpha_disease"),
        (GOOD.replace('"basdai"', '"basdia"'), 'unknown calculator "basdia"; nearest: basdai'),
        (GOOD.replace('"possible"', '"sometimes"'), "back_involvement"),
        (GOOD.replace("[alpha_disease]", "[Alpha_Disease]"), "snake_case"),
        (GOOD + '\n[alpha_disease.group]\nx = "y"\n', "the group is the file name"),
        ('beta = "x"\n' + GOOD, "must be a table"),
        ("[x", "not valid TOML"),
        (GOOD.replace("clues = [", 'lists = ["list_c"]\nclues = ['), 'unknown list "list_c"'),
    ],
)
def test_the_loader_refuses_bad_data_naming_file_entry_and_field(text: str, message: str) -> None:
    with pytest.raises(KnowledgeError, match=message) as err:
        _parse(text)
    assert "other.toml" in str(err.value)


def test_duplicates_across_files_and_unknown_groups_are_refused() -> None:
    with pytest.raises(KnowledgeError, match=r"vasculitis.toml \[alpha_disease\].*also.*other"):
        _parse(GOOD, **{"vasculitis.toml": GOOD})
    with pytest.raises(KnowledgeError, match="nearest: vasculitis"):
        _parse(GOOD, name="vasculitiss.toml")


def test_every_list_named_is_defined_with_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    lists = autoimmune.disease_lists()
    assert lists["hayter_cook_2012"].size == 81 and lists["hayter_cook_2012"].verified
    used = {name for d in autoimmune.diseases().values() for name in d.lists}
    assert used <= set(lists)
    monkeypatch.setattr(autoimmune, "load_toml", lambda _name: {"bad": {"title": "x"}})
    with pytest.raises(KnowledgeError, match=r"autoimmune_disease_lists.toml \[bad\]"):
        autoimmune.disease_lists.__wrapped__()
