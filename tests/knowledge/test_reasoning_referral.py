"""Referral strategies, one by one, and the combined recommendation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from immunospine.knowledge._types import Verdict
from immunospine.knowledge.reasoning import referral
from immunospine.knowledge.reasoning._data import load_toml
from immunospine.knowledge.reasoning.case import parse_case
from immunospine.knowledge.reasoning.features import entry, features
from immunospine.knowledge.reasoning.referral import STRATEGIES, recommend, strategy_info

BASE = {"age": 30, "back_pain": {"duration_months": 24, "age_at_onset": 25}}
NO_FINDINGS: dict[str, bool | None] = {}


def verdict(name: str, case: dict[str, Any], findings: Mapping[str, bool | None]) -> Verdict:
    return STRATEGIES[name](parse_case(case), findings).verdict


def with_back(**back: Any) -> dict[str, Any]:
    return {"age": 30, "back_pain": {"duration_months": 24, "age_at_onset": 25, **back}}


def test_data_file_describes_every_strategy() -> None:
    info = strategy_info()
    assert list(STRATEGIES) == ["asas_2015", "nice_ng65", "cafaspa", "berlin_2005", "braun_2011"]
    for name in STRATEGIES:
        assert info[name].reference and info[name].rule and info[name].performance
        # Issue 14: every strategy's rule and figures were seen in the source it names.
        assert info[name].source and info[name].verified, name
        assert "[M]" not in info[name].performance


def test_data_file_must_match_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    good = load_toml("referral_strategies")
    fewer = {k: v for k, v in good["strategies"].items() if k != "cafaspa"}
    monkeypatch.setattr(referral, "load_toml", lambda name: {"strategies": fewer})
    strategy_info.cache_clear()
    try:
        with pytest.raises(ValueError, match="cafaspa"):
            strategy_info()
    finally:
        strategy_info.cache_clear()


@pytest.mark.parametrize(
    ("age", "back", "expected"),
    [
        (46, {"duration_months": 2, "age_at_onset": 25}, Verdict.NOT_MET),
        (46, {"duration_months": 3, "age_at_onset": 25}, Verdict.MET),
        (46, {"duration_months": 12, "age_at_onset": 45}, Verdict.NOT_MET),
        (46, {"duration_months": 12, "age_at_onset": 44.9}, Verdict.MET),
        (30, {"duration_months": 24}, Verdict.MET),  # younger than 45, so onset < 45
        (46, {"age_at_onset": 25}, Verdict.INDETERMINATE),
    ],
)
def test_entry(age: int, back: dict[str, Any], expected: Verdict) -> None:
    assert entry(parse_case({"age": age, "back_pain": back})).verdict is expected


def test_entry_onset_unknown_over_45_is_open() -> None:
    outcome = entry(parse_case({"age": 50, "back_pain": {"duration_months": 24}}))
    assert outcome.verdict is Verdict.INDETERMINATE
    assert outcome.missing == ("back_pain.age_at_onset",)


def test_every_strategy_fails_when_the_entry_fails() -> None:
    late = {"age": 60, "back_pain": {"duration_months": 24, "age_at_onset": 50}}
    findings: dict[str, bool | None] = {
        "inflammatory_back_pain": True,
        "hla_b27": True,
        "nsaid_response": True,
        "family_history": True,
        "psoriasis": True,
    }
    for name in STRATEGIES:
        assert verdict(name, late, findings) is Verdict.NOT_MET


@pytest.mark.parametrize(
    ("findings", "radiograph", "expected"),
    [
        ({"inflammatory_back_pain": True}, None, Verdict.MET),
        ({"hla_b27": True}, None, Verdict.MET),
        (
            {"inflammatory_back_pain": False, "hla_b27": False, "mri_sacroiliitis": False},
            True,
            Verdict.MET,
        ),
        (
            {"inflammatory_back_pain": False, "hla_b27": False, "mri_sacroiliitis": False},
            False,
            Verdict.NOT_MET,
        ),
        ({"inflammatory_back_pain": False, "hla_b27": False}, None, Verdict.INDETERMINATE),
    ],
)
def test_berlin_2005(
    findings: dict[str, bool | None], radiograph: bool | None, expected: Verdict
) -> None:
    assert (
        verdict("berlin_2005", {**BASE, "radiographic_sacroiliitis": radiograph}, findings)
        is expected
    )


def test_asas_2015_any_single_feature_refers() -> None:
    for name in ("dactylitis", "anterior_uveitis", "ibd", "elevated_crp_or_esr", "enthesitis_heel"):
        assert verdict("asas_2015", BASE, {name: True}) is Verdict.MET
    all_false = dict.fromkeys(
        [
            "inflammatory_back_pain",
            "hla_b27",
            "mri_sacroiliitis",
            "peripheral_arthritis",
            "enthesitis_heel",
            "dactylitis",
            "psoriasis",
            "ibd",
            "anterior_uveitis",
            "family_history",
            "nsaid_response",
            "elevated_crp_or_esr",
        ],
        False,
    )
    assert (
        verdict("asas_2015", {**BASE, "radiographic_sacroiliitis": False}, all_false)
        is Verdict.NOT_MET
    )


@pytest.mark.parametrize(
    ("months", "findings", "expected"),
    [
        (61, {"inflammatory_back_pain": True}, Verdict.MET),
        (
            60,
            {"inflammatory_back_pain": True, "nsaid_response": False, "family_history": False},
            Verdict.NOT_MET,
        ),
        (24, {"nsaid_response": True, "family_history": True}, Verdict.MET),
        (24, {"inflammatory_back_pain": True}, Verdict.INDETERMINATE),
    ],
)
def test_cafaspa(months: int, findings: dict[str, bool | None], expected: Verdict) -> None:
    case = {"age": 40, "back_pain": {"duration_months": months, "age_at_onset": 30}}
    assert verdict("cafaspa", case, findings) is expected


@pytest.mark.parametrize(
    ("back", "findings", "expected"),
    [
        (
            {
                "age_at_onset": 35,
                "improves_with_exercise": True,
                "wakes_second_half_of_night": True,
            },
            {},
            Verdict.MET,
        ),
        (
            {
                "age_at_onset": 36,
                "improves_with_exercise": True,
                "wakes_second_half_of_night": True,
                "alternating_buttock_pain": False,
            },
            {"nsaid_response": False},
            Verdict.NOT_MET,
        ),
        ({"age_at_onset": 30, "improves_with_exercise": True}, {}, Verdict.INDETERMINATE),
    ],
)
def test_braun_2011(
    back: dict[str, Any], findings: dict[str, bool | None], expected: Verdict
) -> None:
    case = {"age": 40, "back_pain": {"duration_months": 24, **back}}
    assert verdict("braun_2011", case, findings) is expected


def test_braun_onset_from_current_age() -> None:
    case = {
        "age": 35,
        "back_pain": {
            "duration_months": 24,
            "improves_with_exercise": True,
            "wakes_second_half_of_night": True,
        },
    }
    result = STRATEGIES["braun_2011"](parse_case(case), {})
    assert result.verdict is Verdict.MET
    assert "age 35, so the pain began ≤ 35" in result.because[-1]


NICE_THREE = {
    "age_at_onset": 28,
    "improves_with_exercise": True,
    "wakes_second_half_of_night": True,
}
NICE_REST_FALSE = {
    "nsaid_response": False,
    "family_history": False,
    "peripheral_arthritis": False,
    "enthesitis_heel": False,
    "psoriasis": False,
}


@pytest.mark.parametrize(
    ("back", "findings", "expected", "asks"),
    [
        ({**NICE_THREE, "buttock_pain": True}, {}, Verdict.MET, False),
        ({**NICE_THREE, "alternating_buttock_pain": True}, {}, Verdict.MET, False),
        (
            {**NICE_THREE, "buttock_pain": False},
            {**NICE_REST_FALSE, "hla_b27": True},
            Verdict.MET,
            False,
        ),
        (
            {**NICE_THREE, "buttock_pain": False},
            {**NICE_REST_FALSE, "hla_b27": False},
            Verdict.NOT_MET,
            False,
        ),
        ({**NICE_THREE, "buttock_pain": False}, NICE_REST_FALSE, Verdict.INDETERMINATE, True),
        (
            {
                "age_at_onset": 37,
                "improves_with_exercise": True,
                "wakes_second_half_of_night": False,
                "buttock_pain": False,
            },
            NICE_REST_FALSE,
            Verdict.NOT_MET,
            False,
        ),
        ({**NICE_THREE}, {"hla_b27": False}, Verdict.INDETERMINATE, False),
    ],
)
def test_nice_ng65(
    back: dict[str, Any], findings: dict[str, bool | None], expected: Verdict, asks: bool
) -> None:
    case = {"age": 40, "back_pain": {"duration_months": 24, **back}}
    result = STRATEGIES["nice_ng65"](parse_case(case), findings)
    assert result.verdict is expected
    assert result.asks_for_hla_b27 is asks
    if expected is Verdict.INDETERMINATE and asks:
        assert "findings.hla_b27" in result.missing


def test_recommendation_entry_not_met_means_no_referral_and_no_tests() -> None:
    case = parse_case({"age": 60, "back_pain": {"duration_months": 24, "age_at_onset": 50}})
    result = recommend(case, {"hla_b27": True, "inflammatory_back_pain": True})
    assert result.refer_to_rheumatology is False
    assert result.next_tests == ()
    assert result.reasons[0].startswith("entry not met")


def test_recommendation_probable_refers_even_when_asas_is_open() -> None:
    case = parse_case({"age": 30, "pretest_probability": 0.85})
    result = recommend(case, {})
    assert result.refer_to_rheumatology is True
    assert "probability is probable" in result.reasons[0]


def test_imaging_not_done_does_not_hold_the_decision_open() -> None:
    all_false = dict.fromkeys(
        [
            "inflammatory_back_pain",
            "hla_b27",
            "peripheral_arthritis",
            "enthesitis_heel",
            "dactylitis",
            "psoriasis",
            "ibd",
            "anterior_uveitis",
            "family_history",
            "nsaid_response",
            "elevated_crp_or_esr",
        ],
        False,
    )
    result = recommend(parse_case(BASE), all_false)
    assert result.refer_to_rheumatology is False
    assert result.next_tests == ()
    shown = {s.name: s.verdict for s in result.strategies}
    assert shown["asas_2015"] is Verdict.INDETERMINATE  # the strategy itself stays honest


def test_open_referral_lists_what_is_missing() -> None:
    result = recommend(parse_case(BASE), {"inflammatory_back_pain": False})
    assert result.refer_to_rheumatology is None
    assert "findings.hla_b27" in result.missing
    assert result.next_tests[:1] == ("hla_b27",)


def test_features_use_given_ibp_over_the_criteria() -> None:
    case = parse_case(
        {
            **with_back(
                insidious_onset=True,
                improves_with_exercise=True,
                improves_with_rest=False,
                night_pain=True,
            ),
            "findings": {"inflammatory_back_pain": False},
        }
    )
    feats = features(case)
    assert feats.ibp["asas"].verdict is Verdict.MET
    assert feats.findings["inflammatory_back_pain"] is False
    assert feats.ibp_source == "findings"


def test_clinical_md_section_7_worked_example_and_a40() -> None:
    """clinical.md §7 worked example / Appendix A40: 32 y, pain 4 years from 28, psoriasis, no IBP.

    ASAS 2015 refers (extra-articular manifestation); NICE NG65 counts exactly 3 (onset < 35,
    psoriasis, better with movement) → test HLA-B27, refer if positive; CaFaSpA 0 of 4 → negative.
    """
    case = {
        "age": 32,
        "back_pain": {
            "duration_months": 48,
            "age_at_onset": 28,
            "improves_with_exercise": True,
            "wakes_second_half_of_night": False,
            "buttock_pain": False,
            "alternating_buttock_pain": False,
        },
    }
    findings: dict[str, bool | None] = {
        "inflammatory_back_pain": False,
        "psoriasis": True,
        "family_history": False,
        "peripheral_arthritis": False,
        "enthesitis_heel": False,
        "nsaid_response": None,
        "hla_b27": None,
    }
    assert verdict("asas_2015", case, findings) is Verdict.MET
    nice = STRATEGIES["nice_ng65"](parse_case(case), {**findings, "nsaid_response": False})
    assert nice.verdict is Verdict.INDETERMINATE
    assert nice.asks_for_hla_b27 is True
    assert nice.missing == ("findings.hla_b27",)
    for b27, expected in ((True, Verdict.MET), (False, Verdict.NOT_MET)):
        after = {**findings, "nsaid_response": False, "hla_b27": b27}
        assert verdict("nice_ng65", case, after) is expected
    assert verdict("cafaspa", case, findings) is Verdict.NOT_MET
