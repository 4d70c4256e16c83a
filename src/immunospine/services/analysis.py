"""Use-cases behind ``immunospine analyze patient|cohort`` and the analysis API route.

The record is read through the audited readers (``record.timeline``: one audit entry per
patient read), turned into series (``analysis.series``) and analysed (``analysis.person``,
``analysis.cohort``). Results are JSON-ready values with the names of issue 11; numbers that
could not be computed are ``None`` (never NaN), and every result carries the not-a-diagnosis
note. Errors name the parameters (``max_lag``, ``since``, ``condition``), never a flag.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from immunospine.errors import InputError
from immunospine.reports.wording import NOT_A_DIAGNOSIS
from immunospine.services import access, record
from immunospine.services.accounts import Principal
from immunospine.storage.uow import Database

__all__ = [
    "MAX_LAG_LIMIT",
    "analyze_cohort",
    "analyze_patient",
    "analyze_patient_for",
    "finite",
]

MAX_LAG_LIMIT = 14
"""The longest lag asked for (days)."""


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by ``None`` (JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def _check(max_lag: int, since: date | None) -> None:
    if (
        isinstance(max_lag, bool)
        or not isinstance(max_lag, int)
        or not 0 <= max_lag <= MAX_LAG_LIMIT
    ):
        raise InputError.single(
            ("max_lag",), f"must be a whole number of days from 0 to {MAX_LAG_LIMIT}", max_lag
        )
    if since is not None and not isinstance(since, date):
        raise InputError.single(("since",), "must be a date as YYYY-MM-DD", str(since))


def analyze_patient(
    db: Database,
    patient_id: str,
    *,
    actor: str,
    since: date | None = None,
    max_lag: int = 3,
) -> dict[str, Any]:
    """The single-person analysis of ``patient_id`` from ``since`` on (``NotFound`` if there is
    no such patient). Medication courses started before ``since`` still count as events."""
    from immunospine.analysis.person import analyze_person
    from immunospine.analysis.series import patient_data

    _check(max_lag, since)
    timeline = record.timeline(db, patient_id, actor=actor)
    data = patient_data(timeline, since=since)
    result = analyze_person(data, max_lag=max_lag, since=since)
    result["disclaimer"] = NOT_A_DIAGNOSIS
    return finite(result)  # type: ignore[no-any-return]


def analyze_patient_for(
    db: Database,
    principal: Principal,
    patient_id: str,
    *,
    since: date | None = None,
    max_lag: int = 3,
) -> dict[str, Any]:
    """``analyze_patient`` for a signed-in user: the access rule first, then the audited read."""
    access.require_record_access(db, principal, patient_id, write=False)
    return analyze_patient(db, patient_id, actor=principal.username, since=since, max_lag=max_lag)


def _cohort_ids(db: Database, condition: str | None) -> list[str]:
    if condition is not None and condition not in record.CONDITIONS:
        raise InputError.single(
            ("condition",), f"must be one of: {', '.join(record.CONDITIONS)}", condition
        )
    with db.transaction() as uow:
        rows = uow.clinic.patients_with_conditions()
    return [pid for pid, conditions in rows if condition is None or condition in conditions]


def analyze_cohort(
    db: Database,
    *,
    actor: str,
    condition: str | None = None,
    waves: int = 4,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The cohort analysis over every patient (with ``condition`` among their diagnoses, if
    given): within/between-person effects and the RI-CLPM over the last ``waves`` visits."""
    from immunospine.analysis.cohort import CohortData, cohort_result
    from immunospine.analysis.series import PatientData, patient_data

    record.check_actor(actor)
    if isinstance(waves, bool) or not isinstance(waves, int) or not 3 <= waves <= 12:
        raise InputError.single(("waves",), "must be a whole number from 3 to 12", waves)
    ids = _cohort_ids(db, condition)

    def patients() -> Iterator[PatientData]:
        for done, pid in enumerate(ids, 1):
            yield patient_data(record.timeline(db, pid, actor=actor))
            if on_progress:
                on_progress(done, len(ids))

    data = CohortData(waves=waves)
    for p in patients():
        data.add(p)
    result = cohort_result(data)
    result["condition"] = condition
    result["disclaimer"] = NOT_A_DIAGNOSIS
    return finite(result)  # type: ignore[no-any-return]
