"""The patient-reported questionnaires as forms: each item's prompt in plain words, its answer
scale, and where the answer goes in the calculator's inputs.

The prompts are our own short wording of what each published item asks (the instruments'
licensed wording is not reproduced); the scoring is the calculator's (``immunospine calc``), so
a form only collects inputs. Field names are the calculator inputs (``q1`` … ``q6``); an item of
a list input is ``NAME.N`` (1-based, as in the FHIR QuestionnaireResponse linkIds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "FORMS",
    "SCORE_MEANINGS",
    "VISIT_FORMS",
    "Form",
    "FormItem",
    "Option",
    "form_inputs",
    "visit_inputs",
]

Kind = Literal["nrs", "choice", "boolean"]


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class FormItem:
    """One question: ``field`` (``q1`` or ``sections.3``), its prompt, and its answer scale."""

    field: str
    prompt: str
    kind: Kind = "nrs"
    low: str = ""
    high: str = ""
    options: tuple[Option, ...] = ()
    step: float = 1
    required: bool = True
    integer: bool = False


@dataclass(frozen=True, slots=True)
class Form:
    """A questionnaire page: the calculator it feeds, what it asks about, its items."""

    calculator: str
    title: str
    intro: str
    items: tuple[FormItem, ...]
    needs_crp: bool = False
    """ASDAS-CRP: the patient answers four items; CRP is the latest lab result on record."""


_WEEK = "Think about the past week."


def _nrs(field: str, prompt: str, low: str, high: str, step: float = 1) -> FormItem:
    return FormItem(field, prompt, "nrs", low, high, step=step)


def _choices(field: str, prompt: str, labels: tuple[str, ...], required: bool = True) -> FormItem:
    options = tuple(Option(str(i), label) for i, label in enumerate(labels))
    return FormItem(field, prompt, "choice", options=options, required=required, integer=True)


_NONE_SEVERE = ("none", "very severe")
_ODI_LEVELS = (
    "no problem",
    "very mild",
    "moderate",
    "fairly severe",
    "very severe",
    "cannot do it at all / worst imaginable",
)
_ODI_TOPICS = (
    "Pain intensity at the moment",
    "Personal care (washing, dressing)",
    "Lifting",
    "Walking",
    "Sitting",
    "Standing",
    "Sleeping",
    "Sex life (if it applies)",
    "Social life",
    "Travelling",
)
_RAPID3_TOPICS = (
    "Dress yourself, including tying shoelaces and doing buttons",
    "Get in and out of bed",
    "Lift a full cup or glass to your mouth",
    "Walk outdoors on flat ground",
    "Wash and dry your whole body",
    "Bend down to pick up clothing from the floor",
    "Turn regular taps on and off",
    "Get in and out of a car, bus, train or plane",
    "Walk two miles or three kilometres, if you wish",
    "Take part in recreation and sports as you would like, if you wish",
)
_RAPID3_LEVELS = (
    "without any difficulty",
    "with some difficulty",
    "with much difficulty",
    "unable to do",
)
_START_BACK_TOPICS = (
    "My back pain has spread down my leg(s) at some time in the last 2 weeks",
    "I have had pain in the shoulder or neck at some time in the last 2 weeks",
    "I have only walked short distances because of my back pain",
    "In the last 2 weeks, I have dressed more slowly than usual because of back pain",
    "It is not really safe for a person with a condition like mine to be physically active",
    "Worrying thoughts have been going through my mind a lot of the time",
    "I feel that my back pain is terrible and it's never going to get any better",
    "In general I have not enjoyed all the things I used to enjoy",
)

_RMDQ_TOPICS = (
    "I stay at home most of the time",
    "I change position often to get my back comfortable",
    "I walk more slowly than usual",
    "I am not doing any of my usual jobs around the house",
    "I use a handrail to get upstairs",
    "I lie down to rest more often",
    "I have to hold on to something to get out of an easy chair",
    "I try to get other people to do things for me",
    "I get dressed more slowly than usual",
    "I only stand for short periods",
    "I try not to bend or kneel down",
    "I find it hard to get out of a chair",
    "My back hurts almost all the time",
    "I find it hard to turn over in bed",
    "My appetite is not very good",
    "I have trouble putting on socks or tights",
    "I only walk short distances",
    "I sleep less well",
    "I get dressed with help from someone else",
    "I sit down for most of the day",
    "I avoid heavy jobs around the house",
    "I am more irritable and bad-tempered with people than usual",
    "I go upstairs more slowly than usual",
    "I stay in bed most of the time",
)
_ASAS_HI_TOPICS = (
    "Pain sometimes gets in the way of my normal activities",
    "I find it hard to stand for long",
    "I have problems running",
    "I have problems using the toilet",
    "I am often exhausted",
    "I am less motivated to do anything that takes physical effort",
    "I have lost interest in sex",
    "I have difficulty working the pedals of a car",
    "I find it hard to make contact with people",
    "I am not able to walk outdoors on flat ground",
    "I find it hard to concentrate",
    "My mobility restricts my travel",
    "I often get frustrated",
    "I find it difficult to wash my hair",
    "My rheumatic disease has changed my finances",
    "I sleep badly at night",
    "I cannot overcome my difficulties",
)
_YES_NO = (Option("true", "yes"), Option("false", "no"))
_AGREE = (Option("true", "I agree"), Option("false", "I do not agree"))


FORMS: Mapping[str, Form] = {
    f.calculator: f
    for f in (
        Form(
            "basdai",
            "BASDAI — how active your spondyloarthritis has been",
            _WEEK,
            (
                _nrs("q1", "How much tiredness (fatigue) have you had?", *_NONE_SEVERE),
                _nrs("q2", "How much pain in your neck, back or hips?", *_NONE_SEVERE),
                _nrs("q3", "How much pain or swelling in other joints?", *_NONE_SEVERE),
                _nrs(
                    "q4",
                    "How much discomfort from places tender to touch or pressure?",
                    *_NONE_SEVERE,
                ),
                _nrs("q5", "How bad has your stiffness been after waking up?", *_NONE_SEVERE),
                _nrs(
                    "q6",
                    "How long does that morning stiffness last?",
                    "none",
                    "2 hours or more",
                    step=0.5,
                ),
            ),
        ),
        Form(
            "basfi",
            "BASFI — how easy everyday movements have been",
            _WEEK + " 0 means easy, 10 means impossible.",
            tuple(
                _nrs(f"q{i}", text, "easy", "impossible")
                for i, text in enumerate(
                    (
                        "Putting on socks or tights without help or aids",
                        "Bending forward to pick up a pen from the floor without an aid",
                        "Reaching up to a high shelf without help or aids",
                        "Getting up from an armless chair without using your hands",
                        "Getting up off the floor from lying on your back without help",
                        "Standing without support for 10 minutes without discomfort",
                        "Climbing 12–15 steps without a handrail, one foot on each step",
                        "Looking over your shoulder without turning your body",
                        "Physically demanding activities (exercises, gardening, sport)",
                        "A full day's activities at home or at work",
                    ),
                    start=1,
                )
            ),
        ),
        Form(
            "asdas_crp",
            "ASDAS — your part of the disease activity score",
            _WEEK + " The score also needs your latest CRP blood test from your record.",
            (
                _nrs("back_pain", "How much pain in your neck, back or hips?", *_NONE_SEVERE),
                _nrs(
                    "morning_stiffness_duration",
                    "How long does your morning stiffness last?",
                    "none",
                    "2 hours or more",
                    step=0.5,
                ),
                _nrs(
                    "patient_global",
                    "How active was your disease, overall?",
                    "not active",
                    "very active",
                ),
                _nrs(
                    "peripheral_pain", "How much pain or swelling in other joints?", *_NONE_SEVERE
                ),
            ),
            needs_crp=True,
        ),
        Form(
            "pain_nrs",
            "Pain today",
            "How strong is your pain right now?",
            (FormItem("pain", "Pain", "nrs", "no pain", "worst pain imaginable", integer=True),),
        ),
        Form(
            "rapid3",
            "RAPID3 — function, pain and how you are overall",
            "Over the past week, were you able to:",
            (
                *(
                    _choices(f"function_items.{i}", text, _RAPID3_LEVELS)
                    for i, text in enumerate(_RAPID3_TOPICS, start=1)
                ),
                _nrs(
                    "pain",
                    "How much pain have you had?",
                    "no pain",
                    "pain as bad as it could be",
                    step=0.5,
                ),
                _nrs(
                    "patient_global",
                    "Considering everything, how are you doing?",
                    "very well",
                    "very poorly",
                    step=0.5,
                ),
            ),
        ),
        Form(
            "odi",
            "Oswestry Disability Index — how back pain affects daily life",
            "For each topic choose the answer closest to how you are today. You may leave one "
            "topic out if it does not apply to you.",
            tuple(
                _choices(f"sections.{i}", topic, _ODI_LEVELS, required=False)
                for i, topic in enumerate(_ODI_TOPICS, start=1)
            ),
        ),
        Form(
            "start_back",
            "STarT Back — how back pain affects you",
            "Think about the last 2 weeks.",
            (
                *(
                    FormItem(
                        f"items.{i}",
                        text,
                        "choice",
                        integer=True,
                        options=(Option("1", "agree"), Option("0", "disagree")),
                    )
                    for i, text in enumerate(_START_BACK_TOPICS, start=1)
                ),
                FormItem(
                    "bothersomeness",
                    "Overall, how bothersome has your back pain been?",
                    "choice",
                    options=tuple(
                        Option(v, v.replace("_", " "))
                        for v in ("not_at_all", "slightly", "moderately", "very_much", "extremely")
                    ),
                ),
            ),
        ),
        Form(
            "rmdq",
            "Roland-Morris — how back pain limits you today",
            "Tick each sentence that describes you today because of your back pain (our short "
            "wording of the published questionnaire).",
            tuple(
                FormItem(f"items.{i}", text, "boolean", options=_YES_NO)
                for i, text in enumerate(_RMDQ_TOPICS, start=1)
            ),
        ),
        Form(
            "asas_hi",
            "ASAS Health Index — how your health is",
            "For each sentence, say whether you agree (our short wording of the published "
            "questionnaire).",
            tuple(
                FormItem(f"items.{i}", text, "boolean", options=_AGREE)
                for i, text in enumerate(_ASAS_HI_TOPICS, start=1)
            ),
        ),
    )
}


def form_inputs(form: Form, answers: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The calculator inputs the posted ``answers`` make, and the fields left unanswered.

    Text is turned into numbers only where the item is numeric; anything unreadable is passed on
    as typed, so the calculator's own validation names it (never a silent zero).
    """
    inputs: dict[str, Any] = {}
    missing: list[str] = []
    for item in form.items:
        raw = answers.get(item.field, "").strip()
        value: Any
        if raw == "":
            value = None
            if item.required:
                missing.append(item.field)
        elif item.kind == "nrs" or (item.kind == "choice" and item.integer):
            value = _number(raw, item.integer)
        elif item.kind == "boolean" and raw in ("true", "false"):
            value = raw == "true"
        else:
            value = raw
        name, _, index = item.field.partition(".")
        if index:
            inputs.setdefault(name, []).append(value)
        elif value is not None:
            inputs[name] = value
    return inputs, missing


