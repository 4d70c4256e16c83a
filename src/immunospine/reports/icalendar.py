"""An iCalendar file (RFC 5545) written by hand: ``calendar(events, stamp=…)`` → text.

One VCALENDAR with one VEVENT per ``Event``: UID, DTSTAMP (UTC), DTSTART as a DATE (an
all-day event; RFC 5545 allows no minute DURATION with a DATE start, so the caller puts the
minutes in the SUMMARY), SUMMARY, DESCRIPTION and, when ``remind_at`` is set, a display VALARM
at that time of the day (a positive trigger from the day's start), so a phone reminds the
person without any server sending anything. Text values are escaped (``\\``, ``;``, ``,``,
newlines, §3.3.11); content lines are folded at 75 octets without splitting a UTF-8 character
(§3.1); every line ends in CRLF.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

__all__ = ["Event", "calendar", "escape_text", "fold"]

CRLF = "\r\n"
_LIMIT = 75


@dataclass(frozen=True, slots=True)
class Event:
    uid: str
    on: date
    summary: str
    description: str
    remind_at: time | None = None


def escape_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 says."""
    out = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return out.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """``line`` folded into pieces of at most 75 octets, joined by CRLF and one space."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = _LIMIT if not pieces else _LIMIT - 1  # continuation lines start with a space
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[Event], *, stamp: datetime, name: str) -> str:
    """The calendar text; ``stamp`` (timezone-aware) is every event's DTSTAMP."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//immunospine//programme plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{_stamp(stamp)}",
            f"DTSTART;VALUE=DATE:{e.on.strftime('%Y%m%d')}",
            f"SUMMARY:{escape_text(e.summary)}",
            f"DESCRIPTION:{escape_text(e.description)}",
            "TRANSP:TRANSPARENT",
        ]
        if e.remind_at is not None:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"DESCRIPTION:{escape_text(e.summary)}",
                f"TRIGGER;RELATED=START:PT{e.remind_at.hour}H{e.remind_at.minute}M",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
