"""The exercise programme for a patient in the record: the week's plan, logging a session,
what is due today, and the plan as an iCalendar file.

The planner is pure (``knowledge.programme``); this module reads its inputs from the record
and writes sessions back to it:

- **diagnosis**: the record's diagnosis, by priority axspa > psa > pspa > ra > fibromyalgia >
  mechanical_back_pain > other (a record without one is an ``InputError`` on ``diagnosis``);
- **function and activity**: the latest BASFI, ODI, BASDAI and ASDAS (CRP or ESR);
- **flares**: every flare ``tracking.detect_flares`` finds (diary-marked, ASDAS worsening,
  BASDAI crossing 4);
- **sleep**: poor sleep when the diary of the 14 days before ``today`` has at least 3 sleep
  ratings and their mean is below 5 (0–10, higher is better; our operational rule);
- **sessions**: interventions whose ``activity`` is a programme session id. A session done is
  stored as such an intervention (kind from the catalogue, ``duration_min`` the minutes); a
  session missed is stored with no duration and the note ``missed: <reason>`` (``MISSED``), so
  an analysis of minutes of exercise must skip those (``is_missed``).
- **age**: the year of ``today`` minus the year of birth.

What the record does not hold comes from the caller: preferences, minutes per week, a fused
spine, osteoporosis, fall risk and open red flags. The programme starts on the Monday of the
week of the first logged programme session (else of ``today``), unless ``start`` is given; the
week shown is the one holding ``today`` unless ``week`` is given.

Every read is audited (entity ``plan``); a logged session is written through
``record_entries.add_entry_json``, which audits it as an intervention.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from immunospine.errors import FieldProblem, InputError, NotFound
from immunospine.knowledge.programme import catalogue as programme_catalogue
from immunospine.knowledge.programme.adherence import Adherence, adherence
from immunospine.knowledge.programme.planner import WeeklyPlan, plan_weeks
from immunospine.knowledge.programme.request import (
    DoneSession,
    MissedSession,
    PlanRequest,
    parse_request,
)
from immunospine.records import Assessment, DiaryEntry, Intervention, Patient
from immunospine.reports import icalendar
from immunospine.reports.wording import NOT_A_DIAGNOSIS
from immunospine.services import record, record_entries, tracking
from immunospine.storage.uow import Database

__all__ = [
    "DIAGNOSIS_PRIORITY",
    "MISSED",
    "Options",
    "PatientPlan",
    "SessionLog",
    "is_missed",
    "log_session",
    "log_session_json",
    "plan_for",
    "plan_ics",
    "session_ids",
    "today_list",
]

DIAGNOSIS_PRIORITY = ("axspa", "psa", "pspa", "ra", "fibromyalgia", "mechanical_back_pain", "other")
MISSED = "missed: "
"""The note of an intervention that records a missed session, before the reason."""
_SCORES = {"basfi": ("basfi",), "odi": ("odi",), "basdai": ("basdai",)}
_ASDAS = ("asdas_crp", "asdas_esr")
_SLEEP_DAYS, _SLEEP_MIN_ENTRIES, _SLEEP_POOR_BELOW = 14, 3, 5.0
REMIND_AT = time(9, 0)
"""When the calendar reminds (local time of the phone)."""


def session_ids() -> tuple[str, ...]:
    """Every session id of the programme catalogue."""
    return tuple(sorted(programme_catalogue.catalogue().by_id()))


def is_missed(intervention: Intervention) -> bool:
    """Whether ``intervention`` records a missed programme session (not exercise done)."""
    return bool(intervention.note and intervention.note.startswith(MISSED))


@dataclass(frozen=True, slots=True)
class Options:
    """What the record does not hold: the person's answers (all optional)."""

    week: int | None = None
    start: date | None = None
    minutes_per_week: int | None = None
    prefer: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    ankylosed_spine: bool | None = None
    osteoporosis: bool | None = None
    fall_risk: bool | None = None
    red_flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PatientPlan:
    """A patient's plan for one week, with what it was built from and adherence so far."""

    patient_id: str
    plan: WeeklyPlan
    adherence: Adherence
    inputs: dict[str, Any] = field(default_factory=dict)
    logged_today: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            **self.plan.to_dict(),
            "adherence": self.adherence.to_dict(),
            "inputs": self.inputs,
            "not_a_diagnosis": NOT_A_DIAGNOSIS,
        }


