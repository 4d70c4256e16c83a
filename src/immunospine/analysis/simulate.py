"""Simulated patients with KNOWN (planted) effects, to prove the analyses find what is there.

Three generators, each seeded (``numpy.random.default_rng(seed)``, nothing global):

- ``simulate_timeline(spec, seed)``: one patient as a ``records.Timeline`` (diary entries,
  exercise and stress-reduction sessions, CRP results at visits, an optional treatment start),
  generated as::

      factor_t  = mean + AR(1) deviation (φ = ``factor_phi``), clipped to its scale
      pain_t    = intercept + Σ effects[(factor, lag)] · factor_{t−lag} (in analysis units)
                  + treatment_level · [t ≥ treatment day] + u_t
      u_t       = noise_phi · u_{t−1} + N(0, noise_sd²)      (autocorrelated noise)

  A day is skipped (no diary entry) with probability ``missing``. Pain is not rounded; it is
  clipped to 0–10 only in the rare day it would leave the scale. ``effects`` are per unit of the
  analysis (per 10 minutes for exercise), so recovered estimates compare directly.
- ``simulate_panel(...)``: visit waves of pain and inflammation for a random-intercept
  cross-lagged panel model with planted cross-lagged effects.
- ``simulate_cohort(...)``: a long daily table of many patients whose between-person effects
  differ from their within-person effects (for the mixed models and the benchmarks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pandas as pd

from immunospine.records import (
    Condition,
    Diagnosis,
    DiaryEntry,
    Intervention,
    InterventionKind,
    LabResult,
    LabTest,
    MedicationCourse,
    Patient,
    Sex,
    Timeline,
    entry_of,
)

__all__ = [
    "NULL_EFFECTS",
    "PersonSpec",
    "simulate_cohort",
    "simulate_panel",
    "simulate_timeline",
]

NULL_EFFECTS: dict[tuple[str, int], float] = {}


@dataclass(frozen=True)
class PersonSpec:
    """What one simulated patient's records are made of (see the module docstring)."""

    n_days: int = 365
    end: date = date(2026, 11, 30)
    effects: dict[tuple[str, int], float] = field(
        default_factory=lambda: {("sleep_hours", 1): -0.4, ("stress_nrs", 0): 0.3}
    )
    intercept: float = 7.0
    noise_sd: float = 0.8
    noise_phi: float = 0.5
    factor_phi: float = 0.6
    missing: float = 0.15
    visit_every_days: int = 30
    crp_effect_on_pain: float = 0.0
    treatment_day: int | None = None
    treatment_level: float = 0.0
    patient_id: str = "sim-00001"


_FACTOR_SHAPE = {
    # mean, sd of the AR(1) deviation, lower, upper
    "stress_nrs": (4.5, 1.5, 0.0, 10.0),
    "sleep_hours": (7.0, 1.0, 2.0, 12.0),
    "sleep_quality_nrs": (6.0, 1.5, 0.0, 10.0),
}


def _ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    """A stationary AR(1) series with marginal standard deviation ``sd``."""
    e = rng.normal(0.0, sd * np.sqrt(1 - phi * phi), n)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    for t in range(1, n):
        out[t] = phi * out[t - 1] + e[t]
    return out


