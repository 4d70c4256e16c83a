"""Shared base of the patient records: frozen, strict pydantic models whose errors name the record.

Every record type subclasses ``RecordModel``. Build one from trusted Python values with the
constructor, or from untrusted data with ``parse`` / ``parse_json``: those raise
``immunospine.errors.InputError`` whose problems are located as ``(record, field)``, e.g.
``("medication_course", "stopped_on")``, so every face can point at the offending field.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from immunospine.errors import InputError

__all__ = ["RecordModel", "latest_allowed_date", "record_error"]

EARLIEST_TIME_ZONE = timedelta(hours=14)
"""Kiribati (UTC+14) is the first place where a new calendar day begins."""


def latest_allowed_date(now: datetime | None = None) -> date:
    """The latest clinical date that is not in the future anywhere on Earth.

    A date entered as "today" in UTC+14 is already tomorrow in UTC, so "future" means later than
    the current date at UTC+14 (never a false alarm, at most a day of slack).
    """
    moment = now if now is not None else datetime.now(UTC)
    return (moment.astimezone(UTC) + EARLIEST_TIME_ZONE).date()


def record_error(record: str, field: str, msg: str, value: Any, *, code: str) -> InputError:
    """An ``InputError`` about one field of one record, e.g. ``("diary_entry", "recorded_at")``."""
    return InputError.single((record, field), msg, _plain(value), code=code)


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return repr(value)


class RecordModel(BaseModel):
    """Base of every patient record: frozen, strict, unknown fields rejected, no NaN/Infinity.

    ``RECORD`` is the snake_case record name used in error locations and in the audit log.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)

    RECORD: ClassVar[str] = "record"

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Self:
        """Validate Python data (dates as ``date`` objects), raising ``InputError`` on problems."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise cls._input_error(exc) from None

    @classmethod
    def parse_json(cls, text: str | bytes) -> Self:
        """Validate a JSON object (dates as ISO strings), raising ``InputError`` on problems."""
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise cls._input_error(exc) from None

    @classmethod
    def _input_error(cls, exc: ValidationError) -> InputError:
        return InputError.from_validation(exc, model=cls, prefix=(cls.RECORD,))
