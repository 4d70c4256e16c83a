"""``visit.record_visit``: one visit scored and stored all or nothing, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from immunospine.errors import InputError, NotFound
from immunospine.records import Assessment, AuditEntry, LabResult
from immunospine.services import record, visit
from immunospine.services.audit import audit_trail
from immunospine.storage.uow import Database
from tests.storage.dbfixtures import db, db_url  # noqa: F401

BASDAI = {"q1": 6, "q2": 7, "q3": 5, "q4": 4, "q5": 6, "q6": 5}
ASDAS = {"back_pain": 7, "morning_stiffness_duration": 6, "patient_global": 7, "peripheral_pain": 3}
BASFI = {f"q{i}": 5 for i in range(1, 11)}


def _patient(db: Database, condition: str = "axspa") -> None:  # noqa: F811
    record.register_patient(db, "P1", 1980, "female", actor="t")
    record.diagnose(db, "P1", condition, date(2020, 1, 1), actor="t")


def _counts(db: Database) -> tuple[int, int, int]:  # noqa: F811
    with db.transaction() as uow:
        return (
            uow.records.count(Assessment),
            uow.records.count(LabResult),
            len(uow.audit.query(patient_id="P1")),
        )


def test_lab_fills_calculators_and_is_stored(db: Database) -> None:  # noqa: F811
    _patient(db)
    v: dict[str, Any] = {
        "labs": {"crp_mg_l": 12, "esr_mm_h": 30},
        "assessments": {"basdai": BASDAI, "asdas_crp": ASDAS, "asdas_esr": ASDAS, "basfi": BASFI},
    }
    result = visit.record_visit(db, "P1", date(2024, 1, 10), v, actor="dr.lee")
    scores = {a.calculator: a for a in result.assessments}
    assert scores["asdas_crp"].inputs["crp_mg_l"] == 12
    assert scores["asdas_esr"].inputs["esr_mm_h"] == 30
    assert scores["basdai"].score == pytest.approx(5.5)
    assert {(lab.test.value, lab.value, lab.unit) for lab in result.labs} == {
        ("crp", 12.0, "mg/L"),
        ("esr", 30.0, "mm/h"),
    }
    assert result.previous_on is None and result.response is None
    (target,) = result.targets
    assert target.status == "off_target" and target.target == "ASDAS < 2.1"
    out = result.to_dict()
    assert out["scores"]["asdas_crp"]["category"] == "very_high"
    assert out["change"] is None
    entries = audit_trail(db, actor="t", patient_id="P1", by_actor="dr.lee")
    assert sorted(e.entity for e in entries) == ["assessment"] * 4 + ["lab_result"] * 2
    assert all(isinstance(e, AuditEntry) and e.action == "create" for e in entries)


def test_change_since_previous_visit_and_target(db: Database) -> None:  # noqa: F811
    _patient(db)
    first = {"labs": {"crp_mg_l": 12}, "assessments": {"basdai": BASDAI, "asdas_crp": ASDAS}}
    visit.record_visit(db, "P1", date(2024, 1, 10), first, actor="t")
    better = {"back_pain": 3, "morning_stiffness_duration": 2, "patient_global": 3}
    second = {
        "on": "2024-04-10",
        "labs": {"crp_mg_l": 3},
        "assessments": {
            "basdai": {"q1": 2, "q2": 3, "q3": 2, "q4": 1, "q5": 2, "q6": 2},
            "asdas_crp": {**better, "peripheral_pain": 1},
        },
    }
    result = visit.record_visit(db, "P1", None, second, actor="t")
    assert result.previous_on == date(2024, 1, 10)
    assert result.response is not None
    assert result.response.results["basdai50"].to_dict()["verdict"] == "met"
    asdas = result.response.results["asdas_response"].to_dict()
    assert asdas["components"]["clinically_important_improvement"] is True
    assert "asas20" in result.response.not_computed  # no BASFI at the second visit
    assert result.targets[0].status == "on_target"


def test_conflicting_lab_values_are_refused(db: Database) -> None:  # noqa: F811
    _patient(db)
    v = {"labs": {"crp_mg_l": 12}, "assessments": {"asdas_crp": {**ASDAS, "crp_mg_l": 14}}}
    with pytest.raises(InputError) as exc:
        visit.record_visit(db, "P1", date(2024, 1, 10), v, actor="t")
    (problem,) = exc.value.problems
    assert problem.field == "assessments.asdas_crp.crp_mg_l" and problem.value == 14
    assert "labs.crp_mg_l = 12" in problem.msg
    # Two assessments disagreeing with each other (no lab given) are refused too.
    v = {
        "assessments": {
            "asdas_crp": {**ASDAS, "crp_mg_l": 14},
            "sdai": {
                "tender_joints_28": 3,
                "swollen_joints_28": 2,
                "patient_global": 5,
                "evaluator_global": 4,
                "crp_mg_l": 1.4,
            },
        }
    }
    with pytest.raises(InputError, match=r"sdai\.crp_mg_l"):
        visit.record_visit(db, "P1", date(2024, 1, 10), v, actor="t")
    # The same value given twice is fine.
    same = {"labs": {"crp_mg_l": 12}, "assessments": {"asdas_crp": {**ASDAS, "crp_mg_l": 12}}}
    assert visit.record_visit(db, "P1", date(2024, 1, 10), same, actor="t").assessments


def test_every_problem_is_listed_and_nothing_is_written(db: Database) -> None:  # noqa: F811
    _patient(db)
    before = _counts(db)
    bad = {
        "labs": {"crp_mg_l": -1, "esr": 3, "hla_b27": "yes"},
        "assessments": {"basdai": {**BASDAI, "q3": 12}, "nonsense": {}, "basfi": BASFI},
    }
    with pytest.raises(InputError) as exc:
        visit.record_visit(db, "P1", date(2024, 1, 10), bad, actor="t")
    fields = {p.field for p in exc.value.problems}
    assert {
        "labs.esr",
        "labs.crp_mg_l",
        "labs.hla_b27",
        "assessments.basdai.q3",
        "assessments.nonsense",
    } <= fields
    assert "assessments.basdai.q3 = 12" in str(exc.value)
    assert _counts(db) == before


@pytest.mark.parametrize(
    ("on", "body", "field"),
    [
        (None, {"assessments": {"basdai": BASDAI}}, "on"),
        (datetime.now(UTC).date() + timedelta(days=3), {"assessments": {"basdai": BASDAI}}, "on"),
        (date(2024, 1, 1), {"on": "2024-01-02", "assessments": {"basdai": BASDAI}}, "on"),
        (date(2024, 1, 1), {}, "visit"),
        (date(2024, 1, 1), [1, 2], "visit"),
        (date(2024, 1, 1), {"labs": [1]}, "labs"),
        (date(2024, 1, 1), {"assessments": {"basdai": 3}}, "assessments.basdai"),
        (date(2024, 1, 1), {"notes": "x"}, "notes"),
    ],
)
def test_bad_visits_name_the_field(
    db: Database,  # noqa: F811
    on: date | None,
    body: Any,
    field: str,
) -> None:
    _patient(db)
    with pytest.raises(InputError) as exc:
        visit.record_visit(db, "P1", on, body, actor="t")
    assert exc.value.problems[0].field == field
    assert _counts(db)[:2] == (0, 0)


def test_unknown_patient_and_second_entry_on_one_day(db: Database) -> None:  # noqa: F811
    with pytest.raises(NotFound):
        visit.record_visit(db, "NOBODY", date(2024, 1, 1), {"labs": {"crp_mg_l": 1}}, actor="t")
    _patient(db)
    body = {"labs": {"crp_mg_l": 2}, "assessments": {"basdai": BASDAI}}
    visit.record_visit(db, "P1", date(2024, 1, 1), body, actor="t")
    before = _counts(db)
    with pytest.raises(InputError, match="already recorded"):
        visit.record_visit(db, "P1", date(2024, 1, 1), body, actor="t")
    assert _counts(db) == before
