"""``OmopTestbed``: a tiny OMOP CDM 5.4 built fact by fact, for Parquet, DuckDB or PostgreSQL.

The ``add_*`` helpers take only what the case-finding engine reads and fill every other column the
CDM requires with a plain default (EHR type concept 32817, dates in 2020, generated row ids). The
same testbed loads into every backend, so a differential test compares like with like::

    tb = OmopTestbed()
    tb.add_person(1, year_of_birth=1990)
    tb.add_condition(1, 4132891, date(2020, 1, 1))        # chronic low back pain
    tb.add_measurement(1, 3033347, value_as_concept_id=45884084)   # HLA-B27 positive
    data_dir = tb.write_parquet(tmp_path)
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from immunospine.cohort.omop_schema import EHR_TYPE_CONCEPT, arrow_schema

TABLES = (
    "person",
    "condition_occurrence",
    "drug_exposure",
    "measurement",
    "observation",
    "procedure_occurrence",
)
DEFAULT_DATE = dt.date(2020, 1, 1)


@dataclass
class OmopTestbed:
    """Rows per OMOP table, kept as dicts until written."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {t: [] for t in TABLES})
    #: also write the synthetic vocabulary subset (``concept``, ``concept_ancestor``,
    #: ``concept_relationship``) for the concepts used, so the sets resolve by code as at a site;
    #: ``False`` gives a CDM without vocabulary tables (the shipped-id fallback).
    vocabulary: bool = True

    def tables(self) -> tuple[str, ...]:
        """The tables this testbed writes."""
        from immunospine.cohort.synthetic.vocabulary import VOCABULARY_TABLES

        return (*TABLES, *VOCABULARY_TABLES) if self.vocabulary else TABLES

    def _add(self, table: str, **values: Any) -> None:
        rows = self.rows[table]
        if table != "person":
            values[f"{table}_id"] = len(rows) + 1
        rows.append(values)

    def add_person(self, person_id: int, *, year_of_birth: int = 1985, gender: int = 8507) -> None:
        self._add(
            "person",
            person_id=person_id,
            gender_concept_id=gender,
            year_of_birth=year_of_birth,
            race_concept_id=0,
            ethnicity_concept_id=0,
        )

    def add_condition(self, person_id: int, concept_id: int, start: dt.date = DEFAULT_DATE) -> None:
        self._add(
            "condition_occurrence",
            person_id=person_id,
            condition_concept_id=concept_id,
            condition_start_date=start,
            condition_type_concept_id=EHR_TYPE_CONCEPT,
        )

    def add_drug(self, person_id: int, concept_id: int, start: dt.date = DEFAULT_DATE) -> None:
        self._add(
            "drug_exposure",
            person_id=person_id,
            drug_concept_id=concept_id,
            drug_exposure_start_date=start,
            drug_exposure_end_date=start + dt.timedelta(days=14),
            drug_type_concept_id=EHR_TYPE_CONCEPT,
        )

    def add_measurement(
        self,
        person_id: int,
        concept_id: int,
        *,
        value_as_number: float | None = None,
        value_as_concept_id: int | None = None,
        unit_concept_id: int | None = None,
        range_high: float | None = None,
        date: dt.date = DEFAULT_DATE,
    ) -> None:
        self._add(
            "measurement",
            person_id=person_id,
            measurement_concept_id=concept_id,
            measurement_date=date,
            measurement_type_concept_id=EHR_TYPE_CONCEPT,
            value_as_number=value_as_number,
            value_as_concept_id=value_as_concept_id,
            unit_concept_id=unit_concept_id,
            range_high=range_high,
        )

    def add_observation(
        self, person_id: int, concept_id: int, *, value_as_concept_id: int | None = None
    ) -> None:
        self._add(
            "observation",
            person_id=person_id,
            observation_concept_id=concept_id,
            observation_date=DEFAULT_DATE,
            observation_type_concept_id=EHR_TYPE_CONCEPT,
            value_as_concept_id=value_as_concept_id,
        )

    def add_procedure(self, person_id: int, concept_id: int) -> None:
        self._add(
            "procedure_occurrence",
            person_id=person_id,
            procedure_concept_id=concept_id,
            procedure_date=DEFAULT_DATE,
            procedure_type_concept_id=EHR_TYPE_CONCEPT,
        )

    # --- output ---------------------------------------------------------------------------------

    def _concept_ids(self) -> set[int]:
        return {
            int(v)
            for rows in self.rows.values()
            for r in rows
            for k, v in r.items()
            if k.endswith("_concept_id") and v is not None
        }

    def arrow(self, table: str) -> pa.Table:
        """``table`` with every column of part 1's OMOP schema (absent values are NULL)."""
        if table not in self.rows:
            from immunospine.cohort.synthetic.vocabulary import vocabulary_tables

            return vocabulary_tables(self._concept_ids())[table]
        schema = arrow_schema(table)
        rows = self.rows[table]
        return pa.table(
            {f.name: pa.array([r.get(f.name) for r in rows], type=f.type) for f in schema},
            schema=schema,
        )

    def write_parquet(self, directory: Path) -> Path:
        """Write ``directory/<table>.parquet`` for every table; returns ``directory``."""
        directory.mkdir(parents=True, exist_ok=True)
        for table in self.tables():
            pq.write_table(self.arrow(table), directory / f"{table}.parquet")
        return directory

    def write_duckdb(self, path: Path) -> Path:
        """Write every table into a new DuckDB database file."""
        import duckdb

        con = duckdb.connect(str(path))
        try:
            for table in self.tables():
                data = self.arrow(table)  # noqa: F841 - read by DuckDB's replacement scan
                con.execute(f"CREATE TABLE {table} AS SELECT * FROM data")  # noqa: S608 - constant
        finally:
            con.close()
        return path

    @contextmanager
    def postgres_schema(self, url: str) -> Iterator[str]:
        """Load the tables into a new, uniquely named schema; drop it afterwards."""
        import ibis
        import psycopg

        schema = f"omop_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(url, autocommit=True) as raw:
            raw.execute(f'CREATE SCHEMA "{schema}"')
        try:
            con = ibis.connect(url)
            try:
                for table in self.tables():
                    con.create_table(table, self.arrow(table), database=schema)
            finally:
                con.disconnect()
            yield schema
        finally:
            with psycopg.connect(url, autocommit=True) as raw:
                raw.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# --- facts: one person described clinically, written as OMOP rows, with the expected features ---


