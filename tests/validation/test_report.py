from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dispatch_corpus.dataset.folders import OutputPathError
from dispatch_corpus.utils.numbers import count, percent
from dispatch_corpus.validation import format_report, run_validation
from dispatch_corpus.validation.dataset import UnitBudget
from dispatch_corpus.validation.report import render_html
from dispatch_corpus.validation.results import GROUPS, CheckResult, ValidationReport
from validation.planting import rewrite_table, set_value, shift_char_end

REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_index_html_renders_offline(dataset_copy: Path, tmp_path: Path) -> None:
    rewrite_table(dataset_copy, "paragraphs", lambda t: set_value(t, "text", 1, "<b>x</b>"))
    run_validation(dataset_copy, tmp_path / "report", workers=1)
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert REMOTE.search(page) is None
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "<img" not in page.lower()
    assert "@import" not in page
    assert "<style>" in page
    assert "paragraphs.offsets_slice_text" in page
    assert "<b>x</b>" not in page


def test_console_table_sums_up_passing_checks_per_table(small_build: Path, tmp_path: Path) -> None:
    report = run_validation(small_build, tmp_path / "report", workers=1)
    text = format_report(report)
    lines = text.splitlines()
    summary = [row.split() for row in lines[1:] if re.match(r"[0-9]+ checks? ", row)]
    assert [row[:4] for row in summary if row[0] == "1"] == [["1", "check", "quarantine", "pass"]]
    assert sum(int(cells[0]) for cells in summary) == len(report.checks)
    assert {cells[3] for cells in summary} == {"pass", "skip"}
    skipped = {c.table for c in report.checks if c.status == "skip"}
    assert skipped == {"documents"}, "every share check is per document"
    assert lines[-2].startswith("all checks pass (documents 20,")
    full = format_report(report, every_check=True)
    assert len(full.splitlines()) == len(report.checks) + 5


def test_a_rerun_replaces_the_report_folder_it_marked(dataset_copy: Path) -> None:
    run_validation(dataset_copy, workers=1)
    folder = dataset_copy / "reports" / "validation"
    marker = json.loads((folder / "REPORT.json").read_text(encoding="utf-8"))
    assert (marker["created_by"], marker["kind"]) == ("dispatch-corpus", "validation-report")
    assert sorted(marker["files"]) == ["index.html", "results.json"]
    (folder / "index.html").write_text("stale", encoding="utf-8")
    run_validation(dataset_copy, workers=1)
    assert (folder / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in folder.parent.iterdir()) == ["quarantine.jsonl", "validation"]


def test_a_report_folder_holding_a_users_file_is_not_replaced(dataset_copy: Path) -> None:
    run_validation(dataset_copy, workers=1)
    folder = dataset_copy / "reports" / "validation"
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputPathError, match=r"notes\.txt"):
        run_validation(dataset_copy, workers=1)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_checks_not_run_are_summed_up_with_their_reason(dataset_copy: Path, tmp_path: Path) -> None:
    path = dataset_copy / "data" / "sections" / "train-00000-of-00001.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["label"]), path)
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    lines = format_report(report).splitlines()
    reason = f"not run: sections.label is missing from {path.name}"
    for table in ("sections", "documents"):
        summed = rf"3 checks +{table} +skip +0 +{re.escape(reason)}$"
        assert any(re.match(summed, line) for line in lines), lines
    (schema,) = [line for line in lines if line.startswith("sections.schema ")]
    assert schema.endswith(f"{path.name}: label: missing, expected int64")
    page = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert "&quot;not_run&quot;: &quot;not run: sections.label is missing" in page
    (share,) = [c for c in report.checks if c.check == "documents.section_share_body.min"]
    assert share.group == "share"
    rows = [cells for tag, cells in _outline(page) if tag == "tr"]
    (row,) = [cells for cells in rows if cells[0].startswith(share.check)]
    assert row[1:3] == ["skip", f"not judged: {reason}; bound: at least 70%"]


def test_a_check_stopped_by_an_error_shows_the_error(dataset_copy: Path, tmp_path: Path) -> None:
    quarantine = dataset_copy / "reports" / "quarantine.jsonl"
    quarantine.unlink()
    quarantine.mkdir()
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    (line,) = [line for line in format_report(report).splitlines() if "quarantine.records" in line]
    assert line.split()[2] == "FAIL"
    assert "quarantine.jsonl: not a regular file" in line


