"""The patient's pages: home, questionnaires, diary, medicines, sessions and the report.

A patient user reaches only their own record: the patient id comes from the account, never from
the URL, and every service call checks access again.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from immunospine.errors import InputError, NotFound
from immunospine.reports.page_charts import page_charts
from immunospine.reports.questionnaires import FORMS, SCORE_MEANINGS, form_inputs
from immunospine.services import access, previsit, self_report
from immunospine.services.accounts import Principal
from immunospine.web.forms import field_errors, local_today, typed_fields
from immunospine.web.pages_insight import today_for
from immunospine.web.report import report_response
from immunospine.web.session import checked_form, page_database, require_user
from immunospine.web.templating import gettext as _
from immunospine.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

DIARY_NUMBERS = (
    "pain_nrs",
    "morning_stiffness_min",
    "fatigue_nrs",
    "sleep_hours",
    "sleep_quality_nrs",
    "stress_nrs",
)
MEDICATION_FIELDS = ("drug", "drug_class", "dose", "dose_unit", "frequency", "started_on")
SESSION_FIELDS = ("kind", "performed_on", "activity", "duration_min", "note")


def _patient(request: Request) -> tuple[Principal, str]:
    who = require_user(request, "patient")
    if not who.patient_id:  # pragma: no cover - the accounts table forbids it
        raise NotFound("this account is not linked to a patient record")
    return who, who.patient_id


@router.get("/me")
def me(request: Request) -> Response:
    who, pid = _patient(request)
    db = page_database(request)
    access.require_record_access(db, who, pid, write=False)
    data = previsit.gather_previsit(
        db, pid, actor=who.username, today=local_today(), analysis=False, options=False
    )  # the analysis has its own page (/me/trends)
    latest = [
        {
            "calculator": s.calculator,
            "score": s.score,
            "category": s.category,
            "on": s.on,
            "meaning": SCORE_MEANINGS.get(s.calculator, ""),
            "form": s.calculator in FORMS,
        }
        for s in data.latest
    ]
    charts = page_charts(data, ("activity_chart", "diary_chart"))
    due = [d for d in data.due if d.questionnaire in FORMS]
    context = {
        "title": _("My home"),
        "data": data,
        "latest": latest,
        "due": due,
        "charts": charts,
        "forms": FORMS,
        "today": today_for(request, who, pid, [f.on for f in data.flares]),
        "saved": request.query_params.get("saved", ""),
    }
    return render(request, "me.html", context)


def _questionnaire_context(
    request: Request, name: str, values: dict[str, str], errors: dict[str, str]
) -> dict[str, Any]:
    who, pid = _patient(request)
    form = FORMS.get(name)
    if form is None:
        raise NotFound(f"questionnaire {name!r} not found; there are: {', '.join(FORMS)}")
    crp = self_report.latest_crp(page_database(request), who, pid) if form.needs_crp else None
    return {
        "title": form.title,
        "form": form,
        "values": values,
        "errors": errors,
        "crp": crp,
    }


@router.get("/me/questionnaires/{name}")
def questionnaire(request: Request, name: str) -> Response:
    return render(request, "questionnaire.html", _questionnaire_context(request, name, {}, {}))


@router.post("/me/questionnaires/{name}")
async def save_questionnaire(request: Request, name: str) -> Response:
    who, pid = _patient(request)
    posted = await checked_form(request)
    context = _questionnaire_context(request, name, posted, {})
    form = context["form"]
    inputs, missing = form_inputs(form, posted)
    errors = {f: _("Please answer this question.") for f in missing}
    if form.needs_crp:
        if context["crp"] is None:
            errors["form"] = _("ASDAS needs a CRP blood test result on your record.")
        else:
            inputs["crp_mg_l"] = context["crp"][0]
    if not errors:
        try:
            saved = self_report.save_questionnaire(
                page_database(request), who, pid, name, inputs, local_today()
            )
        except InputError as exc:
            errors = _item_errors(exc, form)
        else:
            return RedirectResponse(f"/me?saved={saved['calculator']}", status_code=303)
    context["errors"] = errors
    return render(request, "questionnaire.html", context, status_code=422)


def _item_errors(exc: InputError, form: Any) -> dict[str, str]:
    """Problems of a calculator's inputs by form field (list items are ``name.N``)."""
    out: dict[str, str] = {}
    fields = {i.field for i in form.items}
    for p in exc.problems:
        parts = [x for x in p.loc if x not in ("assessment", "inputs")]
        key = str(parts[0]) if parts else "form"
        if len(parts) > 1 and isinstance(parts[1], int):
            key = f"{key}.{parts[1] + 1}"
        out[key if key in fields else "form"] = p.msg
    return out


