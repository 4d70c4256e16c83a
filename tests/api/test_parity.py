"""The API answers exactly what the command line prints: every calculator case in
tests/knowledge/cases and every triage case in tests/triage/cases.toml, results and errors."""

from __future__ import annotations

import io
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from immunospine.cli import main
from immunospine.testing.cases import Case, load_case_dir
from tests.api.conftest import call

TESTS = Path(__file__).parent.parent
CALC_CASES = load_case_dir(TESTS / "knowledge" / "cases")
TRIAGE_CASES: list[dict[str, Any]] = tomllib.loads(
    (TESTS / "triage" / "cases.toml").read_text(encoding="utf-8")
)["case"]


def cli(argv: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Any:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def same_answer(response: Any, code: int, out: str, err: str, app_path: str) -> None:
    if code == 0:
        assert response.status_code == 200, (app_path, response.text)
        assert response.json() == json.loads(out)
    else:
        assert code == 2, err
        assert response.status_code == 422, (app_path, response.text)
        assert response.json()["error"]["message"] == err.removeprefix("Error: ").strip()


@pytest.mark.parametrize("case", CALC_CASES, ids=lambda c: f"{c.calculator}:{c.id}")
def test_calculator_case(
    app: FastAPI, case: Case, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    text = json.dumps(case.inputs)
    code, out, err = cli(["calc", case.calculator], text, monkeypatch, capsys)
    path = f"/api/v1/calculators/{case.calculator}"
    response = call(app, "POST", path, content=text, headers={"content-type": "application/json"})
    same_answer(response, code, out, err, path)


@pytest.mark.parametrize("case", TRIAGE_CASES, ids=lambda c: str(c["id"]))
def test_triage_case(
    app: FastAPI, case: dict[str, Any], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    text = json.dumps(case["case"])
    code, out, err = cli(["triage"], text, monkeypatch, capsys)
    response = call(
        app, "POST", "/api/v1/triage", content=text, headers={"content-type": "application/json"}
    )
    same_answer(response, code, out, err, "/api/v1/triage")
    if "expect_error" in case:
        assert response.status_code == 422
