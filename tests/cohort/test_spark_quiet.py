"""Defect 11: Spark's own output (log4j, JVM notices, stage progress bars) stays off our stderr.

Runs the real command line in a subprocess on a small OMOP testbed, so the JVM is started the way
a user starts it, and reads everything the process wrote to standard error.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from immunospine.cohort.backends.spark import spark_available
from tests.cohort.test_engine_support import build_testbed, random_population

_SPARK_MISSING = spark_available()

#: What Spark and its JVM write when left alone (seen before the fix).
SPARK_NOISE = (
    "log4j",
    "WARN",
    "[Stage",
    "Setting default log level",
    "sc.setLogLevel",
    "Using incubator modules",
    "NativeCodeLoader",
)


@pytest.mark.spark
@pytest.mark.slow
@pytest.mark.skipif(_SPARK_MISSING is not None, reason=_SPARK_MISSING or "")
def test_spark_screen_writes_only_our_progress_to_stderr(tmp_path: Path) -> None:
    people = random_population(seed=11, n=40)
    data = build_testbed(people).write_parquet(tmp_path / "omop")
    out = tmp_path / "worklist.parquet"
    cli = Path(sys.executable).with_name("immunospine")
    env = {**os.environ, "COLUMNS": "100"}
    argv = [str(cli), "cohort", "screen", "--backend", "spark", "--data", str(data), "-o", str(out)]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    noise = [line for line in done.stderr.splitlines() if any(n in line for n in SPARK_NOISE)]
    assert noise == [], "\n".join(noise)
    assert "resolving concept sets" in done.stderr  # our own progress is still there
    assert pq.read_metadata(out).num_rows == sum(p.screened() for p in people)
    assert "worklist:" in done.stdout
