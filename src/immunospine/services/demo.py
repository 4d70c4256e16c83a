"""The demo behind ``make run``: the whole path on the embedded defaults, with synthetic data.

1. **Find** — triage a synthetic person with chronic back pain (``services.triage``).
2. **Score** — the same person's disease activity with cited calculators.
3. **Follow** — a synthetic clinic seeded into SQLite: who is off target, one patient's flares.
4. **Scale** — a synthetic OMOP population screened with DuckDB, evaluated against its ground truth.

Everything is written under one output folder that the demo owns (``demo-output/`` by default)
and recreated on each run. All data is invented.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from immunospine.knowledge import Result, calculate
from immunospine.services import cohort_data, cohort_screen, database, demo_clinic, tracking
from immunospine.services.cohort_screen import ScreenSummary
from immunospine.services.tracking import TargetStatus
from immunospine.services.triage import TriageResult, triage

if TYPE_CHECKING:
    from immunospine.cohort.evaluation import Evaluation
    from immunospine.storage.uow import Database

__all__ = [
    "DISCLAIMER",
    "SAMPLE_CASE",
    "SAMPLE_SCORES",
    "ClinicPart",
    "CohortPart",
    "DemoReport",
    "prepare_output",
    "run_demo",
]

DISCLAIMER = (
    "immunospine supports decisions; it does not diagnose. Discuss every result with a clinician."
)
ACTOR = "demo"
MARKER = ".immunospine-demo"

# A synthetic 31-year-old with four years of inflammatory-type back pain (invented for the demo).
SAMPLE_CASE: dict[str, Any] = {
    "age": 31,
    "sex": "male",
    "back_pain": {
        "duration_months": 48,
        "age_at_onset": 27,
        "insidious_onset": True,
        "morning_stiffness_minutes": 60,
        "improves_with_exercise": True,
        "improves_with_rest": False,
        "night_pain": True,
        "wakes_second_half_of_night": True,
        "alternating_buttock_pain": True,
    },
    "findings": {"enthesitis_heel": True, "nsaid_response": True, "hla_b27": None},
    "red_flags": {"saddle_anaesthesia": False, "unexplained_weight_loss": False},
}
SAMPLE_SCORES: dict[str, dict[str, Any]] = {
    "basdai": {"q1": 6, "q2": 7, "q3": 3, "q4": 4, "q5": 6, "q6": 5},
    "asdas_crp": {
        "back_pain": 7,
        "morning_stiffness_duration": 5,
        "patient_global": 6,
        "peripheral_pain": 3,
        "crp_mg_l": 14,
    },
    "basfi": {f"q{i}": v for i, v in enumerate((3, 5, 2, 4, 6, 1, 3, 2, 7, 5), 1)},
}


@dataclass(frozen=True, slots=True)
class ClinicPart:
    """The synthetic clinic: where it is, how much was seeded, who is off target."""

    database: str
    patients: int
    records: Mapping[str, int]
    off_target: tuple[TargetStatus, ...]
    report_patient: str | None = None
    report_pdf: Path | None = None
    report_html: Path | None = None


@dataclass(frozen=True, slots=True)
class CohortPart:
    """The synthetic population's screen, its evaluation against the truth, and the worklist."""

    screen: ScreenSummary
    evaluation: Evaluation
    worklist: Path


@dataclass(frozen=True, slots=True)
class DemoReport:
    """What the demo found, as values; ``reports.demo_text`` renders it."""

    out_dir: Path
    triage: TriageResult
    scores: tuple[Result, ...]
    clinic: ClinicPart
    cohort: CohortPart
    disclaimer: str = DISCLAIMER


def prepare_output(out_dir: Path) -> Path:
    """Create (or empty) the demo's own folder; refuse to empty a folder the demo did not make."""
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
        from immunospine.errors import InputError

        raise InputError.single(
            ("out_dir",),
            "exists and was not made by the demo; choose an empty or new folder",
            str(out_dir),
        )
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    (out_dir / MARKER).write_text("folder made by `immunospine demo`; emptied on each run\n")
    return out_dir


def run_demo(
    out_dir: Path,
    *,
    clinic_patients: int = 40,
    population: int = 50_000,
    seed: int = 2026,
    on_step: Callable[[str], None] | None = None,
) -> DemoReport:
    """Run the four parts; ``on_step(text)`` reports progress for a face to show."""
    step = on_step or (lambda _text: None)
    prepare_output(out_dir)

    step("Find: triaging a synthetic person with chronic back pain")
    assessment = triage(SAMPLE_CASE)
    scores = tuple(calculate(name, **inputs) for name, inputs in SAMPLE_SCORES.items())

    step(f"Follow: seeding a synthetic clinic of {clinic_patients} patients into SQLite")
    db_url = f"sqlite:///{out_dir / 'clinic.db'}"
    with database.opened(db_url, create=True) as db:
        database.upgrade(db)
        seeded = demo_clinic.seed_clinic(db, clinic_patients, seed, actor=ACTOR)
        off = tracking.off_target(db, actor=ACTOR)
        missing = tuple(s for s in off if s.status == "off_target")
        step("Follow: writing the pre-visit report of the first patient off target")
        report = _previsit_report(db, missing[0].patient_id, out_dir) if missing else None
    clinic = ClinicPart(
        database=db_url,
        patients=seeded.patients,
        records=dict(seeded.records),
        off_target=missing,
        report_patient=missing[0].patient_id if missing else None,
        report_pdf=report[0] if report else None,
        report_html=report[1] if report else None,
    )

    step(f"Scale: generating a synthetic OMOP population of {population:,} persons")
    omop = out_dir / "omop"
    cohort_data.generate_population(omop, population, seed)
    step("Scale: screening it for undiagnosed axSpA with DuckDB")
    worklist = out_dir / "worklist.parquet"
    screened = cohort_screen.screen(
        cohort_screen.ScreenRequest(backend="duckdb", out=worklist, data=omop)
    )
    evaluation = cohort_data.evaluate_worklist(worklist, omop / "truth.parquet")
    return DemoReport(
        out_dir, assessment, scores, clinic, CohortPart(screened, evaluation, worklist)
    )


def _previsit_report(db: Database, patient_id: str, out_dir: Path) -> tuple[Path, Path]:
    """The one-page pre-visit report (PDF and its HTML twin) of one demo patient."""
    from immunospine.services import previsit

    pdf, html = out_dir / f"report-{patient_id}.pdf", out_dir / f"report-{patient_id}.html"
    previsit.write_previsit(previsit.gather_previsit(db, patient_id, actor=ACTOR), pdf, html)
    return pdf, html
