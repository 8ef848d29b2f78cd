import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.dataset import writer as tables
from dispatch_corpus.dataset.buildrecord import read_build_record, write_build_record
from dispatch_corpus.dataset.folders import NotABuildError, OutputPathError
from dispatch_corpus.dataset.writer import recompress
from dispatch_corpus.evaluation.cv import CrossValidation
from dispatch_corpus.evaluation.score import (
    GoldDocument,
    GoldParagraph,
    evaluate_documents,
    expected_calibration_error,
    reliability_table,
)
from dispatch_corpus.release import cut
from dispatch_corpus.release.cut import ValidationVerdict, cut_release, suite_validator
from dispatch_corpus.release.errors import BuildChangedError, ReleaseError
from dispatch_corpus.release.manifest import read_manifest
from dispatch_corpus.release.verify import verify_release
from dispatch_corpus.settings import DEFAULT_LABELER, LABELER_VERSION, BuildSettings

Validate = Callable[[Path], ValidationVerdict]
Snapshot = Callable[[Path], dict[str, bytes]]
RELEASE_FILES = {
    "CHANGELOG.md",
    "MANIFEST.json",
    "README.md",
    "croissant.json",
    "images/lengths.png",
    "data/documents/train-00000-of-00001.parquet",
    "data/paragraphs/train-00000-of-00001.parquet",
    "data/sections/train-00000-of-00001.parquet",
    # The base corpus's documents fall in train and validation (salted hashes of their ids).
    "data/documents/validation-00000-of-00001.parquet",
    "data/paragraphs/validation-00000-of-00001.parquet",
    "data/sections/validation-00000-of-00001.parquet",
}


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_first_release_holds_the_build_data_and_its_descriptions(
    released: Path,
    builds: dict[str, Path],
    release_facts: tuple[str, datetime],
    tmp_path: Path,
) -> None:
    repo_id, created = release_facts
    assert released.name == "1.0.0"
    assert _files(released) == RELEASE_FILES
    for table in ("documents", "paragraphs", "sections"):
        name = f"data/{table}/train-00000-of-00001.parquet"
        # The build's rows, recompressed at the release's level.
        recompress(builds["base"] / name, tmp_path / "expected.parquet", table)
        assert (released / name).read_bytes() == (tmp_path / "expected.parquet").read_bytes()
    assert verify_release(released).ok
    manifest = read_manifest(released)
    assert manifest["version"] == "1.0.0"
    assert manifest["created"] == created.isoformat()
    recorded_settings = BuildSettings().recorded()
    assert {k: manifest["build_settings"][k] for k in recorded_settings} == recorded_settings
    assert manifest["build_settings"]["neardup"]["split_salt"] == "dispatch-corpus/split/v1"
    assert {f["path"] for f in manifest["files"]} == RELEASE_FILES - {"MANIFEST.json"}
    card = (released / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n")
    assert "# Dataset Card for Dispatch corpus 1.0.0" in card
    assert f'"{repo_id}", "paragraphs", split="train", revision="v1.0.0"' in card
    assert "First release: 3 documents" in (released / "CHANGELOG.md").read_text(encoding="utf-8")
    assert (released / "images/lengths.png").read_bytes().startswith(b"\x89PNG")
    assert not [p for p in released.parent.iterdir() if p.name != "1.0.0"]


def test_the_manifest_records_the_labeler_the_data_was_labeled_with(released: Path) -> None:
    recorded = read_manifest(released)["build_settings"]
    assert recorded["labeler"] == DEFAULT_LABELER.recorded()
    assert recorded["labeler"]["version"] == LABELER_VERSION


def test_an_existing_release_is_refused_and_left_untouched(
    released: Path, builds: dict[str, Path], accept: Validate, tree_snapshot: Snapshot
) -> None:
    before = tree_snapshot(released.parent)
    with pytest.raises(ReleaseError, match=r"release 1\.0\.0 already exists"):
        cut_release("1.0.0", builds["added"], released.parent, validate=accept)
    assert tree_snapshot(released.parent) == before


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("1.0", "not semver"),
        ("v1.1.0", "drop the leading 'v'"),
        ("0.9.0", "not above the latest release 1.0.0"),
        ("1.0.1", "PATCH bump from 1.0.0, but the change needs MINOR"),
    ],
)
def test_bad_versions_are_refused_and_nothing_changes(
    released: Path,
    builds: dict[str, Path],
    accept: Validate,
    tree_snapshot: Snapshot,
    version: str,
    message: str,
) -> None:
    before = tree_snapshot(released.parent)
    with pytest.raises(ReleaseError, match=message):
        cut_release(version, builds["added"], released.parent, validate=accept)
    assert tree_snapshot(released.parent) == before


