"""The one error envelope of ``/api/``: every 4xx and 5xx answer has this shape.

    {"error": {"type": "input_error", "message": "...",
               "problems": [{"loc": ["body", "crp_mg_l"], "msg": "...", "value": -3}]}}

The type follows the HTTP status (web-contract.md "Errors"); an ``ImmunospineError`` carries
its status (``http_status``), so new error classes need no change here. A 5xx answer never
shows a traceback or the internal message (a file path, a SQL statement): only plain words.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from immunospine.errors import FieldProblem, ImmunospineError, InputError

__all__ = [
    "ERROR_TYPES",
    "envelope",
    "envelope_bytes",
    "error_type",
    "from_error",
    "problem_json",
]

ERROR_TYPES: dict[int, str] = {
    400: "input_error",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "input_error",
    415: "input_error",
    422: "input_error",
    429: "rate_limited",
}

SERVER_MESSAGES: dict[int, str] = {
    503: "the service is unavailable (the patient database could not be used); try again later",
}
SERVER_MESSAGE = "the server could not complete the request; the error has been logged"


def error_type(status: int) -> str:
    """The envelope's ``type`` for an HTTP status (any 5xx: ``server_error``)."""
    if status >= 500:
        return "server_error"
    return ERROR_TYPES.get(status, "input_error")


def problem_json(problem: FieldProblem) -> dict[str, Any]:
    """One problem as the envelope lists it: ``loc``, ``field``, ``code``, ``msg``, ``value``."""
    inner = replace(problem, loc=problem.loc[1:]) if problem.loc[:1] == ("body",) else problem
    out: dict[str, Any] = {
        "loc": list(problem.loc),
        "field": inner.field,
        "code": problem.code,
        "msg": problem.msg,
    }
    if problem.has_value:
        out["value"] = problem.value
    return out


def envelope(status: int, message: str, problems: Sequence[FieldProblem] = ()) -> dict[str, Any]:
    """The envelope for ``status``; a 5xx message is replaced by plain, safe words."""
    if status >= 500:
        message = SERVER_MESSAGES.get(status, SERVER_MESSAGE)
        problems = ()
    return {
        "error": {
            "type": error_type(status),
            "message": message,
            "problems": [problem_json(p) for p in problems],
        }
    }


def envelope_bytes(status: int, message: str, problems: Sequence[FieldProblem] = ()) -> bytes:
    return json.dumps(envelope(status, message, problems), ensure_ascii=False).encode("utf-8")


def from_error(exc: ImmunospineError) -> tuple[int, dict[str, Any]]:
    """The status and envelope of one of our errors (its ``http_status``)."""
    status = int(getattr(exc, "http_status", 500))
    problems = exc.problems if isinstance(exc, InputError) else ()
    return status, envelope(status, str(exc), problems)
