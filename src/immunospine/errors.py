"""The one exception tree of immunospine, and where each branch goes at the boundaries.

    ImmunospineError
    ├── InputError          bad clinical or user input              → HTTP 422, CLI exit 2
    │   └── UnitError       a value in the wrong unit
    ├── KnowledgeError      unknown calculator, criteria or version  → HTTP 404, CLI exit 2
    ├── NotFound            unknown patient or record id, or one the → HTTP 404, CLI exit 1
    │                       caller may not see (ids cannot be probed)
    ├── Unauthorized        not signed in, a wrong password or token → HTTP 401, CLI exit 1
    ├── Forbidden           signed in, but the role may not do this  → HTTP 403, CLI exit 1
    ├── Conflict            would break a uniqueness rule (a taken   → HTTP 409, CLI exit 1
    │                       username); carries ``problems``
    ├── RateLimited         too many failed sign-ins; carries        → HTTP 429, CLI exit 1
    │                       ``retry_after_seconds``
    ├── StorageError        the patient database failed              → HTTP 503, CLI exit 1
    ├── CohortError         an OMOP backend failed; carries ``sql``  → HTTP 500, CLI exit 1
    │   └── OmopSchemaError a missing table or column, named         → CLI exit 2
    ├── FhirError           a FHIR resource could not be mapped      → HTTP 422, CLI exit 2
    └── MissingExtraError   an optional dependency is not installed  → CLI exit 2

Library code raises these and never exits; only ``immunospine.cli`` turns them into exit codes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from immunospine._validation_text import (
    allowed_text,
    field_names,
    json_kind,
    json_text,
    number_text,
    problem_message,
)

if TYPE_CHECKING:  # pragma: no cover
    from pydantic import ValidationError

__all__ = [
    "CohortError",
    "Conflict",
    "FhirError",
    "FieldProblem",
    "Forbidden",
    "ImmunospineError",
    "InputError",
    "KnowledgeError",
    "MissingExtraError",
    "NotFound",
    "OmopSchemaError",
    "RateLimited",
    "StorageError",
    "Unauthorized",
    "UnitError",
    "json_kind",
    "json_text",
    "number_text",
    "validation_problems",
]


class ImmunospineError(Exception):
    """Base of every error immunospine raises on purpose."""

    exit_code = 1
    http_status = 500


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem with one input field: where it is, what was received, what is allowed."""

    loc: tuple[str | int, ...]
    msg: str
    code: str = "invalid"
    value: Any = None
    has_value: bool = False
    written: str | None = None
    """The value as the user wrote it, where JSON data cannot hold it (``NaN``); else None."""

    @property
    def field(self) -> str:
        """Dotted path of the field, e.g. ``findings.hla_b27`` or ``items[3]``."""
        out = ""
        for part in self.loc:
            if isinstance(part, int):
                out += f"[{part}]"
            else:
                out += ("." if out else "") + part
        return out or "(input)"

    @property
    def line(self) -> str:
        """``field = value: message``, the value written as JSON (as the user typed it)."""
        text = self.written if self.written is not None else json_text(self.value)
        shown = f" = {text}" if self.has_value else ""
        return f"{self.field}{shown}: {self.msg}"

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "loc": list(self.loc),
            "field": self.field,
            "code": self.code,
            "msg": self.msg,
        }
        if self.has_value:
            d["value"] = self.value
        return d


