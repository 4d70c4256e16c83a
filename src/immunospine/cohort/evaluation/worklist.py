"""Score a case-finding worklist against the generator's truth: sensitivity, PPV, AUC, calibration.

The population is every person in ``truth.parquet`` who is **not** already diagnosed (a worklist
excludes known cases; any that slip in are counted and dropped). Persons missing from the worklist
count as not flagged, and for the population AUC they rank below every listed person (ties among
themselves). A second AUC is computed over listed persons only, and calibration uses listed persons
(they are the ones with a probability).

A worklist must come from the population of the truth file: every listed person must be in it,
and when the truth says who has chronic back pain (the generator's truth does), most listed persons
must have it — a screen lists only persons with chronic back pain, so a worklist screened from
another population with the same person ids is refused instead of scored (it would give an AUC
near 0.5 and no warning). A worklist of at least half the population (a scorer that ranks
everyone) selects nobody, so only the first rule applies to it.

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

from immunospine.cohort.evaluation.anchors import ANCHORS, Anchor
from immunospine.cohort.evaluation.metrics import (
    ECE_BINS,
    CalibrationBin,
    ThresholdMetrics,
    auc,
    brier,
    calibration_intercept_slope,
    calibration_table,
    confusion,
    expected_calibration_error,
    ratio,
)
from immunospine.errors import InputError
from immunospine.knowledge.probability.axspa import CATEGORIES

__all__ = [
    "DEFAULT_FLAG_CATEGORIES",
    "DEFAULT_TOP_K",
    "DISCLAIMER",
    "FLAG_CATEGORIES",
    "MAX_SHARE_WITHOUT_BACK_PAIN",
    "PROBABILITY_COLUMNS",
    "TRUTH_COLUMNS",
    "WHOLE_POPULATION_SHARE",
    "WORKLIST_COLUMNS",
    "Evaluation",
    "ProbabilityMetrics",
    "evaluate",
    "read_table",
]

WORKLIST_COLUMNS = ("person_id", "probability_literature", "category", "rank")
#: Probability columns a worklist can carry, evaluated side by side ("before and after").
PROBABILITY_COLUMNS = ("probability_literature", "probability_site")
TRUTH_COLUMNS = ("person_id", "has_axspa", "diagnosed")
#: The worklist categories a threshold can flag (the LR model's bands), lowest first.
FLAG_CATEGORIES: tuple[str, ...] = tuple(CATEGORIES.labels)
DEFAULT_FLAG_CATEGORIES = ("probable", "definite")
DEFAULT_TOP_K = (100, 1000, 10000)
#: A worklist is refused when more of its persons than this have no chronic back pain in the truth.
#: A screen of the truth's own population lists next to none (20,000 persons, seed 1: 0 of 1,943);
#: a worklist screened from another population with the same person ids about 80 % (1,536 of 1,923).
MAX_SHARE_WITHOUT_BACK_PAIN = 0.5
#: ... unless it lists at least this share of the truth's persons (it ranks all, selects none).
WHOLE_POPULATION_SHARE = 0.5
#: How many example person ids an error names.
EXAMPLES = 5
DISCLAIMER = (
    "Synthetic data: these figures show that the case-finding mechanics work end to end; they are "
    "not an estimate of real-world accuracy. Compare with the published anchors only as a sanity "
    "check."
)


@dataclass(frozen=True, slots=True)
class ProbabilityMetrics:
    """How well one probability column ranks and is calibrated (listed persons).

    ``ece``: expected calibration error over ``ece_bins`` equal-width bins; ``intercept`` and
    ``slope``: logistic calibration intercept (slope fixed at 1) and slope (ideal 0 and 1);
    ``thresholds``: the column's category bands and its own top-k order; ``reliability``: the
    bins (predicted vs observed), the data of a reliability chart.
    """

    column: str
    auc: float | None
    ece: float | None
    ece_bins: int
    intercept: float | None
    slope: float | None
    brier: float | None
    mean_predicted: float | None
    observed_rate: float | None
    thresholds: tuple[ThresholdMetrics, ...]
    reliability: tuple[CalibrationBin, ...]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """A worklist scored against the truth; counts are persons, ratios are None without data."""

    population: int  # undiagnosed persons in truth
    positives: int  # undiagnosed persons with axSpA
    listed: int  # undiagnosed persons on the worklist
    listed_positives: int
    diagnosed_dropped: int  # worklist rows for already-diagnosed persons (dropped)
    auc: float | None  # over the population; unlisted persons rank lowest
    auc_listed: float | None  # over listed persons only
    thresholds: tuple[ThresholdMetrics, ...]
    calibration: tuple[CalibrationBin, ...]
    #: The column the worklist's category and rank follow (and ``calibration`` bins).
    ranked_by: str = "probability_literature"
    #: One entry per probability column: literature first, then site (before and after).
    probabilities: tuple[ProbabilityMetrics, ...] = ()
    anchors: tuple[Anchor, ...] = ANCHORS
    disclaimer: str = DISCLAIMER

    @property
    def prevalence(self) -> float | None:
        return ratio(self.positives, self.population)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["prevalence"] = self.prevalence
        return d


def _column(table: pa.Table, name: str) -> npt.NDArray[Any]:
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False))


def evaluate(
    worklist: pa.Table,
    truth: pa.Table,
    *,
    flag_categories: Iterable[str] = DEFAULT_FLAG_CATEGORIES,
    top_k: Sequence[int] = DEFAULT_TOP_K,
    bins: int = ECE_BINS,
    worklist_label: str = "worklist",
    site_probability: npt.ArrayLike | None = None,
) -> Evaluation:
    """Evaluate ``worklist`` (person_id, probability_literature, category, rank) against ``truth``.

    A ``probability_site`` column (a calibrated screen) is evaluated beside the literature one;
    ``site_probability`` (one per worklist row, from ``--calibration``) stands in for it.

    ``flag_categories`` must be worklist categories (``FLAG_CATEGORIES``); each ``top_k`` at least
    1 (a K above the listed persons flags them all). Raises ``InputError`` naming the field.
    """
    cats = _checked_categories(flag_categories)
    ks = _checked_top_k(top_k)
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
        raise _other_population(
            worklist_label, w_pid[~known], w_pid.size, "are not in the truth file"
        )
    selects = w_pid.size < WHOLE_POPULATION_SHARE * t_pid.size
    if selects and "chronic_back_pain" in truth.column_names:
        t_cbp = _column(truth, "chronic_back_pain")[order].astype(bool)
        without = ~t_cbp[at]
        if without.sum() > MAX_SHARE_WITHOUT_BACK_PAIN * w_pid.size:
            raise _other_population(
                worklist_label,
                w_pid[without],
                w_pid.size,
                "have no chronic back pain in the truth file",
            )
    columns = {c: _column(worklist, c).astype(np.float64) for c in PROBABILITY_COLUMNS
               if c in worklist.column_names}  # fmt: skip
    if site_probability is not None:
        columns["probability_site"] = np.asarray(site_probability, dtype=np.float64)
    ranked_by = "probability_site" if "probability_site" in worklist.column_names else (
        "probability_literature"
    )  # fmt: skip
    w_prob = columns[ranked_by]
    w_rank = _column(worklist, "rank").astype(np.float64)
    w_cat = np.asarray(pc.utf8_lower(worklist.column("category").cast(pa.string())).to_pylist())
    keep = ~t_dx[at]
    diagnosed_dropped = int((~keep).sum())
    at, w_prob, w_rank, w_cat = at[keep], w_prob[keep], w_rank[keep], w_cat[keep]
    columns = {c: v[keep] for c, v in columns.items()}

    undx = ~t_dx
    population = int(undx.sum())
    labels_all = t_pos[undx]
    score = np.full(t_pid.size, -1.0)
    score[at] = w_prob

    flag = np.zeros(t_pid.size, dtype=bool)
    flag[at[np.isin(w_cat, cats)]] = True
    thresholds = [confusion(flag[undx], labels_all, categories=cats)]
    by_rank = at[np.argsort(w_rank, kind="stable")]
    for k in ks:
        flag_k = np.zeros(t_pid.size, dtype=bool)
        flag_k[by_rank[:k]] = True
        thresholds.append(confusion(flag_k[undx], labels_all, top_k=k))

    listed_pid = t_pid[at]
    per_column = tuple(
        _probability_metrics(c, p, t_pos[at], listed_pid, cats, ks, bins)
        for c, p in columns.items()
    )
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
        ranked_by=ranked_by,
        probabilities=per_column,
    )


def _band(p: npt.NDArray[np.float64]) -> npt.NDArray[Any]:
    """The ``CATEGORIES`` label of each probability (bounds as the knowledge says)."""
    bands = CATEGORIES.bands
    out = np.full(p.size, bands[-1].label, dtype=object)
    done = np.zeros(p.size, dtype=bool)
    for band in bands[:-1]:
        below = (p <= band.hi) if band.hi_inclusive else (p < band.hi)
        out[below & ~done] = band.label
        done |= below
    return out


def _probability_metrics(
    column: str,
    p: npt.NDArray[np.float64],
    y: npt.NDArray[np.bool_],
    pid: npt.NDArray[np.int64],
    cats: tuple[str, ...],
    ks: tuple[int, ...],
    bins: int,
) -> ProbabilityMetrics:
    intercept, slope = calibration_intercept_slope(p, y)
    thresholds = [confusion(np.isin(_band(p), cats), y, categories=cats)]
    order = np.lexsort((pid, -p))
    for k in ks:
        flag = np.zeros(p.size, dtype=bool)
        flag[order[:k]] = True
        thresholds.append(confusion(flag, y, top_k=k))
    return ProbabilityMetrics(
        column=column,
        auc=auc(p, y),
        ece=expected_calibration_error(p, y, bins),
        ece_bins=bins,
        intercept=intercept,
        slope=slope,
        brier=brier(p, y),
        mean_predicted=float(p.mean()) if p.size else None,
        observed_rate=float(y.mean()) if y.size else None,
        thresholds=tuple(thresholds),
        reliability=calibration_table(p, y, bins) if p.size else (),
    )


def _checked_categories(given: Iterable[str]) -> tuple[str, ...]:
    cats = tuple(dict.fromkeys(c.lower() for c in given))
    unknown = [c for c in cats if c not in FLAG_CATEGORIES]
    if unknown or not cats:
        raise InputError.single(
            ("flag_categories",),
            f"must name worklist categories, one or more of: {', '.join(FLAG_CATEGORIES)}",
            unknown[0] if unknown else [],
            context="cohort evaluate",
        )
    return cats


def _checked_top_k(given: Sequence[int]) -> tuple[int, ...]:
    for k in given:
        if k < 1:
            raise InputError.single(
                ("top_k",),
                "must be at least 1 (the number of top-ranked persons flagged)",
                k,
                context="cohort evaluate",
            )
    return tuple(sorted(set(given)))


def _other_population(label: str, persons: npt.NDArray[Any], listed: int, why: str) -> InputError:
    examples = ", ".join(str(int(p)) for p in persons[:EXAMPLES])
    more = ", …" if persons.size > EXAMPLES else ""
    return InputError.single(
        ("worklist",),
        f"{persons.size:,} of the {listed:,} listed persons {why} (person_id {examples}{more}); "
        "the worklist must be screened from the population of the truth file",
        label,
        context="cohort evaluate",
        code="other_population",
    )


def _check_worklist(worklist: pa.Table, label: str) -> None:
    kinds = {"person_id": pa.types.is_integer, "rank": _is_number}
    kinds |= {c: _is_number for c in PROBABILITY_COLUMNS if c in worklist.column_names}
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
    for name in PROBABILITY_COLUMNS:
        if name not in worklist.column_names:
            continue
        prob = _column(worklist, name).astype(np.float64)
        if prob.size and (np.nanmin(prob) < 0 or np.nanmax(prob) > 1):
            raise InputError.single(
                (name,), f"must lie in [0, 1] in {label}", context="worklist", has_value=False
            )


def _is_number(t: pa.DataType) -> bool:
    return bool(pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_decimal(t))


def read_table(path: Path | str, columns: Sequence[str], *, what: str) -> pa.Table:
    """Read a Parquet or CSV file (or a folder of Parquet part files) and check ``columns``.

    Errors name the file and the column.
    """
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    p = Path(path)
    parts = p.is_dir() and any(p.glob("*.parquet"))  # a folder of part files (partitioned)
    if not p.is_file() and not parts:
        raise InputError.single((what,), "file not found", str(p), context=what)
    try:
        if parts:
            table = pa.concat_tables(pq.read_table(f) for f in sorted(p.glob("*.parquet")))
        elif p.suffix.lower() in (".csv", ".txt"):
            table = pacsv.read_csv(p)
        else:
            table = pq.read_table(p)
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
