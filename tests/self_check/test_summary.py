"""The one-page summary: built from the answers and a real triage, written as HTML and PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from immunospine.errors import InputError
from immunospine.reports.html import render_html
from immunospine.reports.model import BarChart, Bullets, Paragraph, Table
from immunospine.services import summary, triage
from immunospine.services.self_check import Session
from tests.reports.test_pdf import assert_one_a4_page
from tests.self_check.answers import TYPICAL_AS, answer_all

DAY = date(2025, 5, 6)


def build(answers: dict[str, str]) -> tuple[Session, dict[str, object]]:
    session = answer_all(answers)
    return session, triage.triage(session.case()).to_dict()


def test_summary_of_a_typical_story_has_every_part() -> None:
    session, assessment = build(TYPICAL_AS)
    report = summary.build_summary(session.rows(), assessment, on=DAY)
    assert tuple(s.heading for s in report.sections) == summary.HEADINGS
    assert "not a diagnosis" in report.disclaimer
    assert report.alert == ""
    chance = report.section(summary.HEADINGS[2])
    assert isinstance(chance.blocks[0], Paragraph) and "in 100" in chance.blocks[0].text
    chart = next(b for b in chance.blocks if isinstance(b, BarChart))
    labels = [b.label for b in chart.bars]
    assert labels[0] == "HLA-B27 blood test"  # the largest effect first
    assert "Family history" in labels
    answers = report.section(summary.HEADINGS[-1]).blocks[0]
    assert isinstance(answers, Table)
    assert ("Raised inflammation blood test (CRP or ESR)", "Don't know") in answers.rows
    assert ("Back pain has lasted", "5 years (60 months)") in answers.rows
    assert len(answers.rows) == len(session.answers)
    html = render_html(report)
    assert "2025-05-06" in html and "Don&#39;t know" in html


def test_red_flags_and_missing_answers_are_shown() -> None:
    session, assessment = build({**TYPICAL_AS, "saddle_anaesthesia": "y"})
    report = summary.build_summary(session.rows(), assessment, on=DAY)
    assert report.alert.startswith("Seek emergency care now.")
    warnings = report.section("Warning signs").blocks
    assert isinstance(warnings[0], Bullets)
    assert "saddle area" in warnings[0].items[0]
    assert any(isinstance(b, Paragraph) and "upper or middle back" in b.text for b in warnings)


def test_next_tests_are_listed_in_plain_words() -> None:
    answers = {**TYPICAL_AS, "hla_b27": "d", "family_history": "n", "nsaid_response": "d"}
    session, assessment = build(answers)
    report = summary.build_summary(session.rows(), assessment, on=DAY)
    doctor = report.section("What to ask your doctor").blocks
    tests = next(b for b in doctor if isinstance(b, Bullets))
    assert any("HLA-B27" in t for t in tests.items)


def test_the_disclaimer_says_not_a_diagnosis_even_if_the_assessment_does_not() -> None:
    report = summary.build_summary([], {"disclaimer": "Be careful."}, on=DAY)
    assert report.disclaimer.startswith(summary.NOT_A_DIAGNOSIS)


def test_write_summary_writes_html_and_a_one_page_pdf(tmp_path: Path) -> None:
    session, assessment = build(TYPICAL_AS)
    report = summary.build_summary(session.rows(), assessment, on=DAY)
    html, pdf = summary.write_summary(report, tmp_path / "new")
    assert html.name == "immunospine-summary.html" and pdf.name == "immunospine-summary.pdf"
    assert "not a diagnosis" in html.read_text(encoding="utf-8")
    assert_one_a4_page(pdf.read_bytes())
    assert summary.write_summary(report, tmp_path / "html-only", pdf=False) == [
        tmp_path / "html-only" / "immunospine-summary.html"
    ]


def test_an_unwritable_folder_is_an_input_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    session, assessment = build(TYPICAL_AS)
    report = summary.build_summary(session.rows(), assessment, on=DAY)
    with pytest.raises(InputError, match="--out-dir"):
        summary.write_summary(report, blocker / "sub", pdf=False)
