"""HAQ-DI: the ≥ 6 categories rule, unanswered items, aids/help, monotonicity."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from immunospine.knowledge import calculate
from immunospine.knowledge.instruments.haq_di import ITEMS_PER_CATEGORY

A19: dict[str, Any] = {
    "dressing": [1, 0],
    "arising": [2, 1],
    "eating": [0, 0, 0],
    "walking": [1, 0],
    "hygiene": [1, 0, 0],
    "reach": [0, 0],
    "grip": [1, 1, 0],
    "activities": [2, 0, 1],
}
FIVE = {k: A19[k] for k in ("dressing", "arising", "eating", "walking", "hygiene")}


def test_five_categories_give_no_score_and_name_the_rest() -> None:
    """clinical.md §4i: fewer than 6 categories answered → no score."""
    result = calculate("haq_di", **FIVE)
    assert result.score is None
    assert result.category is None
    assert result.missing == ("reach", "grip", "activities")
    assert "at least 6" in result.interpretation


def test_all_null_items_leave_a_category_unanswered() -> None:
    result = calculate("haq_di", **FIVE, reach=[None, None], grip=[None, None, None])
    assert result.score is None
    assert result.missing == ("reach", "grip", "activities")


def test_one_answered_item_answers_its_category() -> None:
    result = calculate("haq_di", **FIVE, reach=[None, 2])
    assert result.score == (1 + 2 + 0 + 1 + 1 + 2) / 6
    assert result.components["reach"] == 2


def test_aids_cannot_answer_a_category() -> None:
    result = calculate("haq_di", **FIVE, aids_or_help=["grip"])
    assert result.score is None
    assert result.components["grip"] is None


def test_nothing_answered() -> None:
    result = calculate("haq_di")
    assert result.score is None
    assert result.missing == tuple(ITEMS_PER_CATEGORY)


def test_null_item_is_accepted_and_unknown_is_not_zero() -> None:
    """A null item must not count as 0: [null, 3] scores 3, [null, null] is unanswered."""
    result = calculate("haq_di", **{**A19, "walking": [None, 3]})
    assert result.components["walking"] == 3


CATEGORY = st.sampled_from(sorted(ITEMS_PER_CATEGORY))


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, n in ITEMS_PER_CATEGORY.items():
        items = draw(st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=n, max_size=n))
        out[name] = items
    out["aids_or_help"] = draw(st.lists(CATEGORY, unique=True, max_size=8))
    return out


@given(answers())
def test_with_aids_is_never_below_without_and_in_range(inputs: dict[str, Any]) -> None:
    with_aids = calculate("haq_di", **inputs).score
    without = calculate("haq_di", **inputs, scoring="without_aids").score
    assert (with_aids is None) == (without is None)
    if with_aids is not None and without is not None:
        assert 0 <= without <= with_aids <= 3


@given(answers(), CATEGORY, st.data())
def test_raising_an_answered_item_never_lowers_the_score(
    inputs: dict[str, Any], category: str, data: st.DataObject
) -> None:
    items = list(inputs[category])
    index = data.draw(st.integers(0, len(items) - 1))
    if items[index] is None:
        return
    worse = dict(inputs)
    worse[category] = [*items[:index], min(3, items[index] + 1), *items[index + 1 :]]
    before = calculate("haq_di", **inputs).score
    after = calculate("haq_di", **worse).score
    if before is not None and after is not None:
        assert before <= after
