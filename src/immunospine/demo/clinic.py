"""A synthetic rheumatology clinic: seeded, realistic-looking patients with years of follow-up.

All data are invented. ``clinic(n, seed)`` yields one ``Timeline`` a patient (the patient and
every record, in date order); the same ``seed`` gives the same records, and nothing seeds a
global generator (each patient has its own ``random.Random``).

Patients (weights): axial spondyloarthritis 40 %, psoriatic arthritis 15 %, rheumatoid arthritis
20 %, mechanical back pain 25 %. For each: 2–5 years of follow-up ending on ``end``, a visit about
every 90 days, and:

* **Activity.** A latent disease activity ``A`` (0–1): high at diagnosis (0.65–0.9), falling to
  0.15–0.35 on a drug the patient responds to, with flare episodes (about two a year, 5–14 days,
  +0.3) for inflammatory disease. Mechanical back pain has a slowly improving severity instead.
* **Treatment ladder.** axSpA / PsA: NSAID (naproxen) → TNF inhibitor (adalimumab) → IL-17
  inhibitor (secukinumab); RA: csDMARD (methotrexate) → TNF inhibitor (etanercept) → IL-6
  inhibitor (tocilizumab). Response is drawn when a drug starts (p = 0.5 NSAID / csDMARD, 0.6
  biologics); a non-responder switches at the first visit ≥ 12 weeks later (stop reason
  ``inefficacy``). Mechanical pain: a 6-week ibuprofen course (``course_completed``).
* **Labs.** CRP (mg/L) and ESR at every visit and at the start and the day after the end of each
  flare: CRP = exp(N(ln(1.5 + 40·A^1.5), 0.25²)) for inflammatory disease, exp(N(ln 1.5, 0.4²))
  otherwise; ESR = 5 + 45·A + N(0, 4²). HLA-B27, RF and anti-CCP once at diagnosis (HLA-B27
  positive in 85 % axSpA, 25 % PsA, 8 % otherwise; RF / anti-CCP high in 70 % RA).
* **Imaging.** axSpA: MRI of the sacroiliac joints (active sacroiliitis in 80 %) and a radiograph
  (modified New York grades); mechanical pain: an MRI without sacroiliitis.
* **Questionnaires,** scored through ``immunospine.knowledge.calculate``: axSpA BASDAI,
  ASDAS-CRP, BASFI; PsA BASDAI and DAS28-CRP; RA DAS28-CRP and CDAI; mechanical ODI, RMDQ, pain
  NRS (and STarT Back at the first visit). Items are ``A`` (or severity) × scale + noise.
* **Non-drug care.** Weekly physiotherapy for 8 weeks after diagnosis, a weekly exercise bout,
  and one 8-week stress-reduction (mindfulness) course inside the diary period.
* **Diaries** over the last ``diary_days`` days: see ``immunospine.demo.diary`` for the
  generating model of pain from CRP, stress and sleep, and its coefficients.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta, timezone
from typing import Any

from immunospine.demo.diary import days_between, diary_entries
from immunospine.knowledge import calculate
from immunospine.records import (
    Assessment,
    Condition,
    Diagnosis,
    DrugClass,
    EntryRecord,
    ImagingFinding,
    ImagingModality,
    Intervention,
    InterventionKind,
    LabResult,
    LabTest,
    MedicationCourse,
    Patient,
    Sex,
    StopReason,
    Timeline,
    entry_of,
)

__all__ = ["DEFAULT_END", "DEFAULT_SEED", "clinic", "patient_record"]

DEFAULT_SEED = 42
DEFAULT_END = date(2025, 6, 30)

_CONDITIONS: tuple[tuple[Condition, float, tuple[str, ...]], ...] = (
    (Condition.AXIAL_SPONDYLOARTHRITIS, 0.40, ("asas_axspa",)),
    (Condition.PSORIATIC_ARTHRITIS, 0.15, ("caspar",)),
    (Condition.RHEUMATOID_ARTHRITIS, 0.20, ("acr_eular_ra_2010",)),
    (Condition.MECHANICAL_BACK_PAIN, 0.25, ()),
)
_SPA_LADDER = (
    ("naproxen", DrugClass.NSAID, 500.0, "mg", "twice daily", 0.5),
    ("adalimumab", DrugClass.TNF_INHIBITOR, 40.0, "mg", "every 2 weeks", 0.6),
    ("secukinumab", DrugClass.IL17_INHIBITOR, 150.0, "mg", "every 4 weeks", 0.6),
)
_RA_LADDER = (
    ("methotrexate", DrugClass.CSDMARD, 15.0, "mg", "weekly", 0.5),
    ("etanercept", DrugClass.TNF_INHIBITOR, 50.0, "mg", "weekly", 0.6),
    ("tocilizumab", DrugClass.IL6_INHIBITOR, 162.0, "mg", "weekly", 0.6),
)
_ZONES = (timezone(timedelta(hours=1)), timezone(timedelta(hours=2)), UTC)


def _clip(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


@dataclass
class _Sim:
    rng: random.Random
    pid: str
    condition: Condition
    start: date
    end: date
    records: list[EntryRecord] = field(default_factory=list)
    base: list[tuple[date, float]] = field(default_factory=list)
    flares: list[tuple[date, date]] = field(default_factory=list)
    crp: list[tuple[date, float]] = field(default_factory=list)

    @property
    def inflammatory(self) -> bool:
        return self.condition is not Condition.MECHANICAL_BACK_PAIN

    def in_flare(self, day: date) -> bool:
        return any(a <= day <= b for a, b in self.flares)

    def activity(self, day: date) -> float:
        level = self.base[0][1]
        for since, value in self.base:
            if since <= day:
                level = value
        return _clip(level + (0.3 if self.in_flare(day) else 0.0), 0.0, 1.0)

    def nrs(self, a: float, sd: float = 1.0) -> int:
        return round(_clip(10 * a + self.rng.gauss(0, sd), 0, 10))

    def assess(self, day: date, calculator: str, inputs: dict[str, Any]) -> None:
        self.records.append(Assessment.of(self.pid, day, inputs, calculate(calculator, **inputs)))

    def lab(self, day: date, a: float) -> float:
        rng = self.rng
        mean = math.log(1.5 + 40 * a**1.5) if self.inflammatory else math.log(1.5)
        crp = round(math.exp(rng.gauss(mean, 0.25 if self.inflammatory else 0.4)), 1)
        esr = round(_clip(5 + 45 * a + rng.gauss(0, 4), 1, 140))
        self.crp.append((day, crp))
        self.records.append(
            LabResult(
                patient_id=self.pid, collected_on=day, test=LabTest.CRP, unit="mg/L", value=crp
            )
        )
        self.records.append(
            LabResult(
                patient_id=self.pid,
                collected_on=day,
                test=LabTest.ESR,
                unit="mm/h",
                value=float(esr),
            )
        )
        return crp


def _questionnaires(sim: _Sim, day: date, a: float, crp: float, first: bool) -> None:
    rng, nrs = sim.rng, sim.nrs
    if sim.condition in (Condition.AXIAL_SPONDYLOARTHRITIS, Condition.PSORIATIC_ARTHRITIS):
        sim.assess(day, "basdai", {f"q{i}": nrs(a) for i in range(1, 7)})
    if sim.condition is Condition.AXIAL_SPONDYLOARTHRITIS:
        asdas = {
            "back_pain": nrs(a),
            "morning_stiffness_duration": nrs(a),
            "patient_global": nrs(a),
            "peripheral_pain": nrs(a * 0.5),
            "crp_mg_l": crp,
        }
        sim.assess(day, "asdas_crp", asdas)
        sim.assess(day, "basfi", {f"q{i}": nrs(0.8 * a) for i in range(1, 11)})
    if sim.condition in (Condition.RHEUMATOID_ARTHRITIS, Condition.PSORIATIC_ARTHRITIS):
        tender = int(_clip(round(20 * a + rng.gauss(0, 2)), 0, 28))
        swollen = int(_clip(round(14 * a + rng.gauss(0, 2)), 0, 28))
        das = {
            "tender_joints_28": tender,
            "swollen_joints_28": swollen,
            "crp_mg_l": crp,
            "patient_global_health": float(round(_clip(100 * a + rng.gauss(0, 8), 0, 100))),
        }
        sim.assess(day, "das28_crp", das)
    if sim.condition is Condition.RHEUMATOID_ARTHRITIS:
        cdai = {
            "tender_joints_28": int(_clip(round(20 * a + rng.gauss(0, 2)), 0, 28)),
            "swollen_joints_28": int(_clip(round(14 * a + rng.gauss(0, 2)), 0, 28)),
            "patient_global": float(nrs(a)),
            "evaluator_global": float(nrs(a)),
        }
        sim.assess(day, "cdai", cdai)
    if sim.condition is Condition.MECHANICAL_BACK_PAIN:
        sections = [int(_clip(round(5 * a + rng.gauss(0, 0.7)), 0, 5)) for _ in range(10)]
        sim.assess(day, "odi", {"sections": sections})
        sim.assess(day, "rmdq", {"items": [rng.random() < a for _ in range(24)]})
        sim.assess(day, "pain_nrs", {"pain": nrs(a)})
        if first:
            bother = ("not_at_all", "slightly", "moderately", "very_much", "extremely")
            items = [int(rng.random() < a) for _ in range(8)]
            sim.assess(day, "start_back", {"items": items, "bothersomeness": bother[nrs(a) // 3]})


def _treat(sim: _Sim, visits: list[date]) -> None:
    """Walk the visits: switch drugs on inefficacy, set the activity level, record visits."""
    rng = sim.rng
    if not sim.inflammatory:
        sim.base.append((sim.start, rng.uniform(0.45, 0.75)))
        stop = sim.start + timedelta(weeks=6)
        sim.records.append(
            MedicationCourse(
                patient_id=sim.pid,
                drug="ibuprofen",
                drug_class=DrugClass.NSAID,
                dose=400.0,
                dose_unit="mg",
                frequency="three times daily",
                started_on=sim.start,
                stopped_on=min(stop, sim.end),
                stop_reason=StopReason.COURSE_COMPLETED,
            )
        )
        for k, day in enumerate(visits[1:], start=1):
            sim.base.append((day, max(0.1, sim.base[0][1] - 0.08 * k + rng.gauss(0, 0.05))))
    else:
        ladder = _RA_LADDER if sim.condition is Condition.RHEUMATOID_ARTHRITIS else _SPA_LADDER
        step, since = 0, sim.start
        responder = rng.random() < ladder[0][5]
        sim.base.append((sim.start, rng.uniform(0.65, 0.9)))
        course_start = sim.start
        for day in visits[1:]:
            if responder:
                sim.base.append((day, rng.uniform(0.15, 0.35)))
            elif (day - since).days >= 84 and step + 1 < len(ladder):
                drug, cls, dose, unit, freq, _ = ladder[step]
                sim.records.append(
                    MedicationCourse(
                        patient_id=sim.pid,
                        drug=drug,
                        drug_class=cls,
                        dose=dose,
                        dose_unit=unit,
                        frequency=freq,
                        started_on=course_start,
                        stopped_on=day,
                        stop_reason=StopReason.INEFFICACY,
                    )
                )
                step, since, course_start = step + 1, day, day
                responder = rng.random() < ladder[step][5]
                sim.base.append((day, rng.uniform(0.55, 0.85)))
        drug, cls, dose, unit, freq, _ = ladder[step]
        sim.records.append(
            MedicationCourse(
                patient_id=sim.pid,
                drug=drug,
                drug_class=cls,
                dose=dose,
                dose_unit=unit,
                frequency=freq,
                started_on=course_start,
            )
        )


def _baseline(sim: _Sim, born: int) -> None:
    rng, day, pid = sim.rng, sim.start, sim.pid
    hla_p = {Condition.AXIAL_SPONDYLOARTHRITIS: 0.85, Condition.PSORIATIC_ARTHRITIS: 0.25}
    sim.records.append(
        LabResult(
            patient_id=pid,
            collected_on=day,
            test=LabTest.HLA_B27,
            positive=rng.random() < hla_p.get(sim.condition, 0.08),
        )
    )
    seropositive = sim.condition is Condition.RHEUMATOID_ARTHRITIS and rng.random() < 0.7
    for test, unit, high in (
        (LabTest.RHEUMATOID_FACTOR, "IU/mL", 120.0),
        (LabTest.ANTI_CCP, "U/mL", 250.0),
    ):
        value = rng.uniform(40, high) if seropositive else rng.uniform(0, 10)
        sim.records.append(
            LabResult(patient_id=pid, collected_on=day, test=test, unit=unit, value=round(value, 1))
        )
    if sim.condition is Condition.AXIAL_SPONDYLOARTHRITIS:
        sim.records.append(
            ImagingFinding(
                patient_id=pid,
                performed_on=day,
                modality=ImagingModality.MRI_SACROILIAC,
                active_sacroiliitis=rng.random() < 0.8,
                structural_lesions=rng.random() < 0.5,
            )
        )
        grade = rng.choice((0, 1, 2, 2, 3, 4))
        sim.records.append(
            ImagingFinding(
                patient_id=pid,
                performed_on=day,
                modality=ImagingModality.RADIOGRAPH_SACROILIAC,
                grade_left=grade,
                grade_right=int(_clip(grade + rng.choice((-1, 0, 0, 1)), 0, 4)),
            )
        )
    elif sim.condition is Condition.MECHANICAL_BACK_PAIN:
        sim.records.append(
            ImagingFinding(
                patient_id=pid,
                performed_on=day,
                modality=ImagingModality.MRI_SACROILIAC,
                active_sacroiliitis=False,
                structural_lesions=False,
                note="degenerative disc changes L4/5",
            )
        )


def _care(sim: _Sim, diary_start: date) -> tuple[date, date]:
    rng, pid = sim.rng, sim.pid
    for week in range(8):
        day = sim.start + timedelta(days=7 * week + 3)
        if day <= sim.end:
            sim.records.append(
                Intervention(
                    patient_id=pid,
                    kind=InterventionKind.PHYSIOTHERAPY,
                    performed_on=day,
                    activity="spinal mobility programme",
                    duration_min=45,
                )
            )
    day = sim.start + timedelta(days=rng.randint(0, 6))
    while day <= sim.end:
        sim.records.append(
            Intervention(
                patient_id=pid,
                kind=InterventionKind.EXERCISE,
                performed_on=day,
                activity=rng.choice(("walking", "swimming", "cycling", "yoga")),
                duration_min=rng.choice((20, 30, 45, 60)),
            )
        )
        day += timedelta(days=rng.randint(5, 9))
    span = max(0, (sim.end - diary_start).days - 56)
    course = diary_start + timedelta(days=rng.randint(0, span))
    for week in range(8):
        day = course + timedelta(days=7 * week)
        if day <= sim.end:
            sim.records.append(
                Intervention(
                    patient_id=pid,
                    kind=InterventionKind.STRESS_REDUCTION,
                    performed_on=day,
                    activity="mindfulness",
                    duration_min=30,
                )
            )
    return course, course + timedelta(days=55)


def patient_record(
    seed: int, index: int, *, end: date = DEFAULT_END, diary_days: int = 365
) -> Timeline:
    """The ``index``-th patient of the clinic seeded with ``seed`` (deterministic)."""
    rng = random.Random(seed * 1_000_003 + index)  # noqa: S311 - synthetic data, not security
    pid = f"demo-s{seed}-{index:05d}"
    r, acc = rng.random(), 0.0
    condition, criteria = _CONDITIONS[-1][0], _CONDITIONS[-1][2]
    for cond, weight, crit in _CONDITIONS:
        acc += weight
        if r < acc:
            condition, criteria = cond, crit
            break
    years = rng.randint(2, 5)
    start = end - timedelta(days=365 * years + rng.randint(0, 60))
    age = (
        rng.randint(50, 75) if condition is Condition.RHEUMATOID_ARTHRITIS else rng.randint(22, 55)
    )
    born = start.year - age
    sim = _Sim(rng, pid, condition, start, end)
    visits = [start]
    while (nxt := visits[-1] + timedelta(days=90 + rng.randint(-14, 14))) <= end:
        visits.append(nxt)
    if sim.inflammatory:
        for _ in range(int(2 * years * rng.uniform(0.5, 1.5))):
            first = start + timedelta(days=rng.randint(30, (end - start).days - 20))
            sim.flares.append((first, first + timedelta(days=rng.randint(5, 14))))
    _baseline(sim, born)
    _treat(sim, visits)
    for k, day in enumerate(visits):
        a = sim.activity(day)
        _questionnaires(sim, day, a, sim.lab(day, a), first=k == 0)
    for first, last in sim.flares:
        sim.lab(first, sim.activity(first))
        if last + timedelta(days=1) <= end:
            sim.lab(last + timedelta(days=1), sim.activity(last + timedelta(days=1)))
    diary_start = max(start, end - timedelta(days=diary_days - 1))
    course = _care(sim, diary_start)
    if diary_days > 0:
        sim.records += diary_entries(
            rng,
            pid,
            days_between(diary_start, end),
            sim.crp,
            sim.activity,
            sim.in_flare,
            lambda d: course[0] <= d <= course[1],
            rng.choice(_ZONES),
            stress_mean=rng.uniform(2.5, 6.5),
        )
    patient = Patient(
        patient_id=pid,
        year_of_birth=born,
        sex=rng.choice((Sex.FEMALE, Sex.MALE)),
        diagnoses=(Diagnosis(condition=condition, diagnosed_on=start, criteria_met=criteria),),
    )
    entries = sorted((entry_of(x) for x in sim.records), key=lambda e: e.sort_key())
    return Timeline(patient=patient, entries=tuple(entries))


def clinic(
    n_patients: int, seed: int = DEFAULT_SEED, *, end: date = DEFAULT_END, diary_days: int = 365
) -> Iterator[Timeline]:
    """``n_patients`` synthetic patients, one ``Timeline`` each, deterministic for ``seed``."""
    for index in range(n_patients):
        yield patient_record(seed, index, end=end, diary_days=diary_days)
