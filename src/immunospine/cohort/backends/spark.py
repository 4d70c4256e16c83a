"""PySpark backend (optional extra ``spark``, Java 17+): OMOP Parquet files as Spark temp views.

Where it runs (``master``): Spark local mode (``local[N]``, the default ``local[2]``), bound to
127.0.0.1 with the UI off and few shuffle partitions; or a Spark **standalone cluster**
(``spark://host:port``), where executors in other JVMs, usually on other machines, read the
Parquet and run the query, so ``DIR`` must be a path every worker sees (a shared file system).
Before the driver JVM is started the URL is checked and the master's port is tried, so a typo or a
master that is down gives a short error naming the URL instead of a Java stack trace; after start
the backend waits for the first executor rather than hanging when the cluster has no room. On a
managed service (YARN, Kubernetes, Databricks) pass the service's ``SparkSession`` instead: see
docs/spark.md. Spark adds ~10 s of start-up: keep DuckDB for anything that fits on one machine.

Input layout: ``DIR/<table>.parquet`` files, or ``DIR/<table>/`` folders of Parquet part files
(a partitioned table; Spark reads the folder as one table).

The worklist is collected to the driver as Arrow and written there as one Parquet or CSV file (it
has one row per screened person, a few per cent of the population), so ``out`` is a driver path.

Quiet by design: the JVM's own output (its start-up notices, log4j messages, stage progress bars)
would mix into the command line's progress display, so the driver JVM is started with its
standard output and error sent to a log file (``jvm_log_path``), log4j at ERROR
(``log4j2-quiet.properties``) and ``spark.ui.showConsoleProgress`` off. Spark's failures still
reach us as exceptions.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import socket
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from immunospine.cohort.backends.base import compile_sql, map_backend_errors, write_arrow
from immunospine.cohort.omop_schema import parquet_sources
from immunospine.errors import CohortError, InputError, MissingExtraError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

#: log4j 2 configuration of the driver JVM: errors only, to the JVM's standard error (the log file).
LOG4J2_PROPERTIES = Path(__file__).with_name("log4j2-quiet.properties")

#: Settings of every session this module starts (local or cluster).
QUIET_CONF: dict[str, str] = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG4J2_PROPERTIES.as_uri()}",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "2g",
}

#: Local mode: the driver on loopback and few shuffle partitions (the data fit one machine).
LOCAL_CONF: dict[str, str] = {
    **QUIET_CONF,
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
    "spark.sql.shuffle.partitions": "4",
}

#: Seconds to wait for a standalone master's port to accept a connection.
CONNECT_TIMEOUT_S = 10.0
#: Seconds to wait, after connecting, for the cluster to give the application its first executor.
EXECUTOR_TIMEOUT_S = 120.0

DEFAULT_MASTER = "local[2]"
MASTER_FORMS = (
    "local, local[N], local[*] or spark://host:port (several masters: spark://h1:p1,h2:p2)"
)
_LOCAL = re.compile(r"local(?:\[(\*|[1-9]\d{0,3})\])?")
_HOST_PORT = re.compile(
    r"(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9._-]+)):(?P<port>\d{1,5})"
)


@dataclass(frozen=True)
class Master:
    """A checked Spark master URL: local mode (``cores``) or standalone masters (``hosts``)."""

    url: str
    cores: str | None = None
    hosts: tuple[tuple[str, int], ...] = ()

    @property
    def local(self) -> bool:
        return self.cores is not None

    @property
    def loopback(self) -> bool:
        """Every master is on this machine's loopback (the driver may then bind to 127.0.0.1)."""
        return self.local or all(_is_loopback(host) for host, _ in self.hosts)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_master(url: str) -> Master:
    """``url`` as a :class:`Master`; anything else is an ``InputError`` naming the forms allowed.

    YARN and Kubernetes masters are not taken here: on those, ``spark-submit`` makes the session
    and passes it to the backend (docs/spark.md).
    """
    text = url.strip()
    local = _LOCAL.fullmatch(text)
    if local:
        cores = local.group(1) or "1"
        return Master(f"local[{cores}]", cores=cores)
    if text.startswith("spark://"):
        hosts = []
        for part in text[len("spark://") :].rstrip("/").split(","):
            m = _HOST_PORT.fullmatch(part)
            port = int(m.group("port")) if m else 0
            if not m or not 0 < port < 65536:
                raise InputError.single(
                    ("spark_master",),
                    f"{part!r} is not host:port (port 1-65535); allowed: {MASTER_FORMS}",
                    url,
                    context="cohort",
                )
            hosts.append((m.group("ip6") or m.group("host"), port))
        return Master(text.rstrip("/"), hosts=tuple(hosts))
    hint = (
        "; YARN and Kubernetes: run through spark-submit (docs/spark.md)"
        if text.startswith(("yarn", "k8s://", "mesos://"))
        else ""
    )
    raise InputError.single(
        ("spark_master",), f"must be {MASTER_FORMS}{hint}", url, context="cohort"
    )


