"""Validation runs: do the intervals cover planted effects, are null patients left alone?

Used by ``tests/analysis`` (few replicates) and ``benchmarks/validate_analysis.py`` (many).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from immunospine.analysis.person import lagged_associations
from immunospine.analysis.series import patient_data
from immunospine.analysis.simulate import PersonSpec, simulate_timeline

__all__ = ["PLANTED", "coverage_run", "null_run"]

PLANTED = PersonSpec()
"""Planted: sleep_hours at lag 1 −0.4 points per hour, stress_nrs at lag 0 +0.3 per point;
every other factor and lag 0; AR(1) noise φ 0.5, SD 0.8; factors AR(1) φ 0.6; 15 % days
missing; 365 days."""


def coverage_run(
    replicates: int, seed: int = 0, spec: PersonSpec = PLANTED, max_lag: int = 3
) -> dict[str, Any]:
    """Coverage of the 95 % intervals of every diary factor × lag on pain over
    ``replicates`` simulated patients: per coefficient and overall, plus the power to flag
    (q < 0.05) each planted non-zero effect."""
    hits: dict[tuple[str, int], list[bool]] = {}
    flagged: dict[tuple[str, int], list[bool]] = {}
    for r in range(replicates):
        rows, _ = lagged_associations(
            patient_data(simulate_timeline(spec, seed + r)), max_lag=max_lag
        )
        for row in rows:
            if row["outcome"] != "pain_nrs" or row["factor"] == "crp_mg_l":
                continue
            key = (row["factor"], row["lag_days"])
            true = spec.effects.get(key, 0.0)
            hits.setdefault(key, []).append(row["ci_low"] <= true <= row["ci_high"])
            if true:
                flagged.setdefault(key, []).append(row["q_value"] < 0.05)
    all_hits = [h for v in hits.values() for h in v]
    return {
        "replicates": replicates,
        "per_coefficient": [
            {
                "factor": k[0],
                "lag_days": k[1],
                "planted": spec.effects.get(k, 0.0),
                "coverage": float(np.mean(v)),
                "n": len(v),
                "power": float(np.mean(flagged[k])) if k in flagged else None,
            }
            for k, v in sorted(hits.items())
        ],
        "overall": float(np.mean(all_hits)) if all_hits else math.nan,
        "n_intervals": len(all_hits),
    }


def null_run(replicates: int, seed: int = 100_000, n_days: int = 365) -> dict[str, Any]:
    """Patients with no effect at all: how often is any association flagged (q < 0.05), and
    what share of all tests is flagged."""
    spec = PersonSpec(effects={}, n_days=n_days)
    any_flag = 0
    tests = flags = 0
    for r in range(replicates):
        rows, _ = lagged_associations(patient_data(simulate_timeline(spec, seed + r)))
        q = [row["q_value"] for row in rows]
        tests += len(q)
        flags += sum(v < 0.05 for v in q)
        any_flag += any(v < 0.05 for v in q)
    return {
        "replicates": replicates,
        "any_flag_rate": any_flag / replicates,
        "per_test_rate": flags / tests if tests else math.nan,
        "tests": tests,
    }
