"""Validate the analyses on simulated data with planted effects: coverage, false positives, RI-CLPM.

    .venv/bin/python benchmarks/validate_analysis.py [--replicates 200] [--write-docs]

- one person: the 95 % intervals of every diary factor × lag (0–3) on pain, over ``--replicates``
  simulated patients with planted effects (``analysis.validation.PLANTED``);
- null patients (no effect at all): how often anything is flagged (q < 0.05);
- the RI-CLPM: over ``--replicates`` simulated panels with a planted one-way link
  (inflammation → later pain 0.3, pain → later inflammation 0), how often each interval covers
  the planted value and how often each direction is called (p < 0.05).

``--write-docs`` writes docs/analysis-validation.md (the tables and this command).
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path
from typing import Any

from immunospine.analysis.cohort import riclpm
from immunospine.analysis.simulate import simulate_panel
from immunospine.analysis.validation import PLANTED, coverage_run, null_run

DOC = Path(__file__).resolve().parent.parent / "docs" / "analysis-validation.md"
PANEL_PERSONS = 300
PANEL_WAVES = 4


def riclpm_run(replicates: int, seed: int = 0) -> dict[str, Any]:
    planted = {"inflammation_to_pain": 0.3, "pain_to_inflammation": 0.0}
    cover = dict.fromkeys(planted, 0)
    called = dict.fromkeys(planted, 0)
    done = 0
    for r in range(replicates):
        panel = simulate_panel(
            PANEL_PERSONS,
            PANEL_WAVES,
            pain_to_inflammation=planted["pain_to_inflammation"],
            inflammation_to_pain=planted["inflammation_to_pain"],
            seed=seed + r,
        )
        result = riclpm(panel)
        if result["cross_lagged"] is None:
            continue
        done += 1
        for key, true in planted.items():
            c = result["cross_lagged"][key]
            cover[key] += c["ci_low"] <= true <= c["ci_high"]
            called[key] += c["p_value"] < 0.05
    return {
        "replicates": done,
        "rows": [
            {
                "direction": key,
                "planted": planted[key],
                "coverage": cover[key] / done,
                "called": called[key] / done,
            }
            for key in planted
        ],
    }


def render(cov: dict[str, Any], null: dict[str, Any], cl: dict[str, Any], seconds: float) -> str:
    spec = PLANTED
    lines = [
        "# Analysis validation",
        "",
        "Do the analyses of `immunospine analyze` find what is there, and only that? Simulated",
        "patients with planted effects (`immunospine.analysis.simulate`) answer it. Made with:",
        "",
        "```",
        f"{CMD}",
        "```",
        "",
        f"({seconds:.0f} s on {platform.machine()}, Python {platform.python_version()}.)",
        "",
        "## One person: do the 95 % intervals cover the planted effects?",
        "",
        f"{cov['replicates']} simulated patients of {spec.n_days} days each: pain = "
        f"{spec.intercept} − 0.4 · sleep hours of the night before (lag 1) + 0.3 · stress the "
        "same day (lag 0) + AR(1) noise (φ = "
        f"{spec.noise_phi}, innovation SD {spec.noise_sd}); stress, sleep hours and sleep "
        f"quality AR(1) with φ = {spec.factor_phi}; exercise and stress-reduction sessions on "
        f"random days; {spec.missing:.0%} of days missing at random; CRP every "
        f"{spec.visit_every_days} days with no effect. Every other factor and lag has a "
        "planted effect of 0. The model (`analysis.person`) fits all five diary factors at "
        "lags 0–3 together with a piecewise-linear trend and AR(1) errors.",
        "",
        "| factor | lag (days) | planted | coverage of the 95 % CI | flagged (q < 0.05) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in cov["per_coefficient"]:
        power = f"{row['power']:.1%}" if row["power"] is not None else "—"
        lines.append(
            f"| {row['factor']} | {row['lag_days']} | {row['planted']:g} | "
            f"{row['coverage']:.1%} | {power} |"
        )
    lines += [
        f"| **all {cov['n_intervals']} intervals** | | | **{cov['overall']:.1%}** | |",
        "",
        "With 200 data sets a single coefficient's coverage has a standard error of about 1.5",
        "points, so values from about 92 % to 98 % are what a correct 95 % interval gives.",
        "",
        "## Null patients: how often is something flagged that is not there?",
        "",
        f"{null['replicates']} simulated patients with no effect of any factor (otherwise as "
        f"above). {null['tests']} associations were tested in all (pain, each diary factor "
        "at lags 0–3, and CRP).",
        "",
        "| measure | observed | nominal |",
        "|---|---:|---:|",
        f"| patients with any association flagged (q < 0.05) | {null['any_flag_rate']:.1%} | "
        "5 % (Benjamini–Hochberg under the global null) |",
        f"| associations flagged, of all tested | {null['per_test_rate']:.2%} | ≤ 5 % |",
        "",
        "A factor without an effect is flagged far less often than 5 % of the time. The share",
        "of null patients with at least one flag is the family-wise rate, which",
        "Benjamini–Hochberg holds at 5 % for independent tests; if it comes out above 5 % here,",
        "the smallest p values are somewhat too small. In development the p values of one",
        "fixed design with fresh normal errors were exact (p < 0.0025 in 0.30 % of 6,000",
        "tests); with the simulated factors they fell below 0.0025 about twice as often as",
        "they should, most for the sparse session factors (exercise, stress reduction). Read a",
        "single flagged association in a person's record as a lead, not a finding.",
        "",
        "## Cohort: does the RI-CLPM find a one-way link, and only that direction?",
        "",
        f"{cl['replicates']} simulated panels of {PANEL_PERSONS} persons × {PANEL_WAVES} "
        "visits (`simulate_panel`): stable person intercepts (correlated 0.3), within-person "
        "autoregression 0.4, inflammation → later pain 0.3, pain → later inflammation 0.",
        "",
        "| direction | planted | coverage of the 95 % CI | called (p < 0.05) |",
        "|---|---:|---:|---:|",
    ]
    for row in cl["rows"]:
        lines.append(
            f"| {row['direction']} | {row['planted']:g} | {row['coverage']:.1%} | "
            f"{row['called']:.1%} |"
        )
    lines += [
        "",
        "For the planted link, 'called' is the power; for the absent direction it is the false-",
        "positive rate (nominal 5 %).",
        "",
        "## Choices the validation settled",
        "",
        "- Newey–West (HAC) errors alone on the distributed-lag regression gave intervals that",
        "  were too narrow with AR(1) noise (in development runs of 60–120 data sets: 92–94 %",
        "  coverage, and null patients flagged in 10–20 % of cases). An AR(1) error model by",
        "  calendar day (two-step Cochrane–Orcutt, `analysis.stats.ols_ar1`) brought coverage to",
        "  the nominal level; that is what the analysis uses.",
        "- CRP is measured at visits only. Carrying a value over the days between visits and",
        "  treating those days as independent made CRP 'significant' in about a quarter of null",
        "  patients; CRP is therefore analysed with one point per result (the outcome's mean over",
        "  the week the result stands for).",
        "",
    ]
    return "\n".join(lines)


CMD = (
    ".venv/bin/python benchmarks/validate_analysis.py --replicates 200 --null-replicates 600 "
    "--write-docs"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--null-replicates", type=int, default=600)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    cov = coverage_run(args.replicates, seed=0)
    print(f"coverage overall {cov['overall']:.3f}")
    null = null_run(args.null_replicates, seed=100_000)
    print(f"null: any flagged {null['any_flag_rate']:.3f}, per test {null['per_test_rate']:.4f}")
    cl = riclpm_run(args.replicates, seed=200_000)
    print(f"riclpm: {cl['rows']}")
    seconds = time.perf_counter() - start
    text = render(cov, null, cl, seconds)
    if args.write_docs:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC}")
    else:
        print(text)


if __name__ == "__main__":
    main()
