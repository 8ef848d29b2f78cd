import errno
import hashlib
import json
import re
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from faults import explode_chunk

from dispatch_corpus.build import driver as build
from dispatch_corpus.build import local
from dispatch_corpus.build.chunks import CHUNK_DOCS
from dispatch_corpus.build.driver import QUARANTINE_REPORT, BuildSummary, build_dataset
from dispatch_corpus.dataset.atomic import write_marker
from dispatch_corpus.dataset.corpus import CorpusError
from dispatch_corpus.dataset.folders import REPORT_KIND, OutputPathError
from dispatch_corpus.dataset.layout import BUILD_RECORD, REPORT_MARKER
from dispatch_corpus.models import (
    TABLE_MODELS,
    DocumentFlag,
    QuarantineReason,
    Role,
    SectionLabel,
    Stage,
)
from dispatch_corpus.settings import DEFAULT_LABELER, BuildSettings
from dispatch_corpus.utils.spark import SparkEngineError

MakeCorpus = Callable[[Mapping[str, bytes | str]], Path]
ReadRows = Callable[[Path, str], list[dict[str, Any]]]
TreeState = Callable[[Path], dict[str, tuple[str, bytes | str]]]
QUARANTINE_KEYS = {"source_path", "doc_id", "stage", "reason_code", "message", "raw_sha256"}
ROLE_NAMES = [r.value for r in Role]
LABEL_NAMES = [s.value for s in SectionLabel]


def _text(n: int) -> str:
    return (
        f"Titre numéro {n}\n\n"
        f"Le conseil municipal a adopté mardi le plan numéro {n} pour les transports.\n\n"
        f"Les travaux commenceront l'an prochain, selon la mairie ({n})."
    )


def _quarantine_lines(out: Path) -> list[dict[str, Any]]:
    lines = (out / QUARANTINE_REPORT).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _parquet_bytes(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted((out / "data").rglob("*.parquet"))
    }


def _count_txt_entries(corpus: Path) -> int:
    entries = [*corpus.glob("*"), *corpus.glob("*/*")]
    return sum(1 for p in entries if p.name.endswith(".txt"))


# --- the seed, exactly ------------------------------------------------------------------------


def test_seed_build_matches_the_expected_output_exactly(
    seed_build: tuple[Path, BuildSummary], seed_expected: dict[str, Any], read_rows: ReadRows
) -> None:
    out, summary = seed_build
    assert (summary.accepted, summary.quarantined) == (1, 0)
    (doc,) = read_rows(out, "documents")
    assert doc["doc_id"] == seed_expected["doc_id"]
    assert doc["collection"] == "seed"
    assert doc["language"] == seed_expected["language"] == "fr"
    assert doc["agency"] == seed_expected["agency"] == "APA"
    assert doc["title"] is None
    assert doc["dateline"] is None
    assert doc["raw_sha256"] == seed_expected["raw_sha256"]
    assert doc["text_sha256"] == seed_expected["text_sha256"]
    assert hashlib.sha256(doc["text"].encode()).hexdigest() == seed_expected["text_sha256"]
    assert doc["n_chars"] == seed_expected["n_chars"] == len(doc["text"])
    assert doc["n_paragraphs"] == len(seed_expected["paragraphs"])
    assert doc["n_sections"] == len(seed_expected["sections"])

    paragraphs = read_rows(out, "paragraphs")
    assert len(paragraphs) == len(seed_expected["paragraphs"])
    for got, want in zip(paragraphs, seed_expected["paragraphs"], strict=True):
        where = f"paragraph {want['paragraph_index']}"
        assert got["paragraph_index"] == want["paragraph_index"], where
        assert ROLE_NAMES[got["role"]] == want["role"], where
        assert (got["char_start"], got["char_end"]) == (want["char_start"], want["char_end"])
        assert hashlib.sha256(got["text"].encode()).hexdigest() == want["text_sha256"], where
        assert got["text"].startswith(want["starts_with"]), where
        assert got["flags"] == want["flags"], where
    assert paragraphs[2]["flags"] == ["starts_lowercase"]

    sections = read_rows(out, "sections")
    assert len(sections) == len(seed_expected["sections"])
    for got, want in zip(sections, seed_expected["sections"], strict=True):
        assert got["section_index"] == want["section_index"]
        assert LABEL_NAMES[got["label"]] == want["label"]
        for key in ("paragraph_start", "paragraph_end", "char_start", "char_end"):
            assert got[key] == want[key], (want["section_index"], key)
        for para in paragraphs[want["paragraph_start"] : want["paragraph_end"]]:
            assert para["section_index"] == want["section_index"]


