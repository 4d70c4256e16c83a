"""Issue 8 §1 for the cohort commands: --db is the patient database only, the OMOP PostgreSQL source
is --omop-url, library errors name fields (the CLI maps them to flags), and presentation is in
``reports.cohort`` (services return values)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from immunospine.cli import main
from immunospine.cohort.backends import open_backend
from immunospine.errors import InputError
from immunospine.services import cohort_screen
from tests.cohort.test_backends import PG_URL, needs_postgres
from tests.cohort.test_engine_support import build_testbed, random_population


def test_cohort_screen_has_no_db_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["cohort", "screen", "--backend", "postgres", "--db", PG_URL, "-o", "w.csv"]
    assert main(argv) == 2
    assert "No such option: --db" in capsys.readouterr().err
    assert main(["cohort", "screen", "--help"]) == 0
    help_text = capsys.readouterr().out
    assert "--omop-url" in help_text and "--db " not in help_text


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"backend": "oracle"}, "backend"),
        ({"backend": "postgres"}, "omop_url"),
        ({"backend": "duckdb"}, "data"),
        ({"backend": "spark"}, "data"),
        ({"backend": "duckdb", "data": Path("/no/such/folder")}, "data"),
        ({"backend": "duckdb", "data": Path("."), "threads": 0}, "threads"),
    ],
)
def test_library_errors_name_fields_not_flags(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as info:
        open_backend(**kwargs)  # type: ignore[arg-type]
    assert info.value.problems[0].loc == (field,)
    assert "--" not in str(info.value)


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--backend", "postgres"], "cohort screen: --omop-url: is required by the postgres"),
        (["--backend", "oracle"], 'cohort screen: --backend = "oracle": must be one of'),
        (["--data", "/no/such/folder"], "cohort screen: --data"),
        (["--data", ".", "--memory-limit", "lots"], "cohort screen: --memory-limit"),
        (["--data", ".", "--threads", "0"], "cohort screen: --threads = 0: must be at least 1"),
    ],
)
def test_cli_maps_fields_to_its_flags(
    argv: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "w.parquet")
    assert main(["cohort", "screen", *argv, "-o", out, "-q"]) == 2
    captured = capsys.readouterr()
    assert needle in captured.err and captured.out == ""


def test_wrong_output_suffix_names_the_out_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = build_testbed(random_population(seed=3, n=5)).write_parquet(tmp_path / "d")
    assert main(["cohort", "screen", "--data", str(data), "-o", "w.txt", "-q"]) == 2
    assert 'cohort screen: --out = "w.txt": the output file must end in' in capsys.readouterr().err


@pytest.mark.postgres
@needs_postgres
def test_cli_screens_postgres_through_omop_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = random_population(seed=9, n=30)
    with build_testbed(people).postgres_schema(PG_URL) as schema:
        out = tmp_path / "w.csv"
        argv = ["cohort", "screen", "--backend", "postgres", "--omop-url", PG_URL]
        assert main([*argv, "--schema", schema, "-o", str(out), "--json", "-q"]) == 0
    assert '"backend": "postgres"' in capsys.readouterr().out
    assert out.is_file()


def test_screen_summary_is_values_and_renders_in_reports(tmp_path: Path) -> None:
    people = random_population(seed=4, n=20)
    data = build_testbed(people).write_parquet(tmp_path / "d")
    req = cohort_screen.ScreenRequest(backend="duckdb", out=tmp_path / "w.parquet", data=data)
    summary = cohort_screen.screen(req)
    assert not hasattr(summary, "lines")
    d = cohort_screen.summary_dict(summary)
    assert d["screened"] == summary.screened and "docs/case-finding.md" in d["note"]
    from immunospine.reports.cohort import screen_summary_text

    text = screen_summary_text(summary)
    assert f"{summary.screened:>12,}" in text and "not a diagnosis" in text


def test_cohort_commands_import_no_dataframe_library_for_help() -> None:
    code = (
        "import sys; from immunospine.cli import cohort, cohort_screen; "
        "heavy = [m for m in ('pyarrow', 'ibis', 'duckdb', 'pyspark') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
