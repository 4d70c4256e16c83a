"""Start-up time of the command line: ``immunospine --help`` and ``immunospine calc basdai``.

    .venv/bin/python benchmarks/bench_startup.py [--runs N] [--write-docs]

Each command runs ``N`` times (default 15) as a fresh process, interleaved with ``python -c pass``
in the same run so that the figures can be read against the interpreter's own start-up on the
same machine at the same moment. Goal (issue 8): median ≤ 0.3 s for both commands.
``--write-docs`` replaces the "Start-up" section of docs/benchmarks.md with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import docs_section

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Start-up"
COMMAND = ".venv/bin/python benchmarks/bench_startup.py --write-docs"
BIN = Path(sys.executable).parent
BASDAI = '{"q1": 2, "q2": 10, "q3": 7, "q4": 1, "q5": 9, "q6": 3}'
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The warm-up run writes the bytecode cache, as any first run on a user's machine does."""

CASES: dict[str, tuple[list[str], str | None]] = {
    "python -c pass": ([sys.executable, "-c", "pass"], None),
    "immunospine --help": ([str(BIN / "immunospine"), "--help"], None),
    "immunospine calc basdai (JSON on standard input)": (
        [str(BIN / "immunospine"), "calc", "basdai"],
        BASDAI,
    ),
}


def _run_once(argv: list[str], stdin: str | None) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, input=stdin, capture_output=True, text=True, check=True, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(runs: int) -> dict[str, dict[str, float]]:
    """Median, best and CPU time of each case; the cases take turns so load hits all alike."""
    walls: dict[str, list[float]] = {name: [] for name in CASES}
    cpus: dict[str, list[float]] = {name: [] for name in CASES}
    for argv, stdin in CASES.values():  # one warm-up run each (file-system cache)
        _run_once(argv, stdin)
    for _ in range(runs):
        for name, (argv, stdin) in CASES.items():
            wall, cpu = _run_once(argv, stdin)
            walls[name].append(wall)
            cpus[name].append(cpu)
    return {
        name: {
            "median_s": statistics.median(walls[name]),
            "best_s": min(walls[name]),
            "cpu_s": statistics.median(cpus[name]),
        }
        for name in CASES
    }


def render(figures: dict[str, dict[str, float]], runs: int, load: tuple[float, float]) -> str:
    lines = [
        SECTION,
        "",
        f"Measured {dt.datetime.now(dt.UTC).date().isoformat()} on {os.cpu_count()} CPU cores "
        f"({platform.machine()}, Python {platform.python_version()}; load average "
        f"{load[0]:.1f} at the start and {load[1]:.1f} at the end: other work on the machine "
        "slows these figures) with:",
        "",
        f"    {COMMAND}",
        "",
        f"Each command runs {runs} times as a fresh process (after one warm-up run that writes the "
        "bytecode cache, as a first run on a user's machine does), taking turns "
        "with `python -c pass`, the interpreter's own start-up on the same machine at the same "
        "moment. Goal: median ≤ 0.3 s for `--help` and `calc`. The command line imports a "
        "command's module only when that command runs, so `--help` imports none of them and "
        "`calc` imports pydantic and the calculator's own module (not the whole catalogue; NumPy "
        "only for a calculator with a batch formula) but no database, dataframe, FHIR or PDF "
        "library (checked by `tests/test_cli.py`); the console script pauses cyclic garbage "
        "collection while those modules load and turns it back on before the command's work "
        "(about a third of the time of `calc`).",
        "",
        "| Command | Median (wall) | Best (wall) | CPU time (median) |",
        "|---|---|---|---|",
    ]
    for name, f in figures.items():
        lines.append(
            f"| `{name}` | {f['median_s']:.3f} s | {f['best_s']:.3f} s | {f['cpu_s']:.3f} s |"
        )
    return "\n".join([*lines, ""])


def write_section(text: str, path: Path = DOC) -> None:
    """Replace (or append) the ``## Start-up`` section; other sections are left as they are."""
    docs_section.replace_section(path, SECTION, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    load_start = os.getloadavg()[0]
    figures = measure(args.runs)
    text = render(figures, args.runs, (load_start, os.getloadavg()[0]))
    sys.stdout.write(text)
    if args.write_docs:
        write_section(text)
        sys.stdout.write(f"\nwrote the '{SECTION}' section of {DOC.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
