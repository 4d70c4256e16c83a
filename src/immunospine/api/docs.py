"""``/api/docs``: Swagger UI served from the package (``static/``), so it works offline.

The page has no inline script (the strict Content-Security-Policy allows only this server's
files); ``static/docs.js`` starts Swagger UI on ``/api/v1/openapi.json``. Swagger UI
(swagger-ui-dist 5.36.0, Apache-2.0, ``static/LICENSE``) is vendored unchanged:
``swagger-ui-bundle.js`` and ``swagger-ui.css``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["STATIC", "add_docs"]

STATIC = Path(__file__).parent / "static"

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>immunospine HTTP API</title>
<link rel="stylesheet" href="/api/static/swagger-ui.css">
</head>
<body>
<noscript>
<p>This page needs JavaScript. The API is described in
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3).</p>
</noscript>
<div id="swagger-ui"></div>
<script src="/api/static/swagger-ui-bundle.js"></script>
<script src="/api/static/docs.js"></script>
</body>
</html>
"""


def add_docs(app: FastAPI) -> None:
    """``GET /api/docs`` and the files under ``/api/static/``."""

    @app.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(PAGE)

    app.mount("/api/static", StaticFiles(directory=STATIC), name="api-static")
