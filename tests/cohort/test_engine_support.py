"""Shared by the engine, backend and conformance tests (no tests here): facts and the reference."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pyarrow as pa
from hypothesis import strategies as st

from immunospine.cohort.backends.base import CohortBackend
from immunospine.cohort.plan import INPUT_COLUMNS, ScreenPlan
from immunospine.knowledge import calculate
from immunospine.knowledge.probability.axspa import FINDINGS
from immunospine.testing.omop_testbed import OmopTestbed, PersonFacts

CHRONIC_LBP, LOW_BACK_PAIN = 4132891, 194133
UNIT_MG_L, UNIT_MG_DL, UNIT_MM_H = 8751, 8840, 8752

_back_pain = st.one_of(
    st.just(()),
    st.tuples(st.just((LOW_BACK_PAIN, 0))),
    st.tuples(st.just((CHRONIC_LBP, 0))),
    st.integers(0, 200).map(lambda gap: ((LOW_BACK_PAIN, 0), (LOW_BACK_PAIN, gap))),
)
_lab = st.tuples(
    st.sampled_from(["crp", "esr"]),
    st.sampled_from([None, 1.0, 4.0, 6.0, 12.0, 25.0, 40.0]),
    st.sampled_from([None, UNIT_MG_L, UNIT_MG_DL, UNIT_MM_H, 0]),
    st.sampled_from([None, 5.0, 10.0, 30.0]),
)


@st.composite
def person_facts(draw: Any, person_id: int) -> PersonFacts:
    return PersonFacts(
        person_id=person_id,
        year_of_birth=draw(st.integers(1940, 2005)),
        back_pain=draw(_back_pain),
        diagnosed=draw(st.booleans().map(lambda b: b and draw(st.booleans()))),
        conditions=frozenset(
            draw(
                st.sets(
                    st.sampled_from(["uveitis", "psoriasis", "ibd", "enthesitis", "dactylitis"])
                )
            )
        ),
        hla=draw(
            st.sampled_from([None, "pos", "neg", "pos_number", "neg_number", "indeterminate"])
        ),
        labs=tuple(draw(st.lists(_lab, max_size=3))),
        nsaid_days=tuple(draw(st.lists(st.sampled_from([0, 0, 10, 60, 300]), max_size=3))),
        family_history=draw(st.sampled_from([None, "pos", "neg", "pos_no_value"])),
        sij_procedure=draw(st.booleans()),
        mri=draw(st.sampled_from([None, "pos", "neg"])),
    )


@st.composite
def populations(draw: Any, max_size: int = 12) -> list[PersonFacts]:
    n = draw(st.integers(1, max_size))
    return [draw(person_facts(i + 1)) for i in range(n)]


def build_testbed(people: list[PersonFacts]) -> OmopTestbed:
    tb = OmopTestbed()
    for p in people:
        p.add_to(tb)
    return tb


def run_plan(backend: CohortBackend) -> pa.Table:
    """The worklist query with the concept sets resolved against the backend's vocabulary."""
    from immunospine.cohort.runner import resolve_concepts

    tables = {t: backend.table(t) for t in INPUT_COLUMNS}
    return backend.fetch(ScreenPlan(resolve_concepts(backend).concepts).worklist(tables))


def reference(findings: dict[str, bool | None]) -> tuple[float, str]:
    result = calculate("axspa_probability", findings=findings)
    assert result.score is not None and result.category is not None
    return result.score, result.category


def assert_matches_reference(worklist: pa.Table, people: list[PersonFacts]) -> None:
    """Features, probability and category equal the pure-Python model on the same facts."""
    rows = {r["person_id"]: r for r in worklist.to_pylist()}
    expected = {p.person_id: p for p in people if p.screened()}
    assert set(rows) == set(expected)
    for pid, facts in expected.items():
        row, findings = rows[pid], facts.expected_findings()
        assert {f: row[f] for f in FINDINGS} == findings, pid
        assert row["age_at_onset"] == facts.age_at_onset()
        assert row["sij_imaging"] == (True if facts.sij_procedure else None)
        probability, category = reference(findings)
        assert math.isclose(row["probability_literature"], probability, rel_tol=0, abs_tol=1e-12), (
            pid
        )
        assert row["category"] == category
    ordered = sorted(rows.values(), key=lambda r: (-r["log_odds"], r["person_id"]))
    assert [r["rank"] for r in ordered] == list(range(1, len(ordered) + 1))


def write_facts(tmp: Path, people: list[PersonFacts]) -> Path:
    return build_testbed(people).write_parquet(tmp)


def random_facts(rng: random.Random, person_id: int) -> PersonFacts:
    """Seeded facts (no hypothesis): for the larger fixed populations of backend tests."""
    gap = rng.choice([None, 0, 30, 89, 90, 200])
    back_pain: tuple[tuple[int, int], ...] = rng.choice(
        [(), ((LOW_BACK_PAIN, 0),), ((CHRONIC_LBP, 0),)]
    )
    if gap is not None:
        back_pain = ((LOW_BACK_PAIN, 0), (LOW_BACK_PAIN, gap))
    conditions = ["uveitis", "psoriasis", "ibd", "enthesitis", "dactylitis"]
    labs = [
        (
            rng.choice(["crp", "esr"]),
            rng.choice([None, 1.0, 4.0, 6.0, 12.0, 25.0, 40.0]),
            rng.choice([None, UNIT_MG_L, UNIT_MG_DL, UNIT_MM_H, 0]),
            rng.choice([None, 5.0, 10.0, 30.0]),
        )
        for _ in range(rng.randint(0, 3))
    ]
    return PersonFacts(
        person_id=person_id,
        year_of_birth=rng.randint(1940, 2005),
        back_pain=back_pain,
        diagnosed=rng.random() < 0.1,
        conditions=frozenset(c for c in conditions if rng.random() < 0.2),
        hla=rng.choice([None, None, "pos", "neg", "pos_number", "neg_number", "indeterminate"]),
        labs=tuple(labs),
        nsaid_days=tuple(rng.choice([0, 10, 60, 300]) for _ in range(rng.randint(0, 3))),
        family_history=rng.choice([None, None, "pos", "neg", "pos_no_value"]),
        sij_procedure=rng.random() < 0.2,
        mri=rng.choice([None, None, "pos", "neg"]),
    )


def random_population(seed: int, n: int) -> list[PersonFacts]:
    rng = random.Random(seed)
    return [random_facts(rng, i + 1) for i in range(n)]
