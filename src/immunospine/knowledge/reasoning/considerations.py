"""Considerations beyond axSpA: other conditions worth discussing, each with why it was raised.

The case is first turned into **clues** (``case_clues``; the vocabulary is
``autoimmune.CLUES`` plus ``known:<disease key>`` for each of ``known_conditions``). Two kinds of
consideration follow, each naming the clues that raised it, the mechanisms by which it reaches the
back and the knowledge-base entries behind it.

**Rules** (hand-written, each raised by the answers named):

* ``psoriatic_spondyloarthritis`` — psoriasis is present;
* ``ibd_related_spondyloarthritis`` — Crohn's disease or ulcerative colitis is present;
* ``rheumatoid_arthritis_cervical_spine`` — arthritis in other joints (rheumatoid arthritis affects
  the neck, not the lower back); neck pain is named when given;
* ``fibromyalgia`` — the ``fibromyalgia_acr_2016`` criteria are met, or widespread pain is reported;
* ``polymyalgia_rheumatica`` — age ≥ 50 with morning stiffness > 45 minutes (two items of the 2012
  EULAR/ACR provisional criteria, Dasgupta 2012);
* ``immune_mediated_nerve_or_spinal_cord_disease`` — worsening weakness or numbness, or new bladder
  or bowel problems; the diseases named are those of the base that reach the back through the
  nerves or spinal cord, ranked by how many of their clues the case has (at most ``MAX_NAMED``);
* ``steroid_or_disease_related_bone_fracture`` — osteoporosis or long-term steroid tablets; the
  diseases named are the person's known conditions treated with steroids or thinning the bones
  (mechanism ``treatment_related``), else the base's usual examples;
* ``mechanical_back_pain`` — no red flag, and either the pain has lasted < 3 months or the IBP
  finding is false with no other SpA finding present (always listed last).

**The whole base**: every other disease of the knowledge base is raised when

1. the case has at least ``MIN_FINDING_CLUES`` (2) of its clues that are findings — sex and age
   never count towards the two, they only rank — so one answer alone never raises a disease,
   while a known diagnosis plus one finding does;
2. at least one of them lies beyond the features of spondyloarthritis and inflammatory arthritis
   (``SPA_FEATURES``: the pattern of the pain, stiffness, a raised CRP, psoriasis, IBD, uveitis,
   enthesitis, dactylitis, other joints, family history), which the axSpA model and the rules
   above already weigh — e.g. numbness, bladder problems, weight loss, fever, steroid use,
   thoracic pain, widespread pain or a known diagnosis;
3. the person's age does not contradict the disease's: a disease listing only ``age_50_or_over``
   is not raised under 45, one listing only ``age_under_45`` not at 50 or over.

Left out: the spondyloarthritis group (the axSpA model and the psoriasis and IBD rules assess
it) and diseases already named by a rule above.

**Order and length**: red-flag considerations first (the disease is marked ``red_flag`` in the
base, or one of its matched clues is a red flag the triage raised), then by the number of matched
findings, then by how often the disease involves the back, the rules before the base on a tie.
At most ``MAX_CONSIDERATIONS`` (5) are listed, then ``mechanical_back_pain`` when it applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from immunospine.knowledge._types import Verdict
from immunospine.knowledge.reasoning.autoimmune import KNOWN, Disease, diseases, resolve
from immunospine.knowledge.reasoning.case import TriageCase
from immunospine.knowledge.reasoning.features import CHRONIC_MONTHS
from immunospine.knowledge.reasoning.red_flags import RedFlag
from immunospine.knowledge.registry import calculate

__all__ = [
    "CONDITIONS",
    "MAX_CONSIDERATIONS",
    "MIN_FINDING_CLUES",
    "Consideration",
    "case_clues",
    "consider",
]

PMR_AGE = 50
PMR_STIFFNESS_ABOVE_MINUTES = 45
YOUNG_BELOW_AGE = 45
MAX_CONSIDERATIONS = 5
MIN_FINDING_CLUES = 2
MAX_NAMED = 5
DEMOGRAPHIC = frozenset({"female", "male", "age_under_45", "age_50_or_over"})
LEFT_TO_OTHER_RULES = frozenset({"spondyloarthritis"})
SPA_FEATURES = frozenset(
    {
        "inflammatory_back_pain",
        "long_morning_stiffness",
        "night_pain",
        "buttock_pain",
        "neck_pain",
        "raised_inflammatory_markers",
        "psoriasis",
        "ibd",
        "uveitis",
        "enthesitis",
        "dactylitis",
        "peripheral_arthritis",
        "family_history",
    }
)
AGE_CLUES = ("age_under_45", "age_50_or_over")
INVOLVEMENT_RANK = {"typical": 3, "possible": 2, "rare": 1, "not_typical": 0}

CONDITIONS: tuple[str, ...] = (
    "psoriatic_spondyloarthritis",
    "ibd_related_spondyloarthritis",
    "rheumatoid_arthritis_cervical_spine",
    "fibromyalgia",
    "polymyalgia_rheumatica",
    "immune_mediated_nerve_or_spinal_cord_disease",
    "steroid_or_disease_related_bone_fracture",
    "mechanical_back_pain",
)
"""The ids of the hand-written rules; the base adds disease keys (``autoimmune.diseases()``)."""

RED_FLAG_CLUES: Mapping[str, str] = {
    "saddle_anaesthesia": "saddle_anaesthesia",
    "bladder_or_bowel_dysfunction": "bladder_or_bowel",
    "progressive_neurological_deficit": "numbness_or_weakness",
    "unexplained_weight_loss": "weight_loss",
    "fever_or_systemically_unwell": "fever_or_unwell",
    "immunosuppression": "immunosuppression",
    "recent_infection": "recent_infection",
    "osteoporosis_or_long_term_steroids": "long_term_steroids",
    "thoracic_pain": "thoracic_pain",
}
"""The triage's red-flag items and the clue each one is."""

