"""Per-person features for axSpA case-finding, as Ibis expressions over OMOP CDM 5.4 tables.

**Population.** Persons in ``person`` with a code of the ``chronic_back_pain`` concept set that is
chronic: either a concept that says so itself ("Chronic low back pain"), or back-pain records at
least ``chronic_min_days`` (90) apart. Persons with any ``axspa_diagnosis`` code are *diagnosed*:
counted, then excluded from the worklist (they need follow-up, not case-finding). Records are
read over the whole history; there is no index-date window.

**Three-valued features** (``True`` present, ``False`` absent, NULL unknown), as the LR model
(``knowledge.probability.axspa``) takes them:

* ``anterior_uveitis``, ``psoriasis``, ``ibd``, ``enthesitis_heel``, ``dactylitis``: a diagnosis
  code makes them present. EHR data cannot show that a disease is absent (no code may mean never
  asked), so they are never ``False``; the LR model ignores a negative for all of them anyway.
* ``hla_b27``: positive per ``concepts.HLA_B27_RULE`` (a positive answer concept, or a number
  > 0); negative when a result is a negative answer concept or the number 0 and none is positive;
  unknown when never tested or only indeterminate results exist.
* ``elevated_crp_or_esr``: raised per ``concepts.CRP_RULE``/``ESR_RULE`` (above ``range_high``,
  else above 5 mg/L or 20 mm/h after unit conversion) in any result; ``False`` when at least one
  result could be judged and none was raised; unknown when none could be judged (no value, or an
  unknown unit and no ``range_high``).
* ``nsaid_response``: a **proxy**. The EHR does not record response; at least
  ``nsaid_min_exposures`` (2) NSAID exposures on distinct start dates suggest the drug helped enough
  to be repeated. Fewer is *unknown*, never ``False`` (one course, or over-the-counter use, says
  nothing about response). ``nsaid_exposures`` keeps the count.
* ``family_history``: a family-history observation is present unless its ``value_as_concept_id``
  is a negative answer; recorded negative is ``False``; no observation is unknown.
* ``mri_sacroiliitis``: only from a recorded result (a ``measurement`` row with an SI-joint imaging
  concept and a positive or negative answer). ``sij_imaging`` (a procedure was done: present or
  unknown) is reported but does not enter the LR model: a procedure has no result.
* ``inflammatory_back_pain``, ``peripheral_arthritis``: no concept set yet, always unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from immunospine.cohort import concepts as cs
from immunospine.knowledge.probability.axspa import FINDINGS

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from immunospine.cohort.plan import ScreenConcepts, ScreenParams

#: Feature columns that are not LR findings, in output order.
EXTRA_COLUMNS = ("first_back_pain_date", "age_at_onset", "nsaid_exposures", "sij_imaging")

#: Condition-coded findings (present or unknown) → the ``ScreenConcepts`` field that codes them.
CONDITION_FINDINGS = {
    "anterior_uveitis": "uveitis",
    "psoriasis": "psoriasis",
    "ibd": "ibd",
    "enthesitis_heel": "enthesitis",
    "dactylitis": "dactylitis",
}


def _isin(col: ir.Column, ids: frozenset[int]) -> ir.BooleanValue:
    import ibis

    return col.isin(sorted(ids)) if ids else ibis.literal(False)


def _three_valued(present: ir.BooleanValue, absent: ir.BooleanValue | None) -> ir.BooleanValue:
    """``True`` if present, ``False`` if (only) absent, NULL otherwise."""
    import ibis

    branches = [(present.fill_null(False), True)]
    if absent is not None:
        branches.append((absent.fill_null(False), False))
    return ibis.cases(*branches, else_=ibis.null("boolean"))


def _back_pain(tables: dict[str, ir.Table], c: ScreenConcepts, p: ScreenParams) -> ir.Table:
    """Per person with any back-pain code: first/last date, chronic flag, condition findings."""
    import ibis

    co = tables["condition_occurrence"]
    wanted = c.back_pain | c.axspa_diagnosis
    for name in CONDITION_FINDINGS.values():
        wanted |= getattr(c, name)
    co = co.filter(_isin(co.condition_concept_id, wanted))
    is_bp = _isin(co.condition_concept_id, c.back_pain)
    agg: dict[str, Any] = {
        "first_back_pain_date": co.condition_start_date.min(where=is_bp),
        "last_back_pain_date": co.condition_start_date.max(where=is_bp),
        "coded_chronic": _isin(co.condition_concept_id, c.chronic_back_pain_coded).any(),
        "diagnosed": _isin(co.condition_concept_id, c.axspa_diagnosis).any(),
    }
    for finding, concept_field in CONDITION_FINDINGS.items():
        agg[finding] = _isin(co.condition_concept_id, getattr(c, concept_field)).any()
    per_person = co.group_by("person_id").aggregate(**agg)
    per_person = per_person.filter(per_person.first_back_pain_date.notnull())
    chronic = per_person.coded_chronic.fill_null(False) | (
        per_person.last_back_pain_date
        >= per_person.first_back_pain_date + ibis.interval(days=p.chronic_min_days)
    )
    return per_person.mutate(chronic=chronic)


def counts(tables: dict[str, ir.Table], c: ScreenConcepts, p: ScreenParams) -> ir.Table:
    """One row: persons (in ``person``) with a back-pain code, chronic, and diagnosed among them."""
    bp = _back_pain(tables, c, p)
    person = tables["person"].select("person_id")
    bp = bp.semi_join(person, "person_id")
    chronic = bp.chronic
    return bp.aggregate(
        back_pain=bp.count(),
        chronic_back_pain=chronic.sum(),
        diagnosed=(chronic & bp.diagnosed.fill_null(False)).sum(),
    )


def population(tables: dict[str, ir.Table], c: ScreenConcepts, p: ScreenParams) -> ir.Table:
    """Persons with chronic back pain (diagnosed included), onset age and condition findings."""
    bp = _back_pain(tables, c, p)
    bp = bp.filter(bp.chronic)
    person = tables["person"]
    joined = bp.join(person, bp.person_id == person.person_id)
    cols: dict[str, Any] = {
        "person_id": bp.person_id,
        "diagnosed": bp.diagnosed.fill_null(False),
        "first_back_pain_date": bp.first_back_pain_date,
        "age_at_onset": (bp.first_back_pain_date.year() - person.year_of_birth).cast("int32"),
    }
    for finding in CONDITION_FINDINGS:
        cols[finding] = _three_valued(bp[finding], None)
    return joined.select(**cols)


def _measurement_features(tables: dict[str, ir.Table], c: ScreenConcepts) -> ir.Table:
    import ibis

    m = tables["measurement"]
    m = m.filter(_isin(m.measurement_concept_id, c.crp | c.esr | c.hla_b27 | c.sij_imaging))
    concept, number, answer = m.measurement_concept_id, m.value_as_number, m.value_as_concept_id

    def raised_and_judged(rule: cs.RaisedRule, ids: frozenset[int]) -> tuple[Any, Any]:
        factor = ibis.cases(
            *((m.unit_concept_id == uid, float(f)) for uid, f in sorted(rule.unit_factors.items())),
            else_=ibis.null("float64"),
        )
        by_range = number > m.range_high
        by_default = number * factor > rule.default_limit
        raised = ibis.ifelse(m.range_high.notnull(), by_range, by_default).fill_null(False)
        judged = number.notnull() & (m.range_high.notnull() | factor.notnull())
        return _isin(concept, ids) & raised, _isin(concept, ids) & judged

    crp_raised, crp_judged = raised_and_judged(cs.CRP_RULE, c.crp)
    esr_raised, esr_judged = raised_and_judged(cs.ESR_RULE, c.esr)
    positive = _isin(answer, c.positive_result).fill_null(False) | (number > 0).fill_null(False)
    negative = _isin(answer, c.negative_result).fill_null(False) | (number == 0).fill_null(False)
    is_hla, is_mri = _isin(concept, c.hla_b27), _isin(concept, c.sij_imaging)
    return m.group_by("person_id").aggregate(
        apr_raised=(crp_raised | esr_raised).any(),
        apr_judged=(crp_judged | esr_judged).any(),
        hla_positive=(is_hla & positive).any(),
        hla_negative=(is_hla & negative).any(),
        mri_positive=(is_mri & positive).any(),
        mri_negative=(is_mri & negative).any(),
    )


def features(tables: dict[str, ir.Table], c: ScreenConcepts, p: ScreenParams) -> ir.Table:
    """One row per undiagnosed person with chronic back pain; every LR finding as a column."""
    import ibis

    pop = population(tables, c, p)
    pop = pop.filter(~pop.diagnosed).drop("diagnosed")

    meas = _measurement_features(tables, c)
    d = tables["drug_exposure"]
    d = d.filter(_isin(d.drug_concept_id, c.nsaids))
    drugs = d.group_by("person_id").aggregate(n_nsaid=d.drug_exposure_start_date.nunique())
    o = tables["observation"]
    o = o.filter(_isin(o.observation_concept_id, c.family_history))
    neg = _isin(o.value_as_concept_id, c.negative_result).fill_null(False)
    obs = o.group_by("person_id").aggregate(fh_positive=(~neg).any(), fh_negative=neg.any())
    pr = tables["procedure_occurrence"]
    pr = pr.filter(_isin(pr.procedure_concept_id, c.sij_imaging))
    procs = pr.group_by("person_id").aggregate(n_sij=pr.count())

    meas = meas.rename(m_person_id="person_id")
    drugs = drugs.rename(d_person_id="person_id")
    obs = obs.rename(o_person_id="person_id")
    procs = procs.rename(p_person_id="person_id")
    j = (
        pop.left_join(meas, pop.person_id == meas.m_person_id)
        .left_join(drugs, pop.person_id == drugs.d_person_id)
        .left_join(obs, pop.person_id == obs.o_person_id)
        .left_join(procs, pop.person_id == procs.p_person_id)
    )
    n_nsaid = j.n_nsaid.fill_null(0).cast("int64")
    derived: dict[str, Any] = {
        "family_history": _three_valued(j.fh_positive, j.fh_negative),
        "nsaid_response": _three_valued(n_nsaid >= p.nsaid_min_exposures, None),
        "elevated_crp_or_esr": _three_valued(j.apr_raised, j.apr_judged),
        "hla_b27": _three_valued(j.hla_positive, j.hla_negative),
        "mri_sacroiliitis": _three_valued(j.mri_positive, j.mri_negative),
    }
    cols: dict[str, Any] = {"person_id": j.person_id}
    for name in FINDINGS:
        if name in CONDITION_FINDINGS:
            cols[name] = j[name]
        else:
            cols[name] = derived.get(name, ibis.null("boolean"))
    cols["first_back_pain_date"] = j.first_back_pain_date
    cols["age_at_onset"] = j.age_at_onset
    cols["nsaid_exposures"] = n_nsaid
    cols["sij_imaging"] = _three_valued(j.n_sij.fill_null(0) > 0, None)
    return j.select(**cols)
