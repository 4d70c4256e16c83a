"""The autoimmune knowledge base over HTTP (issue 14), open like the calculators:
``GET /api/v1/knowledge/diseases[?mechanism=M&group=G]`` and
``GET /api/v1/knowledge/diseases/{name}`` (key, name or alias, any case) and
``GET /api/v1/knowledge/unverified[?area=A]`` (what nobody has yet checked in a source). Answers
are ``immunospine knowledge diseases --json``, ``immunospine knowledge disease NAME --json`` and
``immunospine knowledge unverified [--area A] --json``; an unknown name or area is a 404 naming
the nearest ones.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from immunospine.api.models import ErrorEnvelope
from immunospine.services import diseases as service
from immunospine.services import verification

__all__ = [
    "DiseaseEntry",
    "DiseaseSummary",
    "UnverifiedAreaCount",
    "UnverifiedFactEntry",
    "UnverifiedReport",
    "add_knowledge_routes",
]

PREFIX = "/api/v1/knowledge"
# The knowledge base's own names (through the service), so the schema cannot drift from the data.
MechanismName = service.Mechanism
GroupName = service.Group
Involvement = service.BackInvolvement


class DiseaseSummary(BaseModel):
    key: str = Field(description="the snake_case id")
    name: str
    group: GroupName = Field(description="body-system group (the data file)")
    back_involvement: Involvement
    mechanisms: list[MechanismName] = Field(description="how it reaches the back (empty: not)")
    specialist: str
    red_flag: bool = Field(description="back pain from it is an emergency or urgent")
    verified: bool = Field(description="every source of the entry was read and checked")


class DiseaseSource(BaseModel):
    citation: str
    verified: bool = Field(description="true only if the source was actually read")
    checked: str = Field(description="what was read, or why it is not verified")


class DiseaseEntry(DiseaseSummary):
    aliases: list[str]
    how_it_reaches_the_back: str
    key_features: list[str]
    helpful_tests: list[str]
    prevalence: str
    calculators: list[str]
    clues: list[str] = Field(description="triage clues that bring it up (known:<key>: a diagnosis)")
    lists: list[str] = Field(description="recognised lists of autoimmune diseases naming it")
    sources: list[DiseaseSource]


class UnverifiedAreaCount(BaseModel):
    area: str = Field(description="the area's key (the `area` query takes it)")
    title: str
    items: int = Field(ge=0, description="items of the area (calculators, entries, rules ...)")
    verified: int = Field(ge=0, description="items whose every fact was read in a source")
    unverified: int = Field(ge=0, description="items with at least one open fact")
    facts: int = Field(ge=0, description="open (unverified) facts")


class UnverifiedFactEntry(BaseModel):
    area: str
    item: str = Field(description="the calculator, entry, rule or concept set")
    what: str = Field(description="the fact not yet checked")
    reason: str = Field(description="why it could not be checked here")
    affects: str = Field(description="which results depend on it")
    check: str = Field(description="what a clinician or data engineer must check")


class UnverifiedReport(BaseModel):
    summary: list[UnverifiedAreaCount]
    facts: list[UnverifiedFactEntry]


_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorEnvelope, "description": "no disease or area of that name (nearest named)"},
    422: {"model": ErrorEnvelope, "description": "an unknown mechanism or group"},
}


def add_knowledge_routes(app: FastAPI) -> None:
    """Register the two routes on ``app``."""
    router = APIRouter(prefix=PREFIX, tags=["knowledge"])

    @router.get(
        "/diseases",
        response_model=list[DiseaseSummary],
        responses={422: _ERRORS[422]},
    )
    async def list_diseases(
        mechanism: MechanismName | None = None, group: GroupName | None = None
    ) -> JSONResponse:
        """Every disease of the autoimmune knowledge base (or those reaching the back by
        ``mechanism``, in ``group``), as `immunospine knowledge diseases --json`."""
        return JSONResponse(service.list_diseases(mechanism, group))

    @router.get("/diseases/{name}", response_model=DiseaseEntry, responses={404: _ERRORS[404]})
    async def one_disease(name: str) -> JSONResponse:
        """One disease by key, name or alias (any case), with its sources and their
        verification status, as `immunospine knowledge disease NAME --json`."""
        return JSONResponse(service.describe(name))

    @router.get("/unverified", response_model=UnverifiedReport, responses={404: _ERRORS[404]})
    async def unverified(
        area: str | None = Query(
            None,
            description="one area: " + ", ".join(verification.AREAS),
            json_schema_extra={"examples": ["red_flags"]},
        ),
    ) -> JSONResponse:
        """What is still unverified: counts per area, then each open fact with why and what to
        check (all areas, or ``area``), as `immunospine knowledge unverified --json`."""
        return JSONResponse(verification.unverified_json(area))

    app.include_router(router)
