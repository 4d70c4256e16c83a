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

**Shape of the query** (what makes it fast; the results do not depend on it). Each table is read
once. A condition row gets one small integer code, the OR of the bits of every concept set its
concept is in (one ``CASE`` per row instead of one ``IN`` list per flag); per person, one ``GROUP
BY`` takes ``BOOL_OR`` of each bit and the min/max back-pain date. :func:`back_pain` (one row per
person in ``person`` with a back-pain code) feeds both the counts and the worklist; the runner
materialises it once. ``drug_exposure``, ``measurement``, ``observation`` and
``procedure_occurrence`` are semi-joined to the screened persons *before* they are aggregated, so
only their rows are grouped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from immunospine.cohort import concepts as cs
from immunospine.cohort.params import ScreenConcepts, ScreenParams
from immunospine.knowledge.probability.axspa import FINDINGS

if TYPE_CHECKING:
    import ibis.expr.types as ir

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

#: Bits of the per-row condition code in :func:`back_pain` (sets may overlap: OR of the bits).
BACK_PAIN_BIT, CHRONIC_CODED_BIT, DIAGNOSED_BIT = 1, 2, 4
CONDITION_BITS = {finding: 8 << i for i, finding in enumerate(CONDITION_FINDINGS)}


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


def _has(flags: ir.IntegerValue, bit: int) -> ir.BooleanValue:
    return (flags & bit) != 0


def _concept_code(col: ir.IntegerColumn, bits: dict[int, frozenset[int]]) -> ir.IntegerValue:
    """Per row: the OR of ``bit`` over every ``bits`` set that holds the row's concept (else 0).

    Computed in Python, so each concept id appears once in one ``CASE`` (sets may overlap).
    """
    import ibis

    code: dict[int, int] = {}
    for bit, ids in bits.items():
        for i in ids:
            code[i] = code.get(i, 0) | bit
    by_code: dict[int, list[int]] = {}
    for i, value in sorted(code.items()):
        by_code.setdefault(value, []).append(i)
    if not by_code:
        return ibis.literal(0, type="int32")
    return ibis.cases(
        *((col.isin(ids), ibis.literal(value, type="int32")) for value, ids in by_code.items()),
        else_=ibis.literal(0, type="int32"),
    )


def back_pain(tables: dict[str, ir.Table], c: ScreenConcepts, p: ScreenParams) -> ir.Table:
    """One row per person in ``person`` with a back-pain code (one pass over conditions).

    Columns: ``person_id``, ``first_back_pain_date``, ``age_at_onset``, ``chronic``,
    ``diagnosed`` and one boolean per condition finding (``CONDITION_FINDINGS``).
    """
    import ibis

    co = tables["condition_occurrence"]
    wanted = c.back_pain | c.axspa_diagnosis
    for name in CONDITION_FINDINGS.values():
        wanted |= getattr(c, name)
    bits = {
        BACK_PAIN_BIT: c.back_pain,
        CHRONIC_CODED_BIT: c.chronic_back_pain_coded & wanted,
        DIAGNOSED_BIT: c.axspa_diagnosis,
    }
    for finding, concept_field in CONDITION_FINDINGS.items():
        bits[CONDITION_BITS[finding]] = getattr(c, concept_field)
    co = co.filter(_isin(co.condition_concept_id, wanted))
    co = co.select(
        "person_id",
        date=co.condition_start_date,
        code=_concept_code(co.condition_concept_id, bits),
    )
    is_bp = _has(co.code, BACK_PAIN_BIT)
    agg: dict[str, Any] = {
        "first_back_pain_date": co.date.min(where=is_bp),
        "last_back_pain_date": co.date.max(where=is_bp),
        "coded_chronic": _has(co.code, CHRONIC_CODED_BIT).any(),
        "diagnosed": _has(co.code, DIAGNOSED_BIT).any(),
    }
    for finding, bit in CONDITION_BITS.items():
        agg[finding] = _has(co.code, bit).any()
    per_person = co.group_by("person_id").aggregate(**agg)
    per_person = per_person.filter(per_person.first_back_pain_date.notnull())
    person = tables["person"]
    joined = per_person.join(person, per_person.person_id == person.person_id)
    first = joined.first_back_pain_date
    chronic = joined.coded_chronic | (
        joined.last_back_pain_date >= first + ibis.interval(days=p.chronic_min_days)
    )
    cols: dict[str, Any] = {
        "person_id": per_person.person_id,
        "first_back_pain_date": first,
        "age_at_onset": (first.year() - person.year_of_birth).cast("int32"),
        "chronic": chronic,
        "diagnosed": joined.diagnosed,
    }
    for finding in CONDITION_FINDINGS:
        cols[finding] = joined[finding]
    return joined.select(**cols)


def counts(bp: ir.Table) -> ir.Table:
    """One row from :func:`back_pain`: persons with a code, chronic, and diagnosed among them."""
    return bp.aggregate(
        back_pain=bp.count(),
        chronic_back_pain=bp.chronic.sum(),
        diagnosed=(bp.chronic & bp.diagnosed).sum(),
    )


def _measurement_features(m: ir.Table, c: ScreenConcepts) -> ir.Table:
    """Per person: acute-phase reactant raised/judged, HLA-B27 and SIJ-MRI positive/negative."""
    import ibis

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


def features(
    tables: dict[str, ir.Table], c: ScreenConcepts, p: ScreenParams, bp: ir.Table
) -> ir.Table:
    """One row per undiagnosed person with chronic back pain; every LR finding as a column.

    ``bp`` is :func:`back_pain` over the same tables (or its materialised copy).
    """
    import ibis

    pop = bp.filter(bp.chronic & ~bp.diagnosed)
    ids = pop.select("person_id")

    m = tables["measurement"]
    m = m.filter(_isin(m.measurement_concept_id, c.crp | c.esr | c.hla_b27 | c.sij_imaging))
    meas = _measurement_features(m.semi_join(ids, "person_id"), c)
    d = tables["drug_exposure"]
    d = d.filter(_isin(d.drug_concept_id, c.nsaids)).semi_join(ids, "person_id")
    drugs = d.group_by("person_id").aggregate(n_nsaid=d.drug_exposure_start_date.nunique())
    o = tables["observation"]
    o = o.filter(_isin(o.observation_concept_id, c.family_history)).semi_join(ids, "person_id")
    # ``notnull() &`` keeps ``neg`` a column when no negative answer resolved (``_isin`` of an
    # empty set is the scalar False, which cannot be aggregated)
    neg = (
        o.value_as_concept_id.notnull() & _isin(o.value_as_concept_id, c.negative_result)
    ).fill_null(False)
    obs = o.group_by("person_id").aggregate(fh_positive=(~neg).any(), fh_negative=neg.any())
    pr = tables["procedure_occurrence"]
    pr = pr.filter(_isin(pr.procedure_concept_id, c.sij_imaging)).semi_join(ids, "person_id")
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
    for finding in CONDITION_FINDINGS:
        derived[finding] = _three_valued(j[finding], None)
    cols: dict[str, Any] = {"person_id": j.person_id}
    for name in FINDINGS:
        cols[name] = derived.get(name, ibis.null("boolean"))
    cols["first_back_pain_date"] = j.first_back_pain_date
    cols["age_at_onset"] = j.age_at_onset
    cols["nsaid_exposures"] = n_nsaid
    cols["sij_imaging"] = _three_valued(j.n_sij.fill_null(0) > 0, None)
    return j.select(**cols)
