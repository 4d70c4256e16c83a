"""Signing in to the API (web-contract.md "Authentication") and who is calling.

``POST /api/v1/auth/token`` takes the OAuth2 password form (``username``, ``password``) and
answers ``{"access_token", "token_type": "bearer", "expires_in"}``. An unknown user and a wrong
password get the same 401; repeated failures are slowed, then refused with 429 and
``Retry-After`` (``accounts.authenticate`` decides, per username and per address).

``current_principal`` is the dependency of every record route: the ``Authorization: Bearer``
token, checked by ``tokens.verify_token``; missing or invalid → 401 in the envelope with
``WWW-Authenticate: Bearer``.

The database is opened once per application (``app_database``), lazily on the first call that
needs it, and shared by every request (SQLAlchemy's pool); a missing or out-of-date database is
a 503 that names the command to run, and the next request tries again.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, FastAPI, Form, Request, Response
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from immunospine.api.models import ErrorEnvelope
from immunospine.errors import RateLimited, Unauthorized
from immunospine.services.accounts import Principal
from immunospine.services.record_entries import Database

__all__ = ["TokenAnswer", "add_auth_routes", "app_database", "current_principal"]

PREFIX = "/api/v1"
TOKEN_PATH = f"{PREFIX}/auth/token"
NOT_SIGNED_IN = "sign in first: send Authorization: Bearer TOKEN (from POST /api/v1/auth/token)"

_bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_PATH, auto_error=False)


class TokenAnswer(BaseModel):
    access_token: str = Field(description="send it as Authorization: Bearer TOKEN")
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth2 token type
    expires_in: int = Field(description="seconds until the token expires")


def app_database(request: Request) -> Database:
    """The application's patient database, opened on first use and then shared."""
    from immunospine.services import database

    return database.shared_database(request.app.state)


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


def current_principal(
    request: Request, token: Annotated[str | None, Depends(_bearer)]
) -> Principal:
    """The signed-in caller of a record route (401 with ``WWW-Authenticate: Bearer`` if none)."""
    from immunospine.services import tokens

    if not token:
        raise _unauthorized(NOT_SIGNED_IN)
    try:
        return tokens.verify_token(app_database(request), token, request.app.state.settings)
    except Unauthorized as exc:
        raise _unauthorized(str(exc)) from None


Caller = Annotated[Principal, Depends(current_principal)]
"""A route parameter: the signed-in ``Principal``."""


def add_auth_routes(app: FastAPI) -> None:
    """Register ``POST /api/v1/auth/token``."""
    router = APIRouter(prefix=PREFIX, tags=["authentication"])

    @router.post(
        "/auth/token",
        response_model=TokenAnswer,
        responses={
            401: {"model": ErrorEnvelope, "description": "wrong username or password"},
            422: {"model": ErrorEnvelope, "description": "a form field is missing"},
            429: {"model": ErrorEnvelope, "description": "too many failed sign-ins"},
        },
    )
    def token(
        request: Request,
        response: Response,
        username: Annotated[str, Form(max_length=256)],
        password: Annotated[str, Form(max_length=1024)],
    ) -> TokenAnswer:
        """Sign in (OAuth2 password flow, form fields `username` and `password`) → a bearer
        token for `Authorization: Bearer TOKEN`. The same 401 for an unknown user and a wrong
        password; repeated failures are slowed, then refused (429 with `Retry-After`)."""
        from immunospine.services import accounts, tokens

        settings = request.app.state.settings
        address = request.client.host if request.client else "unknown"
        db = app_database(request)
        try:
            principal = accounts.authenticate(db, username, password, address, settings=settings)
        except Unauthorized as exc:
            raise _unauthorized(str(exc)) from None
        except RateLimited as exc:
            raise HTTPException(
                429, str(exc), headers={"Retry-After": str(exc.retry_after_seconds)}
            ) from None
        access_token, expires_in = tokens.issue_token(principal, settings)
        response.headers["Cache-Control"] = "no-store"
        return TokenAnswer(access_token=access_token, expires_in=expires_in)

    app.include_router(router)
