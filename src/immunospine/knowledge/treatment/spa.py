"""Axial spondyloarthritis (ASAS-EULAR 2022), and IBD-related SpA treated as axSpA with the IBD
steer (monoclonal TNF antibody, not etanercept; IL-17 inhibitors not preferred; ACR 2019).

Order of the options: non-drug first, then NSAIDs and painkillers, steroids and csDMARDs, then
the b/tsDMARD step: its start (rec 9 gate), the response at 12 weeks, re-evaluation and switching
(recs 11-12), tapering in remission (rec 13) and the drug class steered by uveitis, IBD or
psoriasis (rec 10).
"""

from __future__ import annotations

from immunospine.knowledge._logic import Outcome, all_of
from immunospine.knowledge._types import Verdict
from immunospine.knowledge.treatment._answer import Builder, OptionVerdict, TreatmentOptions
from immunospine.knowledge.treatment._rules import (
    ASDAS_HIGH,
    ASDAS_IMPORTANT_FALL,
    ASDAS_INACTIVE,
    advanced_now,
    asdas_high,
    failed_before,
    fell_by,
    nsaids_failed,
    objective_inflammation,
    weeks_until,
)
from immunospine.knowledge.treatment.state import ADVANCED, CurrentTherapy, TreatmentState

__all__ = ["axspa_options"]

ACR = "acr_spartan_2019"
TARGET = (
    f"ASDAS below {ASDAS_INACTIVE:g} (inactive disease), or below {ASDAS_HIGH:g} (low activity) "
    "as the alternative (ASAS-EULAR 2022 #3; treat-to-target 2017)"
)
ALL_CLASSES = ("tnf_inhibitor", "il17_inhibitor", "jak_inhibitor")
BLOCKING = ("serious_infection", "latent_tuberculosis")
NOTED = {
    "pregnancy": "pregnancy: the choice of drug changes; discuss before anything starts",
    "cancer_history": "a past cancer: discuss with the rheumatologist before a b/tsDMARD",
    "heart_failure": "heart failure: TNF inhibitors are avoided (ACR 2019: IL-17i preferred)",
    "demyelinating_disease": "demyelinating disease: TNF inhibitors are avoided (ACR 2019)",
    "jak_risk_factors": "JAK risk factors (EMA 2023): a JAK inhibitor only if nothing else suits",
}


def axspa_options(state: TreatmentState) -> TreatmentOptions:
    """The axSpA pathway (or IBD-related SpA when ``state.diagnosis == "ibd_spa"``)."""
    ibd_spa = state.diagnosis == "ibd_spa"
    b = Builder(state.diagnosis, "asas_eular_2022")
    if ibd_spa:
        b.who_suffix = ", together with the gastroenterologist"
    ibd = True if ibd_spa else state.has("extra_musculoskeletal", "ibd")
    b.add("education_exercise")
    b.add("physiotherapy")
    _nsaids(state, b, ibd)
    _steroids_and_csdmards(state, b)
    _advanced(state, b, ibd)
    return b.result(TARGET, default_weeks=12)


def _nsaids(state: TreatmentState, b: Builder, ibd: bool | None) -> None:
    failed = nsaids_failed(state)
    if state.has("contraindications", "nsaid_contraindicated"):
        b.add("analgesic", because=failed.because)
        return
    if ibd:
        b.add("nsaid_ibd", source=ACR, because=("inflammatory bowel disease",))
    else:
        because = ["pain and stiffness: the first drug"]
        if state.contraindications is None:
            because.append("reasons against NSAIDs (stomach, heart, kidneys) were not given")
        b.add("nsaid", because=because)
    if failed.verdict is Verdict.NOT_MET:
        b.reassess.append(4)
    b.gate(
        "analgesic",
        failed,
        when="if pain remains after two NSAIDs over 4 weeks, or NSAIDs cannot be used",
    )


def _steroids_and_csdmards(state: TreatmentState, b: Builder) -> None:
    b.add("systemic_glucocorticoid", because=("long-term steroid tablets for spinal disease",))
    peripheral = state.peripheral_arthritis
    if peripheral is None:
        b.add("csdmard_axial", because=("if the disease is purely axial",))
        for step_id in ("local_glucocorticoid", "sulfasalazine_peripheral"):
            b.add(step_id, verdict="indeterminate", missing=("peripheral_arthritis",))
    elif peripheral:
        b.add("local_glucocorticoid", because=("peripheral arthritis",))
        b.add("sulfasalazine_peripheral", because=("peripheral arthritis",))
    else:
        b.add("csdmard_axial", because=("no peripheral arthritis: purely axial disease",))


def _safety(state: TreatmentState) -> tuple[Outcome, tuple[str, ...]]:
    """Blocking safety flags (an outcome) and the notes to discuss (never blocking)."""
    notes: list[str] = []
    if state.contraindications is None:
        notes.append(
            "before any b/tsDMARD: screening for infections (tuberculosis, hepatitis B and C) "
            "and a talk about infection risk (EULAR 2022 infection screening)"
        )
        return Outcome(Verdict.MET), tuple(notes)
    blocking = [c for c in BLOCKING if c in state.contraindications]
    notes.extend(NOTED[c] for c in NOTED if c in state.contraindications)
    if blocking:
        reason = f"{' and '.join(blocking).replace('_', ' ')} to be treated first"
        return Outcome(Verdict.NOT_MET, (reason,)), tuple(notes)
    return Outcome(Verdict.MET), tuple(notes)


