"""The one-page self-check summary: a ``reports.model.Report`` built from answers and a triage.

``build_summary`` takes the answers as shown to the person (``Session.rows()``), the contract's
assessment JSON (``Assessment.to_dict()``) and the date. Its words come from the knowledge base
(``reasoning.explain``: test, condition and urgency wording; ``red_flags``: item labels) and from
the questionnaire's labels, so the summary says what the terminal said. The few details meant for
the doctor (checklist names, probability figures) are marked as such and kept short.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from immunospine import __version__
from immunospine.errors import InputError
from immunospine.knowledge.reasoning import explain, red_flags
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
from immunospine.services import self_check

__all__ = [
    "BASENAME",
    "HEADINGS",
    "NOT_A_DIAGNOSIS",
    "build_summary",
    "finding_label",
    "urgency_text",
    "write_summary",
]

BASENAME = "immunospine-summary"

NOT_A_DIAGNOSIS = "This supports a decision, it is not a diagnosis."
HEADINGS = (
    "What your answers suggest",
    "Warning signs",
    "Chance of inflammation of the spine (axial spondyloarthritis)",
    "What to ask your doctor",
    "Other things to discuss",
    "Your answers",
)
URGENCY_WORDS: Mapping[str, str] = {
    "emergency": "Emergency: go to an emergency department now.",
    "urgent": "Urgent: see a doctor within the next few days.",
    "soon": "Soon: see a specialist within the next few weeks.",
    "routine": "Routine: arrange a normal appointment.",
    "self_care": "Self-care for now: see your GP if it is not better within 6 weeks.",
}
VERDICT_WORDS: Mapping[str, str] = {
    "met": "yes",
    "not_met": "no",
    "indeterminate": "not sure (answers missing)",
}
_IBP_NAMES = (("calin", "Calin"), ("berlin", "Berlin"), ("asas", "ASAS"))


def urgency_text(assessment: Mapping[str, Any]) -> str:
    """How urgent, in words: the knowledge base's sentence for (urgency, whom to see)."""
    urgency = str(assessment.get("urgency", ""))
    see = str(assessment.get("referral", {}).get("see", ""))
    text = explain.STEP_TEXT.get((urgency, see))
    return text or URGENCY_WORDS.get(urgency, urgency.replace("_", " "))


def finding_label(name: str) -> str:
    """The plain label of a finding of the probability model (the questionnaire's label)."""
    if name == "inflammatory_back_pain":
        return "Back pain pattern typical of inflammation"
    try:
        return self_check.question(name).label
    except KeyError:
        return name.replace("_", " ").capitalize()


def _flag_label(name: str) -> str:
    key = name.removeprefix("red_flags.")
    item = red_flags.catalogue().items.get(key)
    if item is not None:
        return item.label
    if key == "back_pain.duration_months":
        return "how long the back pain has lasted"
    return key.replace("_", " ")


def _informative(lr: Any) -> bool:
    return isinstance(lr, int | float) and lr > 0 and lr != 1


def _ratio(lr: float) -> str:
    return f"×{lr:.2g}" if lr < 1 else f"×{lr:.1f}"


def _suggest(a: Mapping[str, Any]) -> Section:
    step = urgency_text(a)
    explanation = str(a.get("explanation") or "")
    if (
        step in explanation
    ):  # the knowledge base's explanation already says what to do: lead with it
        explanation = explanation.replace(step, "").replace("  ", " ").strip()
    blocks: list[Block] = [Paragraph(step, "strong")]
    if explanation:
        blocks.append(Paragraph(explanation))
    ibp = a.get("inflammatory_back_pain", {})
    if ibp:
        checks = "; ".join(
            f"{title} {VERDICT_WORDS.get(str(ibp.get(key)), '?')}" for key, title in _IBP_NAMES
        )
        blocks.append(
            Paragraph(f"For the doctor: inflammatory back pain checklists: {checks}.", "muted")
        )
    return Section(HEADINGS[0], tuple(blocks))


def _warnings(a: Mapping[str, Any]) -> Section:
    flags = a.get("red_flags", [])
    blocks: list[Block] = []
    if flags:
        blocks.append(
            Bullets(
                tuple(
                    f"{f.get('label') or _flag_label(f['item'])}: {f.get('action', '')}".strip()
                    for f in flags
                )
            )
        )
    else:
        blocks.append(Paragraph("None of the warning signs was reported."))
    unknown = a.get("red_flags_unknown", [])
    if unknown:
        names = "; ".join(_flag_label(u) for u in unknown)
        blocks.append(Paragraph(f"Not answered (please tell your doctor): {names}.", "muted"))
    return Section(HEADINGS[1], tuple(blocks))


