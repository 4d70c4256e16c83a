"""Batch scoring: one calculator over every row of a column-oriented table, vectorised.

``calculate_batch("asdas_crp", table)`` takes a ``pyarrow.Table``, a ``pandas.DataFrame``, a
``polars.DataFrame`` or a mapping of column name → sequence or NumPy array, and returns a
``BatchResult`` whose ``scores`` table is of the same kind (a mapping gives a ``pyarrow.Table``):
``score`` (float64) and ``category`` (dictionary-encoded / categorical text), one row per input
row, in the same order (a pandas result keeps the input's index).

Validation is single ``calculate``'s, read from the same pydantic inputs model: each field's
``ge``/``gt``/``le``/``lt``, integer fields, finite numbers, required fields and literal options,
checked on whole columns. A row that breaks a rule gets a null score and category and one
``RowProblem`` per bad cell in ``invalid`` (codes as pydantic's: ``missing``, ``finite_number``,
``greater_than_equal``, ``int_type`` …); nothing becomes a silent NaN. Problems of the table itself
(an unknown or missing column, a column of booleans or text, a bad option) raise ``InputError``; a
calculator without a vectorised formula raises ``KnowledgeError`` naming those that have one.

Where a table differs from a JSON object:

- a null cell is a value not given: "is required" for a required field (a field with a default
  takes the default); in a pandas column NaN is pandas' null marker and counts as null, elsewhere
  NaN is "not a finite number";
- an integer field accepts float cells holding whole numbers (dataframes keep integer columns with
  nulls as floats), where single ``calculate`` wants a JSON integer;
- a typed column of booleans or text is refused as a whole (``InputError``); booleans or strings
  inside a Python list or a pandas object column are refused cell by cell.

Speed: float64 columns without nulls are used without copying (read-only, so a formula cannot
write into the caller's data); a column whose values are all valid costs one ``min`` and one
``max``; masks and per-cell messages are built only for columns that hold a bad cell.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Annotated, Any

import annotated_types as at
import numpy as np
from numpy.typing import NDArray
from pydantic import ConfigDict, TypeAdapter, ValidationError

from immunospine.errors import (
    FieldProblem,
    InputError,
    KnowledgeError,
    json_text,
    number_text,
    validation_problems,
)
from immunospine.knowledge import Bands, CalculatorSpec, catalogue, get_calculator
from immunospine.services._tables import (
    Column,
    ColumnTypeError,
    Floats,
    Mask,
    open_table,
    output_table,
    read_column,
)

__all__ = [
    "BatchResult",
    "RowProblem",
    "batch_calculators",
    "calculate_batch",
    "table_calculators",
]

_BLOCK = 1 << 15  # rows per block for block-wise passes (a block of float64 fits in L2 cache)


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One invalid cell: its row (0-based position), field, the value received and why."""

    row: int
    field: str
    value: Any
    message: str
    code: str = "invalid"


@dataclass(frozen=True)
class BatchResult:
    """Scores of every row (a table of the input's kind) and the problems of invalid rows."""

    name: str
    version: str
    scores: Any
    invalid: tuple[RowProblem, ...]
    n_rows: int

    @property
    def invalid_rows(self) -> tuple[int, ...]:
        """Positions of the rows with at least one invalid cell, ascending."""
        return tuple(sorted({p.row for p in self.invalid}))

    @property
    def n_invalid(self) -> int:
        """Number of invalid rows (a row with two bad cells counts once)."""
        return len(self.invalid_rows)

    @property
    def ok(self) -> bool:
        return not self.invalid


def batch_calculators() -> tuple[str, ...]:
    """Names of the calculators that have a vectorised formula, sorted."""
    return tuple(s.name for s in catalogue() if s.batch_score is not None)


def table_calculators() -> tuple[str, ...]:
    """Names of every calculator a table can score: a vectorised formula or a flat input."""
    from immunospine.services.batch_rows import has_flat_inputs

    return tuple(s.name for s in catalogue() if s.batch_score is not None or has_flat_inputs(s))


