"""Batch scoring equals single ``calculate`` row by row, refuses what it refuses, in every table kind.

The calculators are discovered from the catalogue, so a new ``batch_score`` is covered at once.
Value strategies are built from the pydantic inputs models here, independently of the service.
"""

from __future__ import annotations

import math
import typing
from typing import Any

import annotated_types as at
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immunospine.errors import InputError, KnowledgeError
from immunospine.knowledge import CalculatorSpec, calculate, catalogue, get_calculator
from immunospine.services.batch import BatchResult, batch_calculators, calculate_batch

BATCH = [s for s in catalogue() if s.batch_score is not None]
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _bounds(spec: CalculatorSpec, field: str) -> tuple[float, bool, float, bool, bool]:
    info = spec.inputs.model_fields[field]
    lo, lo_incl, hi, hi_incl = -math.inf, True, math.inf, True
    for m in info.metadata:
        if isinstance(m, at.Ge):
            lo, lo_incl = float(m.ge), True  # type: ignore[arg-type]
        elif isinstance(m, at.Gt):
            lo, lo_incl = float(m.gt), False  # type: ignore[arg-type]
        elif isinstance(m, at.Le):
            hi, hi_incl = float(m.le), True  # type: ignore[arg-type]
        elif isinstance(m, at.Lt):
            hi, hi_incl = float(m.lt), False  # type: ignore[arg-type]
    return lo, lo_incl, hi, hi_incl, info.annotation is int


def _columns(spec: CalculatorSpec) -> list[str]:
    return [f for f in spec.inputs.model_fields if f not in spec.options]


def _valid(spec: CalculatorSpec, field: str) -> st.SearchStrategy[Any]:
    lo, lo_incl, hi, hi_incl, integer = _bounds(spec, field)
    lo_f = 0.0 if math.isinf(lo) else lo
    hi_f = min(hi, lo_f + 500.0)
    if integer:
        return st.integers(math.ceil(lo_f + (not lo_incl)), math.floor(hi_f - (not hi_incl)))
    # one-decimal values as clinicians write them (these hit cut-offs exactly), and any float
    decimals = st.integers(math.ceil(lo_f * 10), math.floor(hi_f * 10)).map(lambda i: i / 10)
    floats = st.floats(lo_f, hi_f, exclude_min=not lo_incl, exclude_max=not hi_incl)
    ok = st.one_of(decimals, floats)
    return ok.filter(lambda x: (x > lo if not lo_incl else True) and (x < hi or hi_incl))


def _option_values(spec: CalculatorSpec) -> st.SearchStrategy[dict[str, Any]]:
    choices: dict[str, st.SearchStrategy[Any]] = {}
    for key in spec.options:
        annotation = spec.inputs.model_fields[key].annotation
        if typing.get_origin(annotation) is typing.Literal:
            choices[key] = st.sampled_from(typing.get_args(annotation))
    return st.fixed_dictionaries({}, optional=choices)


def _rows(spec: CalculatorSpec, cell: Any = None) -> st.SearchStrategy[list[dict[str, Any]]]:
    fields = _columns(spec)
    row = st.fixed_dictionaries({f: (cell(spec, f) if cell else _valid(spec, f)) for f in fields})
    return st.lists(row, min_size=1, max_size=12)


def _table(rows: list[dict[str, Any]], fields: list[str]) -> dict[str, list[Any]]:
    return {f: [r[f] for r in rows] for f in fields}


def _score_list(result: BatchResult) -> tuple[list[Any], list[Any]]:
    table = result.scores
    return table.column("score").to_pylist(), table.column("category").to_pylist()


def _assert_same(spec: CalculatorSpec, one: Any, score: Any, category: Any) -> None:
    assert score == pytest.approx(one.score, rel=1e-12, abs=1e-12)
    assert category == one.category


def test_batch_calculators_are_discovered() -> None:
    assert "asdas_crp" in batch_calculators()
    assert batch_calculators() == tuple(s.name for s in BATCH)


@pytest.mark.parametrize("spec", BATCH, ids=lambda s: s.name)
@PROPERTY
@given(data=st.data())
def test_batch_equals_single_on_valid_rows(spec: CalculatorSpec, data: st.DataObject) -> None:
    rows = data.draw(_rows(spec))
    options = data.draw(_option_values(spec))
    try:
        result = calculate_batch(spec.name, _table(rows, _columns(spec)), **options)
    except KnowledgeError as exc:  # an option the vectorised formula does not offer: said loudly
        assert "does not support" in str(exc)
        return
    assert result.ok and result.n_rows == len(rows) and result.n_invalid == 0
    scores, categories = _score_list(result)
    for row, score, category in zip(rows, scores, categories, strict=True):
        _assert_same(spec, calculate(spec.name, **row, **options), score, category)


