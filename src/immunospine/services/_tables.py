"""Column-oriented tables in and out: float64 NumPy columns for ``services.batch``, and the
scores table of the input's kind.

A table is a ``pyarrow.Table``, a ``pandas.DataFrame``, a ``polars.DataFrame`` or a mapping of
column name → sequence or NumPy array. pandas and polars are used only when the caller passes
their frames (they are optional extras), so neither is imported here.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from immunospine.errors import FieldProblem, InputError

Floats = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass(slots=True)
class Column:
    values: Floats  # float64; may be read-only (zero-copy); meaningless where null or bad
    nulls: Mask | None  # True where the cell is null
    whole: bool  # every value came from an integer type
    nan_is_null: bool  # pandas: NaN marks a missing value
    bad: dict[int, Any]  # cells of a wrong type (boolean, text …): row → value


class ColumnTypeError(Exception):
    pass


def open_table(name: str, table: Any) -> tuple[str, int, dict[str, Any], Any]:
    """(kind, number of rows, column name → raw column, pandas index or None)."""
    pd, pl = sys.modules.get("pandas"), sys.modules.get("polars")
    if pl is not None and isinstance(table, pl.DataFrame):
        _, n_rows, raw, index = open_table(name, table.to_arrow())
        return "polars", n_rows, raw, index
    if isinstance(table, pa.Table):
        names = table.column_names
        raw = {n: table.column(i) for i, n in enumerate(names)}
        n_rows, index = table.num_rows, None
        kind = "arrow"
    elif pd is not None and isinstance(table, pd.DataFrame):
        names = list(table.columns)
        raw = {n: table.iloc[:, i] for i, n in enumerate(names)}
        n_rows, index, kind = len(table), table.index, "pandas"
    elif isinstance(table, Mapping):
        names, raw, kind, index = list(table), dict(table), "mapping", None
        bad = [n for n, v in raw.items() if isinstance(v, str | bytes) or not hasattr(v, "__len__")]
        if bad:
            msg = "must be a sequence or array of values"
            raise InputError.from_problems(
                [FieldProblem((str(n),), msg, "column_type") for n in bad], name
            )
        lengths = {len(v) for v in raw.values()}
        if len(lengths) > 1:
            shown = ", ".join(f"{n}: {len(v)}" for n, v in raw.items())
            raise InputError.single((), f"columns differ in length ({shown})", context=name,
                                    has_value=False, code="column_length")  # fmt: skip
        n_rows = lengths.pop() if lengths else 0
    else:
        raise InputError.single(
            (), "the table must be a pyarrow.Table, pandas.DataFrame, polars.DataFrame or a "
            f"mapping of column name to values, not {type(table).__name__}",
            context=name, has_value=False, code="table_type",
        )  # fmt: skip
    if len(set(names)) != len(names):
        dup = sorted({str(n) for n in names if names.count(n) > 1})
        raise InputError.from_problems(
            [FieldProblem((d,), "is a column twice", "duplicate") for d in dup], name
        )
    return kind, n_rows, raw, index


def read_column(raw: Any) -> Column:
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(raw, pd.Series):
        dtype = raw.dtype
        if not isinstance(dtype, np.dtype):  # extension types: nullable ints, strings …
            return _from_arrow(pa.array(raw, from_pandas=True))
        return _from_numpy(raw.to_numpy(), nan_is_null=True)
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.chunk(0) if raw.num_chunks == 1 else raw.combine_chunks()
    if isinstance(raw, pa.Array):
        return _from_arrow(raw)
    if isinstance(raw, np.ndarray):
        return _from_numpy(raw, nan_is_null=False)
    if isinstance(raw, Sequence):
        return _from_sequence(raw, nan_is_null=False)
    raise ColumnTypeError(f"is a {type(raw).__name__}")


def _from_arrow(arr: pa.Array) -> Column:
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    t = arr.type
    if pa.types.is_null(t):
        return Column(np.zeros(len(arr)), np.ones(len(arr), np.bool_), False, False, {})
    if not (pa.types.is_integer(t) or pa.types.is_floating(t)):
        raise ColumnTypeError(f"has type {t}")
    nulls = arr.is_null().to_numpy(zero_copy_only=False) if arr.null_count else None
    values = np.asarray(arr.to_numpy(zero_copy_only=False), dtype=np.float64)
    return Column(values, nulls, pa.types.is_integer(t), False, {})


def _from_numpy(a: NDArray[Any], *, nan_is_null: bool) -> Column:
    nulls = None
    if isinstance(a, np.ma.MaskedArray):
        nulls = np.ma.getmaskarray(a) if np.ma.is_masked(a) else None
        a = a.data
    if a.ndim != 1:
        raise ColumnTypeError(f"has {a.ndim} dimensions")
    if a.dtype.kind == "O":
        return _from_sequence(a, nan_is_null=nan_is_null)
    if a.dtype.kind not in "fiu":
        raise ColumnTypeError(f"has type {a.dtype}")
    values = np.asarray(a, dtype=np.float64)
    return Column(values, nulls, a.dtype.kind != "f", nan_is_null, {})


_PLAIN_NUMBERS = {float, int, type(None)}


def _from_sequence(seq: Sequence[Any] | NDArray[Any], *, nan_is_null: bool) -> Column:
    if set(map(type, seq)) <= _PLAIN_NUMBERS:  # Arrow infers these exactly
        try:
            col = _from_arrow(pa.array(seq, from_pandas=nan_is_null))
        except (pa.ArrowException, OverflowError):
            pass  # an integer beyond 64 bits: cell by cell below
        else:
            return col
    n = len(seq)
    values = np.zeros(n)
    nulls = np.zeros(n, np.bool_)
    bad: dict[int, Any] = {}
    whole = True
    for i, v in enumerate(seq):
        if v is None:
            nulls[i] = True
        elif isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number):
            bad[i] = v
        else:
            try:
                values[i] = v
            except OverflowError:
                values[i] = math.inf if v > 0 else -math.inf
            whole = whole and isinstance(v, int | np.integer)
    return Column(values, nulls if nulls.any() else None, whole, nan_is_null, bad)


def output_table(
    kind: str, labels: tuple[str, ...], score: Floats, codes: NDArray[np.int8],
    invalid: Mask | None, cat_null: Mask | None, index: Any,
    verdicts: list[str | None] | None = None,
) -> Any:  # fmt: skip
    """The scores as a table of the input's kind: ``score``, ``category`` (and ``verdict``)."""
    if kind == "pandas":
        pd = sys.modules["pandas"]
        if invalid is not None:
            score[invalid] = np.nan
        if cat_null is not None:
            codes[cat_null] = -1
        dtype = pd.CategoricalDtype(pd.Index(list(labels), dtype="object"))
        category = pd.Categorical.from_codes(codes, dtype=dtype)
        frame = pd.DataFrame({"score": score, "category": category}, index=index, copy=False)
        if verdicts is not None:
            frame["verdict"] = pd.Series(verdicts, index=index, dtype="object")
        return frame
    category = pa.DictionaryArray.from_arrays(
        pa.array(codes, mask=cat_null), pa.array(labels, pa.string()), safe=False
    )
    scores = pa.table({"score": pa.array(score, mask=invalid), "category": category})
    if verdicts is not None:
        scores = scores.append_column("verdict", pa.array(verdicts, pa.string()))
    if kind == "polars":
        return sys.modules["polars"].from_arrow(scores)
    return scores
