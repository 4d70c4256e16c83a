"""The one-page summary: built from the answers and a real (typed) triage, written as HTML and PDF."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from immunospine.errors import InputError
from immunospine.reports.html import render_html
from immunospine.reports.model import BarChart, Bullets, Paragraph, Table
from immunospine.reports.triage_summary import HEADINGS, build_summary
from immunospine.reports.wording import NOT_A_DIAGNOSIS
from immunospine.services import summary, triage
from immunospine.services.self_check import Session
from tests.reports.test_pdf import assert_one_a4_page
from tests.self_check.answers import TYPICAL_AS, answer_all

DAY = date(2025, 5, 6)


def build(answers: dict[str, str]) -> tuple[Session, triage.TriageResult]:
    session = answer_all(answers)
    return session, triage.triage(session.case())


def bar_labels(answers: dict[str, str]) -> list[str]:
    session, result = build(answers)
    chance = build_summary(session.rows(), result, on=DAY).section(HEADINGS[2])
    chart = next(b for b in chance.blocks if isinstance(b, BarChart))
    return [b.label for b in chart.bars]


def test_summary_of_a_typical_story_has_every_part() -> None:
    session, result = build(TYPICAL_AS)
    report = build_summary(session.rows(), result, on=DAY)
    assert tuple(s.heading for s in report.sections) == HEADINGS
    assert "not a diagnosis" in report.disclaimer
    assert report.alert == ""
    chance = report.section(HEADINGS[2])
    assert isinstance(chance.blocks[0], Paragraph) and "in 100" in chance.blocks[0].text
    labels = bar_labels(TYPICAL_AS)
    assert labels[0] == "HLA-B27 blood test positive"  # the largest effect first
    assert "Family history" in labels
    answers = report.section(HEADINGS[-1]).blocks[0]
    assert isinstance(answers, Table)
    assert ("Raised inflammation blood test (CRP or ESR)", "Don't know") in answers.rows
    assert ("Back pain has lasted", "5 years (60 months)") in answers.rows
    assert len(answers.rows) == len(session.answers)
    html = render_html(report)
    assert "2025-05-06" in html and "Don&#39;t know" in html
    footer = build_summary(session.rows(), result, on=DAY, version="9.9.9").footer
    assert footer == "immunospine 9.9.9 self-check"


def test_a_negative_finding_is_labelled_as_absent() -> None:
    """Defect 5: "Family history ×0.72" for a "no" read as if the person had one."""
    labels = bar_labels({**TYPICAL_AS, "family_history": "n", "hla_b27": "n"})
    assert "No family history" in labels
    assert "HLA-B27 blood test negative" in labels
    assert "Family history" not in labels and "HLA-B27 blood test" not in labels


def test_red_flags_and_missing_answers_are_shown() -> None:
    session, result = build({**TYPICAL_AS, "saddle_anaesthesia": "y"})
    report = build_summary(session.rows(), result, on=DAY)
    assert report.alert.startswith("Seek emergency care now.")
    warnings = report.section("Warning signs").blocks
    assert isinstance(warnings[0], Bullets)
    assert "saddle area" in warnings[0].items[0]
    assert any(isinstance(b, Paragraph) and "upper or middle back" in b.text for b in warnings)


def test_an_emergency_is_the_only_advice() -> None:
    """Defect 5: no rheumatology referral, test list or referral table beneath an emergency."""
    session, result = build({**TYPICAL_AS, "saddle_anaesthesia": "y", "hla_b27": "d"})
    assert result.referral.next_tests  # the triage still lists them for the doctor's JSON
    report = build_summary(session.rows(), result, on=DAY)
    for heading in (HEADINGS[0], HEADINGS[3]):
        blocks = report.section(heading).blocks
        assert isinstance(blocks[0], Paragraph) and "emergency department" in blocks[0].text
        texts = " ".join(b.text for b in blocks if isinstance(b, Paragraph) and b.tone != "muted")
        assert "rheumatologist is recommended" not in texts
        assert "Ask about a referral" not in texts
        assert not any(isinstance(b, Bullets | Table) for b in blocks)


def test_nice_ng65_does_not_apply_under_16() -> None:
    """Defect 5: NICE NG65 is for people aged 16 and over; under 16 it says so."""
    young = {**TYPICAL_AS, "age": "14", "duration_months": "2 years", "age_at_onset": "12"}
    for answers, expected in ((young, "does not apply"), (TYPICAL_AS, "yes")):
        session, result = build(answers)
        doctor = build_summary(session.rows(), result, on=DAY).section(HEADINGS[3])
        table = next(b for b in doctor.blocks if isinstance(b, Table))
        nice = next(row for row in table.rows if row[0].startswith("NICE NG65"))
        assert nice[1].startswith(expected)


def test_next_tests_are_listed_in_plain_words() -> None:
    answers = {**TYPICAL_AS, "hla_b27": "d", "family_history": "n", "nsaid_response": "d"}
    session, result = build(answers)
    report = build_summary(session.rows(), result, on=DAY)
    doctor = report.section("What to ask your doctor").blocks
    tests = next(b for b in doctor if isinstance(b, Bullets))
    assert any("HLA-B27" in t for t in tests.items)


def test_the_disclaimer_says_not_a_diagnosis_even_if_the_result_does_not() -> None:
    _, result = build(TYPICAL_AS)
    report = build_summary([], dataclasses.replace(result, disclaimer="Be careful."), on=DAY)
    assert report.disclaimer.startswith(NOT_A_DIAGNOSIS)


def test_write_summary_writes_html_and_a_one_page_pdf(tmp_path: Path) -> None:
    session, result = build(TYPICAL_AS)
    report = build_summary(session.rows(), result, on=DAY)
    html, pdf = summary.write_summary(report, summary.plan_summary(tmp_path / "new"))
    assert html.name == "immunospine-summary.html" and pdf.name == "immunospine-summary.pdf"
    assert "not a diagnosis" in html.read_text(encoding="utf-8")
    assert_one_a4_page(pdf.read_bytes())
    target = summary.plan_summary(tmp_path / "html-only", pdf=False)
    assert summary.write_summary(report, target) == [
        tmp_path / "html-only" / "immunospine-summary.html"
    ]


def test_an_earlier_summary_is_kept_unless_overwrite_is_asked(tmp_path: Path) -> None:
    """Defect 4: a second self-check in the same folder replaced the first one silently."""
    session, result = build(TYPICAL_AS)
    report = build_summary(session.rows(), result, on=DAY)
    first = summary.write_summary(report, summary.plan_summary(tmp_path, pdf=False))
    first[0].write_text("earlier", encoding="utf-8")
    second = summary.write_summary(report, summary.plan_summary(tmp_path, pdf=False))
    assert [p.name for p in second] == ["immunospine-summary-2.html"]
    assert first[0].read_text(encoding="utf-8") == "earlier"
    (tmp_path / "immunospine-summary-3.pdf").write_bytes(b"earlier")  # a half pair counts too
    third = summary.plan_summary(tmp_path)
    assert (third.html.name, third.pdf and third.pdf.name) == (
        "immunospine-summary-4.html",
        "immunospine-summary-4.pdf",
    )
    replaced = summary.write_summary(report, summary.plan_summary(tmp_path, overwrite=True))
    assert replaced[0] == first[0] and "not a diagnosis" in first[0].read_text(encoding="utf-8")


def test_names_taken_after_planning_are_not_overwritten(tmp_path: Path) -> None:
    session, result = build(TYPICAL_AS)
    report = build_summary(session.rows(), result, on=DAY)
    target = summary.plan_summary(tmp_path, pdf=False)
    target.html.write_text("written meanwhile", encoding="utf-8")
    written = summary.write_summary(report, target)
    assert written[0].name == "immunospine-summary-2.html"
    assert target.html.read_text(encoding="utf-8") == "written meanwhile"


def test_planning_creates_nothing(tmp_path: Path) -> None:
    target = summary.plan_summary(tmp_path / "a" / "b")
    assert target.html == tmp_path / "a" / "b" / "immunospine-summary.html"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("below_a_file", [True, False])
def test_an_unusable_folder_is_an_input_error_before_anything_is_asked(
    tmp_path: Path, below_a_file: bool
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    out_dir = blocker / "sub" if below_a_file else blocker
    with pytest.raises(InputError, match="out_dir") as caught:
        summary.plan_summary(out_dir, pdf=False)
    assert "not a folder" in str(caught.value)
