"""What a screen filters on and how: the resolved concept ids and the run's parameters.

Kept apart from ``plan`` (which builds the query) and ``features`` (which the plan calls) so both
can import them without importing each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

from immunospine.errors import InputError
from immunospine.knowledge.probability.axspa import DEFAULT_PRETEST_PROBABILITY

if TYPE_CHECKING:
    from immunospine.cohort.resolve import Resolution

__all__ = ["ScreenConcepts", "ScreenParams"]


@dataclass(frozen=True)
class ScreenConcepts:
    """The concept ids the plan filters on, one field per concept set, as resolved for one CDM.

    ``chronic_back_pain_coded`` are the back-pain concepts that say "chronic" themselves; any
    other back-pain code needs a second record at least ``ScreenParams.chronic_min_days`` later.
    """

    back_pain: frozenset[int]
    chronic_back_pain_coded: frozenset[int]
    axspa_diagnosis: frozenset[int]
    uveitis: frozenset[int]
    psoriasis: frozenset[int]
    ibd: frozenset[int]
    enthesitis: frozenset[int]
    dactylitis: frozenset[int]
    hla_b27: frozenset[int]
    crp: frozenset[int]
    esr: frozenset[int]
    positive_result: frozenset[int]
    negative_result: frozenset[int]
    nsaids: frozenset[int]
    family_history: frozenset[int]
    sij_imaging: frozenset[int]

    #: field → shipped concept-set name (where they differ)
    SET_NAMES: ClassVar[dict[str, str]] = {
        "back_pain": "chronic_back_pain",
        "family_history": "family_history_spa",
    }

    @classmethod
    def shipped(cls, concept_ancestor: Any = None) -> ScreenConcepts:
        """The shipped standard ids (no vocabulary); with ``concept_ancestor``, their descendants.

        The fallback for a CDM without a ``concept`` table: concepts that ship no id (their OMOP
        id is unknown; they resolve by code) are absent from it.
        """
        from immunospine.cohort.resolve import resolve_tables

        ancestor = None if concept_ancestor is None else _as_arrow(concept_ancestor)
        return cls.from_resolution(resolve_tables(None, None, ancestor))

    @classmethod
    def from_resolution(cls, resolution: Resolution) -> ScreenConcepts:
        """One field per set from a :class:`~immunospine.cohort.resolve.Resolution`.

        ``chronic_back_pain_coded`` holds the ids the back-pain concepts named "chronic…" resolved
        to (not their descendants).
        """
        values: dict[str, frozenset[int]] = {}
        for f in fields(cls):
            if f.name == "chronic_back_pain_coded":
                continue
            values[f.name] = resolution.ids(cls.SET_NAMES.get(f.name, f.name))
        back = resolution.sets["chronic_back_pain"]
        values["chronic_back_pain_coded"] = frozenset(
            i
            for c in back.codes
            if c.concept.name.lower().startswith("chronic") and not c.concept.exclude
            for i in c.ids
        )
        return cls(**values)

    def all_ids(self) -> frozenset[int]:
        out: frozenset[int] = frozenset()
        for f in fields(self):
            out |= getattr(self, f.name)
        return out


def _as_arrow(table: Any) -> Any:
    import pyarrow as pa

    return table if isinstance(table, pa.Table) else pa.table(table)


@dataclass(frozen=True)
class ScreenParams:
    """Parameters of a screening run (each documented where it is used in ``features``)."""

    pretest_probability: float = DEFAULT_PRETEST_PROBABILITY
    chronic_min_days: int = 90
    nsaid_min_exposures: int = 2

    def __post_init__(self) -> None:
        if not 0.0 < self.pretest_probability < 1.0:
            raise InputError.single(
                ("pretest_probability",),
                "must be strictly between 0 and 1",
                self.pretest_probability,
                context="cohort screen",
            )
        if self.chronic_min_days < 0 or self.nsaid_min_exposures < 1:
            raise InputError.single(
                ("chronic_min_days",),
                "must be >= 0 (and nsaid_min_exposures >= 1)",
                self.chronic_min_days,
                context="cohort screen",
            )

    @property
    def pretest_log_odds(self) -> float:
        p = self.pretest_probability
        return math.log(p / (1.0 - p))
