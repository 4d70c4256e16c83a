"""``immunospine knowledge unverified [--area A] [--json]`` (issue 14)."""

from __future__ import annotations

import json

import pytest

from immunospine.cli import main
from immunospine.services.verification import unverified_json


def test_counts_then_every_fact(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "unverified"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "area",
        "items",
        "verified",
        "unverified",
        "open",
        "facts",
    ]
    facts = unverified_json()["facts"]
    assert out.count("\n  to check: ") == len(facts)
    assert out.endswith(f"{len(facts)} facts still unverified\n")


def test_one_area_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "unverified", "--area", "axspa_likelihood_ratios", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == unverified_json("axspa_likelihood_ratios")
    assert [c["area"] for c in data["summary"]] == ["axspa_likelihood_ratios"]


def test_unknown_area_exits_2_naming_the_nearest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["knowledge", "unverified", "--area", "red_flag"]) == 2
    captured = capsys.readouterr()
    assert "nearest: red_flags" in captured.err and captured.out == ""
