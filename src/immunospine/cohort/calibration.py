"""Site calibration of the axSpA worklist: site likelihood ratios, shrinkage, recalibration.

The literature model (``knowledge.probability.axspa``) multiplies published likelihood ratios onto
a 5 % pre-test probability. A site's coding habits are not the papers' clinics: on synthetic truth
the literature probability is badly over-stated in the middle. :func:`fit` re-estimates the model
from the site's own data (``cohort calibrate``) and :func:`site_log_odds` applies it (``cohort
screen --calibration``, ``cohort evaluate --calibration``). Method and why: docs/case-finding.md
("Site calibration"). The truth of a synthetic population is never read.

**Cases and controls.** Both come from the screen's population (chronic back pain). Cases have an
``axspa_diagnosis`` code; their findings are those recorded in a look-back window (default 10
years) before their first diagnosis code, leaving out the last :data:`DEFAULT_WORKUP_DAYS` (the
diagnostic work-up: HLA-B27 and imaging ordered because axSpA was suspected would otherwise look
like early signs). Controls have no diagnosis code; each gets an index date at the same time after
its first back-pain code as a randomly drawn case (:func:`index_dates`), and the same window, so
cases and controls have had the same time to collect findings.

**Site likelihood ratios.** Each finding has three states (present, absent, unknown). For each
state ``LR = P(state | case) / P(state | control)`` with 0.5 added to every cell, and a 95 % CI
from the Katz log variance ``1/a − 1/n₁ + 1/c − 1/n₀``. The site's ln LR is shrunk toward the
published one by precision weighting on the log scale; the published value counts as a study of
:data:`DEFAULT_PSEUDO_OBSERVATIONS` cases and as many controls at the published sensitivity and
specificity (its Katz variance). A state the literature ignores (unknown, or an absent finding the
2006 letter says to ignore) has the prior ln LR 0 with the larger of the finding's two variances.

**Recalibration.** ``S`` = Σ ln(shrunk LR). On a held-out part of the persons (random by person,
seeded, not used for the LRs) a logistic regression of case on ``S`` gives the slope (corrects for
findings that are not independent; a slope survives case-control sampling, an intercept does
not). The controls hide undiagnosed cases, so the fit is the labelled/unlabelled one
(:func:`scaled_logistic_fit`): P(case) = ceiling × sigmoid(a + b·S), ceiling = the diagnosed share
of all expected cases in the held-out sample (from the base rate); the fitted slope is shrunk
toward 1 by precision weighting (prior SD :data:`SLOPE_PRIOR_SD`). The intercept is set so that
the mean calibrated probability over the worklist's persons (their findings as the screen sees
them) equals :func:`base_rate`, the share expected to have axSpA from the published prevalence
and the site's diagnosed count. ``log_odds_site = intercept +
slope × S``: the probability that an undiagnosed person with chronic back pain has axSpA.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from immunospine.errors import FieldProblem, InputError
from immunospine.knowledge.probability.axspa import (
    DEFAULT_PRETEST_PROBABILITY,
    FINDINGS,
    LIKELIHOOD_RATIOS,
)

__all__ = [
    "DEFAULT_HOLDOUT_SHARE",
    "DEFAULT_LOOKBACK_YEARS",
    "DEFAULT_PSEUDO_OBSERVATIONS",
    "DEFAULT_WORKUP_DAYS",
    "MIN_HISTORY_DAYS",
    "PUBLISHED_PREVALENCE",
    "STATES",
    "VERSION",
    "FindingCalibration",
    "SiteCalibration",
    "base_rate",
    "fit",
    "index_dates",
    "load",
    "logistic_fit",
    "scaled_logistic_fit",
    "site_log_odds",
    "site_probability",
    "states_of",
    "to_toml",
]

VERSION = 1
#: Years of records before the first diagnosis code that count for a case.
DEFAULT_LOOKBACK_YEARS = 10.0
#: Days before the index date left out: the diagnostic work-up (tests ordered because axSpA was
#: already suspected, e.g. HLA-B27 and SI-joint imaging) would otherwise look like early signs.
DEFAULT_WORKUP_DAYS = 365
#: A case needs at least this many days between its first back-pain code and its diagnosis
#: beyond the work-up window, so the look-back window holds some history.
MIN_HISTORY_DAYS = 365
#: The published likelihood ratio weighs as much as a study of this many cases (and controls).
DEFAULT_PSEUDO_OBSERVATIONS = 50
#: Share of persons held out (not used for the likelihood ratios) to fit the recalibration.
DEFAULT_HOLDOUT_SHARE = 0.3
#: Share of chronic back pain with axSpA (the LR model's pre-test probability; ~5 % in primary
#: care, range 1-16 %: docs/case-finding.md).
AXSPA_IN_CHRONIC_BACK_PAIN = DEFAULT_PRETEST_PROBABILITY
#: Share of US adults with chronic low back pain: 19.2 % (Assassi 2012, NHANES 2009-10;
#: docs/case-finding.md, as the synthetic generator uses it).
CHRONIC_BACK_PAIN_IN_ADULTS = 0.192
#: Expected share of adults with axSpA: the two published shares multiplied (0.96 %; US
#: estimates 0.9-1.4 %, docs/case-finding.md). ``cohort calibrate --prevalence`` replaces it.
PUBLISHED_PREVALENCE = CHRONIC_BACK_PAIN_IN_ADULTS * AXSPA_IN_CHRONIC_BACK_PAIN
STATES = ("present", "absent", "unknown")

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class FindingCalibration:
    """One finding in one state: counts, site LR with 95 % CI, published LR, shrunk LR."""

    finding: str
    state: str
    cases: int
    controls: int
    site_lr: float
    site_lr_low: float
    site_lr_high: float
    published_lr: float
    shrunk_lr: float


@dataclass(frozen=True, slots=True)
class SiteCalibration:
    """Everything ``cohort calibrate`` estimated, with what it was estimated from."""

    adults: int
    diagnosed_all: int
    first_date: str
    last_date: str
    chronic_back_pain: int
    diagnosed: int
    lookback_years: float
    workup_days: int
    min_history_days: int
    published_prevalence: float
    base_rate: float
    pseudo_observations: int
    holdout_share: float
    seed: int
    fit_cases: int
    fit_controls: int
    holdout_cases: int
    holdout_controls: int
    intercept: float
    slope: float
    findings: tuple[FindingCalibration, ...]
    version: int = VERSION
    created: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"))

    def shrunk(self, finding: str, state: str) -> float:
        for f in self.findings:
            if f.finding == finding and f.state == state:
                return f.shrunk_lr
        return 1.0

    def terms(self) -> dict[str, dict[str, float]]:
        """finding → state → slope × ln(shrunk LR): what each state adds to the site log-odds."""
        out: dict[str, dict[str, float]] = {name: {} for name in FINDINGS}
        for f in self.findings:
            out[f.finding][f.state] = self.slope * math.log(f.shrunk_lr)
        return out


# --- published priors -------------------------------------------------------------------------


def published(finding: str, state: str, pseudo: int) -> tuple[float, float]:
    """(published LR, variance of its ln) for ``state`` of ``finding`` (module docstring)."""
    row = LIKELIHOOD_RATIOS[finding]
    if pseudo == 0:
        return row.ratio(None if state == "unknown" else state == "present"), math.inf
    sens, fpr = row.sensitivity, 1.0 - row.specificity
    var_present = (1 - sens) / (pseudo * sens) + (1 - fpr) / (pseudo * fpr)
    var_absent = sens / (pseudo * (1 - sens)) + fpr / (pseudo * (1 - fpr))
    if state == "present":
        return row.lr_positive, var_present
    if state == "absent":
        return (row.lr_negative if row.use_negative else 1.0), var_absent
    return 1.0, max(var_present, var_absent)


# --- estimation -------------------------------------------------------------------------------


def states_of(values: Sequence[bool | None] | npt.NDArray[Any]) -> npt.NDArray[np.int8]:
    """0 present, 1 absent, 2 unknown (index into :data:`STATES`) for three-valued findings."""
    out = np.full(len(values), 2, dtype=np.int8)
    for i, v in enumerate(values):
        if v is True:
            out[i] = 0
        elif v is False:
            out[i] = 1
    return out


def base_rate(
    adults: int,
    diagnosed_all: int,
    chronic: int,
    diagnosed: int,
    prevalence: float = PUBLISHED_PREVALENCE,
) -> float:
    """Share of the worklist (undiagnosed chronic back pain) expected to have axSpA.

    ``prevalence × adults`` persons are expected to have axSpA; ``diagnosed_all`` of them carry a
    diagnosis code. Of the rest, the share that reaches the screen's population is taken to be the
    share of *diagnosed* persons that do (``diagnosed / diagnosed_all``, the site's capture of
    axSpA as coded chronic back pain). Clipped to [0.1 %, 50 %].
    """
    undiagnosed = chronic - diagnosed
    if undiagnosed <= 0 or diagnosed_all <= 0:
        raise InputError.single(
            ("data",),
            f"has {diagnosed_all} persons with an axSpA diagnosis code and {undiagnosed} "
            "undiagnosed persons with chronic back pain; calibration needs both",
            chronic,
            context="cohort calibrate",
        )
    capture = diagnosed / diagnosed_all
    expected = capture * max(prevalence * adults - diagnosed_all, 0.0)
    return min(max(expected / undiagnosed, 0.001), 0.5)


def index_dates(
    first_back_pain: F64,
    first_diagnosis: F64,
    *,
    last_day: int,
    seed: int,
    min_delay_days: int = 0,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """(index day in days since 1970, kept) per person.

    A case's index is its first diagnosis; a case diagnosed less than ``min_delay_days`` after its
    first back-pain code is not kept (it came to the records already diagnosed, or was diagnosed
    at once: no pre-diagnosis history to learn from). Everyone else gets the first back-pain code
    plus a delay drawn (seeded) from the kept cases' delays, capped at the day after the data end.

    Matching the time since back pain began keeps cases and controls comparable: without it a
    control's whole history (years more records) is set against a case's pre-diagnosis years.
    """
    case = ~np.isnan(first_diagnosis)
    delay = np.where(case, first_diagnosis - first_back_pain, np.inf)
    kept = ~case | (delay >= min_delay_days)
    delays = delay[case & kept]
    if delays.size == 0:
        delays = np.array([float(last_day + 1)])
    rng = np.random.default_rng(seed)
    drawn = first_back_pain + delays[rng.integers(0, delays.size, first_back_pain.size)]
    out = np.where(case, first_diagnosis, np.minimum(drawn, last_day + 1))
    return out.astype(np.int64), kept


def _estimate(
    finding: str, state: int, a: int, n1: int, c: int, n0: int, pseudo: int
) -> FindingCalibration:
    sens = (a + 0.5) / (n1 + 1.0)
    fpr = (c + 0.5) / (n0 + 1.0)
    ln_site = math.log(sens / fpr)
    var_site = 1 / (a + 0.5) - 1 / (n1 + 1.0) + 1 / (c + 0.5) - 1 / (n0 + 1.0)
    half = 1.959964 * math.sqrt(var_site)
    pub, var_pub = published(finding, STATES[state], pseudo)
    w_site, w_pub = 1 / var_site, 1 / var_pub
    ln_shrunk = (w_site * ln_site + w_pub * math.log(pub)) / (w_site + w_pub)
    return FindingCalibration(
        finding,
        STATES[state],
        a,
        c,
        math.exp(ln_site),
        math.exp(ln_site - half),
        math.exp(ln_site + half),
        pub,
        math.exp(ln_shrunk),
    )


def logistic_fit(
    x: F64, y: npt.NDArray[np.bool_], offset: F64 | None = None
) -> tuple[float, float]:
    """Maximum-likelihood (intercept, slope) of ``logit P(y) = a + b·x (+ offset)`` by Newton."""
    a, b = 0.0, 0.0
    off = np.zeros_like(x) if offset is None else offset
    t = y.astype(np.float64)
    for _ in range(100):
        eta = np.clip(a + b * x + off, -35, 35)
        p = 1 / (1 + np.exp(-eta))
        w = p * (1 - p)
        g = np.array([np.sum(t - p), np.sum((t - p) * x)])
        h = np.array([[w.sum(), (w * x).sum()], [(w * x).sum(), (w * x * x).sum()]])
        try:
            step = np.linalg.solve(h + 1e-12 * np.eye(2), g)
        except np.linalg.LinAlgError:  # pragma: no cover - singular only without variation
            break
        a, b = a + float(step[0]), b + float(step[1])
        if float(np.abs(step).max()) < 1e-10:
            break
    return a, b


def scaled_logistic_fit(x: F64, y: npt.NDArray[np.bool_], ceiling: float) -> tuple[float, float]:
    """Maximum-likelihood (a, b) of ``P(y) = ceiling × sigmoid(a + b·x)`` (Fisher scoring).

    The labelled-positive / unlabelled model (Elkan & Noto 2008): when the controls hide
    undiagnosed cases that look like the diagnosed ones, the chance of being a *labelled* case is
    the chance of having axSpA times ``ceiling``, the labelled share of all cases in the sample.
    Fitting the plain logistic instead flattens the slope.
    """
    a, b = 0.0, 0.0
    t = y.astype(np.float64)
    for _ in range(200):
        sig = 1 / (1 + np.exp(-np.clip(a + b * x, -35, 35)))
        mu = np.clip(ceiling * sig, 1e-12, 1 - 1e-12)
        dmu = ceiling * sig * (1 - sig)
        w = dmu * dmu / (mu * (1 - mu))
        r = (t - mu) * dmu / (mu * (1 - mu))
        g = np.array([r.sum(), (r * x).sum()])
        h = np.array([[w.sum(), (w * x).sum()], [(w * x).sum(), (w * x * x).sum()]])
        step = np.linalg.solve(h + 1e-9 * np.eye(2), g)
        scale = 1.0 / max(1.0, float(np.abs(step).max()))
        a, b = a + scale * float(step[0]), b + scale * float(step[1])
        if float(np.abs(step).max()) < 1e-9:
            break
    return a, b


#: Prior of the recalibration slope: normal around 1 (the LRs as they are) with this SD, so a site
#: with a few dozen held-out cases does not get a slope from noise.
SLOPE_PRIOR_SD = 0.5


def slope_variance(x: F64, slope: float, ceiling: float, y: npt.NDArray[np.bool_]) -> float:
    """Variance of the fitted slope (inverse Fisher information at the fit, intercept refitted)."""
    a, _ = scaled_logistic_fit_intercept(x, y, ceiling, slope)
    sig = 1 / (1 + np.exp(-np.clip(a + slope * x, -35, 35)))
    mu = np.clip(ceiling * sig, 1e-12, 1 - 1e-12)
    dmu = ceiling * sig * (1 - sig)
    w = dmu * dmu / (mu * (1 - mu))
    h = np.array([[w.sum(), (w * x).sum()], [(w * x).sum(), (w * x * x).sum()]])
    det = float(np.linalg.det(h))
    return float(h[0, 0] / det) if det > 0 else math.inf


def scaled_logistic_fit_intercept(
    x: F64, y: npt.NDArray[np.bool_], ceiling: float, slope: float
) -> tuple[float, float]:
    """The intercept of :func:`scaled_logistic_fit` with the slope held at ``slope``."""
    a = 0.0
    t = y.astype(np.float64)
    for _ in range(200):
        sig = 1 / (1 + np.exp(-np.clip(a + slope * x, -35, 35)))
        mu = np.clip(ceiling * sig, 1e-12, 1 - 1e-12)
        dmu = ceiling * sig * (1 - sig)
        w = float((dmu * dmu / (mu * (1 - mu))).sum())
        step = float(((t - mu) * dmu / (mu * (1 - mu))).sum()) / max(w, 1e-12)
        a += max(-1.0, min(1.0, step))
        if abs(step) < 1e-10:
            break
    return a, slope


def _shrunk_slope(fitted: float, variance: float) -> float:
    """Precision-weighted between the fitted slope and the prior 1 (SD :data:`SLOPE_PRIOR_SD`)."""
    w_fit = 0.0 if not math.isfinite(variance) or variance <= 0 else 1 / variance
    w_prior = 1 / SLOPE_PRIOR_SD**2
    return min(max((w_fit * fitted + w_prior) / (w_fit + w_prior), 0.0), 10.0)


def _intercept_for_mean(x: F64, target: float) -> float:
    """The ``a`` with mean(sigmoid(a + x)) = ``target`` (monotone in ``a``: bisection)."""
    lo, hi = -40.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if float(np.mean(1 / (1 + np.exp(-np.clip(mid + x, -700, 700))))) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def fit(
    states: Mapping[str, npt.NDArray[np.int8]],
    is_case: npt.NDArray[np.bool_],
    person_id: npt.NDArray[np.int64],
    *,
    worklist_states: Mapping[str, npt.NDArray[np.int8]],
    adults: int,
    diagnosed_all: int,
    first_date: str,
    last_date: str,
    chronic_back_pain: int,
    diagnosed: int,
    lookback_years: float = DEFAULT_LOOKBACK_YEARS,
    workup_days: int = DEFAULT_WORKUP_DAYS,
    min_history_days: int = MIN_HISTORY_DAYS,
    prevalence: float = PUBLISHED_PREVALENCE,
    pseudo_observations: int = DEFAULT_PSEUDO_OBSERVATIONS,
    holdout_share: float = DEFAULT_HOLDOUT_SHARE,
    seed: int = 0,
) -> SiteCalibration:
    """Estimate a :class:`SiteCalibration` from per-person finding states (module docstring).

    ``states[finding]`` holds :func:`states_of` codes, one per person (cases and controls) at
    their index date (:func:`index_dates`); ``is_case`` marks the diagnosed persons.
    ``worklist_states`` are the findings of the worklist's persons as the screen sees them: the
    intercept makes their mean calibrated probability the base rate.
    """
    check_settings(
        lookback_years=lookback_years,
        prevalence=prevalence,
        pseudo_observations=pseudo_observations,
        holdout_share=holdout_share,
        workup_days=workup_days,
        min_history_days=min_history_days,
    )
    y = np.asarray(is_case, dtype=bool)
    n_cases, n_controls = int(y.sum()), int((~y).sum())
    if n_cases < 2 or n_controls < 2:
        raise InputError.single(
            ("data",),
            f"has {n_cases} diagnosed and {n_controls} undiagnosed persons with chronic back "
            "pain; calibration needs at least 2 of each",
            n_cases,
            context="cohort calibrate",
        )
    rate = base_rate(adults, diagnosed_all, chronic_back_pain, diagnosed, prevalence)
    order = np.argsort(person_id, kind="stable")
    draw = np.empty(y.size)
    draw[order] = np.random.default_rng(seed).random(y.size)
    held = draw < holdout_share
    if y[held].sum() < 1 or y[~held].sum() < 1:
        held = np.zeros(y.size, dtype=bool)  # too few cases to split: fit and hold out the same
    train = ~held if held.any() else np.ones(y.size, dtype=bool)
    check = held if held.any() else train
    n1, n0 = int(y[train].sum()), int((~y[train]).sum())
    findings: list[FindingCalibration] = []
    score = np.zeros(y.size)
    for name in FINDINGS:
        s = np.asarray(states[name], dtype=np.int8)
        ln_by_state = np.zeros(3)
        for k in range(3):
            a = int(((s == k) & y & train).sum())
            c = int(((s == k) & ~y & train).sum())
            est = _estimate(name, k, a, n1, c, n0, pseudo_observations)
            findings.append(est)
            ln_by_state[k] = math.log(est.shrunk_lr)
        score += ln_by_state[s]
    n_check_cases, n_check_controls = int(y[check].sum()), int((~y[check]).sum())
    ceiling = n_check_cases / (n_check_cases + rate * n_check_controls)
    _, fitted = scaled_logistic_fit(score[check], y[check], ceiling)
    slope = _shrunk_slope(fitted, slope_variance(score[check], fitted, ceiling, y[check]))
    now = np.zeros(len(next(iter(worklist_states.values()))))
    for name in FINDINGS:
        by_state = np.array([math.log(f.shrunk_lr) for f in findings if f.finding == name])
        now += by_state[np.asarray(worklist_states[name], dtype=np.int8)]
    intercept = _intercept_for_mean(slope * now, rate)
    return SiteCalibration(
        adults=adults,
        diagnosed_all=diagnosed_all,
        first_date=first_date,
        last_date=last_date,
        chronic_back_pain=chronic_back_pain,
        diagnosed=diagnosed,
        lookback_years=lookback_years,
        workup_days=workup_days,
        min_history_days=min_history_days,
        published_prevalence=prevalence,
        base_rate=rate,
        pseudo_observations=pseudo_observations,
        holdout_share=holdout_share,
        seed=seed,
        fit_cases=n1,
        fit_controls=n0,
        holdout_cases=int(y[check].sum()) if held.any() else 0,
        holdout_controls=int((~y[check]).sum()) if held.any() else 0,
        intercept=intercept,
        slope=slope,
        findings=tuple(findings),
    )


def site_log_odds(cal: SiteCalibration, states: Mapping[str, npt.NDArray[np.int8]]) -> F64:
    """``intercept + slope × Σ ln(shrunk LR)`` per person (the float reference of the SQL)."""
    terms = cal.terms()
    n = len(next(iter(states.values())))
    total = np.full(n, cal.intercept)
    for name in FINDINGS:
        by_state = np.array([terms[name].get(st, 0.0) for st in STATES])
        total = total + by_state[np.asarray(states[name], dtype=np.int8)]
    return total


def site_probability(cal: SiteCalibration, columns: Mapping[str, Sequence[bool | None]]) -> F64:
    """Calibrated probability per row of a worklist's finding columns (``cohort evaluate``)."""
    missing = [name for name in FINDINGS if name not in columns]
    if missing:
        raise InputError.single(
            (missing[0],),
            f"column missing from the worklist; applying a calibration needs every finding "
            f"column ({', '.join(FINDINGS)})",
            context="worklist",
            has_value=False,
            code="missing",
        )
    lo = site_log_odds(cal, {name: states_of(list(columns[name])) for name in FINDINGS})
    return np.asarray(1.0 / (1.0 + np.exp(-lo)), dtype=np.float64)


