"""Considerations from the knowledge base are named by the base's own names in reports."""

from __future__ import annotations

from immunospine.reports import wording


def test_condition_names_come_from_the_rules_then_the_base() -> None:
    assert wording.condition_name("fibromyalgia").startswith("fibromyalgia (")
    assert wording.condition_name("igg4_related_disease").startswith("IgG4-related disease")
    assert wording.condition_name("something_else") == "something else"
