"""A Spark standalone cluster on loopback for the tests and benchmarks: one master, N workers.

Started from the pyspark distribution (``bin/spark-class`` with the standalone ``Master`` and
``Worker`` classes; pip's pyspark ships no ``sbin/start-*.sh``), bound to 127.0.0.1 on free ports,
every directory (work, logs, conf) under ``root``, and always stopped when the ``with`` block ends,
also on failure: SIGTERM to each daemon's process group (a worker's executors are in it), then
SIGKILL. ``spark-defaults.conf`` in ``conf_dir`` is where a driver run against the cluster takes its
settings from (``SPARK_CONF_DIR``), the same knob a site uses.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: Seconds for the master and the workers to come up (JVM start on a busy 2-core box: 5-45 s).
START_TIMEOUT_S = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running standalone cluster: its master URL, web UI and the folders it writes."""

    url: str
    web: str
    root: Path
    conf_dir: Path
    work_dirs: list[Path]
    procs: list[subprocess.Popen[bytes]]

    def state(self) -> dict[str, object]:
        """The master's state as its web UI gives it (``/json/``: workers, apps, cores)."""
        with urllib.request.urlopen(f"{self.web}/json/", timeout=5) as resp:  # noqa: S310
            state: dict[str, object] = json.load(resp)
        return state

    def alive_workers(self) -> int:
        workers = self.state().get("workers", [])
        assert isinstance(workers, list)
        return sum(1 for w in workers if w.get("state") == "ALIVE")

    def executor_logs(self) -> list[Path]:
        """Each executor's standard error: ``<work dir>/app-…/<executor id>/stderr``."""
        return sorted(p for w in self.work_dirs for p in w.glob("app-*/*/stderr"))

    def logs(self, lines: int = 15) -> str:
        """The last lines of the master's and workers' logs (for an assertion message)."""
        return "\n".join(
            f"--- {p.name}\n" + "\n".join(p.read_text(errors="replace").splitlines()[-lines:])
            for p in sorted((self.root / "logs").glob("*.log"))
        )


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in reversed(procs):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextmanager
def standalone_cluster(
    root: Path,
    *,
    workers: int = 2,
    cores: int = 1,
    memory: str = "1g",
    driver_defaults: Mapping[str, str] | None = None,
    start_timeout_s: float = START_TIMEOUT_S,
) -> Iterator[Cluster]:
    """Master + ``workers`` workers of ``cores`` cores and ``memory`` each, up until the block ends.

    Returns once every worker is registered and ALIVE on the master's web UI.
    """
    import pyspark

    spark_home = Path(pyspark.__file__).parent
    logs, conf_dir = root / "logs", root / "conf"
    logs.mkdir(parents=True)
    conf_dir.mkdir()
    (conf_dir / "spark-defaults.conf").write_text(
        "".join(f"{k} {v}\n" for k, v in (driver_defaults or {}).items())
    )
    env = {
        **os.environ,
        "SPARK_HOME": str(spark_home),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_CONF_DIR": str(conf_dir),
        "SPARK_LOG_DIR": str(logs),
        "SPARK_WORKER_DIR": str(root / "work"),
        "SPARK_DAEMON_MEMORY": "256m",
        "PYSPARK_PYTHON": sys.executable,
    }
    port, web_port = free_port(), free_port()
    url = f"spark://127.0.0.1:{port}"
    spark_class = str(spark_home / "bin" / "spark-class")
    commands = [
        (
            "master",
            [
                spark_class,
                "org.apache.spark.deploy.master.Master",
                *("--host", "127.0.0.1", "--port", str(port), "--webui-port", str(web_port)),
            ],
        )
    ]
    work_dirs = [root / "work" / f"worker-{i}" for i in range(1, workers + 1)]
    for i, work in enumerate(work_dirs, start=1):
        work.mkdir(parents=True)
        commands.append(
            (
                f"worker-{i}",
                [
                    spark_class,
                    "org.apache.spark.deploy.worker.Worker",
                    *("--host", "127.0.0.1", "--webui-port", str(free_port())),
                    *("--cores", str(cores), "--memory", memory, "--work-dir", str(work), url),
                ],
            )
        )
    procs: list[subprocess.Popen[bytes]] = []
    cluster = Cluster(url, f"http://127.0.0.1:{web_port}", root, conf_dir, work_dirs, procs)
    try:
        for name, argv in commands:
            with (logs / f"{name}.log").open("wb") as log:
                procs.append(
                    subprocess.Popen(
                        argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
                    )
                )
        deadline = time.monotonic() + start_timeout_s
        while True:
            dead = [n for (n, _), p in zip(commands, procs, strict=True) if p.poll() is not None]
            if dead:
                raise RuntimeError(f"{dead} exited while starting:\n{cluster.logs()}")
            try:
                if cluster.alive_workers() == workers:
                    break
            except OSError:
                pass  # the master's web UI is not up yet
            if time.monotonic() > deadline:
                raise RuntimeError(f"cluster not up in {start_timeout_s:g} s:\n{cluster.logs()}")
            time.sleep(0.5)
        yield cluster
    finally:
        _stop(procs)
