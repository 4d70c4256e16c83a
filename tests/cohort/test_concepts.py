"""Concept sets as data and the measurement-value rules."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from immunospine.cohort import concepts
from immunospine.cohort.concepts import (
    CRP_RULE,
    ESR_RULE,
    HLA_B27_RULE,
    UNIT_MG_DL,
    UNIT_MG_L,
    UNIT_MM_H,
    all_concept_sets,
    concept_set,
    load_concept_set_file,
)
from immunospine.errors import InputError, KnowledgeError

EXPECTED = {
    "chronic_back_pain": {194133, 4132891},
    "axspa_diagnosis": {437082, 37017494, 37205058, 73562},
    "uveitis": {4028363, 4132792, 4274964},
    "psoriasis": {140168},
    "ibd": {201606, 81893, 4074815},
    "hla_b27": {3033347, 3036779},
    "crp": {3020460},
    "esr": {3013707, 3015183},
    "nsaids": {1115008, 1177480, 1124300, 1118084},
    "tnf_inhibitors": {1119119, 1151789, 937368, 19041065, 912263},
    "il17_inhibitors": {45892883, 35603563, 1592513},
    "family_history_spa": set(),
    "sij_imaging": set(),
    "enthesitis": set(),
    "dactylitis": set(),
    "positive_result": {4181412, 45884084},
}

#: Codes every set must name (the former placeholders now have real codes).
EXPECTED_CODES = {
    "chronic_back_pain": {("SNOMED", "278860009")},
    "crp": {("LOINC", "1988-5")},
    "enthesitis": {("SNOMED", "11654001"), ("SNOMED", "202882003"), ("ICD10CM", "M77.9")},
    "dactylitis": {("SNOMED", "413441004")},
    "family_history_spa": {("ICD10CM", "Z82.61")},
    "sij_imaging": {("SNOMED", "1332288001"), ("SNOMED", "783627007")},
    "positive_result": {("LOINC", "LA6576-8")},
    "negative_result": {("LOINC", "LA6577-6")},
    "tnf_inhibitors": {("RxNorm", "327361")},
}


@pytest.mark.parametrize(("name", "ids"), sorted(EXPECTED.items()))
def test_shipped_sets_hold_the_reference_ids(name: str, ids: set[int]) -> None:
    cs = concept_set(name)
    assert ids <= cs.ids
    assert cs.table and cs.concept_column


@pytest.mark.parametrize(("name", "codes"), sorted(EXPECTED_CODES.items()))
def test_shipped_sets_name_their_codes(name: str, codes: set[tuple[str, str]]) -> None:
    assert codes <= concept_set(name).codes


def test_every_concept_has_provenance_and_no_placeholder_id() -> None:
    for cs in all_concept_sets().values():
        for c in cs.concepts:
            assert c.source.strip()
            assert c.id is None or c.id < concepts.LOCAL_CONCEPT_MIN, (cs.name, c.id)
            assert c.code is not None or c.id is not None, (cs.name, c.name)


def test_only_id_only_concepts_lack_a_code() -> None:
    id_only = {
        (cs.name, c.id) for cs in all_concept_sets().values() for c in cs.concepts if not c.code
    }
    assert id_only == {
        ("hla_b27", 3033347),
        ("hla_b27", 3036779),
        ("hla_b27", 649102),
        ("positive_result", 9191),
        ("negative_result", 9189),
    }


def test_bacterial_sacroiliitis_is_excluded() -> None:
    cs = concept_set("axspa_diagnosis")
    assert 37208263 in cs.excluded_ids
    assert 37208263 not in cs.ids
    assert ("SNOMED", "1073381000119103") not in cs.codes


def test_unknown_set_names_the_known_ones() -> None:
    with pytest.raises(KnowledgeError, match="crp"):
        concept_set("no_such_set")


GOOD = """
name = "x"
title = "X"
domain = "condition"
include_descendants = true
[[concept]]
id = 1
name = "one"
vocabulary = "SNOMED"
code = "11"
verified = true
source = "test"
"""


def test_file_loads() -> None:
    cs = load_concept_set_file("x.toml", GOOD)
    assert cs.ids == frozenset({1})
    assert cs.codes == frozenset({("SNOMED", "11")})
    assert cs.concepts[0].label == "SNOMED 11" and cs.concepts[0].include_descendants


def test_a_concept_may_override_the_set_descendants_and_ship_no_id() -> None:
    text = GOOD.replace("id = 1\n", "").replace(
        "verified = true", "verified = true\ninclude_descendants = false"
    )
    cs = load_concept_set_file("x.toml", text)
    assert cs.ids == frozenset() and not cs.concepts[0].include_descendants
    dup = GOOD + GOOD[GOOD.index("[[concept]]") :].replace("id = 1", "id = 2")
    with pytest.raises(InputError, match="vocabulary and code"):
        load_concept_set_file("x.toml", dup)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (GOOD + 'colour = "red"\n', "colour"),
        (GOOD.replace("verified = true", 'verified = true\nsynonym = "a"'), "synonym"),
        (GOOD.replace('domain = "condition"', 'domain = "vibes"'), "domain"),
        (GOOD.replace("verified = true\n", ""), "verified"),
        (GOOD + GOOD[GOOD.index("[[concept]]") :], "duplicate"),
        (GOOD.replace("id = 1\n", "id = 2000000001\n"), "id"),
        (GOOD.replace("id = 1\n", "").replace('code = "11"\n', ""), "code"),
        (GOOD.replace('code = "11"', 'code = "1 1"'), "code"),
    ],
)
def test_bad_files_are_errors(text: str, needle: str) -> None:
    with pytest.raises(InputError, match=needle):
        load_concept_set_file("x.toml", text)


def test_expand_with_concept_ancestor() -> None:
    anc = pa.table(
        {
            "ancestor_concept_id": [437082, 437082, 37205058, 37208263, 999],
            "descendant_concept_id": [437082, 11, 12, 13, 14],
        }
    )
    out = concept_set("axspa_diagnosis").expand(anc)
    assert {437082, 11, 12, 37017494} <= out
    assert 13 not in out and 37208263 not in out and 14 not in out
    # no descendants allowed: the set itself only
    assert concept_set("sij_imaging").expand(anc) == concept_set("sij_imaging").ids


def test_expand_needs_the_columns() -> None:
    from immunospine.errors import CohortError

    with pytest.raises(CohortError, match="descendant_concept_id"):
        concept_set("crp").expand(pa.table({"a": [1]}))


def test_crp_raised_rule() -> None:
    nan = np.nan
    value = [6.0, 4.0, 6.0, 4.0, 0.6, 0.6, nan, 3.0]
    high = [5.0, 5.0, nan, nan, 0.5, nan, 5.0, 2.0]
    unit = [UNIT_MG_L, UNIT_MG_L, UNIT_MG_L, UNIT_MG_L, UNIT_MG_DL, UNIT_MG_DL, UNIT_MG_L, 0]
    got = CRP_RULE.is_raised(value, high, unit)
    assert got.tolist() == [True, False, True, False, True, True, False, True]
    # unknown unit and no range: not judged
    assert not CRP_RULE.is_raised([50.0], [nan], [0])[0]


def test_esr_raised_rule() -> None:
    got = ESR_RULE.is_raised([25, 15, 21, 19], [np.nan, np.nan, 30, 10], [UNIT_MM_H] * 4)
    assert got.tolist() == [True, False, False, True]


def test_hla_b27_positive_rule() -> None:
    got = HLA_B27_RULE.is_positive(
        [45884084, 4181412, 45878583, 0, 0, np.nan], [np.nan, np.nan, np.nan, 1.0, 0.0, np.nan]
    )
    assert got.tolist() == [True, True, False, True, False, False]


def test_domain_columns_cover_every_set() -> None:
    for cs in all_concept_sets().values():
        assert cs.domain in concepts.DOMAIN_COLUMNS
