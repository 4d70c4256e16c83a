"""The OMOP CDM 5.4 tables and columns immunospine reads or writes, and a schema check.

Source: ``OHDSI/CommonDataModel:inst/csv/OMOP_CDMv5.4_Field_Level.csv``. Only the columns the
case-finding engine and the generator use are listed.

The check is by *kind*, not exact Arrow type, because real CDMs differ: Synthea27Nj stores ids as
int32 and ``value_as_number`` as decimal128; our generator writes int64 ids and float64 values; the
OHDSI DDLs declare ids ``integer``. Dates may be ``date32``, ``date64`` or a timestamp.

    >>> check_schema({"person": arrow_schema("person")}, required_tables=("person",))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from immunospine.errors import InputError, OmopSchemaError


class Kind(StrEnum):
    ID = "id"  # row or person id: any integer; written as int64
    CONCEPT = "concept"  # *_concept_id: any integer; written as int32
    INT = "int"  # other integers (year_of_birth, days_supply); written as int32
    NUMBER = "number"  # int, float or decimal; written as float64
    DATE = "date"  # date32/date64/timestamp; written as date32
    STRING = "string"


_WRITE_TYPE: dict[Kind, pa.DataType] = {
    Kind.ID: pa.int64(),
    Kind.CONCEPT: pa.int32(),
    Kind.INT: pa.int32(),
    Kind.NUMBER: pa.float64(),
    Kind.DATE: pa.date32(),
    Kind.STRING: pa.string(),
}

_EXPECTED: dict[Kind, str] = {
    Kind.ID: "an integer",
    Kind.CONCEPT: "an integer",
    Kind.INT: "an integer",
    Kind.NUMBER: "a number (integer, float or decimal)",
    Kind.DATE: "a date (date32, date64 or timestamp)",
    Kind.STRING: "a string",
}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    required: bool = True  # must be present for immunospine to read the table


def _cols(spec: str) -> tuple[Column, ...]:
    out = []
    for item in spec.split():
        name, _, kind = item.partition(":")
        optional = kind.endswith("?")
        out.append(Column(name, Kind(kind.rstrip("?")), required=not optional))
    return tuple(out)


#: Table → columns (name:kind; ``?`` = optional). Order is the order the generator writes.
TABLES: dict[str, tuple[Column, ...]] = {
    "person": _cols(
        "person_id:id gender_concept_id:concept year_of_birth:int month_of_birth:int? "
        "day_of_birth:int? race_concept_id:concept ethnicity_concept_id:concept"
    ),
    "observation_period": _cols(
        "observation_period_id:id person_id:id observation_period_start_date:date "
        "observation_period_end_date:date period_type_concept_id:concept"
    ),
    "visit_occurrence": _cols(
        "visit_occurrence_id:id person_id:id visit_concept_id:concept visit_start_date:date "
        "visit_end_date:date visit_type_concept_id:concept"
    ),
    "condition_occurrence": _cols(
        "condition_occurrence_id:id person_id:id condition_concept_id:concept "
        "condition_start_date:date condition_end_date:date? condition_type_concept_id:concept "
        "visit_occurrence_id:id?"
    ),
    "drug_exposure": _cols(
        "drug_exposure_id:id person_id:id drug_concept_id:concept drug_exposure_start_date:date "
        "drug_exposure_end_date:date drug_type_concept_id:concept days_supply:int? "
        "visit_occurrence_id:id?"
    ),
    "procedure_occurrence": _cols(
        "procedure_occurrence_id:id person_id:id procedure_concept_id:concept procedure_date:date "
        "procedure_type_concept_id:concept visit_occurrence_id:id?"
    ),
    "measurement": _cols(
        "measurement_id:id person_id:id measurement_concept_id:concept measurement_date:date "
        "measurement_type_concept_id:concept value_as_number:number value_as_concept_id:concept "
        "unit_concept_id:concept range_low:number? range_high:number visit_occurrence_id:id?"
    ),
    "observation": _cols(
        "observation_id:id person_id:id observation_concept_id:concept observation_date:date "
        "observation_type_concept_id:concept value_as_number:number? "
        "value_as_concept_id:concept visit_occurrence_id:id?"
    ),
    "concept_ancestor": _cols(
        "ancestor_concept_id:concept descendant_concept_id:concept "
        "min_levels_of_separation:int max_levels_of_separation:int"
    ),
    "concept": _cols(
        "concept_id:concept concept_name:string domain_id:string vocabulary_id:string "
        "concept_class_id:string standard_concept:string? concept_code:string "
        "valid_start_date:date? valid_end_date:date? invalid_reason:string?"
    ),
    "concept_relationship": _cols(
        "concept_id_1:concept concept_id_2:concept relationship_id:string "
        "valid_start_date:date? valid_end_date:date? invalid_reason:string?"
    ),
}

#: The clinical tables the engine reads; every CDM must have them. Vocabulary tables are optional.
CLINICAL_TABLES: tuple[str, ...] = (
    "person",
    "observation_period",
    "visit_occurrence",
    "condition_occurrence",
    "drug_exposure",
    "procedure_occurrence",
    "measurement",
    "observation",
)

EHR_TYPE_CONCEPT = 32817  # "EHR" type concept (OMOP Type Concept vocabulary)


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema the generator writes for ``table`` (every listed column)."""
    return pa.schema([pa.field(c.name, _WRITE_TYPE[c.kind]) for c in TABLES[table]])


