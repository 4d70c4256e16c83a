"""BASFI — Bath Ankylosing Spondylitis Functional Index.

**Formula**: the mean of ten 0–10 items, ``(q1 + … + q10) / 10``, range 0–10.

**Inputs** (past week; 0 = easy … 10 = impossible; 0–10 NRS or 10 cm VAS): q1 putting on socks
or tights without help or aids; q2 bending forward to pick up a pen from the floor without an
aid; q3 reaching up to a high shelf without help or aids; q4 getting up out of an armless dining
chair without using hands or other help; q5 getting up off the floor from lying on the back
without help; q6 standing unsupported for 10 minutes without discomfort; q7 climbing 12–15 steps
without a handrail or walking aid, one foot on each step; q8 looking over the shoulder without
turning the body; q9 physically demanding activities (e.g. physiotherapy exercises, gardening,
sports); q10 a full day's activities at home or at work.

**Interpretation**: higher is worse function. No cut-offs are defined, so no category is
returned. No missing-item rule is published, so every item is required.

**References**: Calin 1994 (J Rheumatol 21:2281).

**Example**: items 3, 5, 2, 4, 6, 1, 3, 2, 7, 5 → 38 / 10 = 3.8.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from immunospine.knowledge._inputs import NRS, ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference
from immunospine.knowledge._types import Result

CALIN_1994_BASFI = Reference(
    "Calin A, Garrett S, Whitelock H, et al. A new approach to defining functional ability in "
    "ankylosing spondylitis: the development of the Bath Ankylosing Spondylitis Functional "
    "Index. J Rheumatol 1994;21:2281-5",
    pmid="7699629",
)

ITEMS = tuple(f"q{i}" for i in range(1, 11))


class BasfiInputs(ClinicalInputs):
    q1: NRS
    q2: NRS
    q3: NRS
    q4: NRS
    q5: NRS
    q6: NRS
    q7: NRS
    q8: NRS
    q9: NRS
    q10: NRS


def score(x: BasfiInputs) -> Result:
    items = {name: getattr(x, name) for name in ITEMS}
    return SPEC.result(score=math.fsum(items.values()) / len(ITEMS), components=items)


def batch_score(cols: dict[str, NDArray[np.float64]]) -> NDArray[np.float64]:
    """BASFI over whole columns ``q1`` … ``q10`` (same formula as ``score``)."""
    out = np.array(cols[ITEMS[0]], dtype=np.float64, copy=True)
    for name in ITEMS[1:]:
        out += cols[name]
    out /= len(ITEMS)
    return out


SPEC = CalculatorSpec(
    name="basfi",
    version="1994.1",
    title="Bath Ankylosing Spondylitis Functional Index (BASFI)",
    kind="instrument",
    inputs=BasfiInputs,
    compute=score,
    references=(CALIN_1994_BASFI,),
    score_range=(0.0, 10.0),
    interpretation="0–10, higher is worse physical function. No cut-offs are defined.",
    batch_score=batch_score,
)
