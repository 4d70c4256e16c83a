"""``immunospine serve``: the HTTP API (web-contract.md) with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from immunospine.cli import app

FACTORY = "immunospine.api:served_app"


@app.command(
    "serve",
    help="Serve the HTTP API (calculators, triage; docs at /api/docs) until stopped. Ctrl-C "
    "stops it. Listens on 127.0.0.1 unless --host says otherwise.",
)
def serve(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH|URL",
            help="patient database: a SQLite file or a URL (default: IMMUNOSPINE_DATABASE_URL, "
            "else the SQLite file in the user's data directory)",
        ),
    ] = None,
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(min=0, max=65535, metavar="INTEGER", help="port (0: any free one)")
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, metavar="INTEGER", help="worker processes (each runs the whole app)"
        ),
    ] = 1,
) -> None:
    import os

    import uvicorn

    from immunospine.settings import database_url_of, load_settings

    settings = load_settings()
    url = settings.resolved_database_url(db)
    typer.echo(f"immunospine API on http://{_url_host(host)}:{port}/api/v1 (docs: /api/docs)")
    typer.echo(f"patient database: {_shown(url)}")
    if workers > 1:
        # Each worker process builds its own app from the factory and reads the settings from
        # the environment: --db is passed that way.
        if db:
            os.environ["IMMUNOSPINE_DATABASE_URL"] = database_url_of(db)
        uvicorn.run(FACTORY, factory=True, host=host, port=port, workers=workers, log_level="info")
        return
    from immunospine.api import served_app

    uvicorn.run(served_app(settings, database_url=db), host=host, port=port, log_level="info")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _shown(url: str) -> str:
    """The database URL without a password."""
    head, sep, rest = url.partition("://")
    if sep and "@" in rest:
        credentials, _, place = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        return f"{head}://{user}:***@{place}" if ":" in credentials else url
    return url