CLUE_MECHANISMS: Mapping[str, tuple[str, ...]] = {
    "inflammatory_back_pain": ("spinal_inflammation",),
    "buttock_pain": ("spinal_inflammation",),
    "enthesitis": ("spinal_inflammation",),
    "dactylitis": ("spinal_inflammation",),
    "psoriasis": ("spinal_inflammation",),
    "ibd": ("spinal_inflammation",),
    "uveitis": ("spinal_inflammation",),
    "long_morning_stiffness": ("spinal_inflammation", "muscle_or_soft_tissue"),
    "neck_pain": ("spinal_inflammation", "muscle_or_soft_tissue"),
    "numbness_or_weakness": ("nerve_or_spinal_cord", "muscle_or_soft_tissue"),
    "bladder_or_bowel": ("nerve_or_spinal_cord",),
    "saddle_anaesthesia": ("nerve_or_spinal_cord",),
    "long_term_steroids": ("treatment_related",),
    "widespread_pain": ("widespread_pain",),
    "weight_loss": ("referred_pain",),
    "fever_or_unwell": ("referred_pain",),
    "raised_inflammatory_markers": ("referred_pain", "muscle_or_soft_tissue"),
    "thoracic_pain": ("referred_pain", "treatment_related", "nerve_or_spinal_cord"),
}
"""Which mechanisms a matched clue points to (a disease's others are not named in the reason)."""

