"""The background of a real EHR for ``--density realistic``: visits, vitals, routine labs, others.

A real health record holds far more than the rows case-finding looks at: every visit leaves vital
signs, some visits a lab panel (blood count, metabolic panel, lipids, HbA1c, TSH, liver tests),
and persons carry common chronic conditions (hypertension, hyperlipidaemia, diabetes …), acute
infections and the drugs for all of these. This module writes that background for one chunk of
persons, with its own random stream, so the clinical rows of ``_chunk`` stay exactly those of
``--density light`` for the same seed.

Every concept here is a real OMOP standard concept taken from the Synthea27Nj sample's
``concept`` table (id, vocabulary, code), and none is in any screening concept set (tested), so the
screen's worklist on realistic data equals the light one. Rates and prevalences are in
``calibration`` (``bg_*``); lab value distributions below are the mean and SD of
``value_as_number`` in the Synthea27Nj sample's ``measurement`` table (rounded; computed), except
where marked as adult reference values (assumption). Values are independent draws: they carry no
person-level trend (a stated simplification; nothing reads them).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from immunospine.cohort.omop_schema import EHR_TYPE_CONCEPT, arrow_schema

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
YEAR = 365.25
OUTPATIENT = 9202

#: Units (UCUM concepts, Synthea27Nj ``concept``).
MMHG, PER_MIN, KG, CM, KG_M2, CEL = 8876, 8541, 9529, 8582, 9531, 586323
G_DL, PCT, K_UL, M_UL, FL, PG = 8713, 8554, 8848, 8815, 8583, 8564
MMOL_L, MG_DL, U_L, MIU_L = 8753, 8840, 8645, 9040

#: (concept id, LOINC code, unit, mean, sd, low clip, high clip, decimals) by panel.
Item = tuple[int, str, int, float, float, float, float, int]
_VITALS: tuple[Item, ...] = (
    (3004249, "8480-6", MMHG, 121.0, 12.0, 80, 220, 0),  # systolic BP
    (3012888, "8462-4", MMHG, 80.0, 6.5, 40, 130, 0),  # diastolic BP
    (3027018, "8867-4", PER_MIN, 78.0, 11.5, 40, 160, 0),  # heart rate
    (3024171, "9279-1", PER_MIN, 14.0, 1.9, 8, 40, 0),  # respiratory rate
    (3025315, "29463-7", KG, 80.0, 17.0, 38, 220, 1),  # body weight (adult; assumption)
    (3036277, "8302-2", CM, 169.0, 9.5, 140, 210, 1),  # body height (adult; assumption)
    (3038553, "39156-5", KG_M2, 27.0, 5.0, 15, 60, 1),  # BMI (adult; Synthea 25.8 ± 4.8)
    (3020891, "8310-5", CEL, 36.9, 0.35, 35.0, 40.5, 1),  # body temperature (assumption)
)
_CBC: tuple[Item, ...] = (
    (3000963, "718-7", G_DL, 14.4, 1.9, 6, 20, 1),  # haemoglobin
    (3023314, "4544-3", PCT, 42.4, 4.6, 20, 60, 1),  # haematocrit
    (3000905, "6690-2", K_UL, 7.2, 2.1, 1, 25, 1),  # leukocytes
    (3024929, "777-3", K_UL, 307.0, 90.0, 20, 900, 0),  # platelets
    (3020416, "789-8", M_UL, 4.8, 0.47, 2.5, 7, 2),  # erythrocytes
    (3023599, "787-2", FL, 86.6, 4.5, 60, 120, 1),  # MCV
    (3012030, "785-6", PG, 30.0, 1.9, 18, 40, 1),  # MCH
    (3009744, "786-4", G_DL, 34.5, 0.95, 28, 38, 1),  # MCHC
    (3015182, "21000-5", FL, 42.1, 2.0, 30, 60, 1),  # RDW
    (3043111, "32623-1", FL, 10.8, 0.9, 6, 15, 1),  # mean platelet volume
)
_BMP: tuple[Item, ...] = (
    (3000285, "2947-0", MMOL_L, 139.9, 2.4, 120, 160, 0),  # sodium
    (3005456, "6298-4", MMOL_L, 4.5, 0.43, 2.5, 7, 1),  # potassium
    (3018572, "2069-3", MMOL_L, 105.8, 2.8, 85, 125, 0),  # chloride
    (3014094, "20565-8", MMOL_L, 24.1, 2.7, 12, 40, 0),  # carbon dioxide
    (3004295, "6299-2", MG_DL, 13.4, 3.7, 2, 80, 1),  # urea nitrogen
    (3051825, "38483-4", MG_DL, 1.0, 0.3, 0.3, 10, 2),  # creatinine (assumption)
    (3000483, "2339-0", MG_DL, 86.0, 14.0, 50, 400, 0),  # glucose
    (3032503, "49765-1", MG_DL, 9.3, 0.48, 7, 12, 1),  # calcium
)
_LIPIDS: tuple[Item, ...] = (
    (3027114, "2093-3", MG_DL, 186.0, 19.0, 90, 400, 0),  # total cholesterol
    (3007070, "2085-9", MG_DL, 63.0, 12.0, 20, 120, 0),  # HDL
    (3009966, "18262-6", MG_DL, 99.0, 25.0, 30, 300, 0),  # LDL
    (3022192, "2571-8", MG_DL, 140.0, 27.0, 40, 600, 0),  # triglycerides
)
_HBA1C: tuple[Item, ...] = ((3004410, "4548-4", PCT, 6.0, 0.66, 4, 14, 1),)
_TSH: tuple[Item, ...] = ((3009201, "3016-3", MIU_L, 2.0, 0.9, 0.05, 15, 2),)  # assumption
_LIVER: tuple[Item, ...] = (
    (3006923, "1742-6", U_L, 33.6, 14.0, 5, 300, 0),  # ALT
    (3013721, "1920-8", U_L, 22.3, 10.7, 5, 300, 0),  # AST
    (3035995, "6768-6", U_L, 71.3, 30.9, 20, 400, 0),  # alkaline phosphatase
    (3024128, "1975-2", MG_DL, 0.7, 0.34, 0.1, 5, 1),  # bilirubin total
    (3024561, "1751-7", G_DL, 4.5, 0.56, 2, 6, 1),  # albumin
    (3020630, "2885-2", G_DL, 7.0, 0.5, 4, 10, 1),  # protein (assumption)
)
#: Panels: (calibration name of the per-visit probability, items). Each vital sign is its own panel.
PANELS: tuple[tuple[str, tuple[Item, ...]], ...] = (
    ("bg_bp_at_visit", _VITALS[0:2]),
    ("bg_heart_rate_at_visit", _VITALS[2:3]),
    ("bg_resp_rate_at_visit", _VITALS[3:4]),
    ("bg_weight_at_visit", _VITALS[4:5]),
    ("bg_height_at_visit", _VITALS[5:6]),
    ("bg_bmi_at_visit", _VITALS[6:7]),
    ("bg_temperature_at_visit", _VITALS[7:8]),
    ("bg_cbc_at_visit", _CBC),
    ("bg_metabolic_panel_at_visit", _BMP),
    ("bg_lipid_panel_at_visit", _LIPIDS),
    ("bg_hba1c_at_visit", _HBA1C),
    ("bg_tsh_at_visit", _TSH),
    ("bg_liver_panel_at_visit", _LIVER),
)

_ITEMS = [it for _, panel in PANELS for it in panel]
_ITEM_CONCEPT = np.array([it[0] for it in _ITEMS], dtype=np.int32)
_ITEM_UNIT = np.array([it[2] for it in _ITEMS], dtype=np.int32)
_ITEM_MEAN, _ITEM_SD, _ITEM_LO, _ITEM_HI = (
    np.array([it[k] for it in _ITEMS], dtype=np.float64) for k in (3, 4, 5, 6)
)
_ITEM_SCALE = 10.0 ** np.array([it[7] for it in _ITEMS], dtype=np.float64)

#: Chronic conditions: (calibration name of the share of persons, SNOMED concept id, code,
#: drugs as (RxNorm concept id, weight)). Treated persons fill prescriptions repeatedly.
Chronic = tuple[str, int, str, tuple[tuple[int, float], ...]]
CHRONIC: tuple[Chronic, ...] = (
    ("bg_hypertension", 320128, "59621000",
     ((19080128, 0.4), (1332419, 0.25), (19078106, 0.2), (40185304, 0.15))),
    ("bg_hyperlipidaemia", 432867, "55822004", ((1539411, 0.5), (1545959, 0.5))),
    ("bg_type2_diabetes", 201826, "44054006", ((40163924, 1.0),)),
    ("bg_hypothyroidism", 4309027, "83664006", ((40174880, 1.0),)),
    ("bg_depression", 4152280, "370143000", ((739207, 0.6), (19077463, 0.4))),
    ("bg_anxiety", 4214746, "80583007", ((739207, 0.5), (19077463, 0.5))),
    ("bg_asthma", 317009, "195967001", ((1511248, 0.6), (40169216, 0.4))),
    ("bg_allergic_rhinitis", 4280726, "367498001", ()),
    ("bg_gerd", 318800, "235595009", ()),
    ("bg_osteoarthritis_knee", 4079750, "239873007", ()),
    ("bg_osteoarthritis_hip", 4079749, "239872002", ()),
    ("bg_migraine", 4141827, "427419006", ()),
)  # fmt: skip
#: Acute conditions: (SNOMED concept id, code, weight, antibiotic course likely).
ACUTE: tuple[tuple[int, str, float, bool], ...] = (
    (40481087, "444814009", 0.30, False),  # viral sinusitis
    (4112343, "195662009", 0.18, False),  # acute viral pharyngitis
    (260139, "10509002", 0.12, True),  # acute bronchitis
    (81902, "68566005", 0.08, True),  # urinary tract infectious disease
    (4294548, "75498004", 0.06, True),  # acute bacterial sinusitis
    (372328, "65363002", 0.05, True),  # otitis media
    (28060, "43878008", 0.05, True),  # streptococcal sore throat
    (254761, "49727002", 0.08, False),  # cough
    (81151, "44465007", 0.04, False),  # sprain of ankle
    (378253, "25064002", 0.04, False),  # headache
)
ANTIBIOTICS: tuple[tuple[int, float], ...] = (
    (19073188, 0.35),  # amoxicillin 500 MG Oral Tablet
    (1713671, 0.25),  # amoxicillin / clavulanate Oral Tablet
    (19073777, 0.2),  # azithromycin 250 MG Oral Tablet
    (19133905, 0.1),  # penicillin V potassium 500 MG Oral Tablet
    (19075001, 0.1),  # cefuroxime 250 MG Oral Tablet
)


def concept_ids() -> frozenset[int]:
    """Every concept id the background writes (conditions, drugs, measurements, visits, units)."""
    ids = {OUTPATIENT}
    ids |= {c for _, items in PANELS for c, *_ in items}
    ids |= {c[1] for c in CHRONIC} | {d for c in CHRONIC for d, _ in c[3]}
    ids |= {a[0] for a in ACUTE} | {d for d, _ in ANTIBIOTICS}
    return frozenset(ids)


def _pick(rng: np.random.Generator, choices: tuple[tuple[int, float], ...], size: int) -> I64:
    ids = np.array([c for c, _ in choices], dtype=np.int64)
    w = np.array([x for _, x in choices])
    return ids[rng.choice(ids.size, size=size, p=w / w.sum())]


def _uniform_days(rng: np.random.Generator, lo: I64, hi: I64) -> I64:
    return lo + np.floor(rng.random(lo.size) * (np.maximum(hi, lo) - lo + 1)).astype(np.int64)


def background(
    rng: np.random.Generator, p: Mapping[str, float], pid: I64, obs_start: I64, obs_end: I64
) -> dict[str, pa.Table]:
    """Background rows for persons ``pid`` (visits, measurements, conditions, drugs; ids unset).

    Rows are sorted by person (measurements and visits also by day within a person).
    """
    n = pid.size
    idx = np.arange(n, dtype=np.int64)
    years = (obs_end - obs_start + 1) / YEAR
    # --- visits: a Poisson number per person, days sorted within the person
    n_visits = rng.poisson(p["bg_visits_per_year"] * years)
    who = np.repeat(idx, n_visits)
    frac = np.sort(who + rng.random(who.size)) - who  # uniform in [0, 1), sorted within person
    vday = obs_start[who] + np.floor(frac * (obs_end[who] - obs_start[who] + 1)).astype(np.int64)
    vday = np.minimum(vday, obs_end[who])
    visits = _table(
        "visit_occurrence",
        pid[who],
        {"visit_concept_id": OUTPATIENT, "visit_start_date": vday, "visit_end_date": vday},
    )
    # --- measurements at visits: each panel drawn per visit, every item of a drawn panel
    sizes = np.array([len(panel) for _, panel in PANELS])
    first_item = np.cumsum(sizes) - sizes
    prob = np.array([p[name] for name, _ in PANELS])
    drawn = rng.random((who.size, prob.size)) < prob
    v_panel, panel = np.nonzero(drawn)  # (visit, panel) pairs, by visit then panel
    per = sizes[panel]
    v = np.repeat(v_panel, per)
    starts = np.repeat(np.cumsum(per) - per, per)
    j = np.repeat(first_item[panel], per) + (np.arange(v.size) - starts)  # item, in panel order
    concept, unit = _ITEM_CONCEPT[j], _ITEM_UNIT[j]
    value = np.clip(
        _ITEM_MEAN[j] + _ITEM_SD[j] * rng.standard_normal(j.size), _ITEM_LO[j], _ITEM_HI[j]
    )
    scale = _ITEM_SCALE[j]
    value = np.round(value * scale) / scale
    measurement = _table(
        "measurement",
        pid[who[v]],
        {
            "measurement_concept_id": concept,
            "measurement_date": vday.astype(np.int32)[v],
            "value_as_number": value,
            "value_as_concept_id": np.zeros(v.size, np.int32),
            "unit_concept_id": unit,
        },
    )
    # --- conditions and drugs
    cond, drug = _Rows(), _Rows()
    for name, concept_id, _code, drugs in CHRONIC:
        has = idx[rng.random(n) < p[name]]
        onset = _uniform_days(rng, obs_start[has], obs_end[has])
        span = (obs_end[has] - onset + 1) / YEAR
        k = 1 + rng.poisson(p["bg_chronic_recode_per_year"] * span)
        r = np.repeat(np.arange(has.size), k)
        cond.add(has[r], _uniform_days(rng, onset[r], obs_end[has][r]), concept_id)
        if not drugs:
            continue
        treated = rng.random(has.size) < p["bg_chronic_treated"]
        t = np.flatnonzero(treated)
        k = 1 + rng.poisson(p["bg_refills_per_year"] * span[t])
        r = np.repeat(t, k)
        drug.add(
            has[r],
            _uniform_days(rng, onset[r], obs_end[has][r]),
            _pick(rng, drugs, r.size),
            supply=rng.choice([30, 90], r.size),
        )
    k = rng.poisson(p["bg_acute_per_year"] * years)
    who_a = np.repeat(idx, k)
    day_a = _uniform_days(rng, obs_start[who_a], obs_end[who_a])
    pick = rng.choice(len(ACUTE), size=who_a.size, p=_weights(ACUTE))
    cond.add(who_a, day_a, np.array([a[0] for a in ACUTE], dtype=np.int64)[pick])
    bacterial = np.array([a[3] for a in ACUTE])[pick]
    abx = bacterial & (rng.random(who_a.size) < p["bg_antibiotic_per_infection"])
    drug.add(
        who_a[abx],
        day_a[abx],
        _pick(rng, ANTIBIOTICS, int(abx.sum())),
        supply=rng.choice([7, 10], int(abx.sum())),
    )
    return {
        "visit_occurrence": visits,
        "measurement": measurement,
        "condition_occurrence": cond.table("condition_occurrence", pid),
        "drug_exposure": drug.table("drug_exposure", pid),
    }


class _Rows:
    """Condition or drug rows as blocks, each sorted by person; one stable merge by person."""

    def __init__(self) -> None:
        self.blocks: list[tuple[I64, I64, I64, I64 | None]] = []

    def add(self, who: I64, day: I64, concept: npt.ArrayLike, supply: npt.ArrayLike = 0) -> None:
        con = np.broadcast_to(np.asarray(concept, dtype=np.int64), who.shape)
        sup = np.broadcast_to(np.asarray(supply, dtype=np.int64), who.shape)
        self.blocks.append((who, day, con, sup))

    def table(self, name: str, pid: I64) -> pa.Table:
        who, day, concept, supply = (np.concatenate([b[k] for b in self.blocks]) for k in range(4))
        order = np.argsort(who, kind="stable")  # blocks are sorted runs: a cheap merge
        who, day, concept, supply = who[order], day[order], concept[order], supply[order]
        if name == "condition_occurrence":
            cols = {"condition_concept_id": concept, "condition_start_date": day}
        else:
            cols = {"drug_concept_id": concept, "drug_exposure_start_date": day,
                    "drug_exposure_end_date": day + supply - 1, "days_supply": supply}  # fmt: skip
        return _table(name, pid[who], cols)


def _weights(rows: tuple[tuple[int, str, float, bool], ...]) -> F64:
    w = np.array([r[2] for r in rows])
    return np.asarray(w / w.sum(), dtype=np.float64)


def _table(name: str, person_id: I64, cols: Mapping[str, npt.ArrayLike]) -> pa.Table:
    """One table of ``name``'s schema: given columns, EHR type concept, nulls elsewhere."""
    schema = arrow_schema(name)
    size = person_id.size
    given = dict(cols) | {"person_id": person_id}
    arrays: list[pa.Array] = []
    for f in schema:
        if f.name in given:
            v = np.broadcast_to(np.asarray(given[f.name]), (size,))
            dtype = np.int32 if pa.types.is_date(f.type) else f.type.to_pandas_dtype()
            arr = v if v.dtype == dtype and v.strides == (v.itemsize,) else v.astype(dtype)
            arrays.append(pa.array(arr, type=f.type))
        elif f.name.endswith("_type_concept_id"):
            arrays.append(pa.array(np.full(size, EHR_TYPE_CONCEPT, np.int32)))
        elif f.name == f"{name}_id":
            arrays.append(pa.array(np.zeros(size, np.int64)))
        else:
            arrays.append(pa.nulls(size, f.type))
    return pa.Table.from_arrays(arrays, schema=schema)
