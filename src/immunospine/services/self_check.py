"""The patient self-check: plain-language questions, their checks, and the triage case they make.

I/O-free. ``QUESTIONS`` is the questionnaire; a ``Session`` walks it one typed answer at a time
(``submit``), re-asks with a friendly message when an answer is not allowed, skips follow-ups that
do not apply, and turns the answers into a case of ``triage-contract.md`` (``Session.case``).

Rules: every question but age accepts "d" / "don't know", which becomes ``null`` in the case,
never a guess. Age is required by the contract, so it is the one question without "don't know".
A follow-up is asked only after a "yes" to its gate. Skipped because the gate was answered "no",
it takes the value the "no" implies (no morning stiffness → 0 minutes; no night pain → does not
wake in the second half of the night; no buttock pain → it does not alternate); skipped after
"don't know", it stays unknown (a question about something the person is unsure of is not asked).
Questions keep their number in the questionnaire ("Question 9 of 37"): the total never changes,
and a skipped follow-up shows as a jump in the numbers (``Session.skipped``). Numbers may be typed
as digits or in words ("three years", "an hour", "twenty-five"). "q" quits
(``Reply.status == "quit"``), "b" goes back one question. A "yes" to a red flag whose condition is
an emergency in the knowledge base (cauda equina) returns that condition's action as
``Reply.alert`` at once; the session goes on.

The module runs past the house's ~400 lines because about 170 of them are the question table,
which reads best in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from immunospine.knowledge.reasoning import red_flags
from immunospine.reports.wording import EMERGENCY_ALERT

__all__ = [
    "NO_BACK_PAIN_ADVICE",
    "QUESTIONS",
    "Answer",
    "Choice",
    "Question",
    "Reply",
    "Session",
    "build_case",
    "emergency_alert",
    "parse_answer",
    "question",
]

Value = bool | int | float | str | None
Answers = Mapping[str, "Answer"]

DONT_KNOW = ("d", "dk", "don't know", "dont know", "do not know", "not sure", "unknown", "?")
QUIT = ("q", "quit", "exit")
BACK = ("b", "back")
NO_BACK_PAIN_ADVICE = (
    "This check is about back pain, so it stops here. If you have other symptoms such as swollen "
    "joints, a painful red eye or skin patches, please talk to your doctor about them."
)


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed reply: what to type, what it means in words, the value it puts in the case."""

    key: str
    label: str
    value: Value
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    """One question. ``field`` is its place in the case (``None``: it only steers the session)."""

    id: str
    section: str
    text: str
    why: str
    label: str
    field: tuple[str, ...] | None
    choices: tuple[Choice, ...] = ()
    minimum: float = 0
    maximum: float = 0
    unit: str = ""
    integer: bool = False
    allow_unknown: bool = True
    gate: str = ""
    """A follow-up: asked only when the question ``gate`` was answered with one of ``ask_if``."""
    ask_if: tuple[Value, ...] = (True,)
    implied: Value = None
    """The follow-up's value when its gate was answered "no" (``False``); otherwise unknown."""
    check: Callable[[float, Answers], str | None] | None = None

    def applies(self, answers: Answers) -> bool:
        """Whether to ask this question, given the answers so far."""
        got = answers.get(self.gate) if self.gate else None
        return got is None or got.value in self.ask_if

    def skipped_value(self, answers: Answers) -> Value:
        """The value of a follow-up that is not asked: ``implied`` after a "no", else unknown."""
        got = answers.get(self.gate)
        return self.implied if got is not None and got.value is False else None

    @property
    def is_number(self) -> bool:
        return not self.choices

    def hint(self) -> str:
        """What may be typed, e.g. ``y = yes, n = no, d = don't know``."""
        if self.is_number:
            parts = [f"a number from {self.minimum:g} to {self.maximum:g}"]
            if self.unit == "months":
                parts[0] += " (months), or years like '2 years' or 'three years'"
            elif self.unit == "minutes":
                parts[0] += " (minutes), or hours like '1 hour' or 'half an hour'"
            else:
                parts[0] += ", in digits or words"
        else:
            parts = [f"{c.key} = {c.label}" for c in self.choices]
        if self.allow_unknown:
            parts.append("d = don't know")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer as given: the value for the case (``None`` = don't know) and its words."""

    value: Value
    text: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What the session says back after one typed answer."""

    status: Literal["accepted", "invalid", "quit", "back", "finished", "stopped"]
    message: str = ""
    alert: str = ""


def _yes_no(yes: str = "yes", no: str = "no") -> tuple[Choice, ...]:
    return (Choice("y", yes, True, ("yes",)), Choice("n", no, False, ("no",)))


def _num(answers: Answers, qid: str) -> float | None:
    got = answers.get(qid)
    value = None if got is None else got.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _check_duration(months: float, answers: Answers) -> str | None:
    age = _num(answers, "age")
    if age is not None and months / 12 > age + 1:
        return f"That is longer than your age ({age:g} years). Please check the number."
    return None


def _check_onset(onset: float, answers: Answers) -> str | None:
    age = _num(answers, "age")
    if age is None:
        return None
    if onset > age:
        return f"That is older than your age now ({age:g}). Please type the age when it started."
    months = _num(answers, "duration_months")
    if months is not None and months / 12 > age - onset + 1:
        lasted = answers["duration_months"].text
        began = max(int(age - months / 12), 0)  # the whole year of age in which it began
        return (
            f"You said the pain has lasted {lasted}, so it started at about age {began} or "
            "earlier. Please check, or type b to change the earlier answer."
        )
    return None


_SEX = (
    Choice("f", "female", "female", ("female", "woman")),
    Choice("m", "male", "male", ("male", "man")),
    Choice("o", "other", "other", ("other",)),
)
_BP, _OT, _TE, _RF = "Your back pain", "Other symptoms", "Tests you may have had", "Warning signs"


def _q(qid: str, section: str, label: str, text: str, why: str, **kw: Any) -> Question:
    path = kw.pop("path", None)
    if "choices" not in kw and "maximum" not in kw:
        kw["choices"] = _yes_no()
    return Question(qid, section, text, why, label, path, **kw)


def _finding(qid: str, label: str, text: str, why: str, **kw: Any) -> Question:
    return _q(qid, kw.pop("section", _OT), label, text, why, path=("findings", qid), **kw)


def _flag(qid: str, label: str, text: str, why: str) -> Question:
    return _q(qid, _RF, label, text, why, path=("red_flags", qid))


def _pain(qid: str, label: str, text: str, why: str, **kw: Any) -> Question:
    return _q(qid, _BP, label, text, why, path=("back_pain", qid), **kw)


# fmt: off
QUESTIONS: tuple[Question, ...] = (
    _q("age", "About you", "Age", "How old are you (in whole years)?",
       "Back pain that starts at a young age is more often caused by inflammation.",
       path=("age",), minimum=0, maximum=120, integer=True, allow_unknown=False),
    _q("sex", "About you", "Sex", "What is your sex?",
       "Some of these conditions show up differently in men and women.",
       path=("sex",), choices=_SEX),
    _q("has_back_pain", _BP, "Has back pain", "Do you have back pain now, or on most days lately?",
       "This check is about back pain; without it the questions do not apply."),
    _pain("duration_months", "Back pain has lasted", "How long have you had this back pain?",
          "Pain that lasts three months or more is looked at more closely.",
          minimum=0, maximum=1440, unit="months", check=_check_duration),
    _pain("age_at_onset", "Age when the pain started", "How old were you when it first started?",
          "Back pain from inflammation usually starts before the age of 45.",
          minimum=0, maximum=120, integer=True, check=_check_onset),
    _pain("insidious_onset", "Came on gradually",
          "Did the pain come on slowly, over weeks or months (not suddenly, as after lifting)?",
          "Pain from inflammation usually creeps up slowly."),
    _q("morning_stiffness", _BP, "Stiff back in the morning",
       "Is your back stiff when you get up in the morning?",
       "Stiffness that lasts a long time in the morning can be a sign of inflammation."),
    _pain("morning_stiffness_minutes", "Morning stiffness lasts",
          "About how long does the morning stiffness last?",
          "Stiffness lasting more than half an hour points more towards inflammation.",
          minimum=1, maximum=1440, unit="minutes", gate="morning_stiffness", implied=0),
    _pain("improves_with_exercise", "Better with exercise",
          "Does moving about or exercise make the back pain better?",
          "Pain from inflammation often eases when you move."),
    _pain("improves_with_rest", "Better with rest", "Does resting make the back pain better?",
          "Pain from strain usually eases with rest; pain from inflammation often does not."),
    _pain("night_pain", "Pain at night", "Does the back pain trouble you at night?",
          "Pain at night that eases when you get up can be a sign of inflammation."),
    _pain("wakes_second_half_of_night", "Wakes in second half of night",
          "Does the pain wake you in the second half of the night (the early hours)?",
          "Waking in the early hours because of back pain is typical of inflammation.",
          gate="night_pain", implied=False),
    _pain("buttock_pain", "Buttock pain", "Do you have pain deep in one or both buttocks?",
          "The joints at the bottom of the spine (sacroiliac joints) are felt in the buttocks."),
    _pain("alternating_buttock_pain", "Buttock pain switches sides",
          "Does the buttock pain switch between the left and the right side?",
          "Pain that swaps sides is typical of inflamed sacroiliac joints.",
          gate="buttock_pain", implied=False),
    _finding("enthesitis_heel", "Heel pain",
             "Have you had pain at the back of or under the heel, without an injury?",
             "Inflammation where tendons join the bone, often at the heel, belongs to the "
             "same family of conditions."),
    _finding("peripheral_arthritis", "Swollen joints",
             "Have you had swollen, painful joints, such as a knee, ankle or wrist?",
             "Swollen joints together with back pain can point to an inflammatory cause."),
    _finding("dactylitis", "Sausage-like finger or toe",
             "Has a whole finger or toe ever swollen up like a sausage?",
             "A whole swollen finger or toe is a typical sign of this family of conditions."),
    _finding("anterior_uveitis", "Iritis or uveitis",
             "Has a doctor told you that a painful red eye was iritis or uveitis?",
             "This eye inflammation often goes together with inflammatory back pain."),
    _finding("psoriasis", "Psoriasis", "Have you ever had psoriasis (red, scaly skin patches)?",
             "Psoriasis is linked to inflammation of the spine and joints."),
    _finding("ibd", "Crohn's disease or colitis",
             "Have you been told you have Crohn's disease or ulcerative colitis?",
             "Inflammation of the bowel is linked to inflammation of the spine."),
    _finding("family_history", "Family history",
             "Do blood relatives have ankylosing spondylitis (axial spondyloarthritis), "
             "psoriasis, uveitis or iritis, or Crohn's disease or colitis?",
             "These conditions run in families."),
    _finding("nsaid_response", "Much better with anti-inflammatories",
             "If you have taken anti-inflammatory painkillers such as ibuprofen or naproxen, was "
             "the pain much better within 1 to 2 days? (d if you have not tried them)",
             "A clear response to these medicines is typical of inflammatory back pain."),
    _finding("elevated_crp_or_esr", "Raised inflammation blood test (CRP or ESR)",
             "Has a blood test for inflammation (CRP or ESR) come back raised?",
             "Raised inflammation markers support an inflammatory cause.", section=_TE,
             choices=_yes_no("yes, raised", "no, normal")),
    _finding("hla_b27", "HLA-B27 blood test",
             "Have you had a blood test for HLA-B27 (a gene marker)? Was it positive?",
             "Most people with ankylosing spondylitis carry HLA-B27.", section=_TE,
             choices=_yes_no("positive", "negative")),
    _finding("mri_sacroiliitis", "MRI of the sacroiliac joints",
             "Has an MRI scan of the joints at the bottom of the spine (sacroiliac joints) "
             "shown inflammation?",
             "An MRI can show inflammation before it is seen on an X-ray.", section=_TE,
             choices=_yes_no("yes, inflammation seen", "no, normal")),
    _flag("saddle_anaesthesia", "Numbness around the bottom or genitals",
          "Do you have new numbness or tingling around your bottom, genitals or inner thighs?",
          "This can mean nerves at the bottom of the spine are squeezed, which is an emergency."),
    _flag("bladder_or_bowel_dysfunction", "New bladder or bowel problems",
          "Do you have new problems passing urine or controlling your bladder or bowel?",
          "This can mean nerves at the bottom of the spine are squeezed, which is an emergency."),
    _flag("progressive_neurological_deficit", "Leg weakness getting worse",
          "Is there weakness or numbness in your legs that is getting worse?",
          "Worsening weakness needs to be checked quickly."),
    _flag("history_of_cancer", "Cancer now or in the past", "Have you ever had cancer?",
          "Back pain after cancer needs to be checked by a doctor."),
    _flag("unexplained_weight_loss", "Weight loss without trying",
          "Have you lost weight without trying?",
          "Weight loss without a reason should be checked by a doctor."),
    _flag("fever_or_systemically_unwell", "Fever or feeling very unwell",
          "Do you have a fever, or feel very unwell in yourself?",
          "Together with back pain this can point to an infection."),
    _flag("intravenous_drug_use", "Injecting drugs", "Have you ever injected drugs?",
          "Injecting raises the risk of an infection in the spine."),
    _flag("immunosuppression", "Weakened immune system",
          "Is your immune system weakened by medicines or an illness (for example a transplant, "
          "chemotherapy or HIV)?", "A weak immune system raises the risk of infection."),
    _flag("recent_infection", "Recent infection",
          "Have you recently had an infection, such as a urine infection?",
          "An infection can sometimes spread to the spine."),
    _flag("significant_trauma", "Fall or accident", "Did the pain start after a bad fall or "
          "an accident?", "A fall or accident can break a bone in the spine."),
    _flag("osteoporosis_or_long_term_steroids", "Thin bones or long-term steroid tablets",
          "Do you have thin bones (osteoporosis), or have you taken steroid tablets for months?",
          "Thin bones can break more easily."),
    _flag("thoracic_pain", "Pain in the upper or middle back",
          "Is the pain in your upper or middle back (between the shoulder blades)?",
          "Pain higher up the back is checked more carefully."),
    _flag("constant_progressive_non_mechanical_pain", "Constant pain getting worse",
          "Is the pain there all the time, getting worse, and not eased by rest or changing "
          "position?", "Pain like this should be checked by a doctor soon."),
)
# fmt: on
_BY_ID = {q.id: q for q in QUESTIONS}


def emergency_alert(question: Question, value: Value) -> str:
    """The emergency message for a "yes" to a red flag whose condition is an emergency, else ''."""
    if value is not True or question.field is None or question.field[0] != "red_flags":
        return ""
    data = red_flags.catalogue()
    condition = data.conditions[data.items[question.id].suspected]
    if condition.urgency != "emergency":
        return ""
    return f"{EMERGENCY_ALERT.upper()} {condition.action}"


_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([a-z]*)\s*$")
_SMALL = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER_WORDS: dict[str, float] = {
    **{w: float(i) for i, w in enumerate(_SMALL)},
    **{w: float(20 + 10 * i) for i, w in enumerate(_TENS)},
    "a": 1.0,
    "an": 1.0,
    "half": 0.5,
}
_UNITS = {
    "months": {"": 1.0, "m": 1.0, "mo": 1.0, "month": 1.0, "months": 1.0,
               "y": 12.0, "yr": 12.0, "yrs": 12.0, "year": 12.0, "years": 12.0,
               "w": 12 / 52, "week": 12 / 52, "weeks": 12 / 52},
    "minutes": {"": 1.0, "m": 1.0, "min": 1.0, "mins": 1.0, "minute": 1.0, "minutes": 1.0,
                "h": 60.0, "hr": 60.0, "hrs": 60.0, "hour": 60.0, "hours": 60.0},
}  # fmt: skip


def _words_as_digits(typed: str) -> str:
    """``typed`` with a leading number in words as digits: "three years" → "3 years".

    Understood: zero to nineteen, the tens, their sums ("twenty-five", "twenty five"), "a" / "an"
    (one) and "half a" / "half an" (0.5). Anything else is returned unchanged.
    """
    words = typed.replace("-", " ").split()
    total, used = 0.0, 0
    while used < len(words) and words[used] in _NUMBER_WORDS:
        word = words[used]
        if word == "half":
            if used or used + 1 == len(words) or words[used + 1] not in ("a", "an"):
                return typed
            total, used = 0.5, used + 2
            break
        if word in ("a", "an") and used:
            return typed
        if used and not (words[used - 1] in _TENS and _NUMBER_WORDS[word] < 10):
            return typed
        total += _NUMBER_WORDS[word]
        used += 1
    if not used or (words[0] in ("a", "an") and used == len(words)):
        return typed
    return f"{total:g} " + " ".join(words[used:])


def parse_answer(question: Question, text: str, answers: Answers) -> Answer | str:
    """The answer ``text`` gives, or a friendly message saying what is allowed."""
    typed = text.strip().lower().replace("’", "'")
    if typed in DONT_KNOW:
        if question.allow_unknown:
            return Answer(None, "Don't know")
        return f"This one is needed for the check. Please type {question.hint()}."
    if not question.is_number:
        for c in question.choices:
            if typed in (c.key, c.label, *c.aliases):
                return Answer(c.value, c.label[0].upper() + c.label[1:])
        return f"Sorry, that is not one of the answers. Please type {question.hint()}."
    match = _NUMBER.match(typed) or _NUMBER.match(_words_as_digits(typed))
    factor = _UNITS.get(question.unit, {"": 1.0}).get(match.group(2)) if match else None
    if match is None or factor is None:
        return f"Sorry, I could not read that as a number. Please type {question.hint()}."
    number = float(match.group(1).replace(",", ".")) * factor
    if question.integer and not number.is_integer():
        return f"Please use whole years: {question.hint()}."
    if not question.minimum <= number <= question.maximum:
        return f"{number:g} is outside what is allowed. Please type {question.hint()}."
    if question.check is not None:
        problem = question.check(number, answers)
        if problem:
            return problem
    value: int | float = int(number) if question.integer or number.is_integer() else number
    shown = f"{value:g} {question.unit}".strip() if question.unit else f"{value:g}"
    if question.unit == "months" and factor != 1.0:
        shown = f"{text.strip()} ({value:g} months)"
    return Answer(value, shown)


def build_case(answers: Answers, questions: tuple[Question, ...] = QUESTIONS) -> dict[str, Any]:
    """The triage case (``triage-contract.md``) the answers make; unknown answers are ``None``."""
    case: dict[str, Any] = {}
    for q in questions:
        if q.field is None:
            continue
        if q.id in answers:
            value = answers[q.id].value
        elif not q.applies(answers):
            value = q.skipped_value(answers)
        else:
            continue
        target = case
        for part in q.field[:-1]:
            target = target.setdefault(part, {})
        target[q.field[-1]] = value
    return case


@dataclass
class Session:
    """One run through the questionnaire (mutable: answers accumulate as they are typed)."""

    questions: tuple[Question, ...] = QUESTIONS
    answers: dict[str, Answer] = field(default_factory=dict)
    stopped: str = ""
    """Advice when the session ended early (no back pain); the case is then not assessed."""
    alerts: list[str] = field(default_factory=list)
    _history: list[str] = field(default_factory=list)

    def _pending(self) -> list[Question]:
        return [q for q in self.questions if q.id not in self.answers and q.applies(self.answers)]

    @property
    def current(self) -> Question | None:
        """The question to ask now, or ``None`` when the session is over."""
        if self.stopped:
            return None
        pending = self._pending()
        return pending[0] if pending else None

    @property
    def finished(self) -> bool:
        return self.current is None

    def progress(self) -> tuple[int, int]:
        """(number of the current question in the questionnaire, how many questions there are).

        The total is fixed; a follow-up that does not apply keeps its number, so the numbers jump
        over it and the last question is always "N of N".
        """
        current = self.current
        total = len(self.questions)
        return (total if current is None else self.questions.index(current) + 1), total

    def skipped(self) -> tuple[Question, ...]:
        """The questions before the current one that were not asked because they do not apply."""
        current = self.current
        end = len(self.questions) if current is None else self.questions.index(current)
        return tuple(q for q in self.questions[:end] if q.id not in self.answers)

    def submit(self, text: str) -> Reply:
        """Answer the current question with what was typed."""
        question = self.current
        typed = text.strip().lower()
        if question is None:
            return Reply("finished")
        if typed in QUIT:
            return Reply("quit")
        if typed in BACK:
            if self._history:
                self.answers.pop(self._history.pop())
                return Reply("back")
            return Reply("invalid", "This is the first question; there is nothing to go back to.")
        parsed = parse_answer(question, text, self.answers)
        if isinstance(parsed, str):
            return Reply("invalid", parsed)
        self.answers[question.id] = parsed
        self._history.append(question.id)
        alert = emergency_alert(question, parsed.value)
        if alert:
            self.alerts.append(alert)
        if question.id == "has_back_pain" and parsed.value is False:
            self.stopped = NO_BACK_PAIN_ADVICE
            return Reply("stopped", NO_BACK_PAIN_ADVICE)
        return Reply("finished" if self.finished else "accepted", alert=alert)

    def case(self) -> dict[str, Any]:
        """The triage case the answers so far make."""
        return build_case(self.answers, self.questions)

    def rows(self) -> list[tuple[str, str, str]]:
        """(section, short label, answer in words) for every answer, in question order."""
        return [
            (q.section, q.label, self.answers[q.id].text)
            for q in self.questions
            if q.id in self.answers
        ]


def question(qid: str) -> Question:
    """The question with this id (``KeyError`` if there is none)."""
    return _BY_ID[qid]