def _chance(a: Mapping[str, Any]) -> Section:
    axspa = a.get("axspa", {})
    p = axspa.get("probability")
    category = str(axspa.get("category", ""))
    blocks: list[Block] = []
    if p is None:
        blocks.append(Paragraph("Could not be estimated from these answers."))
        return Section(HEADINGS[2], tuple(blocks))
    words = explain.CHANCE_WORDS.get(category, category)
    blocks.append(Paragraph(f"About {100 * p:.0f} in 100 ({words}).", "strong"))
    bars = tuple(
        sorted(
            (
                Bar(finding_label(c["finding"]), math.log(lr), _ratio(lr))
                for c in axspa.get("contributions", [])
                if not c.get("ignored") and _informative(lr := c.get("likelihood_ratio"))
            ),
            key=lambda b: -b.value,
        )
    )
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
        finding_label(u.removeprefix("findings.")) for u in axspa.get("unknown_findings", [])
    ]
    if unknown:
        blocks.append(Paragraph("Not known, so left out: " + "; ".join(unknown) + ".", "muted"))
    pretest = axspa.get("pretest_probability")
    detail = f"For the doctor: post-test probability {100 * p:.1f} % ({category})"
    if pretest is not None:
        detail += f" from a pre-test probability of {100 * pretest:.0f} %"
    blocks.append(Paragraph(detail + ", likelihood-ratio method (Rudwaleit 2004).", "muted"))
    return Section(HEADINGS[2], tuple(blocks))


def _doctor(a: Mapping[str, Any]) -> Section:
    referral = a.get("referral", {})
    refer = referral.get("refer_to_rheumatology")
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
    tests = [explain.TEST_NAMES.get(t, t.replace("_", " ")) for t in referral.get("next_tests", [])]
    if tests:
        blocks.append(
            Paragraph("Tests to ask about, because their results could change the advice:")
        )
        blocks.append(Bullets(tuple(t[0].upper() + t[1:] for t in tests)))
    strategies = referral.get("strategies", [])
    if strategies:
        rows = tuple(
            (str(s.get("title") or s["name"]), VERDICT_WORDS.get(s["verdict"], s["verdict"]))
            for s in strategies
        )
        blocks.append(Table(("Referral rule (for the doctor)", "Refer?"), rows))
    return Section(HEADINGS[3], tuple(blocks))


def _other(a: Mapping[str, Any]) -> Section:
    items = tuple(
        f"{explain.CONDITION_NAMES.get(c['condition'], c['condition'].replace('_', ' '))}: "
        f"{c.get('why', '')}".strip()
        for c in a.get("considerations", [])
    )
    if items:
        return Section(HEADINGS[4], (Bullets(items),))
    return Section(HEADINGS[4], (Paragraph("Nothing else stood out from these answers."),))


def build_summary(
    rows: Sequence[tuple[str, str, str]], assessment: Mapping[str, Any], *, on: date
) -> Report:
    """The one-page summary: what the answers suggest, warning signs, chance, advice, answers."""
    disclaimer = str(assessment.get("disclaimer") or "")
    if "not a diagnosis" not in disclaimer.lower():
        disclaimer = f"{NOT_A_DIAGNOSIS} {disclaimer}".strip()
    alert = ""
    if assessment.get("urgency") == "emergency":
        alert = "Seek emergency care now. " + urgency_text(assessment)
    elif assessment.get("urgency") == "urgent":
        alert = "See a doctor urgently. " + urgency_text(assessment)
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
            _suggest(assessment),
            _warnings(assessment),
            _chance(assessment),
            _doctor(assessment),
            _other(assessment),
            Section(HEADINGS[5], (answers,)),
        ),
        footer=f"immunospine {__version__} self-check",
    )


def write_summary(report: Report, out_dir: Path, *, pdf: bool = True) -> list[Path]:
    """Write ``BASENAME.html`` (and ``.pdf``) into ``out_dir``; the paths written, HTML first.

    Both documents are rendered before anything is written, so a rendering error leaves no files;
    a folder that cannot be created or written is an ``InputError`` naming ``--out-dir``.
    """
    from immunospine.reports.html import render_html
    from immunospine.reports.pdf import render_pdf

    documents: list[tuple[Path, bytes]] = [
        (out_dir / f"{BASENAME}.html", render_html(report).encode("utf-8"))
    ]
    if pdf:
        documents.append((out_dir / f"{BASENAME}.pdf", render_pdf(report)))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for path, data in documents:
            path.write_bytes(data)
    except OSError as exc:
        raise InputError.single(
            ("--out-dir",),
            f"cannot write the summary there ({exc.strerror})",
            str(out_dir),
            context="self-check",
        ) from None
    return [path for path, _ in documents]
