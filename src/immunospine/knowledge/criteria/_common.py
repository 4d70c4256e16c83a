"""Building blocks shared by the criteria sets: unknown-aware inputs, counts, points and results.

Every criteria input is ``None`` when not assessed, and ``None`` is never read as ``False`` or
zero. The helpers here extend ``knowledge._logic`` (Kleene three-valued logic) without changing
it:

* ``numeric_item`` / ``absent_item`` turn a measured value or a "must be absent" finding into an
  ``Outcome`` with a readable trace;
* ``count_at_least`` counts parts that are themselves outcomes (so one item may depend on two
  inputs, e.g. "better with exercise but not with rest");
* ``Domain`` / ``group`` / ``sum_at_least`` handle points, including groups of which only the
  highest-scoring present item counts (CASPAR 1a/1b/1c, Amor buttock pain);
* ``categories_over_completions`` enumerates the completions of a few unknown inputs, for
  categories that are not monotone in the inputs (modified New York "probable AS").

A criteria result's ``score`` is the count or points of the items *known* to be present (a lower
bound while items are unknown); ``components`` then also carry the maximum still reachable.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import Field

from immunospine.knowledge._logic import Outcome, Tri, count_at_least
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result, Verdict

__all__ = [
    "Domain",
    "Scored",
    "Tri",
    "absent_item",
    "categories_over_completions",
    "count_at_least",
    "count_true",
    "criteria_result",
    "finding",
    "group",
    "labelled",
    "measure",
    "numeric_item",
    "sum_at_least",
]


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def finding(description: str) -> Any:
    """A ``bool | None`` input field: true, false, or null (not assessed, the default)."""
    return Field(default=None, description=f"{description}; true, false or null (not assessed)")


def measure(description: str, *, ge: float, le: float | None = None) -> Any:
    """A numeric input field with its unit in the name; null (the default) when unknown."""
    return Field(default=None, ge=ge, le=le, description=f"{description}; null when unknown")


def numeric_item(
    name: str, value: float | None, *, holds: Callable[[float], bool], label: str, rule: str
) -> Outcome:
    """A measured value compared with a published cut-off, e.g. age at onset < 40 years."""
    if value is None:
        return Outcome(Verdict.INDETERMINATE, (), (name,))
    if holds(value):
        return Outcome(Verdict.MET, (f"{label} {value:g} ({rule})",))
    return Outcome(Verdict.NOT_MET, (f"{label} {value:g} (not {rule})",))


def absent_item(name: str, value: Tri, *, present: str, absent: str) -> Outcome:
    """An item that counts when a finding is *absent*, e.g. "no improvement with rest"."""
    if value is None:
        return Outcome(Verdict.INDETERMINATE, (), (name,))
    if value:
        return Outcome(Verdict.NOT_MET, (present,))
    return Outcome(Verdict.MET, (absent,))


def count_true(parts: Iterable[Outcome]) -> int:
    """How many parts are known to be met."""
    return sum(p.verdict is Verdict.MET for p in parts)


def labelled(prefix: str, outcome: Outcome) -> Outcome:
    """The same outcome with its trace folded into one line that says which part it is."""
    word = {Verdict.MET: "met", Verdict.NOT_MET: "not met"}.get(outcome.verdict, "undetermined")
    detail = "; ".join(outcome.because)
    text = f"{prefix} {word}" + (f": {detail}" if detail else "")
    return Outcome(outcome.verdict, (text,), outcome.missing)


@dataclass(frozen=True, slots=True)
class Scored:
    """One scored item: its input name, value, points and the wording used in the trace."""

    name: str
    value: Tri
    points: float
    label: str


@dataclass(frozen=True, slots=True)
class Domain:
    """The points one item or domain gives: ``known`` for sure, at most ``possible``.

    ``unknown`` names the inputs that could still raise it (empty when ``known == possible``).
    """

    label: str
    known: float
    possible: float
    unknown: tuple[str, ...] = ()


def group(*items: Scored) -> Domain:
    """Items of which only the highest-scoring present one counts (a single item is a group)."""
    present = [i for i in items if i.value is True]
    best = max(present, key=lambda i: i.points, default=None)
    known = best.points if best else 0.0
    raising = [i for i in items if i.value is None and i.points > known]
    possible = max([known, *(i.points for i in raising)])
    label = best.label if best else items[0].label
    return Domain(label, known, possible, tuple(i.name for i in raising))


def sum_at_least(threshold: float, domains: Sequence[Domain], *, what: str) -> Outcome:
    """Met when the known points reach ``threshold``; not met when even the maximum cannot."""
    known = sum(d.known for d in domains)
    possible = sum(d.possible for d in domains)
    shown = ", ".join(f"{d.label} {d.known:g}" for d in domains if d.known) or "none"
    if known >= threshold:
        return Outcome(Verdict.MET, (f"{known:g} {what} (need {threshold:g}): {shown}",))
    if possible < threshold:
        return Outcome(
            Verdict.NOT_MET,
            (f"{known:g} {what}, at most {possible:g} reachable (need {threshold:g}): {shown}",),
        )
    return Outcome(
        Verdict.INDETERMINATE,
        (f"{known:g} {what} known, up to {possible:g} reachable (need {threshold:g}): {shown}",),
        _unique([n for d in domains if d.possible > d.known for n in d.unknown]),
    )


def categories_over_completions(
    categorise: Callable[[Mapping[str, Any]], str],
    values: Mapping[str, Any],
    domains: Mapping[str, Sequence[Any]],
) -> set[str]:
    """Every category reachable by filling the ``None`` values from their ``domains``."""
    unknown = [k for k, v in values.items() if v is None]
    found = set()
    for combo in itertools.product(*(domains[k] for k in unknown)):
        found.add(categorise({**values, **dict(zip(unknown, combo, strict=True))}))
    return found


def criteria_result(
    spec: CalculatorSpec,
    outcome: Outcome,
    *,
    score: float | None = None,
    category: str | None = None,
    components: Mapping[str, Any] | None = None,
) -> Result:
    """The contract's result for a criteria set: verdict, trace and (only if open) missing."""
    determined = outcome.verdict is not Verdict.INDETERMINATE
    return spec.result(
        score=score,
        category=category,
        components=components,
        missing=() if determined else outcome.missing,
        verdict=outcome.verdict,
        because=outcome.because,
    )
