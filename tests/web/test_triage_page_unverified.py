"""``/clinic/triage`` names the unverified facts the result used (issue 14)."""

from __future__ import annotations

from immunospine.services import triage
from immunospine.web.pages_triage import case_of
from tests.web.test_triage_page import INFLAMMATORY, Pages, submit, text_of


def test_an_unverified_red_flag_and_likelihood_ratio_are_shown(pages: Pages) -> None:
    form = {**INFLAMMATORY, "red_flags.thoracic_pain": "true", "findings.psoriasis": "true"}
    page = submit(pages("clinician"), form).text
    assert 'data-testid="unverified"' in page
    text = text_of(page)
    notes = triage.triage(case_of(form)).unverified
    assert notes
    for note in notes:
        assert note in text


def test_nothing_shown_when_nothing_unverified_was_used(pages: Pages) -> None:
    assert 'data-testid="unverified"' not in submit(pages("clinician"), INFLAMMATORY).text
