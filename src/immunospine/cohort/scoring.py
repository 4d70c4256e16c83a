"""The axSpA likelihood-ratio model as one Ibis expression, generated from the knowledge module.

Nothing here holds a number of its own. For each finding in ``axspa.FINDINGS`` the term added to the
log-odds is built from ``LIKELIHOOD_RATIOS`` (ln LR+ when present; ln LR− when absent and the row
says ``use_negative``; 0 when unknown), and context rules are *discovered* by asking
``likelihood_ratio_for`` which other findings change the row (today: psoriasis or IBD switch
HLA-B27 to ``HLA_B27_WITH_PSORIASIS_OR_IBD``). Categories come from ``axspa.CATEGORIES``. A change
in the knowledge module therefore changes the engine, and the golden SQL shows it.

The sum is exact: each ln LR is rounded once to 16 decimals and added as ``DECIMAL(18, 16)``, so
DuckDB, PostgreSQL and Spark get the same log-odds to the last bit (ranks agree across backends)
and differ from the float reference by < 1e-14. ``log_odds = ln(pretest odds) + Σ term``;
``probability_literature = 1 / (1 + exp(−log_odds))`` (named so nobody reads it as calibrated to
the site); ``rank`` 1 is the highest log-odds, ties broken by ``person_id``.

With a site calibration (``cohort.calibration``, ``cohort screen --calibration site.toml``) each
finding state adds ``slope × ln(shrunk site LR)``, rounded once to 16 decimals like the literature
terms, to the intercept: ``log_odds_site`` and ``probability_site``. The worklist is then ranked by
``log_odds_site`` and the ``category`` bands apply to ``probability_site``.

The model is evaluated once per *finding pattern* (the distinct combinations of the 13 findings
present in the data: 527 at 10 M persons), not once per person: :func:`score_patterns` computes
log-odds, probability, category and the contributions text per pattern, and :func:`score` joins
them back by :func:`pattern_key` (two bits per finding). The values are the same expressions over
the same findings, so every row is bit-for-bit what per-person evaluation gives.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from immunospine.cohort.calibration import STATES, SiteCalibration
from immunospine.knowledge.probability.axspa import (
    CATEGORIES,
    FINDINGS,
    LIKELIHOOD_RATIOS,
    LikelihoodRatio,
    likelihood_ratio_for,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir

#: Type of each ln LR term; |ln LR| < 100 leaves 16 decimals (see the module docstring).
TERM_TYPE = "decimal(18, 16)"

#: Output columns in front of the features, in order.
SCORE_COLUMNS = (
    "rank",
    "person_id",
    "probability_literature",
    "category",
    "log_odds",
    "contributions",
)
#: Output columns in front of the features with a site calibration (ranked by ``probability_site``).
SITE_SCORE_COLUMNS = (
    "rank",
    "person_id",
    "probability_site",
    "probability_literature",
    "category",
    "log_odds_site",
    "log_odds",
    "contributions",
)


def score_columns(calibration: SiteCalibration | None) -> tuple[str, ...]:
    """The score columns in front of the features (:data:`SITE_SCORE_COLUMNS` when calibrated)."""
    return SCORE_COLUMNS if calibration is None else SITE_SCORE_COLUMNS


def ranking_column(calibration: SiteCalibration | None) -> str:
    """The probability the worklist is ranked and categorised by."""
    return "probability_literature" if calibration is None else "probability_site"


@dataclass(frozen=True, slots=True)
class Rule:
    """The LR row for ``finding`` when any of ``when`` is present (empty: the default row)."""

    finding: str
    row: LikelihoodRatio
    when: tuple[str, ...] = ()


def rules_for(finding: str) -> tuple[Rule, ...]:
    """Context rows first (each with the findings that trigger it), then the default row."""
    base = LIKELIHOOD_RATIOS[finding]
    triggers: dict[LikelihoodRatio, list[str]] = {}
    for other in FINDINGS:
        if other == finding:
            continue
        row = likelihood_ratio_for(finding, {other: True})
        if row != base:
            triggers.setdefault(row, []).append(other)
    return (*(Rule(finding, row, tuple(w)) for row, w in triggers.items()), Rule(finding, base))


def _branches(
    features: ir.Table, finding: str
) -> list[tuple[ir.BooleanValue, LikelihoodRatio, bool]]:
    """(condition, row, present) for each LR that can apply, in CASE order."""
    import ibis

    value = features[finding]
    present, absent = value.fill_null(False), (~value).fill_null(False)
    out = []
    for rule in rules_for(finding):
        if rule.when:
            context = ibis.or_(*(features[w].fill_null(False) for w in rule.when))
            present_here, absent_here = context & present, context & absent
        else:
            present_here, absent_here = present, absent
        out.append((present_here, rule.row, True))
        if rule.row.use_negative:
            out.append((absent_here, rule.row, False))
    return out


def _decimal(x: float) -> Any:
    import ibis

    return ibis.literal(Decimal(x).quantize(Decimal("1e-16")), type=TERM_TYPE)


def _term(features: ir.Table, finding: str) -> Any:
    import ibis

    cases = [
        (cond, _decimal(math.log(row.lr_positive if present else row.lr_negative)))
        for cond, row, present in _branches(features, finding)
    ]
    return ibis.cases(*cases, else_=_decimal(0.0))


def _label(features: ir.Table, finding: str) -> ir.StringValue:
    """``finding± (LR x)`` for the branch that applies, else NULL (``CONCAT_WS`` skips NULLs)."""
    import ibis

    cases = [
        (cond, f"{finding}{'+' if present else '-'} (LR {row.ratio(present):g})")
        for cond, row, present in _branches(features, finding)
    ]
    return ibis.cases(*cases, else_=ibis.null("string"))


def category(probability: ir.FloatingValue) -> ir.StringValue:
    """The ``CATEGORIES`` band of ``probability`` (bounds and inclusivity as the knowledge says)."""
    import ibis

    bands = CATEGORIES.bands
    cases = []
    for band in bands[:-1]:
        below = probability <= band.hi if band.hi_inclusive else probability < band.hi
        cases.append((below, band.label))
    return ibis.cases(*cases, else_=bands[-1].label)


def log_odds(
    features: ir.Table, pretest_log_odds: float, findings: Sequence[str] = FINDINGS
) -> Any:
    """ln(pretest odds) + Σ ln LR over ``findings`` (left to right, so every backend agrees)."""
    total: Any = _decimal(pretest_log_odds)
    for name in findings:
        total = total + _term(features, name)
    return total.cast("float64")


def site_log_odds(features: ir.Table, calibration: SiteCalibration) -> Any:
    """intercept + Σ slope × ln(shrunk site LR) of each finding's state, as exact decimals."""
    import ibis

    terms = calibration.terms()
    total: Any = _decimal(calibration.intercept)
    for name in FINDINGS:
        value = features[name]
        t = terms[name]
        total = total + ibis.cases(
            (value.fill_null(False), _decimal(t.get(STATES[0], 0.0))),
            ((~value).fill_null(False), _decimal(t.get(STATES[1], 0.0))),
            else_=_decimal(t.get(STATES[2], 0.0)),
        )
    return total.cast("float64")


