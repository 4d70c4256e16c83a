"""The report's charts on a web page: the same Vega-Lite specifications (``reports.charts``),
made interactive (hover values, zoom and pan on dates) and compiled to Vega for the browser,
each with a table of the same numbers for screen readers and browsers without JavaScript.

Compiling on the server (vl-convert, the same engine that draws the PDF's SVG) means the page
loads only Vega, not Vega-Lite: a lighter page and one compiler for print and screen. A compile
costs tens of milliseconds per chart, so it is kept: the specification's data values are taken
out (named datasets), the rest compiles once per distinct shape (``functools.lru_cache`` on its
JSON text), and the values go back into the compiled Vega's data of the same names.
"""

from __future__ import annotations

import copy
import functools
import json
from dataclasses import dataclass
from typing import Any

from immunospine.reports.charts import CHARTS, calculator_label, diary_means, diary_period
from immunospine.reports.model import PrevisitData

__all__ = ["PageChart", "compile_vega_lite", "interactive", "page_charts", "to_vega"]

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
    that carries the tooltips zooms and pans along the time axis. The title is left to the
    page (the chart's caption), so it is not said twice."""
    out = copy.deepcopy(spec)
    out.pop("title", None)
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


def compile_vega_lite(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` (Vega-Lite) compiled to Vega by vl-convert, uncached."""
    import vl_convert

    compiled: dict[str, Any] = vl_convert.vegalite_to_vega(spec, vl_version=VEGA_LITE_VERSION)
    return compiled


_DATASET = "page_values_"
"""The prefix of the names the inline data values get while the shape compiles."""


def _take_values(node: Any, taken: list[list[Any]]) -> Any:
    """A copy of ``node`` in which every inline ``{"values": [...]}`` data is a named dataset
    (``page_values_N``); the values are appended to ``taken`` in the same order."""
    if isinstance(node, list):
        return [_take_values(x, taken) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "data" and isinstance(value, dict) and isinstance(value.get("values"), list):
            out[key] = {
                **{k: v for k, v in value.items() if k != "values"},
                "name": f"{_DATASET}{len(taken)}",
            }
            taken.append(value["values"])
        else:
            out[key] = _take_values(value, taken)
    return out


@functools.lru_cache(maxsize=256)
def _compiled_shape(shape_json: str) -> str:
    return json.dumps(compile_vega_lite(json.loads(shape_json)))


def to_vega(spec: dict[str, Any]) -> dict[str, Any]:
    """The Vega specification that ``spec`` (Vega-Lite) compiles to.

    The compile of the specification without its data values is cached; a specification that
    already names datasets of its own is compiled as it is.
    """
    if "datasets" in spec:
        return compile_vega_lite(spec)
    taken: list[list[Any]] = []
    shape = _take_values(spec, taken)
    shape["datasets"] = {f"{_DATASET}{i}": [] for i in range(len(taken))}
    vega: dict[str, Any] = json.loads(_compiled_shape(json.dumps(shape, sort_keys=True)))
    filled = set()
    for data in vega.get("data", []):
        name = data.get("name", "")
        if name.startswith(_DATASET) and name[len(_DATASET) :].isdigit():
            data["values"] = taken[int(name[len(_DATASET) :])]
            filled.add(name)
    if len(filled) != len(taken):  # pragma: no cover - the compiler dropped or merged a dataset
        return compile_vega_lite(spec)
    return vega


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


def analysis_chart(analysis: dict[str, Any]) -> PageChart:
    """ "What moved with your pain" (``reports.charts.associations_chart``) for a page, with the
    same rows as a table."""
    from immunospine.reports.charts import associations_chart

    spec = associations_chart(analysis)
    rows = tuple(
        (
            str(r["factor"]),
            str(r["lag_days"]),
            f"{r['estimate']:.2f}",
            f"{r['ci_low']:.2f} to {r['ci_high']:.2f}",
            f"{r['q_value']:.3f}",
            str(r["n"]),
        )
        for r in analysis.get("associations", ())
        if r["outcome"] == "pain_nrs" and r.get("q_value") is not None
    )
    headers = ("Factor", "Lag (days)", "Change in pain", "95 % CI", "q value", "Days")
    spec = {**spec, "autosize": {"type": "fit-x", "contains": "padding"}, "width": "container"}
    title = str(spec.get("title", "What moved with your pain"))
    if isinstance(spec.get("title"), dict):
        title = str(spec["title"].get("text", title))
    spec.pop("title", None)
    return PageChart("associations_chart", title, to_vega(spec), headers, rows)