def _any_cell(spec: CalculatorSpec, field: str) -> st.SearchStrategy[Any]:
    lo, _, hi, _, integer = _bounds(spec, field)
    bad: list[Any] = [None, math.nan, math.inf, -math.inf, True, "3"]
    bad += [lo - 1, lo - 0.001] if math.isfinite(lo) else []
    bad += [hi + 1, hi + 0.001] if math.isfinite(hi) else [1e300]
    bad += [(0.0 if math.isinf(lo) else lo) + 0.5] if integer else []
    return st.one_of(_valid(spec, field), _valid(spec, field), st.sampled_from(bad))


def _single(spec: CalculatorSpec, row: dict[str, Any]) -> tuple[Any, set[tuple[str, str]]]:
    """Single ``calculate`` on a table row: null = not given; whole floats → int for int fields."""
    inputs = {}
    for key, value in row.items():
        if value is None:
            continue
        integer = spec.inputs.model_fields[key].annotation is int
        if integer and type(value) is float and math.isfinite(value) and value.is_integer():
            value = int(value)
        inputs[key] = value
    try:
        return calculate(spec.name, **inputs), set()
    except InputError as exc:
        return None, {(p.field, p.code) for p in exc.problems}


@pytest.mark.parametrize("spec", BATCH, ids=lambda s: s.name)
@PROPERTY
@given(data=st.data())
def test_batch_refuses_exactly_what_single_refuses(
    spec: CalculatorSpec, data: st.DataObject
) -> None:
    rows = data.draw(_rows(spec, _any_cell))
    result = calculate_batch(spec.name, _table(rows, _columns(spec)))
    scores, categories = _score_list(result)
    for i, row in enumerate(rows):
        one, refused = _single(spec, row)
        found = {(p.field, p.code) for p in result.invalid if p.row == i}
        assert found == refused, (row, result.invalid)
        if one is None:
            assert scores[i] is None and categories[i] is None
        else:
            _assert_same(spec, one, scores[i], categories[i])
    assert result.n_invalid == sum(_single(spec, r)[0] is None for r in rows)


ASDAS_ROW = {
    "back_pain": 6.0,
    "morning_stiffness_duration": 5.0,
    "patient_global": 6.0,
    "peripheral_pain": 4.0,
    "crp_mg_l": 10.0,
}


def _asdas(n: int = 3, **changes: list[Any]) -> dict[str, list[Any]]:
    table: dict[str, list[Any]] = {k: [v] * n for k, v in ASDAS_ROW.items()}
    table.update(changes)
    return table


@pytest.mark.parametrize(
    ("column", "cell", "code", "words"),
    [
        ("crp_mg_l", None, "missing", "is required"),
        ("crp_mg_l", math.nan, "finite_number", "finite"),
        ("back_pain", math.inf, "finite_number", "finite"),
        ("back_pain", -math.inf, "finite_number", "finite"),
        ("back_pain", 10.5, "less_than_equal", "must be at most 10 "),
        ("crp_mg_l", -1, "greater_than_equal", "must be at least 0 "),
        ("patient_global", True, "float_type", "must be a number"),
        ("patient_global", "6", "float_type", "must be a number"),
        ("patient_global", [6], "float_type", "must be a number"),
    ],
)
def test_each_kind_of_invalid_cell(column: str, cell: Any, code: str, words: str) -> None:
    values = [ASDAS_ROW[column], cell, ASDAS_ROW[column]]
    result = calculate_batch("asdas_crp", _asdas(**{column: values}))
    assert not result.ok and result.n_invalid == 1 and result.invalid_rows == (1,)
    (problem,) = result.invalid
    assert (problem.row, problem.field, problem.code) == (1, column, code)
    assert words in problem.message
    scores, categories = _score_list(result)
    assert scores[1] is None and categories[1] is None
    assert scores[0] == pytest.approx(3.356381, abs=1e-6) and categories[0] == "high"


def test_integer_fields_take_whole_numbers_only() -> None:
    row = {"tender_joints_28": 4, "swollen_joints_28": 3, "patient_global": 5.0}
    table = {k: [v] * 4 for k, v in row.items()}
    table["evaluator_global"] = [4.0] * 4
    table["tender_joints_28"] = [4.0, 4.5, 29, -1]  # whole float accepted; the rest refused
    result = calculate_batch("cdai", table)
    assert [(p.row, p.code) for p in result.invalid] == [
        (1, "int_type"),
        (2, "less_than_equal"),
        (3, "greater_than_equal"),
    ]
    assert (
        _score_list(result)[0][0]
        == calculate("cdai", **dict(row, evaluator_global=4.0, tender_joints_28=4)).score
    )


