"""Patient-facing words of a triage, once: every face (terminal, HTML, PDF) takes them from here.

Verdict words, the names of the inflammatory-back-pain checklists and of the referral strategies,
how urgent in words, and each finding of the probability model said as present *or absent*
("No family history", never "Family history" for a "no"). The knowledge base keeps the clinical
wording it owns (``reasoning.explain``: tests, conditions, the next step); this module only picks
from it, so a word changes in one place.
"""

from __future__ import annotations

from collections.abc import Mapping

from immunospine.knowledge.reasoning import autoimmune, explain, red_flags
from immunospine.knowledge.reasoning.referral import strategy_info
from immunospine.knowledge.reasoning.urgency import NextStep

__all__ = [
    "CHECKLIST_NAMES",
    "DOES_NOT_APPLY",
    "EMERGENCY_ALERT",
    "FINDING_WORDS",
    "NOT_A_DIAGNOSIS",
    "STRATEGY_MINIMUM_AGE_YEARS",
    "URGENCY_WORDS",
    "URGENT_ALERT",
    "VERDICT_WORDS",
    "chance_words",
    "condition_name",
    "finding_words",
    "flag_label",
    "in_100",
    "next_test_words",
    "ratio_note",
    "strategy_name",
    "strategy_verdict_words",
    "urgency_text",
    "verdict_words",
]

NOT_A_DIAGNOSIS = "This supports a decision, it is not a diagnosis."
EMERGENCY_ALERT = "Seek emergency care now."
"""The first words of every emergency warning (the self-check says them in capitals at once)."""
URGENT_ALERT = "See a doctor urgently."

VERDICT_WORDS: Mapping[str, str] = {
    "met": "yes",
    "not_met": "no",
    "indeterminate": "not sure (answers missing)",
}
DOES_NOT_APPLY = "does not apply"

CHECKLIST_NAMES: Mapping[str, str] = {"calin": "Calin", "berlin": "Berlin", "asas": "ASAS"}
"""The inflammatory-back-pain checklists, in the order they are shown."""

STRATEGY_MINIMUM_AGE_YEARS: Mapping[str, int] = {"nice_ng65": 16}
"""Strategies written for a population by age: NICE NG65 is "Spondyloarthritis in over 16s"."""

URGENCY_WORDS: Mapping[str, str] = {
    "emergency": "Emergency: go to an emergency department now.",
    "urgent": "Urgent: see a doctor within the next few days.",
    "soon": "Soon: see a specialist within the next few weeks.",
    "routine": "Routine: arrange a normal appointment.",
    "self_care": "Self-care for now: see your GP if it is not better within 6 weeks.",
}
"""Fallback when the knowledge base has no sentence for the (urgency, whom to see) pair."""

FINDING_WORDS: Mapping[str, tuple[str, str, str]] = {
    "inflammatory_back_pain": (
        "Back pain pattern",
        "Back pain pattern typical of inflammation",
        "Back pain pattern not typical of inflammation",
    ),
    "enthesitis_heel": ("Heel pain", "Heel pain", "No heel pain"),
    "peripheral_arthritis": ("Swollen joints", "Swollen joints", "No swollen joints"),
    "dactylitis": (
        "Sausage-like finger or toe",
        "Sausage-like finger or toe",
        "No sausage-like finger or toe",
    ),
    "anterior_uveitis": ("Iritis or uveitis", "Iritis or uveitis", "No iritis or uveitis"),
    "psoriasis": ("Psoriasis", "Psoriasis", "No psoriasis"),
    "ibd": (
        "Crohn's disease or colitis",
        "Crohn's disease or colitis",
        "No Crohn's disease or colitis",
    ),
    "family_history": ("Family history", "Family history", "No family history"),
    "nsaid_response": (
        "Response to anti-inflammatories",
        "Much better with anti-inflammatories",
        "Not much better with anti-inflammatories",
    ),
    "elevated_crp_or_esr": (
        "Inflammation blood test (CRP or ESR)",
        "Raised inflammation blood test (CRP or ESR)",
        "Normal inflammation blood test (CRP or ESR)",
    ),
    "hla_b27": ("HLA-B27 blood test", "HLA-B27 blood test positive", "HLA-B27 blood test negative"),
    "mri_sacroiliitis": (
        "MRI of the sacroiliac joints",
        "Inflammation on MRI of the sacroiliac joints",
        "No inflammation on MRI of the sacroiliac joints",
    ),
}
"""Each finding of the probability model as (topic when unknown, present, absent)."""


def verdict_words(verdict: str) -> str:
    """``met`` → "yes", ``not_met`` → "no", ``indeterminate`` → "not sure (answers missing)"."""
    return VERDICT_WORDS.get(verdict, verdict.replace("_", " "))


def strategy_name(name: str) -> str:
    """The referral strategy's title from the knowledge base (``nice_ng65`` → "NICE NG65 …")."""
    info = strategy_info().get(name)
    return info.title if info is not None else name.replace("_", " ")


def strategy_verdict_words(name: str, verdict: str, age_years: int | None) -> str:
    """The strategy's verdict in words; "does not apply" when the person is outside its ages."""
    minimum = STRATEGY_MINIMUM_AGE_YEARS.get(name)
    if minimum is not None and age_years is not None and age_years < minimum:
        return f"{DOES_NOT_APPLY} (it is for people aged {minimum} and over)"
    return verdict_words(verdict)


def urgency_text(step: NextStep) -> str:
    """How urgent, in words: the knowledge base's sentence for (urgency, whom to see)."""
    text = explain.STEP_TEXT.get((step.urgency, step.see))
    return text or URGENCY_WORDS.get(step.urgency, step.urgency.replace("_", " "))


def finding_words(name: str, value: bool | None) -> str:
    """A finding said as present (``True``), absent (``False``) or as its topic (``None``)."""
    fallback = name.replace("_", " ").capitalize()
    topic, present, absent = FINDING_WORDS.get(name, (fallback, fallback, f"No {fallback.lower()}"))
    if value is None:
        return topic
    return present if value else absent


def flag_label(name: str) -> str:
    """The plain label of a red-flag answer (``red_flags.x`` or ``x``)."""
    key = name.removeprefix("red_flags.")
    item = red_flags.catalogue().items.get(key)
    if item is not None:
        return item.label
    if key == "back_pain.duration_months":
        return "how long the back pain has lasted"
    return key.replace("_", " ")


def next_test_words(name: str) -> str:
    """A test in plain words, capitalised (``hla_b27`` → "A blood test for the gene HLA-B27")."""
    words = explain.TEST_NAMES.get(name, name.replace("_", " "))
    return words[0].upper() + words[1:]


def condition_name(name: str) -> str:
    """A condition worth discussing, in plain words (a disease of the knowledge base by its
    name there)."""
    if name in explain.CONDITION_NAMES:
        return explain.CONDITION_NAMES[name]
    key = autoimmune.resolve(name)
    return autoimmune.disease(key).name if key is not None else name.replace("_", " ")


def chance_words(category: str) -> str:
    """The probability band in words (``probable`` → "high")."""
    return explain.CHANCE_WORDS.get(category, category)


def in_100(probability: float) -> str:
    """A probability as "N in 100" for a person (whole numbers)."""
    return f"{100 * probability:.0f} in 100"


def ratio_note(likelihood_ratio: float) -> str:
    """How much one answer multiplies the odds, e.g. "×0.72" or "×6.4"."""
    if likelihood_ratio < 1:
        return f"×{likelihood_ratio:.2g}"
    return f"×{likelihood_ratio:.1f}"
