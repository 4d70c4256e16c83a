"""Score a case-finding worklist against the generator's truth: sensitivity, PPV, AUC, calibration.

The population is every person in ``truth.parquet`` who is **not** already diagnosed (a worklist
excludes known cases; any that slip in are counted and dropped). Persons missing from the worklist
count as not flagged, and for the population AUC they rank below every listed person (ties among
themselves). A second AUC is computed over listed persons only, and calibration uses listed persons
(they are the ones with a probability).

Synthetic data shows the mechanics of case-finding, not its real-world accuracy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from immunospine.errors import InputError

WORKLIST_COLUMNS = ("person_id", "probability", "category", "rank")
TRUTH_COLUMNS = ("person_id", "has_axspa", "diagnosed")
DEFAULT_FLAG_CATEGORIES = ("probable", "definite")
DEFAULT_TOP_K = (100, 1000, 10000)
DISCLAIMER = (
    "Synthetic data: these figures show that the case-finding mechanics work end to end; they are "
    "not an estimate of real-world accuracy. Compare with the published anchors only as a sanity "
    "check."
)


@dataclass(frozen=True, slots=True)
class Anchor:
    """A published accuracy figure for EHR/claims axSpA case-finding (omop-and-data.md §3)."""

    study: str
    setting: str
    auc: str
    sensitivity: str
    specificity: str
    ppv: str
    source: str


ANCHORS: tuple[Anchor, ...] = (
    Anchor(
        "Walsh et al. J Rheumatol 2020 (random forest 'Full')",
        "VA, enriched chart-review sample",
        "0.96",
        "0.85-0.95",
        "0.78-0.936",
        "-",
        "http://www.pubmed.gov/30877217/",
    ),
    Anchor(
        "Walsh et al. BMC Musculoskelet Disord 2018 (>= 1 AS ICD-9 code)",
        "VA, 600 chart reviews",
        "-",
        "0.573",
        "-",
        "0.833",
        "https://bmcmusculoskeletdisord.biomedcentral.com/articles/10.1186/s12891-018-2211-7",
    ),
    Anchor(
        "Walsh et al. J Rheumatol 2021 ('Early' algorithm, IPW)",
        "VA, re-weighted to the general VA population",
        "-",
        "0.90",
        "-",
        "0.38",
        "omop-and-data.md §3",
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
        "-",
        "-",
        "-",
        "0.0624",
        "omop-and-data.md §3",
    ),
)


@dataclass(frozen=True, slots=True)
class ThresholdMetrics:
    label: str
    flagged: int
    tp: int
    fp: int
    fn: int
    tn: int
    sensitivity: float | None
    specificity: float | None
    ppv: float | None
    npv: float | None


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    lower: float
    upper: float
    count: int
    positives: int
    mean_predicted: float | None
    observed_rate: float | None


@dataclass(frozen=True, slots=True)
class Evaluation:
    population: int  # undiagnosed persons in truth
    positives: int  # undiagnosed persons with axSpA
    listed: int  # undiagnosed persons on the worklist
    listed_positives: int
    diagnosed_dropped: int  # worklist rows for already-diagnosed persons (dropped)
    auc: float | None  # over the population; unlisted persons rank lowest
    auc_listed: float | None  # over listed persons only
    thresholds: tuple[ThresholdMetrics, ...]
    calibration: tuple[CalibrationBin, ...]
    anchors: tuple[Anchor, ...] = ANCHORS
    disclaimer: str = DISCLAIMER

    @property
    def prevalence(self) -> float | None:
        return _ratio(self.positives, self.population)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["prevalence"] = self.prevalence
        return d


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def auc(scores: npt.ArrayLike, labels: npt.ArrayLike) -> float | None:
    """Exact rank-based (Mann-Whitney) AUC with mid-ranks for ties; None without both classes."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    pos = int(y.sum())
    neg = y.size - pos
    if pos == 0 or neg == 0:
        return None
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    upper = np.cumsum(counts)
    midrank = upper - (counts - 1) / 2.0
    rank_sum = float(midrank[inverse][y].sum())
    return (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg)


def confusion(label: str, flagged: npt.ArrayLike, labels: npt.ArrayLike) -> ThresholdMetrics:
    f = np.asarray(flagged, dtype=bool)
    y = np.asarray(labels, dtype=bool)
    tp = int((f & y).sum())
    fp = int((f & ~y).sum())
    fn = int((~f & y).sum())
    tn = int((~f & ~y).sum())
    return ThresholdMetrics(
        label,
        tp + fp,
        tp,
        fp,
        fn,
        tn,
        _ratio(tp, tp + fn),
        _ratio(tn, tn + fp),
        _ratio(tp, tp + fp),
        _ratio(tn, tn + fn),
    )


def calibration_table(
    probability: npt.ArrayLike, labels: npt.ArrayLike, bins: int = 10
) -> tuple[CalibrationBin, ...]:
    """Equal-width probability bins (deciles by default): count, mean predicted, observed rate."""
    p = np.asarray(probability, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    b = np.minimum((p * bins).astype(np.int64), bins - 1)
    count = np.bincount(b, minlength=bins)
    positives = np.bincount(b, weights=y.astype(np.float64), minlength=bins)
    psum = np.bincount(b, weights=p, minlength=bins)
    out = []
    for i in range(bins):
        n = int(count[i])
        out.append(
            CalibrationBin(
                i / bins,
                (i + 1) / bins,
                n,
                int(positives[i]),
                float(psum[i] / n) if n else None,
                float(positives[i] / n) if n else None,
            )
        )
    return tuple(out)


def _column(table: pa.Table, name: str) -> npt.NDArray[Any]:
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False))


