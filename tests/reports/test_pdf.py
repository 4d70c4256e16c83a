"""The PDF renderer: a valid one-page A4 PDF, with or without the Unicode font."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from immunospine.reports.pdf import find_unicode_font, render_pdf
from tests.reports.sample import sample_report


def page_count(data: bytes) -> int:
    """Count the page objects (``/Type /Page``, not ``/Pages``) in the PDF's dictionaries."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def media_box(data: bytes) -> list[float]:
    match = re.search(rb"/MediaBox\s*\[([^\]]*)\]", data)
    assert match is not None
    return [float(x) for x in match.group(1).split()]


def assert_one_a4_page(data: bytes) -> None:
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert page_count(data) == 1
    assert media_box(data)[2:] == pytest.approx([595.28, 841.89], abs=0.5)


def test_a_report_is_one_a4_page() -> None:
    assert_one_a4_page(render_pdf(sample_report(alert="Seek emergency care now.")))


def test_a_long_report_is_still_one_page() -> None:
    assert_one_a4_page(render_pdf(sample_report(rows=80)))


def test_a_huge_report_is_cut_to_one_page_rather_than_spilling() -> None:
    assert_one_a4_page(render_pdf(sample_report(rows=300)))


@pytest.mark.skipif(find_unicode_font() is None, reason="DejaVu Sans (fonts-dejavu-core) missing")
def test_unicode_text_uses_the_embedded_dejavu_font() -> None:
    data = render_pdf(sample_report())
    assert b"DejaVu" in data


def test_without_the_unicode_font_it_falls_back_to_helvetica(tmp_path: Path) -> None:
    assert find_unicode_font(tmp_path) is None
    data = render_pdf(sample_report(), font_dir=tmp_path)
    assert_one_a4_page(data)
    assert b"DejaVu" not in data
    assert b"Helvetica" in data
