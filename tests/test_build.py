import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from dispatch_corpus.build import QUARANTINE_REPORT, BuildSummary, build_dataset
from dispatch_corpus.corpus import CorpusError
from dispatch_corpus.models import (
    TABLE_MODELS,
    DocumentFlag,
    QuarantineReason,
    Role,
    SectionLabel,
    Stage,
)

MakeCorpus = Callable[[Mapping[str, bytes | str]], Path]
ReadRows = Callable[[Path, str], list[dict[str, Any]]]
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
    summary = build_dataset(corpus, out, max_bytes=1000)
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


def test_rebuild_replaces_the_previous_output(make_corpus: MakeCorpus, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.txt").write_text("from an earlier build")
    corpus = make_corpus({"a/one.txt": _text(1)})
    build_dataset(corpus, out)
    assert not (out / "stale.txt").exists()
    assert (out / "README.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out"]


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
    assert len(first) == len(TABLE_MODELS)
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
    out, summary = shared_build
    documents = _load(out, "documents")
    paragraphs = _load(out, "paragraphs")
    sections = _load(out, "sections")
    assert documents.num_rows == summary.accepted
    assert paragraphs.num_rows == sum(documents["n_paragraphs"]) == summary.paragraphs
    assert sections.num_rows == sum(documents["n_sections"]) == summary.sections
    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    assert len(texts) == documents.num_rows
    for row in paragraphs:
        assert texts[row["doc_id"]][row["char_start"] : row["char_end"]] == row["text"]
    for row in sections:
        assert texts[row["doc_id"]][row["char_start"] : row["char_end"]] == row["text"]
