"""The Report model: what a printable document says, with no formatting and no clinical logic.

A ``Report`` is a title, an optional alert (shown first, in red), a disclaimer (shown prominently),
and sections of blocks. A block is a ``Paragraph``, a ``Bullets`` list, a ``Table`` or a
``BarChart``. Services build reports from their results; ``reports.html`` and ``reports.pdf`` render
them. Everything is frozen plain data, so one report renders the same way in every format.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

__all__ = [
    "Bar",
    "BarChart",
    "Block",
    "Bullets",
    "DiaryDay",
    "DueItem",
    "FlareMark",
    "LabPoint",
    "MedicationSpan",
    "OptionItem",
    "Paragraph",
    "PrevisitData",
    "Report",
    "ScorePoint",
    "Section",
    "Table",
    "TargetCheck",
]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph; ``tone`` asks the renderer for emphasis (``strong``) or a quieter look."""

    text: str
    tone: Literal["normal", "strong", "muted"] = "normal"


@dataclass(frozen=True, slots=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table of text. ``split`` > 1 lets a renderer set long tables in side-by-side halves."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    split: int = 1

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"row {row!r} has {len(row)} cells, expected {len(self.columns)}")
        if self.split < 1:
            raise ValueError("split must be at least 1")


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: ``value`` > 0 draws to the right, < 0 to the left; ``note`` is printed beside it."""

    label: str
    value: float
    note: str = ""


@dataclass(frozen=True, slots=True)
class BarChart:
    """A small horizontal bar chart around a zero line; ``caption`` says what the bars mean."""

    bars: tuple[Bar, ...]
    caption: str = ""
    left_label: str = ""
    right_label: str = ""


Block = Paragraph | Bullets | Table | BarChart


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and its blocks, in order."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """A one-document report: title, date, optional alert, sections and the disclaimer."""

    title: str
    date: date
    sections: tuple[Section, ...]
    disclaimer: str
    subtitle: str = ""
    alert: str = ""
    footer: str = ""

    def section(self, heading: str) -> Section:
        """The section with this heading (``KeyError`` when there is none)."""
        for s in self.sections:
            if s.heading == heading:
                return s
        raise KeyError(heading)


# --- The pre-visit report's data (gathered by ``services.previsit``, drawn by ``reports``) -------
# Plain frozen values with exact numbers: no rounding, no wording chosen for display.


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """One scored assessment: calculator name, date, exact score and its band."""

    calculator: str
    on: date
    score: float
    category: str | None = None


@dataclass(frozen=True, slots=True)
class LabPoint:
    """One quantitative lab value in its unit, with the upper limit of its reference range."""

    test: str
    on: date
    value: float
    unit: str
    reference_high: float | None = None


@dataclass(frozen=True, slots=True)
class MedicationSpan:
    """One medication course; ``stopped_on`` is ``None`` while it runs."""

    drug: str
    drug_class: str
    started_on: date
    stopped_on: date | None = None
    stop_reason: str | None = None
    dose: float | None = None
    dose_unit: str | None = None
    frequency: str | None = None


@dataclass(frozen=True, slots=True)
class FlareMark:
    """A flare: ``kind`` as ``tracking.detect_flares`` names it, with its detail."""

    on: date
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class DiaryDay:
    """One diary entry's symptoms (``None`` = not answered)."""

    on: date
    pain_nrs: float | None = None
    morning_stiffness_min: float | None = None
    sleep_hours: float | None = None
    stress_nrs: float | None = None


@dataclass(frozen=True, slots=True)
class TargetCheck:
    """Treat-to-target: the target (e.g. ``ASDAS < 2.1``, threshold ``below``) and the status."""

    target: str
    below: float | None
    status: str
    calculator: str | None = None
    assessed_on: date | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class DueItem:
    """A questionnaire that is due (never done when ``last_on`` is ``None``)."""

    questionnaire: str
    due_on: date
    last_on: date | None = None


@dataclass(frozen=True, slots=True)
class OptionItem:
    """One treatment option to discuss (``services.treatment``): verdict, short label, the
    recommendation behind it."""

    verdict: str
    label: str
    recommendation: str


@dataclass(frozen=True, slots=True)
class PrevisitData:
    """Everything the pre-visit report shows for one patient and period, in date order.

    ``activity_calculators`` are the disease-activity instruments charted for this diagnosis
    (ASDAS and BASDAI for spondyloarthritis, DAS28 for rheumatoid arthritis); ``latest`` holds
    the latest score of each calculator recorded in the period.
    """

    patient_id: str
    year_of_birth: int
    sex: str
    conditions: tuple[tuple[str, date], ...]
    since: date
    until: date
    prepared_on: date
    activity_calculators: tuple[str, ...]
    scores: tuple[ScorePoint, ...]
    latest: tuple[ScorePoint, ...]
    labs: tuple[LabPoint, ...]
    medications: tuple[MedicationSpan, ...]
    flares: tuple[FlareMark, ...]
    diary: tuple[DiaryDay, ...]
    targets: tuple[TargetCheck, ...]
    due: tuple[DueItem, ...]
    disclaimer: str
    software: str = "immunospine"
    """What prepared the report, with its version (printed in the footer)."""
    options: tuple[OptionItem, ...] = ()
    """Treatment options to discuss (issue 12); empty when no diagnosis has a pathway."""
    analysis: Mapping[str, Any] | None = None
    """The single-person analysis of the period's last year of diary (``analyze patient
    --json``, issue 11), for the "what moved with your pain" chart; ``None``: not analysed."""
