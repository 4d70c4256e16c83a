"""The pre-visit report, rendered: what each part says (``previsit_view``), the charts as SVG and
the HTML twin. The PDF is laid out by ``reports.previsit_pdf`` from the same view and SVGs.

Numbers are written here, once, for both formats: ASDAS, BASDAI, BASFI and other scores with one
decimal, DAS28 with two (as they are usually reported), CRP with one. Charts come from
``reports.charts`` (Vega-Lite) and are rendered offline by ``vl-convert-python`` (the
``reports`` extra); nothing is fetched from the network.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from immunospine.errors import MissingExtraError
from immunospine.reports import charts
from immunospine.reports.model import PrevisitData, ScorePoint

__all__ = [
    "VEGA_LITE_VERSION",
    "WARM_UP_SPEC",
    "PrevisitView",
    "chart_svgs",
    "format_score",
    "previsit_view",
    "render_previsit_html",
    "warm_up",
]

VEGA_LITE_VERSION = "v5.20"
"""The Vega-Lite library vl-convert compiles the v5 specs with (pinned: same output each run)."""
MAX_MEDICATION_ROWS = 7
MAX_SCORE_ROWS = 6
CONDITION_NAMES: Mapping[str, str] = {
    "axspa": "axial spondyloarthritis",
    "pspa": "peripheral spondyloarthritis",
    "psa": "psoriatic arthritis",
    "ra": "rheumatoid arthritis",
    "fibromyalgia": "fibromyalgia",
    "mechanical_back_pain": "mechanical back pain",
    "other": "other diagnosis",
}
STATUS_WORDS: Mapping[str, str] = {
    "on_target": "on target",
    "off_target": "NOT on target",
    "no_data": "no score yet",
}
FLARE_WORDS: Mapping[str, str] = {
    "patient_marked": "diary day(s) the patient marked as a flare",
    "asdas_worsening": "ASDAS worsening(s) by 0.9 or more",
    "basdai_crossed_4": "BASDAI rise(s) to 4 or more",
}
LEGEND = (
    "Charts share one time axis. Shaded bands: medication courses. Red triangles: flares "
    "(diary days the patient marked, ASDAS worsening ≥ 0.9, BASDAI rising to ≥ 4). "
    "Dashed green line: treat-to-target threshold."
)


@dataclass(frozen=True, slots=True)
class PrevisitView:
    """The report's words and table cells, shared by the PDF and the HTML twin."""

    title: str
    patient: str
    details: str
    period: str
    prepared: str
    disclaimer: str
    score_rows: tuple[tuple[str, str, str, str], ...]
    target_lines: tuple[tuple[str, bool], ...]
    flare_lines: tuple[str, ...]
    due_lines: tuple[str, ...]
    medication_rows: tuple[tuple[str, str, str, str], ...]
    medication_note: str
    option_lines: tuple[str, ...]
    legend: str
    footer: str


def format_score(calculator: str, score: float) -> str:
    """A score as printed: two decimals for DAS28, one for everything else."""
    return f"{score:.2f}" if calculator.startswith("das28") else f"{score:.1f}"


def _day(d: date | None) -> str:
    return d.isoformat() if d else "—"


def _words(code: str | None) -> str:
    return (code or "").replace("_", " ")


def _score_rows(data: PrevisitData) -> tuple[tuple[str, str, str, str], ...]:
    order = {c: i for i, c in enumerate(data.activity_calculators)}
    latest = sorted(data.latest, key=lambda s: (order.get(s.calculator, 99), s.calculator))
    rows = [_score_row(s) for s in latest[:MAX_SCORE_ROWS]]
    crp = [p for p in data.labs if p.test == "crp"]
    if crp:
        p = crp[-1]
        high = p.reference_high is not None and p.value > p.reference_high
        band = f"above {p.reference_high:g}" if high else "normal"
        rows.append(("CRP", p.on.isoformat(), f"{p.value:.1f} {p.unit}", band))
    return tuple(rows)


def _score_row(s: ScorePoint) -> tuple[str, str, str, str]:
    label = charts.calculator_label(s.calculator)
    band = _words(s.category) or "—"
    return (label, s.on.isoformat(), format_score(s.calculator, s.score), band)


def _target_lines(data: PrevisitData) -> tuple[tuple[str, bool], ...]:
    lines = []
    for t in data.targets:
        status = STATUS_WORDS.get(t.status, _words(t.status))
        if t.score is not None and t.calculator is not None:
            latest = f"{charts.calculator_label(t.calculator)} "
            latest += f"{format_score(t.calculator, t.score)} on {_day(t.assessed_on)}"
            lines.append((f"{t.target}: {status} ({latest})", t.status == "off_target"))
        else:
            lines.append((f"{t.target}: {status}", False))
    if not lines:
        lines.append(("No treat-to-target goal for this diagnosis.", False))
    return tuple(lines)


def _flare_lines(data: PrevisitData) -> tuple[str, ...]:
    if not data.flares:
        return ("No flares recorded in the period.",)
    counts: dict[str, int] = {}
    for f in data.flares:
        counts[f.kind] = counts.get(f.kind, 0) + 1
    lines = [f"{n} {FLARE_WORDS.get(kind, _words(kind))}" for kind, n in sorted(counts.items())]
    lines.append(f"Latest: {data.flares[-1].on.isoformat()} ({data.flares[-1].detail})")
    return tuple(lines)


def _due_lines(data: PrevisitData) -> tuple[str, ...]:
    if not data.due:
        return ("None due.",)
    return tuple(
        f"{charts.calculator_label(d.questionnaire)}: due {d.due_on.isoformat()}"
        + (f" (last {d.last_on.isoformat()})" if d.last_on else " (never done)")
        for d in data.due
    )


