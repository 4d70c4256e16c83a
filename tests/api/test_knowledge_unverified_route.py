"""GET /api/v1/knowledge/unverified[?area=] (open): the command line's JSON, typed in OpenAPI,
and an unknown area a 404 naming the nearest areas in the error envelope."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI

from immunospine.cli import main
from immunospine.services import verification
from tests.api.conftest import call


def test_everything_unverified_as_the_command_line(
    app: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = call(app, "GET", "/api/v1/knowledge/unverified")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [c["area"] for c in body["summary"]] == list(verification.AREAS)
    assert sum(c["facts"] for c in body["summary"]) == len(body["facts"])
    assert main(["knowledge", "unverified", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == body


def test_one_area(app: FastAPI, capsys: pytest.CaptureFixture[str]) -> None:
    answer = call(app, "GET", "/api/v1/knowledge/unverified?area=concept_sets")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [c["area"] for c in body["summary"]] == ["concept_sets"]
    assert all(f["area"] == "concept_sets" for f in body["facts"])
    assert main(["knowledge", "unverified", "--area", "concept_sets", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == body


def test_an_unknown_area_names_the_nearest(app: FastAPI) -> None:
    answer = call(app, "GET", "/api/v1/knowledge/unverified?area=red_flag")
    assert answer.status_code == 404
    error = answer.json()["error"]
    assert error["type"] == "not_found"
    assert "red_flags" in error["message"] and "allowed:" in error["message"]


def test_the_route_is_typed_in_the_openapi_document(app: FastAPI) -> None:
    doc = call(app, "GET", "/api/v1/openapi.json").json()
    route = doc["paths"]["/api/v1/knowledge/unverified"]["get"]
    assert "UnverifiedReport" in json.dumps(route["responses"]["200"])
    assert "ErrorEnvelope" in json.dumps(route["responses"]["404"])
    assert "security" not in route
