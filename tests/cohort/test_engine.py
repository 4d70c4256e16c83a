"""The case-finding engine on DuckDB: differential against the knowledge core, properties, errors."""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immunospine.cli import main
from immunospine.cohort.backends.duckdb import DuckDBBackend
from immunospine.cohort.params import ScreenParams
from immunospine.cohort.runner import run_screen
from immunospine.cohort.scoring import rules_for
from immunospine.errors import InputError, OmopSchemaError
from immunospine.knowledge.probability.axspa import FINDINGS, likelihood_ratio_for
from immunospine.reports.cohort import screen_summary_lines
from immunospine.testing.omop_testbed import OmopTestbed, PersonFacts
from tests.cohort.test_engine_support import (
    CHRONIC_LBP,
    LOW_BACK_PAIN,
    assert_matches_reference,
    build_testbed,
    person_facts,
    populations,
    random_population,
    reference,
    run_plan,
    write_facts,
)


def _duckdb(people: list[PersonFacts]) -> tuple[DuckDBBackend, tempfile.TemporaryDirectory[str]]:
    tmp = tempfile.TemporaryDirectory()
    return DuckDBBackend(write_facts(Path(tmp.name), people)), tmp


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=populations())
def test_duckdb_matches_the_knowledge_core(people: list[PersonFacts]) -> None:
    backend, tmp = _duckdb(people)
    with tmp:
        try:
            assert_matches_reference(run_plan(backend), people)
        finally:
            backend.close()


def test_seeded_population_matches_the_knowledge_core(tmp_path: Path) -> None:
    people = random_population(seed=20261125, n=300)
    backend = DuckDBBackend(write_facts(tmp_path, people))
    try:
        assert_matches_reference(run_plan(backend), people)
    finally:
        backend.close()