def test_each_change_needs_its_bump(
    builds: dict[str, Path], accept: Validate, tmp_path: Path
) -> None:
    releases = tmp_path / "releases"
    cut_release("1.0.0", builds["base"], releases, validate=accept)
    same = cut_release("1.0.1", builds["base2"], releases, validate=accept)
    assert same.diff.needed_bump.name == "PATCH"
    assert "needs: PATCH" in (same.path / "CHANGELOG.md").read_text(encoding="utf-8")
    added = cut_release("1.1.0", builds["added"], releases, validate=accept)
    assert added.previous is not None and str(added.previous) == "1.0.1"
    assert "- added: 1: `bridge`" in (added.path / "CHANGELOG.md").read_text(encoding="utf-8")
    with pytest.raises(ReleaseError, match="needs MAJOR"):
        cut_release("1.2.0", builds["changed"], releases, validate=accept)
    changed = cut_release("2.0.0", builds["changed"], releases, validate=accept)
    changelog = (changed.path / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "text changed (text_sha256): 1: `storm`" in changelog
    assert "- removed: 1: `bridge`" in changelog
    assert sorted(p.name for p in releases.iterdir()) == ["1.0.0", "1.0.1", "1.1.0", "2.0.0"]
    assert all(verify_release(p).ok for p in releases.iterdir())


def test_a_build_failing_validation_is_refused(builds: dict[str, Path], tmp_path: Path) -> None:
    seen = []

    def reject(dataset_dir: Path) -> ValidationVerdict:
        seen.append(dataset_dir)
        return ValidationVerdict(ok=False, summary="2 expectations failed")

    releases = tmp_path / "releases"
    with pytest.raises(ReleaseError, match=r"failed validation \(2 expectations failed\)"):
        cut_release("1.0.0", builds["base"], releases, validate=reject)
    assert seen == [builds["base"]]
    assert not releases.exists()


def test_a_failure_while_writing_leaves_nothing_behind(
    builds: dict[str, Path], accept: Validate, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_plot(*args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(cut, "plot_lengths", broken_plot)
    releases = tmp_path / "releases"
    with pytest.raises(RuntimeError, match="disk full"):
        cut_release("1.0.0", builds["base"], releases, validate=accept)
    assert not releases.exists(), "the releases folder the release made is removed too"


def test_a_folder_that_is_not_a_build_cannot_be_released(accept: Validate, tmp_path: Path) -> None:
    with pytest.raises(NotABuildError, match=r"not a build of dispatch-corpus \(no valid BUILD"):
        cut_release("1.0.0", tmp_path, tmp_path / "releases", validate=accept)
    assert not (tmp_path / "releases").exists()


def test_a_malformed_repo_id_is_refused(
    builds: dict[str, Path], accept: Validate, tmp_path: Path
) -> None:
    with pytest.raises(ReleaseError, match="not ORG/NAME"):
        cut_release("1.0.0", builds["base"], tmp_path, validate=accept, repo_id="no-slash")


def test_independent_builds_release_identical_parquet(
    builds: dict[str, Path], accept: Validate, tmp_path: Path
) -> None:
    first = cut_release("1.0.0", builds["base"], tmp_path / "a", validate=accept).path
    second = cut_release("1.0.0", builds["base2"], tmp_path / "b", validate=accept).path
    data = sorted(p.relative_to(first) for p in (first / "data").rglob("*.parquet"))
    assert len(data) == 6
    assert all((first / p).read_bytes() == (second / p).read_bytes() for p in data)


def test_the_release_loads_offline_with_class_labels(released: Path, tmp_path: Path) -> None:
    from datasets import ClassLabel, load_dataset

    paragraphs = load_dataset(
        str(released), "paragraphs", split="train+validation", cache_dir=str(tmp_path / "cache")
    )
    role = paragraphs.features["role"]
    assert isinstance(role, ClassLabel)
    assert role.names[:3] == ["headline", "dateline", "lead"]
    assert paragraphs.num_rows == 10
    assert role.int2str(paragraphs[0]["role"]) == "headline"
    default = load_dataset(str(released), cache_dir=str(tmp_path / "cache2"))
    assert sum(split.num_rows for split in default.values()) == 10
    sections = load_dataset(
        str(released), "sections", split="train", cache_dir=str(tmp_path / "cache3")
    )
    assert isinstance(sections.features["label"], ClassLabel)


def test_mlcroissant_validates_and_loads_the_croissant_file(released: Path) -> None:
    import mlcroissant as mlc

    jsonld = released / "croissant.json"
    cli = Path(sys.executable).with_name("mlcroissant")
    result = subprocess.run(
        [str(cli), "validate", "--jsonld", str(jsonld)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    dataset = mlc.Dataset(jsonld=jsonld)
    assert dataset.metadata.ctx.issues.warnings == set()
    rows: dict[str, int] = {}
    for f in read_manifest(released)["files"]:
        if f["rows"]:
            table = f["path"].split("/")[1]
            rows[table] = rows.get(table, 0) + f["rows"]
    for table, count in rows.items():
        assert len(list(dataset.records(table))) == count
    roles = [r["paragraphs/role"] for r in dataset.records("paragraphs")]
    names = {
        r["paragraphs_role_values/index"]: r["paragraphs_role_values/name"]
        for r in dataset.records("paragraphs_role_values")
    }
    assert names[0] == "headline"
    assert all(int(role) in names for role in roles)


def test_a_table_in_several_shards_is_released_and_loads(
    accept: Validate,
    corpus_writer: Callable[..., Path],
    corpus_variants: dict[str, dict[str, str]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import mlcroissant as mlc
    from datasets import load_dataset

    monkeypatch.setattr(tables, "ROW_GROUP_ROWS", 2)
    monkeypatch.setattr(tables, "SHARD_ROWS", 4)
    corpus = corpus_writer(tmp_path / "corpus", corpus_variants["added"])
    build_dataset(corpus, tmp_path / "build")
    release = cut_release("0.1.0", tmp_path / "build", tmp_path / "releases", validate=accept).path
    shards = sorted(p.name for p in (release / "data" / "paragraphs").glob("train-*.parquet"))
    assert len(shards) >= 2
    assert shards == [f"train-0000{i}-of-0000{len(shards)}.parquet" for i in range(len(shards))]
    assert verify_release(release).ok
    croissant = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    file_objects = [d for d in croissant["distribution"] if d["@type"] == "cr:FileObject"]
    assert len(file_objects) == len(list((release / "data").rglob("*.parquet")))
    dataset = mlc.Dataset(jsonld=release / "croissant.json")
    assert len(list(dataset.records("paragraphs"))) == 12
    loaded = load_dataset(str(release), "paragraphs", cache_dir=str(tmp_path / "c"))
    assert sum(split.num_rows for split in loaded.values()) == 12


def test_the_project_validation_gates_the_release(builds: dict[str, Path], tmp_path: Path) -> None:
    pytest.importorskip(
        "dispatch_corpus.validation", reason="dispatch_corpus.validation is not in the tree yet"
    )
    edited = tmp_path / "edited"
    shutil.copytree(builds["base"], edited)
    path = next((edited / "data" / "paragraphs").glob("*.parquet"))
    table = pq.read_table(path)
    texts = table.column("text").to_pylist()
    texts[1] = texts[1] + " (edited after the build)"
    pq.write_table(table.set_column(table.schema.get_field_index("text"), "text", [texts]), path)
    # Record the edit as if the build had written it: a build that is what it says it is,
    # but fails validation.
    record = read_build_record(builds["base"])
    assert record is not None and record.corpus is not None
    write_build_record(edited, record.corpus, record.settings)
    releases = tmp_path / "releases"
    with pytest.raises(ReleaseError, match="failed validation"):
        cut_release("1.0.0", edited, releases, validate=suite_validator(tmp_path / "bad"))
    assert not releases.exists()
    assert (tmp_path / "bad" / "results.json").is_file()
    release = cut_release(
        "1.0.0", builds["base"], releases, validate=suite_validator(tmp_path / "good")
    )
    assert verify_release(release.path).ok


def test_a_gold_evaluation_puts_label_quality_and_a_confusion_matrix_on_the_card(
    builds: dict[str, Path], accept: Validate, tmp_path: Path
) -> None:
    gold = GoldDocument(
        doc_id="g",
        language="fr",
        text_sha256="",
        paragraphs=(GoldParagraph(0, 5, "headline"), GoldParagraph(7, 20, "lead")),
        sections=(),
    )
    evaluation = evaluate_documents([(gold, None)])
    evaluation.reliability = reliability_table([(0.95, True), (0.97, True), (0.55, False)])
    evaluation.calibration_error = expected_calibration_error(evaluation.reliability)
    evaluation.confident_coverage, evaluation.confident_accuracy = 2 / 3, 1.0
    outcome = cut_release(
        "1.0.0",
        builds["base"],
        tmp_path / "releases",
        validate=accept,
        evaluation=CrossValidation(folds=5, evaluation=evaluation),
    )
    assert (outcome.path / "images" / "confusion.png").read_bytes().startswith(b"\x89PNG")
    card = (outcome.path / "README.md").read_text(encoding="utf-8")
    assert "#### Label quality" in card
    assert "5-fold cross-validation by document" in card
    assert "on 1 hand-labeled document (2 paragraphs, fr)" in card
    # The figures of the gold reach the Uses and the limitations too.
    assert "(role accuracy 0.000 in cross-validation on 1 hand-labeled document)" in card
    assert "- **Label accuracy by language** (role accuracy in cross-validation" in card
    assert "gold): fr 0.000 (1 document)." in card
    assert "- **Not measured:** no gold document in en:" in card
    assert "| fr | 1 | 0.000 |" in card
    assert "| 0.9-1.0 | 2 | 0.960 | 1.000 |" in card
    assert "| 0.5-0.6 | 1 | 0.550 | 0.000 |" in card
    assert "are 66.7% of the gold, at role accuracy 1.000" in card
    assert 'paragraphs.filter(lambda row: row["role_confidence"] >= 0.9)' in card
    assert "![Confusion matrix of paragraph roles](images/confusion.png)" in card
    assert verify_release(outcome.path).ok


# --- only an unchanged build is released, only into a folder of releases ----------------------

# The base corpus's validation documents are those the "changed" corpus edits: this shard differs.
SHARD = "data/paragraphs/validation-00000-of-00001.parquet"


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


BUILD_CHANGES: dict[str, Callable[[Path], object]] = {
    "a shard rewritten": lambda b: _flip_a_byte(b / SHARD),
    "a shard replaced by another build's": lambda b: (b / SHARD).write_bytes(
        (b.parent / "other" / SHARD).read_bytes()
    ),
    "a shard added": lambda b: shutil.copyfile(
        b / SHARD, b / "data/paragraphs/validation-00001-of-00001.parquet"
    ),
    "a shard removed": lambda b: (b / SHARD).unlink(),
    "the card edited": lambda b: (b / "README.md").write_text("edited", encoding="utf-8"),
    "the quarantine report edited": lambda b: (b / "reports/quarantine.jsonl").write_text(""),
}


@pytest.mark.parametrize("change", sorted(BUILD_CHANGES))
def test_a_build_changed_since_it_was_built_is_refused(
    builds: dict[str, Path], accept: Validate, tmp_path: Path, tree_snapshot: Snapshot, change: str
) -> None:
    build = tmp_path / "build"
    shutil.copytree(builds["base"], build)
    shutil.copytree(builds["changed"], tmp_path / "other")
    BUILD_CHANGES[change](build)
    before = tree_snapshot(tmp_path)
    with pytest.raises(BuildChangedError, match="changed since it was built") as caught:
        cut_release("1.0.0", build, tmp_path / "releases", validate=accept)
    assert caught.value.exit_code == 1
    assert tree_snapshot(tmp_path) == before


def test_a_shard_changed_while_releasing_is_refused(
    builds: dict[str, Path], tmp_path: Path
) -> None:
    build = tmp_path / "build"
    shutil.copytree(builds["base"], build)

    def rewrite_while_validating(dataset_dir: Path) -> ValidationVerdict:
        (dataset_dir / SHARD).write_bytes((builds["changed"] / SHARD).read_bytes())
        return ValidationVerdict(ok=True, summary="accepted")

    with pytest.raises(BuildChangedError, match="changed during the release"):
        cut_release("1.0.0", build, tmp_path / "releases", validate=rewrite_while_validating)
    assert not (tmp_path / "releases").exists()


def test_a_release_is_not_a_build(released: Path, accept: Validate, tmp_path: Path) -> None:
    with pytest.raises(NotABuildError, match="is a release, not a build") as caught:
        cut_release("2.0.0", released, tmp_path / "releases", validate=accept)
    assert caught.value.exit_code == 2
    assert not (tmp_path / "releases").exists()


def _user_folder(root: Path) -> Path:
    (root / "mydocs").mkdir()
    (root / "mydocs" / "thesis.tex").write_text("a user's work")
    return root / "mydocs"


def _recorded_corpus(build: Path) -> Path:
    record = read_build_record(build)
    assert record is not None and record.corpus is not None
    return record.corpus


REFUSED_RELEASES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "a file": (lambda root, build: _user_folder(root) / "thesis.tex", "it is a file"),
    "a user's folder": (lambda root, build: _user_folder(root), "thesis.tex, not releases"),
    "the build": (lambda root, build: build, "it is the build"),
    "a folder inside the build": (lambda root, build: build / "releases", "inside it"),
    "a folder inside the corpus": (
        lambda root, build: _recorded_corpus(build) / "releases",
        "inside the corpus",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED_RELEASES))
def test_a_releases_folder_that_is_not_only_releases_is_refused(
    builds: dict[str, Path],
    accept: Validate,
    tmp_path: Path,
    tree_snapshot: Snapshot,
    case: str,
) -> None:
    build = tmp_path / "build"
    shutil.copytree(builds["base"], build)
    make, message = REFUSED_RELEASES[case]
    releases = make(tmp_path, build)
    record = read_build_record(build)
    assert record is not None and record.corpus is not None
    corpus_before = tree_snapshot(record.corpus)
    before = tree_snapshot(tmp_path)
    with pytest.raises(OutputPathError, match=message) as caught:
        cut_release("1.0.0", build, releases, validate=accept)
    assert caught.value.exit_code == 2
    assert tree_snapshot(tmp_path) == before
    assert tree_snapshot(record.corpus) == corpus_before


def test_the_release_validation_report_goes_into_the_build_never_the_current_folder(
    builds: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tree_snapshot: Snapshot,
) -> None:
    build = tmp_path / "build"
    shutil.copytree(builds["base"], build)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    build_before = tree_snapshot(build)
    with pytest.raises(ReleaseError, match="not semver"):
        cut_release("1.0", build, tmp_path / "releases", validate=suite_validator())
    assert tree_snapshot(build) == build_before, "a refused release writes nothing anywhere"
    outcome = cut_release("1.0.0", build, tmp_path / "releases", validate=suite_validator())
    assert list(work.iterdir()) == []
    assert (build / "reports" / "validation" / "results.json").is_file()
    assert verify_release(outcome.path).ok
