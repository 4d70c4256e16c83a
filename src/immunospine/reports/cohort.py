"""Case-finding results as plain text for a terminal: generation, screen summary, evaluation.

The only place that rounds or lays out cohort figures for people; the services and
``immunospine.cohort`` return values. This module cannot import ``immunospine.cohort`` (a sibling
layer), so it describes what it reads as Protocols: any object with these attributes renders,
``ScreenSummary``, ``GenerationResult`` and ``Evaluation`` among them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

__all__ = [
    "CASE_FINDING_DOC",
    "calibration_markdown",
    "calibration_text",
    "evaluation_text",
    "generation_text",
    "probability_lines",
    "screen_summary_lines",
    "screen_summary_text",
    "threshold_label",
]

#: The user-facing document that explains the screen, the worklist and the evaluation.
CASE_FINDING_DOC = "docs/case-finding.md"
#: How many missing concept ids a summary names before "…".
MISSING_IDS_SHOWN = 12


class GenerationLike(Protocol):
    @property
    def out_dir(self) -> Path: ...
    @property
    def persons(self) -> int: ...
    @property
    def rows(self) -> Mapping[str, int]: ...
    @property
    def disclaimer(self) -> str: ...


class ScreenSummaryLike(Protocol):
    @property
    def backend(self) -> str: ...
    @property
    def out(self) -> Path: ...
    @property
    def back_pain(self) -> int: ...
    @property
    def chronic_back_pain(self) -> int: ...
    @property
    def diagnosed(self) -> int: ...
    @property
    def screened(self) -> int: ...
    @property
    def categories(self) -> Mapping[str, int]: ...
    @property
    def concepts_expanded(self) -> bool: ...
    @property
    def missing_concept_ids(self) -> Sequence[int]: ...
    @property
    def concept_source(self) -> str: ...
    @property
    def unresolved_codes(self) -> Sequence[str]: ...
    @property
    def disclaimer(self) -> str: ...
    @property
    def ranked_by(self) -> str: ...


class ThresholdLike(Protocol):
    @property
    def categories(self) -> Sequence[str]: ...
    @property
    def top_k(self) -> int | None: ...
    @property
    def flagged(self) -> int: ...
    @property
    def tp(self) -> int: ...
    @property
    def fp(self) -> int: ...
    @property
    def fn(self) -> int: ...
    @property
    def sensitivity(self) -> float | None: ...
    @property
    def specificity(self) -> float | None: ...
    @property
    def ppv(self) -> float | None: ...


class CalibrationBinLike(Protocol):
    @property
    def lower(self) -> float: ...
    @property
    def upper(self) -> float: ...
    @property
    def count(self) -> int: ...
    @property
    def mean_predicted(self) -> float | None: ...
    @property
    def observed_rate(self) -> float | None: ...


class AnchorLike(Protocol):
    @property
    def study(self) -> str: ...
    @property
    def setting(self) -> str: ...
    @property
    def auc(self) -> str | None: ...
    @property
    def sensitivity(self) -> str | None: ...
    @property
    def specificity(self) -> str | None: ...
    @property
    def ppv(self) -> str | None: ...


class ProbabilityMetricsLike(Protocol):
    @property
    def column(self) -> str: ...
    @property
    def auc(self) -> float | None: ...
    @property
    def ece(self) -> float | None: ...
    @property
    def ece_bins(self) -> int: ...
    @property
    def intercept(self) -> float | None: ...
    @property
    def slope(self) -> float | None: ...
    @property
    def brier(self) -> float | None: ...
    @property
    def mean_predicted(self) -> float | None: ...
    @property
    def observed_rate(self) -> float | None: ...
    @property
    def thresholds(self) -> Sequence[ThresholdLike]: ...
    @property
    def reliability(self) -> Sequence[CalibrationBinLike]: ...


class FindingCalibrationLike(Protocol):
    @property
    def finding(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def cases(self) -> int: ...
    @property
    def controls(self) -> int: ...
    @property
    def site_lr(self) -> float: ...
    @property
    def site_lr_low(self) -> float: ...
    @property
    def site_lr_high(self) -> float: ...
    @property
    def published_lr(self) -> float: ...
    @property
    def shrunk_lr(self) -> float: ...


class SiteCalibrationLike(Protocol):
    @property
    def adults(self) -> int: ...
    @property
    def diagnosed_all(self) -> int: ...
    @property
    def first_date(self) -> str: ...
    @property
    def last_date(self) -> str: ...
    @property
    def chronic_back_pain(self) -> int: ...
    @property
    def diagnosed(self) -> int: ...
    @property
    def lookback_years(self) -> float: ...
    @property
    def workup_days(self) -> int: ...
    @property
    def min_history_days(self) -> int: ...
    @property
    def published_prevalence(self) -> float: ...
    @property
    def base_rate(self) -> float: ...
    @property
    def pseudo_observations(self) -> int: ...
    @property
    def fit_cases(self) -> int: ...
    @property
    def fit_controls(self) -> int: ...
    @property
    def holdout_cases(self) -> int: ...
    @property
    def holdout_controls(self) -> int: ...
    @property
    def intercept(self) -> float: ...
    @property
    def slope(self) -> float: ...
    @property
    def findings(self) -> Sequence[FindingCalibrationLike]: ...


class EvaluationLike(Protocol):
    @property
    def population(self) -> int: ...
    @property
    def positives(self) -> int: ...
    @property
    def prevalence(self) -> float | None: ...
    @property
    def listed(self) -> int: ...
    @property
    def listed_positives(self) -> int: ...
    @property
    def diagnosed_dropped(self) -> int: ...
    @property
    def auc(self) -> float | None: ...
    @property
    def auc_listed(self) -> float | None: ...
    @property
    def thresholds(self) -> Sequence[ThresholdLike]: ...
    @property
    def calibration(self) -> Sequence[CalibrationBinLike]: ...
    @property
    def ranked_by(self) -> str: ...
    @property
    def probabilities(self) -> Sequence[ProbabilityMetricsLike]: ...
    @property
    def anchors(self) -> Sequence[AnchorLike]: ...
    @property
    def disclaimer(self) -> str: ...


class CalibrationItemLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def source(self) -> str: ...


def _fixed(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def generation_text(result: GenerationLike) -> str:
    """What ``cohort generate`` wrote: rows per table, and that the data is synthetic."""
    names = [*result.rows, "truth"]
    width = max(len(t) for t in names)
    lines = [f"Wrote a synthetic OMOP CDM 5.4 of {result.persons:,} persons to {result.out_dir}"]
    lines += [f"  {t:<{width}}  {n:>13,} rows" for t, n in result.rows.items()]
    lines += [f"  {'truth':<{width}}  {result.persons:>13,} rows", "", result.disclaimer]
    return "\n".join(lines)


def screen_summary_lines(summary: ScreenSummaryLike) -> list[str]:
    """The screen's counts as short aligned lines, then anything a reader could misread."""
    out = [
        f"persons with a back-pain code:          {summary.back_pain:>12,}",
        f"  with chronic back pain (population):  {summary.chronic_back_pain:>12,}",
        f"  excluded, already diagnosed axSpA:    {summary.diagnosed:>12,}",
        f"  screened (rows in the worklist):      {summary.screened:>12,}",
    ]
    out.append(f"  ranked and categorised by:             {summary.ranked_by:>12}")
    out += [f"    {label:<35} {n:>12,}" for label, n in summary.categories.items()]
    if summary.screened == 0:
        out.append(
            "0 persons screened: no undiagnosed person with chronic back pain in this CDM "
            "(the worklist file has its columns and no rows)."
        )
    missing = list(summary.missing_concept_ids)
    if missing:
        shown = ", ".join(str(i) for i in missing[:MISSING_IDS_SHOWN])
        more = " …" if len(missing) > MISSING_IDS_SHOWN else ""
        out.append(
            f"note: {len(missing)} concept id(s) of the shipped concept sets are not in this "
            f"CDM's concept table (their rows cannot occur): {shown}{more}"
        )
    if summary.concept_source == "shipped":
        out.append(
            "note: no concept table: the concept sets' shipped standard ids were used; their "
            "codes could not be resolved, and concepts without a shipped id match nothing"
        )
    unresolved = list(summary.unresolved_codes)
    if unresolved:
        per_set: dict[str, int] = {}
        for item in unresolved:
            name = item.split(":", 1)[0]
            per_set[name] = per_set.get(name, 0) + 1
        shown = ", ".join(f"{name} {n}" for name, n in per_set.items())
        out.append(
            f"note: {len(unresolved)} concept(s) of the shipped sets do not resolve in this CDM "
            f"({shown}); their records cannot be matched. Per code and why: immunospine cohort "
            "concepts"
        )
    if not summary.concepts_expanded:
        out.append(
            "note: no concept_ancestor table: concept sets used as listed, without descendants"
        )
    return out