# --- settings checks --------------------------------------------------------------------------


def check_settings(
    *,
    lookback_years: float,
    prevalence: float,
    pseudo_observations: int,
    holdout_share: float,
    workup_days: int = DEFAULT_WORKUP_DAYS,
    min_history_days: int = MIN_HISTORY_DAYS,
) -> None:
    """Raise ``InputError`` naming each setting outside its range."""
    problems = []
    for name, value, lo, hi, what in (
        ("workup_days", workup_days, 0, 3650, "days"),
        ("min_history_days", min_history_days, 0, 3650, "days"),
        ("lookback_years", lookback_years, 0.25, 100.0, "years"),
        ("prevalence", prevalence, 0.0001, 0.5, "a probability"),
        ("pseudo_observations", pseudo_observations, 0, 1_000_000, "a count"),
        ("holdout_share", holdout_share, 0.0, 0.9, "a share"),
    ):
        if isinstance(value, bool) or not math.isfinite(value) or not lo <= value <= hi:
            problems.append(
                FieldProblem((name,), f"must be between {lo:g} and {hi:g} ({what})", "range",
                             value, True)
            )  # fmt: skip
    if problems:
        raise InputError.from_problems(problems)


# --- site.toml --------------------------------------------------------------------------------

_TOP = {
    "version": int,
    "created": str,
    "data": dict,
    "settings": dict,
    "recalibration": dict,
    "finding": list,
}
_DATA = {
    "adults": int,
    "diagnosed_all": int,
    "first_date": str,
    "last_date": str,
    "chronic_back_pain": int,
    "diagnosed": int,
}
_SETTINGS = {
    "lookback_years": float,
    "workup_days": int,
    "min_history_days": int,
    "published_prevalence": float,
    "base_rate": float,
    "pseudo_observations": int,
    "holdout_share": float,
    "seed": int,
}
_RECAL = {
    "intercept": float,
    "slope": float,
    "fit_cases": int,
    "fit_controls": int,
    "holdout_cases": int,
    "holdout_controls": int,
}
_FINDING = {
    "finding": str,
    "state": str,
    "cases": int,
    "controls": int,
    "site_lr": float,
    "site_lr_low": float,
    "site_lr_high": float,
    "published_lr": float,
    "shrunk_lr": float,
}
_RANGES: dict[str, tuple[float, float]] = {
    "adults": (1, 1e12),
    "diagnosed_all": (0, 1e12),
    "chronic_back_pain": (1, 1e12),
    "diagnosed": (0, 1e12),
    "lookback_years": (0.25, 100.0),
    "workup_days": (0, 3650),
    "min_history_days": (0, 3650),
    "published_prevalence": (0.0001, 0.5),
    "base_rate": (1e-6, 0.5),
    "pseudo_observations": (0, 1e6),
    "holdout_share": (0.0, 0.9),
    "intercept": (-50.0, 50.0),
    "slope": (0.0, 10.0),
    "cases": (0, 1e12),
    "controls": (0, 1e12),
    "fit_cases": (0, 1e12),
    "fit_controls": (0, 1e12),
    "holdout_cases": (0, 1e12),
    "holdout_controls": (0, 1e12),
    "site_lr": (1e-9, 1e9),
    "site_lr_low": (1e-12, 1e12),
    "site_lr_high": (1e-9, 1e15),
    "published_lr": (1e-9, 1e9),
    "shrunk_lr": (1e-9, 1e9),
    "seed": (0, 2**63),
}


