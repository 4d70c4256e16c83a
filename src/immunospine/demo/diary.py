"""The demo clinic's daily diaries, generated from a KNOWN model so analyses can be checked.

Generating model (one entry a day, about 10 % of days skipped; all values as reported)::

    inflammation_t = ln(1 + CRP_t)          CRP_t = the value (mg/L) of the patient's most recent
                                            CRP lab result collected on or before day t
                                            (the highest if several that day)
    stress_t       = round(clip(μ_s − 1.5·[in a stress-reduction course] + AR1_t, 0, 10))
                     AR1_t = 0.7·AR1_{t−1} + N(0, 1.2²)
    sleep_hours_t  = round_to_0.25(clip(7.2 − 0.15·(stress_t − 5) + N(0, 0.9²), 3, 11))
    pain_nrs_t     = round_to_0.1(clip(a + b·inflammation_t + c·stress_t − d·sleep_hours_t
                                       + N(0, σ²), 0, 10))

with ``PAIN_MODEL``: a = 3.0, b = 1.0, c = 0.30, d = 0.25, σ = 0.7. The coefficients act on the
reported (rounded) stress and sleep values, so an ordinary least-squares fit of ``pain_nrs`` on
``ln(1 + CRP_t)``, ``stress_nrs`` and ``sleep_hours`` recovers them (the clip at 0 and 10 almost
never binds for these ranges). Other diary fields are descriptive only::

    morning_stiffness_min = round(clip(10 + 80·A_t + N(0, 10²), 0, 240))
    fatigue_nrs           = round(clip(1.5 + 5·A_t + 0.2·stress_t + N(0, 1), 0, 10))
    sleep_quality_nrs     = round(clip(sleep_hours_t − 1 − 0.2·stress_t + N(0, 1), 0, 10))
    flare                 = day t lies in a flare episode

where ``A_t`` (0–1) is the latent disease activity of the day.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from immunospine.records import DiaryEntry

__all__ = ["PAIN_MODEL", "PainModel", "diary_entries"]


@dataclass(frozen=True)
class PainModel:
    """pain = intercept + inflammation·ln(1+CRP) + stress·stress − sleep·sleep_hours + N(0, σ²)."""

    intercept: float = 3.0
    inflammation: float = 1.0
    stress: float = 0.30
    sleep: float = 0.25
    noise_sd: float = 0.7


PAIN_MODEL = PainModel()


def _clip(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


def diary_entries(
    rng: random.Random,
    patient_id: str,
    days: Sequence[date],
    crp_draws: Sequence[tuple[date, float]],
    activity: Callable[[date], float],
    in_flare: Callable[[date], bool],
    in_stress_course: Callable[[date], bool],
    zone: timezone,
    *,
    stress_mean: float,
    model: PainModel = PAIN_MODEL,
) -> list[DiaryEntry]:
    """One entry a day on ``days`` (some skipped), following the module's generating model."""
    draws = sorted(crp_draws)
    draw_days = [d for d, _ in draws]
    out = []
    ar = 0.0
    for day in days:
        ar = 0.7 * ar + rng.gauss(0.0, 1.2)
        if rng.random() < 0.1:
            continue
        k = bisect.bisect_right(draw_days, day) - 1
        if k < 0:
            continue
        crp = draws[k][1]
        mean = stress_mean - (1.5 if in_stress_course(day) else 0.0)
        stress = float(round(_clip(mean + ar, 0, 10)))
        sleep = round(_clip(7.2 - 0.15 * (stress - 5) + rng.gauss(0, 0.9), 3, 11) * 4) / 4
        pain = (
            model.intercept
            + model.inflammation * math.log1p(crp)
            + model.stress * stress
            - model.sleep * sleep
            + rng.gauss(0, model.noise_sd)
        )
        a = activity(day)
        at = datetime.combine(day, time(rng.randint(19, 22), rng.randint(0, 59)), tzinfo=zone)
        out.append(
            DiaryEntry(
                patient_id=patient_id,
                recorded_at=at,
                pain_nrs=round(_clip(pain, 0, 10), 1),
                morning_stiffness_min=round(_clip(10 + 80 * a + rng.gauss(0, 10), 0, 240)),
                fatigue_nrs=float(
                    round(_clip(1.5 + 5 * a + 0.2 * stress + rng.gauss(0, 1), 0, 10))
                ),
                sleep_hours=sleep,
                sleep_quality_nrs=float(
                    round(_clip(sleep - 1 - 0.2 * stress + rng.gauss(0, 1), 0, 10))
                ),
                stress_nrs=stress,
                flare=in_flare(day),
            )
        )
    return out


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
