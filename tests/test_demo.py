"""The demo behind ``make run``: every part runs on SQLite and DuckDB and says it is no diagnosis."""

from __future__ import annotations

from pathlib import Path

import pytest

from immunospine.errors import InputError
from immunospine.services import demo


def test_demo_runs_the_whole_path(tmp_path: Path) -> None:
    steps: list[str] = []
    report = demo.run_demo(
        tmp_path / "out", clinic_patients=3, population=3000, seed=5, on_step=steps.append
    )
    assert [s.split(":")[0] for s in steps] == ["Find", "Follow", "Scale", "Scale"]
    assert report.triage.urgency in {"routine", "soon"}
    assert {r.name for r in report.scores} == {"basdai", "asdas_crp", "basfi"}
    assert report.clinic["patients"] == 3
    assert report.clinic["database"].startswith("sqlite:///")
    assert (tmp_path / "out" / "worklist.parquet").exists()
    text = demo.render_text(report)
    assert "not a diagnosis" in text
    assert "does not diagnose" in text


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
