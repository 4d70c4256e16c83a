"""CDAI and SDAI: state boundaries, decimal addition, monotonicity and batch = scalar."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from immunospine.knowledge import calculate, get_calculator
from immunospine.knowledge.instruments.cdai_sdai import CDAI_STATES, SDAI_STATES


@pytest.mark.parametrize(
    ("score", "state"),
    [
        (2.8, "remission"),
        (2.8000001, "low"),
        (10.0, "low"),
        (10.0000001, "moderate"),
        (22.0, "moderate"),
        (22.0000001, "high"),
    ],
)
def test_cdai_boundaries(score: float, state: str) -> None:
    assert CDAI_STATES.classify(score) == state


@pytest.mark.parametrize(
    ("score", "state"),
    [
        (3.3, "remission"),
        (3.3000001, "low"),
        (11.0, "low"),
        (11.0000001, "moderate"),
        (26.0, "moderate"),
        (26.0000001, "high"),
    ],
)
def test_sdai_boundaries(score: float, state: str) -> None:
    assert SDAI_STATES.classify(score) == state


TENTHS = st.integers(0, 100).map(lambda n: n / 10)
COUNT = st.integers(0, 28)


@given(COUNT, COUNT, TENTHS, TENTHS)
def test_cdai_adds_one_decimal_inputs_exactly(t: int, s: int, pg: float, eg: float) -> None:
    """The state is decided on the exact decimal sum, as a clinician adds it by hand."""
    exact = Decimal(t) + Decimal(s) + Decimal(repr(pg)) + Decimal(repr(eg))
    result = calculate(
        "cdai", tender_joints_28=t, swollen_joints_28=s, patient_global=pg, evaluator_global=eg
    )
    assert result.score == float(exact)
    assert result.category == CDAI_STATES.classify(float(exact))


def _sdai(data: st.DataObject) -> dict[str, Any]:
    return {
        "tender_joints_28": data.draw(COUNT),
        "swollen_joints_28": data.draw(COUNT),
        "patient_global": data.draw(st.floats(0, 10)),
        "evaluator_global": data.draw(st.floats(0, 10)),
        "crp_mg_l": data.draw(st.floats(0, 300)),
    }


@given(data=st.data())
def test_sdai_rises_with_each_input_and_exceeds_cdai(data: st.DataObject) -> None:
    base = _sdai(data)
    field = data.draw(st.sampled_from(sorted(base)))
    higher = dict(base)
    higher[field] = base[field] + (1 if isinstance(base[field], int) else 0.5)
    if field.endswith("_28"):
        higher[field] = min(higher[field], 28)
    if field.endswith("global"):
        higher[field] = min(higher[field], 10.0)
    low = calculate("sdai", **base).score
    high = calculate("sdai", **higher).score
    cdai = calculate("cdai", **{k: v for k, v in base.items() if k != "crp_mg_l"}).score
    assert low is not None and high is not None and cdai is not None
    assert cdai <= low <= high


@pytest.mark.parametrize("name", ["cdai", "sdai"])
@given(data=st.data())
def test_batch_equals_scalar(name: str, data: st.DataObject) -> None:
    rows = [_sdai(data) for _ in range(data.draw(st.integers(1, 5)))]
    if name == "cdai":
        rows = [{k: v for k, v in r.items() if k != "crp_mg_l"} for r in rows]
    cols = {k: np.array([r[k] for r in rows]) for k in rows[0]}
    batch_score = get_calculator(name).batch_score
    assert batch_score is not None
    scalar = [calculate(name, **r).score for r in rows]
    np.testing.assert_allclose(batch_score(cols), scalar, rtol=1e-12, atol=1e-12)