def screen_summary_text(summary: ScreenSummaryLike) -> str:
    """The whole terminal report of ``cohort screen``: file, counts, notes and the disclaimer."""
    lines = [f"worklist: {summary.out} ({summary.backend})", *screen_summary_lines(summary)]
    return "\n".join([*lines, summary.disclaimer])


def threshold_label(m: ThresholdLike) -> str:
    """``category in {probable, definite}`` or ``top 1,000 by rank`` (noting a shorter list)."""
    if m.top_k is None:
        return f"category in {{{', '.join(m.categories)}}}"
    label = f"top {m.top_k:,} by rank"
    return label if m.flagged >= m.top_k else f"{label} (all {m.flagged:,} listed)"


def evaluation_text(ev: EvaluationLike) -> str:
    """A plain-text report: population, thresholds, AUC, calibration and the published anchors."""
    lines = [
        "Worklist evaluation (undiagnosed persons only)",
        "==============================================",
        f"Population {ev.population:,}; axSpA {ev.positives:,} "
        f"(prevalence {_fixed(ev.prevalence, 4)})",
        f"Listed {ev.listed:,}, of whom axSpA {ev.listed_positives:,}; "
        f"already-diagnosed rows dropped {ev.diagnosed_dropped:,}",
        f"AUC (population, unlisted ranked lowest) {_fixed(ev.auc)}; AUC (listed only) "
        f"{_fixed(ev.auc_listed)}",
        "",
    ]
    labels = [threshold_label(m) for m in ev.thresholds]
    width = max([34, *map(len, labels)])
    lines.append(
        f"{'threshold':<{width}} {'flagged':>9} {'TP':>7} {'FP':>8} {'FN':>7} "
        f"{'sens':>6} {'spec':>6} {'PPV':>6}"
    )
    for label, m in zip(labels, ev.thresholds, strict=True):
        lines.append(
            f"{label:<{width}} {m.flagged:>9,} {m.tp:>7,} {m.fp:>8,} {m.fn:>7,} "
            f"{_fixed(m.sensitivity):>6} {_fixed(m.specificity):>6} {_fixed(m.ppv):>6}"
        )
    lines.append(f"(categories and ranks of the worklist follow {ev.ranked_by})")
    lines += probability_lines(ev.probabilities)
    lines += ["", f"Published anchors (real data; see {CASE_FINDING_DOC})"]
    for a in ev.anchors:
        lines.append(
            f"  {a.study}: AUC {a.auc or '-'}, sens {a.sensitivity or '-'}, "
            f"spec {a.specificity or '-'}, PPV {a.ppv or '-'} [{a.setting}]"
        )
    lines += ["", ev.disclaimer, f"How to read these figures: {CASE_FINDING_DOC}"]
    return "\n".join(lines)


