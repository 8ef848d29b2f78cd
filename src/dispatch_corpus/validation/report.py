"""Validation report: ``results.json``, an offline ``index.html`` and the console table."""

from __future__ import annotations

import json
from collections import Counter
from html import escape

from dispatch_corpus.dataset.atomic import Staging, write_marker
from dispatch_corpus.dataset.folders import REPORT_KIND, check_report_dir
from dispatch_corpus.dataset.layout import REPORT_MARKER
from dispatch_corpus.models import QuarantineRecord
from dispatch_corpus.utils.numbers import count, counted, percent, seconds
from dispatch_corpus.validation.dataset import ValidationInputError
from dispatch_corpus.validation.quarantine import QUARANTINE_TABLE
from dispatch_corpus.validation.results import (
    GROUPS,
    CheckResult,
    QuarantineSummary,
    ValidationReport,
)

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #1d1d1f; max-width: 80em; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; margin-top: 1.8em; border-bottom: 2px solid #ddd; }
h3 { font-size: 1em; margin: 1.2em 0 0.3em; color: #333; }
.verdict { display: inline-block; padding: 0.1em 0.6em; border-radius: 4px; font-weight: 600; }
.pass { background: #e3f4e6; color: #17602a; }
.fail { background: #fbe4e4; color: #8a1c1c; }
.skip { background: #eeeeef; color: #555; }
.facts { color: #444; }
table { border-collapse: collapse; width: 100%; margin-top: 0.4em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left;
         vertical-align: top; }
th { background: #f4f4f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.summary { width: auto; }
table.checks { table-layout: fixed; }
th.check { width: 42%; }
th.status { width: 5em; }
th.result { width: 24%; }
th.details { width: 5em; }
table.summary td, table.summary th { padding: 0.3em 1.2em; }
td.zero { color: #999; }
tr.failed td { background: #fff6f6; }
.note { color: #555; }
code, pre { font: 12px/1.4 ui-monospace, monospace; overflow-wrap: break-word; }
pre { white-space: pre-wrap; margin: 0.3em 0; }
details summary { cursor: pointer; color: #444; }
"""
# Failures first: the summary columns and each group of checks read in this order.
_STATUSES = ("FAIL", "pass", "skip")


def write_report(report: ValidationReport) -> None:
    """Write ``results.json`` and ``index.html`` into ``report.report_dir`` (if it is set).

    The folder is replaced as a whole, in one step, and carries ``REPORT.json``, so a later
    validation may replace it again.

    Raises:
        ValidationInputError: When the folder or a file cannot be written.
        OutputPathError: When the folder changed into one the report must not replace.
    """
    if report.report_dir is None:
        return
    files = {
        "results.json": json.dumps(report.as_dict(), indent=2, ensure_ascii=False, sort_keys=True)
        + "\n",
        "index.html": render_html(report),
    }
    try:
        with Staging(report.report_dir) as staging:
            for name, text in files.items():
                (staging.path / name).write_text(text, encoding="utf-8")
            write_marker(staging.path / REPORT_MARKER, REPORT_KIND, {"files": sorted(files)})
            # Validation takes a while: check the folder again before replacing it.
            check_report_dir(report.report_dir)
            staging.publish(replace=True)
    except OSError as error:
        raise ValidationInputError(
            f"cannot write report to {report.report_dir}: {error}"
        ) from error


def render_html(report: ValidationReport) -> str:
    """Return the report as one self-contained HTML page (inline CSS, no script, no link).

    It opens with a summary (checks by table and status, then each failure with what was
    expected and what was found), then every check by table and by group (``GROUPS``), then
    the quarantined inputs.
    """
    checks = len(report.checks)
    failed = len(report.failures)
    verdict = (
        f"all {counted(checks, 'check')} pass"
        if report.success
        else f"{count(failed)} of {counted(checks, 'check')} fail"
    )
    rows = ", ".join(f"{table} {count(n)}" for table, n in report.rows.items())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Validation of {escape(report.dataset.name)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Validation of <code>{escape(str(report.dataset))}</code></h1>",
        f'<p><span class="verdict {"pass" if report.success else "fail"}">{verdict}</span> '
        f'<span class="facts">rows: {escape(rows)}; {counted(report.units, "unit")}; '
        f"{seconds(report.seconds)}</span></p>",
        '<h2 id="summary">Summary</h2>',
        _html_summary(report),
        *_html_failures(report),
    ]
    for table in _tables(report):
        if table == QUARANTINE_TABLE:
            continue
        parts.append(f'<h2 id="{escape(table)}">{escape(table)}</h2>')
        parts += _html_groups([c for c in report.checks if c.table == table])
    parts += _html_quarantine(report)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _tables(report: ValidationReport) -> list[str]:
    """The tables of the report's checks: those with rows first, in order, then the others."""
    found = list(report.rows)
    found += [c.table for c in report.checks if c.table not in found]
    return list(dict.fromkeys(found))


def _html_summary(report: ValidationReport) -> str:
    """Return the table of checks by table (rows) and status (columns), with totals."""
    by_table = Counter((c.table, c.status) for c in report.checks)
    head = "".join(f'<th class="num">{s}</th>' for s in _STATUSES)
    lines = [f'<table class="summary"><tr><th>table</th>{head}<th class="num">all</th></tr>']
    for table in [*_tables(report), "all"]:
        cells = []
        for status in _STATUSES:
            n = (
                sum(v for (_, s), v in by_table.items() if s == status)
                if table == "all"
                else by_table[(table, status)]
            )
            css = "num zero" if n == 0 else "num"
            cells.append(f'<td class="{css}">{count(n)}</td>')
        total = (
            len(report.checks) if table == "all" else sum(by_table[(table, s)] for s in _STATUSES)
        )
        name = (
            "<strong>all</strong>"
            if table == "all"
            else f'<a href="#{escape(table)}">{escape(table)}</a>'
        )
        lines.append(f'<tr><td>{name}</td>{"".join(cells)}<td class="num">{count(total)}</td></tr>')
    lines.append("</table>")
    return "\n".join(lines)


def _html_failures(report: ValidationReport) -> list[str]:
    """Return the failures, first of the page: each check with what it expected and found."""
    if not report.failures:
        return ["<p>No check failed.</p>"]
    parts = [
        "<h3>Failures</h3>",
        "<table><tr><th>check</th><th>group</th><th>where</th><th>expected</th>"
        "<th>actual</th></tr>",
    ]
    for result in report.failures:
        found = expected_actual(result)
        # The check and its group once, beside all of its rows.
        head = (
            f'<td rowspan="{len(found)}"><code>{escape(result.check)}</code></td>'
            f'<td rowspan="{len(found)}">{escape(GROUPS.get(result.group, result.group))}</td>'
        )
        for index, (where, expected, actual) in enumerate(found):
            parts.append(
                f'<tr class="failed">{head if index == 0 else ""}'
                f"<td><code>{escape(where)}</code></td><td>{escape(expected)}</td>"
                f"<td>{escape(actual)}</td></tr>"
            )
    parts.append("</table>")
    return parts


def expected_actual(result: CheckResult) -> list[tuple[str, str, str]]:
    """Return what a failed check expected and found: ``(where, expected, actual)`` rows.

    One row per finding kept (the first ``SAMPLE_LIMIT`` failing rows or shards), after one
    row for the whole check when it is an expectation (what it wants of every value, and how
    many fail or the observed share) or has no finding (an error).
    """
    details = result.details
    expected = str(details.get("expected") or result.description)
    rows: list[tuple[str, str, str]] = []
    for finding in details.get("failures") or []:
        if not isinstance(finding, dict):
            continue
        # Every key but the values compared says where: row, shard, column, offsets...
        where = ", ".join(
            f"{key} {_plain(value)}"
            for key, value in finding.items()
            if key not in ("expected", "actual", "error")
        )
        if "error" in finding:
            rows.append((where, expected, _plain(finding["error"])))
        else:
            # Quoted as JSON: a value differing by a space or a line break shows it. A value
            # an expectation finds breaks the rule its first row states.
            if "expected" in finding:
                wanted = _quoted(finding["expected"])
            else:
                wanted = "" if result.kind == "expectation" else expected
            rows.append((where, wanted, _quoted(finding.get("actual"))))
    if result.kind == "expectation" or not rows:
        errors = details.get("errors") or []
        actual = (
            "; ".join(str(e) for e in errors)
            or _share_text(result)
            or str(
                details.get("actual")
                or f"{count(result.unexpected_count)} of {count(result.element_count)} unexpected"
            )
        )
        rows.insert(0, ("whole table", expected, actual))
    return rows


def _plain(value: object) -> str:
    return value if isinstance(value, str) else _quoted(value)


def _quoted(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _share_text(result: CheckResult) -> str:
    """Return a share check's observed share beside its bound, or "" for any other check."""
    if result.group != "share":
        return ""
    details = result.details
    mostly = details["kwargs"]["mostly"]
    checked = details.get("checked")
    observed = details.get("observed_share")
    bound = f"bound: at least {percent(float(mostly))}" if isinstance(mostly, (int, float)) else ""
    if observed is None or not isinstance(checked, int):
        reason = details.get("skipped") or details.get("not_run") or "not judged"
        return f"not judged: {reason}; {bound}"
    return f"observed: {percent(float(observed))} of {counted(checked, 'value')} meet it; {bound}"


def _html_groups(results: list[CheckResult]) -> list[str]:
    """Return one table per group of a table's checks, in ``GROUPS`` order, failures first."""
    parts = []
    for group, heading in GROUPS.items():
        chosen = [r for r in results if r.group == group]
        if not chosen:
            continue
        statuses = Counter(r.status for r in chosen)
        tally = ", ".join(f"{count(statuses[s])} {s}" for s in _STATUSES if statuses[s])
        chosen.sort(key=lambda r: _STATUSES.index(r.status))
        parts += [
            f"<h3>{escape(heading)} <span class='note'>({tally})</span></h3>",
            _html_table(chosen),
        ]
    return parts


def _html_table(results: list[CheckResult]) -> str:
    lines = [
        '<table class="checks"><tr><th class="check">check</th><th class="status">status</th>'
        '<th class="result">result</th><th>sample keys</th><th class="details">details</th></tr>'
    ]
    for result in results:
        css = "fail" if not result.success else "skip" if result.skipped else "pass"
        samples = "<br>".join(f"<code>{escape(s)}</code>" for s in result.samples)
        if samples and result.success:
            # A passing share check lists documents outside its bound: allowed, not failures.
            samples = f'<span class="note">outside the bound (allowed):</span><br>{samples}'
        row = '<tr class="failed">' if not result.success else "<tr>"
        lines.append(
            f"{row}<td><code>{escape(result.check)}</code><br>{escape(result.description)}</td>"
            f'<td><span class="verdict {css}">{escape(result.status)}</span></td>'
            f"<td>{escape(_result_text(result))}</td>"
            f"<td>{samples}</td><td>{_details_panel(result)}</td></tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


def _result_text(result: CheckResult) -> str:
    """Return what a check found, in words.

    A share check's observed share and bound, the reason a check did not run, or else its
    unexpected count of the elements checked.
    """
    share = _share_text(result)
    if share:
        return share
    reason = result.details.get("not_run") or result.details.get("skipped")
    if reason:
        return str(reason)
    if "observed_value" in result.details:
        return f"{result.details.get('actual')}; expected {result.details.get('expected')}"
    return f"{count(result.unexpected_count)} of {count(result.element_count)} unexpected"


def _details_panel(result: CheckResult) -> str:
    """A folded panel with the check's details, or nothing when it has none."""
    if not result.details:
        return ""
    text = escape(json.dumps(result.details, indent=1, ensure_ascii=False, sort_keys=True))
    return f"<details><summary>show</summary><pre>{text}</pre></details>"


def _html_quarantine(report: ValidationReport) -> list[str]:
    """Return the quarantine section: its check, then the quarantined inputs by reason."""
    parts = [f'<h2 id="{escape(QUARANTINE_TABLE)}">Quarantined inputs</h2>']
    summary = report.quarantine
    if summary is None:
        parts.append("<p>No quarantine report (<code>reports/quarantine.jsonl</code>).</p>")
    else:
        parts.append(f"<p>{escape(summary.line())}; not failures of validation.</p>")
    # Its checks even without a readable report: one that could not read it has failed.
    checks = [c for c in report.checks if c.table == QUARANTINE_TABLE]
    if checks:
        parts.append(_html_table(checks))
    if summary is None:
        return parts
    for reason, n in summary.by_reason.items():
        parts += [
            f"<h3><code>{escape(reason)}</code>: {counted(n, 'input')}</h3>",
            "<table><tr><th>source path</th><th>doc_id</th><th>stage</th><th>message</th></tr>",
        ]
        for record in _by_path(summary, reason):
            parts.append(
                f"<tr><td><code>{escape(record.source_path)}</code></td>"
                f"<td><code>{escape(record.doc_id or '')}</code></td>"
                f"<td>{escape(record.stage.value)}</td><td>{escape(record.message)}</td></tr>"
            )
        parts.append("</table>")
    return parts


def _by_path(summary: QuarantineSummary, reason: str) -> list[QuarantineRecord]:
    chosen = [r for r in summary.records if r.reason_code.value == reason]
    return sorted(chosen, key=lambda r: r.source_path)


def format_report(report: ValidationReport, *, every_check: bool = False) -> str:
    """Return the console table of a validation run.

    Failed checks get one line each, with sample keys and values (or the error that
    stopped them); passing and skipped checks are summed up per table and reason unless
    ``every_check`` is set.

    Args:
        report: The validation report.
        every_check: List passing checks one by one too.

    Returns:
        The table and a closing verdict line naming the report folder.
    """
    shown = list(report.checks) if every_check else list(report.failures)
    header = ("check", "table", "status", "unexpected", "sample keys")
    rows = [(c.check, c.table, c.status, count(c.unexpected_count), _sample_text(c)) for c in shown]
    if not every_check:
        summed = Counter((c.table, c.status, _skip_note(c)) for c in report.checks if c.success)
        rows += [
            (counted(n, "check"), table, status, "0", note)
            for (table, status, note), n in summed.items()
        ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    lines = []
    for row in [header, *rows]:
        cells = [str(row[i]).ljust(widths[i]) for i in range(4)]
        lines.append("  ".join([*cells, _clip(row[4])]).rstrip())
    failed = len(report.failures)
    verdict = (
        "all checks pass"
        if not failed
        else f"{count(failed)} of {counted(len(report.checks), 'check')} FAIL"
    )
    rows_text = ", ".join(f"{t} {count(n)}" for t, n in report.rows.items())
    lines.append("")
    if report.quarantine is not None:
        lines.append(report.quarantine.line())
    lines += [
        f"{verdict} ({rows_text}; {seconds(report.seconds)})",
        f"report: {report.report_dir / 'index.html'}"
        if report.report_dir is not None
        else f"note: no report file written: {report.dataset} is not a build and a release "
        "is read-only (--report-dir DIR keeps one)",
    ]
    return "\n".join(lines)


def _sample_text(result: CheckResult) -> str:
    # A share check is read by its observed share, whether or not some documents fall outside.
    share = _share_text(result)
    if share:
        return share
    if result.samples:
        return ", ".join(result.samples[:3])
    if result.skipped:
        return _skip_note(result)
    return str((result.details.get("errors") or [""])[0])


def _skip_note(result: CheckResult) -> str:
    if not result.skipped:
        return ""
    return str(result.details.get("not_run") or "too few rows to judge")


def _clip(text: str, width: int = 80) -> str:
    # Cut in the middle: a sample starts with its key and value, an error ends with its
    # reason (after a file path of any length).
    if len(text) <= width:
        return text
    head = width // 2
    return text[:head] + "..." + text[len(text) - (width - head - 3) :]