class _Page(HTMLParser):
    """The outline of a report page: headings, and the cells of each table row, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, list[str]]] = []
        self._tag: str | None = None
        self._cells: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h2", "h3"):
            self._tag, self._cells = tag, [""]
        elif tag == "tr":
            self._tag, self._cells = "tr", []
        elif tag in ("td", "th") and self._tag == "tr":
            self._cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3", "tr") and self._tag == tag:
            self.items.append((tag, [" ".join(c.split()) for c in self._cells]))
            self._tag = None

    def handle_data(self, data: str) -> None:
        if self._tag is not None and self._cells:
            self._cells[-1] += data


def _outline(page: str) -> list[tuple[str, list[str]]]:
    parser = _Page()
    parser.feed(page)
    return parser.items


def _page(report_dir: Path) -> str:
    return (report_dir / "index.html").read_text(encoding="utf-8")


def test_the_page_opens_with_a_summary_then_the_failures_with_expected_and_actual(
    dataset_copy: Path, tmp_path: Path
) -> None:
    rewrite_table(dataset_copy, "sections", lambda t: set_value(t, "label_name", 1, "list"))
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    assert [c.check for c in report.failures] == ["sections.records"]
    outline = _outline(_page(tmp_path / "report"))
    headings = [cells[0] for tag, cells in outline if tag == "h2"]
    assert headings[0] == "Summary"
    assert headings[1:] == ["documents", "paragraphs", "sections", "Quarantined inputs"]
    summary = outline.index(("tr", ["table", "FAIL", "pass", "skip", "all"]))
    by_table = {cells[0]: cells[1:] for _, cells in outline[summary + 1 : summary + 6]}
    for table in ("documents", "paragraphs", "sections", "quarantine"):
        checks = [c for c in report.checks if c.table == table]
        expected = [sum(c.status == s for c in checks) for s in ("FAIL", "pass", "skip")]
        assert by_table[table] == [str(n) for n in [*expected, len(checks)]], table
    assert by_table["all"][0] == "1" and by_table["all"][-1] == str(len(report.checks))
    failures = outline.index(("tr", ["check", "group", "where", "expected", "actual"]))
    assert failures < outline.index(("h2", ["documents"]))
    check, group, where, expected, actual = outline[failures + 1][1]
    assert (check, group) == ("sections.records", "model constraints")
    assert where.startswith("row ") and where.endswith("/s0001")
    assert expected == "every row validates as dispatch_corpus.models.Section"
    assert actual == "label_name 'list' is not label 'body'"


def test_a_failed_value_shows_its_invisible_difference(dataset_copy: Path, tmp_path: Path) -> None:
    rewrite_table(dataset_copy, "paragraphs", shift_char_end)
    run_validation(dataset_copy, tmp_path / "report", workers=1)
    outline = _outline(_page(tmp_path / "report"))
    (row,) = [cells for tag, cells in outline if cells[:1] == ["paragraphs.offsets_slice_text"]]
    assert "char_start" in row[2] and "char_end" in row[2]
    assert row[4].endswith('\\n"') and not row[3].endswith('\\n"')


def test_checks_are_grouped_by_table_then_by_kind_in_one_order(
    dataset_copy: Path, tmp_path: Path
) -> None:
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    outline = _outline(_page(tmp_path / "report"))
    order = list(GROUPS.values())
    table = None
    seen: dict[str, list[str]] = {}
    for tag, cells in outline:
        if tag == "h2":
            table = cells[0]
        elif tag == "h3" and table in report.rows:
            seen.setdefault(table, []).append(cells[0].split(" (")[0])
    assert set(seen) == {"documents", "paragraphs", "sections"}
    for groups in seen.values():
        assert groups == sorted(groups, key=order.index)
    assert seen["documents"] == order
    for table in ("paragraphs", "sections"):
        assert seen[table] == ["schema", "model constraints", "expectation suite", "cross-table"]


def test_every_share_check_shows_its_observed_share_beside_its_bound(
    shared_build: tuple[Path, object], tmp_path: Path
) -> None:
    dataset, _ = shared_build
    report = run_validation(dataset, tmp_path / "report", workers=1)
    shares = [c for c in report.checks if c.group == "share"]
    assert len(shares) >= 15
    assert any(c.success and c.unexpected_count for c in shares), "a share passing with outliers"
    rows = {cells[0]: cells for tag, cells in _outline(_page(tmp_path / "report")) if cells}
    for check in shares:
        result = next(c for k, c in rows.items() if k.startswith(check.check))[2]
        observed = percent(check.details["observed_share"])
        bound = percent(check.details["kwargs"]["mostly"])
        assert result == (
            f"observed: {observed} of {count(check.details['checked'])} values meet it; "
            f"bound: at least {bound}"
        )
        assert "unexpected" not in result
    text = format_report(report, every_check=True)
    (line,) = [line for line in text.splitlines() if line.startswith("documents.share_body.min ")]
    assert "observed: " in line and "bound: at least 70%" in line


def test_a_share_check_with_too_few_documents_says_it_was_not_judged(
    small_build: Path, tmp_path: Path
) -> None:
    run_validation(small_build, tmp_path / "report", workers=1)
    rows = [cells for tag, cells in _outline(_page(tmp_path / "report")) if tag == "tr"]
    (row,) = [cells for cells in rows if cells[0].startswith("documents.share_body.min")]
    assert row[1] == "skip"
    assert row[2] == "not judged: 20 rows, fewer than the 200 a share needs; bound: at least 70%"


def test_no_details_panel_is_empty_and_units_are_counted_in_words(
    dataset_copy: Path, tmp_path: Path
) -> None:
    report = run_validation(dataset_copy, tmp_path / "one", workers=1)
    page = _page(tmp_path / "one")
    assert report.units == 1
    assert "; 1 unit; " in page and "1 units" not in page
    assert "<pre>{}</pre>" not in page and "<pre>{\n}</pre>" not in page
    panels = page.count("<details>")
    assert panels == sum(1 for c in report.checks if c.details)
    assert panels < len(report.checks), "checks without details have no panel"
    small = UnitBudget(
        narrow_chars=2_000,
        narrow_documents=10,
        unit_chars=2_000,
        unit_documents=10,
        part_chars=2_000,
    )
    several = run_validation(dataset_copy, tmp_path / "two", workers=1, budget=small)
    assert several.units >= 2
    assert f"; {several.units} units; " in _page(tmp_path / "two")


def test_results_json_keeps_its_keys_and_names_each_checks_group(
    dataset_copy: Path, tmp_path: Path
) -> None:
    run_validation(dataset_copy, tmp_path / "report", workers=1)
    results = json.loads((tmp_path / "report" / "results.json").read_text(encoding="utf-8"))
    assert set(results) == {
        "dataset",
        "success",
        "rows",
        "seconds",
        "units",
        "checks",
        "failed_checks",
        "quarantine",
    }
    for check in results["checks"]:
        assert set(check) == {
            "check",
            "table",
            "kind",
            "group",
            "description",
            "success",
            "status",
            "unexpected_count",
            "element_count",
            "samples",
            "details",
        }
        assert check["group"] in GROUPS


def test_the_page_is_one_offline_file(dataset_copy: Path, tmp_path: Path) -> None:
    rewrite_table(dataset_copy, "paragraphs", shift_char_end)
    run_validation(dataset_copy, tmp_path / "report", workers=1)
    page = _page(tmp_path / "report")
    attributes = re.findall(r"""\b(?:src|href|action|srcset)\s*=\s*["']?([^"'\s>]*)""", page, re.I)
    assert attributes, "the summary links to the tables"
    assert all(value.startswith("#") for value in attributes), attributes
    for target in attributes:
        assert f'id="{target[1:]}"' in page, f"{target} leads nowhere"
    for remote in ("http://", "https://", "//", "url(", "@import", "<link", "<script", "<img"):
        assert remote not in page.lower().replace("<!doctype html>", ""), remote
    assert page.count("<style>") == 1 and page.index("<style>") < page.index("</head>")
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == [
        "REPORT.json",
        "index.html",
        "results.json",
    ]


_TEXT = st.text(
    alphabet=st.sampled_from(list("ab<>&\"'/ \n\u2028{}:=0")) | st.characters(), max_size=20
)
_VALUES = st.one_of(st.none(), st.integers(-(10**20), 10**20), st.floats(), _TEXT)
_FINDINGS = st.lists(
    st.dictionaries(
        st.sampled_from(["row", "shard", "column", "expected", "actual", "error", "line"]),
        _VALUES,
        max_size=5,
    )
    | _VALUES,
    max_size=6,
)


@st.composite
def _check_results(draw: st.DrawFn) -> CheckResult:
    kind = draw(st.sampled_from(["schema", "records", "expectation", "cross"]))
    details = draw(
        st.fixed_dictionaries(
            {},
            optional={
                "failures": _FINDINGS,
                "errors": st.lists(_TEXT, max_size=2),
                "expected": _TEXT,
                "actual": _TEXT,
                "not_run": _TEXT,
                "skipped": _TEXT,
                "checked": st.integers(0, 10**7),
                "observed_share": st.floats(0, 1),
                "kwargs": st.fixed_dictionaries(
                    {}, optional={"mostly": st.floats(0, 1), "column": _TEXT}
                ),
            },
        )
    )
    return CheckResult(
        check=draw(_TEXT),
        table=draw(st.sampled_from(["documents", "paragraphs", "sections", "quarantine"])),
        kind=kind,
        description=draw(_TEXT),
        success=draw(st.booleans()),
        unexpected_count=draw(st.integers(0, 10**9)),
        element_count=draw(st.integers(0, 10**9)),
        samples=tuple(draw(st.lists(_TEXT, max_size=3))),
        details=details,
        skipped=draw(st.booleans()),
    )


_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "h3",
    "p",
    "span",
    "code",
    "table",
    "tr",
    "th",
    "td",
    "a",
    "br",
    "strong",
    "details",
    "summary",
    "pre",
}


@given(checks=st.lists(_check_results(), max_size=8), units=st.integers(0, 3))
def test_any_check_results_render_as_escaped_html_without_empty_panels(
    checks: list[CheckResult], units: int
) -> None:
    report = ValidationReport(
        dataset=Path("/data/x"),
        report_dir=None,
        checks=tuple(checks),
        rows={"documents": 1234, "paragraphs": 5, "sections": 0},
        seconds=1.25,
        units=units,
    )
    page = render_html(report)
    seen: set[str] = set()

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            seen.add(tag)

    Tags().feed(page)
    assert seen <= _TAGS, seen - _TAGS
    assert "<pre>{}</pre>" not in page
    assert page.count("<details>") == sum(1 for c in checks if c.details)
    assert f"; {units} unit{'' if units == 1 else 's'}; " in page
    assert "documents 1,234" in page
    format_report(report, every_check=True)
