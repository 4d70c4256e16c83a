"""The knowledge pages in chromium on a real server, at 360 px: the list filtered by its form,
one entry and the unverified register pass axe-core and fit the screen; the triage form's new
fields are labelled."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import LiveSite, assert_accessible, assert_fits, browser_sign_in
from tests.web.test_journey_check import UNLABELLED

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # three axe-core runs: about 8 s


def test_the_knowledge_pages_on_a_phone(phone_page: Any, live_site: LiveSite) -> None:
    page = phone_page
    page.goto(f"{live_site.url}/knowledge/diseases")
    page.get_by_label("How it reaches the back").select_option("nerve_or_spinal_cord")
    page.get_by_label("Body system").select_option("neurological")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "mechanism=nerve_or_spinal_cord" in page.url
    for name in ("/knowledge/diseases", "/knowledge/diseases/lupus", "/knowledge/unverified"):
        if name != "/knowledge/diseases":
            page.goto(f"{live_site.url}{name}")
        expect(page.get_by_test_id("not-a-diagnosis")).to_contain_text("not a diagnosis")
        assert_accessible(page, name)
        assert_fits(page, name)
    browser_sign_in(page, live_site, "clinician")
    page.goto(f"{live_site.url}/clinic/triage")
    assert page.evaluate(UNLABELLED) == []
    expect(page.get_by_label("Diagnoses the person already has")).to_be_editable()
    page.get_by_label("Numbness or tingling", exact=True).select_option("true")
