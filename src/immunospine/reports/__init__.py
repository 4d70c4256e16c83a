"""Rendering only (house-style §7.2): a ``model.Report`` → HTML or PDF (``html``, ``pdf``).

No clinical logic lives here; services assemble reports. HTML and PDF need the ``reports`` extra
(jinja2, fpdf2); the PDF embeds DejaVu Sans when installed (Debian ``fonts-dejavu-core``).
"""

__all__ = [
    "charts",
    "cohort",
    "demo_text",
    "html",
    "model",
    "pdf",
    "previsit",
    "previsit_pdf",
    "record_text",
    "self_check_text",
    "triage_summary",
    "triage_text",
    "triage_view",
    "wording",
]
