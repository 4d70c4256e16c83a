"""The pages on the application of the HTTP API: one server, one database, the same services.

``add_pages(app)`` mounts the vendored static files and every page router, and answers the
pages' own signals: a page that needs a signed-in user sends the browser to ``/login``; a form
without its CSRF token is refused (403) and nothing is saved.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles

from immunospine.reports.wording import NOT_A_DIAGNOSIS
from immunospine.web.session import CsrfRefused, SignInRequired, login_url
from immunospine.web.templating import environment, render
from immunospine.web.templating import gettext as _

__all__ = ["add_pages", "error_page"]

STATIC_DIR = Path(__file__).parent / "static"
_HEADINGS = {
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Conflict",
    422: "Please check the form",
    429: "Too many attempts",
    503: "Not available",
}


def error_page(request: Request, status: int, message: str) -> Response:
    """An error as a page (the API answers the same errors in its JSON envelope)."""
    heading = _(_HEADINGS.get(status, "Something went wrong"))
    return render(
        request,
        "error.html",
        {"title": heading, "heading": heading, "message": message},
        status_code=status,
    )


def add_pages(app: FastAPI) -> None:
    """Register the pages (web-contract.md "Pages") on ``app``."""
    from immunospine.web import (
        pages_admin,
        pages_auth,
        pages_check,
        pages_clinic,
        pages_insight,
        pages_knowledge,
        pages_patient,
        pages_triage,
    )

    environment().globals["NOT_A_DIAGNOSIS"] = NOT_A_DIAGNOSIS
    app.mount(
        "/static",
        GZipMiddleware(StaticFiles(directory=STATIC_DIR), minimum_size=1024),
        name="static",
    )
    app.include_router(pages_auth.router)
    app.include_router(pages_patient.router)
    app.include_router(pages_clinic.router)
    app.include_router(pages_admin.router)
    app.include_router(pages_insight.router)
    app.include_router(pages_check.router)
    app.include_router(pages_triage.router)
    app.include_router(pages_knowledge.router)

    async def sign_in_first(request: Request, exc: Exception) -> Response:
        next_path = exc.next_path if isinstance(exc, SignInRequired) else "/"
        return RedirectResponse(login_url(next_path), status_code=303)

    async def csrf_refused(request: Request, exc: Exception) -> Response:
        message = _(
            "This form has expired or did not come from this site, so nothing was saved. "
            "Please go back, reload the page and try again."
        )
        return error_page(request, 403, message)

    app.add_exception_handler(SignInRequired, sign_in_first)
    app.add_exception_handler(CsrfRefused, csrf_refused)
