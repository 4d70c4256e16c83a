"""Results as JSON, shared by ``immunospine calc`` and the API: finite numbers only."""

from __future__ import annotations

import json
import math
import sys

import pytest

from immunospine.errors import InputError
from immunospine.knowledge import Result
from immunospine.services.calculators import result_json, score_json
from immunospine.services.json_output import for_output


def test_the_largest_float_is_not_rounded_up_to_infinity() -> None:
    assert for_output(sys.float_info.max) == sys.float_info.max
    assert for_output(-sys.float_info.max) == -sys.float_info.max
    assert for_output(0.058 * 3.1) == 0.1798


def test_a_huge_crp_gives_valid_json() -> None:
    """Found by Schemathesis: CRP 1.7976931348623157e308 was printed as Infinity (not JSON)."""
    inputs = {
        "baseline": {
            "back_pain": 5, "lateral_spinal_flexion_cm": 10, "basdai_q5": 9, "basdai_q6": 0,
            "patient_global": 1, "basfi": 9.0, "crp_mg_l": sys.float_info.max,
        },
        "follow_up": {
            "back_pain": 9, "patient_global": 8, "basdai_q5": 8, "basfi": 6,
            "lateral_spinal_flexion_cm": 4, "basdai_q6": 7, "crp_mg_l": 1,
        },
    }  # fmt: skip
    out = result_json(score_json("asas_5of6", json.dumps(inputs)))
    json.dumps(out, allow_nan=False)


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_a_result_that_is_not_finite_is_refused_naming_where(bad: float) -> None:
    result = Result(
        name="basdai",
        version="1",
        score=1.0,
        category=None,
        components={"parts": [1.0, {"x": bad}]},
        missing=(),
        interpretation="",
        citation="",
    )
    with pytest.raises(InputError) as info:
        result_json(result)
    assert "components.parts[1].x" in str(info.value)
    assert str(info.value).startswith("basdai: ")
