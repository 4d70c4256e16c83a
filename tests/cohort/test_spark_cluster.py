"""The screen on a real Spark standalone cluster: one master and two workers on loopback.

The cluster (``tests/cohort/spark_cluster.py``) is started from the pyspark distribution, bound to
127.0.0.1 on free ports, each worker with one core and 1 GiB, every directory under the test's
temporary folder, and stopped after the module even when a test fails. The command line
runs as a user runs it (a subprocess with ``--spark-master spark://…``), so the driver, the two
executor JVMs and their Python are the real thing; its worklist must equal DuckDB's row by row.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from immunospine.cohort.backends import open_backend
from immunospine.cohort.backends.spark import parse_master, spark_available
from immunospine.cohort.runner import run_screen
from immunospine.errors import CohortError, InputError
from tests.cohort.spark_cluster import Cluster, free_port, standalone_cluster
from tests.cohort.test_engine_support import build_testbed, random_population

_SPARK_MISSING = spark_available()
needs_spark = pytest.mark.skipif(_SPARK_MISSING is not None, reason=_SPARK_MISSING or "")

WORKERS = 2

#: The driver's settings, read by spark-submit from ``$SPARK_CONF_DIR/spark-defaults.conf`` (the
#: knob a site uses too): small executors, and the first query waits until both executors are in,
#: so both take part.
DRIVER_DEFAULTS = {
    "spark.executor.memory": "512m",
    "spark.cores.max": str(WORKERS),
    "spark.scheduler.minRegisteredResourcesRatio": "1.0",
    "spark.scheduler.maxRegisteredResourcesWaitingTime": "60s",
}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Master + two one-core workers on 127.0.0.1, stopped after the module (also on failure)."""
    root = tmp_path_factory.mktemp("spark-cluster")
    with standalone_cluster(root, workers=WORKERS, driver_defaults=DRIVER_DEFAULTS) as c:
        yield c


def _partitioned(single: Path, out: Path, parts: int = 3) -> Path:
    """``single``'s tables as ``<table>/part-*.parquet`` folders (several tasks per scan)."""
    for path in sorted(single.glob("*.parquet")):
        table = pq.read_table(path)
        folder = out / path.stem
        folder.mkdir(parents=True)
        step = max(1, math.ceil(table.num_rows / parts))
        for i in range(parts):
            pq.write_table(table.slice(i * step, step), folder / f"part-{i:05d}.parquet")
    return out


def _duckdb_worklist(data: Path, out: Path) -> pa.Table:
    backend = open_backend("duckdb", data=data)
    try:
        run_screen(backend, out)
    finally:
        backend.close()
    return pq.read_table(out)


def assert_same_rows(duck: pa.Table, spark: pa.Table) -> None:
    """Same columns, same rows in the same order; probabilities equal to 1e-12, the rest exactly."""
    assert spark.column_names == duck.column_names
    assert spark.num_rows == duck.num_rows
    for name in duck.column_names:
        a, b = duck.column(name).to_pylist(), spark.column(name).to_pylist()
        if name.startswith("probability") or name == "log_odds":
            assert all(
                math.isclose(x, y, rel_tol=0, abs_tol=1e-12) for x, y in zip(a, b, strict=True)
            ), name
        else:
            assert a == b, name