def test_seed_build_folder_layout(seed_build: tuple[Path, BuildSummary]) -> None:
    out, summary = seed_build
    for table in TABLE_MODELS:
        assert [p.name for p in (out / "data" / table).iterdir()] == [
            "train-00000-of-00001.parquet"
        ]
        assert [s.path for s in summary.shards[table]] == [
            f"data/{table}/train-00000-of-00001.parquet"
        ]
    assert (out / "README.md").is_file()
    assert (out / QUARANTINE_REPORT).read_text(encoding="utf-8") == ""
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


# --- load_dataset round trip ------------------------------------------------------------------


def _load(out: Path, config: str) -> Any:
    import datasets

    return datasets.load_dataset(str(out), config, split="train")


def test_load_dataset_round_trip_keeps_rows_and_feature_types(
    seed_build: tuple[Path, BuildSummary], read_rows: ReadRows
) -> None:
    from datasets import ClassLabel, List, Value

    out, summary = seed_build
    documents = _load(out, "documents")
    paragraphs = _load(out, "paragraphs")
    sections = _load(out, "sections")
    assert (documents.num_rows, paragraphs.num_rows, sections.num_rows) == (
        summary.accepted,
        summary.paragraphs,
        summary.sections,
    )
    assert paragraphs.features["role"] == ClassLabel(names=ROLE_NAMES)
    assert sections.features["label"] == ClassLabel(names=LABEL_NAMES)
    for name in ("char_start", "char_end", "paragraph_index", "section_index"):
        assert paragraphs.features[name] == Value("int32"), name
    for name in ("char_start", "char_end", "paragraph_start", "paragraph_end"):
        assert sections.features[name] == Value("int32"), name
    for name in ("n_paragraphs", "n_sections", "n_chars"):
        assert documents.features[name] == Value("int32"), name
    assert paragraphs.features["flags"] == List(Value("string"))
    assert documents.features["flags"] == List(Value("string"))
    assert documents.features["published"] == Value("date32")

    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    for row in paragraphs:
        assert texts[row["doc_id"]][row["char_start"] : row["char_end"]] == row["text"]
    for row in sections:
        assert texts[row["doc_id"]][row["char_start"] : row["char_end"]] == row["text"]
    assert paragraphs["role"] == [r["role"] for r in read_rows(out, "paragraphs")]
    names = [paragraphs.features["role"].int2str(r) for r in paragraphs["role"]]
    assert all(name in ROLE_NAMES for name in names)


def test_default_config_is_paragraphs(seed_build: tuple[Path, BuildSummary]) -> None:
    import datasets

    out, summary = seed_build
    default = datasets.load_dataset(str(out), split="train")
    assert default.num_rows == summary.paragraphs
    assert "role" in default.features


# --- every input accounted for ----------------------------------------------------------------


