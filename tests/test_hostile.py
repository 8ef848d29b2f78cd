"""Hostile input: every input accounted for, good documents untouched, nothing escapes."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dispatch_corpus.build.driver import QUARANTINE_REPORT, build_dataset
from dispatch_corpus.cli import main
from dispatch_corpus.models import DocumentFlag, QuarantineReason
from dispatch_corpus.settings import BuildSettings

GOOD_TEXTS = {
    "good_fr": "Un titre sans point final\nLe ministre a déclaré mardi que la réforme avance.\n"
    "La réunion s'est tenue à Paris.\n",
    "good_en": "A headline without a final stop\nThe minister said on Tuesday that talks went "
    "well.\nThe meeting took place in London.\n",
    "good_ru": "Заголовок без точки\nМинистр заявил во вторник, что переговоры идут хорошо.\n"
    "Встреча прошла в Москве.\n",
}


SECRETS = ("Secret text outside", "SECRET-CONTENT-51c2", "SECRET-TITLE-9e07", "secret.example")
SECRET_NAMES = ("SECRETNAME_DOC", "outside_dir", "outside_meta", "outside.txt")


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A corpus with one collection of good dispatches and one of every hostile case."""
    root = tmp_path_factory.mktemp("hostile")
    corpus, good_only = root / "corpus", root / "good_only"
    for doc_id, text in GOOD_TEXTS.items():
        _write(corpus / "good" / f"{doc_id}.txt", text)
    (corpus / "good" / "metadata.jsonl").write_text(
        json.dumps({"id": "good_fr", "language": "fr", "license": "CC BY 4.0"}) + "\n",
        encoding="utf-8",
    )
    shutil.copytree(corpus / "good", good_only / "good")
    bad = corpus / "hostile"
    rng = random.Random(7)
    _write(bad / "empty.txt", b"")
    _write(bad / "blank.txt", " \n\t\n\u00a0\u200b\n")
    _write(bad / "binary.txt", bytes(rng.randrange(256) for _ in range(4000)) + b"\0" * 500)
    _write(bad / "big.txt", b"word " * 300_000)
    _write(bad / "bad id!.txt", "Titre\nTexte valide.\n")
    _write(bad / "good_en.txt", "Same id as a good dispatch, later by sorted path.\n")
    _write(bad / "zz_copy_of_fr.txt", GOOD_TEXTS["good_fr"])
    (bad / "folder.txt").mkdir()
    outside = root / "outside.txt"
    _write(outside, "Secret text outside the corpus\n")
    (bad / "escape.txt").symlink_to(outside)
    _write(corpus / "stray.txt", "A dispatch outside any collection.\n")
    _write(bad / "terminal.txt", "Titre\x1b[31m rouge\x1b[0m\nLe texte\x07 continue ici.\n")
    _write(bad / "bidi.txt", "Title\u202e reversed\u202c\nBody text with\u200b zero width.\n")
    _write(bad / "nul.txt", b"Title\nBody with a NUL\x00 byte inside.\n")
    _write(bad / "cr_only.txt", b"Title\rFirst paragraph.\rSecond paragraph.\r")
    _write(bad / "legacy.txt", "Заголовок\nТекст в кодировке cp1251.\n".encode("cp1251"))
    _write(bad / "bad_meta.txt", "Title\nBody of a dispatch with odd metadata.\n")
    (bad / "metadata.jsonl").write_text(
        "{not json\n"
        + json.dumps({"id": "bad_meta", "date": "yesterday", "language": "french"})
        + "\n"
        + json.dumps({"id": "ghost", "title": "no such file"})
        + "\n",
        encoding="utf-8",
    )
    _add_confinement_cases(root, corpus)
    return corpus, good_only


