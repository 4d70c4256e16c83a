"""The report's charts on a web page: the same Vega-Lite specifications (``reports.charts``),
made interactive (hover values, zoom and pan on dates) and compiled to Vega for the browser,
each with a table of the same numbers for screen readers and browsers without JavaScript.

Compiling on the server (vl-convert, the same engine that draws the PDF's SVG) means the page
loads only Vega, not Vega-Lite: a lighter page and one compiler for print and screen.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from immunospine.reports.charts import CHARTS, calculator_label, diary_means, diary_period
from immunospine.reports.model import PrevisitData

__all__ = ["PageChart", "interactive", "page_charts", "to_vega"]

VEGA_LITE_VERSION = "5.21"
"""The Vega-Lite version vl-convert compiles with (the specs declare the v5 schema)."""


@dataclass(frozen=True, slots=True)
class PageChart:
    """One chart of a page: its id, title, compiled Vega spec, and its table fallback."""

    name: str
    title: str
    vega: dict[str, Any]
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _zoomable(layer: dict[str, Any], name: str) -> None:
    layer["params"] = [
        {"name": name, "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"}
    ]


def interactive(spec: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` for the screen: as wide as its container, and the layer (or each row)
    that carries the tooltips zooms and pans along the time axis."""
    out = copy.deepcopy(spec)
    out["autosize"] = {"type": "fit-x", "contains": "padding"}
    if "layer" in out:
        out["width"] = "container"
        for layer in out["layer"]:
            if "tooltip" in layer.get("encoding", {}):
                _zoomable(layer, "zoom")
                break
    for i, row in enumerate(out.get("vconcat", [])):
        row["width"] = "container"
        _zoomable(row, f"zoom{i}")
    return out


def to_vega(spec: dict[str, Any]) -> dict[str, Any]:
    """The Vega specification that ``spec`` (Vega-Lite) compiles to."""
    import vl_convert

    compiled: dict[str, Any] = vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION)
    return compiled


def _n(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


Table = tuple[tuple[str, ...], list[tuple[str, ...]]]


def _tables(data: PrevisitData) -> dict[str, Table]:
    scores: list[tuple[str, ...]] = [
        (s.on.isoformat(), calculator_label(s.calculator), _n(s.score), s.category or "")
        for s in data.scores
        if s.calculator in data.activity_calculators and data.since <= s.on <= data.until
    ]
    crp: list[tuple[str, ...]] = [
        (p.on.isoformat(), _n(p.value, 1), p.unit)
        for p in data.labs
        if p.test == "crp" and data.since <= p.on <= data.until
    ]
    diary = [d for d in data.diary if data.since <= d.on <= data.until]
    period = diary_period(data.since, data.until)
    means: list[tuple[str, ...]] = [
        (
            str(row["on"]),
            str(row["entries"]),
            _n(row["pain_nrs"], 1),
            _n(row["morning_stiffness_min"], 0),
            _n(row["sleep_hours"], 1),
            _n(row["stress_nrs"], 1),
        )
        for row in diary_means(diary, period)
    ]
    return {
        "activity_chart": (("Date", "Instrument", "Score", "Band"), scores),
        "crp_chart": (("Date", "CRP", "Unit"), crp),
        "diary_chart": (
            (f"{period.capitalize()} of", "Entries", "Pain", "Stiffness (min)", "Sleep (h)",
             "Stress"),
            means,
        ),
    }  # fmt: skip


def page_charts(data: PrevisitData, names: tuple[str, ...] = tuple(CHARTS)) -> list[PageChart]:
    """The named charts of ``data`` for a page, in order."""
    tables = _tables(data)
    out = []
    for name in names:
        spec = CHARTS[name](data)
        headers, rows = tables[name]
        title = str(spec.get("title", name))
        out.append(PageChart(name, title, to_vega(interactive(spec)), headers, tuple(rows)))
    return out
