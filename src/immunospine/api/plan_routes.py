"""The programme routes (issue 12 §2): a patient's weekly plan (JSON and iCalendar), logging a
session, and what is due today.

Authorised and audited like the record routes: ``services.access`` first (a record the caller
may not see is a 404 worded as a missing one), then the same service as ``immunospine plan``
with ``actor=`` the username; the router's ``AUDITED`` dependency logs every request. Answers
are the command line's ``--json`` output (``plan show``, ``plan log``, ``plan today``); the
calendar is ``plan show --ics``. What the record does not hold (preferences, minutes per week, a
fused spine, open red flags) comes as query parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query
from fastapi.responses import JSONResponse, Response

from immunospine.api.auth import Caller
from immunospine.api.openapi import REF
from immunospine.api.record_common import (
    AUDITED,
    PREFIX,
    READ_ERRORS,
    WRITE_ERRORS,
    Body,
    Db,
    IsoDate,
    body_ref,
)
from immunospine.errors import InputError
from immunospine.services import access, plan

__all__ = ["add_plan_routes"]

_QUERY = {
    "week": "week",
    "minutes_per_week": "minutes",
    "prefer": "prefer",
    "avoid": "avoid",
    "red_flags": "red_flag",
}


def _located(exc: InputError) -> InputError:
    """The planner's fields located as this route's query parameters."""
    problems = []
    for p in exc.problems:
        name = str(p.loc[0]) if p.loc else ""
        if name in _QUERY:
            problems.append(replace(p, loc=("query", _QUERY[name], *p.loc[1:])))
        else:
            problems.append(p)
    return InputError(exc.message, tuple(problems))


def _today() -> date:
    return datetime.now().astimezone().date()


Week = Annotated[int | None, Query(description="programme week (default: the week of today)")]
Start = Annotated[IsoDate | None, Query(description="first day of week 1, YYYY-MM-DD")]
Minutes = Annotated[int | None, Query(description="minutes available per week, 10–1680")]
Sessions = Annotated[list[str] | None, Query(description="session ids (repeat the parameter)")]
Flag = Annotated[bool | None, Query()]
RedFlags = Annotated[
    list[str] | None, Query(description="open red flags, e.g. new_pain_after_fall: no plan")
]
Today = Annotated[IsoDate | None, Query(description="default: the server's date")]


def _options(**values: Any) -> plan.Options:
    return plan.Options(
        week=values["week"],
        start=values["start"],
        minutes_per_week=values["minutes"],
        prefer=tuple(values["prefer"] or ()),
        avoid=tuple(values["avoid"] or ()),
        ankylosed_spine=values["fused_spine"],
        osteoporosis=values["osteoporosis"],
        fall_risk=values["fall_risk"],
        red_flags=tuple(values["red_flag"] or ()),
    )


def add_plan_routes(app: FastAPI) -> None:
    """Register the programme routes and the session body schema (after ``install_openapi``)."""
    router = APIRouter(prefix=PREFIX, tags=["programme"], dependencies=[AUDITED])

    def built(
        db: Any, who: Any, patient_id: str, today: date | None, values: Mapping[str, Any]
    ) -> plan.PatientPlan:
        access.require_record_access(db, who, patient_id, write=False)
        try:
            return plan.plan_for(
                db,
                patient_id,
                actor=who.username,
                today=today or _today(),
                options=_options(**values),
            )
        except InputError as exc:
            raise _located(exc) from None

    @router.get("/patients/{patient_id}/plan", responses=READ_ERRORS)
    def show(
        patient_id: str,
        who: Caller,
        db: Db,
        week: Week = None,
        start: Start = None,
        minutes: Minutes = None,
        prefer: Sessions = None,
        avoid: Sessions = None,
        fused_spine: Flag = None,
        osteoporosis: Flag = None,
        fall_risk: Flag = None,
        red_flag: RedFlags = None,
        today: Today = None,
    ) -> JSONResponse:
        """The week's plan with why, safety, adherence so far (`immunospine plan show --json`);
        with a red flag open, no sessions but the red-flag advice."""
        values = dict(locals())
        result = built(db, who, patient_id, today, values)
        return JSONResponse(result.to_dict())

    @router.get(
        "/patients/{patient_id}/plan.ics",
        responses={**READ_ERRORS, 200: {"content": {"text/calendar": {}}}},
        response_class=Response,
    )
    def calendar(
        patient_id: str,
        who: Caller,
        db: Db,
        week: Week = None,
        start: Start = None,
        minutes: Minutes = None,
        prefer: Sessions = None,
        avoid: Sessions = None,
        fused_spine: Flag = None,
        osteoporosis: Flag = None,
        fall_risk: Flag = None,
        red_flag: RedFlags = None,
        today: Today = None,
    ) -> Response:
        """The week's sessions as an iCalendar file (RFC 5545), each with a 09:00 reminder, so a
        phone reminds the person (`immunospine plan show --ics FILE`)."""
        values = dict(locals())
        result = built(db, who, patient_id, today, values)
        return Response(
            plan.plan_ics(result),
            media_type="text/calendar; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="plan-week-{result.plan.week}.ics"'
            },
        )

    @router.post(
        "/patients/{patient_id}/plan/sessions",
        status_code=201,
        responses=WRITE_ERRORS,
        openapi_extra=body_ref("SessionLog"),
    )
    def log(patient_id: str, who: Caller, db: Db, body: Body) -> JSONResponse:
        """Log a programme session: `{"session", "on", "minutes"}` or `{"session", "on",
        "missed": true, "reason"}` → 201 the intervention as stored (`plan log --json`)."""
        access.require_record_access(db, who, patient_id, write=True, entity="intervention")
        stored = plan.log_session_json(db, patient_id, body, actor=who.username)
        return JSONResponse(stored, status_code=201)

    @router.get("/patients/{patient_id}/today", responses=READ_ERRORS)
    def due_today(
        patient_id: str,
        who: Caller,
        db: Db,
        start: Start = None,
        minutes: Minutes = None,
        prefer: Sessions = None,
        avoid: Sessions = None,
        fused_spine: Flag = None,
        osteoporosis: Flag = None,
        fall_risk: Flag = None,
        red_flag: RedFlags = None,
        today: Today = None,
    ) -> JSONResponse:
        """What is due today: questionnaires and the plan's sessions (`plan today --json`);
        the plan's parameters as for `/plan`."""
        values = {**locals(), "week": None}
        access.require_record_access(db, who, patient_id, write=False)
        try:
            items = plan.today_list(
                db,
                patient_id,
                actor=who.username,
                today=today or _today(),
                options=_options(**values),
            )
        except InputError as exc:
            raise _located(exc) from None
        return JSONResponse(items)

    app.include_router(router)
    previous = app.openapi

    def openapi() -> dict[str, Any]:
        doc = previous()
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault("SessionLog", plan.SessionLog.model_json_schema(ref_template=REF))
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
