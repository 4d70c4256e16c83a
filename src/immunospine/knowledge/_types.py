"""Result types of the knowledge core: a three-valued verdict and one result shape for all.

Results are frozen dataclasses because only our own code builds them; inputs are pydantic models
because they need validation (see ``_inputs.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Verdict(StrEnum):
    """Outcome of a criteria set. ``INDETERMINATE`` means unknown items could still change it."""

    MET = "met"
    NOT_MET = "not_met"
    INDETERMINATE = "indeterminate"


@dataclass(frozen=True, slots=True)
class Result:
    """What every calculator returns, in the shape fixed by ``calculator-contract.md``.

    ``score`` is exact (never rounded here); ``missing`` lists the inputs that were not given and,
    for criteria, could change the verdict; ``because`` is the trace of what decided the result.
    """

    name: str
    version: str
    score: float | None
    category: str | None
    components: Mapping[str, Any]
    missing: tuple[str, ...]
    interpretation: str
    citation: str
    verdict: Verdict | None = None
    because: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON object (plain dicts, lists, numbers and strings)."""
        out: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "score": self.score,
            "category": self.category,
            "components": _plain(self.components),
            "missing": list(self.missing),
            "interpretation": self.interpretation,
            "citation": self.citation,
        }
        if self.verdict is not None:
            out["verdict"] = self.verdict.value
        out["because"] = list(self.because)
        return out


def _plain(value: Any) -> Any:
    """Turn nested mappings/tuples/enums into JSON-ready values."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, StrEnum):
        return value.value
    return value