def _fmt(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, float):
        return repr(value)
    return str(value)


def to_toml(cal: SiteCalibration) -> str:
    """``site.toml``: data fingerprint, settings, recalibration, one ``[[finding]]`` per state."""
    lines = [
        "# Site calibration of the axSpA worklist (immunospine cohort calibrate).",
        "# Method: docs/case-finding.md, 'Site calibration'. Read by cohort screen --calibration.",
        f"version = {cal.version}",
        f"created = {_fmt(cal.created)}",
        "",
        "[data]",
    ]
    lines += [f"{k} = {_fmt(getattr(cal, k))}" for k in _DATA]
    lines += ["", "[settings]"]
    lines += [f"{k} = {_fmt(getattr(cal, k))}" for k in _SETTINGS]
    lines += ["", "[recalibration]"]
    lines += [f"{k} = {_fmt(getattr(cal, k))}" for k in _RECAL]
    for f in cal.findings:
        lines += ["", "[[finding]]"]
        lines += [f"{k} = {_fmt(getattr(f, k))}" for k in _FINDING]
    return "\n".join(lines) + "\n"


def _check_section(
    section: Mapping[str, Any], spec: Mapping[str, type], where: tuple[str | int, ...]
) -> list[FieldProblem]:
    problems = []
    for key in section:
        if key not in spec:
            near = difflib.get_close_matches(str(key), list(spec), n=2, cutoff=0.5)
            hint = f"; nearest: {', '.join(near)}" if near else f"; allowed: {', '.join(spec)}"
            problems.append(FieldProblem((*where, key), f"unknown key{hint}", "unknown", key, True))
    for key, kind in spec.items():
        loc = (*where, key)
        if key not in section:
            problems.append(FieldProblem(loc, "is missing", "missing", None, False))
            continue
        value = section[key]
        ok = (
            isinstance(value, int | float) and not isinstance(value, bool)
            if kind is float
            else isinstance(value, kind) and not isinstance(value, bool)
        )
        if not ok:
            problems.append(FieldProblem(loc, f"must be {kind.__name__}", "type", value, True))
            continue
        if key in _RANGES:
            lo, hi = _RANGES[key]
            if not math.isfinite(float(value)) or not lo <= value <= hi:
                msg = f"must be between {lo:g} and {hi:g}"
                problems.append(FieldProblem(loc, msg, "range", value, True))
    return problems