@dataclass(eq=False)
class InputError(ImmunospineError, ValueError):
    """Input that breaks a rule: names the field, the value received and what is allowed."""

    message: str
    problems: Sequence[FieldProblem] = field(default_factory=tuple)

    exit_code = 2
    http_status = 422

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    @classmethod
    def single(
        cls,
        loc: tuple[str | int, ...] | str,
        msg: str,
        value: Any = None,
        *,
        code: str = "invalid",
        has_value: bool = True,
        context: str = "",
    ) -> InputError:
        """An error about one field; ``context`` (e.g. the calculator name) prefixes the message."""
        loc_t: tuple[str | int, ...] = (loc,) if isinstance(loc, str) else loc
        return cls.from_problems((FieldProblem(loc_t, msg, code, value, has_value),), context)

    @classmethod
    def from_problems(cls, problems: Sequence[FieldProblem], context: str = "") -> InputError:
        """One error listing every problem (``field = value: message``, joined by ``; ``)."""
        head = f"{context}: " if context else ""
        return cls(head + "; ".join(p.line for p in problems), tuple(problems))

    @classmethod
    def from_validation(
        cls,
        exc: ValidationError,
        *,
        context: str = "",
        model: type[Any] | None = None,
        prefix: tuple[str | int, ...] = (),
    ) -> InputError:
        """The one translation of a pydantic ``ValidationError``: every field, value and rule.

        ``model`` (the validated model) lets a message add the field's description, which states
        its range and unit, and name the allowed fields; ``prefix`` is put before every location
        (e.g. the record name); ``context`` (e.g. the calculator name) prefixes the message.
        """
        problems = validation_problems(exc, model=model, prefix=prefix, context=context)
        return cls.from_problems(problems, context)


def validation_problems(
    exc: ValidationError,
    *,
    model: type[Any] | None = None,
    prefix: tuple[str | int, ...] = (),
    context: str = "",
) -> tuple[FieldProblem, ...]:
    """pydantic's errors as ``FieldProblem``s in plain words (values as JSON, no regexes).

    ``model`` adds each field's description (its range and unit) and, for an unknown field, the
    allowed ones; ``prefix`` goes before every location; ``context`` names what an unknown field
    is not an input of.
    """
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = str(err["type"])
        allowed = allowed_text(model, loc) if model is not None else ""
        known = field_names(model, loc[:-1]) if model is not None else None
        msg = problem_message(err, allowed, known, context)
        value = _jsonable(err.get("input"))
        out.append(FieldProblem((*prefix, *loc), msg, kind, value, kind != "missing"))
    return tuple(out)


def _jsonable(value: Any) -> Any:
    """``value`` as JSON data (dates as ISO text, tuples as lists), for the API's problems."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return json.loads(json_text(value))


class UnitError(InputError):
    """A value given in a unit the field does not take (CRP in mg/dL where mg/L is asked)."""


class KnowledgeError(ImmunospineError, LookupError):
    """An unknown calculator, criteria set or knowledge item."""

    exit_code = 2
    http_status = 404


class NotFound(ImmunospineError, LookupError):
    """A patient, assessment or other record that does not exist."""

    http_status = 404


class Unauthorized(ImmunospineError):
    """No valid sign-in: an unknown user and a wrong password get the same message."""

    http_status = 401


class Forbidden(ImmunospineError):
    """Signed in, but this role may not do this (the same answer whatever the record id)."""

    http_status = 403


class Conflict(ImmunospineError):
    """A uniqueness rule would break (a taken username); ``problems`` names the field."""

    http_status = 409

    def __init__(self, problems: Sequence[FieldProblem], context: str = "") -> None:
        self.problems = tuple(problems)
        head = f"{context}: " if context else ""
        super().__init__(head + "; ".join(p.line for p in self.problems))


class RateLimited(ImmunospineError):
    """Too many failed attempts; try again after ``retry_after_seconds``."""

    http_status = 429

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class StorageError(ImmunospineError):
    """The patient database could not do what was asked."""

    http_status = 503


class CohortError(ImmunospineError):
    """A population query failed; ``sql`` holds the statement when there is one."""

    def __init__(self, message: str, *, sql: str | None = None) -> None:
        super().__init__(message)
        self.sql = sql


class OmopSchemaError(CohortError):
    """An OMOP table or column is missing or has the wrong type; the message names it."""

    exit_code = 2


class FhirError(ImmunospineError):
    """A FHIR resource or bundle could not be read or written."""

    exit_code = 2
    http_status = 422


class MissingExtraError(ImmunospineError, ImportError):
    """An optional dependency is missing; the message says which extra to install."""

    exit_code = 2

    def __init__(self, extra: str, *, feature: str) -> None:
        super().__init__(
            f"{feature} needs optional dependencies: pip install 'immunospine[{extra}]'"
        )
        self.extra = extra
