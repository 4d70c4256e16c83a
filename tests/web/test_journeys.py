"""Browser journeys (issue 10) in Debian's chromium driven by Playwright, on a real server.

Each journey ends with a screenshot kept under ``test-artifacts/screenshots``.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import LiveSite, browser_sign_in, screenshot

pytestmark = pytest.mark.browser

BASDAI = {"q1": "2", "q2": "10", "q3": "7", "q4": "1", "q5": "9", "q6": "3"}


def fill_basdai(page, live_site: LiveSite) -> None:
    page.goto(f"{live_site.url}/me/questionnaires/basdai")
    for i, (name, value) in enumerate(BASDAI.items()):
        page.locator(f'input[name="{name}"]').fill(value)
        if i < len(BASDAI) - 1:
            assert page.get_by_test_id("score").inner_text() == "–"  # not complete yet
    expect(page.get_by_test_id("score")).to_have_text("5.2")


def test_journey_2_patient_fills_basdai_and_diary(browser_page, live_site: LiveSite) -> None:
    page = browser_page
    browser_sign_in(page, live_site, "patient")
    assert page.url.endswith("/me")
    fill_basdai(page, live_site)
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/me\?saved=basdai$"))
    card = page.get_by_test_id("latest-basdai")
    assert card.get_by_test_id("latest-score").inner_text() == "5.20"
    page.goto(f"{live_site.url}/me/diary")
    page.get_by_label("Pain").fill("6")
    page.get_by_label("Sleep last night").fill("5.5")
    page.get_by_label("Stress").fill("7")
    page.get_by_test_id("save-diary").click()
    page.get_by_test_id("diary-saved").wait_for()
    assert "5.5" in page.get_by_test_id("recent-diary").inner_text()
    page.goto(f"{live_site.url}/me")
    page.locator('[data-testid="chart-diary_chart"][data-drawn="true"] svg').first.wait_for()
    assert page.get_by_test_id("latest-basdai").is_visible()
    screenshot(page, "journey2-me")
