"""``/check``: the self-check for anyone, as one web form (web-contract.md "Pages").

The questions, their wording, their checks, the skips and "don't know" are the terminal's
(``services.self_check``); the triage is ``services.triage``; the summary is
``reports.triage_summary.build_summary`` and its PDF ``services.summary.summary_pdf``. This module
only reads the form, walks the questions as the terminal session does and shows the result.

- One form holds every question. A choice is a group of radio buttons whose values are the
  choices' keys (``y``, ``n``, ``f`` …) plus ``d`` for "don't know"; a number is a number input
  (``QID``) with, for durations, a unit select (``QID_unit``: months or years, minutes or hours)
  and a "don't know" box (``QID_dont_know``). The typed number and unit are handed to
  ``parse_answer`` as the terminal would have read them ("2 years").
- Questions are read in order: a follow-up whose gate was not answered "yes" does not apply and
  whatever was posted for it is ignored (``build_case`` then gives it the value the "no" implies);
  "no back pain" ends the check with ``NO_BACK_PAIN_ADVICE``, as in the terminal.
- Every problem is shown next to its field and the form keeps everything typed (422).
- Nothing about the person is stored: the result page carries the answers as hidden fields of
  the PDF form (``POST /check/summary.pdf``), which reads and checks them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from immunospine.errors import InputError
from immunospine.reports.model import BarChart, Bullets, Paragraph, Section, Table
from immunospine.reports.triage_summary import HEADINGS, build_summary
from immunospine.services import summary, triage
from immunospine.services.self_check import (
    NO_BACK_PAIN_ADVICE,
    QUESTIONS,
    Answer,
    Question,
    build_case,
    emergency_alert,
    parse_answer,
)
from immunospine.version import __version__
from immunospine.web.session import anonymous_csrf, checked_form, current_session
from immunospine.web.templating import gettext as _
from immunospine.web.templating import render

__all__ = ["CheckForm", "read_form", "router"]

router = APIRouter(include_in_schema=False)

DONT_KNOW = "d"
"""The value of every "don't know" radio button and box (``parse_answer`` reads it)."""
UNITS: dict[str, tuple[str, ...]] = {"months": ("months", "years"), "minutes": ("minutes", "hours")}
"""The units a duration may be typed in on the page (the first is the question's own)."""
SECTION_KEYS = dict(
    zip(HEADINGS, ("suggest", "warnings", "chance", "doctor", "other", "answers"), strict=True)
)
"""Each summary section's test id; the page shows the warning signs first."""
PAGE_ORDER = ("warnings", "suggest", "chance", "doctor", "other", "answers")
PDF_NAME = "immunospine-summary.pdf"
BOTH = "\0both"
_PAGE_WORDS = (
    ("type b to change the earlier answer", "change the earlier answer above"),
    (", d = don't know", ""),
)


@dataclass(frozen=True, slots=True)
class CheckForm:
    """The form as read: valid answers, problems by question id, the fields to carry on."""

    answers: dict[str, Answer]
    problems: dict[str, str]
    kept: list[tuple[str, str]]
    """(name, value) of every posted field that was read, for the PDF form's hidden fields."""
    stopped: bool
    """"No back pain": the check ends here with ``NO_BACK_PAIN_ADVICE``."""


def _on_the_page(message: str) -> str:
    """A terminal message said for the page: earlier answers are changed on the form itself
    and "don't know" is a button, not a letter to type."""
    message = _(message)
    for terminal, page in _PAGE_WORDS:
        message = message.replace(terminal, page)
    return message


def _missing(question: Question) -> str:
    if question.allow_unknown:
        return _("Please answer this question, or choose “Don't know”.")
    return _("Please answer this question: the check needs it.")


def _typed(question: Question, form: Mapping[str, str], kept: list[tuple[str, str]]) -> str:
    """What the person gave for ``question``, as the terminal would have read it ('' = nothing,
    ``BOTH`` = a number and "don't know" at once); ``kept`` receives the fields read."""
    qid = question.id
    value = form.get(qid, "").strip()
    if value:
        kept.append((qid, value))
    if not question.is_number:
        return value
    unknown = form.get(f"{qid}_dont_know", "") == DONT_KNOW and question.allow_unknown
    unit = form.get(f"{qid}_unit", "")
    if unit in UNITS.get(question.unit, ()):
        kept.append((f"{qid}_unit", unit))
    else:
        unit = ""
    if unknown:
        kept.append((f"{qid}_dont_know", DONT_KNOW))
        return BOTH if value else DONT_KNOW
    return f"{value} {unit}".strip() if value else ""


def read_form(form: Mapping[str, str]) -> CheckForm:
    """Read the answers in question order, as the terminal session takes them."""
    answers: dict[str, Answer] = {}
    problems: dict[str, str] = {}
    kept: list[tuple[str, str]] = []
    for question in QUESTIONS:
        if not question.applies(answers):
            continue  # a follow-up after "no" or "don't know": whatever was posted is ignored
        text = _typed(question, form, kept)
        if not text:
            if question.gate not in problems:  # an unanswered gate already says what to do
                problems[question.id] = _missing(question)
            continue
        if text == BOTH:
            problems[question.id] = _("Please type a number or tick “Don't know”, not both.")
            continue
        parsed = parse_answer(question, text, answers)
        if isinstance(parsed, str):
            problems[question.id] = _on_the_page(parsed)
            continue
        answers[question.id] = parsed
        if question.id == "has_back_pain" and parsed.value is False:
            return CheckForm(answers, problems, kept, stopped=not problems)
    return CheckForm(answers, problems, kept, stopped=False)


def _fields(form: Mapping[str, str], problems: Mapping[str, str]) -> list[dict[str, Any]]:
    """One entry per question for the template, with what was posted and its problem."""
    out = []
    for number, question in enumerate(QUESTIONS, start=1):
        show_if = ""
        if question.gate:
            gate = next(q for q in QUESTIONS if q.id == question.gate)
            keys = [c.key for c in gate.choices if c.value in question.ask_if]
            show_if = f"{gate.id}={'|'.join(keys)}"
        qid = question.id
        out.append(
            {
                "q": question,
                "number": number,
                "show_if": show_if,
                "value": form.get(qid, ""),
                "unit": form.get(f"{qid}_unit", ""),
                "units": UNITS.get(question.unit, ()),
                "dont_know": form.get(f"{qid}_dont_know", "") == DONT_KNOW,
                "error": problems.get(qid, ""),
                "target": qid if question.is_number else f"{qid}-{question.choices[0].key}",
            }
        )
    return out


def _csrf(request: Request) -> None:
    """The CSRF token for the page's forms: the session's, or the anonymous cookie's."""
    if current_session(request) is None:
        anonymous_csrf(request)


def _grouped(fields: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """``fields`` by section, in order."""
    sections: list[tuple[str, list[dict[str, Any]]]] = []
    for field in fields:
        section = field["q"].section
        if not sections or sections[-1][0] != section:
            sections.append((section, []))
        sections[-1][1].append(field)
    return sections


def _form_page(
    request: Request, form: Mapping[str, str], problems: Mapping[str, str], status: int = 200
) -> Response:
    _csrf(request)
    fields = _fields(form, problems)
    split = next(i for i, f in enumerate(fields) if f["q"].id == "has_back_pain") + 1
    context = {
        "title": _("Back pain self-check"),
        "first": _grouped(fields[:split]),
        "rest": _grouped(fields[split:]),
        "go_on_section": fields[split - 1]["q"].section,
        "problems": [f for f in fields if f["error"]],
        "general": problems.get("", ""),
        "total": len(QUESTIONS),
        "dont_know": DONT_KNOW,
    }
    return render(request, "check.html", context, status_code=status)


@router.get("/check")
def check_page(request: Request) -> Response:
    return _form_page(request, {}, {})


def _blocks(section: Section) -> list[dict[str, Any]]:
    """A summary section's blocks as plain data for the template (a bar chart as a table)."""
    out: list[dict[str, Any]] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out.append({"kind": "paragraph", "text": block.text, "tone": block.tone})
        elif isinstance(block, Bullets):
            out.append({"kind": "bullets", "items": block.items})
        elif isinstance(block, Table):
            out.append({"kind": "table", "columns": block.columns, "rows": block.rows})
        elif isinstance(block, BarChart):
            rows = [
                (b.label, block.right_label if b.value > 0 else block.left_label, b.note)
                for b in block.bars
            ]
            caption = _(
                "How much each answer raised or lowered the chance (it multiplies the odds)"
            )
            out.append({"kind": "bars", "caption": caption, "rows": rows})
    return out


def _assess(read: CheckForm) -> dict[str, Any]:
    """The result page's context for a complete form: the summary, the alerts, the PDF form."""
    result = triage.triage(build_case(read.answers))
    rows = [
        (q.section, q.label, read.answers[q.id].text) for q in QUESTIONS if q.id in read.answers
    ]
    today = datetime.now(UTC).date()
    report = build_summary(rows, result, on=today, version=__version__)
    alerts = [
        alert
        for q in QUESTIONS
        if q.id in read.answers and (alert := emergency_alert(q, read.answers[q.id].value))
    ]
    by_key = {SECTION_KEYS[s.heading]: s for s in report.sections}
    sections = [
        (key, by_key[key].heading, _blocks(by_key[key])) for key in PAGE_ORDER if key in by_key
    ]
    return {
        "title": _("Your result"),
        "report": report,
        "alerts": alerts,
        "has_flags": bool(result.red_flags),
        "sections": sections,
        "kept": read.kept,
        "pdf_name": PDF_NAME,
    }


def _problems_of(exc: InputError) -> dict[str, str]:
    """The triage's own problems (answers that contradict each other) by question id."""
    ids = {q.id for q in QUESTIONS}
    out: dict[str, str] = {}
    for problem in exc.problems:
        name = str(problem.loc[-1]) if problem.loc else ""
        out[name if name in ids else ""] = _(problem.msg if name in ids else problem.line)
    return out


def _no_back_pain(request: Request) -> Response:
    _csrf(request)
    context = {"title": _("Your result"), "advice": NO_BACK_PAIN_ADVICE}
    return render(request, "check_result.html", context)


@router.post("/check")
async def check_answers(request: Request) -> Response:
    form = await checked_form(request)
    read = read_form(form)
    if read.problems:
        return _form_page(request, form, read.problems, status=422)
    if read.stopped:
        return _no_back_pain(request)
    try:
        context = _assess(read)
    except InputError as exc:
        return _form_page(request, form, _problems_of(exc), status=422)
    _csrf(request)
    return render(request, "check_result.html", context)


@router.post("/check/summary.pdf")
async def check_summary_pdf(request: Request) -> Response:
    form = await checked_form(request)
    read = read_form(form)
    if read.problems:
        return _form_page(request, form, read.problems, status=422)
    if read.stopped:
        return _no_back_pain(request)
    try:
        report = _assess(read)["report"]
    except InputError as exc:
        return _form_page(request, form, _problems_of(exc), status=422)
    return Response(
        summary.summary_pdf(report),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{PDF_NAME}"',
            "Cache-Control": "no-store",
        },
    )