@pytest.mark.spark
@pytest.mark.slow
@needs_spark
def test_screen_on_standalone_cluster_equals_duckdb(cluster: Cluster, tmp_path: Path) -> None:
    people = random_population(seed=13, n=300)
    single = build_testbed(people).write_parquet(tmp_path / "single")
    data = _partitioned(single, tmp_path / "parts")
    out = tmp_path / "spark.parquet"
    cli = Path(sys.executable).with_name("immunospine")
    env = {**os.environ, "SPARK_CONF_DIR": str(cluster.conf_dir), "COLUMNS": "100"}
    env.pop("PYSPARK_PYTHON", None)  # the backend must give the executors the driver's Python
    argv = [str(cli), "cohort", "screen", "--backend", "spark", "--spark-master", cluster.url]
    argv += ["--data", str(data), "-o", str(out), "--json", "--quiet"]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=900, check=False)
    assert done.returncode == 0, done.stderr + cluster.logs()
    summary = json.loads(done.stdout)
    assert summary["backend"] == "spark"

    duck = _duckdb_worklist(single, tmp_path / "duck.parquet")
    spark = pq.read_table(out)
    assert spark.num_rows == sum(p.screened() for p in people) > 0
    assert_same_rows(duck, spark)
    assert summary["screened"] == spark.num_rows

    # the work ran in the two executor JVMs the workers started, not in the driver
    apps = cluster.state().get("completedapps", [])
    assert isinstance(apps, list)
    assert [a["name"] for a in apps] == ["immunospine-cohort"]
    logs = cluster.executor_logs()
    assert len(logs) == WORKERS, logs
    ran = [p for p in logs if "Running task" in p.read_text(errors="replace")]
    assert len(ran) == WORKERS, [p.read_text(errors="replace")[-2000:] for p in logs]


@pytest.mark.spark
@needs_spark
def test_unreachable_master_is_a_short_error_naming_the_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from immunospine.cli import main

    url = f"spark://127.0.0.1:{free_port()}"  # nothing listens there
    data = build_testbed(random_population(seed=3, n=5)).write_parquet(tmp_path / "omop")
    argv = ["cohort", "screen", "--backend", "spark", "--spark-master", url, "--quiet"]
    assert main([*argv, "--data", str(data), "-o", str(tmp_path / "w.parquet")]) == 1
    err = capsys.readouterr().err
    assert url in err and "no Spark master answers" in err and "Connection refused" in err
    assert "Traceback" not in err and "java." not in err
    assert len(err.strip().splitlines()) <= 2, err
    with pytest.raises(CohortError, match="no Spark master answers at"):
        open_backend("spark", data=data, spark_master=url)


@pytest.mark.parametrize(
    "url", ["spark://127.0.0.1", "spark://host:0", "spark://h:1,", "yarn", "http://h:7077", ""]
)
def test_bad_master_url_names_the_field_and_the_forms(url: str) -> None:
    with pytest.raises(InputError) as info:
        open_backend("spark", data=Path("."), spark_master=url)
    assert info.value.problems[0].loc == ("spark_master",)
    assert "spark://host:port" in str(info.value)


def test_spark_master_is_for_the_spark_backend_only() -> None:
    with pytest.raises(InputError) as info:
        open_backend("duckdb", data=Path("."), spark_master="local[2]")
    assert info.value.problems[0].loc == ("spark_master",)


def test_cli_names_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    from immunospine.cli import main

    argv = ["cohort", "screen", "--backend", "spark", "--data", ".", "-o", "w.parquet"]
    assert main([*argv, "--spark-master", "spark://nohost"]) == 2
    assert 'cohort screen: --spark-master = "spark://nohost"' in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "local", "loopback"),
    [
        ("local", True, True),
        ("local[4]", True, True),
        ("local[*]", True, True),
        ("spark://127.0.0.1:7077", False, True),
        ("spark://localhost:7077,[::1]:7078", False, True),
        ("spark://spark-master.example.org:7077", False, False),
    ],
)
def test_master_forms(url: str, local: bool, loopback: bool) -> None:
    master = parse_master(url)
    assert (master.local, master.loopback) == (local, loopback)


def test_site_spark_defaults_win_over_ours(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from immunospine.cohort.backends.spark import site_defaults

    (tmp_path / "spark-defaults.conf").write_text(
        "# a site's settings\nspark.driver.memory 8g\nspark.driver.extraJavaOptions -Da=b\n"
        "spark.sql.shuffle.partitions=96\nspark.executor.memory: 4g\n"
    )
    monkeypatch.setenv("SPARK_CONF_DIR", str(tmp_path))
    assert site_defaults() == {
        "spark.driver.memory": "8g",
        "spark.driver.extraJavaOptions": "-Da=b",
        "spark.sql.shuffle.partitions": "96",
        "spark.executor.memory": "4g",
    }
    monkeypatch.setenv("SPARK_CONF_DIR", str(tmp_path / "none"))
    assert site_defaults() == {}
