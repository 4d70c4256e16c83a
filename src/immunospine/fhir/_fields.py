"""Small readers for FHIR JSON elements that collect problems instead of raising."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from immunospine.errors import FieldProblem, InputError

__all__ = ["At", "Problems", "code_of", "codes_of"]

Loc = tuple[str | int, ...]


@dataclass
class Problems:
    """Every problem found so far, each located at ``("entry", i, resourceType, field…)``."""

    items: list[FieldProblem] = field(default_factory=list)

    def add(self, loc: Loc, msg: str, value: Any = None, *, code: str = "invalid") -> None:
        has_value = value is not None
        self.items.append(FieldProblem(loc, msg, code, value, has_value))

    def extend_from(self, loc: Loc, exc: InputError) -> None:
        for p in exc.problems:
            self.items.append(FieldProblem((*loc, *p.loc), p.msg, p.code, p.value, p.has_value))

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class At:
    """Where we are: one entry of the bundle, and the problem list to report into."""

    index: int
    resource_type: str
    problems: Problems

    @property
    def loc(self) -> Loc:
        return ("entry", self.index, self.resource_type)

    def add(
        self, field_path: Loc | str, msg: str, value: Any = None, *, code: str = "invalid"
    ) -> None:
        path = (field_path,) if isinstance(field_path, str) else field_path
        self.problems.add((*self.loc, *path), msg, value, code=code)

    def record_error(self, exc: InputError) -> None:
        self.problems.extend_from(self.loc, exc)

    def day(self, value: Any, field_path: str) -> date | None:
        """A full calendar date from a FHIR date or dateTime (the local date of a dateTime)."""
        if value is None:
            self.add(field_path, "is required", code="missing")
            return None
        text = str(value)
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            if "T" in text:
                return datetime.fromisoformat(text).date()
        except ValueError:
            pass
        self.add(field_path, "must be a full date YYYY-MM-DD", text)
        return None

    def moment(self, value: Any, field_path: str) -> datetime | None:
        """A timezone-aware instant from a FHIR dateTime."""
        if value is None:
            self.add(field_path, "is required", code="missing")
            return None
        text = str(value)
        try:
            moment = datetime.fromisoformat(text) if "T" in text else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.add(field_path, "must be a dateTime with time and time zone", text)
            return None
        return moment


def codes_of(concept: Any) -> list[tuple[str, str]]:
    """``(system, code)`` of every coding of a CodeableConcept (empty when not one)."""
    if not isinstance(concept, dict):
        return []
    out = []
    for coding in concept.get("coding", []) or []:
        if isinstance(coding, dict) and coding.get("code") is not None:
            out.append((str(coding.get("system", "")), str(coding["code"])))
    return out


def code_of(concept: Any, system: str) -> str | None:
    """The code of the first coding from ``system``, if any."""
    for sys, code in codes_of(concept):
        if sys == system:
            return code
    return None
