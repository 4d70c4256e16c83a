"""The triage case (``triage-contract.md``): one person's answers, validated strictly.

Every field is optional except ``age`` (an integer 0–120). Unknown answers are ``null`` or absent
and are never guessed; unknown fields are errors. Beyond the contract's fields the case accepts a
few optional extras (the contract allows adding fields, never renaming):

* ``back_pain.buttock_pain`` — any buttock pain (NICE NG65; alternating buttock pain implies it);
* ``back_pain.neck_pain`` — pain or stiffness in the neck (raises the rheumatoid-neck concern);
* ``radiographic_sacroiliitis`` — definite sacroiliitis on an X-ray of the sacroiliac joints;
* ``widespread_pain`` — pain in many body regions (raises the fibromyalgia consideration);
* ``fibromyalgia`` — the inputs of the ``fibromyalgia_acr_2016`` calculator, scored by it;
* ``numbness_or_tingling`` — numbness or tingling (not necessarily worsening; the red flag
  ``progressive_neurological_deficit`` is the worsening kind);
* ``known_conditions`` — diagnoses the person already has, each a key, name or alias of the
  autoimmune knowledge base (``immunospine knowledge diseases``); an unknown one is an error
  naming the nearest diseases. Both feed the considerations (``considerations.case_clues``).

Answers that contradict each other are errors naming every field involved: age at onset above the
current age; alternating buttock pain without buttock pain; back pain lasting longer than the
person has lived since its onset (``duration_months / 12 > age − age_at_onset + 1``; the one year
of slack absorbs ages given in whole years) or, with no onset given, longer than their life.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError

from immunospine.errors import FieldProblem, InputError, json_kind
from immunospine.knowledge._inputs import ClinicalInputs, Finding
from immunospine.knowledge.criteria.fibromyalgia_acr_2016 import FibromyalgiaInputs
from immunospine.knowledge.probability.axspa import DEFAULT_PRETEST_PROBABILITY, Findings
from immunospine.knowledge.reasoning.autoimmune import resolve, suggest

__all__ = ["BackPain", "RedFlagAnswers", "TriageCase", "parse_case"]

CONTEXT = "triage"
AGE_SLACK_YEARS = 1.0
"""Ages are whole years, so an onset age and a duration may disagree by up to one year."""


class BackPain(ClinicalInputs):
    """How the back pain began and behaves (the items of the IBP criteria and referral tools)."""

    duration_months: Annotated[
        float | None, Field(ge=0, le=1440, description="how long the back pain has lasted, months")
    ] = None
    age_at_onset: Annotated[
        float | None, Field(ge=0, le=120, description="age when the back pain began, years")
    ] = None
    insidious_onset: Finding = None
    morning_stiffness_minutes: Annotated[
        float | None,
        Field(ge=0, le=1440, description="usual morning stiffness of the back, minutes (0 = none)"),
    ] = None
    improves_with_exercise: Finding = None
    improves_with_rest: Finding = None
    night_pain: Finding = None
    wakes_second_half_of_night: Finding = None
    alternating_buttock_pain: Finding = None
    buttock_pain: Finding = None
    neck_pain: Finding = None


class RedFlagAnswers(ClinicalInputs):
    """The 13 red-flag answers of the triage contract, each true, false or null."""

    saddle_anaesthesia: Finding = None
    bladder_or_bowel_dysfunction: Finding = None
    progressive_neurological_deficit: Finding = None
    history_of_cancer: Finding = None
    unexplained_weight_loss: Finding = None
    fever_or_systemically_unwell: Finding = None
    intravenous_drug_use: Finding = None
    immunosuppression: Finding = None
    recent_infection: Finding = None
    significant_trauma: Finding = None
    osteoporosis_or_long_term_steroids: Finding = None
    thoracic_pain: Finding = None
    constant_progressive_non_mechanical_pain: Finding = None


class TriageCase(ClinicalInputs):
    """One person's answers. ``findings`` are the twelve keys of ``axspa_probability``."""

    age: Annotated[int, Field(ge=0, le=120, description="age in whole years, 0–120 (required)")]
    sex: Literal["female", "male", "other"] | None = None
    back_pain: BackPain = BackPain()
    findings: Findings = Findings()
    red_flags: RedFlagAnswers = RedFlagAnswers()
    pretest_probability: Annotated[
        float | None,
        Field(
            ge=0,
            le=1,
            description="probability of axSpA before the findings, 0–1 "
            "(null or absent: 0.05, chronic back pain in primary care)",
        ),
    ] = None
    radiographic_sacroiliitis: Finding = None
    widespread_pain: Finding = None
    fibromyalgia: FibromyalgiaInputs | None = None
    numbness_or_tingling: Finding = None
    known_conditions: Annotated[
        list[str] | None,
        Field(
            max_length=50,
            description="diagnoses the person already has: keys, names or aliases of the "
            'autoimmune knowledge base (e.g. "lupus", "multiple_sclerosis")',
        ),
    ] = None

    @property
    def pretest(self) -> float:
        """The pre-test probability in use (the default when none was given)."""
        if self.pretest_probability is None:
            return DEFAULT_PRETEST_PROBABILITY
        return self.pretest_probability