def probability_lines(metrics: Sequence[ProbabilityMetricsLike]) -> list[str]:
    """Before and after: AUC, ECE, calibration intercept and slope, Brier, then per column its
    thresholds (own bands, own order) and reliability table (listed persons)."""
    if not metrics:
        return []
    lines = [
        "",
        "Probabilities (listed persons): literature = published LRs at 5 %; site = calibrated",
        f"{'column':<24} {'AUC':>6} {'ECE':>6} {'intercept':>9} {'slope':>6} {'Brier':>7} "
        f"{'mean p':>7} {'observed':>8}",
    ]
    for m in metrics:
        lines.append(
            f"{m.column:<24} {_fixed(m.auc):>6} {_fixed(m.ece, 4):>6} {_fixed(m.intercept, 2):>9} "
            f"{_fixed(m.slope, 2):>6} {_fixed(m.brier, 4):>7} {_fixed(m.mean_predicted, 4):>7} "
            f"{_fixed(m.observed_rate, 4):>8}"
        )
    bins = metrics[0].ece_bins
    lines.append(
        f"ECE: {bins} equal-width probability bins weighted by persons; intercept with the slope "
        "fixed at 1; ideal 0, 0 and 1"
    )
    for m in metrics:
        labels = [threshold_label(t) for t in m.thresholds]
        width = max([34, *map(len, labels)])
        lines += ["", f"{m.column}: thresholds (its own bands and order)"]
        lines.append(
            f"{'threshold':<{width}} {'flagged':>9} {'TP':>7} {'FP':>8} {'FN':>7} "
            f"{'sens':>6} {'spec':>6} {'PPV':>6}"
        )
        for label, t in zip(labels, m.thresholds, strict=True):
            lines.append(
                f"{label:<{width}} {t.flagged:>9,} {t.tp:>7,} {t.fp:>8,} {t.fn:>7,} "
                f"{_fixed(t.sensitivity):>6} {_fixed(t.specificity):>6} {_fixed(t.ppv):>6}"
            )
        lines += [
            f"{m.column}: reliability",
            f"{'probability':<12} {'n':>9} {'mean p':>7} {'observed':>8}",
        ]
        for b in m.reliability:
            lines.append(
                f"{b.lower:.1f}-{b.upper:.1f}      {b.count:>9,} {_fixed(b.mean_predicted):>7} "
                f"{_fixed(b.observed_rate):>8}"
            )
    return lines


