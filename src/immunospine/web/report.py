"""The pre-visit report as a page's download (the same PDF as the API and the command line)."""

from __future__ import annotations

from fastapi.responses import Response

from immunospine.services import access, previsit
from immunospine.services.accounts import Principal
from immunospine.services.record_entries import Database
from immunospine.web.forms import local_today

__all__ = ["report_response"]


def report_response(db: Database, who: Principal, patient_id: str) -> Response:
    """``patient_id``'s one-page report as a PDF download (access checked, read audited)."""
    access.require_record_access(db, who, patient_id, write=False)
    data = previsit.gather_previsit(db, patient_id, actor=who.username, today=local_today())
    content = previsit.previsit_pdf_bytes(data)
    return Response(
        content,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{patient_id}-report.pdf"',
            "Cache-Control": "no-store",
        },
    )