def test_build_with_quarantine_accounts_for_every_input(
    make_corpus: MakeCorpus, tmp_path: Path, read_rows: ReadRows
) -> None:
    corpus = make_corpus(
        {
            "a/good1.txt": _text(1),
            "a/good2.txt": _text(2),
            "a/empty.txt": b"",
            "a/blank.txt": " \n\t\n",
            "a/binary.txt": b"\x00\x00bin\x00\x00aire" * 10,
            "a/big.txt": _text(3) * 50,
            "a/bad name.txt": _text(4),
            "b/good1.txt": _text(5),
            "b/folder.txt/x": "",
            "a/metadata.jsonl": '{"id": "good1", "language": "fr"}\n{broken\n',
        }
    )
    inputs = _count_txt_entries(corpus)
    out = tmp_path / "out"
    summary = build_dataset(corpus, out, BuildSettings(max_bytes=1000))
    assert summary.inputs == inputs == 9
    assert summary.accepted + summary.quarantined == inputs
    assert summary.accepted == 2
    assert dict(summary.quarantine_reasons) == {
        "empty": 1,
        "whitespace_only": 1,
        "binary": 1,
        "too_large": 1,
        "invalid_id": 1,
        "duplicate_id": 1,
        "not_a_file": 1,
    }
    assert any("a/metadata.jsonl:2: malformed JSON" in n for n in summary.notes)
    lines = _quarantine_lines(out)
    assert len(lines) == summary.quarantined
    assert [line["source_path"] for line in lines] == sorted(line["source_path"] for line in lines)
    for line in lines:
        assert set(line) == QUARANTINE_KEYS
        assert QuarantineReason(line["reason_code"])
        assert Stage(line["stage"])
    assert len(read_rows(out, "documents")) == summary.accepted
    doc_ids = {row["doc_id"] for row in read_rows(out, "paragraphs")}
    assert doc_ids == {"good1", "good2"}


def test_duplicate_text_keeps_the_first_document(
    make_corpus: MakeCorpus, tmp_path: Path, read_rows: ReadRows
) -> None:
    corpus = make_corpus({"a/first.txt": _text(1), "b/second.txt": _text(1) + "\n"})
    summary = build_dataset(corpus, tmp_path / "out")
    assert (summary.accepted, dict(summary.quarantine_reasons)) == (1, {"duplicate_text": 1})
    (line,) = _quarantine_lines(tmp_path / "out")
    assert (line["source_path"], line["reason_code"]) == ("b/second.txt", "duplicate_text")
    raw = (corpus / "b" / "second.txt").read_bytes()
    assert line["raw_sha256"] == hashlib.sha256(raw).hexdigest()
    assert [row["doc_id"] for row in read_rows(tmp_path / "out", "documents")] == ["first"]
    assert {row["doc_id"] for row in read_rows(tmp_path / "out", "sections")} == {"first"}


def test_progress_callbacks_count_every_input(make_corpus: MakeCorpus, tmp_path: Path) -> None:
    corpus = make_corpus({"a/one.txt": _text(1), "a/two.txt": _text(2), "a/-bad.txt": "x"})
    totals: list[int] = []
    progress: list[int] = []
    build_dataset(corpus, tmp_path / "out", on_total=totals.append, on_progress=progress.append)
    assert totals == [3]
    assert sum(progress) == 3