def calibration_text(cal: SiteCalibrationLike, out: Path) -> str:
    """What ``cohort calibrate`` estimated: data, base rate, recalibration, the finding table."""
    lines = [
        f"site calibration: {out}",
        f"data: {cal.adults:,} adults, {cal.first_date} to {cal.last_date}; chronic back pain "
        f"{cal.chronic_back_pain:,}, diagnosed among them {cal.diagnosed:,} "
        f"(any axSpA code: {cal.diagnosed_all:,})",
        f"cases: findings {cal.lookback_years:g} years before the first diagnosis, leaving out "
        f"the last {cal.workup_days} days (work-up), diagnosed at least {cal.min_history_days} "
        "days before that after their first back-pain code; controls at a matched date",
        f"base rate (undiagnosed chronic back pain with axSpA): {cal.base_rate:.4f} from the "
        f"published adult prevalence {cal.published_prevalence:.4f}",
        f"likelihood ratios from {cal.fit_cases:,} cases / {cal.fit_controls:,} controls; "
        f"recalibration on {cal.holdout_cases:,} / {cal.holdout_controls:,} held out: "
        f"log-odds = {cal.intercept:.3f} + {cal.slope:.3f} × Σ ln LR",
        "",
        f"{'finding':<24} {'state':<8} {'cases':>6} {'controls':>8} {'site LR':>8} "
        f"{'95 % CI':>17} {'published':>9} {'shrunk':>7}",
    ]
    for f in cal.findings:
        if f.cases == 0 and f.controls == 0:
            continue
        ci = f"{f.site_lr_low:.2f}-{f.site_lr_high:.2f}"
        lines.append(
            f"{f.finding:<24} {f.state:<8} {f.cases:>6,} {f.controls:>8,} {f.site_lr:>8.2f} "
            f"{ci:>17} {f.published_lr:>9.2f} {f.shrunk_lr:>7.2f}"
        )
    lines += [
        f"(states without records are not shown; their LR is the published one, pseudo-count "
        f"{cal.pseudo_observations})",
        f"Use it: immunospine cohort screen --calibration {out}. Method: {CASE_FINDING_DOC}.",
    ]
    return "\n".join(lines)


def calibration_markdown(items: Sequence[CalibrationItemLike]) -> str:
    """The generator's calibration table as Markdown (parameter, value, source)."""
    lines = ["| parameter | value | source |", "|---|---|---|"]
    lines += [f"| {c.name} | {c.value:g} | {c.source} |" for c in items]
    return "\n".join(lines)
