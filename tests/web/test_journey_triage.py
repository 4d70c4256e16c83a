"""``/clinic/triage`` in chromium on a real server, at 360 px: a clinician signs in, fills the
form by its labels with the keyboard, and reads the result with the red flags first."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import LiveSite, browser_sign_in, screenshot
from tests.web.test_journey_check import UNLABELLED

pytestmark = pytest.mark.browser


def test_a_clinician_triages_on_a_phone(phone_page: Any, live_site: LiveSite) -> None:
    page = phone_page
    browser_sign_in(page, live_site, "clinician")
    page.goto(f"{live_site.url}/clinic/triage")
    assert page.evaluate(UNLABELLED) == []
    page.get_by_label("Age", exact=True).focus()
    page.keyboard.type("31")
    page.get_by_label("Back pain has lasted").fill("40")
    page.get_by_label("Age when the pain started").fill("27")
    for label in (
        "Came on gradually",
        "Better with exercise",
        "Pain at night",
        "HLA-B27 blood test",
    ):
        page.get_by_label(label, exact=True).select_option("true")
    page.get_by_label("Better with rest", exact=True).select_option("false")
    page.get_by_label("A past or current cancer").select_option("true")
    screenshot(page, "triage-phone-form")
    page.get_by_test_id("triage-submit").click()
    page.wait_for_load_state()
    flags = page.get_by_test_id("red-flags")
    expect(flags).to_contain_text("cancer")
    expect(page.get_by_test_id("urgency")).to_have_text("urgent")
    expect(page.get_by_test_id("score")).to_contain_text("%")
    expect(page.get_by_test_id("decision-support")).to_contain_text("not a diagnosis")
    box = flags.bounding_box()
    score = page.get_by_test_id("score").bounding_box()
    assert box is not None and score is not None and box["y"] < score["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(page.get_by_label("Age", exact=True)).to_have_value("31")
    screenshot(page, "triage-phone")