def _number(raw: str, integer: bool) -> Any:
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        return raw
    if number.is_integer() and (integer or "." not in raw):
        return int(number)
    return number


SCORE_MEANINGS: Mapping[str, str] = {
    "basdai": "From 0 (no activity) to 10. 4 or more is usually read as active disease.",
    "basfi": "From 0 (everyday movements are easy) to 10 (impossible). Lower is better.",
    "asdas_crp": "Below 1.3: inactive; 1.3 to 2.0: low; 2.1 to 3.5: high; above 3.5: very high "
    "disease activity. Below 2.1 is the usual treatment target.",
    "asdas_esr": "Below 1.3: inactive; 1.3 to 2.0: low; 2.1 to 3.5: high; above 3.5: very high.",
    "das28_crp": "Below 2.6: remission; up to 3.2: low; up to 5.1: moderate; above: high activity.",
    "das28_esr": "Below 2.6: remission; up to 3.2: low; up to 5.1: moderate; above: high activity.",
    "pain_nrs": "From 0 (no pain) to 10 (worst pain imaginable).",
    "rapid3": "From 0 to 30: up to 3 near remission, up to 6 low, up to 12 moderate, above high.",
    "odi": "A percentage: up to 20 % minimal, up to 40 % moderate, up to 60 % severe disability.",
    "start_back": "Low, medium or high risk that back pain will keep troubling you; it guides "
    "which kind of care helps most.",
    "asas_hi": "From 0 to 17: 5 or less is good health, 12 or more poor health.",
    "rmdq": "From 0 to 24 statements that apply today; higher means more disability.",
    "haq_di": "From 0 (no difficulty) to 3 (unable to do everyday tasks).",
}
"""What a score means, in plain words, for the patient's home page."""


