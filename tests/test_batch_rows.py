"""Batch scoring row by row: every calculator with a flat input, BASDAI first (issue 8 §1).

A calculator without a vectorised formula is scored through single ``calculate`` one row at a
time, so a row's result and its refusals are exactly single ``calculate``'s.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

from immunospine.cli import main
from immunospine.errors import InputError
from immunospine.knowledge import calculate, catalogue
from immunospine.services.batch import calculate_batch, table_calculators
from immunospine.services.batch_rows import has_flat_inputs

BASDAI_ROWS = [
    {"q1": 2, "q2": 10, "q3": 7, "q4": 1, "q5": 9, "q6": 3},
    {"q1": 0.5, "q2": 0, "q3": 0, "q4": 0, "q5": 0, "q6": 0},
    {"q1": 10, "q2": 10, "q3": 10, "q4": 10, "q5": 10, "q6": 10},
]


def _columns(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {k: [r.get(k) for r in rows] for k in rows[0]}


def test_every_flat_calculator_can_be_scored_from_a_table() -> None:
    flat = {s.name for s in catalogue() if has_flat_inputs(s) or s.batch_score is not None}
    assert set(table_calculators()) == flat
    assert {"basdai", "basmi_lin", "pain_nrs", "ibp_calin", "asas_axspa"} <= flat
    assert "rmdq" not in flat and "axspa_probability" not in flat  # lists and nested objects


def test_basdai_rows_equal_single_calculate() -> None:
    result = calculate_batch("basdai", _columns(BASDAI_ROWS))
    assert result.ok and result.n_rows == 3
    scores = result.scores.column("score").to_pylist()
    assert scores == [calculate("basdai", **row).score for row in BASDAI_ROWS]
    assert scores[0] == pytest.approx(5.2)


def test_a_bad_row_is_reported_as_single_calculate_words_it() -> None:
    rows = [*BASDAI_ROWS, {**BASDAI_ROWS[0], "q1": 11, "q2": True}, {**BASDAI_ROWS[0], "q6": None}]
    result = calculate_batch("basdai", _columns(rows))
    assert result.invalid_rows == (3, 4) and result.n_invalid == 2
    found = {(p.row, p.field, p.code): p for p in result.invalid}
    assert set(found) == {
        (3, "q1", "less_than_equal"),
        (3, "q2", "float_type"),
        (4, "q6", "missing"),
    }
    assert found[(3, "q1", "less_than_equal")].message.startswith("must be at most 10")
    assert found[(4, "q6", "missing")].value is None
    assert result.scores.column("score").to_pylist()[3:] == [None, None]


def test_criteria_rows_carry_their_verdict() -> None:
    table = {
        "age_at_onset_years": [30, 50],
        "back_pain_duration_months": [6, 2],
        "insidious_onset": [True, None],
        "morning_stiffness": [True, True],
        "improves_with_exercise": [False, True],
    }
    result = calculate_batch("ibp_calin", table)
    verdicts = result.scores.column("verdict").to_pylist()
    for i, verdict in enumerate(verdicts):
        row = {k: v[i] for k, v in table.items() if v[i] is not None}
        one = calculate("ibp_calin", **row)
        assert verdict == (one.verdict.value if one.verdict else None)
    assert verdicts[0] == "met"


def test_pandas_nan_is_a_missing_cell_and_whole_floats_fill_integer_fields() -> None:
    frame = pd.DataFrame(_columns(BASDAI_ROWS), index=["a", "b", "c"])
    frame.loc["b", "q6"] = math.nan
    out = calculate_batch("basdai", frame)
    assert list(out.scores.index) == ["a", "b", "c"]
    assert [(p.row, p.field, p.code) for p in out.invalid] == [(1, "q6", "missing")]
    assert out.scores["score"].isna().tolist() == [False, True, False]
    table = {
        "age_at_onset_years": [30.0],  # an integer field given as a whole float
        "back_pain_duration_months": [6.0],
        "insidious_onset": [True],
        "morning_stiffness": [True],
        "improves_with_exercise": [True],
    }
    assert calculate_batch("ibp_calin", table).ok


def test_polars_and_arrow_tables() -> None:
    arrow = pa.table(_columns(BASDAI_ROWS))
    polars_out = calculate_batch("basdai", pl.from_arrow(arrow)).scores
    arrow_out = calculate_batch("basdai", arrow).scores
    assert isinstance(polars_out, pl.DataFrame)
    assert polars_out["score"].to_list() == arrow_out.column("score").to_pylist()


@pytest.mark.parametrize(
    ("table", "options", "words"),
    [
        ({"q1": [1], "colour": ["red"]}, {}, "colour: is not an input of basdai"),
        ({"q1": [1]}, {}, "q2: is a required column"),
        (_columns(BASDAI_ROWS), {"scale": 3}, "scale = 3: is not an option of basdai"),
    ],
)
def test_table_problems_raise_before_any_row(
    table: dict[str, list[Any]], options: dict[str, Any], words: str
) -> None:
    with pytest.raises(InputError, match=words):
        calculate_batch("basdai", table, **options)


def test_calc_batch_scores_a_basdai_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(
        "patient_id,q1,q2,q3,q4,q5,q6\np1,2,10,7,1,9,3\np2,1,2,3,4,5,\np3,11,true,x,1,1,1\n",
        encoding="utf-8",
    )
    code = main(
        ["calc-batch", "basdai", "-i", str(source), "-o", str(target), "--carry", "patient_id"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "row 3: q6 = null: is required" in err  # p2 is on the file's third line
    assert "row 4: q1 = 11: must be at most 10" in err
    assert 'row 4: q3 = "x": must be a number' in err
    out = pacsv.read_csv(target)
    assert out.column("score").to_pylist()[0] == pytest.approx(5.2)
    assert out.column("score").to_pylist()[1:] == [None, None]


def test_calc_batch_help_names_every_calculator_a_table_can_score(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["calc-batch", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for name in table_calculators():
        assert name in text
    assert "rmdq" not in text


def test_calc_batch_names_its_own_flags_in_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The service names fields (``input``); the command maps them to its flags."""
    code = main(["calc-batch", "basdai", "-i", str(tmp_path / "no.csv"), "-o", "x.csv"])
    assert code == 2
    assert '--input = "' in capsys.readouterr().err


def test_options_are_checked_once_for_the_table_and_used_on_every_row() -> None:
    table = {
        "morning_stiffness_minutes": [45],
        "improves_with_exercise": [True],
        "improves_with_rest": [False],
        "wakes_second_half_of_night": [False],
        "alternating_buttock_pain": [False],
    }
    with pytest.raises(InputError, match="threshold = 7"):
        calculate_batch("ibp_berlin", table, threshold=7)
    for threshold in (2, 3):
        verdict = calculate_batch("ibp_berlin", table, threshold=threshold).scores
        one = calculate("ibp_berlin", **{k: v[0] for k, v in table.items()}, threshold=threshold)
        assert verdict.column("verdict").to_pylist() == [one.verdict.value if one.verdict else None]
