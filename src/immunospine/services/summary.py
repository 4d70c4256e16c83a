"""Saving the one-page self-check summary: where it goes, checked before the first question.

``plan_summary`` checks that the folder can take the files and chooses their names *before* the
person answers anything, so an unwritable folder never costs them their answers. An earlier
summary is never replaced silently: the next free name is taken (``immunospine-summary-2.html``,
``-3`` …), unless ``overwrite`` is asked for. ``write_summary`` renders the ``Report`` (built by
``reports.triage_summary.build_summary``) to HTML and PDF and writes both; ``summary_pdf`` renders
the PDF alone as bytes for a face that hands it over without a file (the web page's download).

Errors name the field ``out_dir``; the command line maps it to its own option.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from immunospine.errors import InputError
from immunospine.reports.model import Report

__all__ = ["BASENAME", "SummaryTarget", "plan_summary", "summary_pdf", "write_summary"]

BASENAME = "immunospine-summary"


@dataclass(frozen=True, slots=True)
class SummaryTarget:
    """Where the summary will be written: the folder, the HTML file and the PDF (or ``None``)."""

    out_dir: Path
    html: Path
    pdf: Path | None
    overwrite: bool = False

    @property
    def paths(self) -> tuple[Path, ...]:
        """The files, HTML first."""
        return (self.html,) if self.pdf is None else (self.html, self.pdf)


def _problem(out_dir: Path, why: str) -> InputError:
    return InputError.single(("out_dir",), why, str(out_dir), context="self-check")


def _check_writable(out_dir: Path) -> None:
    """Raise ``InputError`` unless ``out_dir`` is, or can be made, a folder we can write into."""
    existing = out_dir
    while not existing.exists():
        if existing.parent == existing:
            break
        existing = existing.parent
    if not existing.is_dir():
        if existing == out_dir:
            raise _problem(out_dir, "is a file, not a folder")
        raise _problem(out_dir, f"cannot be created: {existing} is a file, not a folder")
    try:  # a real write, not os.access: it also sees read-only mounts and runs as any user
        handle, probe = tempfile.mkstemp(prefix=".immunospine-check-", dir=existing)
        os.close(handle)
        Path(probe).unlink()
    except OSError as exc:
        raise _problem(out_dir, f"cannot be written ({exc.strerror})") from None


def _names(out_dir: Path, number: int, pdf: bool) -> tuple[Path, Path | None]:
    stem = BASENAME if number == 1 else f"{BASENAME}-{number}"
    return out_dir / f"{stem}.html", (out_dir / f"{stem}.pdf" if pdf else None)


def _free_names(out_dir: Path, pdf: bool) -> tuple[Path, Path | None]:
    number = 1
    while True:
        html, pdf_path = _names(out_dir, number, pdf)
        if not html.exists() and (pdf_path is None or not pdf_path.exists()):
            return html, pdf_path
        number += 1


def plan_summary(out_dir: Path, *, pdf: bool = True, overwrite: bool = False) -> SummaryTarget:
    """Check ``out_dir`` now and choose the file names (``InputError`` naming ``out_dir``).

    Nothing is created: a folder that does not exist yet is made when the summary is written.
    """
    _check_writable(out_dir)
    html, pdf_path = _names(out_dir, 1, pdf) if overwrite else _free_names(out_dir, pdf)
    return SummaryTarget(out_dir, html, pdf_path, overwrite)


def write_summary(report: Report, target: SummaryTarget) -> list[Path]:
    """Render ``report`` and write it where ``target`` says; the paths written, HTML first.

    Both documents are rendered before anything is written, so a rendering error leaves no files.
    Should another program have taken the chosen names since ``plan_summary``, the next free
    names are used instead (unless ``target.overwrite``).
    """
    from immunospine.reports.html import render_html
    from immunospine.reports.pdf import render_pdf

    html_bytes = render_html(report).encode("utf-8")
    pdf_bytes = render_pdf(report) if target.pdf is not None else b""
    html, pdf_path = target.html, target.pdf
    if not target.overwrite and (html.exists() or (pdf_path is not None and pdf_path.exists())):
        html, pdf_path = _free_names(target.out_dir, pdf_path is not None)
    documents = [(html, html_bytes)] + ([(pdf_path, pdf_bytes)] if pdf_path is not None else [])
    try:
        target.out_dir.mkdir(parents=True, exist_ok=True)
        for path, data in documents:
            path.write_bytes(data)
    except OSError as exc:
        raise _problem(target.out_dir, f"cannot write the summary there ({exc.strerror})") from None
    return [path for path, _ in documents]


def summary_pdf(report: Report) -> bytes:
    """The summary as the bytes of its one-page PDF (nothing is written anywhere)."""
    from immunospine.reports.pdf import render_pdf

    return render_pdf(report)