def _recent(data: Any, n: int = 14) -> list[Any]:
    return list(reversed(data.diary[-n:]))


@router.get("/me/diary")
def diary(request: Request) -> Response:
    return _diary_page(request, {}, {})


def _diary_page(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> Response:
    who, pid = _patient(request)
    db = page_database(request)
    today = local_today()
    data = previsit.gather_previsit(
        db,
        pid,
        actor=who.username,
        since=date.fromordinal(today.toordinal() - 30),
        today=today,
        analysis=False,
        options=False,
    )
    context = {
        "title": _("Diary"),
        "values": values,
        "errors": errors,
        "recent": _recent(data),
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "diary.html", context, status_code=status)


@router.post("/me/diary")
async def add_diary(request: Request) -> Response:
    who, pid = _patient(request)
    posted = await checked_form(request)
    fields = typed_fields(posted, numbers=DIARY_NUMBERS, texts=("note",), flags=("flare",))
    if not any(k in fields for k in DIARY_NUMBERS) and not fields.get("flare"):
        return _diary_page(
            request, posted, {"form": _("Fill in at least one answer before saving.")}, 422
        )
    try:
        self_report.add_diary_entry(page_database(request), who, pid, fields)
    except InputError as exc:
        known = (*DIARY_NUMBERS, "note", "flare")
        return _diary_page(request, posted, field_errors(exc, known), 422)
    return RedirectResponse("/me/diary?saved=1", status_code=303)


def _course_rows(request: Request, who: Principal, pid: str) -> list[Any]:
    data = previsit.gather_previsit(
        page_database(request), pid, actor=who.username, analysis=False, options=False
    )
    return list(reversed(data.medications))


@router.get("/me/medications")
def medications(request: Request) -> Response:
    who, pid = _patient(request)
    return _medications_page(request, who, pid, {}, {})


def _medications_page(
    request: Request,
    who: Principal,
    pid: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {
        "title": _("Medicines"),
        "courses": _course_rows(request, who, pid),
        "choices": self_report.CHOICES,
        "values": values,
        "errors": errors,
        "today": local_today().isoformat(),
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "medications.html", context, status_code=status)


@router.post("/me/medications")
async def add_medication(request: Request) -> Response:
    who, pid = _patient(request)
    posted = await checked_form(request)
    fields = typed_fields(
        posted,
        numbers=("dose",),
        texts=("drug", "drug_class", "dose_unit", "frequency", "started_on"),
    )
    try:
        self_report.add_medication(page_database(request), who, pid, fields)
    except InputError as exc:
        errors = field_errors(exc, MEDICATION_FIELDS)
        return _medications_page(request, who, pid, posted, errors, 422)
    return RedirectResponse("/me/medications?saved=1", status_code=303)


@router.get("/me/sessions")
def sessions(request: Request) -> Response:
    who, pid = _patient(request)
    return _sessions_page(request, who, pid, {}, {})


def _sessions_page(
    request: Request,
    who: Principal,
    pid: str,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {
        "title": _("Exercise, physiotherapy and relaxation"),
        "kinds": self_report.CHOICES["kind"],
        "values": values,
        "errors": errors,
        "today": local_today().isoformat(),
        "recent": self_report.recent_interventions(page_database(request), who, pid),
        "saved": request.query_params.get("saved") == "1",
    }
    return render(request, "sessions.html", context, status_code=status)


@router.post("/me/sessions")
async def add_session(request: Request) -> Response:
    who, pid = _patient(request)
    posted = await checked_form(request)
    fields = typed_fields(
        posted, numbers=("duration_min",), texts=("kind", "performed_on", "activity", "note")
    )
    try:
        self_report.add_intervention(page_database(request), who, pid, fields)
    except InputError as exc:
        return _sessions_page(request, who, pid, posted, field_errors(exc, SESSION_FIELDS), 422)
    return RedirectResponse("/me/sessions?saved=1", status_code=303)


@router.get("/me/report.pdf")
def my_report(request: Request) -> Response:
    who, pid = _patient(request)
    return report_response(page_database(request), who, pid)
