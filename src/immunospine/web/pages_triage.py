"""``/clinic/triage``: the triage contract as a form for clinicians (web-contract.md "Pages").

Each field is named by its path in the case of ``triage-contract.md`` (``age``, ``sex``,
``back_pain.duration_months``, ``findings.hla_b27``, ``red_flags.saddle_anaesthesia``,
``pretest_probability``; the extras the case accepts: ``back_pain.buttock_pain``,
``back_pain.neck_pain``, ``radiographic_sacroiliitis``, ``widespread_pain``,
``numbness_or_tingling`` and ``known_conditions``). An empty field is absent (unknown), never zero
or "no". ``known_conditions`` is one text of names of the autoimmune knowledge base separated by
commas or semicolons (a comma inside brackets belongs to the name, as in "Inflammatory myopathy
(polymyositis, dermatomyositis, ...)"); a name the base does not know comes back next to the field
with the nearest names, the other answers kept. The text of a number is read only when it is
plainly a number; anything else goes to ``services.triage`` as typed, so the service names the
field and the value in its own words (the same as the command line and the API), and the form
comes back with each problem next to its field.

The result is shown red flags first, then urgency, the probability of axSpA, the referral with
its next tests, the checklists and the rest, and the decision-support sentence; the words come
from ``reports.wording`` as in ``reports.triage_text``. Nothing is stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from immunospine.errors import InputError, json_text
from immunospine.reports import wording
from immunospine.reports.triage_text import EMERGENCY_FIRST, explanation_for_person
from immunospine.services import diseases, triage
from immunospine.services.self_check import QUESTIONS
from immunospine.services.triage import TriageResult
from immunospine.web.session import checked_form, require_user
from immunospine.web.templating import gettext as _
from immunospine.web.templating import render

__all__ = ["FIELDS", "TriageField", "case_of", "names_of", "router"]

router = APIRouter(include_in_schema=False)


def N_(message: str) -> str:  # noqa: N802 - Babel's keyword for "extract, translate when shown"
    """Mark ``message`` for the catalogue; the template translates it when the page is shown."""
    return message


Kind = Literal["integer", "number", "boolean", "sex", "names"]
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class TriageField:
    """One form field: its path in the case, its label, what it holds, its group."""

    name: str
    label: str
    kind: Kind
    group: str
    hint: str = ""

    @property
    def id(self) -> str:
        """The HTML id (the path with ``-`` for ``.``)."""
        return self.name.replace(".", "-")


_PATIENT, _FLAGS, _PAIN, _FINDINGS, _OTHER = (
    N_("Patient"),
    N_("Red flags"),
    N_("Back pain"),
    N_("Findings (axSpA probability)"),
    N_("Other findings"),
)
_QUESTION_LABELS = {".".join(q.field): q.label for q in QUESTIONS if q.field}
_RED_FLAGS = (
    "saddle_anaesthesia",
    "bladder_or_bowel_dysfunction",
    "progressive_neurological_deficit",
    "history_of_cancer",
    "unexplained_weight_loss",
    "fever_or_systemically_unwell",
    "intravenous_drug_use",
    "immunosuppression",
    "recent_infection",
    "significant_trauma",
    "osteoporosis_or_long_term_steroids",
    "thoracic_pain",
    "constant_progressive_non_mechanical_pain",
)
_PAIN_ITEMS = (
    "insidious_onset",
    "improves_with_exercise",
    "improves_with_rest",
    "night_pain",
    "wakes_second_half_of_night",
    "buttock_pain",
    "alternating_buttock_pain",
)
_FINDINGS_ITEMS = tuple(wording.FINDING_WORDS)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


FIELDS: tuple[TriageField, ...] = (
    TriageField("age", N_("Age"), "integer", _PATIENT, N_("years, 0–120 (required)")),
    TriageField("sex", N_("Sex"), "sex", _PATIENT),
    TriageField(
        "pretest_probability",
        N_("Pre-test probability of axSpA"),
        "number",
        _PATIENT,
        N_("0–1; empty: 0.05 (chronic back pain in primary care)"),
    ),
    *(
        TriageField(f"red_flags.{n}", _cap(wording.flag_label(n)), "boolean", _FLAGS)
        for n in _RED_FLAGS
    ),
    TriageField(
        "back_pain.duration_months",
        N_("Back pain has lasted"),
        "number",
        _PAIN,
        N_("months, 0–1440"),
    ),
    TriageField(
        "back_pain.age_at_onset",
        N_("Age when the pain started"),
        "number",
        _PAIN,
        N_("years, 0–120"),
    ),
    TriageField(
        "back_pain.morning_stiffness_minutes",
        N_("Morning stiffness lasts"),
        "number",
        _PAIN,
        N_("minutes, 0–1440 (0 = none)"),
    ),
    *(
        TriageField(f"back_pain.{n}", _QUESTION_LABELS[f"back_pain.{n}"], "boolean", _PAIN)
        for n in _PAIN_ITEMS
    ),
    TriageField("back_pain.neck_pain", N_("Neck pain or stiffness"), "boolean", _PAIN),
    *(
        TriageField(
            f"findings.{n}",
            wording.finding_words(n, None),
            "boolean",
            _FINDINGS,
            N_("empty: taken from the ASAS checklist") if n == "inflammatory_back_pain" else "",
        )
        for n in _FINDINGS_ITEMS
    ),
    TriageField(
        "radiographic_sacroiliitis", N_("Sacroiliitis on X-ray (definite)"), "boolean", _OTHER
    ),
    TriageField("widespread_pain", N_("Pain in many body regions"), "boolean", _OTHER),
    TriageField("numbness_or_tingling", N_("Numbness or tingling"), "boolean", _OTHER),
    TriageField(
        "known_conditions",
        N_("Diagnoses the person already has"),
        "names",
        _OTHER,
        N_(
            "autoimmune diseases of the knowledge base, separated by commas (e.g. lupus, "
            "multiple sclerosis)"
        ),
    ),
)
_BY_NAME = {f.name: f for f in FIELDS}


def names_of(text: str) -> list[str]:
    """The names in one text, split at commas and semicolons outside brackets."""
    names: list[str] = []
    current, depth = "", 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char in ",;" and depth <= 0:
            names.append(current)
            current, depth = "", 0
        else:
            current += char
    names.append(current)
    return [n.strip() for n in names if n.strip()]


def _value(field: TriageField, text: str) -> Any:
    """The case's value of one field's text: plain numbers and known words are read, anything
    else is handed on as typed for the service to name."""
    if field.kind == "names":
        return names_of(text)
    if field.kind in ("integer", "number") and _NUMBER.match(text):
        number = float(text)
        return int(number) if field.kind == "integer" and number.is_integer() else number
    if field.kind == "boolean" and text in ("true", "false"):
        return text == "true"
    return text


def case_of(form: Mapping[str, str]) -> dict[str, Any]:
    """The triage case the form makes; empty fields are left out (unknown)."""
    case: dict[str, Any] = {}
    for field in FIELDS:
        text = form.get(field.name, "").strip()
        if not text:
            continue
        *parents, leaf = field.name.split(".")
        target = case
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = _value(field, text)
    return case


def _problems(exc: InputError) -> dict[str, str]:
    """Each problem under its field's name ('' for one that names no field of the form)."""
    out: dict[str, str] = {}
    for problem in exc.problems:
        field = problem.field.split("[", 1)[0]
        key = field if field in _BY_NAME else ""
        text = problem.msg if key else problem.line
        if key and field != problem.field and problem.has_value:  # one item of a list
            text = f"{json_text(problem.value)} {problem.msg}"
        out[key] = f"{out[key]} {text}" if key in out else text
    return out


