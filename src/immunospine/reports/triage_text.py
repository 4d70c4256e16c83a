"""The triage as a readable text report for the person (``immunospine triage --format text``).

What to do first, then why, then the disclaimer. When a warning sign calls for the emergency
department, the report is about that: the referral tools are left out, since a referral question
comes after the emergency has been checked.
"""

from __future__ import annotations

from immunospine.knowledge.reasoning.unverified import triage_notes
from immunospine.reports import wording
from immunospine.reports.triage_view import TriageView

__all__ = ["EMERGENCY_FIRST", "explanation_for_person", "render_triage_text", "unverified_notes"]

EMERGENCY_FIRST = (
    "Referral to a specialist is not discussed here: the warning sign comes first. Once the "
    "emergency has been checked, a doctor can look at the rest."
)


def explanation_for_person(result: TriageView) -> str:
    """The knowledge base's explanation; in an emergency only up to the step it calls for.

    The explanation goes on to the inflammation findings and a referral, which would bury the
    one thing to do now.
    """
    step = wording.urgency_text(result.step)
    text = result.explanation
    if result.step.urgency == "emergency" and step in text:
        return text[: text.index(step) + len(step)]
    return text


def render_triage_text(result: TriageView) -> str:
    """The report as text ending in a newline."""
    emergency = result.step.urgency == "emergency"
    lines = [
        "Back pain triage",
        "================",
        f"What to do: {result.step.urgency.replace('_', ' ')}",
        "",
        explanation_for_person(result),
    ]
    if result.red_flags:
        lines += ["", "Warning signs:"]
        lines += [f"  - {f.label}: {f.action}" for f in result.red_flags]
    lines += ["", "Does the back pain look inflammatory?"]
    for key, name in wording.CHECKLIST_NAMES.items():
        checklist = result.ibp.get(key)
        verdict = checklist.verdict.value if checklist and checklist.verdict else "indeterminate"
        lines.append(f"  - {name} checklist: {wording.verdict_words(verdict)}")
    score = result.probability.score
    if score is None:
        lines.append("Chance of inflammation of the spine: could not be estimated")
    else:
        lines.append(f"Chance of inflammation of the spine: about {wording.in_100(score)}")
    if emergency:
        lines += ["", EMERGENCY_FIRST]
    else:
        lines += ["", "Referral tools:"]
        lines += [
            f"  - {wording.strategy_name(s.name)}: "
            f"{wording.strategy_verdict_words(s.name, s.verdict.value, result.case.age)}"
            for s in result.referral.strategies
        ]
    if result.considerations:
        lines += ["", "Also worth discussing:"]
        lines += [f"  - {c.why}" for c in result.considerations]
    notes = unverified_notes(result)
    if notes:
        lines += ["", "Not yet checked against a source:"]
        lines += [f"  - {n}" for n in notes]
    lines += ["", result.disclaimer]
    return "\n".join(lines) + "\n"


def unverified_notes(result: TriageView) -> tuple[str, ...]:
    """The unverified facts the result used (issue 14), one sentence each."""
    return triage_notes(
        result.red_flags,
        result.probability.components["contributions"],
        result.referral.strategies,
        result.considerations,
    )
