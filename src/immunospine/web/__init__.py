"""The web pages: server-rendered HTML for patients, clinicians and admins on the same services
as the command line and the HTTP API (``docs/contracts/web-contract.md``)."""

from __future__ import annotations

__all__: list[str] = []
