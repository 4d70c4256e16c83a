"""Probability of axial spondyloarthritis from clinical findings (likelihood-ratio product).

**Formula** (Rudwaleit 2004; Sieper & Rudwaleit 2005; Rudwaleit, Feldtkeller & Sieper 2006):
``post_odds = pre_odds × Π LR``, ``p = post_odds / (1 + post_odds)``. A finding that is present
multiplies the odds by its LR+; a finding known to be absent multiplies them by its LR−
(= (1 − sensitivity) / specificity); an unknown finding leaves them alone. The SPADE tool ignores
absent findings; we do not, except where the 2006 letter says a negative result should be ignored
early in the disease (enthesitis, peripheral arthritis, dactylitis, uveitis, psoriasis, IBD: they
may appear later). HLA-B27 uses sensitivity 50 % / specificity 90 % (LR+ 5.0, LR− 0.56) when
psoriasis or IBD is present (2006 letter, footnote).

**Inputs**: ``pretest_probability`` (0–1, default 0.05: chronic back pain > 3 months with onset
< 45 years in primary care) and ``findings``, the twelve keys of ``FINDINGS``, each true, false or
null (unknown).

**Interpretation**: unlikely < 0.10 ≤ possible < 0.80 ≤ probable < 0.90 ≤ definite (calculator
contract; the papers call ≥ 90 % "definite" and 80–90 % "probable" — LR products 171 and 76 at a 5 %
pre-test probability). The findings are assumed conditionally independent. They are not: IBP,
NSAID response and MRI inflammation are correlated, and multiplying correlated LRs overstates the
probability, most when many correlated findings are positive together. Treat values near the
thresholds with caution and never as a diagnosis.

**References**: Rudwaleit 2004 (ARD 63:535); Sieper & Rudwaleit 2005 (ARD 64:659);
Rudwaleit, Feldtkeller & Sieper 2006 (ARD 65:1251).

**Example**: IBP alone at 5 % → 14.0 %; IBP + HLA-B27 + MRI → 93.0 % (definite).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, cast

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs, Finding
from immunospine.knowledge._spec import CalculatorSpec, Reference, bands_from_cutoffs
from immunospine.knowledge._types import Result

RUDWALEIT_2004 = Reference(
    "Rudwaleit M, van der Heijde D, Khan MA, Braun J, Sieper J. How to diagnose axial "
    "spondyloarthritis early. Ann Rheum Dis 2004;63:535-43",
    doi="10.1136/ard.2003.011247",
)
SIEPER_RUDWALEIT_2005 = Reference(
    "Sieper J, Rudwaleit M. Early referral recommendations for ankylosing spondylitis "
    "(including pre-radiographic and radiographic forms) in primary care. "
    "Ann Rheum Dis 2005;64:659-63",
    doi="10.1136/ard.2004.028753",
)
RUDWALEIT_2006 = Reference(
    "Rudwaleit M, Feldtkeller E, Sieper J. Easy assessment of axial spondyloarthritis (early "
    "ankylosing spondylitis) at the bedside. Ann Rheum Dis 2006;65:1251-2",
    doi="10.1136/ard.2005.051045",
    pmid="16905586",
)
"""DOI and PMID as printed on the PubMed Central record PMC1798277 (issue 14: the ones recalled
earlier, 10.1136/ard.2005.051622 and 16905583, were wrong)."""


@dataclass(frozen=True, slots=True)
class LikelihoodRatio:
    """One finding's published accuracy. ``lr_negative`` is used only if ``use_negative``.

    ``source`` says where the values were seen (or, with ``verified`` false, why they were not).
    """

    finding: str
    label: str
    sensitivity: float
    specificity: float
    lr_positive: float
    lr_negative: float
    use_negative: bool
    source: str
    verified: bool = True

    def ratio(self, present: bool | None) -> float:
        """The multiplier for this finding: LR+, LR−, or 1 (unknown, or a negative to ignore)."""
        if present is None:
            return 1.0
        if present:
            return self.lr_positive
        return self.lr_negative if self.use_negative else 1.0


def _lr(
    finding: str,
    label: str,
    sens: float,
    spec: float,
    lr_pos: float,
    lr_neg: float,
    use_negative: bool,
    source: str = "",
    *,
    verified: bool = True,
) -> LikelihoodRatio:
    return LikelihoodRatio(
        finding, label, sens, spec, lr_pos, lr_neg, use_negative, source or _LETTER, verified
    )


_LETTER = "Rudwaleit 2006 letter, Table 1 (seen: ard.bmj.com table 178369)"
_LETTER_ROWS_MISSING = (
    "not seen: the stored copy of the 2006 letter's Table 1 lists the other rows but not this "
    "one (its footnote names the finding among those whose negative result is ignored); the "
    "2004 paper's table was not retrievable (abstract only). LR+ = sens/(1 − spec) and "
    "LR− = (1 − sens)/spec hold for the values"
)

# clinical.md §6b: the 2006 bedside letter, Table 1 (LR values as printed there; the printed
# LR− values are (1 − sens)/spec rounded to two decimals — tested). Rows not seen in a source
# are flagged ``verified=False`` with the reason in ``source`` (issue 14).
LIKELIHOOD_RATIOS: Mapping[str, LikelihoodRatio] = {
    lr.finding: lr
    for lr in (
        _lr("inflammatory_back_pain", "inflammatory back pain", 0.75, 0.76, 3.1, 0.33, True),
        _lr("enthesitis_heel", "heel pain (enthesitis)", 0.37, 0.89, 3.4, 0.71, False),
        _lr("peripheral_arthritis", "peripheral arthritis", 0.40, 0.90, 4.0, 0.67, False),
        _lr(
            "dactylitis",
            "dactylitis",
            0.18,
            0.96,
            4.5,
            0.85,
            False,
            _LETTER_ROWS_MISSING,
            verified=False,
        ),
        _lr("anterior_uveitis", "anterior uveitis", 0.22, 0.97, 7.3, 0.80, False),
        _lr("family_history", "family history of SpA", 0.32, 0.95, 6.4, 0.72, True),
        _lr(
            "psoriasis",
            "psoriasis",
            0.10,
            0.96,
            2.5,
            0.94,
            False,
            _LETTER_ROWS_MISSING,
            verified=False,
        ),
        _lr(
            "ibd",
            "inflammatory bowel disease",
            0.04,
            0.99,
            4.0,
            0.97,
            False,
            _LETTER_ROWS_MISSING,
            verified=False,
        ),
        _lr("nsaid_response", "good response to NSAIDs", 0.77, 0.85, 5.1, 0.27, True),
        _lr("elevated_crp_or_esr", "raised CRP or ESR", 0.50, 0.80, 2.5, 0.63, True),
        _lr(
            "hla_b27",
            "HLA-B27",
            0.90,
            0.90,
            9.0,
            0.11,
            True,
            "Sieper & Rudwaleit 2005, Table 1 (seen: ard.bmj.com table 176313): sensitivity 90 %, "
            "specificity 90 %, LR 9, post-test 32 % at 5 %; LR− 0.11 = (1 − 0.90)/0.90 by the "
            "2006 letter's printed formula; the letter's footnote: values for European Caucasians",
        ),
        _lr("mri_sacroiliitis", "sacroiliitis on MRI", 0.90, 0.90, 9.0, 0.11, True),
    )
}
HLA_B27_WITH_PSORIASIS_OR_IBD = _lr(
    "hla_b27",
    "HLA-B27 (with psoriasis or IBD)",
    0.50,
    0.90,
    5.0,
    0.56,
    True,
    "Rudwaleit 2006 letter, Table 1 footnote (seen: ard.bmj.com table 178369): sensitivity "
    "50 %, specificity 90 %, LR+ 5.0, LR− 0.56 in European Caucasians with psoriasis or IBD",
)
"""2006 letter, footnote: HLA-B27 in Caucasian patients with psoriasis or IBD."""

FINDINGS: tuple[str, ...] = tuple(LIKELIHOOD_RATIOS)

DEFAULT_PRETEST_PROBABILITY = 0.05

CATEGORIES = bands_from_cutoffs(
    ("unlikely", "possible", "probable", "definite"),
    (0.10, 0.80, 0.90),
    upper_inclusive=(False, False, False),
)


def likelihood_ratio_for(finding: str, findings: Mapping[str, bool | None]) -> LikelihoodRatio:
    """The LR row that applies to ``finding`` given the other findings (HLA-B27's context)."""
    if finding == "hla_b27" and (findings.get("psoriasis") is True or findings.get("ibd") is True):
        return HLA_B27_WITH_PSORIASIS_OR_IBD
    return LIKELIHOOD_RATIOS[finding]


def probability_from_ratio(pretest: float, ratio_product: float) -> float:
    """Bayes' theorem in odds form."""
    if pretest >= 1.0:
        return 1.0
    post_odds = pretest / (1.0 - pretest) * ratio_product
    return post_odds / (1.0 + post_odds)


def post_test_probability(pretest: float, findings: Mapping[str, bool | None]) -> float:
    """The post-test probability for a mapping of findings (missing keys are unknown)."""
    return probability_from_ratio(pretest, _ratio_product(contributions(findings)))


def ratio_needed(pretest: float, target: float) -> float:
    """The LR product that raises ``pretest`` to ``target`` (171 for 5 % → 90 %)."""
    return (target / (1.0 - target)) / (pretest / (1.0 - pretest))


class Findings(ClinicalInputs):
    inflammatory_back_pain: Finding = None
    enthesitis_heel: Finding = None
    peripheral_arthritis: Finding = None
    dactylitis: Finding = None
    anterior_uveitis: Finding = None
    family_history: Finding = None
    psoriasis: Finding = None
    ibd: Finding = None
    nsaid_response: Finding = None
    elevated_crp_or_esr: Finding = None
    hla_b27: Finding = None
    mri_sacroiliitis: Finding = None


class AxspaProbabilityInputs(ClinicalInputs):
    pretest_probability: Annotated[
        float,
        Field(
            ge=0,
            le=1,
            description="probability of axSpA before the findings, 0–1 "
            "(default 0.05: chronic back pain with onset < 45 y in primary care)",
        ),
    ] = DEFAULT_PRETEST_PROBABILITY
    findings: Annotated[
        Findings, Field(description="each finding true, false or null (unknown)")
    ] = Findings()


def contributions(findings: Mapping[str, bool | None]) -> list[dict[str, object]]:
    """Each known finding with the LR applied (1.0 where a negative result is ignored) and
    whether that row was seen in a source (``verified``; issue 14)."""
    out: list[dict[str, object]] = []
    for name in FINDINGS:
        value = findings.get(name)
        if value is None:
            continue
        row = likelihood_ratio_for(name, findings)
        ratio = row.ratio(value)
        out.append(
            {
                "finding": name,
                "value": value,
                "likelihood_ratio": ratio,
                "ignored": ratio == 1.0,
                "verified": row.verified,
            }
        )
    return out


def _ratio_product(parts: list[dict[str, object]]) -> float:
    product = 1.0
    for part in parts:
        product *= cast(float, part["likelihood_ratio"])
    return product


def score(x: AxspaProbabilityInputs) -> Result:
    findings = x.findings.model_dump()
    parts = contributions(findings)
    product = _ratio_product(parts)
    probability = probability_from_ratio(x.pretest_probability, product)
    unknown = tuple(f"findings.{name}" for name in FINDINGS if findings[name] is None)
    because = tuple(
        f"{LIKELIHOOD_RATIOS[p['finding']].label} "  # type: ignore[index]
        f"{'present' if p['value'] else 'absent'}: "
        + ("negative ignored (may appear later)" if p["ignored"] else f"×{p['likelihood_ratio']:g}")
        for p in parts
    )
    return SPEC.result(
        score=probability,
        components={
            "pretest_probability": x.pretest_probability,
            "likelihood_ratio_product": product,
            "contributions": parts,
            "ratio_needed_probable": ratio_needed(x.pretest_probability, 0.80)
            if 0 < x.pretest_probability < 1
            else None,
            "ratio_needed_definite": ratio_needed(x.pretest_probability, 0.90)
            if 0 < x.pretest_probability < 1
            else None,
        },
        missing=unknown,
        because=because,
    )


def log_odds_arrays(pretest: float, columns: Mapping[str, NDArray[np.int8]]) -> NDArray[np.float64]:
    """Vectorised post-test log-odds; each column holds 1 (present), 0 (absent), -1 (unknown).

    The same rows and rules as ``score`` (one definition); used by the population engine's tests.
    """
    n = len(next(iter(columns.values())))
    logit = np.full(n, math.log(pretest / (1.0 - pretest)))
    context = np.zeros(n, dtype=bool)
    for key in ("psoriasis", "ibd"):
        if key in columns:
            context |= columns[key] == 1
    for name in FINDINGS:
        col = columns.get(name)
        if col is None:
            continue
        rows = [LIKELIHOOD_RATIOS[name]]
        if name == "hla_b27":
            rows.append(HLA_B27_WITH_PSORIASIS_OR_IBD)
        for i, row in enumerate(rows):
            mask = (context if i else ~context) if name == "hla_b27" else np.ones(n, dtype=bool)
            logit += np.where(mask & (col == 1), math.log(row.lr_positive), 0.0)
            if row.use_negative:
                logit += np.where(mask & (col == 0), math.log(row.lr_negative), 0.0)
    return logit


SPEC = CalculatorSpec(
    name="axspa_probability",
    version="2006.1",
    title="Probability of axial spondyloarthritis from likelihood ratios (Rudwaleit/Sieper)",
    kind="probability",
    inputs=AxspaProbabilityInputs,
    compute=score,
    references=(RUDWALEIT_2004, SIEPER_RUDWALEIT_2005, RUDWALEIT_2006),
    bands=CATEGORIES,
    score_range=(0.0, 1.0),
    interpretation="Post-test probability of axSpA: unlikely < 10 % ≤ possible < 80 % ≤ "
    "probable < 90 % ≤ definite. Assumes the findings are independent, which overstates the "
    "probability when correlated findings (IBP, NSAID response, MRI) are positive together. "
    "Decision support, not a diagnosis.",
    unverified=(
        "LR rows for dactylitis (sens 18 %, spec 96 %: 4.5/0.85), psoriasis (10 %/96 %: "
        "2.5/0.94) and IBD (4 %/99 %: 4.0/0.97) were not seen in a source: the stored copy of "
        "the 2006 letter's Table 1 omits these rows and the 2004 paper's table was not "
        "retrievable; that a negative result for them is ignored was seen (letter footnote)",
        "the DOI of Sieper & Rudwaleit 2005 (10.1136/ard.2004.028753) was recalled, not seen; "
        "its Table 1 was read (ard.bmj.com table 176313)",
    ),
)
