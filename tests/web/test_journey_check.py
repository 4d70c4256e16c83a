"""Browser journey 1 (issue 10): a person without an account completes ``/check`` with an
inflammatory pattern, sees the probability and the referral advice, and downloads the PDF.

Debian's chromium driven by Playwright on a real server (``live_site``); the answers are the
terminal tests' typical story of axial spondyloarthritis. Ends with a screenshot kept under
``test-artifacts/screenshots``; the same journey runs at 360 px width, where nothing may be wider
than the screen.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pypdf
import pytest
from playwright.sync_api import expect

from immunospine.reports.wording import NOT_A_DIAGNOSIS
from immunospine.services import triage
from immunospine.services.self_check import NO_BACK_PAIN_ADVICE, QUESTIONS
from tests.self_check.answers import TYPICAL_AS, answer_all
from tests.web.conftest import LiveSite, screenshot

pytestmark = pytest.mark.browser

REFERRAL = "Ask about a referral to a rheumatologist"
UNLABELLED = """Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
  .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.name)"""


def fill_check(page: Any, answers: dict[str, str]) -> None:
    """Answer every question that shows, in order, as a person would (keyboard-reachable
    controls found by their ids and labels)."""
    for question in QUESTIONS:
        box = page.get_by_test_id(f"question-{question.id}")
        if not box.is_visible():
            continue
        typed = answers[question.id]
        if question.is_number:
            number = re.fullmatch(r"(\d+)(?: (years|hours?))?", typed)
            assert number is not None, typed
            page.locator(f"#{question.id}").fill(number.group(1))
            if number.group(2):
                unit = number.group(2).rstrip("s") + "s"
                page.locator(f"#{question.id}_unit").select_option(unit)
        else:
            page.locator(f"#{question.id}-{typed}").check()


def expected_chance() -> str:
    result = triage.triage(answer_all(TYPICAL_AS).case())
    return f"About {round(100 * (result.probability.score or 0))} in 100"


def run_journey(page: Any, live_site: LiveSite, tmp_path: Path, name: str) -> None:
    page.goto(f"{live_site.url}/check")
    expect(page.get_by_role("heading", level=1)).to_have_text("Back pain self-check")
    # a follow-up stays hidden until its question is answered yes
    follow_up = page.get_by_test_id("question-morning_stiffness_minutes")
    expect(follow_up).to_be_hidden()
    assert page.evaluate(UNLABELLED) == []
    fill_check(page, TYPICAL_AS)
    expect(follow_up).to_be_visible()
    screenshot(page, f"{name}-form")
    page.get_by_test_id("check-submit").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your result")
    assert page.get_by_test_id("emergency-alert").count() == 0
    expect(page.get_by_test_id("not-a-diagnosis")).to_contain_text(NOT_A_DIAGNOSIS)
    expect(page.get_by_test_id("chance")).to_contain_text(expected_chance())
    expect(page.get_by_test_id("doctor")).to_contain_text(REFERRAL)
    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    download = download_info.value
    assert download.suggested_filename == "immunospine-summary.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    reader = pypdf.PdfReader(saved)
    text = " ".join(reader.pages[0].extract_text().split())
    assert REFERRAL in text
    assert expected_chance() in text
    assert "not a diagnosis" in text
    screenshot(page, name)


def test_journey_1_self_check_without_an_account(
    browser_page: Any, live_site: LiveSite, tmp_path: Path
) -> None:
    run_journey(browser_page, live_site, tmp_path, "journey1-check")


def test_journey_1_at_phone_width(phone_page: Any, live_site: LiveSite, tmp_path: Path) -> None:
    run_journey(phone_page, live_site, tmp_path, "journey1-check-phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the result page is {width} px wide at 360 px"
    phone_page.goto(f"{live_site.url}/check")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the form is {width} px wide at 360 px"


def test_no_back_pain_hides_the_rest_and_ends_with_the_advice(
    browser_page: Any, live_site: LiveSite
) -> None:
    page = browser_page
    page.goto(f"{live_site.url}/check")
    page.get_by_label("Age", exact=True).fill("45")
    page.locator("#sex-f").check()
    page.locator("#has_back_pain-n").check()
    expect(page.get_by_test_id("question-duration_months")).to_be_hidden()
    expect(page.get_by_test_id("question-thoracic_pain")).to_be_hidden()
    page.get_by_test_id("check-submit").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("no-back-pain")).to_have_text(NO_BACK_PAIN_ADVICE)
