"""``immunospine knowledge diseases`` and ``knowledge disease NAME``."""

from __future__ import annotations

import json

import pytest

from immunospine.cli import main


def test_the_table_filters_by_mechanism_and_group(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "diseases", "--mechanism", "treatment_related"]) == 0
    out = capsys.readouterr().out
    head = out.splitlines()[0]
    for column in ("key", "name", "back involvement", "mechanisms", "specialist"):
        assert column in head
    assert "systemic_lupus_erythematosus" in out and "multiple_sclerosis" not in out
    assert main(["knowledge", "diseases", "--group", "neurological", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["group"] for r in rows} == {"neurological"}
    assert main(["knowledge", "diseases"]) == 0
    assert "diseases" in capsys.readouterr().out.splitlines()[-1]


def test_one_disease_in_full_with_its_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "disease", "MS"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Multiple sclerosis (multiple_sclerosis)")
    assert "sources:" in out and "how it reaches the back:" in out
    assert "verified" in out


def test_unknown_names_exit_2_naming_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "disease", "multiple sclerosys"]) == 2
    assert "nearest: multiple_sclerosis" in capsys.readouterr().err
    assert main(["knowledge", "diseases", "--mechanism", "nerve"]) == 2
    err = capsys.readouterr().err
    assert 'unknown mechanism "nerve"; nearest: nerve_or_spinal_cord; allowed:' in err
    assert main(["knowledge", "diseases", "--group", "neuro"]) == 2
    assert "allowed: spondyloarthritis" in capsys.readouterr().err