def _medication_rows(data: PrevisitData) -> tuple[tuple[tuple[str, str, str, str], ...], str]:
    rows = []
    for m in data.medications:
        dose = f" {m.dose:g} {m.dose_unit}" if m.dose is not None else ""
        freq = f", {m.frequency}" if m.frequency else ""
        rows.append(
            (
                f"{m.drug}{dose}{freq}",
                m.started_on.isoformat(),
                m.stopped_on.isoformat() if m.stopped_on else "ongoing",
                _words(m.stop_reason) or ("—" if m.stopped_on else ""),
            )
        )
    shown = rows[-MAX_MEDICATION_ROWS:]
    left = len(rows) - len(shown)
    note = f"{left} earlier course(s) not shown." if left else ""
    if not rows:
        note = "No medication recorded in the period."
    return tuple(shown), note


OPTION_HEADS = (
    ("recommended", "Recommended"),
    ("consider", "To consider"),
    ("indeterminate", "Depends on data not recorded"),
    ("not_recommended", "Advised against"),
)
OPTIONS_NOTE = "From published guidelines: to discuss with your clinician, never a prescription."


def _option_lines(data: PrevisitData) -> tuple[str, ...]:
    """One line per verdict: the options' labels (``patient options ID`` gives the detail)."""
    lines = []
    for verdict, head in OPTION_HEADS:
        labels = dict.fromkeys(o.label for o in data.options if o.verdict == verdict)
        if labels:
            lines.append(f"{head}: {'; '.join(labels)}.")
    return (*lines, OPTIONS_NOTE) if lines else ()


def previsit_view(data: PrevisitData) -> PrevisitView:
    """What the report says, as text, for any output format."""
    conditions = "; ".join(
        f"{CONDITION_NAMES.get(c, _words(c))} since {on.isoformat()}" for c, on in data.conditions
    )
    years = (data.until - data.since).days / 365.25
    meds, note = _medication_rows(data)
    period = charts.diary_period(data.since, data.until)
    diary_word = {"day": "daily values", "week": "weekly means", "month": "monthly means"}[period]
    return PrevisitView(
        title="Pre-visit report",
        patient=f"Patient {data.patient_id}",
        details=f"born {data.year_of_birth} · {data.sex} · {conditions or 'no diagnosis recorded'}",
        period=f"Period {data.since.isoformat()} to {data.until.isoformat()} ({years:.1f} years)",
        prepared=f"Prepared {data.prepared_on.isoformat()}",
        disclaimer=data.disclaimer,
        score_rows=_score_rows(data),
        target_lines=_target_lines(data),
        flare_lines=_flare_lines(data),
        due_lines=_due_lines(data),
        medication_rows=meds,
        medication_note=note,
        option_lines=_option_lines(data),
        legend=f"{LEGEND} Diary: {diary_word} of {len(data.diary):,} entries; one flare "
        f"triangle per {period} with flares.",
        footer=f"{data.software} · {data.disclaimer}",
    )


def chart_svgs(specs: Mapping[str, dict[str, Any]]) -> dict[str, str]:
    """Each Vega-Lite spec rendered to SVG offline (no network: external data is refused)."""
    try:
        import vl_convert
    except ImportError as exc:  # pragma: no cover - the extra is installed in development
        raise MissingExtraError("reports", feature="report charts") from exc
    return {
        name: vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[])
        for name, spec in specs.items()
    }


_X = {"field": "on", "type": "temporal"}
WARM_UP_SPEC: dict[str, Any] = {
    "$schema": charts.SCHEMA,
    "data": {"values": [{"on": "2024-01-01", "to": "2024-02-01", "v": 1, "t": "a"}]},
    "layer": [
        {"mark": "rect", "encoding": {"x": _X, "x2": {"field": "to"}}},
        {"mark": {"type": "line", "point": True}, "encoding": {"x": _X, "y": {"field": "v"}}},
        {"mark": "rule", "encoding": {"y": {"field": "v", "type": "quantitative"}}},
        {"mark": "text", "encoding": {"x": _X, "text": {"field": "t"}}},
    ],
}
"""A tiny chart with the marks the report uses, drawn by ``warm_up`` so their code is compiled."""


def warm_up() -> threading.Thread:
    """Start the chart renderer in the background; returns the thread.

    vl-convert starts a JavaScript engine and loads Vega-Lite on its first call (about 0.9 s);
    it releases the GIL meanwhile, so a command can read the database at the same time.
    """
    try:
        import vl_convert  # here, not in the thread: importing there would hold the import lock
    except ImportError as exc:  # pragma: no cover - the extra is installed in development
        raise MissingExtraError("reports", feature="report charts") from exc

    def run() -> None:  # a failed warm-up fails again, with its message, when charts are drawn
        with contextlib.suppress(Exception):
            vl_convert.vegalite_to_svg(
                WARM_UP_SPEC, vl_version=VEGA_LITE_VERSION, allowed_base_urls=[]
            )

    thread = threading.Thread(target=run, name="vl-convert warm-up", daemon=True)
    thread.start()
    return thread


_XML_DECL = re.compile(r"^<\?xml[^>]*>\s*")


def render_previsit_html(data: PrevisitData, svgs: Mapping[str, str] | None = None) -> str:
    """The report as one self-contained HTML page (inline SVG charts, inline CSS, no CDN)."""
    from immunospine.reports.html import environment

    if svgs is None:
        svgs = chart_svgs(charts.all_charts(data))
    template = environment().get_template("previsit.html.j2")
    return template.render(
        view=previsit_view(data),
        charts={name: _XML_DECL.sub("", svg) for name, svg in svgs.items()},
    )
