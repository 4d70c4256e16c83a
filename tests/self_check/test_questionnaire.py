"""The self-check questionnaire: questions, answer checks, and the triage case the answers make."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from immunospine.knowledge.probability.axspa import Findings
from immunospine.knowledge.reasoning.case import BackPain, RedFlagAnswers, parse_case
from immunospine.services.self_check import (
    NO_BACK_PAIN_ADVICE,
    QUESTIONS,
    Question,
    Session,
    build_case,
    question,
)
from tests.self_check.answers import TYPICAL_AS, answer_all

MAPPED = [q for q in QUESTIONS if q.field is not None]
YES_NO = [q for q in MAPPED if not q.is_number and q.choices[0].value is True]


def at(case: dict[str, object], path: tuple[str, ...]) -> object:
    value: object = case
    for part in path:
        assert isinstance(value, dict), path
        value = value[part]
    return value


def session_at(qid: str, answers: dict[str, str] | None = None) -> Session:
    """A session with every question before ``qid`` answered from ``answers`` (typical AS)."""
    answers = answers or TYPICAL_AS
    session = Session()
    while (q := session.current) is not None and q.id != qid:
        assert session.submit(answers[q.id]).status == "accepted"
    assert session.current is not None and session.current.id == qid
    return session


def test_every_question_explains_itself_in_one_short_sentence() -> None:
    for q in QUESTIONS:
        assert q.text.strip() and q.label.strip(), q.id
        assert q.why.endswith(".") and q.why.count(". ") == 0 and len(q.why) <= 120, q.id


def test_every_question_but_age_accepts_dont_know() -> None:
    assert [q.id for q in QUESTIONS if not q.allow_unknown] == ["age"]
    assert all("d = don't know" in q.hint() for q in QUESTIONS if q.allow_unknown)


def test_the_questions_cover_every_contract_field() -> None:
    fields = {q.field for q in MAPPED}
    assert {("back_pain", f) for f in BackPain.model_fields} - fields == {
        ("back_pain", "neck_pain")
    }
    assert {("red_flags", f) for f in RedFlagAnswers.model_fields} <= fields
    assert {("findings", f) for f in Findings.model_fields} - fields == {
        ("findings", "inflammatory_back_pain")  # derived by the triage from the back-pain answers
    }
    assert {("age",), ("sex",)} <= fields


def test_a_complete_session_makes_a_valid_case() -> None:
    case = answer_all(TYPICAL_AS).case()
    parsed = parse_case(case)
    assert parsed.age == 32
    assert parsed.sex == "male"
    assert parsed.back_pain.duration_months == 60
    assert parsed.back_pain.morning_stiffness_minutes == 60
    assert parsed.findings.hla_b27 is True
    assert parsed.findings.elevated_crp_or_esr is None
    assert parsed.red_flags.thoracic_pain is None
    assert parsed.red_flags.saddle_anaesthesia is False


@pytest.mark.parametrize("q", YES_NO, ids=lambda q: q.id)
@pytest.mark.parametrize(("typed", "expected"), [("y", True), ("n", False), ("d", None)])
def test_each_yes_no_question_maps_to_its_contract_field(
    q: Question, typed: str, expected: bool | None
) -> None:
    session = session_at(q.id)
    assert session.submit(typed).status in {"accepted", "finished"}
    case = session.case()
    assert at(case, q.field or ()) is expected
    parse_case(case)


@pytest.mark.parametrize(
    ("qid", "typed", "path", "expected"),
    [
        ("age", "45", ("age",), 45),
        ("sex", "f", ("sex",), "female"),
        ("sex", "female", ("sex",), "female"),
        ("sex", "o", ("sex",), "other"),
        ("sex", "d", ("sex",), None),
        ("duration_months", "14", ("back_pain", "duration_months"), 14),
        ("duration_months", "2 years", ("back_pain", "duration_months"), 24),
        ("duration_months", "1.5y", ("back_pain", "duration_months"), 18),
        ("duration_months", "three years", ("back_pain", "duration_months"), 36),
        ("duration_months", "a year", ("back_pain", "duration_months"), 12),
        ("duration_months", "Twenty-four months", ("back_pain", "duration_months"), 24),
        ("age_at_onset", "twenty five", ("back_pain", "age_at_onset"), 25),
        (
            "morning_stiffness_minutes",
            "half an hour",
            ("back_pain", "morning_stiffness_minutes"),
            30,
        ),
        ("morning_stiffness_minutes", "an hour", ("back_pain", "morning_stiffness_minutes"), 60),
        ("duration_months", "d", ("back_pain", "duration_months"), None),
        ("age_at_onset", "20", ("back_pain", "age_at_onset"), 20),
        ("age_at_onset", "don't know", ("back_pain", "age_at_onset"), None),
        ("morning_stiffness_minutes", "45", ("back_pain", "morning_stiffness_minutes"), 45),
        ("morning_stiffness_minutes", "2 hours", ("back_pain", "morning_stiffness_minutes"), 120),
        ("morning_stiffness_minutes", "d", ("back_pain", "morning_stiffness_minutes"), None),
    ],
)
def test_numbers_and_choices_map_to_the_contract(
    qid: str, typed: str, path: tuple[str, ...], expected: object
) -> None:
    session = session_at(qid)
    assert session.submit(typed).status == "accepted"
    assert at(session.case(), path) == expected


def test_dont_know_everywhere_gives_nulls_never_guesses() -> None:
    session = Session()
    session.submit("40")
    while session.current is not None:
        assert session.submit("d").status in {"accepted", "finished"}
    case = session.case()
    assert case["age"] == 40
    assert case["sex"] is None
    for group in ("back_pain", "findings", "red_flags"):
        assert case[group] and all(v is None for v in case[group].values()), group
    parse_case(case)


@pytest.mark.parametrize(
    ("gate", "follow_up", "implied"),
    [
        ("morning_stiffness", "morning_stiffness_minutes", 0),
        ("night_pain", "wakes_second_half_of_night", False),
        ("buttock_pain", "alternating_buttock_pain", False),
    ],
)
def test_a_no_skips_the_follow_up_and_implies_its_answer(
    gate: str, follow_up: str, implied: object
) -> None:
    session = session_at(gate)
    n, m = session.progress()
    session.submit("n")
    assert session.current is not None and session.current.id != follow_up
    assert session.progress() == (n + 2, m)  # the number jumps over the follow-up; same total
    assert session.skipped() == (question(follow_up),)
    assert at(session.case(), question(follow_up).field or ()) == implied


@pytest.mark.parametrize(
    ("gate", "follow_up"),
    [
        ("morning_stiffness", "morning_stiffness_minutes"),
        ("night_pain", "wakes_second_half_of_night"),
        ("buttock_pain", "alternating_buttock_pain"),
    ],
)
def test_a_dont_know_gate_skips_the_follow_up_and_leaves_it_unknown(
    gate: str, follow_up: str
) -> None:
    """Defect 5: "Does it wake you?" was asked after "don't know" whether there is night pain."""
    session = session_at(gate)
    session.submit("d")
    assert session.current is not None and session.current.id != follow_up
    assert at(session.case(), question(follow_up).field or ()) is None


def test_the_question_count_never_changes_and_ends_at_the_total() -> None:
    """Defect 5: "Question 5 of 37" became "of 35" mid-way; the last one was not "N of N"."""
    answers = {**TYPICAL_AS, "morning_stiffness": "n", "night_pain": "d", "buttock_pain": "n"}
    session = Session()
    seen: list[tuple[int, int]] = []
    while (q := session.current) is not None:
        seen.append(session.progress())
        session.submit(answers[q.id])
    assert {m for _, m in seen} == {len(QUESTIONS)}
    assert seen[-1] == (len(QUESTIONS), len(QUESTIONS))
    assert [n for n, _ in seen] == sorted({n for n, _ in seen})
    assert len(seen) + len(session.skipped()) == len(QUESTIONS)


def test_dont_know_about_stiffness_skips_its_length_and_leaves_it_unknown() -> None:
    session = session_at("morning_stiffness")
    session.submit("d")
    assert session.current is not None and session.current.id == "improves_with_exercise"
    assert session.case()["back_pain"]["morning_stiffness_minutes"] is None


def test_no_back_pain_stops_early_with_advice() -> None:
    session = Session()
    session.submit("30")
    session.submit("f")
    reply = session.submit("n")
    assert reply.status == "stopped"
    assert reply.message == NO_BACK_PAIN_ADVICE == session.stopped
    assert session.current is None and session.finished


@pytest.mark.parametrize(
    ("qid", "typed", "says"),
    [
        ("age", "d", "needed"),
        ("age", "abc", "number"),
        ("age", "about thirty", "in digits or words"),
        ("age", "a", "number"),
        ("duration_months", "five twenty years", "number"),
        ("age", "130", "outside"),
        ("age", "-3", "number"),
        ("age", "32.5", "whole years"),
        ("sex", "x", "f = female"),
        ("has_back_pain", "maybe", "y = yes"),
        ("duration_months", "40 years", "longer than your age"),
        ("duration_months", "5 parsecs", "number"),
        ("age_at_onset", "33", "older than your age"),
        ("age_at_onset", "30", "started at about age 27"),
        ("morning_stiffness_minutes", "0", "outside"),
        ("morning_stiffness_minutes", "25 hours", "outside"),
    ],
)
def test_answers_not_allowed_are_re_asked_with_what_is_allowed(
    qid: str, typed: str, says: str
) -> None:
    session = session_at(qid)
    reply = session.submit(typed)
    assert reply.status == "invalid"
    assert says in reply.message
    assert session.current is not None and session.current.id == qid
    assert qid not in session.answers


def test_back_goes_back_and_quit_keeps_nothing() -> None:
    session = Session()
    assert session.submit("b").status == "invalid"  # nothing to go back to
    session.submit("32")
    assert session.submit("back").status == "back"
    assert session.current is not None and session.current.id == "age"
    assert session.answers == {}
    assert session.submit("q").status == "quit"


@pytest.mark.parametrize(
    "qid",
    ["saddle_anaesthesia", "bladder_or_bowel_dysfunction", "progressive_neurological_deficit"],
)
def test_an_emergency_answer_alerts_at_once_and_the_session_goes_on(qid: str) -> None:
    session = session_at(qid)
    reply = session.submit("y")
    assert reply.status == "accepted"
    assert reply.alert.startswith("SEEK EMERGENCY CARE NOW")
    assert session.alerts == [reply.alert]
    assert session.current is not None


def test_a_non_emergency_red_flag_does_not_alert() -> None:
    session = session_at("history_of_cancer")
    assert session.submit("y").alert == ""


def test_build_case_leaves_unanswered_questions_out() -> None:
    assert build_case({}) == {}


@settings(max_examples=200, deadline=None)
@given(typed=st.lists(st.text(max_size=12), max_size=60))
def test_any_typing_never_crashes(typed: list[str]) -> None:
    session = Session()
    for text in typed:
        if session.current is None:
            break
        reply = session.submit(text)
        assert reply.status in {"accepted", "invalid", "quit", "back", "finished", "stopped"}
    if "age" in session.answers:
        parse_case(session.case())


def test_the_onset_check_says_what_was_typed_without_float_noise() -> None:
    """It said "lasted 4.16667 years, so it started at about age 27.8333"."""
    session = session_at("age_at_onset", {**TYPICAL_AS, "duration_months": "50 months"})
    reply = session.submit("30")
    assert reply.status == "invalid"
    assert "lasted 50 months, so it started at about age 27 or earlier" in reply.message
