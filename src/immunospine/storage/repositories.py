"""Repositories: convert ``*Row`` ↔ records and run the queries the services need.

Repositories never commit: the ``UnitOfWork`` owns the transaction. Reads return validated,
frozen records; clinic-wide questions (treat-to-target, due questionnaires) are answered in SQL
so their cost does not grow with a Python loop over patients.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum
from functools import cache
from typing import Any, TypeVar, cast

from pydantic import TypeAdapter
from sqlalchemy import (
    Select,
    String,
    Table,
    and_,
    bindparam,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from immunospine.records import (
    Assessment,
    AuditEntry,
    Diagnosis,
    DiaryEntry,
    EntryRecord,
    ImagingFinding,
    Intervention,
    LabResult,
    MedicationCourse,
    Patient,
    StopReason,
    latest_allowed_date,
)
from immunospine.storage.tables import (
    AssessmentRow,
    AuditRow,
    Base,
    CareTeamRow,
    DiagnosisRow,
    DiaryEntryRow,
    ImagingFindingRow,
    InterventionRow,
    LabResultRow,
    MedicationCourseRow,
    PatientRow,
    UserRow,
)

__all__ = ["ROW_OF", "AuditRepo", "ClinicQueries", "PatientRepo", "RecordRepo"]

R = TypeVar("R", bound=EntryRecord)

ROW_OF: dict[type[Any], type[Base]] = {
    Assessment: AssessmentRow,
    LabResult: LabResultRow,
    ImagingFinding: ImagingFindingRow,
    MedicationCourse: MedicationCourseRow,
    Intervention: InterventionRow,
    DiaryEntry: DiaryEntryRow,
}
"""The table that stores each entry record type."""

DATE_COLUMN: dict[type[Any], str] = {
    Assessment: "assessed_on",
    LabResult: "collected_on",
    ImagingFinding: "performed_on",
    MedicationCourse: "started_on",
    Intervention: "performed_on",
    DiaryEntry: "recorded_at",
}


def _audit_table() -> Table:
    return cast(Table, AuditRow.__table__)


def _table(cls: type[Any]) -> Table:
    return cast(Table, ROW_OF[cls].__table__)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def row_values(record: EntryRecord) -> dict[str, Any]:
    """The column values of ``record`` (without ``id``)."""
    data = dict(record.__dict__)
    del data["id"]
    if isinstance(record, DiaryEntry):  # the bulk path: no enums to convert
        offset = record.recorded_at.utcoffset() or timedelta(0)
        data["utc_offset_min"] = int(offset.total_seconds() // 60)
        return data
    return {k: _plain(v) for k, v in data.items()}


def _record_data(cls: type[Any], row: Mapping[Any, Any]) -> dict[str, Any]:
    data = dict(row)
    if cls is DiaryEntry:
        data["recorded_at"] = data["recorded_at"].astimezone(_zone(data.pop("utc_offset_min")))
    return data


@cache
def _zone(offset_min: int) -> timezone:
    return timezone(timedelta(minutes=offset_min))


def to_record(cls: type[R], row: Mapping[Any, Any]) -> R:
    """The record of ``cls`` stored in ``row`` (a column → value mapping), re-validated."""
    return cast(R, cls.model_validate(_record_data(cls, row)))


_ADAPTERS: dict[type[Any], TypeAdapter[list[Any]]] = {
    cls: TypeAdapter(list[cls])  # type: ignore[valid-type]
    for cls in ROW_OF
}


def to_records(cls: type[R], rows: Sequence[Mapping[Any, Any]]) -> list[R]:
    """Many rows at once: one validation call for the whole list (the timeline's hot path)."""
    return _validated(cls, [_record_data(cls, r) for r in rows])


def _validated(cls: type[R], data: list[dict[str, Any]]) -> list[R]:
    # One "now" for the whole batch (the future-date check otherwise reads the clock per row).
    context = {"latest_allowed_date": latest_allowed_date()}
    return cast(list[R], _ADAPTERS[cls].validate_python(data, context=context))


def _tuples_to_records(cls: type[R], keys: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[R]:
    """``to_records`` from plain row tuples and their column names (no mapping per row)."""
    if cls is not DiaryEntry:
        return _validated(cls, [dict(zip(keys, row, strict=True)) for row in rows])
    data = []
    for row in rows:
        d = dict(zip(keys, row, strict=True))
        d["recorded_at"] = d["recorded_at"].astimezone(_zone(d.pop("utc_offset_min")))
        data.append(d)
    return _validated(cls, data)


class PatientRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, patient: Patient) -> None:
        self.session.execute(
            insert(PatientRow),
            [
                {
                    "patient_id": patient.patient_id,
                    "year_of_birth": patient.year_of_birth,
                    "sex": patient.sex.value,
                }
            ],
        )
        if patient.diagnoses:
            self.session.execute(
                insert(DiagnosisRow),
                [
                    {
                        "patient_id": patient.patient_id,
                        "condition": d.condition.value,
                        "diagnosed_on": d.diagnosed_on,
                        "criteria_met": list(d.criteria_met),
                        "note": d.note,
                    }
                    for d in patient.diagnoses
                ],
            )

    def add_diagnosis(self, patient_id: str, diagnosis: Diagnosis) -> None:
        self.session.execute(
            insert(DiagnosisRow),
            [
                {
                    "patient_id": patient_id,
                    "condition": diagnosis.condition.value,
                    "diagnosed_on": diagnosis.diagnosed_on,
                    "criteria_met": list(diagnosis.criteria_met),
                    "note": diagnosis.note,
                }
            ],
        )

    def get(self, patient_id: str) -> Patient | None:
        row = (
            self.session.execute(
                select(PatientRow.__table__).where(PatientRow.patient_id == patient_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        dx = self.session.execute(
            select(
                DiagnosisRow.condition,
                DiagnosisRow.diagnosed_on,
                DiagnosisRow.criteria_met,
                DiagnosisRow.note,
            )
            .where(DiagnosisRow.patient_id == patient_id)
            .order_by(DiagnosisRow.diagnosed_on, DiagnosisRow.id)
        ).mappings()
        return Patient.model_validate({**row, "diagnoses": [dict(d) for d in dx]})

    def birth_years(self, patient_ids: Iterable[str]) -> dict[str, int]:
        """``{patient_id: year_of_birth}`` for those of ``patient_ids`` that exist."""
        ids = sorted(set(patient_ids))
        out: dict[str, int] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = self.session.execute(
                select(PatientRow.patient_id, PatientRow.year_of_birth).where(
                    PatientRow.patient_id.in_(chunk)
                )
            )
            out.update({pid: year for pid, year in rows})
        return out

    def ids(self) -> list[str]:
        return list(
            self.session.scalars(select(PatientRow.patient_id).order_by(PatientRow.patient_id))
        )


class RecordRepo:
    """Entry records of every kind (assessments, labs, imaging, treatment, diary)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: R) -> R:
        """Insert ``record``; returns it with its new ``id``."""
        table = _table(type(record))
        new_id = self.session.execute(
            insert(table).values(row_values(record)).returning(table.c.id)
        ).scalar_one()
        return cast(R, record.model_copy(update={"id": new_id}))

    def add_many(self, records: Sequence[EntryRecord]) -> int:
        """Insert records of one type with an executemany; returns how many."""
        if not records:
            return 0
        table = _table(type(records[0]))
        self.session.execute(insert(table), [row_values(r) for r in records])
        return len(records)

    def add_rows(self, cls: type[EntryRecord], rows: Sequence[dict[str, Any]]) -> int:
        """Insert already-converted column dicts (the bulk path); returns how many."""
        if rows:
            self.session.execute(insert(_table(cls)), rows)
        return len(rows)

    def get(self, cls: type[R], record_id: int) -> R | None:
        table = _table(cls)
        row = self.session.execute(select(table).where(table.c.id == record_id)).mappings().first()
        return None if row is None else to_record(cls, row)

    def of_patient(
        self,
        cls: type[R],
        patient_id: str,
        *,
        since: date | None = None,
        until: date | None = None,
    ) -> list[R]:
        """Records of ``cls`` for a patient, oldest first (index: patient_id + date)."""
        table = _table(cls)
        when = table.c[DATE_COLUMN[cls]]
        stmt: Select[Any] = select(table).where(table.c.patient_id == patient_id)
        if since is not None:
            stmt = stmt.where(when >= _bound(cls, since))
        if until is not None:
            stmt = stmt.where(when < _bound(cls, until + timedelta(days=1)))
        stmt = stmt.order_by(when, table.c.id)
        result = self.session.execute(stmt)
        return _tuples_to_records(cls, list(result.keys()), result.all())

    def revision(self, patient_id: str) -> tuple[Any, ...]:
        """A value that changes whenever the patient's record changes (for answer caches).

        Records and diagnoses are only ever inserted (ids grow), so a count and the highest id
        per table mark their state; the one update, stopping a medication course, is caught by
        the courses' stop fields, which are part of the value. Patients are never changed.
        """
        counts, stops = _revision_statements()
        conn = self.session.connection()
        found = tuple(tuple(r) for r in conn.execute(counts, {"pid": patient_id}).all())
        stopped = tuple(tuple(r) for r in conn.execute(stops, {"pid": patient_id}).all())
        return (*found, stopped)

    def stop_medication(self, course_id: int, stopped_on: date, reason: StopReason | None) -> None:
        self.session.execute(
            update(MedicationCourseRow)
            .where(MedicationCourseRow.id == course_id)
            .values(stopped_on=stopped_on, stop_reason=_plain(reason))
        )

    def count(self, cls: type[EntryRecord], patient_id: str | None = None) -> int:
        table = _table(cls)
        stmt = select(func.count()).select_from(table)
        if patient_id is not None:
            stmt = stmt.where(table.c.patient_id == patient_id)
        return int(self.session.execute(stmt).scalar_one())


@cache
def _revision_statements() -> tuple[Any, Any]:
    """``RecordRepo.revision``'s two statements, built once (parameter ``pid``)."""
    pid = bindparam("pid", type_=String())
    parts = [
        select(literal(cls.RECORD), func.count(), func.max(_table(cls).c.id)).where(
            _table(cls).c.patient_id == pid
        )
        for cls in ROW_OF
    ]
    parts.append(
        select(literal("diagnosis"), func.count(), func.max(DiagnosisRow.id)).where(
            DiagnosisRow.patient_id == pid
        )
    )
    m = MedicationCourseRow
    stops = (
        select(m.id, m.stopped_on, m.stop_reason)
        .where(m.patient_id == pid, m.stopped_on.is_not(None))
        .order_by(m.id)
    )
    return union_all(*parts), stops


@cache
def _clinic_revision_statement(dialect: str, diary: bool) -> Any:
    """``ClinicQueries.revision``'s statement, built once."""
    tables = [AssessmentRow.__table__, DiagnosisRow.__table__]
    if diary:
        tables.append(DiaryEntryRow.__table__)
    parts = [
        select(func.count()).select_from(PatientRow.__table__).scalar_subquery(),
        *(
            (
                select(func.max(t.c.id))
                if dialect == "sqlite"
                else select(func.count()).select_from(t)
            ).scalar_subquery()
            for t in tables
        ),
    ]
    return select(*parts)


@cache
def _in_care_team_statement() -> Any:
    ct, u = CareTeamRow.__table__, UserRow.__table__
    return (
        select(ct.c.id)
        .join(u, u.c.id == ct.c.clinician_id)
        .where(
            u.c.username == bindparam("username", type_=String()),
            ct.c.patient_id == bindparam("patient_id", type_=String()),
        )
    )


@cache
def _care_team_statement(dialect: str) -> tuple[Any, bool]:
    """``ClinicQueries.care_team_of``'s statement (parameter ``username``), built once, and
    whether it answers with one comma-joined text."""
    ct, u = CareTeamRow.__table__, UserRow.__table__
    team = select(ct.c.patient_id).join(u, u.c.id == ct.c.clinician_id)
    team = team.where(u.c.username == bindparam("username", type_=String()))
    joined = {"sqlite": func.group_concat, "postgresql": func.string_agg}.get(dialect)
    if joined is None:
        return team, False
    return select(joined(team.subquery().c.patient_id, literal(","))), True


def _bound(cls: type[Any], day: date) -> date | datetime:
    # Diary timestamps are stored in UTC; a day bound is taken at UTC midnight.
    if cls is DiaryEntry:
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return day


MANY_PATIENTS = "patients: "
"""``detail`` of a stored read of many patients: this prefix, then their ids as a JSON array."""
_ID_TEXT = re.compile(r"[A-Za-z0-9_.\-]{1,64}")


class AuditRepo:
    """Append and query the audit log; there is deliberately no update or delete.

    A read of many patients at once (a clinic list) is stored as ONE row naming them all
    (``patient_id`` empty, ``detail`` = ``MANY_PATIENTS`` + a JSON array of ids): hundreds of
    rows per list, each updating the log's patient index in a different place, made the write
    cost more than the list. ``query`` gives such a row back as one entry per patient, exactly
    as if each had its own row (same ``id``), so readers of the log see every patient read.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, entries: Sequence[AuditEntry]) -> None:
        if entries:  # Core insert: the ORM's bulk path costs more than the row (one per read)
            rows = [e.model_dump(exclude={"id"}) for e in entries]
            self.session.connection().execute(insert(_audit_table()), rows)

    def append_for_patients(
        self,
        *,
        at: datetime,
        actor: str,
        action: str,
        entity: str,
        patient_ids: Iterable[str],
    ) -> None:
        """The same entry for many patients (a clinic-wide read), as one row (class docstring)."""
        ids = list(patient_ids)
        if not ids:
            return
        row = {"at": at, "actor": actor, "action": action, "entity": entity}
        if len(ids) == 1:
            row |= {"patient_id": ids[0], "detail": None}
        else:
            row |= {"patient_id": None, "detail": MANY_PATIENTS + json.dumps(ids)}
        self.session.connection().execute(insert(_audit_table()), [row])

    def query(
        self,
        *,
        patient_id: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = None,
    ) -> list[AuditEntry]:
        """Entries matching every given filter, oldest first (``until`` is exclusive)."""
        t = _audit_table()
        stmt = select(t)
        if patient_id is not None:
            stmt = stmt.where(self._about(patient_id))
        if actor is not None:
            stmt = stmt.where(t.c.actor == actor)
        if since is not None:
            stmt = stmt.where(t.c.at >= since)
        if until is not None:
            stmt = stmt.where(t.c.at < until)
        stmt = stmt.order_by(t.c.at, t.c.id)
        if limit is not None:
            stmt = stmt.limit(limit)
        out: list[AuditEntry] = []
        for r in self.session.execute(stmt).mappings():
            out.extend(_entries(dict(r), patient_id))
        return out if limit is None else out[:limit]

    def _about(self, patient_id: str) -> Any:
        """Rows about ``patient_id``: its own, and reads of many patients naming it."""
        t = _audit_table()
        own = t.c.patient_id == patient_id
        if not _ID_TEXT.fullmatch(patient_id):  # not a patient id: in no list of ids
            return own
        quoted = json.dumps(patient_id)
        dialect = self.session.get_bind().dialect.name
        if dialect == "sqlite":  # instr, unlike LIKE, tells upper from lower case
            named = func.instr(t.c.detail, quoted) > 0
        elif dialect == "postgresql":
            named = func.strpos(t.c.detail, quoted) > 0
        else:
            named = t.c.detail.contains(quoted, autoescape=True)
        many = and_(t.c.patient_id.is_(None), t.c.detail.startswith(MANY_PATIENTS), named)
        return or_(own, many)


def _entries(row: dict[str, Any], patient_id: str | None) -> list[AuditEntry]:
    """The entries of one stored row: a read of many patients gives one per patient (only
    ``patient_id``'s when the query asks for one patient)."""
    detail = row["detail"]
    if row["patient_id"] is not None or not detail or not detail.startswith(MANY_PATIENTS):
        return [AuditEntry.model_validate(row)]
    ids: list[str] = json.loads(detail[len(MANY_PATIENTS) :])
    if patient_id is not None:
        ids = [pid for pid in ids if pid == patient_id]
    return [AuditEntry.model_validate({**row, "patient_id": pid, "detail": None}) for pid in ids]


class ClinicQueries:
    """Clinic-wide questions answered in one SQL statement each."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def latest_scores(
        self,
        condition: str,
        calculators: Sequence[str],
        target_below: float,
        *,
        off_target_only: bool = False,
        patient_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Per patient with ``condition``: latest score among ``calculators`` and its status.

        ``status`` is ``on_target`` (score < ``target_below``), ``off_target`` or ``no_data``.
        Latest = most recent ``assessed_on``, then highest id.
        """
        dx = self._patients_with(condition, patient_id)
        a = AssessmentRow.__table__.alias("a")
        # The latest relevant assessment per patient, as a correlated lookup that walks the
        # (patient_id, assessed_on) index backwards: one short index probe per patient.
        latest_id = (
            select(a.c.id)
            .where(
                a.c.patient_id == dx.c.patient_id,
                a.c.calculator.in_(list(calculators)),
                a.c.score.is_not(None),
            )
            .order_by(a.c.assessed_on.desc(), a.c.id.desc())
            .limit(1)
            .correlate(dx)
            .scalar_subquery()
        )
        t = AssessmentRow.__table__
        status = case(
            (t.c.score.is_(None), literal("no_data")),
            (t.c.score < target_below, literal("on_target")),
            else_=literal("off_target"),
        ).label("status")
        stmt = (
            select(dx.c.patient_id, t.c.calculator, t.c.assessed_on, t.c.score, status)
            .select_from(dx.outerjoin(t, t.c.id == latest_id))
            .order_by(dx.c.patient_id)
        )
        if off_target_only:
            stmt = stmt.where(t.c.score >= target_below)
        return [dict(r) for r in self.session.execute(stmt).mappings()]

    def revision(self, *, diary: bool = False) -> tuple[Any, ...]:
        """A value that changes whenever the clinic's patients, diagnoses or assessments (and
        with ``diary``, diary entries) change, for answer caches of clinic-wide questions.

        These tables are only ever inserted into, so the number of rows marks their state. On
        SQLite, where writers commit one at a time and a new row's id is above every other,
        the highest id does the same without counting the rows; on PostgreSQL ids are taken
        before commit, out of order, so the rows are counted.
        """
        statement = _clinic_revision_statement(self.session.get_bind().dialect.name, diary)
        return tuple(self.session.connection().execute(statement).one())

    def care_team_of(self, username: str) -> list[str]:
        """The patient ids in the care team of the user ``username`` (none for another role
        or an unknown user), sorted. One joined query; on SQLite and PostgreSQL the ids come
        back as one comma-joined text (ids cannot hold a comma), not a row each."""
        statement, joined = _care_team_statement(self.session.get_bind().dialect.name)
        result = self.session.connection().execute(statement, {"username": username})
        if not joined:
            return sorted(result.scalars().all())
        text = result.scalar_one()
        return sorted(text.split(",")) if text else []

    def in_care_team(self, username: str, patient_id: str) -> bool:
        """Whether ``patient_id`` is in the care team of the user ``username``."""
        found = self.session.connection().execute(
            _in_care_team_statement(), {"username": username, "patient_id": patient_id}
        )
        return found.first() is not None

    def patients_with_conditions(self) -> list[tuple[str, tuple[str, ...]]]:
        """Every patient (by id) with the conditions of their diagnoses, in diagnosis order."""
        conditions: dict[str, list[str]] = {}
        dx = select(DiagnosisRow.patient_id, DiagnosisRow.condition).order_by(
            DiagnosisRow.patient_id, DiagnosisRow.diagnosed_on, DiagnosisRow.id
        )
        for pid, condition in self.session.execute(dx):
            if condition not in conditions.setdefault(pid, []):
                conditions[pid].append(condition)
        ids = self.session.scalars(select(PatientRow.patient_id).order_by(PatientRow.patient_id))
        return [(pid, tuple(conditions.get(pid, ()))) for pid in ids]

    def last_dates(
        self, calculators: Sequence[str], patient_ids: Sequence[str] | None = None
    ) -> dict[tuple[str, str], date]:
        """``{(patient_id, calculator): last assessed_on}``, one grouped scan of the
        ``(calculator, patient_id, assessed_on)`` index."""
        a = AssessmentRow.__table__
        stmt = (
            select(a.c.patient_id, a.c.calculator, func.max(a.c.assessed_on))
            .where(a.c.calculator.in_(list(calculators)))
            .group_by(a.c.patient_id, a.c.calculator)
        )
        if patient_ids is not None:
            stmt = stmt.where(a.c.patient_id.in_(list(patient_ids)))
        return {(pid, calc): on for pid, calc, on in self.session.execute(stmt)}

    def diary_flares_since(self, since: datetime) -> dict[str, date]:
        """``{patient_id: latest flare day}`` of diary entries marked as a flare at/after since."""
        d = DiaryEntryRow.__table__
        stmt = (
            select(d.c.patient_id, func.max(d.c.recorded_at))
            .where(d.c.flare.is_(True), d.c.recorded_at >= since)
            .group_by(d.c.patient_id)
        )
        return {pid: at.date() for pid, at in self.session.execute(stmt)}

    def rising_scores_since(self, calculators: Sequence[str], since: date) -> list[dict[str, Any]]:
        """Consecutive pairs of one calculator's scores per patient where the later one, on or
        after ``since``, is higher: ``patient_id, calculator, assessed_on, score, previous``."""
        a = AssessmentRow.__table__
        previous = (
            func.lag(a.c.score)
            .over(partition_by=(a.c.patient_id, a.c.calculator), order_by=(a.c.assessed_on, a.c.id))
            .label("previous")
        )
        inner = (
            select(a.c.patient_id, a.c.calculator, a.c.assessed_on, a.c.score, previous)
            .where(a.c.calculator.in_(list(calculators)), a.c.score.is_not(None))
            .subquery("pairs")
        )
        stmt = select(inner).where(
            inner.c.assessed_on >= since,
            inner.c.previous.is_not(None),
            inner.c.score > inner.c.previous,
        )
        return [dict(r) for r in self.session.execute(stmt).mappings()]

    def _patients_with(self, condition: str, patient_id: str | None) -> Any:
        dx = select(DiagnosisRow.patient_id).where(DiagnosisRow.condition == condition)
        if patient_id is not None:
            dx = dx.where(DiagnosisRow.patient_id == patient_id)
        return dx.distinct().subquery("dx")

    def last_assessed(
        self,
        condition: str,
        calculators: Sequence[str],
        *,
        due_if_before_or_on: date | None = None,
        patient_id: str | None = None,
    ) -> list[dict[str, Any]]:
        """Per patient with ``condition``: the last date any of ``calculators`` was assessed.

        With ``due_if_before_or_on``, only patients never assessed or last assessed on or before
        that date (that is, due) are returned.
        """
        dx = self._patients_with(condition, patient_id)
        a = AssessmentRow.__table__
        last_on = (
            select(func.max(a.c.assessed_on))
            .where(a.c.patient_id == dx.c.patient_id, a.c.calculator.in_(list(calculators)))
            .correlate(dx)
            .scalar_subquery()
        )
        inner = select(dx.c.patient_id, last_on.label("last_on")).subquery("last")
        stmt = select(inner.c.patient_id, inner.c.last_on).order_by(inner.c.patient_id)
        if due_if_before_or_on is not None:
            stmt = stmt.where(
                or_(inner.c.last_on.is_(None), inner.c.last_on <= due_if_before_or_on)
            )
        return [dict(r) for r in self.session.execute(stmt).mappings()]
