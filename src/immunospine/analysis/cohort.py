"""A cohort: within- versus between-person effects, and the two directions of pain ↔ inflammation.

**Within and between** (``within_between``): a linear mixed model (statsmodels ``MixedLM``, REML)
of daily ``pain_nrs`` on stress, sleep and exercise, each split into the person's own mean
(between-person, centred on the cohort mean) and the day's deviation from it (within-person,
person-mean centring), with a random intercept and random within-person slopes per person::

    pain_ij = γ0 + Σ_f γw_f·(x_fij − x̄_fi) + Σ_f γb_f·(x̄_fi − x̄_f)
              + u0_i + Σ_f u_fi·(x_fij − x̄_fi) + e_ij

``γw`` answers "on a day when *this person* is more stressed than usual, how much more pain?",
``γb`` "do *people* who are more stressed on average have more pain?" — they differ when
something stable about people moves both. Exercise is per 10 minutes. REML's cost grows with
the persons (minutes for a thousand on a shared 2-core machine); above ``MIXED_MAX_PERSONS`` the
same model is estimated in two stages instead (``two_stage``: per-person slopes, then their
precision-weighted mean — Swamy's random-coefficient estimator), with every person, and the
output names the method. If the REML fit does not converge or gives no finite standard errors
(a variance at its boundary), the two-stage estimate is reported instead and the method says
why.

**Cross-lagged** (``riclpm``): a random-intercept cross-lagged panel model (Hamaker, Kuiper and
Grasman 2015) with semopy, over ``waves`` visits per person: each measure = a stable person
intercept (``RI``) + a within-person deviation; the deviations follow from one wave to the next::

    wp_k = a_p·wp_{k−1} + c_ip·wi_{k−1} + e      (inflammation → later pain: c_ip)
    wi_k = a_i·wi_{k−1} + c_pi·wp_{k−1} + e'     (pain → later inflammation: c_pi)

with the lagged effects held equal across waves, same-wave innovations correlated, the two
intercepts correlated with each other and not with the first wave. Pain is BASDAI (0–10) at the
visit; inflammation is ln(1 + CRP mg/L) that day. Estimates are unstandardised, in those units.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from immunospine.analysis.series import PatientData

__all__ = [
    "COHORT_FACTORS",
    "DEFAULT_WAVES",
    "MIN_PERSONS_MIXED",
    "MIN_PERSONS_RICLPM",
    "MIXED_MAX_PERSONS",
    "CohortData",
    "analyze_cohort",
    "riclpm",
    "two_stage",
    "within_between",
]

COHORT_FACTORS = ("stress_nrs", "sleep_hours", "exercise_min")
MIXED_MAX_PERSONS = 500
MIN_PERSONS_MIXED = 10
MIN_DAYS_PER_PERSON = 14
MIN_PERSONS_RICLPM = 50
DEFAULT_WAVES = 4
_PER = {"stress_nrs": "point", "sleep_hours": "hour", "exercise_min": "10 minutes"}


@dataclass
class CohortData:
    """What the cohort analysis needs, gathered one patient at a time (``add``) so a large
    cohort never holds every patient's full series at once."""

    days: list[pd.DataFrame] = field(default_factory=list)
    panel: list[pd.DataFrame] = field(default_factory=list)
    patients: int = 0
    waves: int = DEFAULT_WAVES

    def add(self, data: PatientData) -> None:
        self.patients += 1
        daily = data.daily
        if not daily.empty:
            part = daily[["pain_nrs", *COHORT_FACTORS]].dropna()
            if len(part) >= MIN_DAYS_PER_PERSON:
                part = part.reset_index(drop=True)
                part.insert(0, "person", self.patients)
                self.days.append(part.astype({"person": np.int32}))
        visits = data.visits
        if not visits.empty:
            both = visits[["basdai", "crp_mg_l"]].dropna()
            if len(both) >= self.waves:
                last = both.iloc[-self.waves :]
                self.panel.append(
                    pd.DataFrame(
                        {
                            "person": self.patients,
                            "wave": np.arange(self.waves),
                            "pain": last["basdai"].to_numpy(),
                            "inflammation": np.log1p(last["crp_mg_l"].to_numpy()),
                        }
                    )
                )

    def daily_frame(self) -> pd.DataFrame:
        if not self.days:
            return pd.DataFrame(columns=["person", "pain_nrs", *COHORT_FACTORS])
        return pd.concat(self.days, ignore_index=True)

    def panel_frame(self) -> pd.DataFrame:
        if not self.panel:
            return pd.DataFrame(columns=["person", "wave", "pain", "inflammation"])
        return pd.concat(self.panel, ignore_index=True)


