"""PySpark backend (optional extra ``spark``, Java 17+): OMOP Parquet files as Spark temp views.

Local mode binds to 127.0.0.1 with the UI off and few shuffle partitions; pass an existing
``SparkSession`` to run on a cluster instead. Spark adds ~10 s of start-up: keep DuckDB for
anything that fits on one machine.

Quiet by design: the JVM's own output (its start-up notices, log4j messages, stage progress bars)
would mix into the command line's progress display, so the local JVM is started with its standard
output and error sent to a log file (``jvm_log_path``), log4j at ERROR (``log4j2-quiet.properties``)
and ``spark.ui.showConsoleProgress`` off. Spark's failures still reach us as exceptions.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from immunospine.cohort.backends.base import compile_sql, map_backend_errors, write_arrow
from immunospine.errors import InputError, MissingExtraError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

#: log4j 2 configuration of the local JVM: errors only, to the JVM's standard error (the log file).
LOG4J2_PROPERTIES = Path(__file__).with_name("log4j2-quiet.properties")

LOCAL_CONF: dict[str, str] = {
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={LOG4J2_PROPERTIES.as_uri()}",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "2g",
}


def jvm_log_path() -> Path:
    """Where the local JVM's standard output and error go (one file per Python process)."""
    return Path(tempfile.gettempdir()) / f"immunospine-spark-{os.getpid()}.log"


def spark_available() -> str | None:
    """``None`` when pyspark and Java are there; else why the Spark backend cannot run."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'immunospine[spark]')"
    if shutil.which("java") is None:
        return "Java 17+ is not on PATH (Spark needs a JDK)"
    return None


def local_session(app_name: str = "immunospine-cohort", cores: int = 2) -> Any:
    """A local SparkSession bound to 127.0.0.1 (reused if one is already running).

    The first session of a process starts the JVM with its output in :func:`jvm_log_path`.
    """
    why = spark_available()
    if why:
        raise MissingExtraError("spark", feature=f"the Spark cohort backend ({why})")
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    if SparkContext._active_spark_context is not None:
        return SparkSession.builder.getOrCreate()
    # the JVM picks its own address from the environment before any conf is read
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    conf = SparkConf().setAppName(app_name).setMaster(f"local[{cores}]")
    for key, value in LOCAL_CONF.items():
        conf.set(key, value)
    gateway = None
    if SparkContext._gateway is None:
        with jvm_log_path().open("ab") as log:
            gateway = launch_gateway(  # type: ignore[no-untyped-call]
                conf, popen_kwargs={"stdout": log, "stderr": log}
            )
    context = SparkContext(conf=conf, gateway=gateway)
    context.setLogLevel("ERROR")
    return SparkSession(context)


class SparkBackend:
    """OMOP ``DIR/<table>.parquet`` files registered as temp views of a SparkSession."""

    name = "spark"
    dialect = "pyspark"

    def __init__(self, source: Path, *, session: Any = None) -> None:
        why = spark_available()
        if why:
            raise MissingExtraError("spark", feature=f"the Spark cohort backend ({why})")
        import ibis
        from ibis.common.exceptions import IbisError
        from py4j.protocol import Py4JError  # type: ignore[import-untyped]
        from pyspark.errors import PySparkException

        self._errors: tuple[type[BaseException], ...] = (PySparkException, Py4JError, IbisError)
        if not source.is_dir():
            raise InputError.single(
                ("data",),
                "the Spark backend reads a directory of <table>.parquet files",
                str(source),
                context="cohort screen",
            )
        self._own_session = session is None
        self._cached: dict[str, Any] = {}
        self._session = session if session is not None else local_session()
        self._tables = {p.stem.lower(): p for p in sorted(source.glob("*.parquet")) if p.is_file()}
        with map_backend_errors(self.name, self._errors):
            for name, path in self._tables.items():
                self._session.read.parquet(str(path)).createOrReplaceTempView(name)
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