FINDING_CLUES: Mapping[str, tuple[str, str]] = {
    "inflammatory_back_pain": (
        "inflammatory_back_pain",
        "back pain with the pattern of inflammation",
    ),
    "enthesitis_heel": ("enthesitis", "heel or tendon pain (enthesitis)"),
    "peripheral_arthritis": ("peripheral_arthritis", "swollen joints elsewhere"),
    "dactylitis": ("dactylitis", "a swollen finger or toe (dactylitis)"),
    "anterior_uveitis": ("uveitis", "eye inflammation (uveitis)"),
    "family_history": ("family_history", "a family history of spondyloarthritis"),
    "psoriasis": ("psoriasis", "psoriasis"),
    "ibd": ("ibd", "Crohn's disease or ulcerative colitis"),
    "elevated_crp_or_esr": ("raised_inflammatory_markers", "a raised CRP or ESR"),
}
RED_FLAG_WORDS: Mapping[str, str] = {
    "saddle_anaesthesia": "numbness around the seat area",
    "bladder_or_bowel": "bladder or bowel problems",
    "weight_loss": "unexplained weight loss",
    "fever_or_unwell": "fever or feeling unwell",
    "immunosuppression": "a weakened immune system",
    "recent_infection": "a recent infection",
    "long_term_steroids": "thin bones or long-term steroid tablets",
    "thoracic_pain": "pain in the upper (thoracic) back",
}


@dataclass(frozen=True, slots=True)
class Consideration:
    """A condition worth discussing, why it was raised and where to read more.

    ``clues`` are the clues of the case that raised it, ``mechanisms`` how it reaches the back,
    ``red_flag`` whether it is listed first as urgent (see the module's ordering rule).
    """

    condition: str
    why: str
    knowledge_base: tuple[str, ...] = ()
    calculators: tuple[str, ...] = ()
    name: str = ""
    mechanisms: tuple[str, ...] = ()
    clues: tuple[str, ...] = ()
    red_flag: bool = False

    @property
    def verified(self) -> bool:
        """True unless a knowledge-base entry behind it cites a source nobody read (issue 14)."""
        base = diseases()
        return all(base[k].verified for k in self.knowledge_base)

    def to_dict(self) -> dict[str, Any]:
        return {
            "condition": self.condition,
            "name": self.name,
            "why": self.why,
            "mechanisms": list(self.mechanisms),
            "clues": list(self.clues),
            "red_flag": self.red_flag,
            "knowledge_base": list(self.knowledge_base),
            "calculators": list(self.calculators),
            "verified": self.verified,
        }


def case_clues(case: TriageCase, findings: Mapping[str, bool | None]) -> dict[str, str]:
    """The clues the case gives, each with its plain words (``known:<key>`` for a diagnosis)."""
    bp, rf = case.back_pain, case.red_flags
    out: dict[str, str] = {}
    if case.sex in ("female", "male"):
        out[case.sex] = f"{case.sex} sex"
    if case.age < YOUNG_BELOW_AGE:
        out["age_under_45"] = f"age {case.age} (under 45)"
    if case.age >= PMR_AGE:
        out["age_50_or_over"] = f"age {case.age} (50 or over)"
    for finding, (clue, words) in FINDING_CLUES.items():
        if findings.get(finding) is True:
            out[clue] = words
    stiffness = bp.morning_stiffness_minutes
    if stiffness is not None and stiffness > PMR_STIFFNESS_ABOVE_MINUTES:
        out["long_morning_stiffness"] = f"morning stiffness of {stiffness:g} minutes"
    if bp.neck_pain is True:
        out["neck_pain"] = "neck pain"
    if bp.buttock_pain is True or bp.alternating_buttock_pain is True:
        out["buttock_pain"] = "buttock pain"
    if bp.night_pain is True:
        out["night_pain"] = "pain at night"
    if case.numbness_or_tingling is True or rf.progressive_neurological_deficit is True:
        out["numbness_or_weakness"] = "numbness, tingling or weakness"
    for item, clue in RED_FLAG_CLUES.items():
        if getattr(rf, item) is True and clue in RED_FLAG_WORDS:
            out[clue] = RED_FLAG_WORDS[clue]
    if case.widespread_pain is True:
        out["widespread_pain"] = "pain in many parts of the body"
    for name in case.known_conditions or ():
        key = resolve(name)
        if key is not None:
            out[KNOWN + key] = f"a diagnosis of {_plain(diseases()[key].name)}"
    return out


