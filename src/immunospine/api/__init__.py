"""The HTTP API (a face: it calls services only). ``create_app()`` builds the application;
``immunospine serve`` runs it with uvicorn. Routes and names: web-contract.md."""

from __future__ import annotations

from immunospine.api.app import create_app, served_app

__all__ = ["create_app", "served_app"]