def _advanced(state: TreatmentState, b: Builder, ibd: bool | None) -> None:
    now = advanced_now(state)
    if now:
        for index, therapy in now:
            _response(state, b, ibd, index, therapy)
        return
    failed = failed_before(state, ADVANCED)
    if failed:
        b.add("reevaluate", because=("a b/tsDMARD stopped for failure before",))
        active = asdas_high(state)
        verdict = b.gate(
            "switch", active, when=f"if the disease is active again (ASDAS ≥ {ASDAS_HIGH:g})"
        )
        _steer(state, b, ibd, verdict)
        return
    _start(state, b, ibd, unknown_history=now is None or failed is None)


def _start(state: TreatmentState, b: Builder, ibd: bool | None, *, unknown_history: bool) -> None:
    safety, notes = _safety(state)
    gate = all_of(asdas_high(state), nsaids_failed(state), objective_inflammation(state), safety)
    if gate.verdict is Verdict.MET and unknown_history:
        missing = tuple(
            n for n, v in (("current", state.current), ("past", state.past)) if v is None
        )
        gate = Outcome(Verdict.INDETERMINATE, gate.because, missing)
    verdict = b.gate(
        "b_tsdmard",
        gate,
        when=(
            f"with ASDAS ≥ {ASDAS_HIGH:g} despite two NSAIDs over 4 weeks, and raised CRP or "
            "sacroiliitis on MRI or X-ray: criteria not met now, to discuss with the "
            "rheumatologist"
        ),
        because=(
            *notes,
            "two NSAIDs count as failed after 4 weeks in total (ASAS-EULAR 2022 #9; not checked)",
        ),
        drug_classes=_classes(state, ibd),
    )
    if verdict is not None:
        b.reassess.append(12)
    _steer(state, b, ibd, verdict)


def _response(
    state: TreatmentState, b: Builder, ibd: bool | None, index: int, therapy: CurrentTherapy
) -> None:
    name = f"current[{index}]"
    weeks = therapy.weeks
    if weeks is None:
        b.add("response_12_weeks", verdict="indeterminate", missing=(f"{name}.weeks",))
        return
    if weeks < 12:
        b.reassess.append(weeks_until(weeks))
        b.change(
            "response_12_weeks",
            f"at week 12 of the {therapy.drug_class} (in {weeks_until(weeks)} weeks): go on if "
            f"the ASDAS has fallen by {ASDAS_IMPORTANT_FALL:g} or more, otherwise re-evaluate "
            "(#11) and consider a switch (#12)",
        )
        return
    missing = [
        n
        for n, v in ((f"{name}.score_at_start", therapy.score_at_start), ("asdas", state.asdas))
        if v is None
    ]
    if therapy.score_at_start is None or state.asdas is None:
        b.add("response_12_weeks", verdict="indeterminate", missing=missing)
        return
    fall = round(therapy.score_at_start - state.asdas, 6)
    trace = f"ASDAS {therapy.score_at_start:g} → {state.asdas:g} after {weeks:g} weeks"
    if fell_by(therapy.score_at_start, state.asdas, ASDAS_IMPORTANT_FALL):
        b.add(
            "response_12_weeks",
            because=(f"{trace}: a fall of {fall:g} (≥ {ASDAS_IMPORTANT_FALL:g})",),
        )
        if state.asdas < ASDAS_INACTIVE:
            b.add(
                "taper",
                because=(
                    f"ASDAS {state.asdas:g} < {ASDAS_INACTIVE:g}: inactive disease, if lasting",
                ),
                drug_classes=(therapy.drug_class,),
            )
        else:
            b.change("taper", f"when the ASDAS stays below {ASDAS_INACTIVE:g} (inactive disease)")
        return
    because = (f"{trace}: a fall of {fall:g} (< {ASDAS_IMPORTANT_FALL:g})",)
    b.add("reevaluate", because=because)
    verdict = b.add("switch", because=because, drug_classes=_classes(state, ibd))
    b.reassess.append(12)
    _steer(state, b, ibd, verdict)


def _classes(state: TreatmentState, ibd: bool | None) -> tuple[str, ...]:
    """The b/tsDMARD classes to discuss: without IL-17 inhibitors when IBD is present."""
    return tuple(c for c in ALL_CLASSES if not (ibd and c == "il17_inhibitor"))


def _steer(
    state: TreatmentState, b: Builder, ibd: bool | None, verdict: OptionVerdict | None
) -> None:
    """Rec 10: the drug class by uveitis, IBD or psoriasis, for a b/tsDMARD being discussed."""
    if verdict is None:
        return
    uveitis = state.has("extra_musculoskeletal", "uveitis")
    psoriasis = state.has("extra_musculoskeletal", "psoriasis")
    if uveitis or ibd:
        which = " and ".join(w for w, on in (("uveitis", uveitis), ("IBD", ibd)) if on)
        b.add(
            "tnf_monoclonal",
            verdict=verdict,
            because=(f"{which}: a monoclonal antibody is preferred",),
        )
        b.add("etanercept_uveitis_ibd", source=ACR, because=(which,))
        if ibd:
            b.add("il17_ibd", source=ACR, because=("inflammatory bowel disease",))
        return
    if state.extra_musculoskeletal is None:
        b.add(
            "tnf_monoclonal",
            verdict="indeterminate",
            missing=("extra_musculoskeletal",),
            because=("the choice of class depends on uveitis, IBD or psoriasis (not given)",),
        )
        return
    if psoriasis:
        b.add("il17_psoriasis", verdict=verdict, because=("significant psoriasis",))
