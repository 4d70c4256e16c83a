"""The demo behind ``make run``: every part runs on SQLite and DuckDB and says it is no diagnosis."""

from __future__ import annotations

from pathlib import Path

import pytest

from immunospine.errors import InputError
from immunospine.reports.demo_text import render_demo
from immunospine.services import demo


def test_demo_runs_the_whole_path(tmp_path: Path) -> None:
    steps: list[str] = []
    report = demo.run_demo(
        tmp_path / "out", clinic_patients=3, population=3000, seed=5, on_step=steps.append
    )
    assert [s.split(":")[0] for s in steps] == ["Find", "Follow", "Follow", "Scale", "Scale"]
    assert report.triage.urgency in {"routine", "soon"}
    assert {r.name for r in report.scores} == {"basdai", "asdas_crp", "basfi"}
    assert report.clinic.patients == 3
    assert report.clinic.database.startswith("sqlite:///")
    assert report.cohort.worklist == tmp_path / "out" / "worklist.parquet"
    assert report.cohort.worklist.exists()
    text = render_demo(report)
    assert "not a diagnosis" in text
    assert "does not diagnose" in text
    assert "1. Find" in text and "4. Scale" in text and "AUC" in text
    if report.clinic.off_target:  # the pre-visit report of the first patient off target
        assert report.clinic.report_patient == report.clinic.off_target[0].patient_id
        assert report.clinic.report_pdf is not None and report.clinic.report_html is not None
        assert report.clinic.report_pdf.read_bytes().startswith(b"%PDF")
        assert report.clinic.report_patient in report.clinic.report_html.read_text()
        assert f"pre-visit report of {report.clinic.report_patient}" in text


def test_demo_reruns_in_its_own_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    demo.prepare_output(out)
    (out / "leftover.txt").write_text("x")
    demo.prepare_output(out)
    assert not (out / "leftover.txt").exists()


def test_demo_refuses_to_empty_a_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep me")
    with pytest.raises(InputError, match="was not made by the demo"):
        demo.prepare_output(tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "keep me"


def test_the_demo_command_names_its_option_for_a_foreign_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from immunospine.cli import main

    (tmp_path / "mine.txt").write_text("keep me")
    assert main(["demo", "-o", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "--out" in err and "was not made by the demo" in err
    assert (tmp_path / "mine.txt").read_text() == "keep me"
