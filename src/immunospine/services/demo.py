"""The demo behind ``make run``: a synthetic patient scored with the knowledge core.

All data here is invented. Later issues extend the demo with triage and a patient record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from immunospine.knowledge import Result, calculate

DISCLAIMER = (
    "immunospine supports decisions; it does not diagnose. Discuss every result with a clinician."
)

# A synthetic 31-year-old with 4 years of inflammatory-type back pain (invented for the demo).
SAMPLE_INPUTS: dict[str, dict[str, Any]] = {
    "basdai": {"q1": 6, "q2": 7, "q3": 3, "q4": 4, "q5": 6, "q6": 5},
    "asdas_crp": {
        "back_pain": 7,
        "morning_stiffness_duration": 5,
        "patient_global": 6,
        "peripheral_pain": 3,
        "crp_mg_l": 14,
    },
}


@dataclass(frozen=True)
class DemoReport:
    title: str
    results: tuple[Result, ...]
    disclaimer: str = DISCLAIMER


def sample_patient_report() -> DemoReport:
    results = tuple(calculate(name, **inputs) for name, inputs in SAMPLE_INPUTS.items())
    return DemoReport("Synthetic patient: 31 years, back pain for 4 years", results)


def render_text(report: DemoReport) -> str:
    lines = [report.title, "=" * len(report.title)]
    for r in report.results:
        score = "—" if r.score is None else f"{r.score:.2f}"
        category = f" ({r.category.replace('_', ' ')})" if r.category else ""
        lines.append(f"{r.name:<12} {score}{category}")
    lines += ["", report.disclaimer]
    return "\n".join(lines)
