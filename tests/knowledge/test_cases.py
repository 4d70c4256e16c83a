"""Every case in tests/knowledge/cases/*.toml, through Python and through the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from immunospine.cli import main
from immunospine.cli._io import for_output
from immunospine.errors import InputError
from immunospine.knowledge import calculate, get_calculator
from immunospine.testing.cases import Case, load_case_dir

CASES = load_case_dir(Path(__file__).parent / "cases")


def check(result: dict[str, Any], case: Case) -> None:
    expect = case.expect
    tol = expect.get("tolerance", 1e-4)
    if "score" in expect:
        if expect["score"] is None:
            assert result["score"] is None
        else:
            assert result["score"] == pytest.approx(expect["score"], abs=tol), case.source
    for key in ("category", "verdict"):
        if key in expect:
            assert result.get(key) == expect[key], case.source
    if "missing" in expect:
        assert sorted(result["missing"]) == sorted(expect["missing"])
    for name, value in expect.get("components", {}).items():
        got = result["components"][name]
        if isinstance(value, float):
            assert got == pytest.approx(value, abs=tol), name
        else:
            assert got == value, name


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.calculator}:{c.id}")
def test_case_through_python(case: Case) -> None:
    if case.expect_error is not None:
        with pytest.raises(InputError) as info:
            calculate(case.calculator, **case.inputs)
        field = case.expect_error.get("field")
        if field:
            assert field in {p.field for p in info.value.problems}, str(info.value)
            assert field in str(info.value)
        return
    check(calculate(case.calculator, **case.inputs).to_dict(), case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.calculator}:{c.id}")
def test_case_through_cli(
    case: Case, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(case.inputs)))
    code = main(["calc", case.calculator])
    out, err = capsys.readouterr()
    if case.expect_error is not None:
        assert code == 2
        assert out == ""
        field = case.expect_error.get("field")
        if field:
            assert field in err
        return
    assert code == 0, err
    cli_result = json.loads(out)
    result = calculate(case.calculator, **case.inputs)
    unverified = {"unverified": list(get_calculator(case.calculator).unverified)}
    assert cli_result == {**for_output(result.to_dict()), **unverified}
    check(cli_result, case)