def _add_confinement_cases(root: Path, corpus: Path) -> None:
    """Secrets beside the corpus, every way of reaching them, aliases and bad metadata lines."""
    outside = root / "outside_dir"
    _write(outside / "SECRETNAME_DOC.txt", "SECRET-CONTENT-51c2\n\nSecret body.\n")
    secret_meta = {"id": "leaky_doc", "title": "SECRET-TITLE-9e07", "url": "https://secret.example"}
    _write(outside / "metadata.jsonl", json.dumps({**secret_meta, "id": "SECRETNAME_DOC"}))
    _write(root / "outside_meta.jsonl", json.dumps(secret_meta) + "\n")
    _write(corpus / "leaky" / "leaky_doc.txt", "Headline of the leaky collection\nIts body.\n")
    (corpus / "leaky" / "metadata.jsonl").symlink_to(root / "outside_meta.jsonl")
    (corpus / "linked").symlink_to(outside, target_is_directory=True)
    (corpus / "up").symlink_to("..", target_is_directory=True)
    (corpus / "alias_good").symlink_to("good", target_is_directory=True)
    (corpus / "self").symlink_to(".", target_is_directory=True)
    (corpus / "loopy").symlink_to("loopy")
    bad = corpus / "hostile"
    (bad / "alias_of_terminal.txt").symlink_to("terminal.txt")
    os.mkfifo(bad / "fifo.txt")
    _write(bad / "nested" / "inner.txt", "Never read: nested one level too deep.\n")
    _write(bad / "meta_clean.txt", "Headline\nA body for the dispatch with dirty metadata.\n")
    lines = [
        b'{"id": "terminal", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"id": "bidi", "title": "T", "n": ' + b"1" * 5000 + b"}",
        b'{"id": "nul", "title": "Lone \\ud800 surrogate"}',
        b'{"id": "cr_only", "title": "T", "score": NaN}',
        b'{"id": "legacy", "title": "caf\x92"}',
        json.dumps({"id": "bad_meta", "title": "Second entry"}).encode(),
        json.dumps(
            {"id": "meta_clean", "title": "Clean\x1b[2J\u202e\u200b me", "url": "h\x00"}
        ).encode(),
        b'{"id": "nul", "title": "' + b"x" * 100_000 + b'"}',
    ]
    with (bad / "metadata.jsonl").open("ab") as handle:
        handle.write(b"\n".join(lines) + b"\n")


