"""The clinician's pages: the clinic list, one patient's course, entering a visit, the report.

A clinician sees only their care team; a patient outside it is answered as one that does not
exist (404), like the API.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from immunospine.errors import InputError
from immunospine.reports.page_charts import page_charts
from immunospine.reports.questionnaires import SCORE_MEANINGS, VISIT_FORMS, visit_inputs
from immunospine.services import access, calculators, previsit, record, tracking
from immunospine.services import visit as visits
from immunospine.services.accounts import Principal
from immunospine.web.forms import field_errors, local_today, number_or_text
from immunospine.web.pages_insight import options_for
from immunospine.web.report import report_response
from immunospine.web.session import checked_form, page_database, require_user
from immunospine.web.templating import gettext as _
from immunospine.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

RECENT_FLARE_DAYS = 90
LAB_FIELDS = ("crp_mg_l", "esr_mm_h")


@router.get("/clinic")
def clinic(request: Request) -> Response:
    who = require_user(request, "clinician")
    db = page_database(request)
    today = local_today()
    rows = access.patient_list_for(db, who, today=today).rows  # the API's list, same rules
    since = today - timedelta(days=RECENT_FLARE_DAYS)
    flared = access.patient_list_for(
        db, who, today=today, flare_since=since
    ).rows  # flares the patients marked in their diary (as the API's ?flare_since=)
    context = {
        "title": _("Clinic"),
        "today": today,
        "total": len(rows),
        "off_target": [r for r in rows if r.status == "off_target"],
        "flares": sorted(flared, key=lambda r: r.last_flare_on or today, reverse=True),
        "overdue": [r for r in rows if r.due],
        "everyone": rows,
        "flare_days": RECENT_FLARE_DAYS,
    }
    return render(request, "clinic.html", context)


def _visit_dates(data: Any) -> list[date]:
    return sorted({s.on for s in data.scores if s.calculator in data.activity_calculators})


@router.get("/clinic/patients/{patient_id}")
def patient(request: Request, patient_id: str) -> Response:
    who = require_user(request, "clinician")
    db = page_database(request)
    access.require_record_access(db, who, patient_id, write=False)
    data = previsit.gather_previsit(
        db, patient_id, actor=who.username, today=local_today(), analysis=False, options=False
    )  # the analysis has its own page
    dates = _visit_dates(data)
    response, response_error = _response(request, who, patient_id, dates)
    latest = [
        {
            "calculator": s.calculator,
            "score": s.score,
            "category": s.category,
            "on": s.on,
            "meaning": SCORE_MEANINGS.get(s.calculator, ""),
        }
        for s in data.latest
    ]
    context = {
        "title": _("Patient") + f" {patient_id}",
        "data": data,
        "latest": latest,
        "charts": page_charts(data),
        "dates": dates,
        "response": response,
        "response_error": response_error,
        "recent_diary": list(reversed(data.diary[-14:])),
        "options": options_for(request, who, patient_id),
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "patient.html", context)


def _response(
    request: Request, who: Principal, patient_id: str, dates: list[date]
) -> tuple[dict[str, Any] | None, str]:
    """The response between the two chosen visits (default: the last two), or why not."""
    q = request.query_params
    try:
        base = date.fromisoformat(q["from"]) if q.get("from") else None
        follow = date.fromisoformat(q["to"]) if q.get("to") else None
    except ValueError:
        return None, _("Choose the two visits from the lists.")
    if len(dates) < 2 and base is None:
        return None, _("The response needs two visits with scores.")
    try:
        report = tracking.response_for(
            page_database(request),
            patient_id,
            actor=who.username,
            baseline_on=base,
            follow_up_on=follow,
        )
    except InputError as exc:
        return None, "; ".join(p.msg for p in exc.problems) or exc.message
    return report.to_dict(), ""


def _visit_context(
    request: Request,
    who: Principal,
    patient_id: str,
    values: dict[str, str],
    errors: dict[str, str],
    preview: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    db = page_database(request)
    access.require_record_access(db, who, patient_id, write=False)
    record_of = record.get_patient(db, patient_id, actor=who.username)
    conditions = {d.condition.value for d in record_of.diagnoses}
    suggested = ("das28_crp", "cdai") if conditions == {"rheumatoid_arthritis"} else (
        "asdas_crp", "basdai", "basfi"
    )  # fmt: skip
    return {
        "title": _("Enter a visit") + f" · {patient_id}",
        "patient_id": patient_id,
        "forms": VISIT_FORMS,
        "suggested": suggested,
        "values": values,
        "errors": errors,
        "preview": preview or {},
        "result": result,
        "today": local_today().isoformat(),
    }


@router.get("/clinic/patients/{patient_id}/visit")
def visit_form(request: Request, patient_id: str) -> Response:
    who = require_user(request, "clinician")
    return render(request, "visit.html", _visit_context(request, who, patient_id, {}, {}))


@router.post("/clinic/patients/{patient_id}/visit")
async def visit_save(request: Request, patient_id: str) -> Response:
    who = require_user(request, "clinician")
    posted = await checked_form(request)
    labs = {k: number_or_text(posted[k].strip()) for k in LAB_FIELDS if posted.get(k, "").strip()}
    filled, missing = visit_inputs(posted)
    errors: dict[str, str] = {}
    for names in missing.values():
        errors.update({n: _("Please fill this in (or clear the whole instrument).") for n in names})
    if not filled and not labs:
        errors["form"] = _("Enter at least one lab value or instrument.")
    preview = _preview(filled, labs)
    for name, outcome in preview.items():
        if "error" in outcome and not any(k.startswith(f"{name}.") for k in errors):
            errors[f"{name}.form"] = outcome["error"]
    if posted.get("action") != "save" or errors:
        status = 422 if errors and posted.get("action") == "save" else 200
        context = _visit_context(request, who, patient_id, posted, errors, preview)
        return render(request, "visit.html", context, status_code=status)
    on = posted.get("on", "").strip() or local_today().isoformat()
    db = page_database(request)
    access.require_record_access(db, who, patient_id, write=True, entity="visit")
    try:
        stored = visits.record_visit(
            db, patient_id, None, {"on": on, "labs": labs, "assessments": filled},
            actor=who.username,
        )  # fmt: skip
    except InputError as exc:
        known = (*LAB_FIELDS, "on", *(f"{n}.{i.field}" for n, f in VISIT_FORMS.items()
                                      for i in f.items))  # fmt: skip
        errors = _visit_errors(exc, known)
        context = _visit_context(request, who, patient_id, posted, errors, preview)
        return render(request, "visit.html", context, status_code=422)
    context = _visit_context(request, who, patient_id, {}, {}, result=stored.to_dict())
    return render(request, "visit_saved.html", context)


def _visit_errors(exc: InputError, known: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in exc.problems:
        loc = [str(x) for x in p.loc]
        if loc[:1] == ["assessments"] and len(loc) >= 3:
            key = f"{loc[1]}.{loc[2]}"
        elif loc[:1] == ["labs"] and len(loc) >= 2:
            key = loc[1]
        else:
            key = loc[-1] if loc else "form"
        out[key if key in known else "form"] = p.msg
    return out or field_errors(exc)


def _preview(filled: dict[str, dict[str, Any]], labs: dict[str, Any]) -> dict[str, Any]:
    """Each filled instrument's score before saving (the calculator of ``immunospine calc``)."""
    out: dict[str, Any] = {}
    for name, inputs in filled.items():
        given = dict(inputs)
        if VISIT_FORMS[name].needs_crp:
            if "crp_mg_l" not in labs:
                out[name] = {"error": _("needs CRP: enter it once in the labs above")}
                continue
            given["crp_mg_l"] = labs["crp_mg_l"]
        try:
            result = calculators.score_json(name, json.dumps(given))
        except InputError as exc:
            out[name] = {"error": "; ".join(f"{p.field}: {p.msg}" for p in exc.problems)}
        else:
            out[name] = {"score": result.score, "category": result.category}
    return out


@router.get("/clinic/patients/{patient_id}/report.pdf")
def patient_report(request: Request, patient_id: str) -> Response:
    who = require_user(request, "clinician")
    return report_response(page_database(request), who, patient_id)


@router.get("/clinic/patients")
def patients_index(request: Request) -> Response:
    require_user(request, "clinician")
    return RedirectResponse("/clinic", status_code=303)
