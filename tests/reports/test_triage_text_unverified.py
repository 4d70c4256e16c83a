"""The readable triage report names the unverified facts it used (issue 14)."""

from __future__ import annotations

from immunospine.reports.triage_text import render_triage_text, unverified_notes
from immunospine.services.triage import triage


def test_the_report_lists_what_is_not_yet_checked() -> None:
    result = triage(
        {"age": 40, "red_flags": {"thoracic_pain": True}, "findings": {"psoriasis": True}}
    )
    text = render_triage_text(result)
    assert "Not yet checked against a source:" in text
    for note in unverified_notes(result):
        assert f"  - {note}" in text
    assert unverified_notes(result) == result.unverified


def test_silent_when_nothing_unverified_was_used() -> None:
    text = render_triage_text(triage({"age": 30, "findings": {"hla_b27": True}}))
    assert "Not yet checked" not in text
