"""The pre-visit report's charts, each defined ONCE as a Vega-Lite v5 specification.

Each chart is a pure function of the ``PrevisitData`` returning a standalone Vega-Lite spec (a
JSON-ready dict with ``$schema`` and the data inline): the printed report renders it to SVG
offline (``reports.previsit``, with ``vl-convert-python``) and the web pages can show the very
same spec interactively with vega-embed (points carry hover tooltips). The three charts share
one time axis (the report's period) and one plot width, so they line up on the page.

- ``activity_chart``: disease activity scores (ASDAS and BASDAI, or DAS28) with the treat-to-target
  line, medication courses as shaded bands and flares as red marks along the top.
- ``crp_chart``: CRP (mg/L) with the upper limit of normal, the same bands and flares.
- ``diary_chart``: the diary's pain, morning stiffness, sleep and stress, averaged per day, week
  or month depending on the period's length (``diary_period``), so ten years stay readable.
- ``associations_chart``: "what moved with your pain" — from the analysis result
  (``immunospine analyze patient --json``), not from ``PrevisitData``.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, Literal

from immunospine.reports.model import DiaryDay, FlareMark, PrevisitData

__all__ = [
    "CHARTS",
    "SCHEMA",
    "DiaryPeriod",
    "activity_chart",
    "all_charts",
    "associations_chart",
    "calculator_label",
    "crp_chart",
    "diary_chart",
    "diary_means",
    "diary_period",
    "flare_marks",
]

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
PLOT_WIDTH_PX = 600
Y_AXIS_EXTENT_PX = 30  # the same y-axis width on every chart, so the time axes line up
FONT = "sans-serif"  # the renderer's default face (DejaVu Sans here); fastest to lay out
FLARE_COLOUR = "#c62828"
TARGET_COLOUR = "#2e7d32"
SCORE_COLOURS = ("#1f5fa8", "#e07b00", "#6a3d9a", "#008080")
BAND_COLOURS = ("#9ecae1", "#fdd0a2", "#c7e9c0", "#dadaeb", "#fcbba1", "#d9d9d9")
_LABELS = {"asdas_crp": "ASDAS-CRP", "asdas_esr": "ASDAS-ESR", "das28_crp": "DAS28-CRP",
           "das28_esr": "DAS28-ESR"}  # fmt: skip

DiaryPeriod = Literal["day", "week", "month"]
MAX_DIARY_DOTS = 60
DIARY_MEASURES: tuple[tuple[str, str, tuple[float, float] | None], ...] = (
    ("pain_nrs", "Pain (0-10)", (0.0, 10.0)),
    ("morning_stiffness_min", "Stiffness (min)", None),
    ("sleep_hours", "Sleep (hours)", None),
    ("stress_nrs", "Stress (0-10)", (0.0, 10.0)),
)
"""Diary fields charted: (field of ``DiaryDay``, axis title, fixed y range or ``None``)."""


def calculator_label(name: str) -> str:
    """A calculator's short printed name: ``asdas_crp`` → ``ASDAS-CRP``, ``basdai`` → ``BASDAI``."""
    return _LABELS.get(name, name.upper().replace("_", "-"))


def _config() -> dict[str, Any]:
    return {
        "font": FONT,
        "view": {"stroke": "#bbb"},
        "axis": {"labelFontSize": 10, "titleFontSize": 10, "titleFontWeight": "normal",
                 "gridColor": "#e6e6e6"},
        "axisY": {"minExtent": Y_AXIS_EXTENT_PX, "maxExtent": Y_AXIS_EXTENT_PX},
        "axisX": {"grid": False, "tickCount": 12},
        "legend": {"orient": "top", "direction": "horizontal", "labelFontSize": 10,
                   "titleFontSize": 10, "symbolSize": 80, "labelLimit": 160},
        "title": {"fontSize": 11, "anchor": "start", "fontWeight": "bold"},
    }  # fmt: skip


def _datetime(day: date) -> dict[str, Any]:
    """A Vega-Lite DateTime at UTC midnight, as ISO dates in the data are read."""
    return {"year": day.year, "month": day.month, "date": day.day, "utc": True}


def _x(data: PrevisitData, *, title: str | None = None, axis: bool = True) -> dict[str, Any]:
    return {
        "field": "on",
        "type": "temporal",
        "title": title,
        "axis": {"format": "%Y-%m", "labelOverlap": True} if axis else None,
    }