def _result(result: TriageResult) -> dict[str, Any]:
    """What the page shows of a triage result, in the words of ``reports.wording``."""
    score = result.probability.score
    category = str(result.probability.category)
    contributions = [
        (wording.finding_words(c["finding"], c["value"]), wording.ratio_note(c["likelihood_ratio"]))
        for c in result.probability.components.get("contributions", ())
        if not c["ignored"]
    ]
    refer = result.referral.refer_to_rheumatology
    return {
        "emergency": result.step.urgency == "emergency",
        "red_flags": result.red_flags,
        "red_flags_unknown": [wording.flag_label(u) for u in result.red_flags_unknown],
        "urgency": result.step.urgency,
        "urgency_text": wording.urgency_text(result.step),
        "see": result.step.see.replace("_", " "),
        "how_fast": result.step.how_fast.replace("_", " "),
        "reason": result.step.reason,
        "score": None if score is None else f"{100 * score:.1f} %",
        "in_100": None if score is None else wording.in_100(score),
        "category": category,
        "chance_words": wording.chance_words(category),
        "pretest": f"{100 * result.case.pretest:g} %",
        "contributions": contributions,
        "unknown_findings": [
            wording.finding_words(m.removeprefix("findings."), None)
            for m in result.probability.missing
        ],
        "ibp": [
            (name, wording.verdict_words(r.verdict.value if r.verdict else "indeterminate"))
            for key, name in wording.CHECKLIST_NAMES.items()
            if (r := result.ibp.get(key)) is not None
        ],
        "entry": wording.verdict_words(result.entry.verdict.value),
        "refer": {True: _("yes"), False: _("no"), None: _("not decided (answers missing)")}[refer],
        "strategies": [
            (
                wording.strategy_name(s.name),
                wording.strategy_verdict_words(s.name, s.verdict.value, result.case.age),
            )
            for s in result.referral.strategies
        ],
        "next_tests": [wording.next_test_words(t) for t in result.referral.next_tests],
        "reasons": result.referral.reasons,
        "emergency_first": EMERGENCY_FIRST,
        "considerations": [
            (wording.condition_name(c.condition), c.why, diseases.key_of(c.condition))
            for c in result.considerations
        ],
        "explanation": explanation_for_person(result),
        "disclaimer": result.disclaimer,
        "unverified": list(result.unverified),
    }


def _page(
    request: Request,
    form: Mapping[str, str],
    *,
    problems: Mapping[str, str] | None = None,
    result: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    groups: list[tuple[str, list[TriageField]]] = []
    for field in FIELDS:
        if not groups or groups[-1][0] != field.group:
            groups.append((field.group, []))
        groups[-1][1].append(field)
    problems = problems or {}
    context = {
        "title": _("Triage a new patient"),
        "groups": groups,
        "values": {f.name: form.get(f.name, "") for f in FIELDS},
        "problems": problems,
        "listed": [(f, problems[f.name]) for f in FIELDS if f.name in problems],
        "general": problems.get("", ""),
        "result": result,
    }
    return render(request, "triage.html", context, status_code=status)


@router.get("/clinic/triage")
def triage_page(request: Request) -> Response:
    require_user(request, "clinician")
    return _page(request, {})


@router.post("/clinic/triage")
async def triage_answers(request: Request) -> Response:
    require_user(request, "clinician")
    form = await checked_form(request)
    try:
        result = triage.triage(case_of(form))
    except InputError as exc:
        return _page(request, form, problems=_problems(exc), status=422)
    return _page(request, form, result=_result(result))
