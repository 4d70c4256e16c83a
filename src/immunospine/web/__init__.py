"""The web pages: server-rendered HTML for patients, clinicians and admins on the same services
as the command line and the HTTP API (``docs/contracts/web-contract.md``).

``add_pages(app)`` puts them on the HTTP API's application (``immunospine serve`` serves both).
"""

from __future__ import annotations

from immunospine.web.app import add_pages, error_page

__all__ = ["add_pages", "error_page"]
