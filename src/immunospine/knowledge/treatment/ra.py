"""Rheumatoid arthritis (EULAR 2022): start DMARDs at diagnosis with methotrexate, adjust when
there is no improvement by 3 months or the target is not reached by 6, then csDMARDs or a
bDMARD by prognostic factors, switching after a b/tsDMARD fails, tapering in lasting remission.

The target is judged on DAS28 (remission < 2.6, low ≤ 3.2) or, without it, CDAI (remission
≤ 2.8, low ≤ 10): the instruments' own bands.
"""

from __future__ import annotations

from immunospine.knowledge._logic import Outcome
from immunospine.knowledge._types import Verdict
from immunospine.knowledge.instruments import cdai_sdai, das28
from immunospine.knowledge.treatment._answer import Builder, TreatmentOptions
from immunospine.knowledge.treatment._rules import advanced_now, failed_before, weeks_until
from immunospine.knowledge.treatment.state import ADVANCED, FAILED, CurrentTherapy, TreatmentState

__all__ = ["ra_options"]

TARGET = (
    "sustained remission (DAS28 < 2.6, CDAI ≤ 2.8) or low disease activity (DAS28 ≤ 3.2, "
    "CDAI ≤ 10) (EULAR RA 2022 #2)"
)
_CS = frozenset({"csdmard"})


def _activity(state: TreatmentState) -> tuple[str | None, str]:
    """The activity state (remission, low, moderate, high) and its trace; None when unscored."""
    if state.das28 is not None:
        label = das28.STATES.classify(state.das28)
        return label, f"DAS28 {state.das28:g}: {label}"
    if state.cdai is not None:
        label = cdai_sdai.CDAI_STATES.classify(state.cdai)
        return label, f"CDAI {state.cdai:g}: {label}"
    return None, ""


def ra_options(state: TreatmentState) -> TreatmentOptions:
    """The RA pathway."""
    b = Builder("ra", "eular_ra_2022")
    b.add("treat_to_target")
    activity, trace = _activity(state)
    cs_now = (
        None
        if state.current is None
        else [(i, c) for i, c in enumerate(state.current) if c.drug_class == "csdmard"]
    )
    cs_before = None if state.past is None else any(p.drug_class == "csdmard" for p in state.past)
    advanced = advanced_now(state)
    if not cs_now and not cs_before and not advanced:
        _first_strategy(state, b, cs_now, cs_before)
        return b.result(TARGET, default_weeks=12)
    on_target = None if activity is None else activity in ("remission", "low")
    if on_target is None:
        b.add("adjust", verdict="indeterminate", missing=("das28", "cdai"))
    elif on_target:
        if advanced and activity == "remission":
            b.add("taper", because=(f"{trace} on a b/tsDMARD, if lasting",))
        else:
            b.change("taper", "in lasting remission (DAS28 < 2.6 or CDAI ≤ 2.8)")
    else:
        _off_target(state, b, trace, cs_now or [], bool(advanced))
    return b.result(TARGET, default_weeks=12)


def _first_strategy(
    state: TreatmentState, b: Builder, cs_now: object, cs_before: bool | None
) -> None:
    if cs_now is None or cs_before is None:
        missing = tuple(n for n, v in (("current", cs_now), ("past", cs_before)) if v is None)
        b.add("start_dmard", verdict="indeterminate", missing=missing)
        return
    b.add("start_dmard", because=("no DMARD taken yet",))
    if state.has("contraindications", "methotrexate_contraindicated"):
        b.add("leflunomide_or_sulfasalazine", because=("methotrexate cannot be used",))
    else:
        b.add("methotrexate_first", because=("first treatment strategy",))
    b.add("glucocorticoid_bridge", because=("a csDMARD is being started",))


def _off_target(
    state: TreatmentState,
    b: Builder,
    trace: str,
    cs_now: list[tuple[int, CurrentTherapy]],
    advanced: bool,
) -> None:
    therapies = [*(advanced_now(state) or ()), *cs_now]
    after = ""
    if therapies:
        index, therapy = therapies[0]
        if therapy.weeks is None:
            b.add("adjust", verdict="indeterminate", missing=(f"current[{index}].weeks",))
            return
        if therapy.weeks < 12:
            b.reassess.append(weeks_until(therapy.weeks))
            b.change("adjust", f"if there is no improvement by week 12 ({trace})")
            return
        after = f" after {therapy.weeks:g} weeks"
    b.add("adjust", because=(f"{trace}: target not reached{after}",))
    if advanced or failed_before(state, ADVANCED):
        b.add("switch", because=("target not reached on or after a b/tsDMARD",))
        return
    poor = _poor_prognosis(state)
    if poor.verdict is Verdict.MET:
        b.add("add_bdmard", because=poor.because)
        jak_because = ["poor prognostic factors"]
        if state.has("contraindications", "jak_risk_factors"):
            jak_because.append("JAK risk factors: only if no suitable alternative (EMA 2023)")
        b.add("jak_after_risk_review", because=jak_because)
    elif poor.verdict is Verdict.NOT_MET:
        b.add("other_csdmard", because=poor.because)
        b.change("add_bdmard", "with poor prognostic factors")
    else:
        for step_id in ("other_csdmard", "add_bdmard"):
            b.add(step_id, verdict="indeterminate", missing=poor.missing)


def _poor_prognosis(state: TreatmentState) -> Outcome:
    two_failed = state.past is not None and (
        sum(1 for p in state.past if p.drug_class == "csdmard" and p.stop_reason in FAILED) >= 2
    )
    if state.poor_prognostic_factors or two_failed:
        why = "two csDMARDs failed" if two_failed else "poor prognostic factors present"
        return Outcome(Verdict.MET, (why,))
    if state.poor_prognostic_factors is False:
        return Outcome(Verdict.NOT_MET, ("no poor prognostic factors",))
    return Outcome(Verdict.INDETERMINATE, (), ("poor_prognostic_factors",))
