"""ODI: missing sections (null cannot be written in TOML case files), band edges, properties."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immunospine.cli import main
from immunospine.errors import InputError
from immunospine.knowledge import calculate
from immunospine.knowledge.instruments.odi import BANDS

SIXTEEN_IN_NINE = [2, 2, 2, 2, 2, 2, 2, 1, 1, None]


def test_sheet_example_one_section_missing() -> None:
    """clinical.md A21 [S]: 9 sections, total 16 → 16/45 = 35.56 % (the sheet prints 35.5)."""
    result = calculate("odi", sections=SIXTEEN_IN_NINE)
    assert result.score == pytest.approx(35.5556, abs=1e-4)
    assert result.category == "moderate"
    assert result.missing == ("sections[9]",)
    assert result.components["unanswered_sections"] == ["travelling"]
    assert result.components["possible_total"] == 45


def test_awell_example_one_section_missing() -> None:
    """clinical.md §5a [S] awell-score: 5,5,3,3,0,0,0,0,0 and one missing → 35.56."""
    result = calculate("odi", sections=[5, 5, 3, 3, 0, 0, 0, None, 0, 0])
    assert result.score == pytest.approx(35.5556, abs=1e-4)
    assert result.missing == ("sections[7]",)


def test_nine_of_45_is_exactly_twenty_and_minimal() -> None:
    result = calculate("odi", sections=[1, 1, 1, 1, 1, 1, 1, 1, 1, None])
    assert result.score == 20.0
    assert result.category == "minimal"


def test_two_missing_sections_are_refused_by_default() -> None:
    with pytest.raises(InputError) as info:
        calculate("odi", sections=[2, 2, 2, 2, 2, 2, 2, 2, None, None])
    assert [p.field for p in info.value.problems] == ["sections"]
    message = str(info.value)
    assert "social_life" in message
    assert "travelling" in message
    assert "max_missing_sections" in message


def test_more_missing_sections_by_option_use_the_per_section_denominator() -> None:
    result = calculate(
        "odi", sections=[5, 5, 5, None, None, None, 0, 0, 0, 0], max_missing_sections=3
    )
    assert result.score == pytest.approx(15 * 100 / 35)
    assert result.missing == ("sections[3]", "sections[4]", "sections[5]")


def test_no_section_answered_is_refused_even_at_the_maximum_option() -> None:
    with pytest.raises(InputError):
        calculate("odi", sections=[None] * 10, max_missing_sections=9)


@pytest.mark.parametrize(
    ("percent", "category"),
    [
        (0.0, "minimal"),
        (20.0, "minimal"),
        (20.01, "moderate"),
        (35.56, "moderate"),
        (40.0, "moderate"),
        (40.01, "severe"),
        (60.0, "severe"),
        (60.01, "crippled"),
        (80.0, "crippled"),
        (80.01, "bed_bound"),
        (100.0, "bed_bound"),
    ],
)
def test_band_edges_for_non_integer_scores(percent: float, category: str) -> None:
    """Fairbank 2000 bands 0–20/21–40/…: each upper edge belongs to the lower band."""
    assert BANDS.classify(percent) == category


def test_missing_section_through_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"sections": SIXTEEN_IN_NINE})))
    assert main(["calc", "odi"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["missing"] == ["sections[9]"]
    assert out["score"] == pytest.approx(35.5556, abs=1e-4)


def test_too_many_missing_through_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sections = [2, 2, 2, 2, 2, 2, 2, 2, None, None]
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"sections": sections})))
    assert main(["calc", "odi"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "sections" in err


ANSWER = st.one_of(st.none(), st.integers(0, 5))


@given(st.lists(ANSWER, min_size=10, max_size=10), st.integers(0, 9))
def test_score_in_range_or_refused(sections: list[int | None], allowed: int) -> None:
    missing = sections.count(None)
    if missing > allowed or missing == 10:
        with pytest.raises(InputError):
            calculate("odi", sections=sections, max_missing_sections=allowed)
        return
    result = calculate("odi", sections=sections, max_missing_sections=allowed)
    assert result.score is not None
    assert 0.0 <= result.score <= 100.0
    assert len(result.missing) == missing


@given(st.lists(st.integers(0, 4), min_size=10, max_size=10), st.integers(0, 9))
def test_a_worse_answer_never_lowers_the_score(sections: list[int], index: int) -> None:
    worse = list(sections)
    worse[index] += 1
    before = calculate("odi", sections=sections).score
    after = calculate("odi", sections=worse).score
    assert before is not None and after is not None
    assert after > before
