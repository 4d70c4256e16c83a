"""Treatment options: every case of tests/knowledge/treatment_cases/*.toml, then the data files,
the JSON contract and the edges the cases do not reach."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from immunospine.errors import InputError
from immunospine.knowledge.treatment import (
    DIAGNOSES,
    DRUG_CLASSES,
    GUIDELINES,
    PATHWAYS,
    STOP_REASONS,
    _data,
    guideline,
    guidelines,
    options_for,
    parse_state,
    treatment_options,
)
from immunospine.knowledge.treatment._answer import Builder
from immunospine.knowledge.treatment._rules import fell_by, weeks_until
from immunospine.records import DrugClass, StopReason

CASE_DIR = Path(__file__).parent / "treatment_cases"


def _cases() -> list[Any]:
    out = []
    for path in sorted(CASE_DIR.glob("*.toml")):
        for case in tomllib.loads(path.read_text("utf-8"))["case"]:
            assert set(case) <= {"id", "source", "state", "expect", "expect_error"}, case["id"]
            assert case["source"], case["id"]
            out.append(pytest.param(case, id=f"{path.stem}:{case['id']}"))
    return out


@pytest.mark.parametrize("case", _cases())
def test_case(case: dict[str, Any]) -> None:
    if "expect_error" in case:
        with pytest.raises(InputError) as info:
            options_for(case["state"])
        field = case["expect_error"]["field"]
        assert field in {p.field for p in info.value.problems}, str(info.value)
        assert field in str(info.value)
        return
    result = options_for(case["state"])
    by_id = {o.id: o for o in result.options}
    expect = case["expect"]
    why = case["source"]
    for option_id, verdict in expect.get("options", {}).items():
        assert option_id in by_id, f"{option_id} missing; {why}; got {sorted(by_id)}"
        assert by_id[option_id].verdict == verdict, f"{option_id}: {by_id[option_id]}; {why}"
    for option_id in expect.get("absent", []):
        assert option_id not in by_id, f"{option_id} shown; {why}"
    changes = {c.option for c in result.would_change}
    for option_id in expect.get("changes", []):
        assert option_id in changes, f"{option_id} not in would_change {changes}; {why}"
    for option_id, names in expect.get("missing", {}).items():
        assert list(by_id[option_id].missing) == names, why
    for option_id, classes in expect.get("drug_classes", {}).items():
        assert list(by_id[option_id].drug_classes) == classes, why
    if "reassess_after_weeks" in expect:
        assert result.reassess_after_weeks == expect["reassess_after_weeks"], why


def test_every_pathway_is_tested() -> None:
    seen = {c.values[0]["state"]["diagnosis"] for c in _cases()}
    assert set(DIAGNOSES) <= seen
    assert set(PATHWAYS) == set(DIAGNOSES)


def test_drug_classes_and_stop_reasons_are_the_csv_ones() -> None:
    assert tuple(c.value for c in DrugClass) == DRUG_CLASSES
    assert tuple(r.value for r in StopReason) == STOP_REASONS


def test_answer_json_names() -> None:
    answer = options_for({"diagnosis": "axspa"}).to_dict()
    assert {
        "pathway",
        "options",
        "reassess_after_weeks",
        "target",
        "citation",
        "disclaimer",
    } <= set(answer)
    option = answer["options"][0]
    assert {
        "id",
        "kind",
        "drug_classes",
        "verdict",
        "recommendation",
        "because",
        "missing",
        "who_decides",
    } <= set(option)
    assert answer["pathway"] == "axspa"
    assert "never a prescription" in answer["disclaimer"]
    assert "b_tsdmard" in {o["id"] for o in answer["options"]}
    assert "asdas" in answer["missing"]
    low = options_for({"diagnosis": "axspa", "asdas": 1.0}).to_dict()["would_change"]
    assert {"option": low[0]["option"], "recommendation": low[0]["recommendation"]} == {
        "option": "b_tsdmard",
        "recommendation": "ASAS-EULAR 2022 #9",
    }
    assert "ASDAS 1 < 2.1" in low[0]["when"]


def test_by_verdict_and_citations() -> None:
    result = options_for({"diagnosis": "ibd_spa"})
    assert all(o.verdict == "not_recommended" for o in result.by_verdict("not_recommended"))
    assert result.citation[0].startswith("Ramiro S")
    assert any("Ward MM" in c for c in result.citation)
    drug = next(o for o in result.options if o.id == "nsaid_ibd")
    assert drug.who_decides.endswith("together with the gastroenterologist")


def test_every_option_comes_from_the_data() -> None:
    steps = {(g.guideline.id, s.id) for g in guidelines() for s in g.step}
    states: list[dict[str, Any]] = [c.values[0].get("state") for c in _cases()]
    for state in states:
        try:
            result = options_for(state)
        except InputError:
            continue
        for option in result.options:
            assert (option.guideline, option.id) in steps


def test_data_files() -> None:
    assert [g.guideline.id for g in guidelines()] == list(GUIDELINES)
    for g in guidelines():
        assert g.guideline.citation
        for s in g.step:
            assert s.wording and s.source and s.conditions and s.who_decides
    assert guideline("nice_ng59").label(guideline("nice_ng59").step[1]) == "NICE NG59 1.2.1"
    asas = guideline("asas_eular_2022")
    assert asas.label(_data.step("asas_eular_2022", "b_tsdmard")) == "ASAS-EULAR 2022 #9"
    acr = guideline("acr_spartan_2019")
    assert acr.label(acr.step[0]).startswith("ACR/SAA/SPARTAN 2019 narrative")
    with pytest.raises(KeyError, match="no step 'nope'"):
        _data.step("asas_eular_2022", "nope")


def test_data_check_refuses_a_wrong_id_or_a_repeated_step() -> None:
    g = guideline("nice_ng193")
    with pytest.raises(ValueError, match="differs"):
        _data.check("nice_ng59", g)
    doubled = g.model_copy(update={"step": (*g.step, g.step[0])})
    with pytest.raises(ValueError, match="repeats"):
        _data.check("nice_ng193", doubled)


def test_parse_state() -> None:
    state = parse_state({"diagnosis": "psa", "extra_musculoskeletal": ["psoriasis"]})
    assert state.has("extra_musculoskeletal", "psoriasis") is True
    assert state.has("contraindications", "pregnancy") is None
    assert treatment_options(state).pathway == "psa"
    with pytest.raises(InputError, match="must be a JSON object"):
        parse_state([1, 2])  # type: ignore[arg-type]
    with pytest.raises(InputError) as info:
        parse_state({"diagnosis": "axspa", "nsaids_tried": "2"})
    assert info.value.problems[0].field == "nsaids_tried"


def test_fall_of_exactly_1_1_counts() -> None:
    assert 3.3 - 2.2 < 1.1  # what binary floating point says
    assert fell_by(3.3, 2.2, 1.1)
    assert not fell_by(3.3, 2.3, 1.1)
    assert weeks_until(11.5) == 1
    assert weeks_until(13) == 1


def test_builder_default_reassessment() -> None:
    b = Builder("axspa", "asas_eular_2022")
    b.add("education_exercise")
    assert b.result("t", default_weeks=12).reassess_after_weeks == 12
