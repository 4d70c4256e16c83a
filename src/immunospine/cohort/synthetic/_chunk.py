"""One chunk of the synthetic OMOP population (see :mod:`immunospine.cohort.synthetic.generator`).

Everything is array code: per-person draws are vectors, events are built with ``np.repeat`` over
per-person counts. Days are int64 days since 1970-01-01.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from immunospine.cohort.omop_schema import EHR_TYPE_CONCEPT
from immunospine.cohort.synthetic._tables import NA_DAY, Events, dates, event_table, table
from immunospine.cohort.synthetic.vocabulary import standard_id

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

_EPOCH = dt.date(1970, 1, 1)
STUDY_END = (dt.date(2024, 12, 31) - _EPOCH).days
OBS_FIRST = (dt.date(2005, 1, 1) - _EPOCH).days
YEAR = 365.25

MALE, FEMALE = 8507, 8532
WHITE, BLACK, ASIAN = 8527, 8516, 8515
OUTPATIENT, INPATIENT, ER = 9202, 9201, 9203
UNIT_MG_L, UNIT_MG_DL, UNIT_MM_H = 8751, 8840, 8752
B27_POS, B27_NEG = 45884084, 45878583

# Concept choices (id, weight); every id belongs to the named concept set (tested).
Choices = tuple[tuple[int, float], ...]
BACK_PAIN: Choices = ((194133, 0.45), (4132891, 0.35), (134736, 0.10), (4145006, 0.10))
AXSPA_CODES: Choices = (
    (437082, 0.55), (37017494, 0.20), (37205058, 0.10), (46273406, 0.05),
    (73562, 0.05), (37108617, 0.025), (37108618, 0.025),
)  # fmt: skip
UVEITIS: Choices = ((4132792, 0.4), (4028363, 0.3), (4274964, 0.15), (434926, 0.15))
IBD: Choices = ((201606, 0.45), (81893, 0.45), (4074815, 0.10))
# Codes without a known OMOP id get their synthetic-data-only id from the synthetic vocabulary
# (``vocabulary.standard_id``; an ICD-10-CM code gives the id of its 'Maps to' target).
ENTHESITIS: Choices = (
    (standard_id("ICD10CM", "M77.9"), 0.4),  # enthesopathy, via 'Maps to'
    (standard_id("SNOMED", "11654001"), 0.3),  # Achilles tendinitis
    (standard_id("SNOMED", "202882003"), 0.3),  # plantar fasciitis
)
FAMHX: Choices = ((standard_id("ICD10CM", "Z82.61"), 1.0),)  # family history of arthritis
NSAIDS: Choices = ((1115008, 0.35), (1177480, 0.35), (1124300, 0.15), (1118084, 0.15))
TNFI: Choices = ((1119119, 0.45), (1151789, 0.25), (937368, 0.15), (19041065, 0.1), (912263, 0.05))
IL17: Choices = ((45892883, 0.7), (35603563, 0.3))
HLA_B27: Choices = ((3033347, 0.7), (3036779, 0.3))
CRP, ESR = 3020460, 3013707
PSORIASIS, DACTYLITIS = 140168, standard_id("SNOMED", "413441004")
SIJ_MRI = standard_id("SNOMED", "1332288001")  # MRI of both SI joints without contrast
SIJ_XRAY = standard_id("SNOMED", "783627007")  # plain X-ray of the SI joint
GENERIC_MRI = 4013636

TRUTH_SCHEMA = pa.schema(
    [
        pa.field("person_id", pa.int64()),
        pa.field("has_axspa", pa.bool_()),
        pa.field("diagnosed", pa.bool_()),
        pa.field("diagnosis_date", pa.date32()),
        pa.field("symptom_onset_date", pa.date32()),
        pa.field("chronic_back_pain", pa.bool_()),
        pa.field("hla_b27_carrier", pa.bool_()),
    ]
)


def _pick(rng: np.random.Generator, choices: Choices, size: int) -> I64:
    ids = np.array([c for c, _ in choices], dtype=np.int64)
    w = np.array([p for _, p in choices])
    return ids[rng.choice(ids.size, size=size, p=w / w.sum())]


def _spread(rng: np.random.Generator, who: I64, counts: I64, lo: I64, hi: I64) -> tuple[I64, I64]:
    """``counts[i]`` events for person ``who[i]``, days uniform in [lo, hi] of that person."""
    rows = np.repeat(who, counts)
    low, high = lo[rows], np.maximum(hi[rows], lo[rows])
    day = low + np.floor(rng.random(rows.size) * (high - low + 1)).astype(np.int64)
    return rows, day


def _by_group(groups: Sequence[tuple[B, float]], n: int) -> F64:
    p = np.zeros(n)
    for mask, value in groups:
        p[mask] = value
    return p


def make_chunk(
    rng: np.random.Generator, p: Mapping[str, float], *, first_person_id: int, n: int
) -> dict[str, pa.Table]:
    """Persons ``first_person_id .. first_person_id + n - 1`` and all their rows (row ids unset)."""
    pid = first_person_id + np.arange(n, dtype=np.int64)

    def u() -> F64:
        return rng.random(n)

    # --- person and observation period
    race = _pick(
        rng,
        ((WHITE, p["race_white"]), (BLACK, p["race_black"]), (ASIAN, p["race_asian"]),
         (0, 1 - p["race_white"] - p["race_black"] - p["race_asian"])),
        n,
    )  # fmt: skip
    age_end = 18.0 + 72.0 * rng.beta(1.3, 1.6, n)
    birth = STUDY_END - np.floor(age_end * YEAR).astype(np.int64)
    adult = birth + np.floor(18 * YEAR).astype(np.int64)
    obs_start = np.maximum(
        OBS_FIRST + (u() * (STUDY_END - 730 - OBS_FIRST)).astype(np.int64), adult
    )
    leave = u() < p["obs_leaver_share"]
    obs_end = np.where(leave, STUDY_END - (u() * 5 * YEAR).astype(np.int64), STUDY_END)
    obs_end = np.maximum(obs_end, np.minimum(obs_start + 365, STUDY_END))
    obs_start = np.minimum(obs_start, obs_end)
    # --- latent disease state
    cbp = u() < p["cbp_prevalence"]
    axspa = cbp & (u() < p["axspa_in_cbp"])
    mech = cbp & ~axspa
    none = ~cbp
    male = np.where(axspa, u() < p["axspa_male_share"], u() < p["male_share"])
    onset_age = np.where(
        axspa,
        rng.normal(p["axspa_onset_age_mean"], p["axspa_onset_age_sd"], n),
        rng.normal(p["mech_onset_age_mean"], p["mech_onset_age_sd"], n),
    )
    onset_age = np.clip(np.minimum(onset_age, age_end - 0.3), 15.0, None)
    onset_all = birth + np.floor(onset_age * YEAR).astype(np.int64)
    onset = np.where(cbp, onset_all, NA_DAY)
    b27_base = np.select([race == WHITE, race == BLACK], [p["b27_white"], p["b27_black"]])
    b27_base = np.where(b27_base == 0, p["b27_other"], b27_base)
    carrier = u() < np.where(axspa, p["b27_axspa"], b27_base)
    # --- first back-pain code (recorded late), diagnosis after a delay, recorded late
    bp_lag = 90 + rng.exponential(p["bp_code_lag_years"] * YEAR, n).astype(np.int64)
    first_bp = np.maximum(onset_all + bp_lag, obs_start + (u() * 365).astype(np.int64))
    has_bp_code = cbp & (first_bp <= obs_end)
    delay_k = p["dx_delay_gamma_shape"]
    delay = rng.gamma(delay_k, p["dx_delay_mean_years"] / delay_k, n) * YEAR
    dx_day = (
        onset_all + delay.astype(np.int64) + rng.exponential(p["dx_code_lag_days"], n).astype(int)
    )
    first_dx = np.maximum(dx_day, obs_start + (u() * 180).astype(np.int64))
    true_dx = axspa & (u() < p["axspa_ever_diagnosed"]) & (first_dx <= obs_end)
    false_dx = mech & (u() < p["false_as_code_mech"])
    first_dx = np.where(false_dx, obs_start + (u() * (obs_end - obs_start)).astype(int), first_dx)
    diagnosed = true_dx | false_dx
    undx_axspa = axspa & ~true_dx
    idx = np.arange(n, dtype=np.int64)
    bp_lo = np.where(has_bp_code, first_bp, obs_start)

    def flagged(prob: npt.ArrayLike) -> I64:
        return idx[u() < np.asarray(prob, dtype=np.float64)]

    def ones(who: I64, extra_mean: npt.ArrayLike) -> I64:
        return 1 + rng.poisson(np.broadcast_to(np.asarray(extra_mean, float), (n,))[who])

    # --- conditions
    cond = Events()
    w = idx[has_bp_code]
    cond.add(w, first_bp[w], _pick(rng, BACK_PAIN, w.size))
    extra = np.where(axspa, p["bp_extra_codes_axspa"], p["bp_extra_codes_mech"])
    r, d = _spread(rng, w, rng.poisson(extra[w]), first_bp, obs_end)
    cond.add(r, d, _pick(rng, BACK_PAIN, r.size))
    w = idx[none & (u() < p["acute_lbp_no_cbp"])]
    r, d = _spread(rng, w, np.ones(w.size, np.int64), obs_start, obs_end)
    cond.add(r, d, 194133)
    w = idx[diagnosed]
    cond.add(w, first_dx[w], _pick(rng, AXSPA_CODES, w.size))
    r, d = _spread(rng, w, rng.poisson(p["dx_extra_codes"], w.size), first_dx, obs_end)
    cond.add(r, d, _pick(rng, AXSPA_CODES, r.size))
    uveitis = u() < np.where(axspa, p["uveitis_axspa"], p["uveitis_other"])
    psoriasis = u() < np.where(axspa, p["psoriasis_axspa"], p["psoriasis_other"])
    ibd = u() < np.where(axspa, p["ibd_axspa"], p["ibd_other"])
    enth = _by_group(
        [
            (axspa, p["enthesitis_axspa"]),
            (mech, p["enthesitis_mech"]),
            (none, p["enthesitis_none"]),
        ],
        n,
    )
    dact = np.where(axspa, p["dactylitis_axspa"], p["dactylitis_other"])
    eams: tuple[tuple[B, Choices], ...] = (
        (uveitis, UVEITIS),
        (psoriasis, ((PSORIASIS, 1.0),)),
        (ibd, IBD),
        (u() < enth, ENTHESITIS),
        (u() < dact, ((DACTYLITIS, 1.0),)),
    )
    for mask, choices in eams:
        w = idx[mask]
        r, d = _spread(rng, w, ones(w, 1.0), obs_start, obs_end)
        cond.add(r, d, _pick(rng, choices, r.size))
    # --- drugs
    drug = Events()
    nsaid_p = _by_group(
        [(axspa, p["nsaid_axspa"]), (mech, p["nsaid_mech"]), (none, p["nsaid_none"])], n
    )
    nsaid_extra = _by_group(
        [
            (axspa, p["nsaid_extra_courses_axspa"]),
            (mech, p["nsaid_extra_courses_mech"]),
            (none, p["nsaid_extra_courses_none"]),
        ],
        n,
    )
    w = flagged(nsaid_p)
    r, d = _spread(rng, w, ones(w, nsaid_extra), bp_lo, obs_end)
    drug.add(r, d, _pick(rng, NSAIDS, r.size), supply=rng.choice([14, 30, 30, 90], r.size))
    tnfi_p = _by_group(
        [(psoriasis, p["tnfi_psoriasis"]), (ibd, p["tnfi_ibd"]), (true_dx, p["tnfi_dx"])], n
    )
    il17_p = _by_group([(psoriasis, p["il17_psoriasis"]), (true_dx, p["il17_dx"])], n)
    bio_lo = np.where(true_dx, first_dx, obs_start)
    biologics: tuple[tuple[F64, Choices], ...] = ((tnfi_p, TNFI), (il17_p, IL17))
    for prob, choices in biologics:
        w = flagged(prob)
        r, d = _spread(rng, w, ones(w, 4.0), bio_lo, obs_end)
        drug.add(r, d, _pick(rng, choices, r.size), supply=28)
    # --- measurements
    meas = Events()
    for concept, test_keys, raised_keys, ext in (
        (CRP, "crp_test", "crp_raised", 2.0),
        (ESR, "esr_test", "esr_raised", 1.5),
    ):
        groups = ((axspa, "axspa"), (mech, "mech"), (none, "none"))
        test_p = _by_group([(m, p[f"{test_keys}_{g}"]) for m, g in groups], n)
        raised_p = _by_group([(m, p[f"{raised_keys}_{g}"]) for m, g in groups], n)
        w = flagged(test_p)
        r, d = _spread(rng, w, ones(w, np.where(cbp, ext, 0.5)), bp_lo, obs_end)
        meas.add(
            r,
            d,
            concept,
            **_lab_values(rng, concept, u_raised=rng.random(r.size) < raised_p[r], p=p),
        )
    b27_p = _by_group(
        [
            (none, p["b27_test_none"]),
            (mech, p["b27_test_mech"]),
            (undx_axspa, p["b27_test_undx"]),
            (true_dx, p["b27_test_dx"]),
        ],
        n,
    )
    w = flagged(b27_p)
    near_dx = np.maximum(first_dx - (u() * 180).astype(np.int64), obs_start)
    r, d = _spread(rng, w, np.ones(w.size, np.int64), bp_lo, obs_end)
    d = np.where(true_dx[r], near_dx[r], d)
    numeric = rng.random(r.size) < p["b27_numeric_share"]
    pos = carrier[r]
    meas.add(
        r,
        d,
        _pick(rng, HLA_B27, r.size),
        vnum=np.where(numeric, pos.astype(float), np.nan),
        vcon=np.where(numeric, 0, np.where(pos, B27_POS, B27_NEG)),
        unit=0,
        hi=np.nan,
        lo=np.nan,
    )
    # --- procedures
    proc = Events()
    for concept, keys in ((SIJ_MRI, "sij_mri"), (SIJ_XRAY, "sij_xray")):
        prob = _by_group(
            [
                (mech, p[f"{keys}_mech"]),
                (undx_axspa, p[f"{keys}_undx"]),
                (true_dx, p[f"{keys}_dx"]),
            ],
            n,
        )
        w = flagged(prob)
        r, d = _spread(rng, w, np.ones(w.size, np.int64), bp_lo, obs_end)
        proc.add(r, np.where(true_dx[r], near_dx[r], d), concept)
    w = flagged(p["generic_mri_all"])
    r, d = _spread(rng, w, np.ones(w.size, np.int64), obs_start, obs_end)
    proc.add(r, d, GENERIC_MRI)
    # --- observations (family history, placeholders)
    obs = Events()
    w = flagged(np.where(axspa, p["famhx_axspa"], p["famhx_other"]))
    r, d = _spread(rng, w, np.ones(w.size, np.int64), obs_start, obs_end)
    obs.add(r, d, _pick(rng, FAMHX, r.size))
    # --- visits
    visits = Events()
    years = (obs_end - obs_start + 1) / YEAR
    rate = p["outpatient_per_year"] + np.where(cbp, p["outpatient_per_year_cbp"], 0.0)
    rate = rate + np.where(axspa, p["outpatient_per_year_axspa"], 0.0)
    for concept, per_year in (
        (OUTPATIENT, rate),
        (ER, p["er_per_year"]),
        (INPATIENT, p["inpatient_per_year"]),
    ):
        r, d = _spread(rng, idx, rng.poisson(per_year * years), obs_start, obs_end)
        los = rng.integers(1, 8, r.size) if concept == INPATIENT else 0
        visits.add(r, d, concept, los=los)

    truth = pa.table(
        [
            pid,
            axspa,
            diagnosed,
            dates(np.where(diagnosed, first_dx, NA_DAY)),
            dates(onset),
            cbp,
            carrier,
        ],
        schema=TRUTH_SCHEMA,
    )
    day_of = birth.astype("datetime64[D]")
    years_b = day_of.astype("datetime64[Y]")
    person = {
        "person_id": pid,
        "gender_concept_id": np.where(male, MALE, FEMALE),
        "year_of_birth": years_b.astype(np.int64) + 1970,
        "month_of_birth": (day_of.astype("datetime64[M]") - years_b.astype("datetime64[M]")).astype(
            int
        )
        + 1,
        "day_of_birth": (day_of - day_of.astype("datetime64[M]").astype("datetime64[D]")).astype(
            int
        )
        + 1,
        "race_concept_id": race,
        "ethnicity_concept_id": np.zeros(n, np.int64),
    }
    return {
        "person": table("person", person),
        "observation_period": table(
            "observation_period",
            {
                "person_id": pid,
                "observation_period_start_date": obs_start,
                "observation_period_end_date": obs_end,
                "period_type_concept_id": EHR_TYPE_CONCEPT,
            },
        ),
        "condition_occurrence": event_table("condition_occurrence", "condition", cond, pid),
        "drug_exposure": event_table("drug_exposure", "drug", drug, pid),
        "measurement": event_table("measurement", "measurement", meas, pid),
        "procedure_occurrence": event_table("procedure_occurrence", "procedure", proc, pid),
        "observation": event_table("observation", "observation", obs, pid),
        "visit_occurrence": event_table("visit_occurrence", "visit", visits, pid),
        "truth": truth,
    }


def _lab_values(
    rng: np.random.Generator, concept: int, *, u_raised: B, p: Mapping[str, float]
) -> dict[str, npt.ArrayLike]:
    m = u_raised.size
    if concept == CRP:
        normal = np.clip(rng.lognormal(np.log(1.5), 0.7, m), 0.1, 4.9)
        value = np.where(u_raised, 5.1 + rng.lognormal(np.log(8.0), 0.9, m), normal)
        mg_dl = rng.random(m) < p["crp_mg_dl_share"]
        unit = np.where(mg_dl, UNIT_MG_DL, UNIT_MG_L)
        hi = np.where(mg_dl, 0.5, np.where(rng.random(m) < p["range_high_missing"], np.nan, 5.0))
        value = np.round(np.where(mg_dl, value / 10.0, value), 2)
    else:
        normal = rng.uniform(2.0, 19.5, m)
        value = np.round(np.where(u_raised, 21.0 + rng.lognormal(np.log(15.0), 0.6, m), normal))
        unit = np.full(m, UNIT_MM_H)
        hi = np.where(rng.random(m) < p["range_high_missing"], np.nan, 20.0)
    return {
        "vnum": value,
        "vcon": 0,
        "unit": unit,
        "hi": hi,
        "lo": np.where(np.isnan(hi), np.nan, 0.0),
    }
