"""The answer of ``treatment_options`` and the builder the pathways use to assemble it.

JSON names are a contract (issue 12): ``pathway``, ``options`` (each ``id``, ``kind``,
``drug_classes``, ``verdict``, ``recommendation``, ``because``, ``missing``, ``who_decides``),
``reassess_after_weeks``, ``target``, ``citation``, ``disclaimer``. Extra names are added, never
renamed: ``would_change`` (what would open or change an option), and per option ``label``,
``wording``, ``guideline`` and ``verified``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from immunospine.knowledge._logic import Outcome
from immunospine.knowledge._types import Verdict
from immunospine.knowledge.treatment._data import guideline, step

__all__ = ["DISCLAIMER", "Builder", "Change", "Option", "OptionVerdict", "TreatmentOptions"]

OptionVerdict = Literal["recommended", "consider", "not_recommended", "indeterminate"]

DISCLAIMER = (
    "Options that published guidelines describe for a situation like this, to discuss with your "
    "clinician; never a prescription, and never a reason to start, stop or change a medicine on "
    "your own. This supports a decision, it is not a diagnosis."
)


@dataclass(frozen=True, slots=True)
class Option:
    """One option on the pathway, with the recommendation behind it and why it shows."""

    id: str
    label: str
    kind: str
    drug_classes: tuple[str, ...]
    verdict: OptionVerdict
    recommendation: str
    because: tuple[str, ...]
    missing: tuple[str, ...]
    who_decides: str
    wording: str
    guideline: str
    verified: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "kind": self.kind,
            "drug_classes": list(self.drug_classes),
            "verdict": self.verdict,
            "recommendation": self.recommendation,
            "because": list(self.because),
            "missing": list(self.missing),
            "who_decides": self.who_decides,
            "wording": self.wording,
            "guideline": self.guideline,
            "verified": self.verified,
        }


@dataclass(frozen=True, slots=True)
class Change:
    """What would open or change an option: ``option`` (a step id), its recommendation, when."""

    option: str
    recommendation: str
    when: str

    def to_dict(self) -> dict[str, Any]:
        return {"option": self.option, "recommendation": self.recommendation, "when": self.when}


@dataclass(frozen=True, slots=True)
class TreatmentOptions:
    """Where the person stands on their pathway (see the module docstring for the JSON)."""

    pathway: str
    options: tuple[Option, ...]
    would_change: tuple[Change, ...]
    reassess_after_weeks: int | None
    target: str
    citation: tuple[str, ...]
    disclaimer: str = DISCLAIMER

    @property
    def missing(self) -> tuple[str, ...]:
        """Every input some option is waiting for, once each."""
        return tuple(dict.fromkeys(m for o in self.options for m in o.missing))

    def by_verdict(self, verdict: OptionVerdict) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.verdict == verdict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pathway": self.pathway,
            "options": [o.to_dict() for o in self.options],
            "would_change": [c.to_dict() for c in self.would_change],
            "reassess_after_weeks": self.reassess_after_weeks,
            "target": self.target,
            "citation": list(self.citation),
            "missing": list(self.missing),
            "disclaimer": self.disclaimer,
        }


@dataclass
class Builder:
    """Collects options, changes and re-assessment times for one pathway."""

    pathway: str
    guideline_id: str
    who_suffix: str = ""
    options: list[Option] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    reassess: list[int] = field(default_factory=list)
    used: list[str] = field(default_factory=list)

    def add(
        self,
        step_id: str,
        *,
        because: tuple[str, ...] | list[str] = (),
        verdict: OptionVerdict | None = None,
        missing: tuple[str, ...] | list[str] = (),
        drug_classes: tuple[str, ...] | None = None,
        source: str | None = None,
    ) -> OptionVerdict:
        """Add the option of step ``step_id`` (of ``source``, default the pathway's guideline);
        its verdict defaults to the step's strength. Returns the verdict."""
        gid = source or self.guideline_id
        s = step(gid, step_id)
        g = guideline(gid)
        chosen: OptionVerdict = verdict or s.strength
        who = s.who_decides + (self.who_suffix if s.kind == "drug" else "")
        self.options.append(
            Option(
                id=s.id,
                label=s.label,
                kind=s.kind,
                drug_classes=s.drug_classes if drug_classes is None else drug_classes,
                verdict=chosen,
                recommendation=g.label(s),
                because=tuple(because),
                missing=tuple(dict.fromkeys(missing)),
                who_decides=who,
                wording=s.wording,
                guideline=gid,
                verified=s.verified,
            )
        )
        if gid not in self.used:
            self.used.append(gid)
        return chosen

    def change(self, step_id: str, when: str, *, source: str | None = None) -> None:
        """Record what would open step ``step_id`` (not shown as an option now)."""
        gid = source or self.guideline_id
        self.changes.append(Change(step_id, guideline(gid).label(step(gid, step_id)), when))

    def gate(
        self,
        step_id: str,
        outcome: Outcome,
        *,
        when: str,
        because: tuple[str, ...] = (),
        drug_classes: tuple[str, ...] | None = None,
        source: str | None = None,
    ) -> OptionVerdict | None:
        """An option whose conditions are ``outcome``: met → the step's strength, unknown →
        indeterminate with what is missing, not met → a ``would_change`` entry (``when``).
        Returns the verdict, None when not shown."""
        if outcome.verdict is Verdict.NOT_MET:
            self.change(step_id, f"{when} (now: {'; '.join(outcome.because)})", source=source)
            return None
        verdict: OptionVerdict | None = (
            "indeterminate" if outcome.verdict is Verdict.INDETERMINATE else None
        )
        return self.add(
            step_id,
            because=(*outcome.because, *because),
            verdict=verdict,
            missing=outcome.missing,
            drug_classes=drug_classes,
            source=source,
        )

    def result(self, target: str, default_weeks: int) -> TreatmentOptions:
        weeks = min(self.reassess) if self.reassess else default_weeks
        used = dict.fromkeys([self.guideline_id, *self.used])
        return TreatmentOptions(
            pathway=self.pathway,
            options=tuple(self.options),
            would_change=tuple(self.changes),
            reassess_after_weeks=weeks,
            target=target,
            citation=tuple(guideline(g).guideline.citation for g in used),
        )