def analyze_cohort(
    patients: Iterable[PatientData], *, waves: int = DEFAULT_WAVES
) -> dict[str, Any]:
    """The cohort analysis as JSON-ready values (names: see issue 11)."""
    data = CohortData(waves=waves)
    for p in patients:
        data.add(p)
    return cohort_result(data)


def cohort_result(data: CohortData) -> dict[str, Any]:
    """``analyze_cohort`` for data already gathered."""
    from immunospine.analysis.stats import one_blas_thread

    with one_blas_thread():
        wb = within_between(data.daily_frame())
        cl = riclpm(data.panel_frame())
    missing = [m for m in (wb.get("not_enough_data"), cl.get("not_enough_data")) if m]
    return {
        "n_patients": data.patients,
        "within_person": wb["within_person"],
        "between_person": wb["between_person"],
        "mixed_model": wb["model"],
        "cross_lagged": cl["cross_lagged"],
        "autoregressive": cl["autoregressive"],
        "fit": cl["fit"],
        "measures": {
            "pain": "BASDAI (0–10) at the visit",
            "inflammation": "ln(1 + CRP mg/L) at the visit",
            "daily_factors": "stress_nrs per point, sleep_hours per hour, exercise_min per 10 "
            "minutes; outcome pain_nrs (0–10)",
        },
        "not_enough_data": missing,
        "note": "Associations in these records, not proof of cause: the cross-lagged model "
        "separates stable differences between people from changes within a person and orders "
        "them in time, but something unmeasured may still move both.",
    }


def _coef(estimate: float, se: float) -> dict[str, float]:
    from scipy import stats

    if not (math.isfinite(se) and se > 0):
        return {"estimate": estimate, "ci_low": math.nan, "ci_high": math.nan, "p_value": math.nan}
    z = estimate / se
    return {
        "estimate": estimate,
        "ci_low": estimate - 1.959963984540054 * se,
        "ci_high": estimate + 1.959963984540054 * se,
        "p_value": float(2 * stats.norm.sf(abs(z))),
    }