def test_missing_corpus_raises_and_leaves_no_output(tmp_path: Path) -> None:
    with pytest.raises(CorpusError):
        build_dataset(tmp_path / "missing", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_rebuild_replaces_an_earlier_build_and_its_reports(
    make_corpus: MakeCorpus, tmp_path: Path, read_rows: ReadRows
) -> None:
    out = tmp_path / "out"
    build_dataset(make_corpus({"a/one.txt": _text(1)}), out)
    report = out / "reports" / "validation"
    report.mkdir()
    (report / "results.json").write_text("{}")
    write_marker(report / REPORT_MARKER, REPORT_KIND, {"files": ["results.json"]})
    build_dataset(make_corpus({"a/two.txt": _text(2)}), out)
    assert [row["doc_id"] for row in read_rows(out, "documents")] == ["one", "two"]
    assert not report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


def test_an_empty_folder_is_built_into(make_corpus: MakeCorpus, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    build_dataset(make_corpus({"a/one.txt": _text(1)}), out)
    assert (out / BUILD_RECORD).is_file()


def test_a_build_records_its_files_in_build_json(make_corpus: MakeCorpus, tmp_path: Path) -> None:
    corpus = make_corpus({"a/one.txt": _text(1), "a/two.txt": _text(2), "a/empty.txt": b""})
    out = tmp_path / "out"
    summary = build_dataset(corpus, out)
    record = json.loads((out / BUILD_RECORD).read_text(encoding="utf-8"))
    assert (record["created_by"], record["kind"]) == ("dispatch-corpus", "build")
    assert record["corpus"] == str(corpus.resolve())
    assert record["tool"]["dispatch-corpus"]
    files = {entry["path"]: entry for entry in record["files"]}
    shards = {shard.path: shard.rows for table in summary.shards.values() for shard in table}
    assert set(files) == {*shards, "README.md", QUARANTINE_REPORT}
    for path, entry in files.items():
        data = (out / path).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), path
        assert entry["bytes"] == len(data), path
        assert entry["rows"] == shards.get(path), path


def test_a_build_labels_with_its_labeler_settings_and_records_them(
    make_corpus: MakeCorpus, tmp_path: Path, read_rows: ReadRows
) -> None:
    corpus = make_corpus({"a/one.txt": _text(1), "a/two.txt": _text(2)})
    tiny = replace(DEFAULT_LABELER, headline_max_chars=3)
    for name, settings in (("default", BuildSettings()), ("tiny", BuildSettings(labeler=tiny))):
        build_dataset(corpus, tmp_path / name, settings)
        record = json.loads((tmp_path / name / BUILD_RECORD).read_text(encoding="utf-8"))
        assert {k: record["settings"][k] for k in settings.recorded()} == settings.recorded()
        assert record["settings"]["labeler"] == settings.labeler.recorded()
    roles = {
        name: [ROLE_NAMES[row["role"]] for row in read_rows(tmp_path / name, "paragraphs")]
        for name in ("default", "tiny")
    }
    assert roles["default"] == ["headline", "lead", "body"] * 2
    assert roles["tiny"] == ["lead", "body", "body"] * 2
    titles = [row["title"] for row in read_rows(tmp_path / "tiny", "documents")]
    assert titles == [None, None]


# --- the output folder: only a new, empty or earlier build folder is written ------------------


def _release_folder(root: Path, repo_root: Path) -> Path:
    release = root / "releases" / "1.0.0"
    shutil.copytree(repo_root / "releases" / "1.0.0", release)
    return release


def _earlier_build(root: Path, corpus: Path) -> Path:
    build = root / "build"
    build_dataset(corpus, build)
    return build


def _link(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    return link


def _folder(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def _with_files(folder: Path, files: Mapping[str, bytes]) -> Path:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


REFUSED_OUT: dict[str, tuple[Callable[[Path, Path, Path], Path], str]] = {
    "the corpus": (lambda root, corpus, repo: corpus, "it is the corpus"),
    "the corpus, by another path": (
        lambda root, corpus, repo: corpus / "a" / ".." / ".." / "corpus",
        "it is the corpus",
    ),
    "a collection of the corpus": (lambda root, corpus, repo: corpus / "a", "inside the corpus"),
    "a new folder inside the corpus": (
        lambda root, corpus, repo: corpus / "a" / "out",
        "inside the corpus",
    ),
    "the parent of the corpus": (lambda root, corpus, repo: root, "holds the corpus"),
    "a link to the corpus": (
        lambda root, corpus, repo: _link(root / "link", corpus),
        "it is the corpus",
    ),
    "a folder inside a link to the corpus": (
        lambda root, corpus, repo: _link(root / "link", corpus) / "out",
        "inside the corpus",
    ),
    "a link to an empty folder": (
        lambda root, corpus, repo: _link(root / "link", _folder(root / "empty")),
        "symbolic link",
    ),
    "a dangling link": (
        lambda root, corpus, repo: _link(root / "link", root / "nowhere"),
        "symbolic link",
    ),
    "a file": (
        lambda root, corpus, repo: (
            _with_files(root, {"report.pdf": b"%PDF-1.7 the thesis"}) / "report.pdf"
        ),
        "it is a file",
    ),
    "the current folder": (lambda root, corpus, repo: Path("."), "current folder"),
    "the parent of the current folder": (lambda root, corpus, repo: Path(".."), "holds the corpus"),
    "the file system root": (lambda root, corpus, repo: Path("/"), "holds the corpus"),
    "a user's folder": (
        lambda root, corpus, repo: _with_files(root / "mydocs", {"notes.txt": b"my notes"}),
        "no BUILD.json",
    ),
    "a folder with only hidden files": (
        lambda root, corpus, repo: _with_files(root / "mydocs", {".DS_Store": b"\0\0\0\1"}),
        "no BUILD.json",
    ),
    "a folder with only an empty folder": (
        lambda root, corpus, repo: _folder(root / "mydocs" / "empty").parent,
        "no BUILD.json",
    ),
    "a folder with another tool's BUILD.json": (
        lambda root, corpus, repo: _with_files(
            root / "mydocs", {"BUILD.json": b'{"targets": []}', "main.c": b"int main;"}
        ),
        "no BUILD.json",
    ),
    "a release": (lambda root, corpus, repo: _release_folder(root, repo), "it is a release"),
    "a folder inside a release": (
        lambda root, corpus, repo: _release_folder(root, repo) / "extra",
        "inside the release",
    ),
    "a folder inside a version-control folder": (
        lambda root, corpus, repo: _with_files(root / "repo" / ".git", {"HEAD": b"ref"}) / "build",
        "version-control",
    ),
    "a build holding a user's file": (
        lambda root, corpus, repo: _with_files(
            _earlier_build(root, corpus), {"notes.txt": b"mine", "data/mine.csv": b"a,b"}
        ),
        "data/mine.csv, notes.txt",
    ),
    "a user's folder holding a copy of a build's BUILD.json": (
        lambda root, corpus, repo: _with_files(
            root / "mydocs",
            {
                "BUILD.json": (_earlier_build(root, corpus) / "BUILD.json").read_bytes(),
                "notes.txt": b"mine",
            },
        ),
        "notes.txt",
    ),
    "a folder inside a build": (
        lambda root, corpus, repo: _earlier_build(root, corpus) / "more",
        "inside the build",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED_OUT))
def test_an_output_folder_that_is_not_the_tools_own_is_refused_untouched(
    case: str,
    make_corpus: MakeCorpus,
    tmp_path: Path,
    repo_root: Path,
    tree_state: TreeState,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus = make_corpus({"a/one.txt": _text(1), "a/metadata.jsonl": '{"id": "one"}\n'})
    work = _with_files(tmp_path / "work", {"todo.txt": b"the user's list"})
    monkeypatch.chdir(work)
    make_out, message = REFUSED_OUT[case]
    out = make_out(tmp_path, corpus, repo_root)
    before = tree_state(tmp_path)
    with pytest.raises(OutputPathError, match=re.escape(message)) as caught:
        build_dataset(corpus, out)
    assert caught.value.exit_code == 2
    assert len(str(caught.value).splitlines()) == 1
    assert tree_state(tmp_path) == before, "a refused build touched nothing, left nothing"


def _full_disk(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _interrupt(done: int) -> None:
    raise KeyboardInterrupt


FAILURES: dict[str, tuple[type[BaseException], str | None]] = {
    "an exception in a worker process": (RuntimeError, "a worker failed"),
    "an exception in the build process": (RuntimeError, "a worker failed"),
    "ctrl-c": (KeyboardInterrupt, None),
    "a full disk while writing parquet": (OSError, "No space left"),
    "a full disk while writing the quarantine report": (OSError, "No space left"),
    "a full disk while writing BUILD.json": (OSError, "No space left"),
    "spark failing to start": (SparkEngineError, "pyspark is not installed"),
    "the folder taken over during the build": (OutputPathError, "did not write"),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_failed_build_leaves_the_previous_build_and_no_staging_folder(
    failure: str,
    make_corpus: MakeCorpus,
    tmp_path: Path,
    tree_state: TreeState,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    corpus = make_corpus({f"c/doc{n}.txt": _text(n) for n in range(CHUNK_DOCS + 6)})
    previous = tmp_path / "out"
    build_dataset(corpus, previous, BuildSettings(workers=1))
    workers, engine = 1, "local"
    progress: Callable[[int], None] | None = None
    if failure == "an exception in a worker process":
        monkeypatch.setattr(local, "process_chunk", explode_chunk)
        workers = 2
    elif failure == "an exception in the build process":
        monkeypatch.setattr(local, "process_chunk", explode_chunk)
    elif failure == "ctrl-c":
        progress = _interrupt
    elif failure == "a full disk while writing parquet":
        monkeypatch.setattr(pq.ParquetWriter, "write_table", _full_disk)
    elif failure == "a full disk while writing the quarantine report":
        monkeypatch.setattr(build, "_write_quarantine", _full_disk)
    elif failure == "a full disk while writing BUILD.json":
        monkeypatch.setattr(build, "write_build_record", _full_disk)
    elif failure == "spark failing to start":
        monkeypatch.setitem(sys.modules, "pyspark.errors", None)
        engine = "spark"
    before = tree_state(tmp_path)
    for out in (tmp_path / "new" / "deeper" / "out", previous):
        if failure == "the folder taken over during the build":
            moved = out

            def progress(done: int, moved: Path = moved) -> None:
                _with_files(moved, {"notes.txt": b"written during the build"})

        error, message = FAILURES[failure]
        with pytest.raises(error, match=message):
            build_dataset(
                corpus,
                out,
                BuildSettings(workers=workers, engine=engine),
                on_progress=progress,
            )
    after = tree_state(tmp_path)
    if failure == "the folder taken over during the build":
        assert after.pop("out/notes.txt")[1] == b"written during the build"
        assert after.pop("new/deeper/out/notes.txt")[1] == b"written during the build"
        for folder in ("new", "new/deeper", "new/deeper/out"):
            assert after.pop(folder) == ("folder", b"")
    assert after == before, "the previous build is intact and no staging folder is left"


def test_metadata_missing_flag_reaches_the_documents_table(
    make_corpus: MakeCorpus, tmp_path: Path, read_rows: ReadRows
) -> None:
    corpus = make_corpus({"a/one.txt": _text(1)})
    build_dataset(corpus, tmp_path / "out")
    (doc,) = read_rows(tmp_path / "out", "documents")
    assert DocumentFlag.METADATA_MISSING.value in doc["flags"]


# --- determinism ------------------------------------------------------------------------------


def test_building_twice_gives_byte_identical_parquet(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    corpus = make_corpus({f"c{n % 2}/doc{n}.txt": _text(n) for n in range(6)})
    build_dataset(corpus, tmp_path / "one")
    build_dataset(corpus, tmp_path / "two")
    first, second = _parquet_bytes(tmp_path / "one"), _parquet_bytes(tmp_path / "two")
    assert {path.split("/")[1] for path in first} == set(TABLE_MODELS)
    assert first == second


# --- the shared corpus ------------------------------------------------------------------------


def test_shared_corpus_accounts_for_every_input(
    shared_build: tuple[Path, BuildSummary], shared_corpus: Path, read_rows: ReadRows
) -> None:
    out, summary = shared_build
    inputs = _count_txt_entries(shared_corpus)
    assert summary.inputs == inputs
    assert summary.accepted + summary.quarantined == inputs
    assert summary.accepted > 0
    lines = _quarantine_lines(out)
    assert len(lines) == summary.quarantined
    for line in lines:
        assert set(line) == QUARANTINE_KEYS, line
        assert line["reason_code"] in {r.value for r in QuarantineReason}, line
    assert len(read_rows(out, "documents")) == summary.accepted


def test_shared_corpus_tables_agree_when_loaded(shared_build: tuple[Path, BuildSummary]) -> None:
    import datasets

    out, summary = shared_build
    documents, paragraphs, sections = (
        datasets.concatenate_datasets(list(datasets.load_dataset(str(out), config).values()))
        for config in ("documents", "paragraphs", "sections")
    )
    assert documents.num_rows == summary.accepted
    assert paragraphs.num_rows == sum(documents["n_paragraphs"]) == summary.paragraphs
    assert sections.num_rows == sum(documents["n_sections"]) == summary.sections
    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    assert len(texts) == documents.num_rows
    for row in paragraphs:
        assert texts[row["doc_id"]][row["char_start"] : row["char_end"]] == row["text"]
    for row in sections:
        assert texts[row["doc_id"]][row["char_start"] : row["char_end"]] == row["text"]
