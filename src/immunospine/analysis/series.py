"""A patient's record as analysable series: one row a calendar day, one row a visit, the events.

``patient_data(timeline)`` turns a ``records.Timeline`` into a ``PatientData``:

- ``daily``: a row for every calendar day from the first to the last diary day (missing days are
  rows of NaN, never zeros), with the outcomes ``pain_nrs``, ``morning_stiffness_min``,
  ``fatigue_nrs`` and the factors ``stress_nrs``, ``sleep_hours``, ``sleep_quality_nrs``,
  ``exercise_min``, ``stress_reduction_min`` and ``crp_mg_l``.

  * Several diary entries on one day are averaged (each field over the entries that answer it).
  * ``exercise_min`` adds the minutes of exercise and physiotherapy sessions of the day,
    ``stress_reduction_min`` those of stress-reduction sessions. Sessions are logged as events,
    so on a diary day without a session the value is 0; a session without a duration makes its
    day unknown (NaN), and on days without a diary entry both are NaN (nobody was logging).
  * **Inflammation between visits.** CRP changes within days (its half-life is about 19 hours),
    so a visit's CRP says little about a day weeks later. ``crp_mg_l`` on day *t* is the most
    recent CRP collected on *t* or up to ``CRP_CARRY_DAYS - 1`` days before (7 days in all: the
    collection day and the 6 after it); on every other day it is missing. It is never
    interpolated between visits. ASDAS and DAS28 are not carried at all: they are scored from
    the patient's own pain and global assessment, so they belong to ``visits`` (discordance,
    treatment changes, the cohort's cross-lagged model), not to daily factors for pain.

- ``visits``: a row per date with a CRP result or a disease-activity score: ``crp_mg_l``,
  ``crp_upper`` (the result's reference upper limit), ``asdas`` (ASDAS-CRP, else ASDAS-ESR),
  ``das28`` (DAS28-CRP, else -ESR) and ``basdai``.
- ``events``: medication starts, stops and switches (a stop followed within
  ``SWITCH_WINDOW_DAYS`` by another start) and the first day of each physiotherapy block
  (sessions no more than ``PHYSIO_GAP_DAYS`` apart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from immunospine.records import (
    Assessment,
    Condition,
    DiaryEntry,
    Intervention,
    InterventionKind,
    LabResult,
    LabTest,
    MedicationCourse,
    Timeline,
)

__all__ = [
    "CRP_CARRY_DAYS",
    "DIARY_FIELDS",
    "FACTORS",
    "OUTCOMES",
    "PHYSIO_GAP_DAYS",
    "SWITCH_WINDOW_DAYS",
    "UNITS",
    "PatientData",
    "TreatmentEvent",
    "patient_data",
]

OUTCOMES = ("pain_nrs", "morning_stiffness_min", "fatigue_nrs")
"""Daily outcomes, in the diary's own units."""
FACTORS = (
    "stress_nrs",
    "sleep_hours",
    "sleep_quality_nrs",
    "exercise_min",
    "stress_reduction_min",
    "crp_mg_l",
)
"""Daily factors whose lagged associations with each outcome are estimated."""
DIARY_FIELDS = (
    "pain_nrs",
    "morning_stiffness_min",
    "fatigue_nrs",
    "stress_nrs",
    "sleep_hours",
    "sleep_quality_nrs",
)
UNITS: dict[str, str] = {
    "pain_nrs": "points (0–10)",
    "morning_stiffness_min": "minutes",
    "fatigue_nrs": "points (0–10)",
    "stress_nrs": "point (0–10)",
    "sleep_hours": "hour",
    "sleep_quality_nrs": "point (0–10)",
    "exercise_min": "10 minutes",
    "stress_reduction_min": "10 minutes",
    "crp_mg_l": "mg/L",
}
"""The unit of one step of each variable as reported (exercise: per 10 minutes, see ``SCALE``)."""
SCALE: dict[str, float] = {"exercise_min": 10.0, "stress_reduction_min": 10.0}
"""Estimates for these factors are per ``SCALE`` units (per 10 minutes), not per minute."""
CRP_CARRY_DAYS = 7
"""A CRP result stands for its collection day and the 6 days after it, then it is missing."""
SWITCH_WINDOW_DAYS = 30
PHYSIO_GAP_DAYS = 14


@dataclass(frozen=True, slots=True)
class TreatmentEvent:
    """A treatment change on ``on``: ``kind`` start | stop | switch | physiotherapy_block."""

    on: date
    kind: str
    what: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"on": self.on.isoformat(), "kind": self.kind, "what": self.what}


@dataclass(frozen=True)
class PatientData:
    """The analysable series of one patient (see the module docstring)."""

    patient_id: str
    conditions: tuple[str, ...]
    daily: pd.DataFrame
    visits: pd.DataFrame
    events: tuple[TreatmentEvent, ...] = field(default=())

    @property
    def n_days(self) -> int:
        """Calendar days with at least one diary value."""
        if self.daily.empty:
            return 0
        return int(self.daily[list(DIARY_FIELDS)].notna().any(axis=1).sum())


_VISIT_COLUMNS = ["crp_mg_l", "crp_upper", "asdas", "das28", "basdai"]
_SCORE_COLUMN = {
    "asdas_crp": ("asdas", 0),
    "asdas_esr": ("asdas", 1),
    "das28_crp": ("das28", 0),
    "das28_esr": ("das28", 1),
    "basdai": ("basdai", 0),
}