def simulate_daily(spec: PersonSpec, rng: np.random.Generator) -> pd.DataFrame:
    """The daily values behind ``simulate_timeline`` (NaN on skipped days), indexed by date."""
    n = spec.n_days
    factors: dict[str, np.ndarray] = {}
    for name, (mean, sd, lo, hi) in _FACTOR_SHAPE.items():
        factors[name] = np.clip(mean + _ar1(rng, n, spec.factor_phi, sd), lo, hi)
    factors["sleep_hours"] = np.round(factors["sleep_hours"] * 4) / 4
    factors["stress_nrs"] = np.round(factors["stress_nrs"] * 2) / 2
    factors["sleep_quality_nrs"] = np.round(factors["sleep_quality_nrs"])
    exercising = rng.random(n) < 0.35
    factors["exercise_min"] = np.where(exercising, rng.integers(2, 7, n) * 10.0, 0.0)
    practising = rng.random(n) < 0.2
    factors["stress_reduction_min"] = np.where(practising, rng.integers(1, 4, n) * 10.0, 0.0)
    crp = np.exp(rng.normal(np.log(4.0), 0.6, n))
    pain = spec.intercept + _ar1(
        rng, n, spec.noise_phi, spec.noise_sd / np.sqrt(1 - spec.noise_phi**2)
    )
    units = {"exercise_min": 10.0, "stress_reduction_min": 10.0}
    for (factor, lag), beta in spec.effects.items():
        x = factors[factor] / units.get(factor, 1.0)
        pain[lag:] += beta * x[: n - lag]
        if lag:
            pain[:lag] += beta * float(np.mean(x))
    if spec.treatment_day is not None:
        pain[spec.treatment_day :] += spec.treatment_level
    pain += spec.crp_effect_on_pain * crp
    pain = np.clip(pain, 0.0, 10.0)
    start = spec.end - timedelta(days=n - 1)
    frame = pd.DataFrame(
        {"pain_nrs": pain, **factors, "crp_true": crp},
        index=pd.date_range(start, periods=n, freq="D", name="day"),
    )
    skipped = rng.random(n) < spec.missing
    frame.loc[skipped, [c for c in frame.columns if c != "crp_true"]] = np.nan
    return frame


def simulate_timeline(spec: PersonSpec, seed: int) -> Timeline:
    """One simulated patient as a ``Timeline`` (records validated as any other)."""
    rng = np.random.default_rng(seed)
    frame = simulate_daily(spec, rng)
    start = frame.index[0].date()
    pid = spec.patient_id
    patient = Patient(
        patient_id=pid,
        year_of_birth=1980,
        sex=Sex.FEMALE,
        diagnoses=(Diagnosis(condition=Condition.AXIAL_SPONDYLOARTHRITIS, diagnosed_on=start),),
    )
    records: list[object] = []
    for ts, row in zip(pd.DatetimeIndex(frame.index), frame.to_dict("records"), strict=True):
        day = ts.date()
        if np.isnan(row["pain_nrs"]):
            continue
        at = datetime.combine(day, time(20, 0), tzinfo=UTC)
        records.append(
            DiaryEntry(
                patient_id=pid,
                recorded_at=at,
                pain_nrs=round(float(row["pain_nrs"]), 3),
                stress_nrs=float(row["stress_nrs"]),
                sleep_hours=float(row["sleep_hours"]),
                sleep_quality_nrs=float(row["sleep_quality_nrs"]),
            )
        )
        for column, kind, what in (
            ("exercise_min", InterventionKind.EXERCISE, "walking"),
            ("stress_reduction_min", InterventionKind.STRESS_REDUCTION, "mindfulness"),
        ):
            if row[column] > 0:
                records.append(
                    Intervention(
                        patient_id=pid,
                        kind=kind,
                        performed_on=day,
                        activity=what,
                        duration_min=int(row[column]),
                    )
                )
    for k in range(0, spec.n_days, spec.visit_every_days):
        day = start + timedelta(days=k)
        records.append(
            LabResult(
                patient_id=pid,
                collected_on=day,
                test=LabTest.CRP,
                unit="mg/L",
                value=round(float(frame["crp_true"].iloc[k]), 2),
            )
        )
    if spec.treatment_day is not None:
        records.append(
            MedicationCourse(
                patient_id=pid,
                drug="adalimumab",
                drug_class="tnf_inhibitor",
                started_on=start + timedelta(days=spec.treatment_day),
            )
        )
    entries = sorted((entry_of(r) for r in records), key=lambda e: e.sort_key())  # type: ignore[arg-type]
    return Timeline(patient=patient, entries=tuple(entries))


