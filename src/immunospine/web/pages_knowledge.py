"""``/knowledge/diseases``, ``/knowledge/diseases/{key}`` and ``/knowledge/unverified``: the
autoimmune knowledge base and the unverified-facts register as public pages (issue 14).

They read ``services.diseases`` and ``services.verification``, the same functions as
``immunospine knowledge diseases|disease|unverified`` and ``GET /api/v1/knowledge/...``, so every
face shows the same entries in the same words. No sign-in (nothing about a person is shown or
kept). An unknown disease, mechanism, group or area is the service's ``KnowledgeError``, which the
application answers with the 404 page naming the nearest names.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from immunospine.services import diseases, verification
from immunospine.web.templating import gettext as _
from immunospine.web.templating import render

__all__ = ["router", "words"]

router = APIRouter(include_in_schema=False)


def words(name: str) -> str:
    """A snake_case vocabulary word as plain words (``nerve_or_spinal_cord`` → "nerve or spinal
    cord")."""
    return name.replace("_", " ")


@router.get("/knowledge/diseases")
def disease_list(request: Request, mechanism: str = "", group: str = "") -> Response:
    rows = diseases.list_diseases(mechanism or None, group or None)
    context: dict[str, Any] = {
        "title": _("Autoimmune diseases and the back"),
        "rows": rows,
        "mechanism": mechanism,
        "group": group,
        "mechanisms": [(m, words(m)) for m in diseases.MECHANISMS],
        "groups": [(g, words(g)) for g in diseases.GROUPS],
        "words": words,
    }
    return render(request, "knowledge_diseases.html", context)


@router.get("/knowledge/diseases/{name}")
def disease_page(request: Request, name: str) -> Response:
    entry = diseases.describe(name)
    context = {"title": entry["name"], "entry": entry, "words": words}
    return render(request, "knowledge_disease.html", context)


@router.get("/knowledge/unverified")
def unverified_page(request: Request, area: str = "") -> Response:
    data = verification.unverified_json(area or None)
    by_area: dict[str, list[dict[str, str]]] = {}
    for fact in data["facts"]:
        by_area.setdefault(fact["area"], []).append(fact)
    context = {
        "title": _("Facts not yet checked against a source"),
        "summary": data["summary"],
        "by_area": by_area,
        "total": len(data["facts"]),
        "area": area,
    }
    return render(request, "knowledge_unverified.html", context)
