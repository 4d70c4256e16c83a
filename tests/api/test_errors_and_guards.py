"""The one error envelope and the abuse guards: 422 with every problem, 415, 413, deep JSON,
unknown routes, a crash without a traceback, security headers, no CORS."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from immunospine.api import create_app
from immunospine.api.guards import json_depth
from immunospine.settings import Settings
from tests.api.conftest import call

ENVELOPE_KEYS = {"type", "message", "problems"}


def error_of(response: object) -> dict[str, object]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"}
    assert set(body["error"]) == ENVELOPE_KEYS
    return body["error"]  # type: ignore[no-any-return]


def test_bad_input_lists_every_problem_in_the_command_lines_words(app: FastAPI) -> None:
    body = {"q1": 11, "q2": -1, "q3": "x", "q4": 2, "q5": 2, "q6": 2}
    response = call(app, "POST", "/api/v1/calculators/basdai", json=body)
    assert response.status_code == 422
    error = error_of(response)
    assert error["type"] == "input_error"
    problems = error["problems"]
    assert isinstance(problems, list)
    assert [p["loc"] for p in problems] == [["body", "q1"], ["body", "q2"], ["body", "q3"]]
    assert [p["value"] for p in problems] == [11, -1, "x"]
    for p in problems:
        assert p["msg"] and p["field"] in str(error["message"])


def test_the_message_is_the_command_lines(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from immunospine.cli import main

    text = '{"back_pain": 3, "crp_mg_l": NaN}'
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    assert main(["calc", "asdas_crp"]) == 2
    cli_message = capsys.readouterr().err.removeprefix("Error: ").strip()
    response = call(
        app,
        "POST",
        "/api/v1/calculators/asdas_crp",
        content=text,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    error = error_of(response)
    assert error["message"] == cli_message
    assert error["problems"][0]["loc"] == ["body", "crp_mg_l"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("content", "why"),
    [("", "is not valid JSON"), ("[1, 2]", "must be a JSON object"), ('{"a": 1, "a": 2}', "twice")],
)
def test_not_an_object(app: FastAPI, content: str, why: str) -> None:
    response = call(
        app,
        "POST",
        "/api/v1/triage",
        content=content,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert why in str(error_of(response)["message"])


def test_body_that_is_not_utf8(app: FastAPI) -> None:
    response = call(
        app,
        "POST",
        "/api/v1/triage",
        content=b'{"age": "\xff"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "UTF-8" in str(error_of(response)["message"])


@pytest.mark.parametrize("media", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(app: FastAPI, media: str | None) -> None:
    headers = {"content-type": media} if media else {}
    response = call(
        app, "POST", "/api/v1/calculators/basdai", content=b'{"q1": 1}', headers=headers
    )
    assert response.status_code == 415
    error = error_of(response)
    assert error["type"] == "input_error"
    assert "application/json" in str(error["message"])


def test_json_with_a_charset_is_accepted(app: FastAPI) -> None:
    response = call(
        app,
        "POST",
        "/api/v1/calculators/pain_nrs",
        content=b'{"pain_nrs": 4}',
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert response.status_code in (200, 422)
    assert response.status_code != 415


def test_oversize_body_is_413() -> None:
    small = create_app(Settings(api_max_body_bytes=100))
    big = json.dumps({"q1": 1, "padding": "x" * 200})
    response = call(
        small,
        "POST",
        "/api/v1/calculators/basdai",
        content=big,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert "100 bytes" in str(error_of(response)["message"])


def test_oversize_body_without_a_length_is_413() -> None:
    small = create_app(Settings(api_max_body_bytes=100))

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"x" * 50

    response = call(
        small,
        "POST",
        "/api/v1/triage",
        content=chunks(),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413


def test_default_limit_is_one_mebibyte(app: FastAPI) -> None:
    body = b'{"a": "' + b"x" * (1024 * 1024) + b'"}'
    response = call(
        app, "POST", "/api/v1/triage", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_too_deep_json_is_422_naming_the_limit(app: FastAPI) -> None:
    deep = "[" * 40 + "]" * 40
    response = call(
        app,
        "POST",
        "/api/v1/calculators/basdai",
        content='{"q1": ' + deep + "}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert "32 levels" in str(error_of(response)["message"])


def test_json_depth_skips_brackets_in_strings() -> None:
    assert json_depth(b'{"a": "[[[[{{{{", "b": [1, {"c": "]]]"}]}', 10) == 3
    assert json_depth(b'{"a": "\\"[[["}', 10) == 1
    assert json_depth(b"[" * 50, 5) == 6  # stops counting past the limit


def test_unknown_route_is_404_in_the_envelope(app: FastAPI) -> None:
    response = call(app, "GET", "/api/v1/no/such/route")
    assert response.status_code == 404
    error = error_of(response)
    assert error["type"] == "not_found"
    assert "/api/v1/no/such/route" in str(error["message"])


def test_wrong_method_is_405_in_the_envelope(app: FastAPI) -> None:
    response = call(app, "GET", "/api/v1/triage")
    assert response.status_code == 405
    assert error_of(response)["type"] == "method_not_allowed"


def test_bad_query_parameter_is_422_in_our_words(app: FastAPI) -> None:
    response = call(app, "GET", "/api/v1/calculators", params={"kind": "horoscope"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["problems"][0]["loc"] == ["query", "kind"]  # type: ignore[index]
    assert "horoscope" in str(error["message"])
    kinds = call(app, "GET", "/api/v1/calculators", params={"kind": "criteria"}).json()
    assert kinds and {e["kind"] for e in kinds} == {"criteria"}


def test_a_crash_is_500_without_a_traceback(caplog: pytest.LogCaptureFixture) -> None:
    crashing = create_app(Settings())

    @crashing.get("/api/v1/crash")
    async def crash() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    with caplog.at_level(logging.ERROR, logger="immunospine.api"):
        response = call(crashing, "GET", "/api/v1/crash")
    assert response.status_code == 500
    error = error_of(response)
    assert error["type"] == "server_error"
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert "secret internal detail" in caplog.text  # logged on the server


def test_our_errors_map_by_their_http_status() -> None:
    from immunospine.errors import ImmunospineError, StorageError

    class Refused(ImmunospineError):
        http_status = 429

    app = create_app(Settings())

    @app.get("/api/v1/refused")
    async def refused() -> None:
        raise Refused("too many attempts; wait a minute")

    @app.get("/api/v1/storage")
    async def storage() -> None:
        raise StorageError("no patient database at /home/x/secret.db")

    response = call(app, "GET", "/api/v1/refused")
    assert response.status_code == 429
    assert error_of(response) == {
        "type": "rate_limited",
        "message": "too many attempts; wait a minute",
        "problems": [],
    }
    response = call(app, "GET", "/api/v1/storage")
    assert response.status_code == 503
    assert error_of(response)["type"] == "server_error"
    assert "secret.db" not in response.text


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/v1/health"), ("GET", "/api/v1/calculators"), ("GET", "/api/v1/nope")],
)
def test_security_headers_and_no_cors(app: FastAPI, method: str, path: str) -> None:
    response = call(app, method, path, headers={"origin": "https://evil.example"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "access-control-allow-origin" not in response.headers


def test_cors_preflight_is_not_allowed(app: FastAPI) -> None:
    response = call(
        app,
        "OPTIONS",
        "/api/v1/calculators/basdai",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in response.headers
    assert response.status_code == 405