def plan_for(
    db: Database,
    patient_id: str,
    *,
    actor: str,
    today: date,
    options: Options | None = None,
    flare_dates: Iterable[date] | None = None,
) -> PatientPlan:
    """The plan of the week holding ``today`` (or ``options.week``) for ``patient_id``.

    ``flare_dates``: the patient's flares when the caller has already found them in a read of
    the whole record (``tracking.detect_flares`` is not run again)."""
    opts = options or Options()
    with db.transaction() as uow:
        record.audit(uow, actor, "read", patient_id, "plan")
        patient = uow.patients.get(patient_id)
        if patient is None:
            raise NotFound(f"patient {patient_id!r} not found")
        assessments = uow.records.of_patient(Assessment, patient_id)
        diary = uow.records.of_patient(
            DiaryEntry, patient_id, since=today - timedelta(days=_SLEEP_DAYS), until=today
        )
        interventions = uow.records.of_patient(Intervention, patient_id)
    if flare_dates is None:
        flare_dates = [f.on for f in tracking.detect_flares(db, patient_id, actor=actor)]
    flare_days = sorted({d.isoformat() for d in flare_dates})
    done, missed = _sessions(interventions)
    start = opts.start or _monday(min((d.on for d in done), default=today))
    week = opts.week if opts.week is not None else max(1, (today - start).days // 7 + 1)
    data, inputs = _request_data(patient, assessments, diary, today)
    data.update(
        programme_start=start.isoformat(),
        week=week,
        flare_dates=flare_days,
        done=[d.model_dump(mode="json") for d in done],
        missed=[m.model_dump(mode="json") for m in missed],
        **_answers(opts),
    )
    request = parse_request(data)
    current = (today - start).days // 7 + 1  # adherence runs to the week of today
    plans = plan_weeks(_week(request, max(week, current)))
    plan = plans[week - 1]
    inputs["programme_start"] = start.isoformat()
    inputs["flare_dates"] = data["flare_dates"]
    return PatientPlan(
        patient_id=patient_id,
        plan=plan,
        adherence=adherence(plans[: max(current, 0)], done, missed, today=today),
        inputs=inputs,
        logged_today=tuple(d.session for d in done if d.on == today),
    )


def _week(request: PlanRequest, week: int) -> PlanRequest:
    return request.model_copy(update={"week": week})


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _answers(opts: Options) -> dict[str, Any]:
    out: dict[str, Any] = {
        "prefer": list(opts.prefer),
        "avoid": list(opts.avoid),
        "red_flags": list(opts.red_flags),
    }
    for name in ("minutes_per_week", "ankylosed_spine", "osteoporosis", "fall_risk"):
        value = getattr(opts, name)
        if value is not None:
            out[name] = value
    return out


def _sessions(
    interventions: Sequence[Intervention],
) -> tuple[list[DoneSession], list[MissedSession]]:
    known = set(session_ids())
    done: list[DoneSession] = []
    missed: list[MissedSession] = []
    for i in interventions:
        if i.activity not in known:
            continue
        if is_missed(i):
            reason = (i.note or "")[len(MISSED) :].strip()[:200] or "not given"
            missed.append(MissedSession(session=i.activity, on=i.performed_on, reason=reason))
        else:
            done.append(DoneSession(session=i.activity, on=i.performed_on, minutes=i.duration_min))
    return done, missed


def _request_data(
    patient: Patient,
    assessments: Sequence[Assessment],
    diary: Sequence[DiaryEntry],
    today: date,
) -> tuple[dict[str, Any], dict[str, Any]]:
    conditions = {d.condition.value for d in patient.diagnoses}
    diagnosis = next((c for c in DIAGNOSIS_PRIORITY if c in conditions), None)
    if diagnosis is None:
        raise InputError.single(
            ("diagnosis",),
            "the record has no diagnosis; the programme needs one "
            f"({', '.join(DIAGNOSIS_PRIORITY)}): add it with `immunospine patient diagnose`",
            None,
            code="missing",
            has_value=False,
        )
    latest: dict[str, tuple[Assessment, float]] = {}
    for a in assessments:  # oldest first: the last one wins
        if a.score is not None:
            latest[a.calculator] = (a, a.score)
    data: dict[str, Any] = {"diagnosis": diagnosis, "age": today.year - patient.year_of_birth}
    inputs: dict[str, Any] = {"diagnosis": diagnosis, "age": data["age"]}
    for name, calculators in {**_SCORES, "asdas": _ASDAS}.items():
        found = [latest[c] for c in calculators if c in latest]
        if found:
            best, score = max(found, key=lambda pair: pair[0].assessed_on)
            data[name] = score  # exact: rounding could move a score across a cut-off
            inputs[name] = {
                "score": score,
                "calculator": best.calculator,
                "assessed_on": best.assessed_on.isoformat(),
            }
    ratings = [d.sleep_quality_nrs for d in diary if d.sleep_quality_nrs is not None]
    if len(ratings) >= _SLEEP_MIN_ENTRIES:
        data["sleep_problem"] = sum(ratings) / len(ratings) < _SLEEP_POOR_BELOW
        inputs["sleep_problem"] = data["sleep_problem"]
    return data, inputs


def log_session(
    db: Database,
    patient_id: str,
    session: str,
    *,
    actor: str,
    on: date,
    minutes: int | None = None,
    missed: bool = False,
    reason: str | None = None,
) -> dict[str, Any]:
    """Record a programme session as an intervention (done, or missed with its reason);
    returns the intervention as stored. Errors name ``session``, ``minutes``, ``reason`` or the
    intervention's own fields under ``body``."""
    found = programme_catalogue.session(session)
    if missed and not (reason and reason.strip()):
        raise InputError.single(
            ("reason",),
            "is required for a missed session",
            reason,
            code="missing",
            has_value=reason is not None,
        )
    if not missed and reason is not None:
        raise InputError.single(("reason",), "is given only for a missed session", reason)
    if missed and minutes is not None:
        raise InputError.single(("minutes",), "is not given for a missed session", minutes)
    if reason is not None and len(reason) > 200:
        raise InputError.single(("reason",), "must be at most 200 characters", reason)
    body: dict[str, Any] = {
        "kind": found.kind,
        "performed_on": on.isoformat(),
        "activity": found.id,
        "duration_min": minutes,
        "note": f"{MISSED}{reason.strip()}" if missed and reason else None,
    }
    return record_entries.add_entry_json(
        db, "intervention", patient_id, json.dumps(body), actor=actor
    )


def today_list(
    db: Database,
    patient_id: str,
    *,
    actor: str,
    today: date,
    options: Options | None = None,
    flare_dates: Iterable[date] | None = None,
) -> list[dict[str, Any]]:
    """What is due on ``today``: questionnaires (by the schedule) and the plan's sessions, each
    ``{"type", "id", "title", "detail", "due_on", "done"}`` — a list any face can show. With a
    red flag open the list holds the red-flag advice instead of sessions."""
    result = plan_for(
        db, patient_id, actor=actor, today=today, options=options, flare_dates=flare_dates
    )
    due = tracking.due_questionnaires(db, actor=actor, today=today, patient_id=patient_id)
    items: list[dict[str, Any]] = [
        {
            "type": "questionnaire",
            "id": d.questionnaire,
            "title": f"Questionnaire: {d.questionnaire.upper()}",
            "detail": (
                f"last done {d.last_on.isoformat()}" if d.last_on is not None else "never done"
            ),
            "due_on": d.due_on.isoformat(),
            "done": False,
        }
        for d in due
    ]
    for flag in result.plan.red_flags:
        items.append(
            {
                "type": "red_flag",
                "id": flag.item,
                "title": flag.label,
                "detail": flag.advice,
                "due_on": today.isoformat(),
                "done": False,
            }
        )
    left = list(result.logged_today)
    for s in result.plan.sessions:
        if s.on != today:
            continue
        done = s.session in left
        if done:
            left.remove(s.session)
        items.append(
            {
                "type": "session",
                "id": s.session,
                "title": s.title,
                "detail": f"{s.minutes} min, {s.intensity}" + "".join(f"; {n}" for n in s.notes),
                "due_on": today.isoformat(),
                "done": done,
            }
        )
    return items


def plan_ics(result: PatientPlan, *, stamp: datetime | None = None) -> str:
    """The week's sessions as an iCalendar file (all-day events with a 09:00 reminder)."""
    moment = stamp or datetime.now(UTC)
    by_id = programme_catalogue.catalogue().by_id()
    events = []
    seen: dict[tuple[date, str], int] = {}
    for s in result.plan.sessions:
        n = seen[(s.on, s.session)] = seen.get((s.on, s.session), 0) + 1
        digest = hashlib.sha256(
            f"{result.patient_id}|{s.on.isoformat()}|{s.session}|{n}".encode()
        ).hexdigest()[:32]
        notes = "".join(f"\n{note}" for note in s.notes)
        events.append(
            icalendar.Event(
                uid=f"{digest}@immunospine.invalid",
                on=s.on,
                summary=f"{s.title} ({s.minutes} min)",
                description=f"{by_id[s.session].how}{notes}\n{result.plan.to_dict()['disclaimer']}",
                remind_at=REMIND_AT,
            )
        )
    start = result.plan.week_start.isoformat()
    name = f"immunospine programme, week {result.plan.week} from {start}"
    return icalendar.calendar(events, stamp=moment, name=name)


class SessionLog(BaseModel):
    """A programme session done (or missed, with the reason), as a JSON body."""

    model_config = ConfigDict(extra="forbid", strict=True)

    session: str = Field(description="session id of the programme catalogue")
    on: date = Field(strict=False, description="the day, YYYY-MM-DD")
    minutes: int | None = Field(default=None, description="minutes, 1–1440 (not when missed)")
    missed: bool = False
    reason: str | None = Field(default=None, description="why it was missed, 1–200 characters")


def log_session_json(
    db: Database, patient_id: str, body: str | bytes, *, actor: str
) -> dict[str, Any]:
    """``log_session`` from a JSON body (``SessionLog``); every problem located under ``body``."""
    data = record_entries.body_object(body)
    try:
        entry = SessionLog.model_validate_json(json.dumps(data))
    except ValidationError as exc:
        raise InputError.from_validation(exc, model=SessionLog, prefix=("body",)) from None
    try:
        return log_session(
            db,
            patient_id,
            entry.session,
            actor=actor,
            on=entry.on,
            minutes=entry.minutes,
            missed=entry.missed,
            reason=entry.reason,
        )
    except InputError as exc:
        problems = tuple(
            p
            if p.loc[:1] == ("body",)
            else FieldProblem(("body", *p.loc), p.msg, p.code, p.value, p.has_value)
            for p in exc.problems
        )
        raise InputError.from_problems(problems) from None