def calculate_batch(name: str, table: Any, /, **options: Any) -> BatchResult:
    """Score calculator ``name`` on every row of ``table``; ``options`` as in ``calculate``.

    A calculator without a vectorised formula but with a flat input (one column per field) is
    scored row by row through single ``calculate`` (``services.batch_rows``).
    """
    spec = get_calculator(name)
    if spec.batch_score is None:
        from immunospine.services.batch_rows import has_flat_inputs, score_rows

        if has_flat_inputs(spec):
            result: BatchResult = score_rows(spec, table, options)
            return result
        raise KnowledgeError(
            f"{name} takes lists or nested objects, which a table's columns cannot hold; "
            f"calculators a table can score: {', '.join(table_calculators())}"
        )
    if spec.bands is None and spec.categories:
        raise KnowledgeError(f"{name} has categories but no bands, so rows cannot be classified")
    kind, n, raw, index = open_table(name, table)
    rules = _rules(spec.inputs, frozenset(spec.options))
    opts, batch_opts = _options(spec, options)
    columns = _read_columns(spec, rules, raw)
    problems: list[RowProblem] = []
    invalid: Mask | None = None
    cols: dict[str, Floats] = {}
    for rule in rules:
        col = columns.get(rule.name)
        if col is None:  # an optional field without a column takes its default
            values = np.full(n, rule.default)
        else:
            values, bad = _validate(rule, col, n, problems)
            if bad is not None:
                invalid = bad if invalid is None else np.logical_or(invalid, bad, out=invalid)
        if values.flags.writeable:
            values = values.view()
            values.flags.writeable = False
        cols[rule.name] = values
    score = spec.batch_score(cols, **batch_opts)
    _check_score(name, score, n)
    if not score.flags.writeable or any(np.may_share_memory(score, c) for c in cols.values()):
        score = score.copy()
    if spec.bands is not None:
        codes = spec.bands.classify_array(score).astype(np.int8)
        _rescore_near_cutoffs(spec, spec.bands, rules, cols, score, codes, invalid, opts)
        labels, cat_null = spec.bands.labels, invalid
    else:
        codes, labels, cat_null = np.zeros(n, np.int8), (), np.ones(n, np.bool_)
    problems.sort(key=lambda p: p.row)
    table_out = output_table(kind, labels, score, codes, invalid, cat_null, index)
    return BatchResult(spec.name, spec.version, table_out, tuple(problems), n)


# --- the rules of each input field, read from the pydantic model --------------------------------


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    integer: bool
    lo: float
    lo_incl: bool
    hi: float
    hi_incl: bool
    required: bool
    default: float
    allowed: str
    filler: float  # a valid value put into bad cells so the formula never sees them

    def in_range(self, x: float) -> bool:
        """Finite and within the bounds (NaN is not)."""
        above = x >= self.lo if self.lo_incl else x > self.lo
        below = x <= self.hi if self.hi_incl else x < self.hi
        return above and below and math.isfinite(x)

    def holds(self, x: float) -> bool:
        return self.in_range(x) and (not self.integer or x == math.trunc(x))


@cache
def _rules(model: type[Any], options: frozenset[str]) -> tuple[_Rule, ...]:
    decorators = model.__pydantic_decorators__
    if decorators.field_validators or decorators.model_validators:
        raise KnowledgeError(f"{model.__name__} has custom validators that batch cannot mirror")
    out = []
    for name, info in model.model_fields.items():
        if name in options:
            continue
        if info.annotation not in (float, int):
            raise KnowledgeError(f"input {name} ({info.annotation}) cannot come from a column")
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
            else:
                raise KnowledgeError(f"input {name}: constraint {m!r} is not checked in batch")
        required = info.is_required()
        default = math.nan if required else float(info.get_default())
        rule = _Rule(
            name, info.annotation is int, lo, lo_incl, hi, hi_incl, required, default,
            info.description or "", 0.0,
        )  # fmt: skip
        candidates = (default, lo, hi, 0.0, lo + 1, hi - 1, np.ceil(lo) + 1, np.floor(hi) - 1)
        filler = next((c for c in candidates if rule.holds(c)), None)
        if filler is None:
            raise KnowledgeError(f"input {name}: no value satisfies its constraints")
        out.append(replace(rule, filler=filler))
    return tuple(out)


@cache
def _adapter(model: type[Any], field: str) -> TypeAdapter[Any]:
    info = model.model_fields[field]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return TypeAdapter(annotation, config=ConfigDict(strict=True))  # type: ignore[arg-type]


