from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.dataset.folders import OutputPathError
from dispatch_corpus.release.verify import verify_release
from dispatch_corpus.validation import dataset as dataset_module
from dispatch_corpus.validation import format_report, run_validation
from dispatch_corpus.validation.dataset import UnitBudget, ValidationInputError
from validation.planting import (
    PLANTED,
    SCHEMA_CHANGES,
    drop_row,
    duplicate_row,
    rewrite_table,
    set_value,
    shard,
    shift_char_end,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
TABLES = ("documents", "paragraphs", "sections")


def test_a_clean_small_build_passes_every_check(small_build: Path, tmp_path: Path) -> None:
    report = run_validation(small_build, tmp_path / "report", workers=1)
    assert report.success, [(c.check, c.samples) for c in report.failures]
    assert report.rows["documents"] == 20
    kinds = {c.kind for c in report.checks}
    assert kinds == {"schema", "records", "expectation", "cross"}


def test_share_checks_are_skipped_on_a_build_too_small_to_judge(tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    dataset = tmp_path / "dataset"
    build_dataset(repo / "corpus", dataset)
    report = run_validation(dataset, tmp_path / "report", workers=1)
    assert report.success
    skipped = [c for c in report.checks if c.status == "skip"]
    assert skipped
    assert all("mostly" in c.details["kwargs"] for c in skipped)
    assert all(
        c.status == "pass" for c in report.checks if "mostly" not in c.details.get("kwargs", {})
    )


def test_a_clean_build_of_the_shared_corpus_passes(shared_corpus_dir: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "dataset"
    summary = build_dataset(shared_corpus_dir, dataset)
    report = run_validation(dataset, tmp_path / "report")
    assert report.success, [(c.check, c.samples) for c in report.failures]
    assert report.rows["paragraphs"] == summary.paragraphs
    assert not [c.check for c in report.checks if c.status == "skip"]


@pytest.mark.parametrize("defect", sorted(PLANTED))
def test_each_planted_defect_fails_the_checks_that_name_it(
    defect: str, dataset_copy: Path, tmp_path: Path
) -> None:
    table, change, expected = PLANTED[defect]
    rewrite_table(dataset_copy, table, change)
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    failed = {c.check for c in report.failures}
    assert expected <= failed
    assert all(c.unexpected_count > 0 for c in report.failures)
    assert all(c.samples for c in report.failures if c.kind in ("records", "cross"))
    for check in report.failures:
        findings = check.details["failures"]
        assert findings, check.check
        assert all("actual" in f or "error" in f for f in findings), (check.check, findings)


def test_a_bad_role_is_shown_with_its_value(dataset_copy: Path, tmp_path: Path) -> None:
    rewrite_table(dataset_copy, "paragraphs", lambda t: set_value(t, "role", 3, 99))
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    lines = format_report(report).splitlines()
    (records,) = [line for line in lines if line.startswith("paragraphs.records ")]
    assert re.search(r"/p\d{4}: role = 99: ", records), records
    (label_set,) = [line for line in lines if line.startswith("paragraphs.role.in_label_set ")]
    assert re.search(r"/p\d{4} = 99$", label_set), label_set
    failed = {c.check: c.details for c in report.failures}
    (finding,) = failed["paragraphs.records"]["failures"]
    assert (finding["column"], finding["actual"]) == ("role", 99)
    assert finding["expected"].startswith("Input should be 'headline', 'dateline'")
    in_set = failed["paragraphs.role.in_label_set"]
    assert in_set["expected"] == "role: in [0, 1, 2, 3, 4, 5, 6, 7, 8]"
    assert in_set["actual"] == f"1 of {report.rows['paragraphs']} values fail"
    assert [f["actual"] for f in in_set["failures"]] == [99]


def test_a_char_end_off_by_one_shows_expected_and_actual(
    dataset_copy: Path, tmp_path: Path
) -> None:
    original = pq.read_table(shard(dataset_copy, "paragraphs"))
    rewrite_table(dataset_copy, "paragraphs", shift_char_end)
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    failed = {c.check: c.details for c in report.failures}
    text = original["text"][4].as_py()
    start, end = original["char_start"][4].as_py(), original["char_end"][4].as_py()
    (sliced,) = failed["paragraphs.offsets_slice_text"]["failures"]
    assert (sliced["char_start"], sliced["char_end"]) == (start, end + 1)
    assert sliced["expected"] != sliced["actual"]
    assert sliced["expected"].endswith(text[-20:])
    assert sliced["actual"].startswith(sliced["expected"]), "one character more"
    (record,) = failed["paragraphs.records"]["failures"]
    assert record["error"] == (
        f"char_end - char_start = {end + 1 - start} but len(text) = {len(text)}"
    )


def test_progress_is_reported_range_by_range(dataset_copy: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    tiny = UnitBudget(10**9, 4, 10**9, 6, 10**9, 2)
    report = run_validation(
        dataset_copy,
        tmp_path / "report",
        workers=2,
        budget=tiny,
        on_progress=lambda done, total: seen.append((done, total)),
    )
    total = seen[-1][1]
    assert total > report.units > 3, "narrow ranges and units"
    assert seen == [(done, total) for done in range(1, total + 1)]


def test_units_over_worker_processes_give_the_one_unit_verdicts(
    dataset_copy: Path, tmp_path: Path
) -> None:
    rewrite_table(dataset_copy, "paragraphs", duplicate_row)
    single = run_validation(dataset_copy, tmp_path / "one", workers=1)
    tiny = UnitBudget(10**9, 4, 10**9, 6, 10**9, 2)
    split = run_validation(dataset_copy, tmp_path / "many", workers=2, budget=tiny)
    assert split.units > 3
    assert single.units == 1
    one = {c.check: (c.success, c.unexpected_count, c.element_count) for c in single.checks}
    many = {c.check: (c.success, c.unexpected_count, c.element_count) for c in split.checks}
    assert many == one


def test_a_schema_failure_in_one_table_does_not_hide_the_other_checks(
    dataset_copy: Path, tmp_path: Path
) -> None:
    path = shard(dataset_copy, "sections")
    data = pq.read_table(path).drop_columns(["label"])
    pq.write_table(data, path)
    rewrite_table(dataset_copy, "paragraphs", shift_char_end)
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    failed = {c.check: c for c in report.failures}
    assert set(failed) == {
        "sections.schema",
        "paragraphs.records",
        "paragraphs.offsets_slice_text",
    }, "the char_end planted in paragraphs is found although the sections schema differs"
    (finding,) = failed["sections.schema"].details["failures"]
    assert finding == {
        "shard": path.name,
        "column": "label",
        "expected": "int64",
        "actual": "missing",
    }
    assert failed["sections.schema"].samples == (f"{path.name}: label: missing, expected int64",)
    not_run = {c.check: c.details["not_run"] for c in report.checks if "not_run" in c.details}
    assert set(not_run) == {
        "sections.records",
        "sections.label.not_null",
        "sections.label.in_label_set",
        "documents.section_share_body.min",
        "documents.section_share_body.max",
        "documents.section_share_boilerplate.max",
    }
    assert set(not_run.values()) == {f"not run: sections.label is missing from {path.name}"}
    ran = {c.check: c for c in report.checks if c.check not in not_run}
    assert ran["sections.tile_paragraphs"].element_count == report.rows["documents"]
    assert ran["sections.doc_id+section_index.unique"].element_count == report.rows["sections"]
    assert all(c.status == "skip" for c in report.checks if c.check in not_run)
    assert report.units == 1


@pytest.mark.parametrize("change", sorted(SCHEMA_CHANGES))
def test_a_schema_difference_is_named_and_only_its_checks_are_not_run(
    change: str, dataset_copy: Path, tmp_path: Path
) -> None:
    table, damage, expected, not_run = SCHEMA_CHANGES[change]
    stored = {
        name: sum(
            pq.read_metadata(path).num_rows
            for path in (dataset_copy / "data" / name).glob("*.parquet")
        )
        for name in TABLES
    }
    path = shard(dataset_copy, table)
    pq.write_table(damage(pq.read_table(path)), path)
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    assert [c.check for c in report.failures] == [f"{table}.schema"]
    finding = report.failures[0].details["failures"][0]
    assert finding["shard"] == path.name
    for key, value in expected.items():
        assert str(finding[key]).startswith(value), (key, finding)
    skipped = [c for c in report.checks if "not_run" in c.details]
    assert len(skipped) == not_run, [c.check for c in skipped]
    assert report.rows == stored


def test_results_json_lists_every_check_with_counts_and_samples(
    dataset_copy: Path, tmp_path: Path
) -> None:
    rewrite_table(dataset_copy, "documents", drop_row)
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    data = json.loads((tmp_path / "report" / "results.json").read_text(encoding="utf-8"))
    assert data["success"] is False
    assert len(data["checks"]) == len(report.checks)
    by_name = {c["check"]: c for c in data["checks"]}
    missing = by_name["paragraphs.doc_id_in_documents"]
    assert missing["success"] is False
    assert missing["unexpected_count"] > 0
    assert missing["samples"]
    assert set(data["failed_checks"]) == {c.check for c in report.failures}


def _dispatches(count: int) -> dict[str, str]:
    """``count`` ordinary wire dispatches, one collection, as ``make_corpus`` files."""
    return {
        f"wire/d{i:03d}.txt": (
            f"Harbour {i} reopens after storm\n\n"
            f"BREST, 3 March - The harbour number {i} reopened on Monday, officials said.\n\n"
            f"Boats {i} left by noon and the quays were busy again.\n\n"
            f'"We are back at sea," said captain {i}.\n\n'
            f"Repairs to the outer wall {i} will take another month.\n\n"
            "The storm had closed the port for nine days."
        )
        for i in range(count)
    }


def test_one_pathological_document_does_not_fail_the_share_checks(
    make_corpus: Callable[[Mapping[str, bytes | str]], Path], tmp_path: Path
) -> None:
    files: dict[str, str] = {**_dispatches(210), "odd/mots.txt": "\n".join(["mot"] * 5000)}
    dataset = tmp_path / "dataset"
    summary = build_dataset(make_corpus(files), dataset)
    assert summary.paragraphs > 5000, "the odd document holds most paragraphs"
    report = run_validation(dataset, tmp_path / "report", workers=1)
    assert report.success, [(c.check, c.details) for c in report.failures]
    checks = {c.check: c for c in report.checks}
    lowercase = checks["documents.share_starts_lowercase.max"]
    assert not lowercase.skipped
    assert (lowercase.unexpected_count, lowercase.element_count) == (1, 211)


def test_many_lowercase_documents_fail_the_starts_lowercase_share(
    make_corpus: Callable[[Mapping[str, bytes | str]], Path], tmp_path: Path
) -> None:
    normal = _dispatches(200)
    lowered = {f"low/{name.split('/')[1]}": text.lower() for name, text in normal.items()}
    files = {**normal, **dict(list(lowered.items())[:23])}
    dataset = tmp_path / "dataset"
    build_dataset(make_corpus(files), dataset)
    report = run_validation(dataset, tmp_path / "report", workers=1)
    failed = {c.check: c for c in report.failures}
    assert "documents.share_starts_lowercase.max" in failed
    assert failed["documents.share_starts_lowercase.max"].unexpected_count == 23


# --- where the report goes: a build's own folder, never into a release --------------------------


@pytest.fixture
def release_copy(tmp_path: Path, latest_release: Path) -> Path:
    """A private copy of the latest committed release under ``releases/``."""
    target = tmp_path / "releases" / latest_release.name
    shutil.copytree(latest_release, target)
    return target


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_validating_a_release_writes_nothing_into_it(release_copy: Path) -> None:
    before = _tree(release_copy.parent)
    report = run_validation(release_copy, workers=1)
    assert report.success
    assert report.report_dir is None
    assert _tree(release_copy.parent) == before
    assert verify_release(release_copy).ok


@pytest.mark.parametrize(
    "inside", ["reports/validation", "reports", "data/paragraphs", "."], ids=str
)
def test_a_report_folder_inside_a_release_is_refused(release_copy: Path, inside: str) -> None:
    before = _tree(release_copy.parent)
    with pytest.raises(OutputPathError, match="releases are read-only"):
        run_validation(release_copy, release_copy / inside, workers=1)
    assert _tree(release_copy.parent) == before
    assert verify_release(release_copy).ok


def test_a_release_validated_with_a_report_folder_elsewhere_gets_its_report(
    release_copy: Path, tmp_path: Path
) -> None:
    report = run_validation(release_copy, tmp_path / "report", workers=1)
    assert report.report_dir == tmp_path / "report"
    assert sorted(p.name for p in (tmp_path / "report").iterdir()) == [
        "REPORT.json",
        "index.html",
        "results.json",
    ]
    assert verify_release(release_copy).ok


def test_a_user_folder_is_never_a_report_folder(dataset_copy: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mydocs"
    mine.mkdir()
    (mine / "results.json").write_text("my own results")
    with pytest.raises(OutputPathError, match=r"no REPORT\.json"):
        run_validation(dataset_copy, mine, workers=1)
    assert [p.name for p in mine.iterdir()] == ["results.json"]
    assert (mine / "results.json").read_text() == "my own results"


def _bad_utf8_at(row: int) -> Callable[[pa.Table], pa.Table]:
    """Put a byte that is not UTF-8 into the text of one row, keeping the column's type."""

    def change(table: pa.Table) -> pa.Table:
        values = [v.encode() for v in table["text"].to_pylist()]
        values[row] = values[row][:3] + b"\xff" + values[row][3:]
        broken = pa.array(values, type=pa.binary()).view(pa.string())
        return table.set_column(table.schema.get_field_index("text"), "text", broken)

    return change


@pytest.mark.parametrize("table", ["paragraphs", "sections"])
@pytest.mark.parametrize("workers", [1, 2])
def test_a_text_that_is_not_utf8_stops_validation_naming_its_shard(
    dataset_copy: Path, tmp_path: Path, table: str, workers: int
) -> None:
    # The text columns of paragraphs and sections are checked after reading, where the
    # documents' text does not prove them UTF-8: a broken row must still stop validation.
    rows = pq.ParquetFile(shard(dataset_copy, table)).metadata.num_rows
    rewrite_table(dataset_copy, table, _bad_utf8_at(rows // 2))
    tiny = UnitBudget(10**9, 4, 10**9, 6, 10**9, 2)
    with pytest.raises(ValidationInputError, match="Invalid UTF8") as raised:
        run_validation(dataset_copy, tmp_path / "report", workers=workers, budget=tiny)
    assert str(shard(dataset_copy, table)) in str(raised.value)


def test_each_row_group_is_decoded_by_one_worker_but_at_the_block_edge(
    dataset_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shards = [
        path for table in TABLES for path in sorted((dataset_copy / "data" / table).glob("*"))
    ]
    for path in shards:
        data = pq.read_table(path)
        # Small row groups, so that a worker's units overlap only some of them.
        pq.write_table(data, path, row_group_size=8)
    log = tmp_path / "reads.log"
    read_group = dataset_module._read_group

    def counted(group: Any, names: list[str], *rest: Any) -> Any:
        # The wide readers' reads only (the narrow ranges read the other columns apart).
        if "text" in names:
            with log.open("a", encoding="utf-8") as file:
                file.write(f"{group.path.parent.name}/{group.path.name}:{group.index}\n")
        return read_group(group, names, *rest)

    monkeypatch.setattr(dataset_module, "_read_group", counted)
    tiny = UnitBudget(10**9, 4, 10**9, 2, 10**9, 2)
    report = run_validation(dataset_copy, tmp_path / "report", workers=2, budget=tiny)
    assert report.success and report.units >= 8
    reads = Counter(log.read_text(encoding="utf-8").splitlines())
    groups = sum(pq.ParquetFile(path).metadata.num_row_groups for path in shards)
    assert len(reads) == groups, "every row group read"
    # The two workers' blocks meet at one doc_id: in each shard (a table's split), only the
    # row group holding it may be read by both.
    assert sum(reads.values()) <= groups + len(shards), "twice at most at the one block edge"
