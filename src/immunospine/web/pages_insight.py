"""Understand and Treat on the pages: what moved with the pain (the single-person analysis),
the options guidelines offer, and the week's programme.

The analysis takes about a second for years of diary, so it has pages of its own
(``/me/trends``, ``/clinic/patients/{id}/analysis``) rather than slowing the home pages.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from immunospine.errors import InputError
from immunospine.reports.page_charts import analysis_chart
from immunospine.services import access, analysis
from immunospine.services.accounts import Principal
from immunospine.web.forms import local_today
from immunospine.web.session import page_database, require_user
from immunospine.web.templating import gettext as _
from immunospine.web.templating import render

__all__ = ["options_for", "router", "today_for"]

router = APIRouter(include_in_schema=False)


def _analysis_context(request: Request, who: Principal, patient_id: str) -> dict[str, Any]:
    db = page_database(request)
    result = analysis.analyze_patient_for(db, who, patient_id)
    return {
        "analysis": result,
        "chart": analysis_chart(result),
        "patient_id": patient_id,
    }


@router.get("/me/trends")
def my_trends(request: Request) -> Response:
    who = require_user(request, "patient")
    context = _analysis_context(request, who, who.patient_id or "")
    return render(request, "trends.html", {"title": _("What moved with my pain"), **context})


@router.get("/clinic/patients/{patient_id}/analysis")
def patient_analysis(request: Request, patient_id: str) -> Response:
    who = require_user(request, "clinician")
    context = _analysis_context(request, who, patient_id)
    title = _("What moved with the pain") + f" · {patient_id}"
    return render(request, "trends.html", {"title": title, "technical": True, **context})


def options_for(request: Request, who: Principal, patient_id: str) -> dict[str, Any] | None:
    """The treatment options read from the record, as JSON-ready values (``None`` when the
    record does not hold enough to place the patient on a pathway: the reason is logged)."""
    from immunospine.services import treatment

    db = page_database(request)
    access.require_record_access(db, who, patient_id, write=False)
    try:
        answer = treatment.options_for_patient(db, who.username, patient_id, today=local_today())
    except InputError:
        return None
    found: dict[str, Any] = answer.to_dict()
    return found


def today_for(
    request: Request, who: Principal, patient_id: str, flare_dates: list[date] | None = None
) -> list[dict[str, Any]]:
    """What is due today for the patient: questionnaires and the programme's sessions
    (``flare_dates``: the flares the page has already found in its read of the record)."""
    from immunospine.services import plan

    db = page_database(request)
    access.require_record_access(db, who, patient_id, write=False)
    try:
        return plan.today_list(
            db, patient_id, actor=who.username, today=local_today(), flare_dates=flare_dates
        )
    except InputError:
        return []
