"""Concept sets resolved by code against a CDM's vocabulary (``cohort.resolve``)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from immunospine.cohort.concepts import load_concept_set_file
from immunospine.cohort.params import ScreenConcepts
from immunospine.cohort.resolve import STATUS_TEXT, resolve_tables
from immunospine.cohort.synthetic import vocabulary

SET = """
name = "x"
title = "X"
domain = "condition"
include_descendants = true

[[concept]]
id = 10
name = "Standard one"
vocabulary = "SNOMED"
code = "S1"
verified = true
source = "test"

[[concept]]
name = "A source code"
vocabulary = "ICD10CM"
code = "A1"
verified = true
source = "test"

[[concept]]
name = "Unmapped source code"
vocabulary = "ICD10CM"
code = "A2"
verified = true
source = "test"

[[concept]]
name = "Deprecated"
vocabulary = "SNOMED"
code = "D1"
verified = true
source = "test"

[[concept]]
name = "Absent"
vocabulary = "SNOMED"
code = "NOPE"
verified = true
source = "test"

[[concept]]
id = 30
name = "By id"
vocabulary = "LOINC"
verified = true
source = "test"

[[concept]]
name = "Excluded child"
vocabulary = "SNOMED"
code = "X1"
verified = true
exclude = true
source = "test"
"""


def _concept(rows: list[tuple[int, str, str, str | None, str | None]]) -> pa.Table:
    return pa.table(
        {
            "concept_id": [r[0] for r in rows],
            "concept_name": [r[0] and f"name {r[0]}" for r in rows],
            "domain_id": ["Condition"] * len(rows),
            "vocabulary_id": [r[1] for r in rows],
            "standard_concept": [r[3] for r in rows],
            "concept_code": [r[2] for r in rows],
            "invalid_reason": [r[4] for r in rows],
        }
    )


CONCEPT = _concept(
    [
        (11, "SNOMED", "S1", "S", None),  # the site's id differs from the shipped 10
        (20, "ICD10CM", "A1", None, None),
        (21, "ICD10CM", "A2", None, None),
        (22, "SNOMED", "D1", None, "D"),
        (30, "LOINC", "L-30", "S", None),
        (40, "SNOMED", "X1", "S", None),
        (50, "SNOMED", "T", "S", None),
    ]
)
MAPS = pa.table(
    {"concept_id_1": [20, 20], "concept_id_2": [50, 99], "relationship_id": ["Maps to", "Is a"]}
)
ANCESTOR = pa.table(
    {
        "ancestor_concept_id": [11, 11, 11, 40, 50],
        "descendant_concept_id": [11, 12, 40, 41, 51],
    }
)


@pytest.fixture
def sets() -> dict[str, object]:
    return {"x": load_concept_set_file("x.toml", SET)}


def test_codes_resolve_map_expand_and_exclude(sets: dict[str, object]) -> None:
    res = resolve_tables(CONCEPT, MAPS, ANCESTOR, sets=sets)  # type: ignore[arg-type]
    s = res.sets["x"]
    status = {c.concept.name: c.status for c in s.codes}
    assert status == {
        "Standard one": "standard",
        "A source code": "mapped",
        "Unmapped source code": "non_standard",
        "Deprecated": "invalid",
        "Absent": "absent",
        "By id": "by_id",
        "Excluded child": "standard",
    }
    # 11 + descendant 12 (40 and its child 41 excluded), 50 (mapped) + 51, 30 by id
    assert s.ids == frozenset({11, 12, 50, 51, 30})
    first = s.codes[0]
    assert first.ids == (11,) and first.descendants == 1
    assert "site id 11, shipped id 10" in first.note and "site name" in first.note
    assert res.source == "vocabulary" and res.expanded and res.mapping
    assert {c.concept.name for c in res.unresolved()} == {
        "Unmapped source code",
        "Deprecated",
        "Absent",
    }
    assert res.missing_shipped_ids() == ()
    assert all(c.status in STATUS_TEXT for c in s.codes)


def test_without_relationship_table_source_codes_stay_unmapped(sets: dict[str, object]) -> None:
    res = resolve_tables(CONCEPT, None, None, sets=sets)  # type: ignore[arg-type]
    assert res.sets["x"].ids == frozenset({11, 30})
    assert not res.expanded and not res.mapping


def test_without_concept_table_the_shipped_ids_are_used(sets: dict[str, object]) -> None:
    res = resolve_tables(None, None, ANCESTOR, sets=sets)  # type: ignore[arg-type]
    s = res.sets["x"]
    assert res.source == "shipped"
    assert s.ids == frozenset({10, 30})
    assert {c.status for c in s.codes} == {"shipped", "no_vocabulary"}
    assert res.missing_shipped_ids() == ()


def test_a_classification_concept_counts_only_with_descendants() -> None:
    text = SET.split("[[concept]]")[0] + "[[concept]]" + SET.split("[[concept]]")[1]
    cs = load_concept_set_file("x.toml", text)
    classification = _concept([(11, "SNOMED", "S1", "C", None)])
    with_desc = resolve_tables(classification, sets={"x": cs})
    assert with_desc.sets["x"].ids == frozenset({11})
    no_desc = load_concept_set_file(
        "x.toml", text.replace("include_descendants = true", "include_descendants = false")
    )
    assert resolve_tables(classification, sets={"x": no_desc}).sets["x"].ids == frozenset()


def test_shipped_screen_concepts_hold_no_id_for_code_only_sets() -> None:
    shipped = ScreenConcepts.shipped()
    assert shipped.enthesitis == frozenset() and shipped.sij_imaging == frozenset()
    assert shipped.chronic_back_pain_coded == frozenset({4132891})
    assert all(i < 2_000_000_000 for i in shipped.all_ids())


def test_the_synthetic_vocabulary_resolves_every_concept_of_every_set() -> None:
    t = vocabulary.vocabulary_tables()
    res = resolve_tables(t["concept"], t["concept_relationship"], t["concept_ancestor"])
    assert res.unresolved() == ()
    for name, s in res.sets.items():
        assert s.ids, name
        assert s.ids == vocabulary.set_ids(name)
    # real ids where the sets ship them; synthetic ids (local range) only where they do not
    assert vocabulary.set_ids("crp") == frozenset({3020460, 3010156})
    assert all(i >= vocabulary.SYNTHETIC_ID_MIN for i in vocabulary.set_ids("enthesitis"))
    # the hierarchy: uveitis → anterior uveitis → iritis
    uveitis = res.sets["uveitis"].codes[0]
    assert uveitis.concept.code == "128473001" and uveitis.descendants >= 5
    # an ICD-10-CM code maps to its synthetic standard target
    fh = res.sets["family_history_spa"].codes[0]
    assert fh.status == "mapped" and fh.ids == (vocabulary.standard_id("ICD10CM", "Z82.61"),)


def test_synthetic_vocabulary_names_every_written_id() -> None:
    t = vocabulary.vocabulary_tables([8507, 123_456_789])
    ids = set(t["concept"].column("concept_id").to_pylist())
    assert {8507, 123_456_789, 4013636} <= ids
    assert vocabulary.synthetic_id("SNOMED", "1") == vocabulary.synthetic_id("SNOMED", "1")
    with pytest.raises(KeyError, match="no concept set"):
        vocabulary.standard_id("SNOMED", "not-a-set-code")