def within_between(frame: pd.DataFrame, *, max_persons: int = MIXED_MAX_PERSONS) -> dict[str, Any]:
    """Within- and between-person effects on daily pain (see the module docstring).

    ``frame``: ``person``, ``pain_nrs`` and ``COHORT_FACTORS`` (exercise in minutes), one row a
    person-day; rows with a missing value are left out.
    """
    import statsmodels.api as sm

    empty: dict[str, Any] = {"within_person": [], "between_person": [], "model": None}
    frame = frame.dropna(subset=["pain_nrs", *COHORT_FACTORS])
    counts = frame.groupby("person").size()
    persons = counts[counts >= MIN_DAYS_PER_PERSON].index.to_numpy()
    if len(persons) < MIN_PERSONS_MIXED:
        return {
            **empty,
            "not_enough_data": {
                "analysis": "within_between",
                "reason": f"not enough data: {len(persons)} person(s) with at least "
                f"{MIN_DAYS_PER_PERSON} complete diary days; at least {MIN_PERSONS_MIXED} "
                "needed",
            },
        }
    frame = frame[frame["person"].isin(persons)]
    if len(persons) > max_persons:
        return two_stage(frame)
    x = frame[list(COHORT_FACTORS)].to_numpy(dtype=float).copy()
    x[:, COHORT_FACTORS.index("exercise_min")] /= 10.0
    groups = frame["person"].to_numpy()
    means = pd.DataFrame(x).groupby(groups).transform("mean").to_numpy()
    within = x - means
    between = means - means.mean(axis=0)
    k = len(COHORT_FACTORS)
    person_means = pd.DataFrame(x).groupby(groups).mean().to_numpy()
    varied = _between_varies(person_means, within)
    # columns scaled to unit SD for the optimiser (a per-10-minutes mean that hardly varies
    # made the REML Hessian singular); estimates are scaled back
    raw = np.column_stack([within, between[:, varied]])
    scale = raw.std(axis=0)
    scale[scale == 0] = 1.0
    exog = np.column_stack([np.ones(len(x)), raw / scale])
    re = np.column_stack([np.ones(len(x)), within / scale[:k]])
    y = frame["pain_nrs"].to_numpy(dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = sm.MixedLM(y, exog, groups=groups, exog_re=re).fit(method=["lbfgs"], reml=True)
            bse = np.asarray(fit.bse_fe, dtype=float)[1:] / scale
            converged = bool(fit.converged) and bool(np.isfinite(bse).all())
        except (np.linalg.LinAlgError, ValueError):
            converged = False
    if not converged:
        # e.g. a variance at its boundary (people who do not differ in their usual pain):
        # the two-stage estimate of the same model has no such trouble
        result = two_stage(frame)
        result["model"]["method"] += " (REML gave no usable standard errors)"
        return result
    params = np.asarray(fit.fe_params, dtype=float)[1:] / scale
    cov_re = np.asarray(fit.cov_re, dtype=float)
    slope_sd = [float(math.sqrt(max(cov_re[i + 1, i + 1], 0.0)) / scale[i]) for i in range(k)]
    within_rows = [
        {
            "factor": f,
            **_coef(float(params[i]), float(bse[i])),
            "per": _PER[f],
            "slope_sd": slope_sd[i],
        }
        for i, f in enumerate(COHORT_FACTORS)
    ]
    between_rows = _between_rows(varied, params[k:], bse[k:])
    return {
        "within_person": within_rows,
        "between_person": between_rows,
        "model": {
            "method": "statsmodels MixedLM, REML; person-mean centring; random intercept and "
            "random within-person slopes",
            "n_persons": len(persons),
            "n_days": len(y),
            "converged": converged,
        },
    }


BETWEEN_MIN_RATIO = 0.1
"""A between-person effect is estimated only when people's averages of the factor differ by at
least a tenth of how much it varies from day to day within a person (SD against SD)."""


def _between_varies(person_means: np.ndarray, within: np.ndarray) -> list[int]:
    """The factors whose person means vary enough for a between-person effect."""
    spread = person_means.std(axis=0)
    daily = within.std(axis=0)
    return [j for j in range(len(COHORT_FACTORS)) if spread[j] >= BETWEEN_MIN_RATIO * daily[j]]


def _between_rows(varied: list[int], params: np.ndarray, se: np.ndarray) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for j, f in enumerate(COHORT_FACTORS):
        if j in varied:
            i = varied.index(j)
            rows.append({"factor": f, **_coef(float(params[i]), float(se[i])), "per": _PER[f]})
        else:
            rows.append(
                {
                    "factor": f,
                    "estimate": None,
                    "ci_low": None,
                    "ci_high": None,
                    "p_value": None,
                    "per": _PER[f],
                    "not_enough_data": "not enough data: people's averages differ too little "
                    f"(less than {BETWEEN_MIN_RATIO:g} × the day-to-day SD)",
                }
            )
    return rows


def two_stage(frame: pd.DataFrame) -> dict[str, Any]:
    """The same random-slopes model for a large cohort, estimated in two stages (Swamy's
    random-coefficient estimator) instead of by REML, in seconds for 10,000 persons.

    Stage 1, per person: OLS of pain on the person-mean-centred factors gives the person's
    slopes ``b_i`` and their sampling covariance ``V_i``; the intercept is the person's mean
    pain. Stage 2: the between-person spread of the slopes ``Γ = cov(b_i) − mean(V_i)`` (its
    negative eigenvalues set to 0) and the within-person effects as the GLS mean
    ``γ = (Σ W_i)⁻¹ Σ W_i b_i`` with ``W_i = (Γ + V_i)⁻¹``, standard errors from ``(Σ W_i)⁻¹``.
    Between-person effects: OLS of each person's mean pain on their centred mean factors, one
    row per person, with HC1 standard errors. Persons whose factors do not vary (a singular
    design) add to the between- but not to the within-person part.
    """
    import statsmodels.api as sm

    k = len(COHORT_FACTORS)
    x = frame[list(COHORT_FACTORS)].to_numpy(dtype=float).copy()
    x[:, COHORT_FACTORS.index("exercise_min")] /= 10.0
    y = frame["pain_nrs"].to_numpy(dtype=float)
    codes, uniques = pd.factorize(frame["person"], sort=True)
    p = len(uniques)
    n_i = np.bincount(codes, minlength=p).astype(float)
    means = np.column_stack([np.bincount(codes, x[:, j], p) for j in range(k)]) / n_i[:, None]
    y_mean = np.bincount(codes, y, p) / n_i
    w = x - means[codes]
    yc = y - y_mean[codes]
    xtx = np.empty((p, k, k))
    for a in range(k):
        for b in range(a, k):
            xtx[:, a, b] = xtx[:, b, a] = np.bincount(codes, w[:, a] * w[:, b], p)
    xty = np.column_stack([np.bincount(codes, w[:, a] * yc, p) for a in range(k)])
    yty = np.bincount(codes, yc * yc, p)
    ok = (np.linalg.cond(xtx) < 1e10) & (n_i > k + 1)
    inv = np.linalg.inv(xtx[ok])
    slopes = np.einsum("pij,pj->pi", inv, xty[ok])
    sse = yty[ok] - np.einsum("pi,pi->p", slopes, xty[ok])
    sigma2 = np.maximum(sse, 0.0) / (n_i[ok] - k - 1)
    v = sigma2[:, None, None] * inv
    gamma = np.cov(slopes, rowvar=False) - v.mean(axis=0)
    values, vectors = np.linalg.eigh(gamma)
    gamma = (vectors * np.maximum(values, 0.0)) @ vectors.T
    weights = np.linalg.inv(gamma[None, :, :] + v)
    precision = weights.sum(axis=0)
    cov = np.linalg.inv(precision)
    effect = cov @ np.einsum("pij,pj->i", weights, slopes)
    varied = _between_varies(means, w)
    between_x = np.column_stack([np.ones(p), (means - means.mean(axis=0))[:, varied]])
    between = sm.OLS(y_mean, between_x).fit(cov_type="HC1")
    b_params = np.asarray(between.params, dtype=float)[1:]
    b_se = np.asarray(between.bse, dtype=float)[1:]
    return {
        "within_person": [
            {
                "factor": f,
                **_coef(float(effect[i]), float(math.sqrt(cov[i, i]))),
                "per": _PER[f],
                "slope_sd": float(math.sqrt(max(gamma[i, i], 0.0))),
            }
            for i, f in enumerate(COHORT_FACTORS)
        ],
        "between_person": _between_rows(varied, b_params, b_se),
        "model": {
            "method": "random slopes by two-stage estimation (Swamy): per-person OLS on "
            "person-mean-centred factors, then the GLS mean of the slopes; between-person: OLS "
            "of person means (HC1)",
            "n_persons": p,
            "n_persons_within": int(ok.sum()),
            "n_days": len(y),
            "converged": True,
        },
    }


def _riclpm_description(waves: int) -> str:
    lines = [
        "RIp =~ " + " + ".join(f"1*p{k}" for k in range(waves)),
        "RIi =~ " + " + ".join(f"1*i{k}" for k in range(waves)),
    ]
    for k in range(waves):
        lines += [f"wp{k} =~ 1*p{k}", f"wi{k} =~ 1*i{k}", f"p{k} ~~ 0*p{k}", f"i{k} ~~ 0*i{k}"]
    for k in range(1, waves):
        lines += [f"wp{k} ~ ap*wp{k - 1} + cip*wi{k - 1}", f"wi{k} ~ ai*wi{k - 1} + cpi*wp{k - 1}"]
    lines += [f"wp{k} ~~ wi{k}" for k in range(waves)]
    lines.append("RIp ~~ RIi")
    for ri in ("RIp", "RIi"):
        lines += [f"{ri} ~~ 0*wp0", f"{ri} ~~ 0*wi0"]
    return "\n".join(lines)


def riclpm(panel: pd.DataFrame) -> dict[str, Any]:
    """The RI-CLPM over ``panel`` (``person``, ``wave`` 0…W−1, ``pain``, ``inflammation``);
    persons without every wave are left out."""
    import semopy
    import semopy.stats as sstats

    empty = {"cross_lagged": None, "autoregressive": None, "fit": None}
    n, waves = 0, 0
    if not panel.empty:
        waves = int(panel["wave"].max()) + 1
        wide = panel.pivot(index="person", columns="wave", values=["pain", "inflammation"])
        wide.columns = [f"{'p' if c[0] == 'pain' else 'i'}{c[1]}" for c in wide.columns]
        wide = wide.dropna()
        n = len(wide)
    if n < MIN_PERSONS_RICLPM or waves < 3:
        return {
            **empty,
            "not_enough_data": {
                "analysis": "cross_lagged",
                "reason": f"not enough data: {n} person(s) with {waves or DEFAULT_WAVES} "
                f"visits holding both BASDAI and CRP; at least {MIN_PERSONS_RICLPM} persons "
                "and 3 waves needed",
            },
        }
    model = semopy.Model(_riclpm_description(waves))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(wide)
    table = model.inspect()
    paths = table[table["op"] == "~"]

    def path(lval: str, rval: str) -> dict[str, float]:
        row = paths[(paths["lval"] == lval) & (paths["rval"] == rval)].iloc[0]
        se = row["Std. Err"]
        return _coef(float(row["Estimate"]), float(se) if se != "-" else math.nan)

    chi2, chi2_p = sstats.calc_chi2(model)
    dof = int(sstats.calc_dof(model))
    rmsea = math.sqrt(max(float(chi2) - dof, 0.0) / (dof * (n - 1))) if dof > 0 else math.nan
    return {
        "cross_lagged": {
            "pain_to_inflammation": path("wi1", "wp0"),
            "inflammation_to_pain": path("wp1", "wi0"),
        },
        "autoregressive": {"pain": path("wp1", "wp0"), "inflammation": path("wi1", "wi0")},
        "fit": {
            "chi2": float(chi2),
            "dof": dof,
            "p_value": float(chi2_p),
            "rmsea": rmsea,
            "n_persons": n,
            "n_waves": waves,
            "estimator": "semopy, maximum likelihood (MLW); lagged effects equal across waves",
        },
    }