def test_several_bad_cells_in_one_row_are_all_reported() -> None:
    result = calculate_batch("asdas_crp", _asdas(2, back_pain=[6, 11], crp_mg_l=[1, None]))
    assert [(p.row, p.field) for p in result.invalid] == [(1, "back_pain"), (1, "crp_mg_l")]
    assert result.n_invalid == 1


def test_cut_off_reached_in_decimal_is_classified_as_single_calculate() -> None:
    """1.1 + 1.7 is 2.8000000000000003 in binary: the row is re-scored, remission as published."""
    table = {
        "tender_joints_28": [0, 0],
        "swollen_joints_28": [0, 0],
        "patient_global": [1.1, 1.2],
        "evaluator_global": [1.7, 1.7],
    }
    scores, categories = _score_list(calculate_batch("cdai", table))
    assert scores[0] == 2.8 and categories == ["remission", "low"]


@pytest.mark.parametrize(
    ("table", "words"),
    [
        (_asdas(1, patient_id=[1]), "patient_id: is not an input of asdas_crp"),
        ({k: v for k, v in _asdas(1).items() if k != "crp_mg_l"}, "crp_mg_l: is a required column"),
        (_asdas(1, coefficients=["rounded"]), "coefficients: is an option"),
        (_asdas(1, crp_mg_l=[1, 2]), "differ in length"),
        (_asdas(1, crp_mg_l="10"), "must be a sequence"),
        (pa.table({**_asdas(1), "crp_mg_l": [True]}), "crp_mg_l: has type bool"),
        (pa.table({**_asdas(1), "crp_mg_l": ["10"]}), "crp_mg_l: has type string"),
        (pd.DataFrame({**_asdas(1), "crp_mg_l": [True]}), "crp_mg_l: has type bool"),
        ({**_asdas(1), "crp_mg_l": np.zeros((1, 1))}, "has 2 dimensions"),
        ({**_asdas(1), "crp_mg_l": np.array(["x"])}, "has type <U1"),
        ([1, 2], "must be a pyarrow.Table"),
    ],
)
def test_table_problems_are_input_errors_naming_the_column(table: Any, words: str) -> None:
    with pytest.raises(InputError, match=words) as caught:
        calculate_batch("asdas_crp", table)
    assert caught.value.problems


def test_duplicate_columns_are_refused() -> None:
    frame = pd.DataFrame([[1.0, 2.0]], columns=["back_pain", "back_pain"])
    with pytest.raises(InputError, match="back_pain: is a column twice"):
        calculate_batch("asdas_crp", frame)


def test_options_are_validated_and_used() -> None:
    with pytest.raises(
        InputError, match='coefficients = "exact": must be "published" or "rounded"'
    ) as caught:
        calculate_batch("asdas_crp", _asdas(1), coefficients="exact", colour="red")
    assert [p.field for p in caught.value.problems] == ["coefficients", "colour"]
    rounded = calculate_batch("asdas_crp", _asdas(1), coefficients="rounded")
    single = calculate("asdas_crp", **ASDAS_ROW, coefficients="rounded")
    assert _score_list(rounded)[0] == [single.score]


def test_an_option_the_formula_lacks_is_a_knowledge_error() -> None:
    if "cutoffs" not in get_calculator("das28_crp").options:  # pragma: no cover
        pytest.skip(reason="das28_crp has no cutoffs option")
    table = {"tender_joints_28": [4], "swollen_joints_28": [3], "crp_mg_l": [12.0]}
    table["patient_global_health"] = [50.0]
    try:
        result = calculate_batch("das28_crp", table, cutoffs="crp_specific")
    except KnowledgeError as exc:
        assert 'does not support cutoffs="crp_specific"' in str(exc)
    else:  # the formula learnt the option: then it must agree with single calculate
        one = calculate("das28_crp", **{k: v[0] for k, v in table.items()}, cutoffs="crp_specific")
        assert _score_list(result)[1] == [one.category]


def test_calculator_with_nested_inputs_names_those_a_table_can_score() -> None:
    with pytest.raises(KnowledgeError, match="rmdq takes lists or nested objects") as e:
        calculate_batch("rmdq", {"items": [[True] * 24]})
    assert "asdas_crp" in str(e.value) and "basdai" in str(e.value)
    with pytest.raises(KnowledgeError, match="unknown calculator"):
        calculate_batch("nope", {})


