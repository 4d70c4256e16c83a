"""``immunospine patient report ID -o report.pdf``: files written, clear errors, exit codes."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from immunospine.cli import main
from immunospine.services import database
from tests.reports.previsit_record import build_axspa


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("report-cli") / "clinic.db"
    db = database.open_database(f"sqlite:///{path}")
    database.upgrade(db)
    build_axspa(db, diary_days=120)
    db.dispose()
    return str(path)


def test_writes_the_pdf_and_its_html_twin(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, html = tmp_path / "report.pdf", tmp_path / "report.html"
    code = main(["patient", "report", "PV-042", "-o", str(out), "--html", str(html),
                 "--since", "2024-06-01", "--db", url, "--actor", "dr.lee"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert str(out) in captured.out
    assert len(pypdf.PdfReader(out).pages) == 1
    text = pypdf.PdfReader(out).pages[0].extract_text()
    assert "PV-042" in text and "Period 2024-06-01" in text
    assert "PV-042" in html.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.partial"))


def test_an_unknown_patient_is_exit_1_and_writes_nothing(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.pdf"
    assert main(["patient", "report", "NOBODY", "-o", str(out), "--db", url]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "patient 'NOBODY' not found" in captured.err
    assert not out.exists()


def test_out_in_a_missing_folder_is_exit_2_naming_the_flag(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no-such-folder" / "report.pdf"
    assert main(["patient", "report", "PV-042", "-o", str(out), "--db", url]) == 2
    err = capsys.readouterr().err
    assert "--out" in err and "does not exist" in err and str(out.parent) in err


def test_out_that_is_a_folder_is_exit_2(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["patient", "report", "PV-042", "-o", str(tmp_path), "--db", url]) == 2
    assert "--out" in capsys.readouterr().err


def test_a_bad_since_is_exit_2_naming_the_flag(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "r.pdf")
    assert main(["patient", "report", "PV-042", "-o", out, "--since", "1/6/2024",
                 "--db", url]) == 2  # fmt: skip
    assert "--since" in capsys.readouterr().err
    assert main(["patient", "report", "PV-042", "-o", out, "--since", "2999-01-01",
                 "--db", url]) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert "--since" in err and "2999-01-01" in err
