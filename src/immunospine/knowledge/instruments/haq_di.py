"""HAQ-DI — Stanford Health Assessment Questionnaire Disability Index.

**Inputs** — one list per category, items in form order, each 0 = without any difficulty,
1 = with some difficulty, 2 = with much difficulty, 3 = unable to do, or null when not answered
(past week). A category may be left out entirely (the same as all of its items null). Item
order inside a category does not change the score (the category takes its highest item).

====================  =====================================
field                 items in the category
====================  =====================================
``dressing``          2 (dressing and grooming)
``arising``           2
``eating``            3
``walking``           2
``hygiene``           3
``reach``             2
``grip``              3
``activities``        3 (common daily activities)
====================  =====================================

``aids_or_help`` names the categories for which the patient uses an aid or device **or** help
from another person (the form's check boxes: e.g. a cane or walker → ``walking``, a raised toilet
seat → ``hygiene``, a jar opener → ``grip``). The form asks the patient to tick what they use,
so a category not named means "no aid or help" — that is the form's own design, not an
assumption. ``scoring`` selects ``with_aids`` (the standard HAQ-DI, default) or ``without_aids``.

**Scoring** (Fries 1980; Stanford scoring rules as given in the LOINC 75874-8 term text):
category score = highest answered item; with aids/help a category score of 0 or 1 is raised to 2
(2 and 3 unchanged; only answered categories); HAQ-DI = sum of category scores / number of
categories answered, range 0–3. At least 6 of the 8 categories must be answered; otherwise there
is no score (``score`` is null) and ``missing`` names the unanswered categories. ``missing``
always lists the unanswered categories.

**Interpretation**: 0–3, higher is more disability. The informal grouping 0–1 mild to moderate,
1–2 moderate to severe, 2–3 severe to very severe is not a validated cut-off system, so no
category is returned.

**References**: Fries 1980; Bruce & Fries 2003 (scoring conventions).

**Example**: category maxima 1, 2, 0, 1, 1, 0, 1, 2 with a cane (walking) → walking raised to 2
→ 9/8 = 1.125; without the aids rule 8/8 = 1.0.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference
from immunospine.knowledge._types import Result

FRIES_1980_HAQ = Reference(
    "Fries JF, Spitz P, Kraines RG, Holman HR. Measurement of patient outcome in arthritis. "
    "Arthritis Rheum 1980;23:137-45",
    doi="10.1002/art.1780230202",
    pmid="7362664",
)
BRUCE_FRIES_2003_HAQ = Reference(
    "Bruce B, Fries JF. The Stanford Health Assessment Questionnaire: a review of its history, "
    "issues, progress, and documentation. J Rheumatol 2003;30:167-78",
)

Category = Literal[
    "dressing", "arising", "eating", "walking", "hygiene", "reach", "grip", "activities"
]
ITEMS_PER_CATEGORY: dict[str, int] = {
    "dressing": 2,
    "arising": 2,
    "eating": 3,
    "walking": 2,
    "hygiene": 3,
    "reach": 2,
    "grip": 3,
    "activities": 3,
}
MINIMUM_CATEGORIES_ANSWERED = 6
AIDS_RAISE_TO = 2

Item = Annotated[int, Field(ge=0, le=3)] | None


def _category_field(name: str) -> Any:
    n = ITEMS_PER_CATEGORY[name]
    return Field(
        default=None,
        min_length=n,
        max_length=n,
        description=f"{name}: a list of {n} items, each 0–3 or null (not answered)",
    )


class HaqDiInputs(ClinicalInputs):
    dressing: list[Item] | None = _category_field("dressing")
    arising: list[Item] | None = _category_field("arising")
    eating: list[Item] | None = _category_field("eating")
    walking: list[Item] | None = _category_field("walking")
    hygiene: list[Item] | None = _category_field("hygiene")
    reach: list[Item] | None = _category_field("reach")
    grip: list[Item] | None = _category_field("grip")
    activities: list[Item] | None = _category_field("activities")
    aids_or_help: list[Category] = Field(
        default_factory=list,
        description="categories for which an aid or device or help from another person is used",
    )
    scoring: Literal["with_aids", "without_aids"] = "with_aids"


def category_scores(x: HaqDiInputs) -> dict[str, int | None]:
    """Each category's score (highest answered item, raised for aids/help), or None."""
    aided = set(x.aids_or_help) if x.scoring == "with_aids" else set()
    out: dict[str, int | None] = {}
    for name in ITEMS_PER_CATEGORY:
        answered = [v for v in getattr(x, name) or () if v is not None]
        if not answered:
            out[name] = None
            continue
        highest = max(answered)
        out[name] = max(highest, AIDS_RAISE_TO) if name in aided else highest
    return out


def score(x: HaqDiInputs) -> Result:
    scores = category_scores(x)
    answered = {k: v for k, v in scores.items() if v is not None}
    missing = tuple(k for k, v in scores.items() if v is None)
    components: dict[str, object] = {
        **scores,
        "categories_answered": len(answered),
        "scoring": x.scoring,
    }
    if len(answered) < MINIMUM_CATEGORIES_ANSWERED:
        return SPEC.result(
            score=None,
            components=components,
            missing=missing,
            interpretation=f"No HAQ-DI: only {len(answered)} of 8 categories answered; the "
            f"instrument needs at least {MINIMUM_CATEGORIES_ANSWERED}.",
        )
    return SPEC.result(
        score=sum(answered.values()) / len(answered), components=components, missing=missing
    )


SPEC = CalculatorSpec(
    name="haq_di",
    version="1980.1",
    title="Stanford Health Assessment Questionnaire Disability Index (HAQ-DI)",
    kind="instrument",
    inputs=HaqDiInputs,
    compute=score,
    references=(FRIES_1980_HAQ, BRUCE_FRIES_2003_HAQ),
    score_range=(0.0, 3.0),
    interpretation="0–3, higher is more disability. Informally 0–1 mild to moderate, 1–2 "
    "moderate to severe, 2–3 severe to very severe (not a validated cut-off system).",
    notes="Seen in issue 14: the Bruce & Fries 2003 citation (title, authors, J Rheumatol "
    "2003;30:167-78) on the paper's first page; its DOI/PMID were not shown, so only the "
    "citation text is given. The assignment of aids to categories (none for activities, so "
    "only help from another person raises that category to 2) as listed in the HAQ-DI scoring "
    "instructions of the CLINHAQ sheet (abbeyscientific.org copy).",
    options={"scoring": "'with_aids' (standard HAQ-DI; default) or 'without_aids'"},
)
