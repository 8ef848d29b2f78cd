"""Validation report: ``results.json``, an offline ``index.html`` and the console table."""

from __future__ import annotations

import json
from collections import Counter
from html import escape

from dispatch_corpus.dataset.atomic import Staging, write_marker
from dispatch_corpus.dataset.folders import REPORT_KIND, check_report_dir
from dispatch_corpus.dataset.layout import REPORT_MARKER
from dispatch_corpus.models import QuarantineRecord
from dispatch_corpus.validation.dataset import ValidationInputError
from dispatch_corpus.validation.quarantine import QUARANTINE_TABLE
from dispatch_corpus.validation.results import CheckResult, QuarantineSummary, ValidationReport

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #1d1d1f; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
h2 { font-size: 1.1em; margin-top: 1.6em; }
.verdict { display: inline-block; padding: 0.2em 0.8em; border-radius: 4px; font-weight: 600; }
.pass { background: #e3f4e6; color: #17602a; }
.fail { background: #fbe4e4; color: #8a1c1c; }
.skip { background: #eeeeef; color: #555; }
table { border-collapse: collapse; width: 100%; margin-top: 0.5em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left;
         vertical-align: top; }
th { background: #f4f4f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font: 12px/1.4 ui-monospace, monospace; }
pre { white-space: pre-wrap; margin: 0.3em 0; }
details summary { cursor: pointer; color: #444; }
"""


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
    """Return the report as one self-contained HTML page (inline CSS, no script, no link)."""
    verdict = "pass" if report.success else "fail"
    failed = report.failures
    counts = ", ".join(f"{table} {rows:,}" for table, rows in report.rows.items())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Validation of {escape(report.dataset.name)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Validation of <code>{escape(str(report.dataset))}</code></h1>",
        f'<p><span class="verdict {verdict}">'
        f"{'all checks pass' if report.success else f'{len(failed)} checks fail'}</span> "
        f"{len(report.checks)} checks; rows: {escape(counts)}; "
        f"{report.units} units; {report.seconds:.1f} s</p>",
    ]
    if failed:
        parts += ["<h2>Failed checks</h2>", _html_table(failed)]
    for table in report.rows:
        rows = [c for c in report.checks if c.table == table]
        parts += [f"<h2>{escape(table)}</h2>", _html_table(rows)]
    parts += _html_quarantine(report)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_table(results: tuple[CheckResult, ...] | list[CheckResult]) -> str:
    lines = [
        "<table><tr><th>check</th><th>kind</th><th>status</th><th>unexpected</th>"
        "<th>checked</th><th>sample keys</th><th>details</th></tr>"
    ]
    for result in results:
        css = "fail" if not result.success else "skip" if result.skipped else "pass"
        samples = "<br>".join(f"<code>{escape(s)}</code>" for s in result.samples)
        details = escape(json.dumps(result.details, indent=1, ensure_ascii=False, sort_keys=True))
        lines.append(
            f"<tr><td><code>{escape(result.check)}</code><br>{escape(result.description)}</td>"
            f"<td>{escape(result.kind)}</td>"
            f'<td><span class="verdict {css}">{escape(result.status)}</span></td>'
            f'<td class="num">{result.unexpected_count:,}</td>'
            f'<td class="num">{result.element_count:,}</td>'
            f"<td>{samples}</td>"
            f"<td><details><summary>show</summary><pre>{details}</pre></details></td></tr>"
        )
    lines.append("</table>")
    return "\n".join(lines)


def _html_quarantine(report: ValidationReport) -> list[str]:
    """Return the quarantine section: its check, then the quarantined inputs by reason."""
    parts = ["<h2>Quarantined inputs</h2>"]
    summary = report.quarantine
    if summary is None:
        return [*parts, "<p>No quarantine report (<code>reports/quarantine.jsonl</code>).</p>"]
    parts.append(f"<p>{escape(summary.line())}; not failures of validation.</p>")
    parts.append(_html_table([c for c in report.checks if c.table == QUARANTINE_TABLE]))
    for reason, count in summary.by_reason.items():
        parts += [
            f"<h3><code>{escape(reason)}</code>: {count:,}</h3>",
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
    rows = [(c.check, c.table, c.status, f"{c.unexpected_count:,}", _sample_text(c)) for c in shown]
    if not every_check:
        summed = Counter((c.table, c.status, _skip_note(c)) for c in report.checks if c.success)
        rows += [
            (f"{n} checks", table, status, "0", note) for (table, status, note), n in summed.items()
        ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    lines = []
    for row in [header, *rows]:
        cells = [str(row[i]).ljust(widths[i]) for i in range(4)]
        lines.append("  ".join([*cells, _clip(row[4])]).rstrip())
    failed = len(report.failures)
    verdict = "all checks pass" if not failed else f"{failed} of {len(report.checks)} checks FAIL"
    rows_text = ", ".join(f"{t} {n:,}" for t, n in report.rows.items())
    lines.append("")
    if report.quarantine is not None:
        lines.append(report.quarantine.line())
    lines += [
        f"{verdict} ({rows_text}; {report.seconds:.1f} s)",
        f"report: {report.report_dir / 'index.html'}"
        if report.report_dir is not None
        else f"note: no report file written: {report.dataset} is not a build and a release "
        "is read-only (--report-dir DIR keeps one)",
    ]
    return "\n".join(lines)


def _sample_text(result: CheckResult) -> str:
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
