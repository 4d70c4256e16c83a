"""The API in-process: an app on a patient database that does not exist (the open routes need
none), and ``call`` — one request over httpx's ASGI transport, no server, no network."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from immunospine.api import create_app
from immunospine.settings import Settings


def call(app: FastAPI, method: str, path: str, **kwargs: Any) -> httpx.Response:
    """One request to ``app`` in this process."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(go())


@pytest.fixture(scope="session")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    missing = tmp_path_factory.mktemp("api") / "no-such.db"
    return Settings(database_url=str(missing))


@pytest.fixture(scope="session")
def app(api_settings: Settings) -> FastAPI:
    return create_app(api_settings)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
