"""The pages' strings are marked for translation and the catalogue is current."""

from __future__ import annotations

from immunospine.web import catalogue
from immunospine.web.templating import gettext


def test_the_catalogue_template_is_current() -> None:
    assert catalogue.main([]) == 0, "run `make translations` and commit the catalogue"


def test_english_ships_and_translates_to_itself() -> None:
    assert (catalogue.LOCALE / "en" / "LC_MESSAGES" / "messages.mo").exists()
    assert gettext("Sign in") == "Sign in"
    assert b'msgid "Sign in"' in catalogue.POT.read_bytes()
