"""Expectation suites on Spark: the checked-in suites run by Great Expectations' Spark engine.

Each table is read from its Parquet shards into one Spark DataFrame shaped like the pandas
batches of ``validation.suites.batch_frame`` (list columns joined, derived columns added), and
``SuiteRunner(engine="spark")`` runs the same suite files on it with
``SparkDFExecutionEngine``. The whole table is one batch: the tallies are final.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from dispatch_corpus.models import TABLE_MODELS, Role
from dispatch_corpus.schema import columns
from dispatch_corpus.settings import LOCAL_MASTER
from dispatch_corpus.utils.spark import spark_session
from dispatch_corpus.validation.dataset import DatasetFiles, ValidationInputError
from dispatch_corpus.validation.results import Tally
from dispatch_corpus.validation.shares import SHARE_COLUMNS
from dispatch_corpus.validation.suites import SuiteRunner, SuiteSpec

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

_LEAD = list(Role).index(Role.LEAD)


def run_spark_suites(
    files: DatasetFiles,
    suites: dict[str, SuiteSpec],
    master: str = LOCAL_MASTER,
    usable: dict[str, frozenset[str]] | None = None,
) -> list[Tally]:
    """Run every table's suite on Spark over the whole table.

    Args:
        files: The dataset's shards (paths readable from the Spark executors).
        suites: The checked-in suites, from ``load_suites`` (narrowed to the expectations
            the usable columns let run).
        master: Spark master URL.
        usable: The columns read from each table (default: all); a table with none is
            not read.

    Returns:
        One tally per expectation, tables in ``suites`` order, expectations in suite order.

    Raises:
        SparkEngineError: When pyspark is not installed.
        ValidationInputError: When a suite derives a column Spark cannot compute.
    """
    with spark_session(master) as spark:
        runner = SuiteRunner(suites, engine="spark")
        tallies: list[Tally] = []
        for table, frame in spark_batches(spark, files, suites, usable).items():
            # Kept in memory for the count and the suite's metrics: each would read the Parquet
            # files again.
            frame.persist()
            try:
                # Spark results carry no row positions: the key function is never called with one.
                tallies += runner.run(table, frame, str, rows=frame.count())
            finally:
                frame.unpersist()
    return tallies


def spark_batches(
    spark: SparkSession,
    files: DatasetFiles,
    suites: dict[str, SuiteSpec],
    usable: dict[str, frozenset[str]] | None = None,
) -> dict[str, DataFrame]:
    """Read each table as the Spark batch its suite runs on.

    Args:
        spark: The session.
        files: The dataset's shards.
        suites: The suites (list separator and derived columns of each table).
        usable: The columns read from each table (default: all); a table with none is
            left out.

    Returns:
        One DataFrame per table: list columns joined by the suite's separator, derived
        columns appended.

    Raises:
        ValidationInputError: When a suite derives a column Spark cannot compute.
    """
    from pyspark.sql import functions as sf

    tables = {}
    for table in suites:
        names = [c.name for c in columns(TABLE_MODELS[table])]
        names = [name for name in names if usable is None or name in usable[table]]
        if names:
            frame = spark.read.parquet(*(str(path) for path in files.files[table]))
            tables[table] = frame.select(*names)
    batches = {}
    for table, frame in tables.items():
        suite = suites[table]
        for field in frame.schema.fields:
            if field.dataType.typeName() == "array":
                frame = frame.withColumn(
                    field.name, sf.array_join(field.name, suite.list_separator)
                )
        for name in suite.derived_columns:
            derive = _DERIVED.get(name)
            if derive is None:
                raise ValidationInputError(f"suite {suite.path}: no Spark form for {name!r}")
            frame = derive(frame, tables)
        batches[table] = frame
    return batches


def _with_lead_paragraphs(documents: DataFrame, tables: dict[str, DataFrame]) -> DataFrame:
    """Append ``lead_paragraphs``: the number of lead paragraphs of each document."""
    from pyspark.sql import functions as sf

    leads = (
        tables["paragraphs"]
        .where(sf.col("role") == _LEAD)
        .groupBy("doc_id")
        .agg(sf.count(sf.lit(1)).alias("lead_paragraphs"))
    )
    joined = documents.join(leads, on="doc_id", how="left")
    # A document without a lead has no group: 0 leads, as the Arrow path counts.
    counted = joined.withColumn("lead_paragraphs", sf.coalesce("lead_paragraphs", sf.lit(0)))
    return counted.select(*documents.columns, "lead_paragraphs")


def _with_share(name: str, documents: DataFrame, tables: dict[str, DataFrame]) -> DataFrame:
    """Append the share column ``name`` (see ``validation.shares.SHARE_COLUMNS``).

    Matching rows over the document's rows, as a double; null for a document with no rows
    in the counted table, as on the pandas path.
    """
    from pyspark.sql import functions as sf

    share = SHARE_COLUMNS[name]
    if share.column == "flags":
        # A null role or flags list matches nothing, as on the Arrow path (shares._matches).
        hit = sf.coalesce(sf.array_contains(share.column, share.value), sf.lit(False))
    else:
        hit = sf.coalesce(sf.col(share.column) == share.value, sf.lit(False))
    shares = (
        tables[share.table]
        .groupBy("doc_id")
        .agg(
            (
                sf.sum(sf.when(hit, 1).otherwise(0)).cast("double")
                / sf.count(sf.lit(1)).cast("double")
            ).alias(name)
        )
    )
    joined = documents.join(shares, on="doc_id", how="left")
    return joined.select(*documents.columns, name)


_DERIVED: dict[str, Callable[[DataFrame, dict[str, DataFrame]], DataFrame]] = {
    "lead_paragraphs": _with_lead_paragraphs,
    **{name: partial(_with_share, name) for name in SHARE_COLUMNS},
}
"""Spark form of each derived column of ``validation.suite_export.DERIVED_COLUMNS``."""
