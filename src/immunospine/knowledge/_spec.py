"""Specs: every calculator is a named, versioned, cited description plus its scoring function.

A ``Band`` is a half-open or closed interval with a label; ``Bands`` classifies a score and is
checked for gaps and overlaps when built, so a cut-off typo fails at import of the test suite.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._types import Result, Verdict

if TYPE_CHECKING:  # NumPy is imported where a batch formula needs it, not to score one case
    import numpy as np
    from numpy.typing import NDArray

Kind = Literal["instrument", "criteria", "probability", "response"]


@dataclass(frozen=True, slots=True)
class Band:
    """``label`` covers ``lo`` … ``hi``; each end open or closed as published."""

    label: str
    lo: float = -math.inf
    hi: float = math.inf
    lo_inclusive: bool = True
    hi_inclusive: bool = False

    def contains(self, value: float) -> bool:
        above = value >= self.lo if self.lo_inclusive else value > self.lo
        below = value <= self.hi if self.hi_inclusive else value < self.hi
        return above and below


@dataclass(frozen=True, slots=True)
class Bands:
    """Ordered, gap-free bands. ``classify`` returns the one label whose band holds the value."""

    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        for left, right in zip(self.bands, self.bands[1:], strict=False):
            if left.hi != right.lo or left.hi_inclusive == right.lo_inclusive:
                raise ValueError(f"bands {left.label!r} and {right.label!r} leave a gap or overlap")

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(b.label for b in self.bands)

    @property
    def cutoffs(self) -> tuple[float, ...]:
        return tuple(b.hi for b in self.bands[:-1])

    def classify_array(self, values: NDArray[np.float64]) -> NDArray[np.int8]:
        """Vectorised ``classify``: the index into ``labels`` of each value's band (int8)."""
        import numpy as np

        index = np.zeros(values.shape, dtype=np.int8)
        above = np.empty(values.shape, dtype=bool)
        for band in self.bands[1:]:
            (np.greater_equal if band.lo_inclusive else np.greater)(values, band.lo, out=above)
            index += above
        return index

    def classify(self, value: float) -> str:
        for band in self.bands:
            if band.contains(value):
                return band.label
        raise ValueError(f"{value!r} lies outside every band")  # pragma: no cover - bands cover R


def bands_from_cutoffs(
    labels: tuple[str, ...], cutoffs: tuple[float, ...], *, upper_inclusive: tuple[bool, ...]
) -> Bands:
    """Bands from ascending cut-offs; ``upper_inclusive[i]``: cut-off i is in the lower band."""
    if len(labels) != len(cutoffs) + 1 or len(upper_inclusive) != len(cutoffs):
        raise ValueError("need one more label than cut-offs and one flag per cut-off")
    edges = (-math.inf, *cutoffs, math.inf)
    out = []
    for i, label in enumerate(labels):
        lo_incl = True if i == 0 else not upper_inclusive[i - 1]
        hi_incl = False if i == len(cutoffs) else upper_inclusive[i]
        out.append(Band(label, edges[i], edges[i + 1], lo_incl, hi_incl))
    return Bands(tuple(out))


@dataclass(frozen=True, slots=True)
class Reference:
    """A published source: short citation text plus a DOI or PMID where known."""

    citation: str
    doi: str | None = None
    pmid: str | None = None


@dataclass(frozen=True)
class CalculatorSpec:
    """Everything the registry, the faces and the docs need to know about one calculator.

    ``compute`` takes the validated inputs model and returns a ``Result``. ``unverified`` lists
    facts used here that ``clinical.md`` marks [M] (from memory) and no source confirmed.
    """

    name: str
    version: str
    title: str
    kind: Kind
    inputs: type[ClinicalInputs]
    compute: Callable[[Any], Result]
    references: tuple[Reference, ...]
    bands: Bands | None = None
    categories: tuple[str, ...] = ()
    score_range: tuple[float, float] | None = None
    interpretation: str = ""
    unverified: tuple[str, ...] = ()
    notes: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    batch_score: Callable[..., NDArray[np.float64]] | None = None
    """Vectorised formula over NumPy columns named like the inputs (``calculate_batch``)."""

    def __post_init__(self) -> None:
        if not self.references:
            raise ValueError(f"{self.name}: a calculator needs at least one reference")
        if self.bands is not None and not self.categories:
            object.__setattr__(self, "categories", self.bands.labels)

    @property
    def citation(self) -> str:
        return "; ".join(r.citation for r in self.references)

    def result(
        self,
        *,
        score: float | None,
        category: str | None = None,
        components: Mapping[str, Any] | None = None,
        missing: tuple[str, ...] = (),
        interpretation: str | None = None,
        verdict: Verdict | None = None,
        because: tuple[str, ...] = (),
    ) -> Result:
        """Build this calculator's ``Result``; the category comes from the bands when not given."""
        if category is None and score is not None and self.bands is not None:
            category = self.bands.classify(score)
        return Result(
            name=self.name,
            version=self.version,
            score=score,
            category=category,
            components=dict(components or {}),
            missing=missing,
            interpretation=self.interpretation if interpretation is None else interpretation,
            citation=self.citation,
            verdict=verdict,
            because=because,
        )
