"""Triage of chronic back pain: one case in, one ``TriageResult`` out (``triage-contract.md``).

``triage(case)`` validates the case, then orchestrates the knowledge core:

1. red-flag screen (``knowledge.reasoning.red_flags``);
2. IBP criteria Calin, Berlin and ASAS through the calculator catalogue, the entry (pain ≥ 3 months
   with onset < 45) and the findings in use — ``inflammatory_back_pain`` is taken from the ASAS
   IBP verdict when the case leaves it null (``knowledge.reasoning.features``);
3. probability of axSpA (``axspa_probability`` through the catalogue);
4. referral strategies side by side and the combined recommendation with next tests
   (``knowledge.reasoning.referral``);
5. considerations beyond axSpA (``knowledge.reasoning.considerations``);
6. urgency and next step — the one urgency rule is in ``knowledge.reasoning.urgency``;
7. plain-language explanation and disclaimer (``knowledge.reasoning.explain``).

The ``TriageResult`` keeps every intermediate result (criteria ``Result`` objects, strategy traces,
unknown answers) so that the self-check and the printable summary can show why; ``to_dict()`` is
the contract's JSON (with extra fields, never renamed ones). Text, HTML and PDF are rendered in
``reports`` (``reports.triage_text``, ``reports.triage_summary``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from immunospine.knowledge import Outcome, Result, calculate
from immunospine.knowledge.reasoning.case import TriageCase, parse_case
from immunospine.knowledge.reasoning.considerations import Consideration, consider
from immunospine.knowledge.reasoning.explain import DISCLAIMER, explain
from immunospine.knowledge.reasoning.features import IbpSource, features
from immunospine.knowledge.reasoning.red_flags import RedFlag, screen
from immunospine.knowledge.reasoning.referral import Referral, recommend
from immunospine.knowledge.reasoning.unverified import triage_notes
from immunospine.knowledge.reasoning.urgency import NextStep, decide
from immunospine.services.calculators import parse_json_object

__all__ = ["TriageCase", "TriageResult", "triage", "triage_json"]


@dataclass(frozen=True)
class TriageResult:
    """The triage of one case. Every field is documented in ``triage-contract.md`` or below.

    Attributes:
        case: the validated case.
        step: urgency, who to see (``see``), how fast (``how_fast``) and the deciding rule.
        red_flags: the red flags found, answers first, then age prompts.
        red_flags_unknown: red-flag answers not given (and ``back_pain.duration_months`` when an
            age prompt could not be judged).
        ibp: ``calin``, ``berlin``, ``asas`` → the criteria ``Result`` (verdict, trace, missing).
        ibp_source: where the probability's IBP finding came from: ``findings`` (given),
            ``ibp_asas`` (derived from the ASAS verdict) or ``unknown``.
        entry: back pain ≥ 3 months with onset < 45 (met, not met or indeterminate, with trace).
        probability: the ``axspa_probability`` result (score = post-test probability).
        referral: strategies, combined recommendation, next tests and reasons.
        considerations: other conditions worth discussing, each with ``why``.
        explanation: plain-language summary for the person.
        disclaimer: "supports a decision, not a diagnosis".
    """

    case: TriageCase
    step: NextStep
    red_flags: tuple[RedFlag, ...]
    red_flags_unknown: tuple[str, ...]
    ibp: Mapping[str, Result]
    ibp_source: IbpSource
    entry: Outcome
    probability: Result
    referral: Referral
    considerations: tuple[Consideration, ...]
    explanation: str
    disclaimer: str = DISCLAIMER

    @property
    def urgency(self) -> str:
        return self.step.urgency

    @property
    def category(self) -> str:
        return str(self.probability.category)

    @property
    def unverified(self) -> tuple[str, ...]:
        """The unverified facts this result used, one sentence each (issue 14)."""
        return triage_notes(
            self.red_flags,
            self.probability.components["contributions"],
            self.referral.strategies,
            self.considerations,
        )

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON (plain dicts, lists, numbers, strings)."""
        components = self.probability.components
        contributions = [
            {
                "finding": c["finding"],
                "value": c["value"],
                "likelihood_ratio": c["likelihood_ratio"],
                "ignored": c["ignored"],
                "verified": c["verified"],
                "derived_from": "ibp_asas"
                if c["finding"] == "inflammatory_back_pain" and self.ibp_source == "ibp_asas"
                else None,
            }
            for c in components["contributions"]
        ]
        return {
            "urgency": self.step.urgency,
            "red_flags": [f.to_dict() for f in self.red_flags],
            "inflammatory_back_pain": {
                **{name: r.verdict.value for name, r in self.ibp.items() if r.verdict},
                "details": {name: r.to_dict() for name, r in self.ibp.items()},
            },
            "axspa": {
                "probability": self.probability.score,
                "category": self.probability.category,
                "contributions": contributions,
                "pretest_probability": components["pretest_probability"],
                "likelihood_ratio_product": components["likelihood_ratio_product"],
                "entry": {
                    "verdict": self.entry.verdict.value,
                    "because": list(self.entry.because),
                    "missing": list(self.entry.missing),
                },
                "inflammatory_back_pain_source": self.ibp_source,
                "unknown_findings": list(self.probability.missing),
            },
            "referral": {
                "refer_to_rheumatology": self.referral.refer_to_rheumatology,
                "see": self.step.see,
                "how_fast": self.step.how_fast,
                "strategies": [s.to_dict() for s in self.referral.strategies],
                "next_tests": list(self.referral.next_tests),
                "reasons": list(self.referral.reasons),
                "missing": list(self.referral.missing),
            },
            "considerations": [c.to_dict() for c in self.considerations],
            "explanation": self.explanation,
            "disclaimer": self.disclaimer,
            "urgency_reason": self.step.reason,
            "red_flags_unknown": list(self.red_flags_unknown),
            "unverified": list(self.unverified),
        }


def triage(case: Mapping[str, Any]) -> TriageResult:
    """Assess one case (a mapping shaped as ``triage-contract.md`` says); ``InputError`` if bad."""
    valid = parse_case(case)
    flags, unknown_flags = screen(valid)
    feats = features(valid)
    probability = calculate(
        "axspa_probability", pretest_probability=valid.pretest, findings=dict(feats.findings)
    )
    category = str(probability.category)
    referral = recommend(valid, feats.findings)
    considerations = consider(valid, feats.findings, flags)
    step = decide(
        flags,
        feats.entry.verdict,
        category,
        referral.refer_to_rheumatology,
        considerations,
        feats.findings,
    )
    text = explain(
        valid,
        red_flags=flags,
        ibp={name: r.verdict for name, r in feats.ibp.items() if r.verdict is not None},
        probability=float(probability.score or 0.0),
        category=category,
        entry=feats.entry,
        referral=referral,
        step=step,
        considerations=considerations,
    )
    return TriageResult(
        case=valid,
        step=step,
        red_flags=flags,
        red_flags_unknown=unknown_flags,
        ibp=feats.ibp,
        ibp_source=feats.ibp_source,
        entry=feats.entry,
        probability=probability,
        referral=referral,
        considerations=considerations,
        explanation=text,
    )


def triage_json(text: str) -> TriageResult:
    """Assess a case given as JSON text (the CLI's and the API's path)."""
    return triage(parse_json_object(text, source="triage"))