def _options(
    spec: CalculatorSpec, given: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The validated options, and those for the formula (each it takes, defaults filled in)."""
    problems = []
    values: dict[str, Any] = {}
    for key, value in given.items():
        if key not in spec.options or key not in spec.inputs.model_fields:
            known = ", ".join(spec.options) or "none"
            msg = f"is not an option of {spec.name}; options: {known}"
            problems.append(FieldProblem((key,), msg, "extra_forbidden", value, True))
            continue
        try:
            values[key] = _adapter(spec.inputs, key).validate_python(value)
        except ValidationError as exc:
            problems.extend(validation_problems(exc, prefix=(key,)))
    if problems:
        raise InputError.from_problems(problems, spec.name)
    params = inspect.signature(spec.batch_score).parameters  # type: ignore[arg-type]
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    out: dict[str, Any] = {}
    for key in spec.options:
        if key not in spec.inputs.model_fields:  # documented only; nothing to pass
            continue
        default = spec.inputs.model_fields[key].get_default()
        value = values.get(key, default)
        if takes_any or key in params:
            out[key] = value
        elif value != default:
            raise KnowledgeError(
                f"batch scoring of {spec.name} does not support {key}={json_text(value)}; "
                "score those rows one by one with calculate"
            )
    return values, out


# --- the columns of a table ---------------------------------------------------------------------


def _read_columns(
    spec: CalculatorSpec, rules: tuple[_Rule, ...], raw: Mapping[Any, Any]
) -> dict[str, Column]:
    by_name = {r.name: r for r in rules}
    problems: list[FieldProblem] = []
    for key in raw:
        if key in spec.options:
            msg = f"is an option of {spec.name}: pass it as a keyword ({key}=...), not a column"
            problems.append(FieldProblem((key,), msg, "extra_forbidden"))
        elif key not in by_name:
            msg = f"is not an input of {spec.name}; allowed columns: {', '.join(by_name)}"
            problems.append(FieldProblem((str(key),), msg, "extra_forbidden"))
    for rule in rules:
        if rule.required and rule.name not in raw:
            msg = "is a required column" + (f" ({rule.allowed})" if rule.allowed else "")
            problems.append(FieldProblem((rule.name,), msg, "missing"))
    out: dict[str, Column] = {}
    for key in by_name.keys() & raw.keys():
        try:
            out[key] = read_column(raw[key])
        except ColumnTypeError as exc:
            problems.append(FieldProblem((key,), f"{exc}; numbers are needed", "column_type"))
    if problems:
        raise InputError.from_problems(problems, spec.name)
    return out


# --- validating columns ---------------------------------------------------------------------------


def _validate(
    rule: _Rule, col: Column, n: int, problems: list[RowProblem]
) -> tuple[Floats, Mask | None]:
    """The column ready for the formula, and the rows it makes invalid (None when none)."""
    v = col.values
    if col.nulls is None and not col.bad and _all_valid(rule, v, col.whole):
        return v, None
    nulls = np.zeros(n, np.bool_) if col.nulls is None else col.nulls.copy()
    with np.errstate(invalid="ignore"):
        if col.nan_is_null:
            nulls |= np.isnan(v)
        bad = ~np.isfinite(v)
        bad |= (v < rule.lo) if rule.lo_incl else (v <= rule.lo)
        bad |= (v > rule.hi) if rule.hi_incl else (v >= rule.hi)
        if rule.integer and not col.whole:
            bad |= v != np.trunc(v)
    if col.bad:
        bad[list(col.bad)] = True
    bad &= ~nulls
    fixed = v.copy()
    fixed[nulls] = rule.filler if rule.required else rule.default
    fixed[bad] = rule.filler
    if rule.required:
        bad |= nulls
    for row in np.flatnonzero(bad).tolist():
        problems.append(_problem(rule, col, row, bool(nulls[row])))
    return fixed, (bad if bad.any() else None)


def _min_max(v: Floats) -> tuple[float, float]:
    """Smallest and largest value (NaN if any is NaN), block by block so each block is read
    from memory once for both reductions."""
    lo, hi = math.inf, -math.inf
    for start in range(0, len(v), _BLOCK):
        part = v[start : start + _BLOCK]
        a, b = float(part.min()), float(part.max())
        if a < lo or a != a:
            lo = a
        if b > hi or b != b:
            hi = b
    return lo, hi


def _all_valid(rule: _Rule, v: Floats, whole: bool) -> bool:
    if v.size == 0:
        return True
    lo, hi = _min_max(v)
    if not (rule.in_range(lo) and rule.in_range(hi)):
        return False
    return whole or not rule.integer or bool(np.array_equal(v, np.trunc(v)))


def _problem(rule: _Rule, col: Column, row: int, null: bool) -> RowProblem:
    """The problem of one bad cell, worded as single ``calculate`` words it."""
    number = "a whole number" if rule.integer else "a number"
    type_code = "int_type" if rule.integer else "float_type"
    allowed = f" (allowed: {rule.allowed})" if rule.allowed else ""
    if row in col.bad:
        value = col.bad[row]
        return RowProblem(row, rule.name, value, f"must be {number}{allowed}", type_code)
    if null:
        return RowProblem(row, rule.name, None, "is required" + allowed.replace("allowed: ", ""),
                          "missing")  # fmt: skip
    x = float(col.values[row])
    if not math.isfinite(x):
        code = type_code if rule.integer else "finite_number"
        return RowProblem(row, rule.name, x, f"must be a finite {number[2:]}{allowed}", code)
    if rule.integer and x != math.trunc(x):
        return RowProblem(row, rule.name, x, f"must be {number}{allowed}", type_code)
    if not (x >= rule.lo if rule.lo_incl else x > rule.lo):
        words, code = (
            ("at least", "greater_than_equal") if rule.lo_incl else ("above", "greater_than")
        )
        return RowProblem(
            row, rule.name, x, f"must be {words} {number_text(rule.lo)}{allowed}", code
        )
    words, code = ("at most", "less_than_equal") if rule.hi_incl else ("below", "less_than")
    return RowProblem(row, rule.name, x, f"must be {words} {number_text(rule.hi)}{allowed}", code)


# --- the result table -----------------------------------------------------------------------------


def _check_score(name: str, score: Any, n: int) -> None:
    if not isinstance(score, np.ndarray) or score.shape != (n,) or score.dtype != np.float64:
        raise KnowledgeError(f"{name}: the batch formula must return {n} float64 scores")
    if n and not (math.isfinite(score.min()) and math.isfinite(score.max())):
        rows = np.flatnonzero(~np.isfinite(score))[:10].tolist()
        raise KnowledgeError(f"{name}: the batch formula gave non-finite scores at rows {rows}")


_NEAR = 1e-9  # relative distance to a cut-off within which a row is re-scored one by one


def _near_cutoffs(score: Floats, cutoffs: tuple[float, ...]) -> NDArray[np.intp]:
    """Rows whose score lies within ``_NEAR`` of a cut-off without being exactly on it."""
    found = []
    buf = np.empty(min(_BLOCK, len(score)))
    hit = np.empty(len(buf), np.bool_)
    for start in range(0, len(score), _BLOCK):
        part = score[start : start + _BLOCK]
        b, h = buf[: len(part)], hit[: len(part)]
        for cut in cutoffs:
            np.subtract(part, cut, out=b)
            np.abs(b, out=b)
            np.less_equal(b, _NEAR * max(1.0, abs(cut)), out=h)
            if h.any():
                found.append(start + np.flatnonzero(h & (b != 0)))
    return np.unique(np.concatenate(found)) if found else np.empty(0, np.intp)


def _rescore_near_cutoffs(
    spec: CalculatorSpec,
    bands: Bands,
    rules: tuple[_Rule, ...],
    cols: Mapping[str, Floats],
    score: Floats,
    codes: NDArray[np.int8],
    invalid: Mask | None,
    options: Mapping[str, Any],
) -> None:
    """Re-score through single ``calculate`` the rows that floating point could misclassify.

    A vectorised formula adds in a different order (or in binary where ``calculate`` adds in
    decimal), so a score meant to sit exactly on a cut-off can land one rounding step away and
    change band. Those rows are few; the reference path decides them.
    """
    for row in _near_cutoffs(score, bands.cutoffs).tolist():
        if invalid is not None and invalid[row]:
            continue
        values = ((r, cols[r.name][row]) for r in rules)
        inputs = {r.name: int(v) if r.integer else float(v) for r, v in values}
        result = spec.compute(spec.inputs.model_validate({**inputs, **options}))
        score[row] = result.score
        codes[row] = bands.labels.index(result.category) if result.category else -1
