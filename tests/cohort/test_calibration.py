"""Site calibration (``cohort.calibration``): estimation, shrinkage, site.toml, the calibrated
worklist on every backend, the evaluation's calibration metrics, and recovery of planted habits."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from immunospine.cohort import calibration as sc
from immunospine.cohort.backends.duckdb import DuckDBBackend
from immunospine.cohort.evaluation import (
    brier,
    calibration_intercept_slope,
    evaluate,
    expected_calibration_error,
)
from immunospine.cohort.plan import ScreenPlan
from immunospine.cohort.runner import run_calibrate, run_screen
from immunospine.errors import InputError
from immunospine.knowledge.probability.axspa import FINDINGS
from tests.cohort.test_backends import PG_URL, needs_postgres, needs_spark
from tests.cohort.test_engine_support import build_testbed, random_population

FIT_META = {
    "adults": 100_000,
    "diagnosed_all": 500,
    "first_date": "2005-01-01",
    "last_date": "2024-12-31",
    "chronic_back_pain": 10_000,
    "diagnosed": 450,
}


def _planted(n_cases: int, n_controls: int, seed: int = 5) -> tuple[dict, np.ndarray, np.ndarray]:
    """Uveitis in 30 % of axSpA and 1 % of others; the controls hide undiagnosed axSpA at the
    base rate of ``FIT_META`` (414 / 9,550), so the case/control LR is 0.30 / 0.0226 = 13.3."""
    rng = np.random.default_rng(seed)
    y = np.r_[np.ones(n_cases, bool), np.zeros(n_controls, bool)]
    hidden = ~y & (rng.random(y.size) < 414 / 9550)
    states = {name: np.full(y.size, 2, np.int8) for name in FINDINGS}
    uv = rng.random(y.size) < np.where(y | hidden, 0.30, 0.01)
    states["anterior_uveitis"] = np.where(uv, 0, 2).astype(np.int8)
    return states, y, np.arange(y.size, dtype=np.int64)


def _fit(states: dict, y: np.ndarray, pid: np.ndarray, **kw: object) -> sc.SiteCalibration:
    now = {k: v[~y] for k, v in states.items()}
    return sc.fit(states, y, pid, worklist_states=now, **FIT_META, **kw)  # type: ignore[arg-type]


def _row(cal: sc.SiteCalibration, finding: str, state: str) -> sc.FindingCalibration:
    return next(f for f in cal.findings if f.finding == finding and f.state == state)


def test_site_lr_with_plenty_of_data_is_the_site_figure_with_a_ci() -> None:
    cal = _fit(*_planted(3000, 30000))
    row = _row(cal, "anterior_uveitis", "present")
    assert row.site_lr_low < 13.3 < row.site_lr_high
    assert 11 < row.shrunk_lr < 16  # published 7.3 barely pulls 900 cases
    assert row.published_lr == 7.3


def test_shrinkage_pulls_a_small_site_toward_the_published_ratio() -> None:
    small = _row(_fit(*_planted(20, 200)), "anterior_uveitis", "present")
    big = _row(_fit(*_planted(3000, 30000)), "anterior_uveitis", "present")
    assert abs(math.log(small.shrunk_lr / 7.3)) < abs(math.log(small.site_lr / 7.3))
    assert abs(math.log(small.shrunk_lr / 7.3)) > abs(math.log(big.shrunk_lr / big.site_lr)) - 1
    none = _row(_fit(*_planted(20, 200), pseudo_observations=0), "anterior_uveitis", "present")
    assert none.shrunk_lr == pytest.approx(none.site_lr)


def test_intercept_makes_the_worklist_mean_the_base_rate() -> None:
    states, y, pid = _planted(3000, 30000)
    cal = _fit(states, y, pid)
    p = 1 / (1 + np.exp(-sc.site_log_odds(cal, {k: v[~y] for k, v in states.items()})))
    assert p.mean() == pytest.approx(cal.base_rate, rel=1e-6)
    assert 0.5 < cal.slope < 2.0


def test_scaled_logistic_recovers_the_slope_when_controls_hide_cases() -> None:
    rng = np.random.default_rng(4)
    x = rng.normal(0, 1.5, 200_000)
    has = rng.random(x.size) < 1 / (1 + np.exp(-(-3.0 + 1.0 * x)))
    labelled = has & (rng.random(x.size) < 0.5)  # half the cases are diagnosed
    ceiling = labelled.sum() / has.sum()
    _, plain = sc.logistic_fit(x, labelled)
    _, scaled = sc.scaled_logistic_fit(x, labelled, ceiling)
    assert scaled == pytest.approx(1.0, abs=0.05)
    assert plain < scaled


def test_a_slope_from_few_cases_is_shrunk_toward_one() -> None:
    assert sc._shrunk_slope(3.0, 4.0) == pytest.approx((3.0 / 4.0 + 4.0) / (1 / 4.0 + 4.0))
    assert sc._shrunk_slope(3.0, 1e-6) == pytest.approx(3.0, abs=1e-4)
    assert sc._shrunk_slope(3.0, math.inf) == 1.0


def test_base_rate_from_published_prevalence_and_the_diagnosed() -> None:
    # 0.0096 × 100,000 = 960 expected; 500 diagnosed, 450 of them in the population (90 %):
    # 0.9 × 460 = 414 expected undiagnosed among 9,550.
    assert sc.base_rate(100_000, 500, 10_000, 450) == pytest.approx(414 / 9550)
    assert sc.base_rate(1_000, 500, 10_000, 450) == 0.001  # more diagnosed than expected: floor
    with pytest.raises(InputError, match="calibration needs both"):
        sc.base_rate(1000, 0, 10, 0)


def test_index_dates_match_controls_to_the_case_delays() -> None:
    first_bp = np.array([0.0, 100.0, 1000.0, 5000.0, 300.0])
    first_dx = np.array([400.0, np.nan, np.nan, np.nan, 310.0])
    days, kept = sc.index_dates(first_bp, first_dx, last_day=5200, seed=1, min_delay_days=30)
    # the one kept delay (400), capped after the data end; the case diagnosed 10 days after its
    # first back-pain code has no history before its diagnosis and is left out
    assert list(days[kept]) == [400, 500, 1400, 5201] and list(kept) == [True] * 4 + [False]


def test_site_toml_round_trips_and_is_validated(tmp_path: Path) -> None:
    cal = _fit(*_planted(300, 3000))
    path = tmp_path / "site.toml"
    path.write_text(sc.to_toml(cal))
    assert sc.load(path) == cal
    text = path.read_text()
    path.write_text(text.replace("slope =", "slpoe ="))
    with pytest.raises(InputError, match=r"recalibration.slpoe.*nearest: slope"):
        sc.load(path)
    path.write_text(text.replace("lookback_years = 10.0", "lookback_years = -1.0"))
    with pytest.raises(
        InputError, match=r"settings.lookback_years = -1: must be between 0.25 and 100"
    ):
        sc.load(path)
    path.write_text(text.replace('finding = "ibd"', 'finding = "ibdd"'))
    with pytest.raises(InputError, match=r"unknown finding; nearest: ibd"):
        sc.load(path)
    path.write_text(text.replace("version = 1", "version = 7"))
    with pytest.raises(InputError, match="version"):
        sc.load(path)
    with pytest.raises(InputError, match="file not found"):
        sc.load(tmp_path / "nope.toml")


def test_settings_out_of_range_are_refused() -> None:
    with pytest.raises(InputError, match=r"holdout_share = 0\.95"):
        _fit(*_planted(30, 300), holdout_share=0.95)


def test_calibration_metrics() -> None:
    y = np.array([0, 0, 0, 1] * 250, dtype=bool)
    assert expected_calibration_error(np.full(y.size, 0.25), y) == pytest.approx(0.0)
    assert expected_calibration_error(np.full(y.size, 0.35), y) == pytest.approx(0.10)
    assert brier(np.full(y.size, 0.25), y) == pytest.approx(0.1875)
    rng = np.random.default_rng(3)
    p = rng.uniform(0.01, 0.99, 20000)
    yy = rng.random(p.size) < p
    intercept, slope = calibration_intercept_slope(p, yy)
    assert intercept == pytest.approx(0.0, abs=0.05) and slope == pytest.approx(1.0, abs=0.05)
    # over-confident predictions: slope below 1
    lo = np.log(p / (1 - p))
    _, steep = calibration_intercept_slope(1 / (1 + np.exp(-2 * lo)), yy)
    assert steep == pytest.approx(0.5, abs=0.05)


def _fixed_calibration() -> sc.SiteCalibration:
    """A hand-made calibration with awkward decimals (not fitted: tests the SQL only)."""
    cal = _fit(*_planted(300, 3000))
    rows = [
        dataclasses.replace(f, shrunk_lr=1.0 + 0.37 * i + 1 / 3) for i, f in enumerate(cal.findings)
    ]
    return dataclasses.replace(cal, findings=tuple(rows), intercept=-3.1234567, slope=0.8765)


def _screen(backend: object, out: Path, cal: sc.SiteCalibration) -> list[dict]:
    run_screen(backend, out, calibration=cal)  # type: ignore[arg-type]
    return pq.read_table(out).to_pylist()


def test_calibrated_worklist_ranks_by_the_site_probability(tmp_path: Path) -> None:
    cal = _fixed_calibration()
    people = random_population(seed=11, n=80)
    backend = DuckDBBackend(build_testbed(people).write_parquet(tmp_path / "d"))
    try:
        rows = _screen(backend, tmp_path / "w.parquet", cal)
    finally:
        backend.close()
    assert list(rows[0])[:5] == [
        "rank",
        "person_id",
        "probability_site",
        "probability_literature",
        "category",
    ]
    states = {n: sc.states_of([r[n] for r in rows]) for n in FINDINGS}
    expect = 1 / (1 + np.exp(-sc.site_log_odds(cal, states)))
    assert np.allclose([r["probability_site"] for r in rows], expect, rtol=0, atol=1e-12)
    site = [r["probability_site"] for r in rows]
    assert site == sorted(site, reverse=True)
    assert all(r["category"] == ("unlikely" if r["probability_site"] < 0.1 else r["category"])
               for r in rows)  # fmt: skip


@pytest.mark.postgres
@needs_postgres
def test_calibrated_worklist_is_identical_on_postgres(tmp_path: Path) -> None:
    from immunospine.cohort.backends.postgres import PostgresBackend

    cal = _fixed_calibration()
    people = random_population(seed=12, n=80)
    duck = DuckDBBackend(build_testbed(people).write_parquet(tmp_path / "d"))
    try:
        a = _screen(duck, tmp_path / "a.parquet", cal)
    finally:
        duck.close()
    with build_testbed(people).postgres_schema(PG_URL) as schema:
        pg = PostgresBackend(PG_URL, schema=schema)
        try:
            b = _screen(pg, tmp_path / "b.parquet", cal)
        finally:
            pg.close()
    assert [r["person_id"] for r in a] == [r["person_id"] for r in b]
    for ra, rb in zip(a, b, strict=True):
        for col in ("probability_site", "probability_literature"):
            assert math.isclose(ra.pop(col), rb.pop(col), abs_tol=1e-12)
        assert ra == rb


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@needs_spark
def test_calibrated_worklist_is_identical_on_spark(tmp_path: Path) -> None:
    from immunospine.cohort.backends.spark import SparkBackend

    cal = _fixed_calibration()
    people = random_population(seed=13, n=60)
    duck = DuckDBBackend(build_testbed(people).write_parquet(tmp_path / "d"))
    try:
        a = _screen(duck, tmp_path / "a.parquet", cal)
    finally:
        duck.close()
    spark = SparkBackend(build_testbed(people).write_parquet(tmp_path / "s"))
    try:
        b = _screen(spark, tmp_path / "b.parquet", cal)
    finally:
        spark.close()
    assert [r["person_id"] for r in a] == [r["person_id"] for r in b]
    for ra, rb in zip(a, b, strict=True):
        for col in ("probability_site", "probability_literature"):
            assert math.isclose(ra.pop(col), rb.pop(col), abs_tol=1e-12)
        assert ra == rb


@pytest.mark.postgres
@needs_postgres
def test_calibrate_on_postgres_equals_duckdb(tmp_path: Path) -> None:
    from immunospine.cohort.backends.postgres import PostgresBackend

    people = random_population(seed=7, n=300)
    duck = DuckDBBackend(build_testbed(people).write_parquet(tmp_path / "d"))
    try:
        a = run_calibrate(duck, workup_days=0, min_history_days=0)
    finally:
        duck.close()
    with build_testbed(people).postgres_schema(PG_URL) as schema:
        pg = PostgresBackend(PG_URL, schema=schema)
        try:
            b = run_calibrate(pg, workup_days=0, min_history_days=0)
        finally:
            pg.close()
    assert a.fit_cases > 0 and a == b


def test_calibrated_sql_shows_the_site_terms() -> None:
    sql = ScreenPlan(calibration=_fixed_calibration()).to_sql("duckdb")
    assert "probability_site" in sql and "-3.123456700000000" in sql


def _generate(out: Path, n: int, seed: int, overrides: dict[str, float] | None = None) -> Path:
    from immunospine.cohort.synthetic import generate

    generate(out, n, seed, overrides=overrides)
    return out


def _calibrate(data: Path) -> sc.SiteCalibration:
    backend = DuckDBBackend(data)
    try:
        return run_calibrate(backend, seed=1)
    finally:
        backend.close()


@pytest.mark.slow
def test_calibration_recovers_a_planted_coding_habit_and_calibrates(tmp_path: Path) -> None:
    """A site that codes uveitis ten times as often in persons without axSpA as the default (an
    eye clinic's population, say): the site LR of uveitis falls well below the plain site's and
    the published 7.3, and on another population of the same site (other seed; truth only for
    the evaluation) the site probability is calibrated where the literature's is not."""
    habit = {"uveitis_other": 0.03}
    plain = _calibrate(_generate(tmp_path / "plain", 60_000, 1))
    site = _calibrate(_generate(tmp_path / "site", 60_000, 1, habit))
    planted = _row(site, "anterior_uveitis", "present")
    assert planted.site_lr < 0.5 * _row(plain, "anterior_uveitis", "present").site_lr
    assert planted.shrunk_lr < planted.published_lr
    other = _generate(tmp_path / "other", 60_000, 2, habit)
    backend = DuckDBBackend(other)
    try:
        summary = run_screen(backend, tmp_path / "w.parquet", calibration=site)
    finally:
        backend.close()
    assert summary.ranked_by == "probability_site"
    assert "ranked by probability_site" in summary.disclaimer
    ev = evaluate(pq.read_table(tmp_path / "w.parquet"), pq.read_table(other / "truth.parquet"))
    lit, cal = ev.probabilities
    assert (lit.column, cal.column) == ("probability_literature", "probability_site")
    assert ev.ranked_by == "probability_site"
    assert cal.ece is not None and lit.ece is not None
    assert cal.ece < 0.035 < lit.ece
    assert cal.brier is not None and lit.brier is not None and cal.brier < lit.brier


@pytest.mark.slow
def test_cli_calibrate_screen_and_evaluate_before_and_after(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from immunospine.cli import main

    data = _generate(tmp_path / "omop", 12_000, 3)
    site, wl = tmp_path / "site.toml", tmp_path / "w.parquet"
    assert main(["cohort", "calibrate", "--data", str(data), "-o", str(site), "-q"]) == 0
    assert "log-odds =" in capsys.readouterr().out and sc.load(site).version == sc.VERSION
    assert main(["cohort", "screen", "--data", str(data), "-o", str(wl), "-q"]) == 0
    capsys.readouterr()
    argv = ["cohort", "evaluate", "-w", str(wl), "-t", str(data), "--calibration", str(site)]
    assert main([*argv, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [m["column"] for m in d["probabilities"]] == [
        "probability_literature",
        "probability_site",
    ]
    assert all(m["ece"] is not None and len(m["reliability"]) == 10 for m in d["probabilities"])
    assert main(argv) == 0
    assert "ECE" in capsys.readouterr().out
    bad = ["cohort", "calibrate", "--data", str(data), "-o", str(site), "--holdout-share", "2"]
    assert main(bad) == 2
    assert "--holdout-share = 2" in capsys.readouterr().err
