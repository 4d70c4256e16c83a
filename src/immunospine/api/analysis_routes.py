"""The analysis route (issue 11): ``GET /api/v1/patients/{id}/analysis``.

Authorised and audited like the record routes: ``services.access`` first (a record the caller
may not see is a 404 worded as a missing one; an admin is a 403), then the same service as
``immunospine analyze patient`` with ``actor=`` the username; the router's ``AUDITED``
dependency logs the request. The answer is ``analyze patient --json``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query
from fastapi.responses import JSONResponse

from immunospine.api.auth import Caller
from immunospine.api.record_common import AUDITED, PREFIX, READ_ERRORS, Db, IsoDate
from immunospine.errors import InputError
from immunospine.services.json_output import for_output

__all__ = ["add_analysis_routes"]

_QUERY = {"max_lag": "max_lag", "since": "since"}


def _located(exc: InputError) -> InputError:
    problems = tuple(
        replace(p, loc=("query", _QUERY[str(p.loc[0])], *p.loc[1:]))
        if p.loc and str(p.loc[0]) in _QUERY
        else p
        for p in exc.problems
    )
    return InputError(exc.message, problems)


def add_analysis_routes(app: FastAPI) -> None:
    """Register ``GET /api/v1/patients/{patient_id}/analysis``."""
    router = APIRouter(prefix=PREFIX, tags=["analysis"], dependencies=[AUDITED])

    @router.get("/patients/{patient_id}/analysis", responses=READ_ERRORS)
    def analysis(
        patient_id: str,
        who: Caller,
        db: Db,
        since: IsoDate | None = None,
        max_lag: Annotated[int, Query(description="longest lag in days (0–14)", ge=0, le=14)] = 3,
    ) -> JSONResponse:
        """What moved with the patient's pain: lagged associations with stress, sleep, exercise
        and CRP (estimate, 95 % CI, p, q), discordance, treatment changes, not-enough-data
        reasons and plain sentences (`analyze patient --json`). Associations, not causes."""
        from immunospine.services import analysis as service

        try:
            result = service.analyze_patient_for(db, who, patient_id, since=since, max_lag=max_lag)
        except InputError as exc:
            raise _located(exc) from None
        return JSONResponse(for_output(result))

    app.include_router(router)