@pytest.fixture(scope="module")
def hostile_build(
    hostile_corpus: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("hostile_out") / "build"
    summary = build_dataset(hostile_corpus[0], out, BuildSettings(max_bytes=1_000_000))
    return out, summary


def _quarantine(out: Path) -> dict[str, dict[str, str]]:
    lines = (out / QUARANTINE_REPORT).read_text(encoding="utf-8").splitlines()
    return {row["source_path"]: row for row in map(json.loads, lines)}


def test_every_input_is_accounted_for(hostile_build: tuple[Path, object]) -> None:
    _out, summary = hostile_build
    assert summary.accepted + summary.quarantined == summary.inputs == 28
    assert summary.accepted == 11


@pytest.mark.parametrize(
    ("source_path", "reason"),
    [
        ("hostile/empty.txt", QuarantineReason.EMPTY),
        ("hostile/blank.txt", QuarantineReason.WHITESPACE_ONLY),
        ("hostile/binary.txt", QuarantineReason.BINARY),
        ("hostile/big.txt", QuarantineReason.TOO_LARGE),
        ("hostile/bad id!.txt", QuarantineReason.INVALID_ID),
        ("hostile/good_en.txt", QuarantineReason.DUPLICATE_ID),
        ("hostile/zz_copy_of_fr.txt", QuarantineReason.DUPLICATE_TEXT),
        ("hostile/folder.txt", QuarantineReason.NOT_A_FILE),
        ("hostile/escape.txt", QuarantineReason.SYMLINK_OUTSIDE),
        ("stray.txt", QuarantineReason.NO_COLLECTION),
        ("linked", QuarantineReason.SYMLINK_OUTSIDE),
        ("up", QuarantineReason.SYMLINK_OUTSIDE),
        ("loopy", QuarantineReason.SYMLINK_OUTSIDE),
        ("alias_good", QuarantineReason.ALIAS),
        ("self", QuarantineReason.ALIAS),
        ("hostile/alias_of_terminal.txt", QuarantineReason.ALIAS),
        ("hostile/fifo.txt", QuarantineReason.NOT_A_FILE),
    ],
)
def test_each_hostile_input_is_quarantined_with_its_reason(
    hostile_build: tuple[Path, object], source_path: str, reason: QuarantineReason
) -> None:
    row = _quarantine(hostile_build[0])[source_path]
    assert row["reason_code"] == reason.value
    assert row["message"]


def test_outside_file_is_never_read(hostile_build: tuple[Path, object]) -> None:
    out = hostile_build[0]
    texts = pq.read_table(out / "data" / "documents").column("text").to_pylist()
    assert not any("Secret text" in text for text in texts)
    assert _quarantine(out)["hostile/escape.txt"]["raw_sha256"] is None


@pytest.mark.parametrize(
    ("doc_id", "flag"),
    [
        ("terminal", DocumentFlag.ESCAPE_SEQUENCES_REMOVED),
        ("terminal", DocumentFlag.CONTROL_CHARS_REMOVED),
        ("bidi", DocumentFlag.INVISIBLE_CHARS_REMOVED),
        ("nul", DocumentFlag.NUL_BYTES_REMOVED),
        ("cr_only", DocumentFlag.CR_LINE_ENDS),
        ("legacy", DocumentFlag.ENCODING_CP1251),
        ("bad_meta", DocumentFlag.METADATA_DATE_INVALID),
        ("bad_meta", DocumentFlag.METADATA_LANGUAGE_INVALID),
    ],
)
def test_text_hygiene_is_flagged(
    hostile_build: tuple[Path, object], doc_id: str, flag: DocumentFlag
) -> None:
    documents = pq.read_table(hostile_build[0] / "data" / "documents").to_pylist()
    row = next(d for d in documents if d["doc_id"] == doc_id)
    assert flag.value in row["flags"]
    assert "\x1b" not in row["text"] and "\u202e" not in row["text"] and "\x00" not in row["text"]


def test_cleaned_texts(hostile_build: tuple[Path, object]) -> None:
    documents = {
        d["doc_id"]: d for d in pq.read_table(hostile_build[0] / "data" / "documents").to_pylist()
    }
    assert documents["terminal"]["text"] == "Titre rouge\n\nLe texte continue ici."
    assert documents["cr_only"]["n_paragraphs"] == 3
    assert documents["legacy"]["text"].startswith("Заголовок")


def test_metadata_problems_are_reported(hostile_build: tuple[Path, object]) -> None:
    notes = "\n".join(hostile_build[1].notes)  # type: ignore[attr-defined]
    assert "hostile/metadata.jsonl:1: malformed JSON" in notes
    assert "hostile/metadata.jsonl:3: metadata for missing file 'ghost'" in notes
    for line, problem in [
        (4, "nested too deeply (over 64 levels), skipped"),
        (5, "a number of 5000 characters (more than 100), skipped"),
        (6, "lone surrogate \\ud800 in a string, skipped"),
        (7, "NaN is not a JSON number, skipped"),
        (8, "not valid UTF-8 (byte 0x92 at offset 30), skipped"),
        (9, "second entry for 'bad_meta' (first on line 2): skipped, line 2 kept"),
        (10, "'title': non-printable characters removed"),
        (10, "'url': non-printable characters removed"),
        (11, "longer than 65536 characters: skipped"),
    ]:
        assert f"hostile/metadata.jsonl:{line}: {problem}" in notes
    assert "leaky/metadata.jsonl: leads outside the corpus (symlink)" in notes
    assert "hostile/nested: folder inside a collection, not read" in notes


def test_documents_are_built_without_their_bad_metadata_lines(
    hostile_build: tuple[Path, object],
) -> None:
    documents = {
        d["doc_id"]: d for d in pq.read_table(hostile_build[0] / "data" / "documents").to_pylist()
    }
    for doc_id in ("terminal", "bidi", "nul", "cr_only", "legacy", "leaky_doc"):
        assert DocumentFlag.METADATA_MISSING.value in documents[doc_id]["flags"], doc_id
    assert documents["bad_meta"]["title"] == "Title"
    assert documents["meta_clean"]["title"] == "Clean me"
    assert documents["meta_clean"]["url"] == "h"
    assert DocumentFlag.METADATA_CLEANED.value in documents["meta_clean"]["flags"]
    for doc in documents.values():
        for key in ("title", "url", "license", "agency"):
            assert doc[key] is None or doc[key].isprintable(), (doc["doc_id"], key)


def test_nothing_from_outside_the_corpus_reaches_the_output(
    hostile_build: tuple[Path, object],
) -> None:
    out = hostile_build[0]
    files = [path for path in out.rglob("*") if path.is_file()]
    assert {path.suffix for path in files} >= {".parquet", ".md", ".jsonl"}
    for path in files:
        data = path.read_bytes()
        for secret in (*SECRETS, *SECRET_NAMES):
            assert secret.encode() not in data, (path, secret)
    said = "\n".join(hostile_build[1].notes)  # type: ignore[attr-defined]
    assert not any(secret in said for secret in (*SECRETS, *SECRET_NAMES))


def test_collection_alias_does_not_rename_documents(hostile_build: tuple[Path, object]) -> None:
    documents = pq.read_table(hostile_build[0] / "data" / "documents").to_pylist()
    collections = {d["doc_id"]: d["collection"] for d in documents}
    assert {collections[doc_id] for doc_id in GOOD_TEXTS} == {"good"}
    assert collections["terminal"] == "hostile" and "alias_of_terminal" not in collections
    quarantined = _quarantine(hostile_build[0])
    assert not any(path.startswith(("alias_good/", "self/", "up/")) for path in quarantined)


def test_good_documents_are_identical_to_a_clean_build(
    hostile_corpus: tuple[Path, Path], hostile_build: tuple[Path, object], tmp_path: Path
) -> None:
    clean = tmp_path / "clean"
    build_dataset(hostile_corpus[1], clean)
    for table in ("documents", "paragraphs", "sections"):
        expected = pq.read_table(clean / "data" / table).to_pylist()
        found = [
            row
            for row in pq.read_table(hostile_build[0] / "data" / table).to_pylist()
            if row["doc_id"] in GOOD_TEXTS
        ]
        assert found == expected


def test_cli_exits_zero_and_lists_reasons(
    hostile_corpus: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "build",
            "--corpus",
            str(hostile_corpus[0]),
            "--out",
            str(tmp_path / "o"),
            "--max-bytes",
            "1000000",
            "--workers",
            "1",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert "Traceback" not in captured.err
    assert "too_large=1" in captured.out and "symlink_outside=4" in captured.out
    said = captured.out + captured.err
    assert not any(secret in said for secret in (*SECRETS, *SECRET_NAMES)), said
    assert all(line.isprintable() for line in said.splitlines())
    for path in (tmp_path / "o").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(s.encode() in data for s in (*SECRETS, *SECRET_NAMES)), path


def test_pathological_sizes_finish_with_bounded_memory(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus / "big" / "one_line.txt", "mot " * 5_000_000)
    _write(corpus / "big" / "many_lines.txt", "\n".join(["mot"] * 60_000))
    summary = build_dataset(corpus, tmp_path / "out", BuildSettings(max_bytes=30_000_000))
    assert summary.accepted == 1
    assert dict(summary.quarantine_reasons) == {"too_many_paragraphs": 1}
    documents = pq.read_table(tmp_path / "out" / "data" / "documents").to_pylist()
    one_line = next(d for d in documents if d["doc_id"] == "one_line")
    assert DocumentFlag.SINGLE_BLOCK.value in one_line["flags"]
    assert summary.paragraphs == 1
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    assert peak < 2 * 1024**3


def test_symlink_inside_the_corpus_is_followed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    _write(corpus / "c" / "target.txt", "Title\nBody.\n")
    _write(corpus / "store" / "blob.dat", "Other title\nAnother body.\n")
    os.symlink(corpus / "c" / "target.txt", corpus / "c" / "alias.txt")
    os.symlink(Path("..") / "store" / "blob.dat", corpus / "c" / "own.txt")
    summary = build_dataset(corpus, tmp_path / "out")
    assert dict(summary.quarantine_reasons) == {"alias": 1}
    documents = pq.read_table(tmp_path / "out" / "data" / "documents").to_pylist()
    assert [(d["doc_id"], d["title"]) for d in documents] == [
        ("own", "Other title"),
        ("target", "Title"),
    ]


@pytest.mark.parametrize(
    "files",
    [{}, {"README.md": "x", "c/notes.md": "x", "c/metadata.jsonl": '{"id": "a"}'}],
    ids=["nothing", "no_dispatch"],
)
def test_corpus_without_dispatches_stops_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for relative, text in files.items():
        _write(corpus / relative, text)
    out = tmp_path / "out"
    code = main(["build", "--corpus", str(corpus), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err == f"dispatch-corpus build: error: no dispatches found in {corpus}\n"
    assert captured.out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus"]
    # A corpus whose every input is quarantined is not empty: it builds.
    _write(corpus / "c" / "empty.txt", b"")
    summary = build_dataset(corpus, tmp_path / "out")
    assert (summary.inputs, summary.accepted, dict(summary.quarantine_reasons)) == (
        1,
        0,
        {"empty": 1},
    )
    assert (tmp_path / "out" / QUARANTINE_REPORT).is_file()
