"""Synthetic OMOP generator: determinism, calibration, schema, and the Synthea27Nj sample."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from immunospine.cohort import synthetic as generator
from immunospine.cohort.concepts import CRP_RULE, HLA_B27_RULE, concept_set
from immunospine.cohort.omop_schema import (
    CLINICAL_TABLES,
    arrow_schema,
    check_directory,
    check_schema,
    parquet_tables,
)
from immunospine.errors import InputError, OmopSchemaError
from immunospine.reports.cohort import calibration_markdown
from tests.paths import SYNTHEA_ZIP

N = 20_000


@pytest.fixture(scope="module")
def cdm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cdm")
    generator.generate(out, N, seed=7, chunk_size=8_000)
    return out


def _read(cdm: Path, table: str) -> pa.Table:
    return pq.read_table(cdm / f"{table}.parquet")


def _np(t: pa.Table, col: str) -> np.ndarray:
    return t.column(col).to_numpy(zero_copy_only=False)


def _persons_with(t: pa.Table, col: str, ids: frozenset[int]) -> np.ndarray:
    mask = np.isin(_np(t, col), list(ids))
    return np.unique(_np(t, "person_id")[mask])


def test_same_seed_same_tables_other_seed_differs(tmp_path: Path) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generator.generate(a, 3_000, seed=11, chunk_size=1_000)
    generator.generate(b, 3_000, seed=11, chunk_size=1_000)
    generator.generate(c, 3_000, seed=12, chunk_size=1_000)
    for table in (*generator.OUTPUT_TABLES, "truth"):
        assert pq.read_table(a / f"{table}.parquet").equals(pq.read_table(b / f"{table}.parquet"))
    assert not _read(a, "condition_occurrence").equals(_read(c, "condition_occurrence"))


def test_calibration(cdm: Path) -> None:
    truth = _read(cdm, "truth")
    cbp, ax, dx = (_np(truth, c) for c in ("chronic_back_pain", "has_axspa", "diagnosed"))
    b27 = _np(truth, "hla_b27_carrier")
    assert abs(cbp.mean() - 0.192) < 0.015
    assert abs(ax.sum() / cbp.sum() - 0.05) < 0.015
    assert 0.05 <= b27.mean() <= 0.085
    assert abs(b27[ax].mean() - 0.85) < 0.08
    assert b27[cbp & ~ax].mean() < 0.10
    assert 0.30 <= dx[ax].mean() <= 0.65  # the rest are undiagnosed: the case-finding target
    assert dx[~ax].mean() < 0.002  # miscoded non-axSpA persons
    onset = _np(truth, "symptom_onset_date").astype("datetime64[D]")
    birth_year = _np(_read(cdm, "person"), "year_of_birth")
    onset_age = onset.astype("datetime64[Y]").astype(int) + 1970 - birth_year
    assert (onset_age[ax] < 45).mean() > 0.85
    assert np.median(onset_age[ax]) < np.median(onset_age[cbp & ~ax])


def test_features_differ_between_axspa_and_others(cdm: Path) -> None:
    truth = _read(cdm, "truth")
    pid, ax = _np(truth, "person_id"), _np(truth, "has_axspa")
    cond, drug, meas = (
        _read(cdm, t) for t in ("condition_occurrence", "drug_exposure", "measurement")
    )

    def share(persons: np.ndarray, group: np.ndarray) -> float:
        return float(np.isin(pid[group], persons).mean())

    uveitis = _persons_with(cond, "condition_concept_id", concept_set("uveitis").ids)
    assert 0.17 < share(uveitis, ax) < 0.35 and share(uveitis, ~ax) < 0.01
    b27_tested = _persons_with(meas, "measurement_concept_id", concept_set("hla_b27").ids)
    assert share(b27_tested, np.ones_like(ax)) < 0.03  # most persons are never tested
    nsaid = np.isin(_np(drug, "drug_concept_id"), list(concept_set("nsaids").ids))
    courses = np.bincount(_np(drug, "person_id")[nsaid], minlength=N + 1)[pid]
    assert courses[ax].mean() > 2 * courses[~ax & _np(truth, "chronic_back_pain")].mean()
    crp = meas.filter(pc.is_in(meas["measurement_concept_id"], pa.array([3020460])))
    raised = CRP_RULE.is_raised(_np(crp, "value_as_number"), _np(crp, "range_high"),
                                _np(crp, "unit_concept_id"))  # fmt: skip
    ax_row = np.isin(_np(crp, "person_id"), pid[ax])
    assert raised[ax_row].mean() > raised[~ax_row].mean() + 0.15
    hla = meas.filter(pc.is_in(meas["measurement_concept_id"], pa.array([3033347, 3036779])))
    pos = HLA_B27_RULE.is_positive(_np(hla, "value_as_concept_id"), _np(hla, "value_as_number"))
    carrier = _np(truth, "hla_b27_carrier")[_np(hla, "person_id") - 1]
    assert (pos == carrier).all()


def test_diagnosed_means_an_axspa_code_on_the_truth_date(cdm: Path) -> None:
    truth = _read(cdm, "truth")
    cond = _read(cdm, "condition_occurrence")
    mask = np.isin(_np(cond, "condition_concept_id"), list(concept_set("axspa_diagnosis").ids))
    coded = _np(cond, "person_id")[mask]
    assert set(np.unique(coded)) == set(_np(truth, "person_id")[_np(truth, "diagnosed")])
    dates = _np(cond, "condition_start_date")[mask].astype("datetime64[D]")
    first = {int(p): d for p, d in zip(coded[::-1], dates[::-1], strict=True)}  # rows sorted
    dx = truth.filter(truth["diagnosed"])
    for p, d in zip(_np(dx, "person_id")[:50], _np(dx, "diagnosis_date")[:50], strict=True):
        assert first[int(p)] == np.datetime64(d, "D")


def test_every_emitted_concept_is_in_a_concept_set(cdm: Path) -> None:
    from immunospine.cohort.synthetic.vocabulary import set_ids

    def ids(*names: str) -> set[int]:  # as the sets resolve in synthetic data (code → id)
        return set().union(*(set_ids(n) for n in names))

    expected = {
        ("condition_occurrence", "condition_concept_id"): ids(
            "chronic_back_pain", "axspa_diagnosis", "uveitis", "psoriasis", "ibd", "enthesitis",
            "dactylitis",
        ),
        ("drug_exposure", "drug_concept_id"): ids("nsaids", "tnf_inhibitors", "il17_inhibitors"),
        ("measurement", "measurement_concept_id"): ids("crp", "esr", "hla_b27"),
        ("measurement", "value_as_concept_id"): ids("positive_result", "negative_result") | {0},
        ("procedure_occurrence", "procedure_concept_id"): ids("sij_imaging") | {4013636},
        ("observation", "observation_concept_id"): ids("family_history_spa"),
    }  # fmt: skip
    for (table, col), allowed in expected.items():
        assert set(np.unique(_np(_read(cdm, table), col)).tolist()) <= allowed, (table, col)


def test_events_lie_in_the_observation_period(cdm: Path) -> None:
    op = _read(cdm, "observation_period")
    start = _np(op, "observation_period_start_date").astype("datetime64[D]")
    end = _np(op, "observation_period_end_date").astype("datetime64[D]")
    assert (start <= end).all()
    for table, col in (("condition_occurrence", "condition_start_date"),
                       ("measurement", "measurement_date"), ("visit_occurrence", "visit_start_date"),
                       ("drug_exposure", "drug_exposure_start_date")):  # fmt: skip
        t = _read(cdm, table)
        i = _np(t, "person_id") - 1
        d = _np(t, col).astype("datetime64[D]")
        assert ((d >= start[i]) & (d <= end[i])).all(), table
        ids = _np(t, f"{table}_id")
        assert (np.diff(ids) == 1).all() and ids[0] == 1


def test_generated_schema_is_exact_and_checks(cdm: Path) -> None:
    check_directory(cdm)
    for table in CLINICAL_TABLES:
        assert pq.read_schema(cdm / f"{table}.parquet").equals(arrow_schema(table))
    m = pq.read_schema(cdm / "measurement.parquet")
    assert m.field("person_id").type == pa.int64()
    assert m.field("measurement_date").type == pa.date32()
    assert m.field("value_as_number").type == pa.float64()
    assert pq.ParquetFile(cdm / "person.parquet").num_row_groups == 3  # one per chunk


@pytest.fixture(scope="module")
def synthea(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SYNTHEA_ZIP.is_file():
        pytest.skip(reason="Synthea27Nj sample not available")
    out = tmp_path_factory.mktemp("s27")
    with zipfile.ZipFile(SYNTHEA_ZIP) as z:
        z.extractall(out)
    return out / "Synthea27NjParquet"


def test_schema_check_passes_on_synthea27nj(synthea: Path) -> None:
    check_directory(synthea)
    check_schema(parquet_tables(synthea), required_tables=(*CLINICAL_TABLES, "concept_ancestor"))


@pytest.mark.parametrize("source", ["generated", "synthea"])
def test_schema_check_names_a_dropped_column_and_table(
    source: str, cdm: Path, synthea: Path
) -> None:
    d = cdm if source == "generated" else synthea
    tables = {t: pq.read_schema(p) for t, p in parquet_tables(d).items()}
    m = tables["measurement"]
    tables["measurement"] = m.remove(m.get_field_index("value_as_number"))
    with pytest.raises(OmopSchemaError, match="'measurement': column 'value_as_number' is missing"):
        check_schema(tables)
    del tables["measurement"]
    with pytest.raises(OmopSchemaError, match="table 'measurement' is missing"):
        check_schema(tables)


def test_schema_check_wrong_type_and_upper_case() -> None:
    s = arrow_schema("person")
    bad = s.set(s.get_field_index("year_of_birth"), pa.field("year_of_birth", pa.string()))
    with pytest.raises(OmopSchemaError, match="'year_of_birth' has type string, expected an int"):
        check_schema({"person": bad}, required_tables=())
    upper = pa.schema([pa.field(f.name.upper(), f.type) for f in s])
    with pytest.raises(OmopSchemaError, match="upper-case"):
        check_schema({"person": upper}, required_tables=())
    with pytest.raises(OmopSchemaError, match="does not exist"):
        check_directory("/no/such/dir")


@pytest.mark.parametrize("n", [0, -5, generator.MAX_PERSONS + 1])
def test_bad_person_count(n: int, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="patients"):
        generator.generate(tmp_path, n, seed=1)


def test_calibration_table_has_a_source_for_every_number() -> None:
    names = [c.name for c in generator.CALIBRATION]
    assert len(names) == len(set(names))
    assert all(c.source for c in generator.CALIBRATION)
    assert "| cbp_prevalence | 0.192 |" in calibration_markdown(generator.CALIBRATION)