def simulate_panel(
    n_persons: int,
    waves: int,
    *,
    pain_to_inflammation: float = 0.0,
    inflammation_to_pain: float = 0.3,
    autoregression: float = 0.4,
    seed: int = 0,
) -> pd.DataFrame:
    """Visit waves for a RI-CLPM: ``person``, ``wave``, ``pain``, ``inflammation``.

    Each person has stable random intercepts (correlated 0.3, SD 1.0) and within-person
    deviations ``w`` following, from wave to wave::

        w_pain_k = ar·w_pain_{k−1} + inflammation_to_pain·w_infl_{k−1} + e
        w_infl_k = ar·w_infl_{k−1} + pain_to_inflammation·w_pain_{k−1} + e'

    with innovations of SD 1 (correlated 0.2 within a wave); the wave means drift a little.
    """
    rng = np.random.default_rng(seed)
    ri = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.3], [0.3, 1.0]], n_persons)
    cov = [[1.0, 0.2], [0.2, 1.0]]
    w = rng.multivariate_normal([0.0, 0.0], cov, n_persons)
    rows = []
    for k in range(waves):
        if k:
            e = rng.multivariate_normal([0.0, 0.0], cov, n_persons)
            wp = autoregression * w[:, 0] + inflammation_to_pain * w[:, 1] + e[:, 0]
            wi = autoregression * w[:, 1] + pain_to_inflammation * w[:, 0] + e[:, 1]
            w = np.column_stack([wp, wi])
        rows.append(
            pd.DataFrame(
                {
                    "person": np.arange(n_persons),
                    "wave": k,
                    "pain": 4.0 + 0.1 * k + ri[:, 0] + w[:, 0],
                    "inflammation": 1.5 - 0.05 * k + ri[:, 1] + w[:, 1],
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def simulate_cohort(
    n_patients: int,
    n_days: int,
    *,
    within: dict[str, float] | None = None,
    between: dict[str, float] | None = None,
    slope_sd: float = 0.1,
    missing: float = 0.1,
    seed: int = 0,
) -> pd.DataFrame:
    """A long daily table (``person``, ``day``, ``pain_nrs``, ``stress_nrs``, ``sleep_hours``,
    ``exercise_min``) for ``n_patients`` × ``n_days``, skipped days dropped.

    Within a person, pain moves with the day's deviations from the person's own means by
    ``within`` (random slopes of SD ``slope_sd`` around it); between persons, the person means
    go with pain by ``between`` (e.g. people who sleep more have less pain overall, by a
    different amount than a good night lowers one person's pain). Exercise is per 10 minutes.
    """
    within = within or {"stress_nrs": 0.3, "sleep_hours": -0.3, "exercise_min": -0.05}
    between = between or {"stress_nrs": 0.6, "sleep_hours": -0.1, "exercise_min": -0.2}
    rng = np.random.default_rng(seed)
    names = ("stress_nrs", "sleep_hours", "exercise_min")
    means = {
        "stress_nrs": rng.normal(4.5, 1.2, n_patients),
        "sleep_hours": rng.normal(7.0, 0.7, n_patients),
        "exercise_min": np.clip(rng.normal(2.0, 1.0, n_patients), 0, None),  # per 10 min
    }
    sds = {"stress_nrs": 1.5, "sleep_hours": 1.0, "exercise_min": 1.5}
    person = np.repeat(np.arange(n_patients, dtype=np.int32), n_days)
    day = np.tile(np.arange(n_days, dtype=np.int32), n_patients)
    intercept = 4.0 + rng.normal(0, 1.0, n_patients)
    pain = np.repeat(intercept, n_days).astype(np.float64)
    columns: dict[str, np.ndarray] = {}
    for name in names:
        m = means[name]
        dev = rng.normal(0.0, sds[name], n_patients * n_days)
        x = np.repeat(m, n_days) + dev
        if name == "exercise_min":
            x = np.clip(x, 0, None)
            dev = x - np.repeat(m, n_days)
        slope = within[name] + rng.normal(0, slope_sd, n_patients)
        pain += np.repeat(slope, n_days) * dev + np.repeat(between[name] * (m - m.mean()), n_days)
        columns[name] = x * (10.0 if name == "exercise_min" else 1.0)
    pain += rng.normal(0, 1.0, n_patients * n_days)
    frame = pd.DataFrame({"person": person, "day": day, "pain_nrs": pain, **columns})
    keep = rng.random(len(frame)) >= missing
    return frame[keep].reset_index(drop=True)