def _time_domain(layers: list[dict[str, Any]], data: PrevisitData) -> list[dict[str, Any]]:
    """``layers`` with the period as the time scale's domain, set once (on the first layer that
    has a time axis and no ``x2``): the layers share the scale; a domain given twice, or beside
    ``x2``, makes Vega-Lite warn of a conflict."""
    for layer in layers:
        encoding = layer.get("encoding", {})
        x = encoding.get("x")
        if x is not None and "x2" not in encoding:  # Vega-Lite reads a domain beside x2 raw
            x["scale"] = {"domain": [_datetime(data.since), _datetime(data.until)]}
            break
    return layers


def _drug_colours(data: PrevisitData) -> dict[str, Any]:
    drugs = sorted({m.drug for m in data.medications})
    colours = [BAND_COLOURS[i % len(BAND_COLOURS)] for i in range(len(drugs))]
    return {"domain": drugs, "range": colours}


def _band_layers(data: PrevisitData, *, legend: bool) -> list[dict[str, Any]]:
    """The medication courses as shaded bands (none when no course overlaps the period)."""
    rows = []
    for m in data.medications:
        stop = m.stopped_on or data.until
        if stop < data.since or m.started_on > data.until:
            continue
        rows.append(
            {
                "drug": m.drug,
                "on": max(m.started_on, data.since).isoformat(),
                "to": min(stop, data.until).isoformat(),
                "started": m.started_on.isoformat(),
                "stopped": m.stopped_on.isoformat() if m.stopped_on else "ongoing",
                "reason": (m.stop_reason or "").replace("_", " "),
            }
        )
    if not rows:
        return []
    return [
        {
            "data": {"values": rows},
            "mark": {"type": "rect", "opacity": 0.45},
            "encoding": {
                "x": _x(data),
                "x2": {"field": "to"},
                "color": {
                    "field": "drug",
                    "type": "nominal",
                    "title": None,
                    "scale": _drug_colours(data),
                    "legend": {} if legend else None,
                },
                "tooltip": [
                    {"field": "drug", "title": "Medication"},
                    {"field": "started", "title": "Started"},
                    {"field": "stopped", "title": "Stopped"},
                    {"field": "reason", "title": "Stop reason"},
                ],
            },
        }
    ]


def flare_marks(data: PrevisitData) -> list[dict[str, Any]]:
    """The period's flares, one mark per day, week or month (as the diary is averaged).

    A triangle is wider than a month on a ten-year axis, so one per period shows as much; each
    mark says how many flares it stands for, of which kinds, from when to when.
    """
    period = diary_period(data.since, data.until)
    groups: dict[date, list[FlareMark]] = {}
    for f in data.flares:
        if data.since <= f.on <= data.until:
            groups.setdefault(_period_start(f.on, period), []).append(f)
    rows = []
    for flares in groups.values():
        kinds = sorted({f.kind.replace("_", " ") for f in flares})
        rows.append(
            {
                "on": flares[0].on.isoformat(),
                "last": flares[-1].on.isoformat(),
                "flares": len(flares),
                "kinds": ", ".join(kinds),
                "detail": flares[-1].detail,
            }
        )
    return rows


def _flare_layers(data: PrevisitData) -> list[dict[str, Any]]:
    """Flares as red triangles along the top (none when there is no flare in the period)."""
    rows = flare_marks(data)
    if not rows:
        return []
    return [{
        "data": {"values": rows},
        "mark": {"type": "point", "shape": "triangle-down", "filled": True, "size": 45,
                 "color": FLARE_COLOUR, "opacity": 0.8, "yOffset": 3},
        "encoding": {
            "x": _x(data),
            "y": {"value": 0},  # pixels: along the top of the plot
            "tooltip": [
                {"field": "on", "type": "temporal", "title": "Flare", "format": "%Y-%m-%d"},
                {"field": "last", "type": "temporal", "title": "Last", "format": "%Y-%m-%d"},
                {"field": "flares", "type": "quantitative", "title": "Flares"},
                {"field": "kinds", "title": "Kinds"},
                {"field": "detail", "title": "Latest"},
            ],
        },
    }]  # fmt: skip


