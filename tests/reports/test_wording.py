"""Patient-facing words, once: verdicts, checklist and strategy names, findings present or absent."""

from __future__ import annotations

import pytest

from immunospine.knowledge.probability.axspa import FINDINGS
from immunospine.knowledge.reasoning.referral import STRATEGIES
from immunospine.reports import wording
from immunospine.reports.self_check_text import Line, report_lines
from tests.reports.sample import DISCLAIMER, sample_report


def test_every_finding_of_the_model_has_its_words() -> None:
    assert set(wording.FINDING_WORDS) == set(FINDINGS)
    for name in FINDINGS:
        topic, present, absent = (wording.finding_words(name, v) for v in (None, True, False))
        assert present != absent and absent != topic
        assert any(word in absent for word in ("No ", "Not ", "not ", "Normal ", "negative"))


def test_a_finding_said_absent_is_never_its_present_label() -> None:
    assert wording.finding_words("family_history", False) == "No family history"
    assert wording.finding_words("family_history", True) == "Family history"
    assert wording.finding_words("unheard_of", False) == "No unheard of"


@pytest.mark.parametrize(
    ("age", "expected"), [(15, "does not apply"), (16, "yes"), (None, "yes"), (60, "yes")]
)
def test_nice_ng65_applies_from_16(age: int | None, expected: str) -> None:
    assert wording.strategy_verdict_words("nice_ng65", "met", age).startswith(expected)
    assert wording.strategy_verdict_words("asas_2015", "met", age) == "yes"


def test_every_strategy_has_a_name_and_verdicts_have_words() -> None:
    for name in STRATEGIES:
        assert wording.strategy_name(name) != name
    assert [wording.verdict_words(v) for v in ("met", "not_met", "indeterminate")] == [
        "yes",
        "no",
        "not sure (answers missing)",
    ]


def test_small_formats() -> None:
    assert wording.in_100(0.948) == "95 in 100"
    assert wording.ratio_note(0.72) == "×0.72"
    assert wording.ratio_note(9.0) == "×9.0"
    assert wording.next_test_words("hla_b27") == "A blood test for the gene HLA-B27"


def test_terminal_lines_follow_the_report() -> None:
    report = sample_report(alert="Go now.")
    lines = report_lines(report, leave_out=("Warning signs",))
    assert lines[0] == Line("Go now.", "alert")
    assert lines[-1] == Line(DISCLAIMER, "boxed")
    headings = [line.text for line in lines if line.tone == "heading"]
    assert "Warning signs" not in headings and headings[0] == "What your answers suggest"
    assert any(line.text.startswith("What changed the chance most") for line in lines)
