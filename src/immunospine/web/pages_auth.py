"""Signing in and out of the pages, and ``/`` (each role's home)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from immunospine.errors import RateLimited, Unauthorized
from immunospine.services import accounts, web_sessions
from immunospine.web.session import (
    COOKIE,
    HOMES,
    anonymous_csrf,
    checked_form,
    current_session,
    page_database,
    safe_next,
    set_session_cookie,
)
from immunospine.web.templating import gettext as _
from immunospine.web.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    session = current_session(request)
    if session is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(HOMES[session.principal.role], status_code=303)


@router.get("/login")
def login_page(request: Request, next: str = "") -> Response:  # noqa: A002 - the query name
    session = current_session(request)
    if session is not None:
        return RedirectResponse(safe_next(next, HOMES[session.principal.role]), status_code=303)
    anonymous_csrf(request)
    return render(request, "login.html", {"title": _("Sign in"), "next": next, "username": ""})


@router.post("/login")
async def login(request: Request) -> Response:
    form = await checked_form(request, before_sign_in=True)
    username = form.get("username", "").strip()
    next_path = form.get("next", "")
    db = page_database(request)
    settings = request.app.state.settings
    address = request.client.host if request.client else "unknown"
    try:
        principal = accounts.authenticate(
            db, username, form.get("password", ""), address, settings=settings
        )
    except (Unauthorized, RateLimited) as exc:
        anonymous_csrf(request)
        context = {"title": _("Sign in"), "next": next_path, "username": username}
        status = 429 if isinstance(exc, RateLimited) else 401
        return render(request, "login.html", {**context, "error": str(exc)}, status_code=status)
    web_sessions.end_session(db, request.cookies.get(COOKIE))  # one browser, one session
    token, _session = web_sessions.start_session(db, principal, settings=settings)
    answer = RedirectResponse(safe_next(next_path, HOMES[principal.role]), status_code=303)
    set_session_cookie(answer, request, token, settings.web_session_max_seconds)
    return answer


@router.post("/logout")
async def logout(request: Request) -> Response:
    await checked_form(request)
    web_sessions.end_session(page_database(request), request.cookies.get(COOKIE))
    answer = RedirectResponse("/login", status_code=303)
    answer.delete_cookie(COOKIE, path="/")
    return answer
