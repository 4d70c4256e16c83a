"""The open routes in-process: health, calculators, triage, the OpenAPI document and the docs."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi import FastAPI

from immunospine.api import create_app
from immunospine.services import calculators
from immunospine.services.database import opened, upgrade
from immunospine.settings import Settings
from immunospine.version import __version__
from tests.api.conftest import call

ASDAS = {
    "back_pain": 6,
    "morning_stiffness_duration": 5,
    "patient_global": 7,
    "peripheral_pain": 3,
    "crp_mg_l": 12,
}


def test_health_without_a_database_says_unavailable_and_creates_nothing(
    app: FastAPI, api_settings: Settings
) -> None:
    response = call(app, "GET", "/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "database": "unavailable"}
    assert not Path(str(api_settings.database_url)).exists()


def test_health_with_a_migrated_database_says_ok(tmp_path: Path) -> None:
    path = tmp_path / "clinic.db"
    with opened(str(path), create=True) as db:
        upgrade(db)
    app = create_app(Settings(), database_url=str(path))
    assert call(app, "GET", "/api/v1/health").json()["database"] == "ok"


def test_calculator_list_is_the_catalogue(app: FastAPI) -> None:
    response = call(app, "GET", "/api/v1/calculators")
    assert response.status_code == 200
    entries = response.json()
    assert [e["name"] for e in entries] == calculators.calculator_names()
    for entry in entries:
        assert {"name", "version", "kind", "input_schema"} <= set(entry)
        assert entry["input_schema"]["type"] == "object"


def test_one_calculator_and_an_unknown_one(app: FastAPI) -> None:
    one = call(app, "GET", "/api/v1/calculators/basdai").json()
    assert one["name"] == "basdai"
    assert "q1" in one["input_schema"]["properties"]
    missing = call(app, "GET", "/api/v1/calculators/no_such_score")
    assert missing.status_code == 404
    error = missing.json()["error"]
    assert error["type"] == "not_found"
    assert "no_such_score" in error["message"]
    assert "basdai" in error["message"]  # names the known ones


def test_compute_asdas(app: FastAPI) -> None:
    response = call(app, "POST", "/api/v1/calculators/asdas_crp", json=ASDAS)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "asdas_crp"
    assert body == calculators.result_json(calculators.score_json("asdas_crp", json.dumps(ASDAS)))
    assert body["category"] == "high"


def test_compute_unknown_calculator_is_404(app: FastAPI) -> None:
    response = call(app, "POST", "/api/v1/calculators/no_such_score", json=ASDAS)
    assert response.status_code == 404
    assert response.json()["error"]["type"] == "not_found"


def test_triage(app: FastAPI) -> None:
    case = {"age": 30, "back_pain": {"duration_months": 12, "age_at_onset": 25}}
    response = call(app, "POST", "/api/v1/triage", json=case)
    assert response.status_code == 200
    assert {"urgency", "axspa", "referral", "disclaimer"} <= set(response.json())


def test_openapi_describes_every_calculator_body(app: FastAPI) -> None:
    doc = call(app, "GET", "/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    schemas = doc["components"]["schemas"]
    for name in calculators.calculator_names():
        post = doc["paths"][f"/api/v1/calculators/{name}"]["post"]
        ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        model = calculators.input_model(name)
        assert ref == f"#/components/schemas/{model.__name__}"
        expected = model.model_json_schema(ref_template="#/components/schemas/{model}")
        expected.pop("$defs", None)
        assert schemas[model.__name__] == expected, name  # no two models share a name
    triage = doc["paths"]["/api/v1/triage"]["post"]["requestBody"]["content"]
    assert triage["application/json"]["schema"]["$ref"] == "#/components/schemas/TriageCase"
    for path in ("/api/v1/health", "/api/v1/calculators", "/api/v1/calculators/{name}"):
        assert path in doc["paths"]


def test_docs_page_is_served_offline_from_the_package(app: FastAPI) -> None:
    page = call(app, "GET", "/api/docs")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "http" not in page.text.replace("http-equiv", "")  # no CDN, no other site
    assert "<script>" not in page.text  # no inline script: the CSP allows only files
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "default-src 'none'" in csp
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "docs.js", "LICENSE"):
        response = call(app, "GET", f"/api/static/{asset}")
        assert response.status_code == 200, asset
        assert response.content


def test_the_served_app_freezes_what_start_up_built() -> None:
    import gc

    from immunospine.api import served_app

    try:
        app = served_app(Settings())
        assert gc.get_freeze_count() > 0
        assert call(app, "GET", "/api/v1/calculators/basdai").status_code == 200
    finally:
        gc.unfreeze()
