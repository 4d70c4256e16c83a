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


def count_at_least(n: int, parts: Sequence[Outcome], *, what: str) -> Outcome:
    """Met when ≥ ``n`` parts are met; not met when the unknown parts could not reach ``n``."""
    met = [p for p in parts if p.verdict is Verdict.MET]
    unknown = [p for p in parts if p.verdict is Verdict.INDETERMINATE]
    shown = "; ".join(" and ".join(p.because) for p in met) or "none"
    head = f"{len(met)} of {len(parts)} {what} (need {n}): {shown}"
    if len(met) >= n:
        return Outcome(Verdict.MET, (head,))
    if len(met) + len(unknown) < n:
        tail = f"; {len(unknown)} unknown cannot reach {n}" if unknown else ""
        return Outcome(Verdict.NOT_MET, (head + tail,))
    return Outcome(
        Verdict.INDETERMINATE,
        (f"{len(met)} of {len(parts)} {what} known (need {n}): {shown}",),
        _dedupe([m for p in unknown for m in p.missing]),
    )


def at_least(
    n: int,
    items: Mapping[str, Tri],
    *,
    labels: Mapping[str, str] | None = None,
    what: str = "items",
) -> Outcome:
    """``count_at_least`` over plain items (true, false or unknown), named by ``labels``."""
    labels = labels or {}
    parts = [item(name, value, label=labels.get(name)) for name, value in items.items()]
    return count_at_least(n, parts, what=what)


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
