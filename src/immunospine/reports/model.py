"""The Report model: what a printable document says, with no formatting and no clinical logic.

A ``Report`` is a title, an optional alert (shown first, in red), a disclaimer (shown prominently),
and sections of blocks. A block is a ``Paragraph``, a ``Bullets`` list, a ``Table`` or a
``BarChart``. Services build reports from their results; ``reports.html`` and ``reports.pdf`` render
them. Everything is frozen plain data, so one report renders the same way in every format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = ["Bar", "BarChart", "Block", "Bullets", "Paragraph", "Report", "Section", "Table"]


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