@dataclass(frozen=True, slots=True)
class _Match:
    key: str
    entry: Disease
    clues: tuple[str, ...]

    @property
    def findings(self) -> int:
        return sum(c not in DEMOGRAPHIC for c in self.clues)

    @property
    def rank(self) -> tuple[int, int, int]:
        return (self.findings, INVOLVEMENT_RANK[self.entry.back_involvement], len(self.clues))


@cache
def _by_clue() -> dict[str, tuple[str, ...]]:
    """Each clue of the base and the diseases listing it (so a case touches only candidates)."""
    out: dict[str, list[str]] = {}
    for key, entry in diseases().items():
        for clue in entry.clues:
            out.setdefault(clue, []).append(key)
    return {clue: tuple(keys) for clue, keys in out.items()}


def _candidates(clues: Mapping[str, str], mechanism: str | None = None) -> dict[str, Disease]:
    """The diseases listing at least one of the case's clues (and reaching the back by
    ``mechanism`` when given)."""
    everything = diseases()
    keys = sorted({k for clue in clues for k in _by_clue().get(clue, ())})
    return {
        k: everything[k] for k in keys if mechanism is None or mechanism in everything[k].mechanisms
    }


def _matches(clues: Mapping[str, str], entries: Mapping[str, Disease]) -> list[_Match]:
    """Each entry with the case's clues it lists, best first (ties by key)."""
    found = [_Match(k, d, tuple(c for c in d.clues if c in clues)) for k, d in entries.items()]
    return sorted(found, key=lambda m: (tuple(-r for r in m.rank), m.key))


