"""The demo (``immunospine demo``, ``make run``) as a readable terminal report.

Reads the values ``services.demo.run_demo`` returns through ``DemoView``; the triage part is
``reports.triage_text`` and the case-finding part ``reports.cohort``, so the demo shows the very
words those commands show.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from immunospine.knowledge import Result
from immunospine.reports.cohort import (
    EvaluationLike,
    ScreenSummaryLike,
    evaluation_text,
    screen_summary_lines,
)
from immunospine.reports.triage_text import render_triage_text
from immunospine.reports.triage_view import TriageView

__all__ = ["DemoView", "render_demo"]

OFF_TARGET_SHOWN = 8
"""How many off-target patients the demo lists."""


class OffTargetLike(Protocol):
    @property
    def patient_id(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def score(self) -> float | None: ...


class ClinicLike(Protocol):
    @property
    def database(self) -> str: ...
    @property
    def patients(self) -> int: ...
    @property
    def records(self) -> Mapping[str, int]: ...
    @property
    def off_target(self) -> tuple[OffTargetLike, ...]: ...
    @property
    def report_patient(self) -> str | None: ...
    @property
    def report_pdf(self) -> Path | None: ...
    @property
    def report_html(self) -> Path | None: ...


class CohortLike(Protocol):
    @property
    def screen(self) -> ScreenSummaryLike: ...
    @property
    def evaluation(self) -> EvaluationLike: ...
    @property
    def worklist(self) -> Path: ...


class DemoView(Protocol):
    """The fields of ``services.demo.DemoReport`` the report shows."""

    @property
    def out_dir(self) -> Path: ...
    @property
    def triage(self) -> TriageView: ...
    @property
    def scores(self) -> tuple[Result, ...]: ...
    @property
    def clinic(self) -> ClinicLike: ...
    @property
    def cohort(self) -> CohortLike: ...
    @property
    def disclaimer(self) -> str: ...


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _indent(lines: list[str]) -> list[str]:
    return [f"  {line}" if line else "" for line in lines]


def render_demo(report: DemoView) -> str:
    """The four parts of the demo, then where its files are and the disclaimer."""
    out: list[str] = []

    def heading(text: str) -> None:
        out.extend(["", text, "-" * len(text)])

    heading("1. Find: triage of a synthetic 31-year-old with 4 years of back pain")
    out.append(render_triage_text(report.triage).rstrip())
    heading("2. Score: disease activity with cited calculators")
    for r in report.scores:
        category = f" ({r.category.replace('_', ' ')})" if r.category else ""
        source = r.citation.split(";")[0][:60]
        out.append(f"  {r.name:<10} {_score(r.score)}{category}   [{source}…]")
    heading("3. Follow: a synthetic clinic in SQLite")
    c = report.clinic
    out.append(f"  {c.patients} patients seeded into {c.database}")
    out.append("  records: " + ", ".join(f"{k} {v:,}" for k, v in sorted(c.records.items())))
    out.append(f"  off target (treat-to-target list): {len(c.off_target)} patient(s)")
    for s in c.off_target[:OFF_TARGET_SHOWN]:
        out.append(f"    {s.patient_id:<18} {s.target:<28} latest {_score(s.score)}")
    if c.report_pdf is not None:
        out.append(
            f"  pre-visit report of {c.report_patient}: {c.report_pdf} (HTML: {c.report_html})"
        )
    heading("4. Scale: case-finding over a synthetic OMOP population (DuckDB)")
    out.extend(_indent(screen_summary_lines(report.cohort.screen)))
    out.append("")
    out.extend(_indent(evaluation_text(report.cohort.evaluation).splitlines()))
    out.append(f"  worklist: {report.cohort.worklist}")
    out += ["", f"Everything the demo wrote is in {report.out_dir}/", "", report.disclaimer]
    return "\n".join(out)