def activity_chart(data: PrevisitData, *, height_px: int = 112) -> dict[str, Any]:
    """Disease activity over the period: scores, target line, medication bands, flares."""
    names = [calculator_label(c) for c in data.activity_calculators]
    points: list[dict[str, Any]] = [
        {"on": s.on.isoformat(), "instrument": calculator_label(s.calculator), "score": s.score,
         "band": s.category or ""}
        for s in data.scores
        if s.calculator in data.activity_calculators and data.since <= s.on <= data.until
    ]  # fmt: skip
    colours = {n: SCORE_COLOURS[i % len(SCORE_COLOURS)] for i, n in enumerate(names)}
    shown = [n for n in names if any(p["instrument"] == n for p in points)] or names
    y_max = max([10.0, *(float(p["score"]) for p in points)])
    y = {"field": "score", "type": "quantitative", "title": None,
         "scale": {"domain": [0, y_max], "nice": False}}  # fmt: skip
    layers = _band_layers(data, legend=True)
    for t in data.targets:
        if t.below is not None:
            layers.append(
                {
                    "data": {"values": [{"below": t.below, "label": f"target {t.target}"}]},
                    "layer": [
                        {"mark": {"type": "rule", "color": TARGET_COLOUR, "strokeDash": [5, 3]},
                         "encoding": {"y": {"field": "below", "type": "quantitative"}}},
                        {"mark": {"type": "text", "align": "left", "dx": 3, "dy": -6,
                                  "color": TARGET_COLOUR, "fontSize": 10, "x": 0},
                         "encoding": {"y": {"field": "below", "type": "quantitative"},
                                      "text": {"field": "label"}}},
                    ],
                }
            )  # fmt: skip
    layers.append(
        {
            "data": {"values": points},
            "mark": {"type": "line", "point": {"filled": True, "size": 30}, "strokeWidth": 1.6},
            "encoding": {
                "x": _x(data),
                "y": y,
                "color": {
                    "field": "instrument",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": shown, "range": [colours[n] for n in shown]},
                },
                "tooltip": [
                    {"field": "instrument", "title": "Instrument"},
                    {"field": "on", "type": "temporal", "title": "Date", "format": "%Y-%m-%d"},
                    {"field": "score", "type": "quantitative", "title": "Score", "format": ".2f"},
                    {"field": "band", "title": "Band"},
                ],
            },
        }
    )
    layers += _flare_layers(data)
    return {
        "$schema": SCHEMA,
        "title": "Disease activity (" + ", ".join(shown) + ")",
        "width": PLOT_WIDTH_PX,
        "height": height_px,
        "config": _config(),
        "layer": _time_domain(layers, data),
        "resolve": {"scale": {"color": "independent"}},
    }


def crp_chart(data: PrevisitData, *, height_px: int = 50) -> dict[str, Any]:
    """CRP over the period (mg/L) with the upper limit of normal and the medication bands."""
    crp = [p for p in data.labs if p.test == "crp" and data.since <= p.on <= data.until]
    points = [{"on": p.on.isoformat(), "value": p.value, "unit": p.unit} for p in crp]
    upper = next((p.reference_high for p in reversed(crp) if p.reference_high is not None), None)
    layers = _band_layers(data, legend=False)
    if upper is not None:
        layers.append(
            {
                "data": {"values": [{"upper": upper}]},
                "mark": {"type": "rule", "color": "#777", "strokeDash": [2, 2]},
                "encoding": {"y": {"field": "upper", "type": "quantitative"}},
            }
        )
    layers.append(
        {
            "data": {"values": points},
            "mark": {"type": "line", "color": "#8c2d04", "strokeWidth": 1.4,
                     "point": {"filled": True, "size": 22, "color": "#8c2d04"}},
            "encoding": {
                "x": _x(data),
                "y": {"field": "value", "type": "quantitative", "title": None},
                "tooltip": [
                    {"field": "on", "type": "temporal", "title": "Date", "format": "%Y-%m-%d"},
                    {"field": "value", "type": "quantitative", "title": "CRP", "format": ".1f"},
                    {"field": "unit", "title": "Unit"},
                ],
            },
        }
    )  # fmt: skip
    layers += _flare_layers(data)
    title = "CRP (mg/L)" + (f"; dashed line: upper limit of normal {upper:g}" if upper else "")
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": PLOT_WIDTH_PX,
        "height": height_px,
        "config": _config(),
        "layer": _time_domain(layers, data),
    }


