"""The axSpA likelihood-ratio model: published figures, footnote rules, bands and properties."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from immunospine.knowledge import calculate
from immunospine.knowledge.probability import axspa
from immunospine.knowledge.probability.axspa import (
    CATEGORIES,
    FINDINGS,
    HLA_B27_WITH_PSORIASIS_OR_IBD,
    LIKELIHOOD_RATIOS,
    contributions,
    likelihood_ratio_for,
    log_odds_arrays,
    post_test_probability,
    probability_from_ratio,
    ratio_needed,
)

# Sieper & Rudwaleit 2005, Table 1: (LR as printed, published post-test % at 5 %, tolerance in
# percentage points = half a unit of the published rounding).
SIEPER_2005_TABLE_1 = {
    "inflammatory back pain": (3, 14, 0.5),
    "response to NSAID": (5, 21, 0.5),
    "uveitis": (7.3, 28, 0.5),
    "family history": (6.4, 25, 0.5),
    "peripheral arthritis": (4, 17, 0.5),
    "HLA-B27": (9, 32, 0.5),
    "MRI sacroiliitis": (9, 32, 0.5),
    "X-ray sacroiliitis": (4, 17.4, 0.05),
}


@pytest.mark.parametrize(("row", "values"), SIEPER_2005_TABLE_1.items())
def test_sieper_2005_table_1_post_test_probabilities(
    row: str, values: tuple[float, float, float]
) -> None:
    ratio, published, tolerance = values
    assert 100 * probability_from_ratio(0.05, ratio) == pytest.approx(published, abs=tolerance)


def test_2004_abstract_ibp_alone_raises_5_to_14_percent() -> None:
    ibp = LIKELIHOOD_RATIOS["inflammatory_back_pain"].lr_positive
    assert round(100 * probability_from_ratio(0.05, ibp)) == 14


def test_a25_a26_table_values() -> None:
    assert probability_from_ratio(0.05, 3) == pytest.approx(0.1364, abs=1e-4)
    assert probability_from_ratio(0.05, 9) == pytest.approx(0.3214, abs=1e-4)


def test_a29_thresholds_171_and_76() -> None:
    assert ratio_needed(0.05, 0.90) == pytest.approx(171.0, abs=1e-9)
    assert ratio_needed(0.05, 0.80) == pytest.approx(76.0, abs=1e-9)
    assert probability_from_ratio(0.05, 171.0) == pytest.approx(0.90)
    assert probability_from_ratio(0.05, 76.0) == pytest.approx(0.80)


def test_probability_from_ratio_at_certainty() -> None:
    assert probability_from_ratio(1.0, 0.1) == 1.0
    assert probability_from_ratio(0.0, 100.0) == 0.0


@pytest.mark.parametrize("row", [*LIKELIHOOD_RATIOS.values(), HLA_B27_WITH_PSORIASIS_OR_IBD])
def test_printed_lr_negative_is_one_minus_sensitivity_over_specificity(
    row: axspa.LikelihoodRatio,
) -> None:
    assert row.lr_negative == pytest.approx((1 - row.sensitivity) / row.specificity, abs=0.01)


@pytest.mark.parametrize("row", [*LIKELIHOOD_RATIOS.values(), HLA_B27_WITH_PSORIASIS_OR_IBD])
def test_printed_lr_positive_is_sensitivity_over_one_minus_specificity(
    row: axspa.LikelihoodRatio,
) -> None:
    # The letter's LR+ values are rounded (3.1 vs 3.125; 3.4 vs 3.36; 6.4 vs 6.4): within 0.15.
    assert row.lr_positive == pytest.approx(row.sensitivity / (1 - row.specificity), abs=0.15)


def test_bracketed_findings_ignore_negatives_and_the_others_use_them() -> None:
    ignored = {n for n, r in LIKELIHOOD_RATIOS.items() if not r.use_negative}
    assert ignored == {
        "enthesitis_heel",
        "peripheral_arthritis",
        "dactylitis",
        "anterior_uveitis",
        "psoriasis",
        "ibd",
    }
    for name in ignored:
        assert LIKELIHOOD_RATIOS[name].ratio(False) == 1.0
    for name in set(FINDINGS) - ignored:
        assert LIKELIHOOD_RATIOS[name].ratio(False) < 1.0


@pytest.mark.parametrize(
    ("psoriasis", "ibd", "expected"),
    [
        (True, None, 5.0),
        (None, True, 5.0),
        (True, True, 5.0),
        (False, False, 9.0),
        (None, None, 9.0),
    ],
)
def test_hla_b27_uses_psoriasis_or_ibd_values(
    psoriasis: bool | None, ibd: bool | None, expected: float
) -> None:
    findings = {"hla_b27": True, "psoriasis": psoriasis, "ibd": ibd}
    assert likelihood_ratio_for("hla_b27", findings).lr_positive == expected
    row = next(c for c in contributions(findings) if c["finding"] == "hla_b27")
    assert row["likelihood_ratio"] == expected


def test_contributions_mark_ignored_negatives() -> None:
    parts = contributions({"psoriasis": False, "hla_b27": False, "dactylitis": None})
    assert parts == [
        {
            "finding": "psoriasis",
            "value": False,
            "likelihood_ratio": 1.0,
            "ignored": True,
            "verified": False,
        },
        {
            "finding": "hla_b27",
            "value": False,
            "likelihood_ratio": 0.11,
            "ignored": False,
            "verified": True,
        },
    ]


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (0.0999, "unlikely"),
        (0.10, "possible"),
        (0.7999, "possible"),
        (0.80, "probable"),
        (0.8999, "probable"),
        (0.90, "definite"),
    ],
)
def test_category_bands(value: float, label: str) -> None:
    assert CATEGORIES.classify(value) == label


def test_score_reports_ratios_needed_only_inside_zero_one() -> None:
    inside = calculate("axspa_probability", pretest_probability=0.05).components
    assert inside["ratio_needed_definite"] == pytest.approx(171.0)
    edge = calculate("axspa_probability", pretest_probability=0.0).components
    assert edge["ratio_needed_probable"] is None
    assert edge["ratio_needed_definite"] is None


def test_score_traces_each_known_finding() -> None:
    result = calculate(
        "axspa_probability", findings={"hla_b27": True, "psoriasis": False, "ibd": None}
    )
    assert result.because == (
        "psoriasis absent: negative ignored (may appear later)",
        "HLA-B27 present: ×9",
    )
    assert "findings.ibd" in result.missing


FINDING = st.sampled_from([True, False, None])
FINDINGS_MAP = st.fixed_dictionaries({name: FINDING for name in FINDINGS})
PRETEST = st.floats(min_value=0.001, max_value=0.999)


def _code(value: bool | None) -> int:
    return -1 if value is None else int(value)


@settings(max_examples=300, deadline=None)
@given(findings=FINDINGS_MAP, pretest=PRETEST)
def test_log_odds_arrays_equal_score(findings: dict[str, bool | None], pretest: float) -> None:
    columns = {k: np.array([_code(v)], dtype=np.int8) for k, v in findings.items()}
    logit = float(log_odds_arrays(pretest, columns)[0])
    expected = calculate("axspa_probability", pretest_probability=pretest, findings=findings)
    assert 1 / (1 + math.exp(-logit)) == pytest.approx(expected.score, rel=1e-9, abs=1e-12)


def test_log_odds_arrays_with_missing_columns_treats_them_unknown() -> None:
    out = log_odds_arrays(0.05, {"hla_b27": np.array([1, 0, -1], dtype=np.int8)})
    probs = 1 / (1 + np.exp(-out))
    assert probs == pytest.approx([0.3214, 0.0058, 0.05], abs=1e-4)


# Monotonicity, checked exhaustively over all 3^12 combinations with the vectorised model.
# The HLA-B27 context switch (psoriasis or IBD turning true changes HLA-B27's row) could in
# principle break "a positive finding never lowers the probability". It does not: with HLA-B27
# positive, psoriasis true multiplies by 2.5 × 5.0/9.0 ≈ 1.39 and IBD true by 4.0 × 5.0/9.0 ≈ 2.22;
# with HLA-B27 negative by 2.5 × 0.56/0.11 and 4.0 × 0.56/0.11. So the property holds without
# exception; the test below would find a counter-example if the LR table changed.
ALL = np.array(list(itertools.product((1, 0, -1), repeat=len(FINDINGS))), dtype=np.int8)


def _columns(rows: np.ndarray) -> dict[str, np.ndarray]:
    return {name: rows[:, i] for i, name in enumerate(FINDINGS)}


@pytest.mark.parametrize("index", range(len(FINDINGS)), ids=list(FINDINGS))
def test_positive_never_lowers_and_absent_never_raises(index: int) -> None:
    base = log_odds_arrays(0.05, _columns(ALL))
    for new in (1, 0):
        changed = ALL.copy()
        changed[:, index] = new
        after = log_odds_arrays(0.05, _columns(changed))
        from_unknown = ALL[:, index] == -1
        if new == 1:  # unknown or absent → present
            assert np.all(after[ALL[:, index] != 1] >= base[ALL[:, index] != 1] - 1e-12)
        else:  # unknown → absent
            assert np.all(after[from_unknown] <= base[from_unknown] + 1e-12)


@settings(max_examples=200, deadline=None)
@given(findings=FINDINGS_MAP, name=st.sampled_from(FINDINGS))
def test_unknown_finding_equals_omitted(findings: dict[str, bool | None], name: str) -> None:
    with_null = {**findings, name: None}
    without = {k: v for k, v in with_null.items() if k != name}
    assert post_test_probability(0.05, with_null) == post_test_probability(0.05, without)


def test_every_lr_row_names_its_source_and_unverified_rows_say_why() -> None:
    """Issue 14: each row records where it was seen, or why it was not."""
    rows = [*LIKELIHOOD_RATIOS.values(), HLA_B27_WITH_PSORIASIS_OR_IBD]
    for row in rows:
        assert row.source, row.finding
        assert row.source.startswith("not seen") != row.verified, row.finding
    unverified = {r.finding for r in rows if not r.verified}
    assert unverified == {"dactylitis", "psoriasis", "ibd"}
    assert "176313" in LIKELIHOOD_RATIOS["hla_b27"].source
    assert "footnote" in HLA_B27_WITH_PSORIASIS_OR_IBD.source


def test_2006_letter_identifiers_as_on_its_pmc_record() -> None:
    assert axspa.RUDWALEIT_2006.doi == "10.1136/ard.2005.051045"
    assert axspa.RUDWALEIT_2006.pmid == "16905586"
