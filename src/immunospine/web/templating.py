"""Jinja templates of the pages, with gettext (Babel) for every user-facing string.

English ships; a translation is a ``locale/<lang>/LC_MESSAGES/messages.mo`` compiled from
``locale/messages.pot`` (``make translations`` extracts the catalogue from the templates and the
page modules). ``gettext`` (imported as ``_``) marks a string in Python code; templates use
``{{ _("…") }}`` or ``{% trans %}``.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

__all__ = ["LOCALE_DIR", "TEMPLATES_DIR", "environment", "gettext", "render"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE = "en"


@cache
def _translations() -> _gettext.NullTranslations:
    from babel.support import Translations

    found = Translations.load(str(LOCALE_DIR), [LANGUAGE])
    return found if isinstance(found, _gettext.NullTranslations) else _gettext.NullTranslations()


def gettext(message: str) -> str:
    """Mark ``message`` for translation and translate it."""
    return _translations().gettext(message)


@cache
def environment() -> Environment:
    """The one template environment (autoescaped, with the i18n extension)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(_translations(), newstyle=True)  # type: ignore[attr-defined]
    # ``tojson`` without spaces: the charts' Vega specifications are most of a page's bytes
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
    return env


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The page ``template`` with ``context``, plus what every page needs (the signed-in user,
    the CSRF token of their forms, the current path)."""
    session = getattr(request.state, "web_session", None)
    page = {
        "request": request,
        "user": session.principal if session is not None else None,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "path": request.url.path,
        **(context or {}),
    }
    html = environment().get_template(template).render(page)
    answer = HTMLResponse(html, status_code=status_code, headers=headers)
    answer.headers["Cache-Control"] = "no-store"
    from immunospine.web.session import set_anonymous_csrf_cookie

    set_anonymous_csrf_cookie(answer, request)
    return answer