def diary_period(since: date, until: date) -> DiaryPeriod:
    """How the diary is averaged: daily up to 3 months, weekly up to 2 years, else monthly."""
    days = (until - since).days
    return "day" if days <= 92 else "week" if days <= 731 else "month"


def _period_start(day: date, period: DiaryPeriod) -> date:
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def diary_means(diary: Sequence[DiaryDay], period: DiaryPeriod) -> list[dict[str, Any]]:
    """The diary's mean of each measure per period (rows ``{"on": start, field: mean, …}``)."""
    groups: dict[date, list[DiaryDay]] = {}
    for d in diary:
        groups.setdefault(_period_start(d.on, period), []).append(d)
    rows = []
    for start in sorted(groups):
        row: dict[str, Any] = {"on": start.isoformat(), "entries": len(groups[start])}
        for name, _, _ in DIARY_MEASURES:
            values = [v for d in groups[start] if (v := getattr(d, name)) is not None]
            row[name] = statistics.fmean(values) if values else None
        rows.append(row)
    return rows


def diary_chart(data: PrevisitData, *, row_height_px: int = 27) -> dict[str, Any]:
    """The diary's pain, morning stiffness, sleep and stress: one small row each, shared time."""
    diary = [d for d in data.diary if data.since <= d.on <= data.until]
    period = diary_period(data.since, data.until)
    word = {"day": "daily values", "week": "weekly means", "month": "monthly means"}[period]
    means = diary_means(diary, period)
    period_domain = [_datetime(data.since), _datetime(data.until)]
    # Dots while they can be told apart; beyond that the line alone (the points stay, invisible,
    # as hover targets for the tooltips on the web page).
    dots = 1 if len(means) <= MAX_DIARY_DOTS else 0
    rows: list[dict[str, Any]] = []
    for i, (name, title, fixed) in enumerate(DIARY_MEASURES):
        last = i == len(DIARY_MEASURES) - 1
        y: dict[str, Any] = {
            "field": name,
            "type": "quantitative",
            "title": None,
            "axis": {"tickCount": 2},
        }
        if fixed is not None:
            y["scale"] = {"domain": list(fixed)}
        colour = SCORE_COLOURS[i]
        line = {
            "mark": {
                "type": "line",
                "strokeWidth": 1,
                "color": colour,
                "point": {"filled": True, "size": 14, "color": colour, "opacity": dots},
            },
            "encoding": {
                "x": {**_x(data, axis=last), "scale": {"domain": period_domain}},
                "y": y,
                "tooltip": [
                    {
                        "field": "on",
                        "type": "temporal",
                        "title": f"{period} of",
                        "format": "%Y-%m-%d",
                    },
                    {"field": name, "type": "quantitative", "title": title, "format": ".1f"},
                    {"field": "entries", "type": "quantitative", "title": "Entries"},
                ],
            },
        }
        title_spec = {"text": title, "fontSize": 9, "color": colour, "offset": 2}
        rows.append({"title": title_spec, "width": PLOT_WIDTH_PX, "height": row_height_px, **line})
    return {
        "$schema": SCHEMA,
        "title": f"Patient diary ({word}, {len(diary):,} entries)",
        "config": _config(),
        "data": {"values": means},
        "spacing": 3,
        "vconcat": rows,
    }


CHARTS: Mapping[str, Callable[[PrevisitData], dict[str, Any]]] = {
    "activity_chart": activity_chart,
    "crp_chart": crp_chart,
    "diary_chart": diary_chart,
}
"""Every chart by its stable name (the web pages use the same names)."""


def all_charts(data: PrevisitData) -> dict[str, dict[str, Any]]:
    """Every chart's specification, by name (and the associations chart when the data hold an
    analysis with at least one association: an empty one would only take room on the page)."""
    specs = {name: chart(data) for name, chart in CHARTS.items()}
    if data.analysis is not None and data.analysis.get("associations"):
        specs["associations_chart"] = associations_chart(data.analysis)
    return specs


