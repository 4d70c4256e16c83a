"""The screening plan: a pure description of the case-finding query, printable as SQL per backend.

A :class:`ScreenPlan` holds resolved concept ids and parameters (``cohort.params``:
``ScreenConcepts``, ``ScreenParams``); it touches no database. ``plan.worklist(tables)`` turns
OMOP tables (any backend's, or the unbound ones of :func:`unbound_tables`) into one Ibis
expression, and
``plan.to_sql(dialect)`` prints it for review (``--show-sql``, the golden files in
``tests/cohort/golden/``). ``cohort.runner`` is the only thing that executes a plan.

Input columns are checked by kind before anything runs (:func:`check_inputs`): a missing table or
column, or a column of the wrong kind, is an :class:`~immunospine.errors.OmopSchemaError` naming
the table and the column. One leniency: a numeric column stored as text (CDMs loaded from CSV, such
as the OHDSI GiBleed sample) is read with ``TRY_CAST``; values that are not numbers become unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from immunospine.cohort import features as ft
from immunospine.cohort.backends.base import compile_sql
from immunospine.cohort.calibration import SiteCalibration
from immunospine.cohort.omop_schema import TABLES, Kind
from immunospine.cohort.params import ScreenConcepts, ScreenParams
from immunospine.cohort.scoring import score
from immunospine.errors import OmopSchemaError
from immunospine.knowledge.probability.axspa import FINDINGS

if TYPE_CHECKING:
    import ibis.expr.types as ir

OmopTables = Mapping[str, "ir.Table"]

#: The columns the engine reads, per OMOP table (kinds from ``cohort.omop_schema.TABLES``).
INPUT_COLUMNS: dict[str, tuple[str, ...]] = {
    "person": ("person_id", "year_of_birth"),
    "condition_occurrence": ("person_id", "condition_concept_id", "condition_start_date"),
    "drug_exposure": ("person_id", "drug_concept_id", "drug_exposure_start_date"),
    "measurement": (
        "person_id",
        "measurement_concept_id",
        "value_as_number",
        "value_as_concept_id",
        "unit_concept_id",
        "range_high",
    ),
    "observation": ("person_id", "observation_concept_id", "value_as_concept_id"),
    "procedure_occurrence": ("person_id", "procedure_concept_id"),
}

#: Date column of each event table (``calibration_features`` windows records by it).
EVENT_DATES: dict[str, str] = {
    "condition_occurrence": "condition_start_date",
    "drug_exposure": "drug_exposure_start_date",
    "measurement": "measurement_date",
    "observation": "observation_date",
    "procedure_occurrence": "procedure_date",
}

_KINDS: dict[str, dict[str, Kind]] = {t: {c.name: c.kind for c in TABLES[t]} for t in INPUT_COLUMNS}
_UNBOUND_TYPE = {
    Kind.ID: "int64",
    Kind.CONCEPT: "int32",
    Kind.INT: "int32",
    Kind.NUMBER: "float64",
    Kind.DATE: "date",
    Kind.STRING: "string",
}
_EXPECTED = {
    Kind.ID: "an integer",
    Kind.CONCEPT: "an integer",
    Kind.INT: "an integer",
    Kind.NUMBER: "a number",
    Kind.DATE: "a date or timestamp",
    Kind.STRING: "a string",
}


@dataclass(frozen=True)
class ScreenPlan:
    """Pure: concept ids + parameters. Build expressions with ``worklist``/``population``."""

    concepts: ScreenConcepts = field(default_factory=ScreenConcepts.shipped)
    params: ScreenParams = field(default_factory=ScreenParams)
    calibration: SiteCalibration | None = None

    def back_pain(self, tables: OmopTables) -> ir.Table:
        """One row per person with a back-pain code: onset, ``chronic``, ``diagnosed``, flags.

        The runner materialises it once (``CohortBackend.materialize``) and passes it as
        ``back_pain=`` to :meth:`counts` and :meth:`worklist`; without it they compute it inline.
        """
        return ft.back_pain(standardise(tables), self.concepts, self.params)

    def population(self, tables: OmopTables, back_pain: ir.Table | None = None) -> ir.Table:
        """Every person with chronic back pain (``diagnosed``: known axSpA), with onset age."""
        bp = self.back_pain(tables) if back_pain is None else back_pain
        return bp.filter(bp.chronic)

    def features(self, tables: OmopTables, back_pain: ir.Table | None = None) -> ir.Table:
        """One row per undiagnosed person with chronic back pain; one column per feature."""
        bp = self.back_pain(tables) if back_pain is None else back_pain
        return ft.features(standardise(tables), self.concepts, self.params, bp)

    def worklist(self, tables: OmopTables, back_pain: ir.Table | None = None) -> ir.Table:
        """Features plus log-odds, probabilities, category, rank and contributions; by rank.

        With ``calibration`` the site probability is added and ranks and categories follow it.
        """
        feats = self.features(tables, back_pain)
        return score(feats, self.params.pretest_log_odds, self.calibration)

    def calibration_population(self, tables: OmopTables, back_pain: ir.Table) -> ir.Table:
        """The screen's chronic back-pain persons: ``person_id``, ``first_back_pain_date`` and
        ``first_diagnosis_date`` (their first ``axspa_diagnosis`` code; NULL if none)."""
        dx = self._first_diagnosis(tables)
        bp = back_pain.filter(back_pain.chronic)
        j = bp.left_join(dx, bp.person_id == dx._dx_person)
        return j.select("person_id", "first_back_pain_date", first_diagnosis_date=j._first_dx)

    def _first_diagnosis(self, tables: OmopTables) -> ir.Table:
        import ibis

        co = tables["condition_occurrence"]
        cols = {c.lower(): c for c in co.columns}
        concept = co[cols["condition_concept_id"]].cast("int64")
        day = co[cols["condition_start_date"]].cast("date")
        return (
            co.filter(concept.isin(sorted(self.concepts.axspa_diagnosis)))
            .mutate(_dx_person=co[cols["person_id"]].cast("int64"), _dx_day=day)
            .group_by("_dx_person")
            .aggregate(_first_dx=ibis._["_dx_day"].min())
        )

    def calibration_features(
        self, tables: OmopTables, index: ir.Table, lookback_days: int, workup_days: int = 0
    ) -> ir.Table:
        """Findings of each ``index`` person (``person_id``, ``index_date``) from the records
        dated in ``[index_date − lookback_days, index_date − workup_days)``: ``person_id`` and
        one column per finding, computed as the screen computes them (``features.features``).

        Diagnosis codes are left out, and back-pain codes are kept whatever their date, so every
        index person stays in the screen's population (chronic, not diagnosed) and only the
        findings are windowed.
        """
        import ibis

        idx = index.select(_ix_person=index.person_id.cast("int64"), _ix_day=index.index_date)
        windowed = dict(tables)
        for name, date_col in EVENT_DATES.items():
            t = tables[name]
            by_lower = {c.lower(): c for c in t.columns}
            when = t[by_lower[date_col]].cast("date")
            j = t.join(idx, t[by_lower["person_id"]].cast("int64") == idx._ix_person)
            end = j._ix_day - ibis.interval(days=workup_days)
            keep = (when < end) & (when >= j._ix_day - ibis.interval(days=lookback_days))
            if name == "condition_occurrence":
                concept = j[by_lower["condition_concept_id"]].cast("int64")
                keep = (keep | concept.isin(sorted(self.concepts.back_pain))) & ~concept.isin(
                    sorted(self.concepts.axspa_diagnosis)
                )
            windowed[name] = j.filter(keep).select(*t.columns)
        std = standardise(windowed)
        bp = ft.back_pain(std, self.concepts, self.params)
        feats = ft.features(std, self.concepts, self.params, bp)
        return feats.select("person_id", *FINDINGS)

    def date_range(self, tables: OmopTables) -> ir.Table:
        """One row: the first and last condition start date (the data fingerprint's range)."""
        co = tables["condition_occurrence"]
        day = co[{c.lower(): c for c in co.columns}["condition_start_date"]].cast("date")
        return co.aggregate(first_date=day.min(), last_date=day.max())

    def counts(self, tables: OmopTables, back_pain: ir.Table | None = None) -> ir.Table:
        """One row: persons with any back-pain code, with chronic back pain, and diagnosed."""
        return ft.counts(self.back_pain(tables) if back_pain is None else back_pain)

    def to_sql(self, dialect: str, tables: OmopTables | None = None) -> str:
        """The worklist query as SQL (over ``tables``, else over unbound OMOP tables)."""
        return compile_sql(self.worklist(tables or unbound_tables()), dialect)


def unbound_tables() -> dict[str, ir.Table]:
    """OMOP tables with the engine's input columns and no backend (for SQL and goldens)."""
    import ibis

    return {
        t: ibis.table({c: _UNBOUND_TYPE[_KINDS[t][c]] for c in cols}, name=t)
        for t, cols in INPUT_COLUMNS.items()
    }


def _kind_ok(kind: Kind, dtype: Any) -> bool:
    if kind in (Kind.ID, Kind.CONCEPT, Kind.INT):
        return bool(dtype.is_integer())
    if kind is Kind.NUMBER:
        return bool(dtype.is_numeric() or dtype.is_string())  # text: TRY_CAST (module docstring)
    if kind is Kind.DATE:
        return bool(dtype.is_date() or dtype.is_timestamp())
    return bool(dtype.is_string())


def input_problems(available: frozenset[str], schemas: Mapping[str, Any]) -> list[str]:
    """Every missing table, missing column or wrong kind, one readable line each."""
    problems = []
    for table, cols in INPUT_COLUMNS.items():
        if table not in available:
            problems.append(f"OMOP table {table!r} is missing")
            continue
        schema = schemas[table]
        present = {name.lower(): dtype for name, dtype in schema.items()}
        for col in cols:
            kind = _KINDS[table][col]
            if col not in present:
                problems.append(f"OMOP table {table!r}: column {col!r} is missing")
            elif not _kind_ok(kind, present[col]):
                problems.append(
                    f"OMOP table {table!r}: column {col!r} has type {present[col]}, "
                    f"expected {_EXPECTED[kind]}"
                )
    return problems


def check_inputs(available: frozenset[str], schemas: Mapping[str, Any]) -> None:
    """Raise :class:`OmopSchemaError` naming each missing table/column or wrong type."""
    problems = input_problems(available, schemas)
    if problems:
        raise OmopSchemaError("; ".join(problems))


def standardise(tables: OmopTables) -> dict[str, ir.Table]:
    """Lower-case column names, keep the input columns, cast where the kind needs it."""
    out = {}
    for table, cols in INPUT_COLUMNS.items():
        t = tables[table]
        by_lower = {c.lower(): c for c in t.columns}
        exprs = {}
        for col in cols:
            value = t[by_lower[col]]
            kind, dtype = _KINDS[table][col], value.type()
            if kind is Kind.NUMBER and dtype.is_string():
                value = value.try_cast("float64")
            elif kind is Kind.NUMBER and not dtype.is_float64():
                value = value.cast("float64")
            elif kind is Kind.DATE and not dtype.is_date():
                value = value.cast("date")
            exprs[col] = value
        out[table] = t.select(**exprs)
    return out