def patient_data(
    timeline: Timeline, *, since: date | None = None, until: date | None = None
) -> PatientData:
    """The daily series, visits and treatment events of ``timeline`` between ``since`` and
    ``until`` (inclusive; medication courses and events keep their own dates)."""
    diary: dict[date, dict[str, list[float]]] = {}
    minutes: dict[date, dict[str, float]] = {}
    crp: dict[date, tuple[float, float]] = {}
    scores: dict[date, dict[str, tuple[int, float]]] = {}
    courses: list[MedicationCourse] = []
    physio: list[date] = []

    def inside(day: date) -> bool:
        return (since is None or day >= since) and (until is None or day <= until)

    for entry in timeline.entries:
        r = entry.record
        if isinstance(r, MedicationCourse):
            courses.append(r)
            continue
        if not inside(entry.on):
            continue
        if isinstance(r, DiaryEntry):
            day_values = diary.setdefault(entry.on, {})
            for name in DIARY_FIELDS:
                value = getattr(r, name)
                if value is not None:
                    day_values.setdefault(name, []).append(float(value))
        elif isinstance(r, Intervention):
            column = (
                "stress_reduction_min"
                if r.kind is InterventionKind.STRESS_REDUCTION
                else "exercise_min"
            )
            if r.kind is InterventionKind.PHYSIOTHERAPY:
                physio.append(r.performed_on)
            day_minutes = minutes.setdefault(entry.on, {})
            duration = float(r.duration_min) if r.duration_min is not None else float("nan")
            day_minutes[column] = day_minutes.get(column, 0.0) + duration
        elif isinstance(r, LabResult) and r.test is LabTest.CRP and r.value is not None:
            rng = r.reference_range
            upper = rng[1] if rng is not None else float("nan")
            old = crp.get(entry.on)
            if old is None or r.value > old[0]:  # several on a day: the highest
                crp[entry.on] = (float(r.value), upper)
        elif isinstance(r, Assessment) and r.score is not None and r.calculator in _SCORE_COLUMN:
            column, rank = _SCORE_COLUMN[r.calculator]
            day_scores = scores.setdefault(entry.on, {})
            if column not in day_scores or rank < day_scores[column][0]:
                day_scores[column] = (rank, float(r.score))

    return PatientData(
        patient_id=timeline.patient.patient_id,
        conditions=tuple(d.condition.value for d in timeline.patient.diagnoses),
        daily=_daily(diary, minutes, crp),
        visits=_visits(crp, scores),
        events=_events(courses, physio),
    )


def _daily(
    diary: dict[date, dict[str, list[float]]],
    minutes: dict[date, dict[str, float]],
    crp: dict[date, tuple[float, float]],
) -> pd.DataFrame:
    columns = [*OUTCOMES, *FACTORS]
    if not diary:
        return pd.DataFrame(columns=columns, dtype=float, index=pd.DatetimeIndex([], name="day"))
    first, last = min(diary), max(diary)
    n = (last - first).days + 1
    data = {name: np.full(n, np.nan) for name in columns}
    for day, values in diary.items():
        i = (day - first).days
        for name, xs in values.items():
            data[name][i] = sum(xs) / len(xs)
        logged = minutes.get(day, {})
        data["exercise_min"][i] = logged.get("exercise_min", 0.0)
        data["stress_reduction_min"][i] = logged.get("stress_reduction_min", 0.0)
    for day in sorted(crp):
        value = crp[day][0]
        for k in range(CRP_CARRY_DAYS):
            i = (day + timedelta(days=k) - first).days
            if 0 <= i < n:
                data["crp_mg_l"][i] = value
    index = pd.date_range(first, periods=n, freq="D", name="day")
    return pd.DataFrame(data, index=index)


def _visits(
    crp: dict[date, tuple[float, float]], scores: dict[date, dict[str, tuple[int, float]]]
) -> pd.DataFrame:
    days = sorted(set(crp) | set(scores))
    rows = []
    for day in days:
        value, upper = crp.get(day, (np.nan, np.nan))
        s = scores.get(day, {})
        rows.append(
            {
                "crp_mg_l": value,
                "crp_upper": upper,
                **{c: s[c][1] if c in s else np.nan for c in ("asdas", "das28", "basdai")},
            }
        )
    index = pd.DatetimeIndex([pd.Timestamp(d) for d in days], name="day")
    return pd.DataFrame(rows, index=index, columns=_VISIT_COLUMNS, dtype=float)


def _events(courses: list[MedicationCourse], physio: list[date]) -> tuple[TreatmentEvent, ...]:
    events: list[TreatmentEvent] = []
    starts = sorted(courses, key=lambda c: c.started_on)
    switched_to: set[int] = set()
    for course in starts:
        if course.stopped_on is None:
            continue
        nxt = next(
            (
                c
                for c in starts
                if c is not course
                and 0 <= (c.started_on - course.stopped_on).days <= SWITCH_WINDOW_DAYS
            ),
            None,
        )
        if nxt is not None:
            switched_to.add(id(nxt))
            events.append(TreatmentEvent(nxt.started_on, "switch", f"{course.drug} → {nxt.drug}"))
        else:
            events.append(TreatmentEvent(course.stopped_on, "stop", course.drug))
    for course in starts:
        if id(course) not in switched_to:
            events.append(TreatmentEvent(course.started_on, "start", course.drug))
    block_start: date | None = None
    previous: date | None = None
    for day in sorted(set(physio)):
        if previous is None or (day - previous).days > PHYSIO_GAP_DAYS:
            block_start = day
            events.append(TreatmentEvent(block_start, "physiotherapy_block", "physiotherapy"))
        previous = day
    events.sort(key=lambda e: (e.on, e.kind, e.what))
    return tuple(events)


def condition_names() -> tuple[str, ...]:
    """Allowed ``condition`` values (for the cohort filter)."""
    return tuple(c.value for c in Condition)