_FACTOR_WORDS = {
    "stress_nrs": "Stress +1 point",
    "sleep_hours": "Sleep +1 hour",
    "sleep_quality_nrs": "Sleep quality +1 point",
    "exercise_min": "Exercise +10 min",
    "stress_reduction_min": "Stress reduction +10 min",
    "crp_mg_l": "CRP +1 mg/L",
}
_LAG_WORDS = {0: "same day", 1: "day before"}


def associations_chart(analysis: Mapping[str, Any], *, outcome: str = "pain_nrs") -> dict[str, Any]:
    """ "What moved with your pain": for each factor, the lag with the smallest q value, as a point
    (the estimate, points of pain per step of the factor) with its 95 % CI; clear associations
    (q < 0.05) dark, the others grey; a line at zero. ``analysis`` is the single-person
    analysis (``analyze patient --json``); no rows gives a chart that says so."""
    best: dict[str, Mapping[str, Any]] = {}
    for row in analysis.get("associations", ()):
        if row["outcome"] != outcome or row.get("q_value") is None:
            continue
        old = best.get(row["factor"])
        if old is None or row["q_value"] < old["q_value"]:
            best[row["factor"]] = row
    values = [
        {
            "label": f"{_FACTOR_WORDS.get(f, f)}, "
            + (
                "same week"  # a CRP result stands for its week (analysis.person)
                if f == "crp_mg_l"
                else _LAG_WORDS.get(r["lag_days"], f"{r['lag_days']} days before")
            ),
            "estimate": r["estimate"],
            "low": r["ci_low"],
            "high": r["ci_high"],
            "q": r["q_value"],
            "clear": "clear (q < 0.05)" if r["q_value"] < 0.05 else "uncertain",
        }
        for f, r in best.items()
    ]
    order = [v["label"] for v in sorted(values, key=lambda v: v["q"])]
    y = {"field": "label", "type": "nominal", "title": None, "sort": order}
    colour = {
        "field": "clear",
        "type": "nominal",
        "title": None,
        "scale": {"domain": ["clear (q < 0.05)", "uncertain"], "range": ["#1f5fa8", "#aaaaaa"]},
        "legend": None,  # said in the title: a legend row costs a line of the printed page
    }
    tooltip = [
        {"field": "label", "title": "Factor"},
        {"field": "estimate", "type": "quantitative", "title": "Change in pain", "format": ".2f"},
        {"field": "low", "type": "quantitative", "title": "95 % CI from", "format": ".2f"},
        {"field": "high", "type": "quantitative", "title": "95 % CI to", "format": ".2f"},
        {"field": "q", "type": "quantitative", "title": "q value", "format": ".3f"},
    ]
    config = _config()
    config["axisY"] = {"minExtent": 150, "maxExtent": 220, "labelLimit": 220}
    x_title = "Change in pain (points) per step of the factor; bars: 95 % confidence interval"
    x_axis = {  # an ASCII minus: d3's U+2212 would make the PDF embed a Unicode font
        "labelExpr": "datum.value < 0 ? '-' + format(-datum.value, '.1f') "
        ": format(datum.value, '.1f')"
    }
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": [{"zero": 0}]},
            "mark": {"type": "rule", "color": "#777", "strokeDash": [2, 2]},
            "encoding": {"x": {"field": "zero", "type": "quantitative"}},
        }
    ]
    if values:
        layers += [
            {
                "data": {"values": values},
                "mark": {"type": "rule", "strokeWidth": 2},
                "encoding": {
                    "y": y,
                    "x": {
                        "field": "low",
                        "type": "quantitative",
                        "title": x_title,
                        "axis": x_axis,
                    },
                    "x2": {"field": "high"},
                    "color": colour,
                },
            },
            {
                "data": {"values": values},
                "mark": {"type": "point", "filled": True, "size": 30},
                "encoding": {"y": y, "x": {"field": "estimate", "type": "quantitative"},
                             "color": colour, "tooltip": tooltip},
            },
        ]  # fmt: skip
    title = (
        "What moved with your pain (blue: clear, q < 0.05; grey: uncertain). "
        "Associations in your own records, not causes"
        if values
        else "What moved with your pain: not enough diary data to tell"
    )
    return {
        "$schema": SCHEMA,
        "title": title,
        "width": PLOT_WIDTH_PX - 160,
        "height": max(12 * len(values), 12),
        "config": config,
        "layer": layers,
    }
