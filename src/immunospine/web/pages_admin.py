"""The admin's page: users and care teams (add a user, put a patient in a clinician's care
team, disable or re-enable a user). The same account services as ``immunospine user``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from immunospine.errors import Conflict, InputError, NotFound
from immunospine.services import access, accounts
from immunospine.services.accounts import ROLES, Principal
from immunospine.web.forms import field_errors
from immunospine.web.session import checked_form, page_database, require_user
from immunospine.web.templating import gettext as _
from immunospine.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

USER_FIELDS = ("username", "role", "patient_id", "password")
ASSIGN_FIELDS = ("clinician_username", "patient_id")


def _admin(request: Request) -> Principal:
    who = require_user(request, "admin")
    access.require_role(who, "admin")
    return who


def _page(
    request: Request,
    who: Principal,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    form: str = "",
    status: int = 200,
) -> Response:
    users = accounts.list_users(page_database(request), actor=who.username)
    context = {
        "title": _("Users and care teams"),
        "users": users,
        "roles": ROLES,
        "values": values or {},
        "errors": errors or {},
        "failed_form": form,
        "done": request.query_params.get("done", ""),
        "min_password": accounts.MIN_PASSWORD_CHARS,
    }
    return render(request, "admin_users.html", context, status_code=status)


@router.get("/admin/users")
def users(request: Request) -> Response:
    return _page(request, _admin(request))


@router.post("/admin/users")
async def add_user(request: Request) -> Response:
    who = _admin(request)
    posted = await checked_form(request)
    role = posted.get("role", "")
    patient_id = posted.get("patient_id", "").strip() or None
    try:
        accounts.add_user(
            page_database(request),
            posted.get("username", "").strip(),
            posted.get("password", ""),
            role,
            patient_id,
            actor=who.username,
            settings=request.app.state.settings,
        )
    except (InputError, Conflict) as exc:
        kept = {k: v for k, v in posted.items() if k != "password"}
        errors = field_errors(exc, USER_FIELDS) if isinstance(exc, InputError) else {
            "username": _("is taken")
        }  # fmt: skip
        return _page(request, who, values=kept, errors=errors, form="add", status=422)
    return RedirectResponse("/admin/users?done=added", status_code=303)


@router.post("/admin/care-team")
async def assign(request: Request) -> Response:
    who = _admin(request)
    posted = await checked_form(request)
    clinician = posted.get("clinician_username", "").strip()
    patient_id = posted.get("patient_id", "").strip()
    try:
        accounts.assign(page_database(request), clinician, patient_id, actor=who.username)
    except InputError as exc:
        errors = field_errors(exc, ASSIGN_FIELDS)
        return _page(request, who, values=posted, errors=errors, form="assign", status=422)
    except NotFound as exc:
        return _page(
            request, who, values=posted, errors={"form": str(exc)}, form="assign", status=422
        )
    return RedirectResponse("/admin/users?done=assigned", status_code=303)


@router.post("/admin/users/{username}/disabled")
async def set_disabled(request: Request, username: str) -> Response:
    who = _admin(request)
    posted = await checked_form(request)
    disable = posted.get("disabled") == "true"
    if disable and username == who.username:
        return _page(
            request, who, errors={"form": _("You cannot disable your own account.")}, status=422
        )
    accounts.set_disabled(page_database(request), username, disable, actor=who.username)
    return RedirectResponse("/admin/users?done=updated", status_code=303)
