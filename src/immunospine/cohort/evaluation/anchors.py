"""Published accuracy of EHR and claims case-finding for axSpA: the anchors an evaluation shows.

Real-data figures (chart review, enriched samples, free text); they are a sanity check for the
synthetic evaluation, never a target. Figures are kept as printed in the papers (text, ranges
allowed); ``docs/case-finding.md`` discusses them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ANCHORS", "Anchor"]


@dataclass(frozen=True, slots=True)
class Anchor:
    """A published accuracy figure for EHR/claims axSpA case-finding (``docs/case-finding.md``)."""

    study: str
    setting: str
    auc: str | None  # None: not reported
    sensitivity: str | None
    specificity: str | None
    ppv: str | None
    source: str


ANCHORS: tuple[Anchor, ...] = (
    Anchor(
        "Walsh et al. J Rheumatol 2020 (random forest 'Full')",
        "VA, enriched chart-review sample",
        "0.96",
        "0.85-0.95",
        "0.78-0.936",
        None,
        "http://www.pubmed.gov/30877217/",
    ),
    Anchor(
        "Walsh et al. BMC Musculoskelet Disord 2018 (>= 1 AS ICD-9 code)",
        "VA, 600 chart reviews",
        None,
        "0.573",
        None,
        "0.833",
        "https://bmcmusculoskeletdisord.biomedcentral.com/articles/10.1186/s12891-018-2211-7",
    ),
    Anchor(
        "Walsh et al. J Rheumatol 2021 ('Early' algorithm, IPW)",
        "VA, re-weighted to the general VA population",
        None,
        "0.90",
        None,
        "0.38",
        "Walsh et al. J Rheumatol 2021;48 (inverse-probability weighted validation)",
    ),
    Anchor(
        "Zhao et al. Rheumatology 2020 (NLP + ICD)",
        "two hospital EHRs, enriched",
        "0.93",
        "0.78",
        "0.94",
        "0.80",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC7850056",
    ),
    Anchor(
        "Deodhar et al. Clin Rheumatol 2020 (claims ML, future AS diagnosis)",
        "Truven claims, real prevalence",
        None,
        None,
        None,
        "0.0624",
        "https://www.springermedizin.de/use-of-machine-learning-techniques-in-the-"
        "development-and-refine/16690092",
    ),
)