def parse_case(data: Any) -> TriageCase:
    """Validate a case; ``InputError`` names each bad or contradictory field."""
    if not isinstance(data, Mapping):
        raise InputError.single(
            (),
            f"the case must be a JSON object, not {json_kind(data)}",
            context=CONTEXT,
            has_value=False,
            code="not_an_object",
        )
    try:
        case = TriageCase.model_validate(dict(data))
    except ValidationError as exc:
        raise InputError.from_validation(exc, context=CONTEXT, model=TriageCase) from None
    problems = contradictions(case) + unknown_conditions(case)
    if problems:
        raise InputError.from_problems(problems, CONTEXT)
    return case


def unknown_conditions(case: TriageCase) -> list[FieldProblem]:
    """Each of ``known_conditions`` that names no disease of the base, with the nearest names."""
    return [
        FieldProblem(
            ("known_conditions", i),
            f"is not a disease of the knowledge base{suggest(name)}",
            "unknown_disease",
            name,
            True,
        )
        for i, name in enumerate(case.known_conditions or ())
        if resolve(name) is None
    ]


def contradictions(case: TriageCase) -> list[FieldProblem]:
    """Answers that cannot all be true; each problem names its own field and the other one."""
    bp = case.back_pain
    out: list[FieldProblem] = []

    def add(field: str, value: Any, msg: str) -> None:
        out.append(FieldProblem(("back_pain", field), msg, "contradiction", value, True))

    if bp.age_at_onset is not None and bp.age_at_onset > case.age:
        add(
            "age_at_onset",
            bp.age_at_onset,
            f"is above age = {case.age} (the pain cannot have begun after today)",
        )
    if bp.duration_months is not None:
        years = bp.duration_months / 12
        if bp.age_at_onset is not None and bp.age_at_onset <= case.age:
            lived = case.age - bp.age_at_onset
            if years > lived + AGE_SLACK_YEARS:
                add(
                    "duration_months",
                    bp.duration_months,
                    f"is {years:g} years, longer than the {lived:g} years since "
                    f"back_pain.age_at_onset = {bp.age_at_onset:g} at age = {case.age}",
                )
        elif bp.age_at_onset is None and years > case.age + AGE_SLACK_YEARS:
            add(
                "duration_months",
                bp.duration_months,
                f"is {years:g} years, longer than the person's life (age = {case.age})",
            )
    if bp.alternating_buttock_pain is True and bp.buttock_pain is False:
        add(
            "buttock_pain",
            False,
            "is false but back_pain.alternating_buttock_pain is true (alternating buttock pain "
            "is buttock pain)",
        )
    return out
