"""Psoriatic arthritis (EULAR 2023, with GRAPPA 2021's domain approach): short NSAIDs and local
injections, no steroid tablets; peripheral arthritis → methotrexate first, then a bDMARD (skin
psoriasis favours IL-17/IL-23 inhibitors); axial disease → as axSpA, skipping csDMARDs;
uveitis or IBD → a monoclonal TNF antibody; JAK inhibitors mainly after a bDMARD.

No PsA activity score is in the state: swollen joints (``peripheral_arthritis``) still present
after 12 weeks of a csDMARD count as "target not reached".
"""

from __future__ import annotations

from immunospine.knowledge._logic import all_of, any_of, item
from immunospine.knowledge._types import Verdict
from immunospine.knowledge.treatment._answer import Builder, TreatmentOptions
from immunospine.knowledge.treatment._rules import (
    advanced_now,
    asdas_high,
    failed_before,
    nsaids_failed,
    weeks_until,
)
from immunospine.knowledge.treatment.state import ADVANCED, FAILED, TreatmentState

__all__ = ["psa_options"]

TARGET = "remission, or low disease activity as the alternative (EULAR PsA 2023 #1)"


def psa_options(state: TreatmentState) -> TreatmentOptions:
    """The PsA pathway."""
    b = Builder("psa", "eular_psa_2023")
    b.add("treat_to_target")
    b.add("nsaid_short", because=("mild disease, short term",))
    b.add("oral_glucocorticoid", because=("steroid tablets",))
    _peripheral(state, b)
    _axial(state, b)
    _after_failure(state, b)
    _steer(state, b)
    return b.result(TARGET, default_weeks=12)


def _peripheral(state: TreatmentState, b: Builder) -> None:
    arthritis = state.peripheral_arthritis
    if arthritis is None:
        b.add("local_glucocorticoid", verdict="indeterminate", missing=("peripheral_arthritis",))
        b.add("csdmard_methotrexate", verdict="indeterminate", missing=("peripheral_arthritis",))
        return
    if not arthritis:
        return
    b.add("local_glucocorticoid", because=("peripheral arthritis",))
    if state.current is None or state.past is None:
        missing = tuple(
            n for n, v in (("current", state.current), ("past", state.past)) if v is None
        )
        b.add("csdmard_methotrexate", verdict="indeterminate", missing=missing)
        return
    cs_now = [(i, c) for i, c in enumerate(state.current) if c.drug_class == "csdmard"]
    cs_failed = any(p.drug_class == "csdmard" and p.stop_reason in FAILED for p in state.past)
    if advanced_now(state) or failed_before(state, ADVANCED):
        return  # beyond the csDMARD step: see _after_failure
    skin = (
        " (skin psoriasis: IL-17 or IL-23 inhibitor favoured)"
        if state.has("extra_musculoskeletal", "psoriasis")
        else ""
    )
    if cs_failed:
        b.add("bdmard", because=("a csDMARD failed before" + skin,))
        return
    if not cs_now:
        b.add("csdmard_methotrexate", because=("peripheral arthritis, no csDMARD yet",))
        b.change("bdmard", "if arthritis persists after 12 weeks of the csDMARD")
        return
    index, therapy = cs_now[0]
    if therapy.weeks is None:
        b.add("bdmard", verdict="indeterminate", missing=(f"current[{index}].weeks",))
    elif therapy.weeks < 12:
        b.reassess.append(weeks_until(therapy.weeks))
        b.change("bdmard", "if arthritis persists after 12 weeks of the csDMARD")
    else:
        b.add(
            "bdmard",
            because=(f"arthritis persists after {therapy.weeks:g} weeks of a csDMARD" + skin,),
        )


def _axial(state: TreatmentState, b: Builder) -> None:
    axial = any_of(
        item("mri_active_sacroiliitis", state.mri_active_sacroiliitis, label="sacroiliitis on MRI"),
        item(
            "radiographic_sacroiliitis",
            state.radiographic_sacroiliitis,
            label="sacroiliitis on X-ray",
        ),
    )
    if axial.verdict is Verdict.NOT_MET:
        return
    gate = all_of(axial, asdas_high(state), nsaids_failed(state))
    b.gate(
        "axial_bdmard",
        gate,
        when="with active axial disease (ASDAS ≥ 2.1) despite two NSAIDs over 4 weeks",
    )


def _after_failure(state: TreatmentState, b: Builder) -> None:
    if failed_before(state, ADVANCED):
        b.add("switch", because=("a b/tsDMARD stopped for failure before",))
        jak = ["a bDMARD failed"]
        if state.has("contraindications", "jak_risk_factors"):
            jak.append("JAK risk factors: only if no suitable alternative (EMA 2023)")
        b.add("jak_after_bdmard", because=jak)
    else:
        b.change("switch", "if a b/tsDMARD fails")


def _steer(state: TreatmentState, b: Builder) -> None:
    uveitis = state.has("extra_musculoskeletal", "uveitis")
    ibd = state.has("extra_musculoskeletal", "ibd")
    if uveitis or ibd:
        which = " and ".join(w for w, on in (("uveitis", uveitis), ("IBD", ibd)) if on)
        b.add("tnf_monoclonal", because=(f"{which}: if a biological is used",))
        if ibd:
            b.add("il17_ibd", source="acr_spartan_2019", because=("inflammatory bowel disease",))
    elif state.extra_musculoskeletal is None:
        b.add("tnf_monoclonal", verdict="indeterminate", missing=("extra_musculoskeletal",))
