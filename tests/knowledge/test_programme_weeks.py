"""How the planner names weeks in its explanations: every week of a short list, a summary of a
long one (a programme of years must not read as a list of a hundred numbers)."""

from __future__ import annotations

from immunospine.knowledge.programme import planner


def test_short_lists_name_every_week() -> None:
    assert planner._weeks([3]) == "week 3"
    assert planner._weeks([3, 5, 8, 9, 10, 12]) == "weeks 3, 5, 8, 9, 10, 12"


def test_long_lists_are_summed_up() -> None:
    assert planner._weeks([1, 2, 4, 8, 40, 43, 44]) == "7 weeks, most recently weeks 40, 43 and 44"