def check_reachable(master: Master, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
    """Raise ``CohortError`` naming the URL when no master of ``master`` accepts a connection."""
    failures = []
    for host, port in master.hosts:
        try:
            with socket.create_connection((host, port), timeout=timeout_s):
                return
        except TimeoutError:
            failures.append(f"{host}:{port} did not answer within {timeout_s:g} s")
        except OSError as exc:
            failures.append(f"{host}:{port}: {exc.strerror or type(exc).__name__}")
    raise CohortError(
        f"no Spark master answers at {master.url} ({'; '.join(failures)}); is the master "
        "running, and is this the spark:// URL its web UI shows?"
    )


def site_defaults() -> dict[str, str]:
    """``spark-defaults.conf`` of ``$SPARK_CONF_DIR`` (else ``$SPARK_HOME/conf``), as spark-submit
    reads it (Java properties: ``key value``, ``key=value`` or ``key: value``; ``#`` comments)."""
    folder = os.environ.get("SPARK_CONF_DIR") or (
        str(Path(os.environ["SPARK_HOME"]) / "conf") if os.environ.get("SPARK_HOME") else ""
    )
    path = Path(folder) / "spark-defaults.conf" if folder else None
    if path is None or not path.is_file():
        return {}
    out = {}
    for line in path.read_text(errors="replace").splitlines():
        text = line.strip()
        if text and not text.startswith("#"):
            m = re.match(r"([^\s=:]+)\s*[=:\s]?\s*(.*)", text)
            if m:
                out[m.group(1)] = m.group(2)
    return out


def jvm_log_path() -> Path:
    """Where the driver JVM's standard output and error go (one file per Python process)."""
    return Path(tempfile.gettempdir()) / f"immunospine-spark-{os.getpid()}.log"


def spark_available() -> str | None:
    """``None`` when pyspark and Java are there; else why the Spark backend cannot run."""
    from importlib.util import find_spec

    if find_spec("pyspark") is None:  # found, not imported: importing it takes seconds
        return "pyspark is not installed (pip install 'immunospine[spark]')"
    if shutil.which("java") is None:
        return "Java 17+ is not on PATH (Spark needs a JDK)"
    return None


def local_session(app_name: str = "immunospine-cohort", cores: int = 2) -> Any:
    """A local SparkSession bound to 127.0.0.1 (reused if one is already running).

    The first session of a process starts the JVM with its output in :func:`jvm_log_path`.
    """
    return spark_session(parse_master(f"local[{cores}]"), app_name)


def spark_session(
    master: Master,
    app_name: str = "immunospine-cohort",
    *,
    executor_timeout_s: float = EXECUTOR_TIMEOUT_S,
) -> Any:
    """A SparkSession on ``master``: local mode, or a standalone cluster checked to be up.

    A session already running in this process is reused when its master is ``master`` (for local
    mode: any local master); another master is an error. For a cluster, the executors run the
    driver's Python (``sys.executable``) unless ``PYSPARK_PYTHON`` says otherwise, and the driver
    binds to 127.0.0.1 when the master is on loopback (else Spark picks the address, or
    ``SPARK_LOCAL_IP``).
    """
    why = spark_available()
    if why:
        raise MissingExtraError("spark", feature=f"the Spark cohort backend ({why})")
    if not master.local:
        check_reachable(master)
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    active = SparkContext._active_spark_context
    if active is not None:
        running = str(active.master)
        if running == master.url or (master.local and running.startswith("local")):
            return SparkSession.builder.getOrCreate()
        raise CohortError(
            f"this process already runs a Spark session on {running}; "
            f"it cannot also connect to {master.url}"
        )
    conf = SparkConf().setAppName(app_name).setMaster(master.url)
    configured = site_defaults()
    for key, value in (LOCAL_CONF if master.local else QUIET_CONF).items():
        if key not in configured:  # our --conf would override the site's spark-defaults.conf
            conf.set(key, value)
    if master.loopback:
        # the JVM picks its own address from the environment before any conf is read
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        conf.set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1")
    if not master.local and not os.environ.get("PYSPARK_PYTHON"):
        os.environ["PYSPARK_PYTHON"] = sys.executable  # executors: the driver's Python version
    gateway = None
    if SparkContext._gateway is None:
        with jvm_log_path().open("ab") as log:
            gateway = launch_gateway(  # type: ignore[no-untyped-call]
                conf, popen_kwargs={"stdout": log, "stderr": log}
            )
    context = SparkContext(conf=conf, gateway=gateway)
    context.setLogLevel("ERROR")
    session = SparkSession(context)
    if not master.local:
        _wait_for_executors(context, master, executor_timeout_s)
        if not context.getConf().contains("spark.sql.shuffle.partitions"):
            session.conf.set("spark.sql.shuffle.partitions", str(shuffle_partitions(context)))
    return session


def shuffle_partitions(context: Any) -> int:
    """Shuffle partitions for a cluster that did not set them: twice its cores, at least 8.

    Spark's default (200) is made for large data: on the two-worker test cluster several of the
    screen's stages then ran 200 tiny tasks each (observed in the executors' logs; adaptive
    execution did not coalesce them), and the screen timed out. ``defaultParallelism`` is the
    cores of the executors registered so far; a site sets ``spark.sql.shuffle.partitions`` itself
    for large data (docs/spark.md).
    """
    return max(8, 2 * int(context.defaultParallelism))


def executor_count(context: Any) -> int:
    """Executors registered with ``context`` (the driver's own block manager not counted)."""
    return int(context._jsc.sc().getExecutorMemoryStatus().size()) - 1


def _wait_for_executors(context: Any, master: Master, timeout_s: float) -> None:
    """Wait for the first executor: a cluster without room would otherwise hang the first query."""
    deadline = time.monotonic() + timeout_s
    while executor_count(context) < 1:
        if context._jsc.sc().isStopped() or time.monotonic() > deadline:
            memory = context.getConf().get("spark.executor.memory", "1g")
            context.stop()
            raise CohortError(
                f"the Spark master at {master.url} gave this application no executor within "
                f"{timeout_s:g} s: no worker is registered, or none has a free core and "
                f"{memory} of memory (spark.executor.memory); its web UI lists the workers. "
                f"Driver log: {jvm_log_path()}"
            )
        time.sleep(0.25)


class SparkBackend:
    """OMOP tables as temp views of a session: a Parquet folder, or any tables Spark can read.

    ``source`` is a directory (``<table>.parquet`` files or ``<table>/`` part-file folders) or, on
    a managed service, a mapping of OMOP table name to a DataFrame of ``session`` (e.g. a catalog
    table, ``spark.table("omop.measurement")``) or to a location Spark reads as Parquet
    (``"s3://bucket/omop/measurement/"``): docs/spark.md.
    """

    name = "spark"
    dialect = "pyspark"

    def __init__(
        self,
        source: Path | Mapping[str, Any],
        *,
        session: Any = None,
        master: str | None = None,
        executor_timeout_s: float = EXECUTOR_TIMEOUT_S,
    ) -> None:
        where = parse_master(DEFAULT_MASTER if master is None else master)
        why = spark_available()
        if why:
            raise MissingExtraError("spark", feature=f"the Spark cohort backend ({why})")
        if session is None and not where.local:
            check_reachable(where)  # before the slow imports: a wrong URL fails in milliseconds
        import ibis
        from ibis.common.exceptions import IbisError
        from py4j.protocol import Py4JError  # type: ignore[import-untyped]
        from pyspark.errors import PySparkException

        self._errors: tuple[type[BaseException], ...] = (PySparkException, Py4JError, IbisError)
        if isinstance(source, Path):
            if not source.is_dir():
                raise InputError.single(
                    ("data",),
                    "the Spark backend reads a directory of <table>.parquet files or <table>/ "
                    "folders",
                    str(source),
                    context="cohort screen",
                )
            # absolute paths: executors resolve them, not the driver's working directory
            tables: dict[str, Any] = {
                name: str(path.resolve()) for name, path in parquet_sources(source).items()
            }
        else:
            tables = {name.lower(): table for name, table in source.items()}
        self._tables = tables
        self._own_session = session is None
        self._cached: dict[str, Any] = {}
        with map_backend_errors(self.name, self._errors):
            self._session = (
                session
                if session is not None
                else spark_session(where, executor_timeout_s=executor_timeout_s)
            )
            for name, table in tables.items():
                frame = self._session.read.parquet(table) if isinstance(table, str) else table
                frame.createOrReplaceTempView(name)
            self._con = ibis.pyspark.connect(self._session)

    def list_tables(self) -> frozenset[str]:
        return frozenset(self._tables)

    def table(self, name: str) -> ir.Table:
        with map_backend_errors(self.name, self._errors):
            return self._con.table(name)

    def fetch(self, expr: ir.Table) -> pa.Table:
        with map_backend_errors(
            self.name, self._errors, sql=lambda: compile_sql(expr, self.dialect)
        ):
            return self._con.to_pyarrow(expr)

    def write(self, expr: ir.Table, path: Path) -> None:
        write_arrow(self.fetch(expr), path)

    def materialize(self, expr: ir.Table) -> ir.Table:
        """A cached DataFrame as a temp view (computed once, on first use); dropped at ``close``."""
        name = f"_immunospine_{len(self._cached) + 1}"
        sql = compile_sql(expr, self.dialect)
        with map_backend_errors(self.name, self._errors, sql=sql):
            frame = self._session.sql(sql).cache()
            frame.createOrReplaceTempView(name)
            self._cached[name] = frame
            return self._con.table(name)

    def close(self) -> None:
        for name, frame in self._cached.items():
            self._session.catalog.dropTempView(name)
            frame.unpersist()
        self._cached.clear()
        for name in self._tables:
            self._session.catalog.dropTempView(name)
        if self._own_session:
            self._session.stop()