def _plain(name: str) -> str:
    """A name inside a sentence: ``Systemic lupus`` → ``systemic lupus`` (``IgG4`` stays)."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def _calculators(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for k in keys for c in diseases()[k].calculators))


def _rule(
    condition: str,
    name: str,
    reason: str,
    keys: tuple[str, ...],
    mechanism: str,
    clues: tuple[str, ...],
    how: bool = True,
) -> Consideration:
    text = f"{reason} {diseases()[keys[0]].how_it_reaches_the_back}" if how else reason
    return Consideration(
        condition, text, keys, _calculators(keys), name, (mechanism,), clues, False
    )


def _fibromyalgia(case: TriageCase) -> Consideration | None:
    verdict = None
    if case.fibromyalgia is not None:
        verdict = calculate("fibromyalgia_acr_2016", **case.fibromyalgia.model_dump()).verdict
    if verdict is Verdict.MET:
        reason = (
            "Your answers meet the 2016 fibromyalgia criteria (widespread pain with tiredness)."
        )
    elif case.widespread_pain is True:
        reason = "You report pain in many parts of the body."
    else:
        return None
    return _rule(
        "fibromyalgia",
        "Fibromyalgia",
        reason,
        ("fibromyalgia_with_autoimmune_disease",),
        "widespread_pain",
        ("widespread_pain",),
    )


NERVE_EXAMPLES = (
    "acute_transverse_myelitis",
    "multiple_sclerosis",
    "neuromyelitis_optica_spectrum_disorder",
    "guillain_barre_syndrome",
    "chronic_inflammatory_demyelinating_polyneuropathy",
)
BONE_EXAMPLES = (
    "systemic_lupus_erythematosus",
    "polymyalgia_rheumatica",
    "idiopathic_inflammatory_myopathy",
    "coeliac_disease",
)


def _named(
    clues: Mapping[str, str], mechanism: str, fallback: tuple[str, ...], *, known_only: bool
) -> tuple[str, ...]:
    """The base's diseases reaching the back by ``mechanism`` that the case's clues point to."""
    if known_only:
        entries = diseases(mechanism=mechanism)
        known = {k: d for k, d in entries.items() if KNOWN + k in clues}
        keys = [m.key for m in _matches(clues, known)]
    else:
        ranked = _matches(clues, _candidates(clues, mechanism))
        keys = [m.key for m in ranked if m.findings >= 1]
    return tuple(keys[:MAX_NAMED]) or fallback


def _rules(
    case: TriageCase, findings: Mapping[str, bool | None], clues: Mapping[str, str]
) -> list[Consideration]:
    bp, rf = case.back_pain, case.red_flags
    out: list[Consideration] = []
    if findings.get("psoriasis") is True:
        out.append(
            _rule(
                "psoriatic_spondyloarthritis",
                "Psoriatic spondyloarthritis",
                "You have psoriasis, which can come with inflammation of the spine and joints.",
                ("psoriatic_arthritis",),
                "spinal_inflammation",
                ("psoriasis",),
            )
        )
    if findings.get("ibd") is True:
        out.append(
            _rule(
                "ibd_related_spondyloarthritis",
                "Spondyloarthritis with bowel inflammation",
                "You have Crohn's disease or ulcerative colitis, which can come with "
                "inflammation of the spine and joints.",
                ("ibd_related_spondyloarthritis",),
                "spinal_inflammation",
                ("ibd",),
            )
        )
    if findings.get("peripheral_arthritis") is True:
        neck = " together with neck pain" if bp.neck_pain is True else ""
        out.append(
            _rule(
                "rheumatoid_arthritis_cervical_spine",
                "Rheumatoid arthritis of the neck",
                f"You have had swollen joints elsewhere{neck}; rheumatoid arthritis is the "
                "commonest cause of that and can affect the neck.",
                ("rheumatoid_arthritis",),
                "spinal_inflammation",
                tuple(c for c in ("peripheral_arthritis", "neck_pain") if c in clues),
            )
        )
    fibro = _fibromyalgia(case)
    if fibro is not None:
        out.append(fibro)
    stiffness = bp.morning_stiffness_minutes
    if case.age >= PMR_AGE and stiffness is not None and stiffness > PMR_STIFFNESS_ABOVE_MINUTES:
        out.append(
            _rule(
                "polymyalgia_rheumatica",
                "Polymyalgia rheumatica",
                f"You are {case.age} and stiff for {stiffness:g} minutes in the morning.",
                ("polymyalgia_rheumatica", "giant_cell_arteritis"),
                "muscle_or_soft_tissue",
                ("age_50_or_over", "long_morning_stiffness"),
            )
        )
    if rf.progressive_neurological_deficit is True or rf.bladder_or_bowel_dysfunction is True:
        keys = _named(clues, "nerve_or_spinal_cord", NERVE_EXAMPLES, known_only=False)
        names = ", ".join(diseases()[k].name for k in keys)
        out.append(
            _rule(
                "immune_mediated_nerve_or_spinal_cord_disease",
                "Immune diseases of the nerves or spinal cord",
                "You report worsening weakness or numbness, or bladder or bowel problems. Once "
                "emergency causes are ruled out, immune diseases of the nerves or spinal cord are "
                f"among the causes to think about; with your answers: {names}.",
                keys,
                "nerve_or_spinal_cord",
                tuple(
                    c
                    for c in ("numbness_or_weakness", "bladder_or_bowel", "saddle_anaesthesia")
                    if c in clues
                ),
                how=False,
            )
        )
    if rf.osteoporosis_or_long_term_steroids is True:
        keys = _named(clues, "treatment_related", BONE_EXAMPLES, known_only=True)
        known = [_plain(diseases()[k].name) for k in keys if KNOWN + k in clues]
        because = f"You have {' and '.join(known)} and" if known else "You"
        thoracic = (
            " Pain in the upper (thoracic) back makes a break there more likely."
            if "thoracic_pain" in clues
            else ""
        )
        out.append(
            _rule(
                "steroid_or_disease_related_bone_fracture",
                "A small break in a spinal bone (vertebral fracture)",
                f"{because} have thin bones or take steroid tablets for a long time; a small "
                f"break in a spinal bone can cause sudden back pain.{thoracic}",
                keys,
                "treatment_related",
                tuple(c for c in ("long_term_steroids", "thoracic_pain") if c in clues)
                + tuple(KNOWN + k for k in keys if KNOWN + k in clues),
                how=False,
            )
        )
    return out


def _wrong_age(entry: Disease, clues: Mapping[str, str]) -> bool:
    """True when the disease lists one age clue only and the person is in the other band."""
    young, old = (a in entry.clues for a in AGE_CLUES)
    return (old and not young and "age_under_45" in clues) or (
        young and not old and "age_50_or_over" in clues
    )


def _from_base(clues: Mapping[str, str], taken: set[str]) -> list[tuple[_Match, Consideration]]:
    """Every other disease of the base that the case's clues point to (see the module rule)."""
    entries = {
        k: d
        for k, d in _candidates(clues).items()
        if d.group not in LEFT_TO_OTHER_RULES and k not in taken
    }
    out = []
    for match in _matches(clues, entries):
        beyond = [c for c in match.clues if c not in DEMOGRAPHIC and c not in SPA_FEATURES]
        if match.findings < MIN_FINDING_CLUES or not beyond or _wrong_age(match.entry, clues):
            continue
        d = match.entry
        pointed = {m for c in match.clues for m in CLUE_MECHANISMS.get(c, ())}
        mechanisms = tuple(m for m in d.mechanisms if m in pointed) or tuple(d.mechanisms)
        words = "; ".join(clues[c] for c in match.clues)
        why = f"Your answers ({words}) fit {d.name}. {d.how_it_reaches_the_back}"
        item = Consideration(
            match.key,
            why,
            (match.key,),
            tuple(d.calculators),
            d.name,
            mechanisms,
            match.clues,
            d.red_flag,
        )
        out.append((match, item))
    return out


