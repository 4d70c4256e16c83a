"""GET /api/v1/knowledge/diseases[/NAME] (open): the command line's JSON, typed in OpenAPI."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI

from immunospine.cli import main
from tests.api.conftest import call


def test_the_list_and_one_entry_as_the_command_line(
    app: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = call(app, "GET", "/api/v1/knowledge/diseases?mechanism=nerve_or_spinal_cord")
    assert answer.status_code == 200, answer.text
    rows = answer.json()
    assert rows and all("nerve_or_spinal_cord" in r["mechanisms"] for r in rows)
    assert main(["knowledge", "diseases", "--mechanism", "nerve_or_spinal_cord", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == rows
    one = call(app, "GET", "/api/v1/knowledge/diseases/Lupus")
    assert one.status_code == 200
    entry = one.json()
    assert entry["key"] == "systemic_lupus_erythematosus" and entry["sources"]
    assert main(["knowledge", "disease", "lupus", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == entry


def test_unknown_names_and_mechanisms_are_errors(app: FastAPI) -> None:
    missing = call(app, "GET", "/api/v1/knowledge/diseases/multiple%20sclerosys")
    assert missing.status_code == 404
    assert "nearest: multiple_sclerosis" in missing.json()["error"]["message"]
    bad = call(app, "GET", "/api/v1/knowledge/diseases?mechanism=nerve")
    assert bad.status_code == 422
    assert "nerve_or_spinal_cord" in bad.json()["error"]["message"]


def test_the_routes_are_typed_in_the_openapi_document(app: FastAPI) -> None:
    doc = call(app, "GET", "/api/v1/openapi.json").json()
    one = doc["paths"]["/api/v1/knowledge/diseases/{name}"]["get"]
    assert "DiseaseEntry" in json.dumps(one["responses"]["200"])
    assert "DiseaseSummary" in json.dumps(doc["paths"]["/api/v1/knowledge/diseases"])


def test_the_query_vocabularies_are_the_base_s() -> None:
    from typing import get_args

    from immunospine.api.knowledge_routes import GroupName, MechanismName
    from immunospine.services import diseases

    assert get_args(MechanismName) == diseases.MECHANISMS
    assert get_args(GroupName) == diseases.GROUPS