# --- table kinds ----------------------------------------------------------------------------------


def test_pandas_in_pandas_out_keeps_index_and_treats_nan_as_null() -> None:
    frame = pd.DataFrame(_asdas(3), index=["a", "b", "c"])
    frame.loc["b", "crp_mg_l"] = np.nan
    frame["peripheral_pain"] = frame["peripheral_pain"].astype("Int64")
    result = calculate_batch("asdas_crp", frame)
    out = result.scores
    assert isinstance(out, pd.DataFrame) and list(out.index) == ["a", "b", "c"]
    assert out["score"].dtype == np.float64 and isinstance(
        out["category"].dtype, pd.CategoricalDtype
    )
    assert out["score"].isna().tolist() == [False, True, False]
    assert out["category"].tolist()[::2] == ["high", "high"]
    assert [(p.row, p.code) for p in result.invalid] == [(1, "missing")]


def test_pandas_object_column_is_checked_cell_by_cell() -> None:
    frame = pd.DataFrame(_asdas(3, back_pain=[6, True, None]))
    assert frame["back_pain"].dtype == object
    result = calculate_batch("asdas_crp", frame)
    assert [(p.row, p.code) for p in result.invalid] == [(1, "float_type"), (2, "missing")]


def test_polars_in_polars_out() -> None:
    frame = pl.DataFrame(_asdas(3, crp_mg_l=[10.0, None, float("nan")]))
    result = calculate_batch("asdas_crp", frame)
    assert isinstance(result.scores, pl.DataFrame)
    assert result.scores["score"].null_count() == 2
    assert result.scores["category"].to_list() == ["high", None, None]
    assert [(p.row, p.code) for p in result.invalid] == [(1, "missing"), (2, "finite_number")]


def test_arrow_in_arrow_out_with_chunks_and_integer_columns() -> None:
    table = pa.table(_asdas(2))
    table = pa.concat_tables([table, table]).cast(
        table.schema.set(0, pa.field("back_pain", pa.int16()))
    )
    assert table.column("crp_mg_l").num_chunks == 2
    result = calculate_batch("asdas_crp", table)
    assert isinstance(result.scores, pa.Table) and result.ok
    assert result.scores.schema.field("score").type == pa.float64()
    assert pa.types.is_dictionary(result.scores.schema.field("category").type)
    assert _score_list(result)[1] == ["high"] * 4


def test_mapping_of_numpy_arrays_is_scored_without_touching_them() -> None:
    columns = {k: np.full(5, v) for k, v in ASDAS_ROW.items()}
    columns["crp_mg_l"][2] = np.nan
    columns["back_pain"] = np.ma.masked_array(columns["back_pain"], mask=[0, 0, 0, 1, 0])
    before = {k: np.array(v) for k, v in columns.items()}
    result = calculate_batch("asdas_crp", columns)
    assert isinstance(result.scores, pa.Table)
    assert result.invalid_rows == (2, 3)
    for key, values in columns.items():
        np.testing.assert_array_equal(np.asarray(values), before[key])


def test_python_integers_beyond_64_bits_are_read_cell_by_cell() -> None:
    result = calculate_batch("asdas_crp", _asdas(2, crp_mg_l=[2**70, 10**400]))
    assert [(p.row, p.code) for p in result.invalid] == [(1, "finite_number")]
    assert (
        _score_list(result)[0][0] == calculate("asdas_crp", **dict(ASDAS_ROW, crp_mg_l=2**70)).score
    )


def test_empty_table_and_calculator_without_bands() -> None:
    empty = calculate_batch("asdas_crp", {k: [] for k in ASDAS_ROW})
    assert empty.n_rows == 0 and empty.ok and empty.scores.num_rows == 0
    basfi = get_calculator("basfi")
    table = {f: [5.0, 2.0] for f in _columns(basfi)}
    result = calculate_batch("basfi", table)
    assert _score_list(result) == ([5.0, 2.0], [None, None])
    frame = calculate_batch("basfi", pd.DataFrame(table)).scores
    assert frame["category"].isna().all()


def test_bad_cells_past_the_first_block_are_found() -> None:
    n = 100_000
    columns = {k: np.full(n, v) for k, v in ASDAS_ROW.items()}
    columns["crp_mg_l"][70_000] = np.nan
    columns["back_pain"][99_999] = 10.5
    result = calculate_batch("asdas_crp", columns)
    assert result.invalid_rows == (70_000, 99_999)