def _joints(field: str, prompt: str) -> FormItem:
    return FormItem(field, prompt, "nrs", "0", "28", integer=True)


VISIT_FORMS: Mapping[str, Form] = {
    f.calculator: f
    for f in (
        Form(
            "asdas_crp",
            "ASDAS-CRP",
            "The patient's four answers (past week, 0–10); CRP from the labs above.",
            FORMS["asdas_crp"].items,
            needs_crp=True,
        ),
        Form(
            "basdai",
            "BASDAI",
            "The patient's six answers (past week, 0–10).",
            FORMS["basdai"].items,
        ),
        Form(
            "basfi", "BASFI", "The patient's ten answers (past week, 0–10).", FORMS["basfi"].items
        ),
        Form(
            "das28_crp",
            "DAS28-CRP",
            "Joint counts of 28 joints, the patient's global health (0–100); CRP from the labs.",
            (
                _joints("tender_joints_28", "Tender joints (of 28)"),
                _joints("swollen_joints_28", "Swollen joints (of 28)"),
                FormItem(
                    "patient_global_health",
                    "Patient's global health",
                    "nrs",
                    "very well",
                    "very poorly (0–100)",
                    integer=False,
                ),
            ),
            needs_crp=True,
        ),
        Form(
            "cdai",
            "CDAI",
            "Joint counts and the two global assessments (0–10).",
            (
                _joints("tender_joints_28", "Tender joints (of 28)"),
                _joints("swollen_joints_28", "Swollen joints (of 28)"),
                _nrs("patient_global", "Patient global assessment", "very well", "very poorly"),
                _nrs("evaluator_global", "Evaluator global assessment", "very well", "very poorly"),
            ),
        ),
    )
}
"""The instruments of the clinician's visit page. Fields are named ``CALCULATOR.INPUT``
(``basdai.q1``) because two instruments share input names (BASDAI and BASFI both have ``q1``);
lab values are entered once (``crp_mg_l``, ``esr_mm_h``) and fill every score that needs them."""


def visit_inputs(
    answers: Mapping[str, str],
) -> tuple[dict[str, dict[str, Any]], dict[str, list[str]]]:
    """The instruments the clinician started filling (any field given) with their inputs, and
    each one's unanswered fields (``CALCULATOR.INPUT`` form names)."""
    filled: dict[str, dict[str, Any]] = {}
    missing: dict[str, list[str]] = {}
    for name, form in VISIT_FORMS.items():
        prefixed = {i.field: answers.get(f"{name}.{i.field}", "") for i in form.items}
        if not any(v.strip() for v in prefixed.values()):
            continue
        inputs, gaps = form_inputs(form, prefixed)
        filled[name] = inputs
        missing[name] = [f"{name}.{g}" for g in gaps]
    return filled, missing
