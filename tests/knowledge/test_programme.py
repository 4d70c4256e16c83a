"""The programme planner against cited cases (programme_cases/programme_plans.toml), its bad input, and
its catalogue's own checks."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from immunospine.errors import InputError
from immunospine.knowledge.programme import catalogue as cat_mod
from immunospine.knowledge.programme.planner import plan_week, week_dates, weekday_name
from immunospine.knowledge.programme.request import parse_request, red_flag_ids

CASES = tomllib.loads(
    (Path(__file__).parent / "programme_cases" / "programme_plans.toml").read_text("utf-8")
)["case"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_plan_case(case: dict[str, Any]) -> None:
    plan = plan_week(parse_request(case["request"]))
    data = plan.to_dict()
    assert data["status"] == case.get("status", "plan"), case["source"]
    for key in ("level", "step", "eased"):
        if key in case:
            assert data[key] == case[key], (key, case["source"])
    if "aerobic_minutes" in case:
        assert data["totals"]["aerobic_minutes"] == case["aerobic_minutes"]
    if "strength_sessions" in case:
        assert data["totals"]["strength_sessions"] == case["strength_sessions"]
    counts: dict[str, int] = {}
    for s in data["sessions"]:
        counts[s["session"]] = counts.get(s["session"], 0) + 1
    for sid, n in case.get("count", {}).items():
        assert counts.get(sid, 0) == n, (sid, counts)
    for sid in case.get("absent", []):
        assert sid not in counts
    text = " ".join(data["explanations"])
    for words in case.get("says", []):
        assert words in text, text
    for words in case.get("safety", []):
        assert any(words in s for s in data["safety"]), data["safety"]
    for sid, words in case.get("notes", {}).items():
        assert any(words in n for s in data["sessions"] if s["session"] == sid for n in s["notes"])
    if "intensity" in case:
        assert {s["intensity"] for s in data["sessions"]} == {case["intensity"]}
    if "red_flag_urgency" in case:
        assert [r["urgency"] for r in data["red_flags"]] == case["red_flag_urgency"]
    for words in case.get("red_flag_advice", []):
        assert any(words in r["advice"] for r in data["red_flags"])
    if data["status"] == "red_flag":
        assert data["sessions"] == []


def test_plan_is_cited_and_marks_unverified() -> None:
    plan = plan_week(
        parse_request({"diagnosis": "axspa", "programme_start": "2026-11-30", "week": 1})
    )
    assert "WHO20" in plan.sources
    assert any(u.startswith("spinal_mobility:") for u in plan.unverified)
    assert "not a diagnosis" in plan.to_dict()["disclaimer"]
    assert plan.count("mobility") == 7


def test_every_session_is_on_a_day_of_the_week() -> None:
    for week in range(1, 13):
        plan = plan_week(
            parse_request(
                {
                    "diagnosis": "axspa",
                    "programme_start": "2026-11-30",
                    "week": week,
                    "prefer": ["hydrotherapy", "mindfulness", "brisk_walking", "cycling"],
                    "age": 70,
                }
            )
        )
        assert all(plan.week_start <= s.on <= plan.week_end for s in plan.sessions)


def test_dates_in_words() -> None:
    assert weekday_name(date(2026, 12, 1)) == "Tuesday 1 December"
    assert week_dates(date(2026, 11, 30), 2) == (date(2026, 12, 7), date(2026, 12, 13))


BAD = [
    ({"diagnosis": "gout"}, "diagnosis", "gout"),
    ({"week": 0}, "week", 0),
    ({"week": 521}, "week", 521),
    ({"minutes_per_week": 5}, "minutes_per_week", 5),
    ({"minutes_per_week": 100_000}, "minutes_per_week", 100_000),
    ({"basfi": 11}, "basfi", 11),
    ({"odi": -1}, "odi", -1),
    ({"prefer": ["yoga"]}, "prefer[0]", "yoga"),
    ({"avoid": ["x"]}, "avoid[0]", "x"),
    ({"done": [{"session": "swimming", "on": "2026-12-01", "minutes": 0}]}, "done[0].minutes", 0),
    (
        {"done": [{"session": "swimming", "on": "2026-12-01", "minutes": 2000}]},
        "done[0].minutes",
        2000,
    ),
    (
        {"missed": [{"session": "nope", "on": "2026-12-01", "reason": "x"}]},
        "missed[0].session",
        "nope",
    ),
    ({"red_flags": ["sore"]}, "red_flags[0]", "sore"),
    ({"colour": "red"}, "colour", "red"),
]


@pytest.mark.parametrize(("change", "field", "value"), BAD, ids=[b[1] for b in BAD])
def test_bad_input_names_field_value_and_range(
    change: dict[str, Any], field: str, value: Any
) -> None:
    data = {"diagnosis": "axspa", "programme_start": "2026-11-30", "week": 1, **change}
    with pytest.raises(InputError) as err:
        parse_request(data)
    problem = err.value.problems[0]
    assert problem.field == field
    assert problem.value == value
    assert problem.msg


def test_preferred_and_avoided_at_once() -> None:
    data = {
        "diagnosis": "axspa",
        "programme_start": "2026-11-30",
        "week": 1,
        "prefer": ["swimming"],
        "avoid": ["swimming"],
    }
    with pytest.raises(InputError, match="both preferred and avoided: swimming"):
        parse_request(data)


def test_red_flag_ids_include_triage_and_fall() -> None:
    ids = red_flag_ids()
    assert "saddle_anaesthesia" in ids
    assert ids[-1] == "new_pain_after_fall"


def test_session_lookup() -> None:
    assert cat_mod.session("swimming").kind == "exercise"
    assert cat_mod.session("sleep_routine").kind == "stress_reduction"
    with pytest.raises(InputError) as err:
        cat_mod.session("yoga", field="--session")
    assert err.value.problems[0].field == "--session"
    assert "allowed: balance_training" in err.value.problems[0].msg


def test_catalogue_kinds_are_the_records_intervention_kinds() -> None:
    from immunospine.records import InterventionKind

    kinds = {k.value for k in InterventionKind}
    assert {s.kind for s in cat_mod.catalogue().session} <= kinds
    assert set(cat_mod.catalogue().contraindications) == set(cat_mod.CONTRAINDICATIONS)


_TEXT = (Path(cat_mod.__file__).parent / "data" / "catalogue.toml").read_text("utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('sources = ["WHO20", "WHO20-T", "EULAR-PA18-R"]', 'sources = ["NOPE"]', "unknown source"),
        ('id = "cycling"', 'id = "swimming"', "duplicate session ids"),
        (
            'for = ["axspa", "pspa", "psa", "ibd_spa"]\nminutes_start = 5\nminutes_target = 10',
            'for = ["gout"]\nminutes_start = 5\nminutes_target = 10',
            "unknown diagnoses",
        ),
        (
            'sources = ["ACSM-98", "ACSM-SUM", "ACSM-TREK", "WHO20"]\nverified = true',
            'sources = ["ACSM-98"]\nverified = true\nunverified = ["x"]',
            "verified = true but",
        ),
        (
            'sources = ["ACR19"]\nverified = false\nunverified = ["the exercise cautions',
            'sources = ["ACR19"]\nverified = false\nxunverified = ["the',
            "unverified",
        ),
        (
            'sources = ["ACSM-98", "ACSM-SUM", "ACSM-TREK", "WHO20"]\nverified = true',
            'sources = ["ACSM-98"]\nverified = false',
            "needs the unverified facts",
        ),
    ],
)
def test_catalogue_refuses_inconsistent_data(old: str, new: str, message: str) -> None:
    assert old in _TEXT
    with pytest.raises(ValueError, match=message):
        cat_mod.load(_TEXT.replace(old, new, 1))


def test_catalogue_needs_every_contraindication() -> None:
    data = tomllib.loads(_TEXT)
    del data["contraindications"]["fall_risk"]
    with pytest.raises(ValueError, match="every contraindication code needs its entry"):
        cat_mod.Catalogue.model_validate(data, strict=False)


def test_plan_weeks_is_plan_week_for_every_week() -> None:
    from immunospine.knowledge.programme.planner import plan_weeks

    data = {
        "diagnosis": "axspa",
        "programme_start": "2026-09-07",
        "week": 12,
        "basfi": 5,
        "flare_dates": ["2026-10-06"],
        "done": [{"session": "brisk_walking", "on": f"2026-09-{d:02d}"} for d in (7, 9, 16)],
        "missed": [{"session": "relaxation", "on": "2026-09-22", "reason": "busy"}],
    }
    together = plan_weeks(parse_request(data))
    alone = [plan_week(parse_request({**data, "week": w})) for w in range(1, 13)]
    assert [p.to_dict() for p in together] == [p.to_dict() for p in alone]
    assert len({p.step for p in together}) > 3
    flagged = plan_weeks(parse_request({**data, "week": 2, "red_flags": ["new_pain_after_fall"]}))
    assert [p.status for p in flagged] == ["red_flag", "red_flag"]
