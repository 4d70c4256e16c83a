"""Batch scoring row by row, for the calculators with a flat input but no vectorised formula.

A flat input is one whose every field is a number, a boolean, a text option or null (BASDAI, the
BASMI, pain NRS, the classification criteria …): a table holds it as one column per field. Each
row goes through single ``calculate``, so its result and its refusals are exactly single
``calculate``'s; a bad cell makes its row invalid (a ``RowProblem`` per problem, a null score)
and never stops the table. It is slower than a vectorised formula (about 20 µs a row) and meant
for clinic-sized files, not for populations.

Cells are read as a JSON object would give them: a null cell (or NaN in a pandas column) is a
value not given; a whole float in an integer field is that integer (dataframes keep integer
columns with nulls as floats); anything else is passed as it is and validated.
"""

from __future__ import annotations

import enum
import math
import types
import typing
from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from immunospine.errors import FieldProblem, InputError
from immunospine.knowledge import CalculatorSpec, validate_inputs
from immunospine.services._tables import open_table, output_table

__all__ = ["has_flat_inputs", "score_rows"]


def _is_scalar(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return all(_is_scalar(a) for a in typing.get_args(annotation) if a is not type(None))
    if origin is typing.Literal:
        return True
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return True
    return annotation in (float, int, bool, str)


def has_flat_inputs(spec: CalculatorSpec) -> bool:
    """Every input field is a number, a boolean, a text option or null: one column each."""
    return all(_is_scalar(f.annotation) for f in spec.inputs.model_fields.values())


def _takes_int(annotation: Any) -> bool:
    args = typing.get_args(annotation) or (annotation,)
    return int in args and float not in args


def _cells(raw: Any, kind: str) -> list[Any]:
    """A column as Python values, None where a cell is null (NaN too, in a pandas column)."""
    if isinstance(raw, pa.ChunkedArray | pa.Array):
        return list(raw.to_pylist())
    values = raw.tolist() if hasattr(raw, "tolist") else list(raw)
    if kind == "pandas":
        return [None if isinstance(v, float) and math.isnan(v) else v for v in values]
    return values


def _check_columns(spec: CalculatorSpec, columns: list[Any]) -> None:
    fields = spec.inputs.model_fields
    problems = []
    for key in columns:
        if key in spec.options:
            msg = f"is an option of {spec.name}: pass it as a keyword ({key}=...), not a column"
            problems.append(FieldProblem((str(key),), msg, "extra_forbidden"))
        elif key not in fields:
            allowed = ", ".join(f for f in fields if f not in spec.options)
            msg = f"is not an input of {spec.name}; allowed columns: {allowed}"
            problems.append(FieldProblem((str(key),), msg, "extra_forbidden"))
    for name, info in fields.items():
        if info.is_required() and name not in columns:
            allowed = f" ({info.description})" if info.description else ""
            problems.append(FieldProblem((name,), f"is a required column{allowed}", "missing"))
    if problems:
        raise InputError.from_problems(problems, spec.name)


def _check_options(spec: CalculatorSpec, options: Mapping[str, Any]) -> None:
    """Options are checked once for the table, not once a row."""
    unknown = [k for k in options if k not in spec.options]
    if unknown:
        known = ", ".join(spec.options) or "none"
        raise InputError.from_problems(
            [
                FieldProblem((k,), f"is not an option of {spec.name}; options: {known}",
                             "extra_forbidden", options[k], True)
                for k in unknown
            ],
            spec.name,
        )  # fmt: skip
    try:
        validate_inputs(spec, dict(options))
    except InputError as exc:
        bad = [p for p in exc.problems if p.loc[:1] and p.loc[0] in options]
        if bad:
            raise InputError.from_problems(bad, spec.name) from None


def score_rows(spec: CalculatorSpec, table: Any, options: Mapping[str, Any]) -> Any:
    """Score every row of ``table`` through single ``calculate``; a ``BatchResult``."""
    from immunospine.services.batch import BatchResult, RowProblem

    kind, n, raw, index = open_table(spec.name, table)
    _check_columns(spec, list(raw))
    _check_options(spec, options)
    fields = spec.inputs.model_fields
    integer = {k: _takes_int(fields[k].annotation) for k in raw}
    columns = {k: _cells(v, kind) for k, v in raw.items()}
    labels = spec.bands.labels if spec.bands is not None else tuple(spec.categories)
    score = np.zeros(n)
    invalid = np.zeros(n, np.bool_)
    no_score = np.zeros(n, np.bool_)
    codes = np.full(n, -1, np.int8)
    verdicts: list[str | None] = [None] * n
    problems: list[RowProblem] = []
    for row in range(n):
        inputs: dict[str, Any] = dict(options)
        for key, cells in columns.items():
            value = cells[row]
            if value is None:
                continue
            if integer[key] and type(value) is float and value.is_integer():
                value = int(value)
            inputs[key] = value
        try:
            result = spec.compute(validate_inputs(spec, inputs))
        except InputError as exc:
            invalid[row] = True
            for p in exc.problems:
                value = p.value if p.has_value else None  # a missing cell is a null cell
                problems.append(RowProblem(row, p.field, value, p.msg, p.code))
            continue
        if result.score is None:
            no_score[row] = True
        else:
            score[row] = result.score
        if result.category is not None and result.category in labels:
            codes[row] = labels.index(result.category)
        verdicts[row] = result.verdict.value if result.verdict is not None else None
    cat_null = codes < 0
    table_out = output_table(
        kind, labels, score, codes, invalid | no_score, cat_null, index,
        verdicts if spec.kind in ("criteria", "response") else None,
    )  # fmt: skip
    return BatchResult(spec.name, spec.version, table_out, tuple(problems), n)
