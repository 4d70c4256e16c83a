"""Every written case in tests/triage/cases.toml, through Python and through the command line."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from immunospine.cli import main
from immunospine.errors import InputError
from immunospine.services.triage import triage

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "cases.toml").read_text(encoding="utf-8")
)["case"]
REFER = {"yes": True, "no": False, "unknown": None}


def test_table_is_large_and_well_formed() -> None:
    assert len(CASES) >= 40
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids))
    for c in CASES:
        assert set(c) <= {"id", "source", "case", "expect", "expect_error"}, c["id"]
        assert c["source"]
        assert ("expect" in c) != ("expect_error" in c), c["id"]


def check(result: dict[str, Any], expect: dict[str, Any]) -> None:
    assert result["urgency"] == expect["urgency"]
    assert result["axspa"]["category"] == expect["category"]
    assert result["referral"]["refer_to_rheumatology"] is REFER[expect["refer"]]
    assert [f["item"] for f in result["red_flags"]] == expect["red_flags"]
    assert result["referral"]["next_tests"] == expect["next_tests"]
    assert [c["condition"] for c in result["considerations"]] == expect["considerations"]
    for name, verdict in expect["ibp"].items():
        assert result["inflammatory_back_pain"][name] == verdict, name
    strategies = {s["name"]: s["verdict"] for s in result["referral"]["strategies"]}
    assert strategies == expect["strategies"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_case_through_python(case: dict[str, Any]) -> None:
    if "expect_error" in case:
        with pytest.raises(InputError) as info:
            triage(case["case"])
        field = case["expect_error"]["field"]
        assert field in {p.field for p in info.value.problems}
        assert field in str(info.value)
        return
    check(triage(case["case"]).to_dict(), case["expect"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_case_through_cli(
    case: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(case["case"])))
    code = main(["triage"])
    out, err = capsys.readouterr()
    if "expect_error" in case:
        assert code == 2
        assert out == ""
        assert case["expect_error"]["field"] in err
        return
    assert code == 0, err
    result = json.loads(out)
    assert result == json.loads(json.dumps(triage(case["case"]).to_dict()))
    check(result, case["expect"])
