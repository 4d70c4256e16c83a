"""DAS28: state boundaries on both sides, monotonicity, and batch = scalar."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from immunospine.knowledge import calculate, get_calculator
from immunospine.knowledge.instruments.das28 import CRP_SPECIFIC_STATES, STATES


@pytest.mark.parametrize(
    ("score", "state"),
    [
        (2.59, "remission"),
        (2.5999999, "remission"),
        (2.6, "low"),
        (3.2, "low"),
        (3.2000001, "moderate"),
        (5.1, "moderate"),
        (5.1000001, "high"),
        (0.0, "remission"),
    ],
)
def test_standard_boundaries(score: float, state: str) -> None:
    """remission < 2.6 ≤ low ≤ 3.2 < moderate ≤ 5.1 < high (calculator contract)."""
    assert STATES.classify(score) == state


@pytest.mark.parametrize(
    ("score", "state"),
    [
        (2.3999999, "remission"),
        (2.4, "low"),
        (2.9, "low"),
        (2.9000001, "moderate"),
        (4.6, "moderate"),
        (4.6000001, "high"),
    ],
)
def test_crp_specific_boundaries(score: float, state: str) -> None:
    """Fleischmann 2017, read with the same sides as the standard set."""
    assert CRP_SPECIFIC_STATES.classify(score) == state


COUNT = st.integers(0, 28)
ESR = st.floats(1, 150)
CRP = st.floats(0, 300)
GH = st.floats(0, 100)

# name → (laboratory field, laboratory strategy, has global health)
FORMS = {
    "das28_esr": ("esr_mm_h", ESR, True),
    "das28_crp": ("crp_mg_l", CRP, True),
    "das28_esr_3v": ("esr_mm_h", ESR, False),
    "das28_crp_3v": ("crp_mg_l", CRP, False),
}


def _inputs(name: str, data: st.DataObject) -> dict[str, Any]:
    lab, lab_values, has_gh = FORMS[name]
    out: dict[str, Any] = {
        "tender_joints_28": data.draw(COUNT),
        "swollen_joints_28": data.draw(COUNT),
        lab: data.draw(lab_values),
    }
    if has_gh:
        out["patient_global_health"] = data.draw(GH)
    return out


@pytest.mark.parametrize("name", FORMS)
@given(data=st.data())
def test_rises_with_each_input(name: str, data: st.DataObject) -> None:
    base = _inputs(name, data)
    field = data.draw(st.sampled_from(sorted(base)))
    higher = dict(base)
    if isinstance(base[field], int):
        higher[field] = data.draw(st.integers(base[field], 28))
    elif field == "patient_global_health":
        higher[field] = data.draw(st.floats(base[field], 100))
    else:
        higher[field] = data.draw(st.floats(base[field], base[field] * 2 + 1))
    low = calculate(name, **base).score
    high = calculate(name, **higher).score
    assert low is not None and high is not None
    assert low <= high + 1e-12


@pytest.mark.parametrize("name", FORMS)
@given(data=st.data())
def test_batch_equals_scalar(name: str, data: st.DataObject) -> None:
    rows = [_inputs(name, data) for _ in range(data.draw(st.integers(1, 5)))]
    cols = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    spec = get_calculator(name)
    assert spec.batch_score is not None
    batch = spec.batch_score(cols)
    scalar = [calculate(name, **r).score for r in rows]
    np.testing.assert_allclose(batch, scalar, rtol=0, atol=1e-12)


def test_batch_does_not_modify_its_inputs() -> None:
    cols = {
        "tender_joints_28": np.array([8.0, 2.0]),
        "swollen_joints_28": np.array([5.0, 1.0]),
        "esr_mm_h": np.array([30.0, 12.0]),
        "patient_global_health": np.array([50.0, 20.0]),
    }
    before = {k: v.copy() for k, v in cols.items()}
    batch_score = get_calculator("das28_esr").batch_score
    assert batch_score is not None
    batch_score(cols)
    for k, v in cols.items():
        np.testing.assert_array_equal(v, before[k])


def test_crp_specific_cutoffs_change_only_the_category() -> None:
    base = {
        "tender_joints_28": 8,
        "swollen_joints_28": 5,
        "crp_mg_l": 20,
        "patient_global_health": 50,
    }
    standard = calculate("das28_crp", **base)
    specific = calculate("das28_crp", **base, cutoffs="crp_specific")
    assert standard.score == specific.score
    assert (standard.category, specific.category) == ("moderate", "high")