_POSITIVE = st.sampled_from(
    [
        ("conditions", "uveitis"),
        ("conditions", "psoriasis"),
        ("conditions", "ibd"),
        ("conditions", "enthesitis"),
        ("hla", "pos"),
        ("labs", ("crp", 40.0, 8751, None)),
        ("nsaid_days", (0, 60)),
        ("family_history", "pos"),
        ("mri", "pos"),
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=person_facts(1), change=_POSITIVE)
def test_adding_a_positive_feature_never_lowers_the_probability(
    base: PersonFacts, change: tuple[str, object]
) -> None:
    base = replace(base, back_pain=((CHRONIC_LBP, 0),), diagnosed=False)
    field, value = change
    if field == "conditions":
        more = replace(base, conditions=base.conditions | {str(value)})
    elif field == "labs":
        more = replace(base, labs=(*base.labs, value))  # type: ignore[arg-type]
    elif field == "nsaid_days":
        more = replace(base, nsaid_days=(*base.nsaid_days, *value))  # type: ignore[misc]
    elif field == "hla" and base.hla in ("pos", "pos_number"):
        more = base
    else:
        more = replace(base, **{field: value})
    more = replace(more, person_id=2)
    backend, tmp = _duckdb([base, more])
    with tmp:
        try:
            rows = {r["person_id"]: r for r in run_plan(backend).to_pylist()}
        finally:
            backend.close()
    assert rows[2]["probability_literature"] >= rows[1]["probability_literature"] - 1e-15


def test_context_rules_agree_with_the_knowledge_module() -> None:
    """Every combination of the trigger findings picks the row ``likelihood_ratio_for`` picks."""
    for finding in FINDINGS:
        rules = rules_for(finding)
        triggers = sorted({w for r in rules for w in r.when})
        for values in itertools.product([True, False, None], repeat=len(triggers)):
            context = dict(zip(triggers, values, strict=True))
            chosen = next(r.row for r in rules if not r.when or any(context[w] for w in r.when))
            assert chosen == likelihood_ratio_for(finding, context)
    assert [r.when for r in rules_for("hla_b27")] == [("psoriasis", "ibd"), ()]


def test_worked_example_ibp_free_hla_b27_positive(tmp_path: Path) -> None:
    p = PersonFacts(1, back_pain=((CHRONIC_LBP, 0),), hla="pos")
    backend = DuckDBBackend(write_facts(tmp_path, [p]))
    try:
        (row,) = run_plan(backend).to_pylist()
    finally:
        backend.close()
    assert row["probability_literature"] == pytest.approx(
        reference({"hla_b27": True})[0], abs=1e-12
    )
    assert row["contributions"] == "hla_b27+ (LR 9)"
    assert row["rank"] == 1


def test_single_back_pain_code_is_not_chronic_unless_a_later_one_follows(tmp_path: Path) -> None:
    people = [
        PersonFacts(1, back_pain=((LOW_BACK_PAIN, 0),)),
        PersonFacts(2, back_pain=((LOW_BACK_PAIN, 0), (LOW_BACK_PAIN, 89))),
        PersonFacts(3, back_pain=((LOW_BACK_PAIN, 0), (LOW_BACK_PAIN, 90))),
        PersonFacts(4, back_pain=((CHRONIC_LBP, 0),), diagnosed=True),
    ]
    backend = DuckDBBackend(write_facts(tmp_path / "d", people))
    try:
        summary = run_screen(backend, tmp_path / "w.parquet")
    finally:
        backend.close()
    assert (summary.back_pain, summary.chronic_back_pain, summary.diagnosed) == (4, 2, 1)
    assert summary.screened == 1
    assert pq.read_table(tmp_path / "w.parquet").column("person_id").to_pylist() == [3]


def test_empty_population_writes_columns_and_says_zero(tmp_path: Path) -> None:
    backend = DuckDBBackend(write_facts(tmp_path / "d", [PersonFacts(1)]))
    try:
        summary = run_screen(backend, tmp_path / "w.csv")
    finally:
        backend.close()
    assert summary.screened == 0 and summary.back_pain == 0
    assert any("0 persons" in line for line in screen_summary_lines(summary))
    assert (
        (tmp_path / "w.csv")
        .read_text()
        .startswith("rank,person_id,probability_literature,category")
    )


def test_missing_table_is_named(tmp_path: Path) -> None:
    data = write_facts(tmp_path / "d", [PersonFacts(1)])
    (data / "measurement.parquet").unlink()
    backend = DuckDBBackend(data)
    with pytest.raises(OmopSchemaError, match="'measurement' is missing"):
        run_screen(backend, tmp_path / "w.parquet")


def test_missing_and_mistyped_columns_are_named(tmp_path: Path) -> None:
    import pyarrow as pa

    data = write_facts(tmp_path / "d", [PersonFacts(1)])
    person = pq.read_table(data / "person.parquet").drop_columns(["year_of_birth"])
    pq.write_table(person, data / "person.parquet")
    obs = pq.read_table(data / "condition_occurrence.parquet")
    i = obs.schema.get_field_index("condition_start_date")
    obs = obs.set_column(i, "condition_start_date", pa.array(["x"] * obs.num_rows, pa.string()))
    pq.write_table(obs, data / "condition_occurrence.parquet")
    backend = DuckDBBackend(data)
    with pytest.raises(OmopSchemaError) as err:
        run_screen(backend, tmp_path / "w.parquet")
    assert "'person': column 'year_of_birth' is missing" in str(err.value)
    assert "'condition_occurrence': column 'condition_start_date' has type string" in str(err.value)


def test_bad_output_extension_and_pretest(tmp_path: Path) -> None:
    backend = DuckDBBackend(write_facts(tmp_path / "d", [PersonFacts(1)]))
    with pytest.raises(InputError, match=r"\.parquet or \.csv"):
        run_screen(backend, tmp_path / "w.xlsx")
    with pytest.raises(InputError, match="pretest_probability"):
        ScreenParams(pretest_probability=1.0)


def test_cli_screen_and_show_sql(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    people = [PersonFacts(1, back_pain=((CHRONIC_LBP, 0),), hla="pos"), PersonFacts(2)]
    data = build_testbed(people).write_parquet(tmp_path / "d")
    out = tmp_path / "w.parquet"
    assert main(["cohort", "screen", "--data", str(data), "--out", str(out), "-q"]) == 0
    text = capsys.readouterr().out
    assert "screened (rows in the worklist):" in text and "not a diagnosis" in text
    assert pq.read_table(out).num_rows == 1
    assert main(["cohort", "screen", "--data", str(data), "--out", str(out), "--show-sql"]) == 0
    assert "ROW_NUMBER() OVER" in capsys.readouterr().out


def test_cli_errors_are_messages_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cohort", "screen", "--data", str(tmp_path / "nope"), "--out", "w.parquet"]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    code = main(["cohort", "screen", "--data", str(tmp_path / "empty"), "--out", "w.parquet"])
    assert code == 2
    assert "OMOP table 'person' is missing" in capsys.readouterr().err


def test_duckdb_file_with_upper_case_columns(tmp_path: Path) -> None:
    import duckdb

    tb = OmopTestbed()
    PersonFacts(1, back_pain=((CHRONIC_LBP, 0),), hla="neg").add_to(tb)
    path = tb.write_duckdb(tmp_path / "cdm.duckdb")
    con = duckdb.connect(str(path))
    con.execute('ALTER TABLE person RENAME COLUMN person_id TO "PERSON_ID"')
    con.close()
    backend = DuckDBBackend(path)
    try:
        (row,) = run_plan(backend).to_pylist()
    finally:
        backend.close()
    assert row["hla_b27"] is False
