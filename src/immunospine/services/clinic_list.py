"""The clinic's patient list: every patient, latest target score and date, target status, flags.

One audited read built from a handful of SQL statements over the whole clinic (treat-to-target,
questionnaire schedule, flares), never a Python loop over each patient's record, so it stays
fast at tens of thousands of patients. Filters: off target, flare since a date, questionnaire
due. A latest score older than its questionnaire's schedule interval is marked ``stale``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from immunospine.errors import InputError
from immunospine.knowledge import calculate
from immunospine.knowledge.instruments.basdai import ACTIVE_THRESHOLD as BASDAI_ACTIVE
from immunospine.services import tracking
from immunospine.services.answer_cache import AnswerCache, json_bytes
from immunospine.services.record import check_actor
from immunospine.storage.uow import Database, UnitOfWork

__all__ = [
    "LIST_ANSWERS",
    "PatientList",
    "PatientRow",
    "list_patients",
    "read_list",
    "read_list_json",
]

_ASDAS = ("asdas_crp", "asdas_esr")
_URGENCY = {"on_target": 0, "no_data": 1, "off_target": 2}


@dataclass(frozen=True, slots=True)
class PatientRow:
    """One patient in the list. ``target``/``status`` are ``None`` when no target applies."""

    patient_id: str
    conditions: tuple[str, ...]
    target: str | None
    status: str | None
    calculator: str | None
    score: float | None
    assessed_on: date | None
    stale: bool
    due: tuple[str, ...]
    last_flare_on: date | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "conditions": list(self.conditions),
            "target": self.target,
            "status": self.status,
            "calculator": self.calculator,
            "score": self.score,
            "assessed_on": self.assessed_on.isoformat() if self.assessed_on else None,
            "stale": self.stale,
            "due": list(self.due),
            "last_flare_on": self.last_flare_on.isoformat() if self.last_flare_on else None,
        }


@dataclass(frozen=True, slots=True)
class PatientList:
    """The rows shown, how many matched the filters, and how many were left out by ``limit``."""

    rows: tuple[PatientRow, ...]
    matched: int
    total_patients: int
    today: date

    @property
    def left_out(self) -> int:
        return self.matched - len(self.rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "total_patients": self.total_patients,
            "matched": self.matched,
            "left_out": self.left_out,
            "patients": [r.to_dict() for r in self.rows],
        }


def list_patients(
    db: Database,
    *,
    actor: str,
    today: date,
    off_target: bool = False,
    flare_since: date | None = None,
    due: bool = False,
    limit: int | None = None,
    targets: Sequence[tracking.Target] = tracking.DEFAULT_TARGETS,
    schedule: Sequence[tracking.ScheduleRule] = tracking.DEFAULT_SCHEDULE,
    only: Collection[str] | None = None,
) -> PatientList:
    """Every patient matching all the given filters, by id; the shown ones are audited.

    ``only``: the patients the caller may see (``access.visible_patient_ids``); the others are
    not read, counted or audited.
    """
    with db.transaction() as uow:
        return read_list(
            uow,
            actor=actor,
            today=today,
            off_target=off_target,
            flare_since=flare_since,
            due=due,
            limit=limit,
            targets=targets,
            schedule=schedule,
            only=only,
        )


def read_list(
    uow: UnitOfWork,
    *,
    actor: str,
    today: date,
    off_target: bool = False,
    flare_since: date | None = None,
    due: bool = False,
    limit: int | None = None,
    targets: Sequence[tracking.Target] = tracking.DEFAULT_TARGETS,
    schedule: Sequence[tracking.ScheduleRule] = tracking.DEFAULT_SCHEDULE,
    only: Collection[str] | None = None,
) -> PatientList:
    """``list_patients`` inside an open transaction (audits the shown patients in it).

    The list is reused while the clinic's records are unchanged (``LIST_ANSWERS``, keyed on the
    day, the filters and ``only``); the shown patients are audited on every call."""
    return _kept(uow, actor, today, off_target, flare_since, due, limit, targets, schedule, only)[0]


def read_list_json(
    uow: UnitOfWork,
    *,
    actor: str,
    today: date,
    off_target: bool = False,
    flare_since: date | None = None,
    due: bool = False,
    limit: int | None = None,
    targets: Sequence[tracking.Target] = tracking.DEFAULT_TARGETS,
    schedule: Sequence[tracking.ScheduleRule] = tracking.DEFAULT_SCHEDULE,
    only: Collection[str] | None = None,
) -> bytes:
    """``read_list(...).to_dict()`` as compact JSON (``answer_cache.json_bytes``), kept with
    the list."""
    return _kept(uow, actor, today, off_target, flare_since, due, limit, targets, schedule, only)[1]


LIST_ANSWERS: AnswerCache[tuple[PatientList, bytes]] = AnswerCache(max_entries=32)
"""Built lists and their JSON, valid for one ``ClinicQueries.revision``."""


def _kept(
    uow: UnitOfWork,
    actor: str,
    today: date,
    off_target: bool,
    flare_since: date | None,
    due: bool,
    limit: int | None,
    targets: Sequence[tracking.Target],
    schedule: Sequence[tracking.ScheduleRule],
    only: Collection[str] | None,
) -> tuple[PatientList, bytes]:
    check_actor(actor)
    if limit is not None and limit < 1:
        raise InputError.single(("limit",), "must be at least 1", limit)
    # The revision is read first: a write committed meanwhile makes the list newer than its
    # revision, never older, so a stale list is never reused.
    revision = uow.clinic.revision(diary=flare_since is not None)
    key = (
        today,
        off_target,
        flare_since,
        due,
        limit,
        tuple(targets),
        tuple(schedule),
        None if only is None else frozenset(only),
    )
    kept = LIST_ANSWERS.get(uow, key, revision)
    if kept is None:
        listing = _build(uow, today, off_target, flare_since, due, limit, targets, schedule, only)
        kept = (listing, json_bytes(listing.to_dict()))
        LIST_ANSWERS.put(uow, key, revision, kept, 2 * len(kept[1]))
    uow.audit.append_for_patients(
        at=datetime.now(UTC),
        actor=actor,
        action="read",
        entity="patient_list",
        patient_ids=[r.patient_id for r in kept[0].rows],
    )
    return kept


def _build(
    uow: UnitOfWork,
    today: date,
    off_target: bool,
    flare_since: date | None,
    due: bool,
    limit: int | None,
    targets: Sequence[tracking.Target],
    schedule: Sequence[tracking.ScheduleRule],
    only: Collection[str] | None,
) -> PatientList:
    patients = uow.clinic.patients_with_conditions()
    if only is not None:
        patients = [(pid, c) for pid, c in patients if pid in only]
    statuses = tracking.target_statuses(uow, targets=targets, off_target_only=off_target)
    # A patient with two targets (axSpA and RA) is shown by the one most needing action.
    status: dict[str, tracking.TargetStatus] = {}
    for st in statuses:
        kept = status.get(st.patient_id)
        if kept is None or _URGENCY[st.status] > _URGENCY[kept.status]:
            status[st.patient_id] = st
    # Due questionnaires: for every patient when filtering on them, else only for those shown.
    due_of = _due(uow, patients, schedule, today, all_patients=True) if due else {}
    flares = _flares_since(uow, flare_since) if flare_since else {}
    matched = [
        (pid, conditions)
        for pid, conditions in patients
        if (not off_target or pid in status)
        and (not due or pid in due_of)
        and (not flare_since or pid in flares)
    ]
    shown_ids = matched if limit is None else matched[:limit]
    if not due:
        due_of = _due(uow, shown_ids, schedule, today, all_patients=limit is None)
    shown = tuple(
        _row(
            pid,
            conditions,
            status.get(pid),
            due_of.get(pid, []),
            flares.get(pid),
            today,
            schedule,
        )
        for pid, conditions in shown_ids
    )
    return PatientList(shown, len(matched), len(patients), today)


def _due(
    uow: Any,
    patients: Sequence[tuple[str, tuple[str, ...]]],
    schedule: Sequence[tracking.ScheduleRule],
    today: date,
    *,
    all_patients: bool,
) -> dict[str, list[str]]:
    """``{patient_id: [questionnaire, …]}`` due on ``today``: never done, or last done
    ``every_days`` ago or more (as ``tracking.due_questionnaires``), from one grouped query."""
    if not patients:
        return {}
    calculators = sorted({c for rule in schedule for c in rule.calculators})
    ids = None if all_patients else [pid for pid, _ in patients]
    last = uow.clinic.last_dates(calculators, ids)
    out: dict[str, list[str]] = {}
    for pid, conditions in patients:
        for rule in schedule:
            if rule.condition.value not in conditions:
                continue
            dates = [last[(pid, c)] for c in rule.calculators if (pid, c) in last]
            if not dates or max(dates) <= today - timedelta(days=rule.every_days):
                out.setdefault(pid, []).append(rule.questionnaire)
    return out


def _row(
    pid: str,
    conditions: tuple[str, ...],
    s: tracking.TargetStatus | None,
    due: list[str],
    flare: date | None,
    today: date,
    schedule: Sequence[tracking.ScheduleRule],
) -> PatientRow:
    stale = False
    if s is not None and s.assessed_on is not None and s.calculator is not None:
        intervals = [r.every_days for r in schedule if s.calculator in r.calculators]
        stale = bool(intervals) and s.assessed_on <= today - timedelta(days=min(intervals))
    return PatientRow(
        pid,
        conditions,
        s.target if s else None,
        s.status if s else None,
        s.calculator if s else None,
        s.score if s else None,
        s.assessed_on if s else None,
        stale,
        tuple(due),
        flare,
    )


def _flares_since(uow: Any, since: date) -> dict[str, date]:
    """Latest flare day per patient since ``since``: diary-marked, ASDAS clinically important
    worsening (as ``asdas_response`` decides) or BASDAI crossing 4 (as ``detect_flares``)."""
    out: dict[str, date] = dict(
        uow.clinic.diary_flares_since(datetime(since.year, since.month, since.day, tzinfo=UTC))
    )
    for r in uow.clinic.rising_scores_since((*_ASDAS, "basdai"), since):
        if r["calculator"] == "basdai":
            flare = r["previous"] < BASDAI_ACTIVE <= r["score"]
        else:
            result = calculate(
                "asdas_response",
                baseline={"asdas": r["previous"], "variant": r["calculator"]},
                follow_up={"asdas": r["score"], "variant": r["calculator"]},
            )
            flare = bool(result.components.get("clinically_important_worsening"))
        if flare and r["assessed_on"] > out.get(r["patient_id"], date.min):
            out[r["patient_id"]] = r["assessed_on"]
    return out
