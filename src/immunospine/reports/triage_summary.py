"""The one-page self-check summary: a ``Report`` built from the answers and the typed triage result.

``build_summary`` takes the answers as shown to the person (``Session.rows()``), the triage result
(``services.triage.TriageResult``, read through ``TriageView``) and the date. Its words come from
``reports.wording`` (verdicts, checklist and strategy names, findings said as present or absent)
and the knowledge base, so the terminal, the HTML and the PDF say the same thing. The few details
meant for the doctor (checklist names, probability figures) are marked as such and kept short.

When a warning sign calls for the emergency department, the advice is about that alone: no
rheumatology referral, test list or referral table beneath it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from immunospine.reports import wording
from immunospine.reports.model import (
    Bar,
    BarChart,
    Block,
    Bullets,
    Paragraph,
    Report,
    Section,
    Table,
)
from immunospine.reports.triage_text import EMERGENCY_FIRST, explanation_for_person
from immunospine.reports.triage_view import TriageView

__all__ = ["ANSWERS_HEADING", "HEADINGS", "build_summary"]

HEADINGS = (
    "What your answers suggest",
    "Warning signs",
    "Chance of inflammation of the spine (axial spondyloarthritis)",
    "What to ask your doctor",
    "Other things to discuss",
    "Your answers",
)
ANSWERS_HEADING = HEADINGS[-1]


def _emergency(result: TriageView) -> bool:
    return result.step.urgency == "emergency"


def _suggest(result: TriageView) -> Section:
    step = wording.urgency_text(result.step)
    explanation = explanation_for_person(result)
    if step in explanation:  # the explanation already says what to do: lead with it, once
        explanation = explanation.replace(step, "").replace("  ", " ").strip()
    blocks: list[Block] = [Paragraph(step, "strong")]
    if explanation:
        blocks.append(Paragraph(explanation))
    checks = "; ".join(
        f"{name} {wording.verdict_words(r.verdict.value) if r.verdict else '?'}"
        for key, name in wording.CHECKLIST_NAMES.items()
        if (r := result.ibp.get(key)) is not None
    )
    if checks:
        blocks.append(
            Paragraph(f"For the doctor: inflammatory back pain checklists: {checks}.", "muted")
        )
    return Section(HEADINGS[0], tuple(blocks))


def _warnings(result: TriageView) -> Section:
    blocks: list[Block] = []
    if result.red_flags:
        blocks.append(Bullets(tuple(f"{f.label}: {f.action}" for f in result.red_flags)))
    else:
        blocks.append(Paragraph("None of the warning signs was reported."))
    if result.red_flags_unknown:
        names = "; ".join(wording.flag_label(u) for u in result.red_flags_unknown)
        blocks.append(Paragraph(f"Not answered (please tell your doctor): {names}.", "muted"))
    return Section(HEADINGS[1], tuple(blocks))


def _bars(result: TriageView) -> tuple[Bar, ...]:
    bars = []
    for c in result.probability.components.get("contributions", ()):
        ratio = c["likelihood_ratio"]
        if c["ignored"] or not isinstance(ratio, int | float) or ratio <= 0 or ratio == 1:
            continue
        label = wording.finding_words(c["finding"], c["value"])
        bars.append(Bar(label, math.log(ratio), wording.ratio_note(ratio)))
    return tuple(sorted(bars, key=lambda b: -b.value))


def _chance(result: TriageView) -> Section:
    p = result.probability.score
    if p is None:
        return Section(HEADINGS[2], (Paragraph("Could not be estimated from these answers."),))
    category = str(result.probability.category)
    blocks: list[Block] = [
        Paragraph(f"About {wording.in_100(p)} ({wording.chance_words(category)}).", "strong")
    ]
    bars = _bars(result)
    if bars:
        blocks.append(
            BarChart(
                bars,
                caption="How much each answer raised (right) or lowered (left) the chance; "
                "the numbers multiply the odds.",
                left_label="lowers",
                right_label="raises",
            )
        )
    unknown = [
        wording.finding_words(m.removeprefix("findings."), None) for m in result.probability.missing
    ]
    if unknown:
        blocks.append(Paragraph("Not known, so left out: " + "; ".join(unknown) + ".", "muted"))
    detail = (
        f"For the doctor: post-test probability {100 * p:.1f} % ({category}) from a pre-test "
        f"probability of {100 * result.case.pretest:.0f} %, likelihood-ratio method "
        "(Rudwaleit 2004)."
    )
    blocks.append(Paragraph(detail, "muted"))
    return Section(HEADINGS[2], tuple(blocks))


def _doctor(result: TriageView) -> Section:
    if _emergency(result):
        return Section(
            HEADINGS[3],
            (Paragraph(wording.urgency_text(result.step), "strong"), Paragraph(EMERGENCY_FIRST)),
        )
    refer = result.referral.refer_to_rheumatology
    if refer is True:
        text = (
            "Ask about a referral to a rheumatologist (a specialist in joint and spine "
            "inflammation)."
        )
    elif refer is False:
        text = "These answers do not point to a referral to a rheumatologist."
    else:
        text = (
            "Whether a rheumatologist should see you depends on answers or tests that are "
            "still missing."
        )
    blocks: list[Block] = [Paragraph(text, "strong")]
    tests = tuple(wording.next_test_words(t) for t in result.referral.next_tests)
    if tests:
        blocks.append(
            Paragraph("Tests to ask about, because their results could change the advice:")
        )
        blocks.append(Bullets(tests))
    rows = tuple(
        (
            wording.strategy_name(s.name),
            wording.strategy_verdict_words(s.name, s.verdict.value, result.case.age),
        )
        for s in result.referral.strategies
    )
    if rows:
        blocks.append(Table(("Referral rule (for the doctor)", "Refer?"), rows))
    return Section(HEADINGS[3], tuple(blocks))


def _other(result: TriageView) -> Section:
    items = tuple(f"{wording.condition_name(c.condition)}: {c.why}" for c in result.considerations)
    if items:
        return Section(HEADINGS[4], (Bullets(items),))
    return Section(HEADINGS[4], (Paragraph("Nothing else stood out from these answers."),))


def build_summary(
    rows: Sequence[tuple[str, str, str]], result: TriageView, *, on: date, version: str = ""
) -> Report:
    """The one-page summary: what the answers suggest, warning signs, chance, advice, answers.

    ``version`` is the program's version for the footer (the caller passes ``__version__``; the
    reports layer does not import the package root, which reaches the services).
    """
    disclaimer = result.disclaimer
    if "not a diagnosis" not in disclaimer.lower():
        disclaimer = f"{wording.NOT_A_DIAGNOSIS} {disclaimer}".strip()
    alert = ""
    if result.step.urgency == "emergency":
        alert = f"{wording.EMERGENCY_ALERT} {wording.urgency_text(result.step)}"
    elif result.step.urgency == "urgent":
        alert = f"{wording.URGENT_ALERT} {wording.urgency_text(result.step)}"
    answers = Table(
        ("Question", "Answer"), tuple((label, text) for _, label, text in rows), split=2
    )
    return Report(
        title="Back pain self-check: summary for your doctor",
        subtitle="answers given by the person themselves, not checked by a clinician",
        date=on,
        alert=alert,
        disclaimer=disclaimer,
        sections=(
            _suggest(result),
            _warnings(result),
            _chance(result),
            _doctor(result),
            _other(result),
            Section(ANSWERS_HEADING, (answers,)),
        ),
        footer=" ".join(filter(None, ("immunospine", version, "self-check"))),
    )