def _parse(doc: Mapping[str, Any]) -> SiteCalibration:
    problems = _check_section(doc, _TOP, ())
    if problems:
        raise InputError.from_problems(problems)
    if doc["version"] != VERSION:
        raise InputError.single(
            ("version",), f"must be {VERSION} (this immunospine's site.toml)", doc["version"]
        )
    for section, spec in (("data", _DATA), ("settings", _SETTINGS), ("recalibration", _RECAL)):
        problems += _check_section(doc[section], spec, (section,))
    seen: set[tuple[str, str]] = set()
    for i, f in enumerate(doc["finding"]):
        if not isinstance(f, dict):
            problems.append(FieldProblem(("finding", i), "must be a table", "type", f, True))
            continue
        problems += _check_section(f, _FINDING, ("finding", i))
        name, state = f.get("finding"), f.get("state")
        if isinstance(name, str) and name not in FINDINGS:
            near = difflib.get_close_matches(name, FINDINGS, n=2, cutoff=0.5)
            hint = f"; nearest: {', '.join(near)}" if near else ""
            problems.append(
                FieldProblem(("finding", i, "finding"), f"unknown finding{hint}", "unknown",
                             name, True)
            )  # fmt: skip
        if isinstance(state, str) and state not in STATES:
            problems.append(
                FieldProblem(("finding", i, "state"), f"must be one of {', '.join(STATES)}",
                             "unknown", state, True)
            )  # fmt: skip
        if (name, state) in seen:
            problems.append(
                FieldProblem(("finding", i), f"repeats {name} {state}", "duplicate", name, True)
            )
        seen.add((str(name), str(state)))
    if problems:
        raise InputError.from_problems(problems)
    missing = [f"{n} {s}" for n in FINDINGS for s in STATES if (n, s) not in seen]
    if missing:
        raise InputError.single(
            ("finding",), f"misses {len(missing)} finding state(s), e.g. {missing[0]}", missing[0]
        )
    kw: dict[str, Any] = {}
    for section, spec in (("data", _DATA), ("settings", _SETTINGS), ("recalibration", _RECAL)):
        kw |= {k: _typed(doc[section][k], kind) for k, kind in spec.items()}
    rows = tuple(
        FindingCalibration(**{k: _typed(f[k], kind) for k, kind in _FINDING.items()})
        for f in doc["finding"]
    )
    return SiteCalibration(**kw, findings=rows, version=doc["version"], created=doc["created"])


def _typed(value: Any, kind: type) -> Any:
    return float(value) if kind is float else value


def load(path: Path | str) -> SiteCalibration:
    """Read and validate ``site.toml``; errors name the key, the value and the allowed range."""
    p = Path(path)
    if not p.is_file():
        raise InputError.single(("calibration",), "file not found", str(p), context="site.toml")
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError.single(
            ("calibration",), f"is not valid TOML ({exc})", str(p), context="site.toml"
        ) from None
    try:
        return _parse(doc)
    except InputError as exc:
        raise InputError.from_problems(list(exc.problems), context=f"site.toml {p}") from None
