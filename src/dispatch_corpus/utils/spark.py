"""A quiet Spark session, shared by the Spark build engine and the Spark validation engine."""

from __future__ import annotations

import os
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from dispatch_corpus.errors import CannotRunError
from dispatch_corpus.settings import LOCAL_MASTER

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.log.level": "ERROR",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
"""Session settings the engine sets (a session that already exists keeps its own)."""
LOCAL_CONF = {"spark.sql.shuffle.partitions": "4"}
"""Extra settings on ``local`` masters, where the default 200 shuffle partitions only cost."""
LOCAL_LOG4J2 = """\
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %p %c{1}: %m%n%ex
logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader
logger.hadoop.level = error
"""
"""Logging of a JVM the engine starts for a ``local`` master: warnings only, and without
Spark's start-up banner (printed when Spark falls back to its own default logging)."""
PANDAS_NOTICE = "PySpark does not yet fully support pandas"
"""Start of pyspark's notice about pandas 3; the engine passes Arrow only, never pandas."""


class SparkEngineError(CannotRunError):
    """The Spark engine cannot run (no pyspark, no Java) or Spark lost chunks (never expected)."""


@contextmanager
def spark_session(master: str = LOCAL_MASTER) -> Iterator[SparkSession]:
    """Open a quiet Spark session on ``master``, stopping it on exit if this call started it.

    On a ``local`` master the Python workers run this interpreter, the driver binds to
    127.0.0.1 and the JVM logs warnings only; on a cluster, ``PYSPARK_PYTHON``, the network
    and the logging are left as configured.

    Args:
        master: Spark master URL.

    Yields:
        The session.

    Raises:
        SparkEngineError: When pyspark is not installed or Spark cannot start.
    """
    try:
        from pyspark.errors import PySparkRuntimeError
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise SparkEngineError(
            "pyspark is not installed; install the spark extra: uv sync --extra spark"
        ) from error
    local = master.startswith("local")
    if local:
        # Local workers run this interpreter, which has dispatch_corpus installed, whatever
        # PYSPARK_PYTHON says.
        os.environ["PYSPARK_PYTHON"] = sys.executable
        os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
        # Spark otherwise guesses this host's address, with a warning when the host name
        # resolves to loopback; a local master needs no other.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    started = SparkSession.getActiveSession() is None
    builder = SparkSession.builder.master(master).appName("dispatch-corpus")
    for key, value in (SPARK_CONF | LOCAL_CONF if local else SPARK_CONF).items():
        builder = builder.config(key, value)
    with tempfile.TemporaryDirectory(prefix="dispatch-corpus-spark-") as folder:
        if local:
            log_config = Path(folder) / "log4j2.properties"
            log_config.write_text(LOCAL_LOG4J2, encoding="utf-8")
            options = f"-Dlog4j2.configurationFile={log_config.as_uri()}"
            builder = builder.config("spark.driver.extraJavaOptions", options)
        try:
            # The JVM reads its log configuration as it starts: the folder may go afterwards.
            with without_pandas_notice():
                spark = builder.getOrCreate()
        except PySparkRuntimeError as error:
            raise SparkEngineError(
                f"cannot start Spark on {master} (it needs Java 17+: java on PATH, or "
                f"JAVA_HOME): {' '.join(str(error).split())}"
            ) from error
    try:
        yield spark
    finally:
        if started:
            spark.stop()


@contextmanager
def without_pandas_notice() -> Iterator[None]:
    """Silence pyspark's notice about pandas 3 (the engines pass Arrow only)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=PANDAS_NOTICE, category=FutureWarning)
        yield
