"""``immunospine cohort screen``: rank undiagnosed chronic back pain for axSpA review; and
``immunospine cohort calibrate``: fit the worklist's probabilities to the site's own diagnoses.

The OMOP source is ``--data`` (Parquet folder or DuckDB file) or ``--omop-url`` (PostgreSQL);
``--db`` is kept for the patient database everywhere else, so it is not an option here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from immunospine.cli.cohort import cohort_app, flags_for_fields

#: The service's field names → this command's flags (for error messages).
FLAGS = {
    "backend": "--backend",
    "out": "--out",
    "data": "--data",
    "omop_url": "--omop-url",
    "schema": "--schema",
    "memory_limit": "--memory-limit",
    "threads": "--threads",
    "spark_master": "--spark-master",
    "pretest_probability": "--pretest",
    "chronic_min_days": "--chronic-min-days",
    "calibration": "--calibration",
}


@cohort_app.command(
    "screen",
    help="Screen an OMOP CDM for possible axial spondyloarthritis: one row per undiagnosed person "
    "with chronic back pain (person_id, probability_literature, category, rank, features; with "
    "--calibration also probability_site, which then ranks and categorises). Output is Parquet "
    "or CSV by the --out extension. Decision support, not a diagnosis; how to read the worklist: "
    "docs/case-finding.md.",
)
def screen(
    out: Annotated[Path, typer.Option("--out", "-o", help="worklist file (.parquet or .csv)")],
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", help="duckdb/spark: folder of <table>.parquet files, or a .duckdb file"
        ),
    ] = None,
    omop_url: Annotated[
        str | None,
        typer.Option(
            "--omop-url",
            help="postgres: URL of the OMOP database (postgresql://user@host/db); "
            "not the patient database",
        ),
    ] = None,
    schema: Annotated[
        str | None,
        typer.Option("--schema", help="postgres: schema holding the OMOP tables (default public)"),
    ] = None,
    backend: Annotated[str, typer.Option("--backend", help="duckdb, postgres or spark")] = "duckdb",
    show_sql: Annotated[
        bool, typer.Option("--show-sql", help="print the worklist SQL for the backend and stop")
    ] = False,
    memory_limit: Annotated[
        str | None, typer.Option("--memory-limit", help="DuckDB memory limit, e.g. 4GB")
    ] = None,
    threads: Annotated[int | None, typer.Option("--threads", help="DuckDB threads")] = None,
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            help="spark: master URL, e.g. spark://host:7077 for a standalone cluster "
            "(default local[2]); docs/spark.md",
        ),
    ] = None,
    pretest: Annotated[
        float | None,
        typer.Option("--pretest", help="pre-test probability (default 0.05, the LR model's)"),
    ] = None,
    chronic_min_days: Annotated[
        int | None,
        typer.Option(
            "--chronic-min-days",
            help="days between back-pain records that make the pain chronic (default 90)",
        ),
    ] = None,
    calibration: Annotated[
        Path | None,
        typer.Option(
            "--calibration",
            help="site.toml from cohort calibrate: add probability_site and rank by it",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress display")] = False,
) -> None:
    from immunospine.reports.cohort import screen_summary_text
    from immunospine.services import cohort_screen

    req = cohort_screen.ScreenRequest(
        backend=backend,
        out=out,
        data=data,
        omop_url=omop_url,
        schema=schema,
        memory_limit=memory_limit,
        threads=threads,
        spark_master=spark_master,
        pretest_probability=pretest,
        chronic_min_days=chronic_min_days,
        calibration=calibration,
    )
    with flags_for_fields("cohort screen", FLAGS):
        if show_sql:
            typer.echo(cohort_screen.show_sql(req))
            return
        if quiet:
            summary = cohort_screen.screen(req)
        else:
            from rich.console import Console

            console = Console(stderr=True, log_path=False)
            with console.status("starting", spinner="dots") as status:

                def on_step(message: str) -> None:
                    console.log(message)
                    status.update(message)

                summary = cohort_screen.screen(req, on_step=on_step)
    if as_json:
        typer.echo(json.dumps(cohort_screen.summary_dict(summary), indent=2))
        return
    typer.echo(screen_summary_text(summary))


CALIBRATE_FLAGS = {
    **{k: v for k, v in FLAGS.items() if k not in ("pretest_probability", "calibration")},
    "lookback_years": "--lookback-years",
    "workup_days": "--workup-days",
    "min_history_days": "--min-history-days",
    "pseudo_observations": "--pseudo-observations",
    "holdout_share": "--holdout-share",
    "prevalence": "--prevalence",
    "seed": "--seed",
}


@cohort_app.command(
    "calibrate",
    help="Fit the worklist's probabilities to this site: site likelihood ratios from the site's "
    "diagnosed axSpA patients (findings before their first diagnosis) against undiagnosed "
    "chronic back pain, shrunk toward the published ratios, and a recalibration of the log-odds "
    "on a held-out part. Writes site.toml for cohort screen --calibration. Method: "
    "docs/case-finding.md (Site calibration).",
)
def calibrate(
    out: Annotated[Path, typer.Option("--out", "-o", help="calibration file to write (.toml)")],
    data: Annotated[
        Path | None,
        typer.Option("--data", help="duckdb/spark: folder of Parquet tables, or a .duckdb file"),
    ] = None,
    omop_url: Annotated[
        str | None, typer.Option("--omop-url", help="postgres: URL of the OMOP database")
    ] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="postgres: schema holding the OMOP tables")
    ] = None,
    backend: Annotated[str, typer.Option("--backend", help="duckdb, postgres or spark")] = "duckdb",
    memory_limit: Annotated[
        str | None, typer.Option("--memory-limit", help="DuckDB memory limit, e.g. 4GB")
    ] = None,
    threads: Annotated[int | None, typer.Option("--threads", help="DuckDB threads")] = None,
    spark_master: Annotated[
        str | None, typer.Option("--spark-master", help="spark: master URL (default local[2])")
    ] = None,
    chronic_min_days: Annotated[
        int | None,
        typer.Option("--chronic-min-days", help="as for cohort screen (default 90)"),
    ] = None,
    lookback_years: Annotated[
        float,
        typer.Option(
            "--lookback-years", help="years of records before the index date that count (10)"
        ),
    ] = 10.0,
    workup_days: Annotated[
        int,
        typer.Option(
            "--workup-days",
            help="days before the index date left out as diagnostic work-up (365)",
        ),
    ] = 365,
    min_history_days: Annotated[
        int,
        typer.Option(
            "--min-history-days",
            help="a case needs this many days of back pain on record before the work-up window "
            "(365); cases diagnosed sooner teach nothing about the undiagnosed",
        ),
    ] = 365,
    pseudo_observations: Annotated[
        int,
        typer.Option(
            "--pseudo-observations",
            help="the published LR weighs as a study of this many cases and controls (50)",
        ),
    ] = 50,
    holdout_share: Annotated[
        float,
        typer.Option("--holdout-share", help="share of persons held out for the recalibration"),
    ] = 0.3,
    prevalence: Annotated[
        float,
        typer.Option(
            "--prevalence",
            help="share of adults with axSpA, diagnosed or not, that sets the base rate "
            "(default 0.0096 = 19.2 % chronic back pain x 5 % axSpA)",
        ),
    ] = 0.0096,
    seed: Annotated[int, typer.Option("--seed", help="seed of the held-out split")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="print the calibration as JSON")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress display")] = False,
) -> None:
    from immunospine.reports.cohort import calibration_text
    from immunospine.services import cohort_screen

    req = cohort_screen.CalibrateRequest(
        backend=backend,
        out=out,
        data=data,
        omop_url=omop_url,
        schema=schema,
        memory_limit=memory_limit,
        threads=threads,
        spark_master=spark_master,
        chronic_min_days=chronic_min_days,
        lookback_years=lookback_years,
        workup_days=workup_days,
        min_history_days=min_history_days,
        pseudo_observations=pseudo_observations,
        holdout_share=holdout_share,
        prevalence=prevalence,
        seed=seed,
    )
    with flags_for_fields("cohort calibrate", CALIBRATE_FLAGS):
        if quiet:
            cal = cohort_screen.calibrate(req)
        else:
            from rich.console import Console

            console = Console(stderr=True, log_path=False)
            with console.status("starting", spinner="dots") as status:

                def on_step(message: str) -> None:
                    console.log(message)
                    status.update(message)

                cal = cohort_screen.calibrate(req, on_step=on_step)
    if as_json:
        typer.echo(json.dumps(cohort_screen.calibration_dict(cal, out), indent=2))
        return
    typer.echo(calibration_text(cal, out))
