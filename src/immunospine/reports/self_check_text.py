"""A ``Report`` as lines for a terminal: the self-check's result as the person sees it at once.

Each line carries a tone (heading, strong, muted, alert, boxed) that a face maps to its own
styles; no terminal library is needed here. The same ``Report`` is the HTML and PDF summary, so
the terminal, the page and the printout say the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from immunospine.reports.model import BarChart, Bullets, Paragraph, Report, Table

__all__ = ["Line", "Tone", "report_lines"]

Tone = Literal["normal", "heading", "strong", "muted", "alert", "boxed"]


@dataclass(frozen=True, slots=True)
class Line:
    """One line (or paragraph) of terminal text and how it should look."""

    text: str
    tone: Tone = "normal"


def report_lines(report: Report, *, leave_out: tuple[str, ...] = ()) -> tuple[Line, ...]:
    """The report's alert, sections (except the headings in ``leave_out``) and disclaimer."""
    out: list[Line] = []
    if report.alert:
        out.append(Line(report.alert, "alert"))
    for section in report.sections:
        if section.heading in leave_out:
            continue
        out.append(Line(section.heading, "heading"))
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(Line(block.text, block.tone))
            elif isinstance(block, Bullets):
                out += [Line(f"  - {item}") for item in block.items]
            elif isinstance(block, BarChart):
                reasons = ", ".join(f"{b.label} ({b.note})" for b in block.bars)
                out.append(Line(f"What changed the chance most: {reasons}."))
            elif isinstance(block, Table):
                out.append(Line(": ".join(block.columns), "muted"))
                out += [Line("  " + ": ".join(row)) for row in block.rows]
    out.append(Line(report.disclaimer, "boxed"))
    return tuple(out)
