from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dispatch_corpus.build import build_dataset
from dispatch_corpus.folders import OutputPathError
from dispatch_corpus.release.verify import verify_release
from dispatch_corpus.validation import run_validation
from dispatch_corpus.validation.dataset import UnitBudget
from validation.planting import rewrite_table, set_value, shard

REPO_ROOT = Path(__file__).resolve().parents[2]


def _duplicate_row(table: pa.Table) -> pa.Table:
    return pa.concat_tables([table.slice(0, 6), table.slice(5, 1), table.slice(6)])


def _drop_row(table: pa.Table) -> pa.Table:
    return pa.concat_tables([table.slice(0, 2), table.slice(3)])


def _shift_char_end(table: pa.Table) -> pa.Table:
    return set_value(table, "char_end", 4, table["char_end"][4].as_py() + 1)


PLANTED = {
    "duplicated paragraph row": (
        "paragraphs",
        _duplicate_row,
        {"paragraphs.doc_id+paragraph_index.unique", "documents.n_paragraphs_agree"},
    ),
    "char_end off by one": (
        "paragraphs",
        _shift_char_end,
        {"paragraphs.records", "paragraphs.offsets_slice_text"},
    ),
    "document row dropped": (
        "documents",
        _drop_row,
        {"paragraphs.doc_id_in_documents", "sections.doc_id_in_documents"},
    ),
    "empty paragraph text": (
        "paragraphs",
        lambda t: set_value(t, "text", 3, ""),
        {"paragraphs.records", "paragraphs.text.length", "paragraphs.offsets_slice_text"},
    ),
    "role outside the label set": (
        "paragraphs",
        lambda t: set_value(t, "role", 3, 42),
        {"paragraphs.records", "paragraphs.role.in_label_set"},
    ),
    "flag outside the documented set": (
        "paragraphs",
        lambda t: set_value(t, "flags", 3, ["truncated"]),
        {"paragraphs.records", "paragraphs.flags.in_flag_set"},
    ),
    "text_sha256 that does not match": (
        "documents",
        lambda t: set_value(t, "text_sha256", 1, "0" * 64),
        {"documents.records", "documents.text_sha256_matches"},
    ),
}


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


def test_units_over_worker_processes_give_the_one_unit_verdicts(
    dataset_copy: Path, tmp_path: Path
) -> None:
    rewrite_table(dataset_copy, "paragraphs", _duplicate_row)
    single = run_validation(dataset_copy, tmp_path / "one", workers=1)
    tiny = UnitBudget(10**9, 4, 10**9, 6, 10**9, 2)
    split = run_validation(dataset_copy, tmp_path / "many", workers=2, budget=tiny)
    assert split.units > 3
    assert single.units == 1
    one = {c.check: (c.success, c.unexpected_count, c.element_count) for c in single.checks}
    many = {c.check: (c.success, c.unexpected_count, c.element_count) for c in split.checks}
    assert many == one


def test_a_schema_that_differs_from_the_model_fails_before_rows_are_read(
    dataset_copy: Path, tmp_path: Path
) -> None:
    path = shard(dataset_copy, "sections")
    data = pq.read_table(path).drop_columns(["label"])
    pq.write_table(data, path)
    report = run_validation(dataset_copy, tmp_path / "report", workers=1)
    assert [c.check for c in report.failures] == ["sections.schema"]
    assert report.failures[0].samples == (path.name,)
    assert report.units == 0


def test_results_json_lists_every_check_with_counts_and_samples(
    dataset_copy: Path, tmp_path: Path
) -> None:
    rewrite_table(dataset_copy, "documents", _drop_row)
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
def release_copy(tmp_path: Path) -> Path:
    """A private copy of the committed release 1.0.0 under ``releases/``."""
    target = tmp_path / "releases" / "1.0.0"
    shutil.copytree(REPO_ROOT / "releases" / "1.0.0", target)
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
