"""Gather what the pre-visit report shows for one patient: a frozen ``PrevisitData``.

The record comes from the audited services (``record.timeline``, whose records also give the
flares as ``tracking.detect_flares`` finds them, ``tracking.treat_to_target``,
``tracking.due_questionnaires``); nothing is recomputed here and nothing is rounded or worded
for display (``reports.previsit`` renders, ``reports.charts`` draws).

The period runs from ``since`` (default: the first dated record) to ``until`` (default: the
day the report is prepared, the local date). Medication courses are kept when they overlap the
period, so a course started before ``since`` still shows as a band. Treat-to-target status is
the patient's current one (the latest score on record), as ``tracking.treat_to_target`` gives it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from immunospine.errors import InputError
from immunospine.records import (
    Assessment,
    Condition,
    DiaryEntry,
    LabResult,
    MedicationCourse,
    Patient,
    Timeline,
)
from immunospine.reports.model import (
    DiaryDay,
    DueItem,
    FlareMark,
    LabPoint,
    MedicationSpan,
    OptionItem,
    PrevisitData,
    ScorePoint,
    TargetCheck,
)
from immunospine.reports.wording import NOT_A_DIAGNOSIS
from immunospine.services import record, tracking
from immunospine.services.analysis import finite
from immunospine.storage.uow import Database
from immunospine.version import __version__

__all__ = [
    "ACTIVITY_CALCULATORS",
    "LAB_TESTS",
    "activity_calculators",
    "gather_previsit",
    "previsit_pdf_bytes",
    "write_previsit",
]

ACTIVITY_CALCULATORS: dict[Condition, tuple[str, ...]] = {
    Condition.RHEUMATOID_ARTHRITIS: ("das28_crp", "das28_esr"),
    Condition.PSORIATIC_ARTHRITIS: ("basdai", "das28_crp", "das28_esr"),
}
"""Disease-activity scores charted per diagnosis; everything else: ASDAS and BASDAI."""
SPONDYLOARTHRITIS_CALCULATORS = ("asdas_crp", "asdas_esr", "basdai")
LAB_TESTS = ("crp",)
"""Quantitative lab tests the report charts."""


def activity_calculators(patient: Patient) -> tuple[str, ...]:
    """The activity scores to chart: DAS28 for rheumatoid arthritis alone, else ASDAS/BASDAI."""
    conditions = {d.condition for d in patient.diagnoses}
    spa = {Condition.AXIAL_SPONDYLOARTHRITIS, Condition.PERIPHERAL_SPONDYLOARTHRITIS}
    if conditions & spa:
        return SPONDYLOARTHRITIS_CALCULATORS
    for condition, calculators in ACTIVITY_CALCULATORS.items():
        if condition in conditions:
            return calculators
    return SPONDYLOARTHRITIS_CALCULATORS


def gather_previsit(
    db: Database,
    patient_id: str,
    *,
    actor: str,
    since: date | None = None,
    until: date | None = None,
    today: date | None = None,
    analysis: bool = True,
    options: bool = True,
) -> PrevisitData:
    """The pre-visit report's data for ``patient_id`` (``NotFound`` if there is none).

    ``today`` is the date the report is prepared on (default: the local date); ``until``
    defaults to it. ``analysis=False`` leaves out the single-person analysis (``analysis`` is
    ``None``): a page that does not draw its chart need not pay for it; ``options=False``
    leaves out the treatment options (a page that shows them in full reads them itself).
    """
    today = today or datetime.now().astimezone().date()
    end = until or today
    if since is not None and since > end:
        raise InputError.single(
            ("since",), f"must be on or before {end.isoformat()}", since.isoformat()
        )
    timeline = record.timeline(db, patient_id, actor=actor, until=end)
    patient = timeline.patient
    start = since or min((e.on for e in timeline.entries), default=end)

    scores, labs, medications, diary = [], [], [], []
    for entry in timeline.entries:
        r = entry.record
        if isinstance(r, MedicationCourse):
            if r.stopped_on is None or r.stopped_on >= start:
                medications.append(_span(r))
        elif entry.on < start:
            continue
        elif isinstance(r, Assessment) and r.score is not None:
            scores.append(ScorePoint(r.calculator, r.assessed_on, r.score, r.category))
        elif isinstance(r, LabResult) and r.test.value in LAB_TESTS and r.value is not None:
            rng = r.reference_range
            labs.append(
                LabPoint(r.test.value, r.collected_on, r.value, r.unit or "", rng and rng[1])
            )
        elif isinstance(r, DiaryEntry):
            diary.append(
                DiaryDay(
                    r.recorded_on, r.pain_nrs, r.morning_stiffness_min, r.sleep_hours, r.stress_nrs
                )
            )
    latest: dict[str, ScorePoint] = {}
    for s in scores:
        latest[s.calculator] = s
    found = tracking.flares_in(
        (e.record for e in timeline.entries if isinstance(e.record, Assessment)),
        (e.record for e in timeline.entries if isinstance(e.record, DiaryEntry)),
    )  # the records the timeline already read: the record is not read a second time
    flares = tuple(FlareMark(f.on, f.kind, f.detail) for f in found if start <= f.on <= end)
    return PrevisitData(
        patient_id=patient.patient_id,
        year_of_birth=patient.year_of_birth,
        sex=patient.sex.value,
        conditions=tuple((d.condition.value, d.diagnosed_on) for d in patient.diagnoses),
        since=start,
        until=end,
        prepared_on=today,
        activity_calculators=activity_calculators(patient),
        scores=tuple(scores),
        latest=tuple(latest.values()),
        labs=tuple(labs),
        medications=tuple(medications),
        flares=flares,
        diary=tuple(diary),
        targets=_targets(db, patient_id, actor),
        due=tuple(
            DueItem(d.questionnaire, d.due_on, d.last_on)
            for d in tracking.due_questionnaires(db, actor=actor, today=end, patient_id=patient_id)
        ),
        disclaimer=NOT_A_DIAGNOSIS,
        software=f"immunospine {__version__}",
        analysis=_analysis(timeline, start, diary[-1].on) if diary and analysis else None,
        options=_options(db, patient_id, actor, end) if options else (),
    )


def _options(db: Database, patient_id: str, actor: str, day: date) -> tuple[OptionItem, ...]:
    """Treatment options to discuss on ``day``; none when no diagnosis has a pathway."""
    from immunospine.services.treatment import options_for_patient

    try:
        answer = options_for_patient(db, actor, patient_id, today=day)
    except InputError:
        return ()
    return tuple(OptionItem(o.verdict, o.label, o.recommendation) for o in answer.options)


ANALYSIS_DAYS = 365
"""The report's "what moved with your pain" chart analyses the last year of diary in the
period."""


def _analysis(timeline: Timeline, start: date, end: date) -> dict[str, Any] | None:
    """The single-person analysis (issue 11) of the ``ANALYSIS_DAYS`` days up to ``end`` (the
    period's last diary day), from the timeline already read; ``None`` without the analysis
    extra (statsmodels)."""
    try:
        from immunospine.analysis.person import analyze_person
        from immunospine.analysis.series import patient_data
    except ImportError:  # pragma: no cover - the analysis extra is not installed
        return None
    since = max(start, end - timedelta(days=ANALYSIS_DAYS - 1))
    result = analyze_person(patient_data(timeline, since=since, until=end), since=since)
    return finite(result)  # type: ignore[no-any-return]


def _span(course: MedicationCourse) -> MedicationSpan:
    return MedicationSpan(
        drug=course.drug,
        drug_class=course.drug_class.value,
        started_on=course.started_on,
        stopped_on=course.stopped_on,
        stop_reason=course.stop_reason.value if course.stop_reason else None,
        dose=course.dose,
        dose_unit=course.dose_unit,
        frequency=course.frequency,
    )


def _targets(db: Database, patient_id: str, actor: str) -> tuple[TargetCheck, ...]:
    thresholds = {t.label: t.below for t in tracking.DEFAULT_TARGETS}
    return tuple(
        TargetCheck(
            s.target, thresholds.get(s.target), s.status, s.calculator, s.assessed_on, s.score
        )
        for s in tracking.treat_to_target(db, actor=actor, patient_id=patient_id)
    )


def previsit_pdf_bytes(data: PrevisitData) -> bytes:
    """The report as PDF bytes (charts included), for a download."""
    from immunospine.reports import charts, previsit, previsit_pdf

    previsit_pdf.preload()
    svgs = previsit.chart_svgs(charts.all_charts(data))
    content: bytes = previsit_pdf.render_previsit_pdf(data, svgs)
    return content


def write_previsit(data: PrevisitData, pdf: Path, html: Path | None = None) -> None:
    """Render the report once (charts included) and write the PDF and, if asked, its HTML twin.

    Each file is written to a temporary name beside it and renamed, so a failure never leaves
    half a report behind.
    """
    from immunospine.reports import charts, previsit, previsit_pdf

    previsit_pdf.preload()  # meanwhile the chart renderer may still be starting (warm_up)
    svgs = previsit.chart_svgs(charts.all_charts(data))
    outputs = [(pdf, previsit_pdf.render_previsit_pdf(data, svgs))]
    if html is not None:
        outputs.append((html, previsit.render_previsit_html(data, svgs).encode()))
    for path, content in outputs:
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(content)
        partial.replace(path)
