"""Render a ``Report`` as one self-contained, printable HTML page (inline CSS and SVG, no assets).

The page is laid out for one A4 sheet (``@page`` rules, small type, long tables split into
side-by-side halves). Text is escaped by Jinja2's autoescaping; bar charts are inline SVG.
Needs the ``reports`` extra (jinja2).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from immunospine.errors import MissingExtraError
from immunospine.reports.model import BarChart, Bullets, Paragraph, Report, Table

if TYPE_CHECKING:
    import jinja2

__all__ = ["environment", "render_html"]

CHART_WIDTH = 640
LABEL_RIGHT = 230
AXIS_X = 400
HALF = 150
ROW_HEIGHT = 16


@dataclass(frozen=True, slots=True)
class _SvgBar:
    label: str
    note: str
    x: float
    width: float
    y: float
    negative: bool


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates (autoescaping, strict undefined)."""
    try:
        import jinja2
    except ImportError as exc:  # pragma: no cover - the extra is installed in development
        raise MissingExtraError("reports", feature="HTML reports") from exc
    return jinja2.Environment(
        loader=jinja2.PackageLoader("immunospine.reports", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def chart_geometry(chart: BarChart) -> dict[str, Any]:
    """Where each bar of ``chart`` goes in an SVG ``CHART_WIDTH`` pixels wide."""
    biggest = max((abs(b.value) for b in chart.bars), default=0.0) or 1.0
    bars = []
    for i, b in enumerate(chart.bars):
        length = HALF * abs(b.value) / biggest
        x = AXIS_X - length if b.value < 0 else AXIS_X
        bars.append(_SvgBar(b.label, b.note, x, max(length, 1.0), 18 + i * ROW_HEIGHT, b.value < 0))
    return {
        "width": CHART_WIDTH,
        "height": 24 + ROW_HEIGHT * len(chart.bars),
        "label_right": LABEL_RIGHT,
        "axis_x": AXIS_X,
        "note_x": AXIS_X + HALF + 8,
        "bar_height": ROW_HEIGHT - 5,
        "bars": bars,
    }


def _chunks(table: Table) -> list[tuple[tuple[str, ...], ...]]:
    if table.split <= 1 or len(table.rows) < 2 * table.split:
        return [table.rows]
    size = -(-len(table.rows) // table.split)
    return [table.rows[i : i + size] for i in range(0, len(table.rows), size)]


def render_html(report: Report) -> str:
    """The report as a complete HTML document (a string)."""
    template = environment().get_template("report.html.j2")
    return template.render(
        report=report,
        chart_geometry=chart_geometry,
        chunks=_chunks,
        is_paragraph=lambda b: isinstance(b, Paragraph),
        is_bullets=lambda b: isinstance(b, Bullets),
        is_table=lambda b: isinstance(b, Table),
        is_chart=lambda b: isinstance(b, BarChart),
    )
