"""Three-valued (Kleene) logic for criteria, with a trace of what decided and what is missing.

An item is ``True``, ``False`` or ``None`` (not assessed). ``None`` is never read as ``False``.
Each helper returns an ``Outcome``: the verdict, the items that decided it (``because``) and the
unknown items that could still change it (``missing``, empty whenever the verdict is determined).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from immunospine.knowledge._types import Verdict

Tri = bool | None


@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: Verdict
    because: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def value(self) -> Tri:
        """``True`` / ``False`` / ``None`` for met / not met / indeterminate."""
        return {Verdict.MET: True, Verdict.NOT_MET: False}.get(self.verdict)


def _dedupe(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def item(name: str, value: Tri, *, label: str | None = None) -> Outcome:
    """One item as an outcome; ``label`` is the human wording used in the trace."""
    text = label or name
    if value is None:
        return Outcome(Verdict.INDETERMINATE, (), (name,))
    if value:
        return Outcome(Verdict.MET, (text,))
    return Outcome(Verdict.NOT_MET, (f"no {text}",))


def at_least(
    n: int,
    items: Mapping[str, Tri],
    *,
    labels: Mapping[str, str] | None = None,
    what: str = "items",
) -> Outcome:
    """Met when ≥ ``n`` items are true; not met when even all unknowns could not reach ``n``."""
    labels = labels or {}
    true = [k for k, v in items.items() if v is True]
    unknown = [k for k, v in items.items() if v is None]
    shown = ", ".join(labels.get(k, k) for k in true) or "none"
    if len(true) >= n:
        return Outcome(Verdict.MET, (f"{len(true)} of {len(items)} {what} (need {n}): {shown}",))
    if len(true) + len(unknown) < n:
        return Outcome(
            Verdict.NOT_MET,
            (
                f"{len(true)} of {len(items)} {what} (need {n}): {shown}"
                + (f"; {len(unknown)} unknown cannot reach {n}" if unknown else ""),
            ),
        )
    return Outcome(
        Verdict.INDETERMINATE,
        (f"{len(true)} of {len(items)} {what} known true (need {n}): {shown}",),
        tuple(unknown),
    )


def all_of(*parts: Outcome) -> Outcome:
    """Kleene AND: not met if any part is not met; met if all are; otherwise indeterminate."""
    failed = [p for p in parts if p.verdict is Verdict.NOT_MET]
    if failed:
        return Outcome(Verdict.NOT_MET, _dedupe([b for p in failed for b in p.because]))
    if all(p.verdict is Verdict.MET for p in parts):
        return Outcome(Verdict.MET, _dedupe([b for p in parts for b in p.because]))
    return Outcome(
        Verdict.INDETERMINATE,
        _dedupe([b for p in parts for b in p.because]),
        _dedupe([m for p in parts for m in p.missing]),
    )


def any_of(*parts: Outcome) -> Outcome:
    """Kleene OR: met if any part is met; not met if all are not met; otherwise indeterminate."""
    met = [p for p in parts if p.verdict is Verdict.MET]
    if met:
        return Outcome(Verdict.MET, _dedupe([b for p in met for b in p.because]))
    if all(p.verdict is Verdict.NOT_MET for p in parts):
        return Outcome(Verdict.NOT_MET, _dedupe([b for p in parts for b in p.because]))
    return Outcome(
        Verdict.INDETERMINATE,
        _dedupe([b for p in parts for b in p.because]),
        _dedupe([m for p in parts for m in p.missing]),
    )
