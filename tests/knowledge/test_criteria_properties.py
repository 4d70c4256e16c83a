"""Three-valued properties every criteria set must keep, checked with generated inputs.

* a ``met`` or ``not_met`` verdict has an empty ``missing``; an ``indeterminate`` one names only
  inputs that were not given;
* filling in any input listed in ``missing`` determines the verdict or leaves it indeterminate
  with no new missing inputs;
* every completion of the unknown inputs keeps a determined verdict (and a determined category
  where the category is a function of the inputs), and a complete input is always determined;
* where few completions exist, an indeterminate verdict really can go either way.

The 2010 ACR/EULAR RA criteria need only one test of each pair (RF/ACPA, CRP/ESR): once one of a
pair is known the other is not an unknown of the rule, so completions leave it unset.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immunospine.knowledge import Verdict, calculate, catalogue
from immunospine.knowledge._types import Result

CRITERIA = tuple(s for s in catalogue() if s.kind == "criteria")
NAMES = (
    "ibp_calin",
    "ibp_berlin",
    "ibp_asas",
    "essg",
    "amor",
    "asas_axspa",
    "asas_pspa",
    "modified_new_york",
    "acr_eular_ra_2010",
    "caspar",
    "fibromyalgia_acr_2016",
)

NON_BOOLEAN_VALUES: dict[str, tuple[Any, ...]] = {
    "age_at_onset_years": (20, 39.9, 40, 44.9, 45, 60),
    "back_pain_duration_months": (1, 2.9, 3, 3.5, 24),
    "spinal_pain_duration_months": (1, 2.9, 3, 24),
    "morning_stiffness_minutes": (0, 30, 31, 90),
    "sacroiliitis_grade_left": (0, 1, 2, 3, 4),
    "sacroiliitis_grade_right": (0, 1, 2, 3, 4),
    "large_joints_involved": (0, 1, 2, 4, 10),
    "small_joints_involved": (0, 1, 3, 4, 10, 12),
    "other_joints_involved": (0, 2, 6),
    "rheumatoid_factor": ("negative", "low_positive", "high_positive"),
    "acpa": ("negative", "low_positive", "high_positive"),
    "symptom_duration_weeks": (5.9, 6, 12),
    "fatigue": (0, 1, 2, 3),
    "waking_unrefreshed": (0, 1, 2, 3),
    "cognitive_symptoms": (0, 1, 2, 3),
    "symptoms_duration_months": (2.9, 3, 12),
}
OPTIONS: dict[str, tuple[Any, ...]] = {"threshold": (2, 3)}
EITHER_TEST_PAIRS = {
    "acr_eular_ra_2010": (("rheumatoid_factor", "acpa"), ("crp_abnormal", "esr_abnormal"))
}
CATEGORY_IS_A_FUNCTION = {"amor", "modified_new_york"}
"""Criteria whose category depends on the inputs alone (not on which arm is known first)."""


def test_every_named_criteria_set_is_registered() -> None:
    assert {s.name for s in CRITERIA} >= set(NAMES)


def values_of(field: str) -> tuple[Any, ...]:
    return NON_BOOLEAN_VALUES.get(field, OPTIONS.get(field, (False, True)))


def fields_of(name: str) -> list[str]:
    return [f for f in next(s for s in CRITERIA if s.name == name).inputs.model_fields]


def unknowns(name: str, inputs: dict[str, Any]) -> list[str]:
    """Inputs the rule still needs: absent ones, minus the unneeded partner of a known test."""
    open_ = [f for f in fields_of(name) if f not in OPTIONS and inputs.get(f) is None]
    for first, second in EITHER_TEST_PAIRS.get(name, ()):
        if inputs.get(first) is not None or inputs.get(second) is not None:
            open_ = [f for f in open_ if f not in (first, second)]
    return open_


def run(name: str, inputs: dict[str, Any]) -> Result:
    return calculate(name, **{k: v for k, v in inputs.items() if v is not None})


def draw_inputs(name: str, data: st.DataObject) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in fields_of(name):
        choices = values_of(field) if field in OPTIONS else (None, *values_of(field))
        out[field] = data.draw(st.sampled_from(choices), label=field)
    return out


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_three_valued_properties(name: str, data: st.DataObject) -> None:
    inputs = draw_inputs(name, data)
    result = run(name, inputs)
    open_ = unknowns(name, inputs)
    assert result.because, "every verdict says what decided it"
    if result.verdict is Verdict.INDETERMINATE:
        assert result.missing
        assert set(result.missing) <= set(open_)
    else:
        assert result.missing == ()

    for field in result.missing:
        for value in values_of(field):
            filled = run(name, {**inputs, field: value})
            if filled.verdict is Verdict.INDETERMINATE:
                assert set(filled.missing) <= set(result.missing) - {field}

    completion = dict(inputs)
    for field in open_:
        completion[field] = data.draw(st.sampled_from(values_of(field)), label=f"fill {field}")
    completed = run(name, completion)
    assert completed.verdict is not Verdict.INDETERMINATE, "complete input is determined"
    if result.verdict is not Verdict.INDETERMINATE:
        assert completed.verdict is result.verdict
    if name in CATEGORY_IS_A_FUNCTION and result.category is not None:
        assert completed.category == result.category


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_indeterminate_really_can_go_either_way(name: str, data: st.DataObject) -> None:
    inputs = draw_inputs(name, data)
    result = run(name, inputs)
    open_ = unknowns(name, inputs)
    domains = [values_of(f) for f in open_]
    completions = 1
    for d in domains:
        completions *= len(d)
    if result.verdict is not Verdict.INDETERMINATE or completions > 1000:
        return
    seen = {
        run(name, {**inputs, **dict(zip(open_, combo, strict=True))}).verdict
        for combo in itertools.product(*domains)
    }
    assert seen == {Verdict.MET, Verdict.NOT_MET}