def _first(name: str) -> int:
    """The smallest id of set ``name`` in synthetic data (a synthetic id for a set of codes whose
    OMOP ids are unknown)."""
    from immunospine.cohort.synthetic.vocabulary import set_ids

    return min(set_ids(name))


@dataclass(frozen=True)
class PersonFacts:
    """One person's record in clinical terms; ``add_to`` writes it, ``expected_*`` interpret it.

    The interpretation is written here in plain Python, independently of the Ibis engine, using
    part 1's reference rules (``concepts.CRP_RULE``, ``ESR_RULE``, ``HLA_B27_RULE``).
    ``back_pain`` holds (concept id, day offset) records; ``labs`` holds (concept set name,
    value_as_number, unit_concept_id, range_high) rows for ``crp`` / ``esr``.
    """

    person_id: int
    year_of_birth: int = 1985
    back_pain: tuple[tuple[int, int], ...] = ()
    diagnosed: bool = False
    conditions: frozenset[str] = frozenset()  # uveitis, psoriasis, ibd, enthesitis, dactylitis
    hla: str | None = None  # "pos", "neg", "pos_number", "neg_number", "indeterminate"
    labs: tuple[tuple[str, float | None, int | None, float | None], ...] = ()
    nsaid_days: tuple[int, ...] = ()
    family_history: str | None = None  # "pos", "neg", "pos_no_value"
    sij_procedure: bool = False
    mri: str | None = None  # "pos", "neg"

    def _day(self, offset: int) -> dt.date:
        return DEFAULT_DATE + dt.timedelta(days=offset)

    def add_to(self, tb: OmopTestbed) -> None:
        pid = self.person_id
        tb.add_person(pid, year_of_birth=self.year_of_birth)
        for concept, offset in self.back_pain:
            tb.add_condition(pid, concept, self._day(offset))
        if self.diagnosed:
            tb.add_condition(pid, _first("axspa_diagnosis"), self._day(400))
        for name in sorted(self.conditions):
            tb.add_condition(pid, _first(name), self._day(30))
        hla = _first("hla_b27")
        positive, negative = _first("positive_result"), _first("negative_result")
        if self.hla == "pos":
            tb.add_measurement(pid, hla, value_as_concept_id=positive)
        elif self.hla == "neg":
            tb.add_measurement(pid, hla, value_as_concept_id=negative)
        elif self.hla == "pos_number":
            tb.add_measurement(pid, hla, value_as_number=1.0)
        elif self.hla == "neg_number":
            tb.add_measurement(pid, hla, value_as_number=0.0)
        elif self.hla == "indeterminate":
            tb.add_measurement(pid, hla, value_as_concept_id=4_000_000)
        for set_name, value, unit, high in self.labs:
            tb.add_measurement(
                pid, _first(set_name), value_as_number=value, unit_concept_id=unit, range_high=high
            )
        for offset in self.nsaid_days:
            tb.add_drug(pid, _first("nsaids"), self._day(offset))
        fh = _first("family_history_spa")
        if self.family_history == "pos":
            tb.add_observation(pid, fh, value_as_concept_id=positive)
        elif self.family_history == "pos_no_value":
            tb.add_observation(pid, fh)
        elif self.family_history == "neg":
            tb.add_observation(pid, fh, value_as_concept_id=negative)
        sij = _first("sij_imaging")
        if self.sij_procedure:
            tb.add_procedure(pid, sij)
        if self.mri:
            tb.add_measurement(
                pid, sij, value_as_concept_id=positive if self.mri == "pos" else negative
            )

    # --- expectations ---

    def chronic(self) -> bool:
        from immunospine.cohort.concepts import concept_set

        back = concept_set("chronic_back_pain")
        coded = {c.id for c in back.concepts if c.name.lower().startswith("chronic")}
        days = [d for c, d in self.back_pain if c in back.ids]
        if not days:
            return False
        return any(c in coded for c, _ in self.back_pain) or max(days) - min(days) >= 90

    def screened(self) -> bool:
        """In the worklist: chronic back pain and no axSpA diagnosis."""
        return self.chronic() and not self.diagnosed

    def age_at_onset(self) -> int:
        first = min(d for _, d in self.back_pain)
        return self._day(first).year - self.year_of_birth

    def expected_findings(self) -> dict[str, bool | None]:
        """The LR model's findings as the engine should derive them (None = unknown)."""
        import numpy as np

        from immunospine.cohort.concepts import CRP_RULE, ESR_RULE

        out: dict[str, bool | None] = {
            "inflammatory_back_pain": None,
            "peripheral_arthritis": None,
            "anterior_uveitis": True if "uveitis" in self.conditions else None,
            "psoriasis": True if "psoriasis" in self.conditions else None,
            "ibd": True if "ibd" in self.conditions else None,
            "enthesitis_heel": True if "enthesitis" in self.conditions else None,
            "dactylitis": True if "dactylitis" in self.conditions else None,
            "nsaid_response": True if len(set(self.nsaid_days)) >= 2 else None,
            "hla_b27": {"pos": True, "pos_number": True, "neg": False, "neg_number": False}.get(
                self.hla or ""
            ),
            "family_history": {"pos": True, "pos_no_value": True, "neg": False}.get(
                self.family_history or ""
            ),
            "mri_sacroiliitis": {"pos": True, "neg": False}.get(self.mri or ""),
        }
        raised, judged = False, False
        for set_name, value, unit, high in self.labs:
            rule = CRP_RULE if set_name == "crp" else ESR_RULE
            if value is None or (high is None and unit not in rule.unit_factors):
                continue
            judged = True
            nan = float("nan")
            hit = rule.is_raised(
                np.array([value]),
                np.array([nan if high is None else high]),
                np.array([-1 if unit is None else unit]),
            )
            raised = raised or bool(hit[0])
        out["elevated_crp_or_esr"] = True if raised else (False if judged else None)
        return out