def _kind_ok(kind: Kind, t: pa.DataType) -> bool:
    if kind in (Kind.ID, Kind.CONCEPT, Kind.INT):
        return bool(pa.types.is_integer(t))
    if kind is Kind.NUMBER:
        return bool(pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t))
    if kind is Kind.DATE:
        return bool(pa.types.is_date(t) or pa.types.is_timestamp(t))
    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


def _as_schema(obj: Any, table: str) -> pa.Schema:
    """Accept a pyarrow Schema or Table, an Ibis table (``.schema().to_pyarrow()``) or a path."""
    if isinstance(obj, pa.Schema):
        return obj
    if isinstance(obj, (str, Path)):
        return pq.read_schema(parquet_parts(obj)[0])
    schema = getattr(obj, "schema", None)
    if isinstance(schema, pa.Schema):
        return schema
    if callable(schema):
        s = schema()
        return s if isinstance(s, pa.Schema) else s.to_pyarrow()
    raise OmopSchemaError(f"OMOP table {table!r}: cannot read a schema from {type(obj).__name__}")


def schema_problems(
    tables: Mapping[str, Any], *, required_tables: Iterable[str] = CLINICAL_TABLES
) -> list[str]:
    """Every problem found, one readable line each (empty when the schema is fine)."""
    problems = [f"OMOP table {t!r} is missing" for t in required_tables if t not in tables]
    for name, obj in tables.items():
        spec = TABLES.get(name)
        if spec is None:
            continue
        schema = _as_schema(obj, name)
        present = {f.name: f.type for f in schema}
        for col in spec:
            if col.name not in present:
                if not col.required:
                    continue
                hint = ""
                if col.name.upper() in present:
                    hint = " (found it upper-case: normalise column names to lower case)"
                problems.append(f"OMOP table {name!r}: column {col.name!r} is missing{hint}")
            elif not _kind_ok(col.kind, present[col.name]):
                problems.append(
                    f"OMOP table {name!r}: column {col.name!r} has type {present[col.name]}, "
                    f"expected {_EXPECTED[col.kind]}"
                )
    return problems


def check_schema(
    tables: Mapping[str, Any], *, required_tables: Iterable[str] = CLINICAL_TABLES
) -> None:
    """Raise :class:`OmopSchemaError` naming every missing table/column or wrong type.

    ``tables`` maps table name → a pyarrow Schema/Table, an Ibis table or a Parquet path. Tables
    not listed in :data:`TABLES` are ignored; optional columns may be absent but must have the
    right kind.
    """
    problems = schema_problems(tables, required_tables=required_tables)
    if problems:
        raise OmopSchemaError("; ".join(problems))


def parquet_sources(directory: Path | str) -> dict[str, Path]:
    """Every table of ``DIR`` by lower-case name: a ``<table>.parquet`` file or a ``<table>/``
    folder of Parquet part files (the generator's partitioned layout, Spark's output).

    A table present both ways is an ``InputError`` on ``data`` (which one to read?).
    """
    d = Path(directory)
    files = {p.stem.lower(): p for p in sorted(d.glob("*.parquet")) if p.is_file()}
    folders = {
        p.name.lower(): p
        for p in sorted(d.iterdir())
        if p.is_dir() and "." not in p.name and any(p.glob("*.parquet"))
    }
    both = sorted(files.keys() & folders.keys())
    if both:
        raise InputError.single(
            ("data",),
            f"holds {', '.join(both)} both as <table>.parquet and as a <table>/ folder; keep one",
            str(d),
        )
    return dict(sorted({**files, **folders}.items()))


def parquet_tables(directory: Path | str) -> dict[str, Path]:
    """The known tables present as ``DIR/<table>.parquet`` or ``DIR/<table>/part-*.parquet``."""
    d = Path(directory)
    if not d.is_dir():
        return {}
    return {t: p for t, p in parquet_sources(d).items() if t in TABLES}


def parquet_parts(path: Path | str) -> list[Path]:
    """The Parquet files of one table: the file itself, or a folder's ``*.parquet`` in order."""
    p = Path(path)
    return sorted(p.glob("*.parquet")) if p.is_dir() else [p]


def parquet_glob(path: Path | str) -> str:
    """What DuckDB's ``read_parquet`` reads for one table: the file, or ``folder/*.parquet``."""
    p = Path(path)
    return str(p / "*.parquet") if p.is_dir() else str(p)


def check_directory(
    directory: Path | str, *, required_tables: Iterable[str] = CLINICAL_TABLES
) -> None:
    """:func:`check_schema` over the Parquet files of an OMOP directory."""
    d = Path(directory)
    if not d.is_dir():
        raise OmopSchemaError(f"OMOP directory {str(d)!r} does not exist")
    check_schema(parquet_tables(d), required_tables=required_tables)
