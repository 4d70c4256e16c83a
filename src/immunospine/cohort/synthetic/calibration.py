"""Every number the synthetic generator draws from, with its source (one table, no magic numbers).

Probabilities are per person unless the name says otherwise. A source is either a published
figure (collected in ``docs/case-finding.md``) or marked as an assumption: a value with no
published figure, chosen to give realistic EHR noise. ``P`` is the same table as a mapping
from name to value.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass

from immunospine.errors import FieldProblem, InputError

__all__ = ["CALIBRATION", "CalibrationItem", "P", "allowed_range", "with_overrides"]


@dataclass(frozen=True, slots=True)
class CalibrationItem:
    """One parameter of the generator: its name, value and where the value comes from."""

    name: str
    value: float
    source: str


_OD = "published (docs/case-finding.md, calibration)"
_CL = "published LR source (docs/case-finding.md, features)"
_A = "assumption (no published figure; chosen for realistic EHR noise)"
_S27 = "computed from the Synthea27Nj OMOP sample (28 persons, 28.7 observed years each)"
_US = "assumption: approx. coded share among US adults (prevalence from memory, unverified)"

#: Every number the generator uses, with its source. Probabilities are per person unless noted.
CALIBRATION: tuple[CalibrationItem, ...] = (
    # population
    CalibrationItem("male_share", 0.49, "US adult population, approx."),
    CalibrationItem("race_white", 0.62, "US census, approx. (non-Hispanic white)"),
    CalibrationItem("race_black", 0.13, "US census, approx."),
    CalibrationItem("race_asian", 0.06, "US census, approx.; the rest is race unknown (0)"),
    CalibrationItem("obs_leaver_share", 0.15, _A + ": observation ends before the study end"),
    # back pain and axSpA
    CalibrationItem("cbp_prevalence", 0.192, f"{_OD}: Assassi 2012, NHANES 2009-10, 19.2 %"),
    CalibrationItem("axspa_in_cbp", 0.05, f"{_OD}: ~5 % of CBP in primary care (range 1-16 %)"),
    CalibrationItem("axspa_male_share", 0.60, f"{_OD}: de Winter 2016, AS 70.4 %, nr-axSpA 46.8 %"),
    CalibrationItem("axspa_onset_age_mean", 28.0, f"{_OD}: onset mostly < 45 (CaFaSpA)"),
    CalibrationItem("axspa_onset_age_sd", 8.0, "gives ~97 % onset before 45"),
    CalibrationItem("mech_onset_age_mean", 45.0, _A),
    CalibrationItem("mech_onset_age_sd", 14.0, _A),
    CalibrationItem("bp_code_lag_years", 1.0, _A + ": mean lag onset+3 mo → first back-pain code"),
    CalibrationItem("bp_extra_codes_axspa", 5.0, f"{_OD}: repeated axial-pain episodes, OR 12.7"),
    CalibrationItem("bp_extra_codes_mech", 2.0, _A),
    CalibrationItem("acute_lbp_no_cbp", 0.08, _A + ": one acute low-back-pain code, no CBP"),
    # diagnosis
    CalibrationItem("axspa_ever_diagnosed", 0.60, f"{_OD}: diagnosed 0.2-0.7 % vs 0.9-1.4 %"),
    CalibrationItem("dx_delay_mean_years", 6.7, f"{_OD}: Zhao 2021 pooled mean 6.7 y"),
    CalibrationItem("dx_delay_gamma_shape", 1.8, f"{_OD}: medians mostly 2-6 y → median ~5.3 y"),
    CalibrationItem("dx_code_lag_days", 60.0, _A + ": diagnosis coded late (mean lag)"),
    CalibrationItem("dx_extra_codes", 3.0, _A),
    CalibrationItem(
        "false_as_code_mech",
        0.005,
        "Walsh 2018 (docs/case-finding.md, anchors): AS code PPV 83.3 %",
    ),
    # HLA-B27 carriage
    CalibrationItem("b27_axspa", 0.85, f"{_OD}: > 80 % of white AS; 75-90 % by cohort"),
    CalibrationItem("b27_white", 0.075, f"{_OD}: Reveille 2012, NHW 7.5 % (overall 6.1 %)"),
    CalibrationItem("b27_black", 0.03, f"{_OD}: US Black 2-4 %"),
    CalibrationItem("b27_other", 0.04, f"{_OD}: Mexican American 4.6 %, non-white 3.5 %"),
    # HLA-B27 testing (most persons are never tested)
    CalibrationItem("b27_test_dx", 0.85, _A + ": tested around diagnosis"),
    CalibrationItem("b27_test_undx", 0.15, _A),
    CalibrationItem("b27_test_mech", 0.03, _A),
    CalibrationItem("b27_test_none", 0.003, _A + ": eye or skin clinics"),
    CalibrationItem("b27_numeric_share", 0.15, _A + ": result stored as 1/0 in value_as_number"),
    # CRP / ESR
    CalibrationItem("crp_test_axspa", 0.70, _A),
    CalibrationItem("crp_test_mech", 0.35, _A),
    CalibrationItem("crp_test_none", 0.12, _A),
    CalibrationItem("crp_raised_axspa", 0.50, f"{_CL}: raised acute-phase reactants sens 50 %"),
    CalibrationItem("crp_raised_mech", 0.20, f"{_CL}: spec 80 % (other causes of raised CRP)"),
    CalibrationItem("crp_raised_none", 0.12, _A),
    CalibrationItem("crp_mg_dl_share", 0.10, _A + ": labs reporting mg/dL (range_high 0.5)"),
    CalibrationItem("range_high_missing", 0.30, _A + ": range_high null → default limit"),
    CalibrationItem("esr_test_axspa", 0.50, _A),
    CalibrationItem("esr_test_mech", 0.25, _A),
    CalibrationItem("esr_test_none", 0.08, _A),
    CalibrationItem("esr_raised_axspa", 0.45, f"{_CL}: sens ~50 %"),
    CalibrationItem("esr_raised_mech", 0.20, f"{_CL}: spec 80 %"),
    CalibrationItem("esr_raised_none", 0.12, _A),
    # extra-musculoskeletal and peripheral features (coded)
    CalibrationItem("uveitis_axspa", 0.258, f"{_OD}: Stolwijk 2015, 25.8 %"),
    CalibrationItem("uveitis_other", 0.003, f"{_CL}: spec 97-98 % (general population lower)"),
    CalibrationItem("psoriasis_axspa", 0.10, f"{_OD}: 9.3-10.9 %"),
    CalibrationItem("psoriasis_other", 0.025, "US psoriasis prevalence ~3 %"),
    CalibrationItem("ibd_axspa", 0.065, f"{_OD}: 4.1-6.8 %"),
    CalibrationItem("ibd_other", 0.006, "US IBD prevalence ~0.7 %"),
    CalibrationItem("enthesitis_axspa", 0.15, f"{_OD}: 28.8-35.4 %, about half coded ({_A})"),
    CalibrationItem("enthesitis_mech", 0.03, _A),
    CalibrationItem("enthesitis_none", 0.01, _A),
    CalibrationItem("dactylitis_axspa", 0.03, f"{_OD}: 6.0 %, about half coded"),
    CalibrationItem("dactylitis_other", 0.002, _A),
    CalibrationItem("famhx_axspa", 0.11, f"{_CL}: family history sens 32 %, ~1/3 recorded"),
    CalibrationItem("famhx_other", 0.017, f"{_CL}: spec 95 %, ~1/3 recorded"),
    # drugs
    CalibrationItem("nsaid_axspa", 0.85, f"{_CL}: NSAID response sens 77 %; first-line therapy"),
    CalibrationItem("nsaid_mech", 0.55, _A),
    CalibrationItem("nsaid_none", 0.15, _A),
    CalibrationItem("nsaid_extra_courses_axspa", 6.0, f"{_OD}: axial pain + NSAID OR 10.4"),
    CalibrationItem("nsaid_extra_courses_mech", 1.5, _A),
    CalibrationItem("nsaid_extra_courses_none", 0.3, _A),
    CalibrationItem("tnfi_dx", 0.35, _A + ": biologic share of diagnosed axSpA"),
    CalibrationItem("tnfi_ibd", 0.20, _A),
    CalibrationItem("tnfi_psoriasis", 0.05, _A),
    CalibrationItem("il17_dx", 0.10, _A),
    CalibrationItem("il17_psoriasis", 0.04, _A),
    # imaging
    CalibrationItem("sij_mri_dx", 0.60, _A),
    CalibrationItem("sij_mri_undx", 0.08, _A),
    CalibrationItem("sij_mri_mech", 0.02, _A),
    CalibrationItem("sij_xray_dx", 0.50, _A),
    CalibrationItem("sij_xray_undx", 0.12, _A),
    CalibrationItem("sij_xray_mech", 0.06, _A),
    CalibrationItem("generic_mri_all", 0.05, _A + ": any MRI 4013636 (noise)"),
    # visits per observed year
    CalibrationItem("outpatient_per_year", 0.4, _A),
    CalibrationItem("outpatient_per_year_cbp", 0.5, _A + ": added for CBP"),
    CalibrationItem("outpatient_per_year_axspa", 0.8, _A + ": added for axSpA"),
    CalibrationItem("er_per_year", 0.05, _A),
    CalibrationItem("inpatient_per_year", 0.02, _A),
    # --density realistic: the background of a real EHR (synthetic._background)
    *(
        CalibrationItem(
            "bg_visits_per_year",
            1.0,
            f"{_S27}: ~2.2 visits and ~12.5 measurement rows per person-year; 1.0 outpatient "
            "visit a year × ~10 rows a visit × ~9.7 observed years gives ~100 measurement rows "
            "per person, the issue's target (a real EHR has on the order of a hundred; "
            f"{_A})",
        ),
        CalibrationItem("bg_bp_at_visit", 0.95, f"{_S27}: BP at nearly every visit; {_A}"),
        CalibrationItem("bg_heart_rate_at_visit", 0.90, _A),
        CalibrationItem("bg_resp_rate_at_visit", 0.50, _A),
        CalibrationItem("bg_weight_at_visit", 0.80, _A),
        CalibrationItem("bg_height_at_visit", 0.30, _A),
        CalibrationItem("bg_bmi_at_visit", 0.75, _A),
        CalibrationItem("bg_temperature_at_visit", 0.40, _A),
        CalibrationItem("bg_cbc_at_visit", 0.20, _A + ": 10 rows per blood count"),
        CalibrationItem("bg_metabolic_panel_at_visit", 0.20, _A + ": 8 rows per panel"),
        CalibrationItem("bg_lipid_panel_at_visit", 0.10, _A + ": 4 rows per panel"),
        CalibrationItem("bg_hba1c_at_visit", 0.08, _A),
        CalibrationItem("bg_tsh_at_visit", 0.05, _A),
        CalibrationItem("bg_liver_panel_at_visit", 0.08, _A + ": 6 rows per panel"),
        CalibrationItem("bg_hypertension", 0.30, f"{_US}: ~47 % have hypertension, fewer coded"),
        CalibrationItem("bg_hyperlipidaemia", 0.25, _US),
        CalibrationItem("bg_type2_diabetes", 0.10, f"{_US}: diagnosed diabetes ~11 %"),
        CalibrationItem("bg_hypothyroidism", 0.05, _US),
        CalibrationItem("bg_depression", 0.08, _US),
        CalibrationItem("bg_anxiety", 0.10, _US),
        CalibrationItem("bg_asthma", 0.08, f"{_US}: adult asthma ~8 %"),
        CalibrationItem("bg_allergic_rhinitis", 0.12, _US),
        CalibrationItem("bg_gerd", 0.12, _US),
        CalibrationItem("bg_osteoarthritis_knee", 0.07, _US),
        CalibrationItem("bg_osteoarthritis_hip", 0.03, _US),
        CalibrationItem("bg_migraine", 0.05, _US),
        CalibrationItem(
            "bg_chronic_recode_per_year",
            1.5,
            f"{_S27}: ~17 condition rows per person; {_A}: a chronic condition re-coded at visits",
        ),
        CalibrationItem(
            "bg_chronic_treated", 0.70, _A + ": share of a treatable condition on a drug"
        ),
        CalibrationItem(
            "bg_refills_per_year",
            6.0,
            f"{_S27}: ~31 drug rows per person; {_A}: 30- and 90-day fills",
        ),
        CalibrationItem("bg_acute_per_year", 0.5, _A + ": acute infections and minor complaints"),
        CalibrationItem("bg_antibiotic_per_infection", 0.60, _A + ": bacterial-type infections"),
    ),
)

P: dict[str, float] = {c.name: c.value for c in CALIBRATION}


#: Allowed range of a parameter by the end of its name; every other parameter is a probability.
_RANGES: tuple[tuple[str, float, float, str], ...] = (
    ("_age_mean", 0.0, 100.0, "an age in years"),
    ("_age_sd", 0.1, 50.0, "a standard deviation in years"),
    ("_years", 0.0, 60.0, "a duration in years"),
    ("_days", 0.0, 3650.0, "a duration in days"),
    ("_shape", 0.01, 100.0, "a gamma shape"),
    ("_per_year", 0.0, 365.0, "a mean count per observed year"),
    ("_per_visit", 0.0, 50.0, "a mean count per visit"),
    ("_per_person", 0.0, 1000.0, "a mean count per person"),
)
_COUNT_WORDS = ("_extra_codes", "_extra_courses", "dx_extra_codes")
_RACE_SHARES = ("race_white", "race_black", "race_asian")


def allowed_range(name: str) -> tuple[float, float, str]:
    """``(low, high, what)`` a value of parameter ``name`` must lie in (both ends included)."""
    for suffix, lo, hi, what in _RANGES:
        if name.endswith(suffix):
            return lo, hi, what
    if any(w in name for w in _COUNT_WORDS):
        return 0.0, 1000.0, "a mean count per person"
    return 0.0, 1.0, "a probability"


def with_overrides(overrides: Mapping[str, object] | None) -> dict[str, float]:
    """``P`` with the named entries replaced: a site's coding habits for one generator run.

    Unknown names are refused with the nearest known names; values outside the parameter's
    range (a probability 0-1, a count ≥ 0, …) are refused naming the value and the range.
    Nothing is coerced: a value must be a real number (``bool`` is not).
    """
    merged = dict(P)
    if not overrides:
        return merged
    problems: list[FieldProblem] = []
    for name, value in overrides.items():
        loc = ("overrides", name)
        if name not in P:
            near = difflib.get_close_matches(name, list(P), n=3, cutoff=0.5)
            hint = f"; nearest: {', '.join(near)}" if near else "; see synthetic.calibration"
            problems.append(
                FieldProblem(loc, f"unknown generator parameter{hint}", "unknown", value, True)
            )
            continue
        lo, hi, what = allowed_range(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(FieldProblem(loc, f"must be a number ({what})", "type", value, True))
            continue
        if not math.isfinite(value) or not lo <= value <= hi:
            msg = f"must be between {lo:g} and {hi:g} ({what})"
            problems.append(FieldProblem(loc, msg, "range", value, True))
            continue
        merged[name] = float(value)
    shares = sum(merged[k] for k in _RACE_SHARES)
    if not problems and shares > 1.0:
        msg = f"race shares ({', '.join(_RACE_SHARES)}) sum to {shares:g}; must be at most 1"
        problems.append(FieldProblem(("overrides",), msg, "range", shares, True))
    if problems:
        raise InputError.from_problems(problems)
    return merged