#: Column holding a person's finding pattern (see :func:`pattern_key`); dropped from the output.
KEY = "_findings_key"


def pattern_key(features: ir.Table) -> ir.IntegerValue:
    """Each finding's state in two bits (01 present, 10 absent, 00 unknown), OR-ed into one int64.

    Persons with the same key have the same findings, hence the same log-odds, probability,
    category and contributions: those are computed once per distinct key (a few hundred) and
    joined back, instead of once per person.
    """
    import ibis

    total: Any = ibis.literal(0, type="int64")
    for i, name in enumerate(FINDINGS):
        value = features[name]
        total = total + ibis.cases(
            (value.fill_null(False), ibis.literal(1 << 2 * i, type="int64")),
            ((~value).fill_null(False), ibis.literal(2 << 2 * i, type="int64")),
            else_=ibis.literal(0, type="int64"),
        )
    return total


def score_patterns(
    features: ir.Table, pretest_log_odds: float, calibration: SiteCalibration | None = None
) -> ir.Table:
    """Per distinct finding pattern of ``features``: :data:`KEY`, log-odds, probabilities,
    category, contributions (the model evaluated once per pattern, not per person)."""
    import ibis

    patterns = features.select(*FINDINGS).distinct()
    lo = log_odds(patterns, pretest_log_odds)
    labels = ibis.literal("; ").join([_label(patterns, name) for name in FINDINGS])
    scored = patterns.mutate(log_odds=lo, contributions=labels, **{KEY: pattern_key(patterns)})
    probability = (1.0 / (1.0 + (-scored.log_odds).exp())).cast("float64")
    scored = scored.mutate(probability_literature=probability)
    if calibration is not None:
        scored = scored.mutate(log_odds_site=site_log_odds(scored, calibration))
        site = (1.0 / (1.0 + (-scored.log_odds_site).exp())).cast("float64")
        scored = scored.mutate(probability_site=site)
    ranked_by = scored[ranking_column(calibration)]
    scored = scored.mutate(category=category(ranked_by))
    return scored.select(KEY, *(c for c in score_columns(calibration) if c not in _NOT_PATTERN))


_NOT_PATTERN = ("rank", "person_id")


def score(
    features: ir.Table, pretest_log_odds: float, calibration: SiteCalibration | None = None
) -> ir.Table:
    """Add log-odds, probabilities, category, rank and contributions; order by rank.

    The model is evaluated once per finding pattern (:func:`score_patterns`) and joined back by
    :func:`pattern_key`; the values are those of evaluating it per person. The rank window runs
    before the text columns are joined, so it sorts narrow rows.
    """
    import ibis

    keyed = features.mutate(**{KEY: pattern_key(features)})
    patterns = score_patterns(features, pretest_log_odds, calibration)
    by = "log_odds" if calibration is None else "log_odds_site"
    with_lo = keyed.join(patterns.select(KEY, by), KEY)
    rank = ibis.row_number().over(order_by=[ibis.desc(with_lo[by]), with_lo.person_id]) + 1
    ranked = with_lo.mutate(rank=rank.cast("int64"))
    scored = ranked.join(patterns.drop(by), KEY)
    feature_cols = [c for c in features.columns if c != "person_id"]
    return scored.select(*score_columns(calibration), *feature_cols).order_by("rank")