def _mechanical(
    case: TriageCase, findings: Mapping[str, bool | None], red_flags: tuple[RedFlag, ...]
) -> Consideration | None:
    bp = case.back_pain
    acute = bp.duration_months is not None and bp.duration_months < CHRONIC_MONTHS
    others = [k for k, v in findings.items() if k != "inflammatory_back_pain" and v is True]
    mechanical = findings.get("inflammatory_back_pain") is False and not others
    if red_flags or not (acute or mechanical):
        return None
    why = (
        "The pain began less than 3 months ago; most new back pain comes from muscles, "
        "joints and discs and settles within weeks."
        if acute
        else "Your back pain does not have the pattern of inflammation and no other sign of "
        "spondyloarthritis is recorded; most back pain comes from muscles, joints and discs."
    )
    return Consideration("mechanical_back_pain", why, name="Mechanical back pain")


def consider(
    case: TriageCase, findings: Mapping[str, bool | None], red_flags: tuple[RedFlag, ...]
) -> tuple[Consideration, ...]:
    """The considerations the case raises: red-flag ones first, at most ``MAX_CONSIDERATIONS``
    (then ``mechanical_back_pain``); see the module docstring for the rules.
    """
    clues = case_clues(case, findings)
    fired = {RED_FLAG_CLUES[f.item] for f in red_flags if f.item in RED_FLAG_CLUES}
    rules = _rules(case, findings, clues)
    taken = {k for c in rules for k in c.knowledge_base}
    ranked: list[tuple[tuple[int, int, int], Consideration]] = []
    for i, item in enumerate(rules):
        findings_n = sum(c not in DEMOGRAPHIC for c in item.clues)
        ranked.append(((findings_n, 9, -i), item))
    for match, item in _from_base(clues, taken):
        ranked.append(((match.findings, match.rank[1], 0), item))
    out = []
    for rank, item in ranked:
        urgent = item.red_flag or bool(fired & set(item.clues))
        out.append((not urgent, tuple(-r for r in rank), replace(item, red_flag=urgent)))
    listed = [item for *_, item in sorted(out, key=lambda t: (t[0], t[1]))][:MAX_CONSIDERATIONS]
    mechanical = _mechanical(case, findings, red_flags)
    return tuple(listed + ([mechanical] if mechanical is not None else []))