def evaluate(
    worklist: pa.Table,
    truth: pa.Table,
    *,
    flag_categories: Iterable[str] = DEFAULT_FLAG_CATEGORIES,
    top_k: Sequence[int] = DEFAULT_TOP_K,
    bins: int = 10,
    worklist_label: str = "worklist",
) -> Evaluation:
    """Evaluate ``worklist`` (person_id, probability, category, rank) against ``truth``."""
    t_pid = _column(truth, "person_id").astype(np.int64)
    t_pos = _column(truth, "has_axspa").astype(bool)
    t_dx = _column(truth, "diagnosed").astype(bool)
    order = np.argsort(t_pid, kind="stable")
    t_pid, t_pos, t_dx = t_pid[order], t_pos[order], t_dx[order]

    _check_worklist(worklist, worklist_label)
    w_pid = _column(worklist, "person_id").astype(np.int64)
    if np.unique(w_pid).size != w_pid.size:
        raise InputError.single(
            ("person_id",), "is repeated; one row per person", worklist_label, context="worklist"
        )
    at = np.searchsorted(t_pid, w_pid)
    known = (at < t_pid.size) & (t_pid[np.minimum(at, t_pid.size - 1)] == w_pid)
    if not known.all():
        missing = int(w_pid[~known][0])
        raise InputError.single(
            ("person_id",),
            f"person {missing} is not in the truth table",
            worklist_label,
            context="worklist",
        )
    w_prob = _column(worklist, "probability").astype(np.float64)
    w_rank = _column(worklist, "rank").astype(np.float64)
    w_cat = np.asarray(pc.utf8_lower(worklist.column("category").cast(pa.string())).to_pylist())
    keep = ~t_dx[at]
    diagnosed_dropped = int((~keep).sum())
    at, w_prob, w_rank, w_cat = at[keep], w_prob[keep], w_rank[keep], w_cat[keep]

    undx = ~t_dx
    population = int(undx.sum())
    labels_all = t_pos[undx]
    score = np.full(t_pid.size, -1.0)
    score[at] = w_prob
    listed_mask = np.zeros(t_pid.size, dtype=bool)
    listed_mask[at] = True

    thresholds: list[ThresholdMetrics] = []
    cats = tuple(c.lower() for c in flag_categories)
    flag = np.zeros(t_pid.size, dtype=bool)
    flag[at[np.isin(w_cat, cats)]] = True
    thresholds.append(confusion(f"category in {{{', '.join(cats)}}}", flag[undx], labels_all))
    by_rank = at[np.argsort(w_rank, kind="stable")]
    for k in sorted(set(top_k)):
        if k < 1 or k > by_rank.size:
            continue
        flag_k = np.zeros(t_pid.size, dtype=bool)
        flag_k[by_rank[:k]] = True
        thresholds.append(confusion(f"top {k:,} by rank", flag_k[undx], labels_all))

    return Evaluation(
        population=population,
        positives=int(labels_all.sum()),
        listed=int(at.size),
        listed_positives=int(t_pos[at].sum()),
        diagnosed_dropped=diagnosed_dropped,
        auc=auc(score[undx], labels_all),
        auc_listed=auc(w_prob, t_pos[at]),
        thresholds=tuple(thresholds),
        calibration=calibration_table(w_prob, t_pos[at], bins) if at.size else (),
    )


def _check_worklist(worklist: pa.Table, label: str) -> None:
    kinds = {"person_id": pa.types.is_integer, "rank": _is_number, "probability": _is_number}
    for name, ok in kinds.items():
        col = worklist.column(name)
        if not ok(col.type):
            raise InputError.single(
                (name,),
                f"must be numeric in {label}, got {col.type}",
                context="worklist",
                has_value=False,
            )
        if col.null_count:
            raise InputError.single(
                (name,),
                f"has {col.null_count} empty value(s) in {label}",
                context="worklist",
                has_value=False,
            )
    prob = _column(worklist, "probability").astype(np.float64)
    if prob.size and (np.nanmin(prob) < 0 or np.nanmax(prob) > 1):
        raise InputError.single(
            ("probability",), f"must lie in [0, 1] in {label}", context="worklist", has_value=False
        )


def _is_number(t: pa.DataType) -> bool:
    return bool(pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t))


def read_table(path: Path | str, columns: Sequence[str], *, what: str) -> pa.Table:
    """Read a Parquet or CSV file and check it has ``columns``; errors name the file and column."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    p = Path(path)
    if not p.is_file():
        raise InputError.single((what,), "file not found", str(p), context=what)
    try:
        table = pacsv.read_csv(p) if p.suffix.lower() in (".csv", ".txt") else pq.read_table(p)
    except (OSError, pa.ArrowException) as exc:
        raise InputError.single((what,), f"cannot be read ({exc})", str(p), context=what) from None
    for col in columns:
        if col not in table.column_names:
            raise InputError.single(
                (col,),
                f"column missing from {p} (has: {', '.join(table.column_names)})",
                context=what,
                has_value=False,
                code="missing",
            )
    return table
