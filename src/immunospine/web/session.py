"""Who is signed in on a page, and the CSRF check of every form (web-contract.md).

The session cookie (``immunospine_session``) is HttpOnly, SameSite=Lax, Path=/, and Secure when
the page is served over HTTPS; it holds a random token whose hash the database keeps
(``services.web_sessions``). Every state-changing form carries a hidden ``csrf_token``: a signed-in
user's is their session's; before signing in (``/login``, ``/check``) it is a random value also
set in the ``immunospine_csrf`` cookie (double submit), so another site cannot post a form as
this browser.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from immunospine.errors import Forbidden
from immunospine.services import database
from immunospine.services.accounts import Principal, Role
from immunospine.services.record_entries import Database
from immunospine.services.web_sessions import WebSession, csrf_matches, session_of

__all__ = [
    "ANON_CSRF_COOKIE",
    "COOKIE",
    "CsrfRefused",
    "SignInRequired",
    "checked_form",
    "current_session",
    "page_database",
    "require_user",
    "safe_next",
    "set_session_cookie",
]

COOKIE = "immunospine_session"
ANON_CSRF_COOKIE = "immunospine_csrf"
CSRF_FIELD = "csrf_token"
HOMES: dict[str, str] = {"patient": "/me", "clinician": "/clinic", "admin": "/admin/users"}


class SignInRequired(Exception):
    """The page needs a signed-in user: the handler sends the browser to ``/login?next=…``."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfRefused(Exception):
    """A form arrived without this browser's CSRF token (answered 403, nothing is saved)."""


def page_database(request: Request) -> Database:
    """The application's patient database (shared with the HTTP API)."""
    return database.shared_database(request.app.state)


def current_session(request: Request) -> WebSession | None:
    """The live session of this request's cookie, looked up once per request."""
    if not hasattr(request.state, "web_session"):
        token = request.cookies.get(COOKIE)
        found = (
            session_of(page_database(request), token, settings=request.app.state.settings)
            if token
            else None
        )
        request.state.web_session = found
        if found is not None:
            request.state.csrf_token = found.csrf_token
    session: WebSession | None = request.state.web_session
    return session


def require_user(request: Request, *roles: Role) -> Principal:
    """The signed-in user of a page that needs one (else ``SignInRequired``) with one of
    ``roles`` (else ``Forbidden``)."""
    session = current_session(request)
    if session is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(target)
    if roles and session.principal.role not in roles:
        raise Forbidden(f"this page is for {' or '.join(roles)} users")
    return session.principal


def anonymous_csrf(request: Request) -> str:
    """The CSRF token of a form shown before signing in (set as a cookie by ``render``)."""
    token = request.cookies.get(ANON_CSRF_COOKIE) or getattr(request.state, "new_csrf", "")
    if not token or len(token) > 128:
        token = secrets.token_urlsafe(32)
        request.state.new_csrf = token
    request.state.csrf_token = token
    return token


async def checked_form(request: Request, *, before_sign_in: bool = False) -> dict[str, str]:
    """The posted form's fields (text only), after the CSRF check (``CsrfRefused``).

    ``before_sign_in``: a form shown to anyone (the sign-in form) carries the pre-sign-in token
    even when the browser already holds a session (two tabs, signing in as someone else)."""
    form = await request.form()
    given = form.get(CSRF_FIELD)
    session = None if before_sign_in else current_session(request)
    expected = session.csrf_token if session is not None else request.cookies.get(ANON_CSRF_COOKIE)
    if not expected or not isinstance(given, str) or not csrf_matches(expected, given):
        raise CsrfRefused()
    return {k: v for k, v in form.items() if isinstance(v, str) and k != CSRF_FIELD}


def set_session_cookie(response: Response, request: Request, token: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def set_anonymous_csrf_cookie(response: Response, request: Request) -> None:
    """Set the pre-sign-in CSRF cookie if this request made a new one."""
    token = getattr(request.state, "new_csrf", "")
    if token:
        response.set_cookie(
            ANON_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )


def safe_next(target: Any, default: str) -> str:
    """A path on this site to go to after signing in (never another site: ``//x`` or a URL)."""
    good = isinstance(target, str) and target.startswith("/") and not target.startswith("//")
    if good and "\\" not in target and len(target) < 512:
        return str(target)
    return default


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")
