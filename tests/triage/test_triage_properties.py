"""Properties of triage that hold for every valid case (hypothesis)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immunospine.knowledge.probability.axspa import FINDINGS
from immunospine.knowledge.reasoning.explain import JARGON
from immunospine.knowledge.reasoning.red_flags import CONTRACT_ITEMS, catalogue
from immunospine.knowledge.reasoning.urgency import URGENCIES
from immunospine.services.triage import triage

TRI = st.sampled_from([True, False, None])
BACK_BOOLS = (
    "insidious_onset",
    "improves_with_exercise",
    "improves_with_rest",
    "night_pain",
    "wakes_second_half_of_night",
    "alternating_buttock_pain",
)
SUSPECTED = {k: v.suspected for k, v in catalogue().items.items()}
CAUDA = [k for k in CONTRACT_ITEMS if SUSPECTED[k] == "cauda_equina"]
OTHER = [k for k in CONTRACT_ITEMS if SUSPECTED[k] != "cauda_equina"]
SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    age = draw(st.integers(0, 120))
    back: dict[str, Any] = {k: draw(TRI) for k in BACK_BOOLS}
    if draw(st.booleans()):
        onset = draw(st.integers(0, age))
        back["age_at_onset"] = onset
        if draw(st.booleans()):
            back["duration_months"] = draw(st.integers(0, (age - onset) * 12))
    elif draw(st.booleans()):
        back["duration_months"] = draw(st.integers(0, age * 12))
    back["morning_stiffness_minutes"] = draw(st.none() | st.integers(0, 240))
    case: dict[str, Any] = {
        "age": age,
        "back_pain": back,
        "findings": {k: draw(TRI) for k in FINDINGS},
        "red_flags": {k: draw(st.sampled_from([False, None])) for k in CONTRACT_ITEMS},
        "radiographic_sacroiliitis": draw(TRI),
        "widespread_pain": draw(TRI),
    }
    if draw(st.booleans()):
        case["pretest_probability"] = draw(st.floats(0.01, 0.5))
    return case


@SETTINGS
@given(case=cases(), item=st.sampled_from(CAUDA))
def test_any_cauda_equina_item_is_an_emergency(case: dict[str, Any], item: str) -> None:
    case["red_flags"][item] = True
    assert triage(case).to_dict()["urgency"] == "emergency"


@SETTINGS
@given(case=cases(), item=st.sampled_from(OTHER))
def test_cancer_infection_or_fracture_is_at_least_urgent(case: dict[str, Any], item: str) -> None:
    case["red_flags"][item] = True
    urgency = triage(case).to_dict()["urgency"]
    assert URGENCIES.index(urgency) <= URGENCIES.index("urgent")


@SETTINGS
@given(case=cases(), items=st.sets(st.sampled_from(CONTRACT_ITEMS)))
def test_red_flags_are_always_reported(case: dict[str, Any], items: set[str]) -> None:
    for item in items:
        case["red_flags"][item] = True
    result = triage(case).to_dict()
    reported = {f["item"] for f in result["red_flags"]}
    assert items <= reported
    for flag in result["red_flags"]:
        assert flag["suspected"] in {"cauda_equina", "malignancy", "infection", "fracture"}
        assert flag["action"]
    if not reported:
        assert result["urgency"] in {"soon", "routine", "self_care"}


@SETTINGS
@given(case=cases(), name=st.sampled_from(FINDINGS))
def test_adding_a_positive_finding_never_lowers_the_probability(
    case: dict[str, Any], name: str
) -> None:
    before = triage(case).to_dict()["axspa"]["probability"]
    case["findings"][name] = True
    after = triage(case).to_dict()["axspa"]["probability"]
    assert after >= before - 1e-12


@SETTINGS
@given(case=cases(), name=st.sampled_from(BACK_BOOLS[:4]))
def test_a_back_pain_answer_for_inflammation_never_lowers_the_probability(
    case: dict[str, Any], name: str
) -> None:
    """Answers that count towards the ASAS IBP criteria (rest: *not* improving counts)."""
    before = triage(case).to_dict()["axspa"]["probability"]
    case["back_pain"][name] = name != "improves_with_rest"
    after = triage(case).to_dict()["axspa"]["probability"]
    assert after >= before - 1e-12


def _paths(case: dict[str, Any]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for key, value in case.items():
        if isinstance(value, dict):
            out += [(key, sub) for sub in value]
        elif key != "age":
            out.append((key,))
    return out


@SETTINGS
@given(case=cases(), data=st.data())
def test_unknown_answers_change_nothing(case: dict[str, Any], data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(_paths(case)))
    with_null = {k: dict(v) if isinstance(v, dict) else v for k, v in case.items()}
    without = {k: dict(v) if isinstance(v, dict) else v for k, v in case.items()}
    if len(path) == 2:
        with_null[path[0]][path[1]] = None
        del without[path[0]][path[1]]
    else:
        with_null[path[0]] = None
        del without[path[0]]
    assert triage(with_null).to_dict() == triage(without).to_dict()


@SETTINGS
@given(case=cases())
def test_explanation_is_plain_and_the_disclaimer_is_there(case: dict[str, Any]) -> None:
    result = triage(case).to_dict()
    words = {w.strip(".,;:()").lower() for w in result["explanation"].split()}
    assert not words & set(JARGON)
    assert "supports a decision, not a diagnosis" in result["disclaimer"]
    assert result["axspa"]["category"] in {"unlikely", "possible", "probable", "definite"}
    assert result["referral"]["next_tests"] == sorted(
        result["referral"]["next_tests"],
        key=[
            "hla_b27",
            "crp",
            "esr",
            "mri_sacroiliac_joints",
            "radiograph_sacroiliac_joints",
        ].index,
    )
