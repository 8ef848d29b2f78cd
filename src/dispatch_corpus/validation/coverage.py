"""Which checks the readable columns of a dataset let run, and why the others do not.

A schema failure in one table does not hide the other checks: every check whose columns
(``CROSS_COLUMNS``, the columns an expectation names and the inputs of the derived columns
it reads, every column for a record check) are usable runs; each other check is reported
as not run, with the first column it misses and why.
"""

from __future__ import annotations

from dataclasses import replace

from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.schema import columns
from dispatch_corpus.validation.cross import CROSS_CHECKS, CROSS_COLUMNS
from dispatch_corpus.validation.dataset import SchemaCheck
from dispatch_corpus.validation.model_checks import model_check_description
from dispatch_corpus.validation.results import CheckResult, not_run_result
from dispatch_corpus.validation.shares import derived_inputs
from dispatch_corpus.validation.suites import ExpectationSpec, SuiteSpec, columns_of


def plan_checks(
    suites: dict[str, SuiteSpec], schema: SchemaCheck
) -> tuple[dict[str, SuiteSpec], list[CheckResult]]:
    """Split the checks into those that can run and those that cannot.

    Args:
        suites: The expectation suites.
        schema: The schema check, with the usable columns of each table.

    Returns:
        The suites narrowed to the expectations (and derived columns) that can run, and a
        ``not_run`` result for every expectation, record and cross-table check that cannot.
    """
    runnable: dict[str, SuiteSpec] = {}
    not_run: list[CheckResult] = []
    for table, suite in suites.items():
        kept = []
        for spec in suite.expectations:
            reason = _missing(expectation_needs(table, spec), schema)
            if reason is None:
                kept.append(spec)
            else:
                description = spec.notes or spec.type
                not_run.append(
                    not_run_result(
                        spec.check, table, "expectation", description, reason, spec.kwargs
                    )
                )
        derived = tuple(
            name for name in suite.derived_columns if _missing(derived_inputs(name), schema) is None
        )
        runnable[table] = replace(suite, expectations=tuple(kept), derived_columns=derived)
    for table in TABLE_MODELS:
        needs = {table: tuple(c.name for c in columns(TABLE_MODELS[table]))}
        reason = _missing(needs, schema)
        if reason is not None:
            description = model_check_description(table)
            not_run.append(
                not_run_result(f"{table}.records", table, "records", description, reason)
            )
    for name, (table, description) in CROSS_CHECKS.items():
        reason = _missing(CROSS_COLUMNS[name], schema)
        if reason is not None:
            not_run.append(not_run_result(name, table, "cross", description, reason))
    return runnable, not_run


def expectation_needs(table: str, spec: ExpectationSpec) -> dict[str, tuple[str, ...]]:
    """Return the columns of each table an expectation of ``table``'s suite reads.

    Its batch is cut by ``doc_id``; a derived column reads the inputs it is made of.
    """
    model = {c.name for c in columns(TABLE_MODELS[table])}
    needs: dict[str, list[str]] = {table: ["doc_id"]}
    for name in columns_of(spec.kwargs):
        inputs = {table: (name,)} if name in model else derived_inputs(name)
        for source, names in inputs.items():
            needs.setdefault(source, []).extend(names)
    return {source: tuple(dict.fromkeys(names)) for source, names in needs.items()}


def _missing(needs: dict[str, tuple[str, ...]], schema: SchemaCheck) -> str | None:
    """Why the first column of ``needs`` that cannot be read is not read, or None."""
    for table, names in needs.items():
        for name in names:
            reason = schema.reason(table, name)
            if reason is not None:
                return f"not run: {reason}"
    return None
