import json
import pathlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from dispatch_corpus.corpus import CorpusError, read_dispatches, scan_corpus
from dispatch_corpus.models import QuarantineReason, QuarantineRecord, Stage
from dispatch_corpus.pipeline import RawDispatch

MakeCorpus = Callable[[Mapping[str, bytes | str]], Path]
TEXT = "Titre\n\nUn paragraphe de texte ordinaire.\n"


def _reasons(records: list[QuarantineRecord]) -> dict[str, QuarantineReason]:
    return {r.source_path: r.reason_code for r in records}


def _dispatches(items: list[RawDispatch | QuarantineRecord]) -> list[RawDispatch]:
    return [item for item in items if isinstance(item, RawDispatch)]


def test_missing_or_non_folder_corpus_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="not found"):
        scan_corpus(tmp_path / "missing")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(CorpusError):
        scan_corpus(a_file)


def test_dispatches_are_listed_by_collection_and_id(make_corpus: MakeCorpus) -> None:
    root = make_corpus(
        {
            "b/two.txt": TEXT,
            "a/one.txt": TEXT,
            "a/notes.md": "ignored",
            "a/metadata.jsonl": "",
        }
    )
    scan = scan_corpus(root)
    assert [(i.collection, i.doc_id, i.source_path) for i in scan.inputs] == [
        ("a", "one", "a/one.txt"),
        ("b", "two", "b/two.txt"),
    ]
    assert scan.refused == []
    assert scan.n_inputs == 2
    dispatches = _dispatches(list(read_dispatches(scan)))
    assert [d.raw for d in dispatches] == [TEXT.encode()] * 2


@pytest.mark.parametrize("name", ["-dash.txt", "has space.txt", ".hidden.txt", "é.txt", ".txt"])
def test_invalid_file_names_are_refused(make_corpus: MakeCorpus, name: str) -> None:
    root = make_corpus({f"col/{name}": TEXT, "col/good.txt": TEXT})
    scan = scan_corpus(root)
    assert _reasons(scan.refused) == {f"col/{name}": QuarantineReason.INVALID_ID}
    assert [i.doc_id for i in scan.inputs] == ["good"]
    (refused,) = scan.refused
    assert refused.stage is Stage.READ
    assert refused.raw_sha256 is None


def test_duplicate_id_across_collections_refuses_the_later_path(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"b/same.txt": "second", "a/same.txt": "first", "c/same.txt": "third"})
    scan = scan_corpus(root)
    assert [i.source_path for i in scan.inputs] == ["a/same.txt"]
    assert _reasons(scan.refused) == {
        "b/same.txt": QuarantineReason.DUPLICATE_ID,
        "c/same.txt": QuarantineReason.DUPLICATE_ID,
    }
    assert scan.n_inputs == 3


def test_folder_named_like_a_dispatch_is_not_a_file(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"col/good.txt": TEXT, "col/x.txt/inner.txt": TEXT})
    scan = scan_corpus(root)
    assert _reasons(scan.refused) == {"col/x.txt": QuarantineReason.NOT_A_FILE}
    assert [i.doc_id for i in scan.inputs] == ["good"]


def test_symlink_outside_the_corpus_is_refused_and_never_opened(
    make_corpus: MakeCorpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("outside the corpus")
    root = make_corpus({"col/good.txt": TEXT})
    (root / "col" / "leak.txt").symlink_to(secret)
    opened: list[Path] = []
    real_open = pathlib.Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self.resolve())
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", spy)
    scan = scan_corpus(root)
    items = list(read_dispatches(scan))
    assert _reasons(scan.refused) == {"col/leak.txt": QuarantineReason.SYMLINK_OUTSIDE}
    assert [d.doc_id for d in _dispatches(items)] == ["good"]
    assert secret.resolve() not in opened
    assert (root / "col" / "good.txt").resolve() in opened


def test_symlink_inside_the_corpus_is_read(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"col/original.txt": TEXT})
    (root / "col" / "alias.txt").symlink_to(root / "col" / "original.txt")
    scan = scan_corpus(root)
    assert scan.refused == []
    assert [i.doc_id for i in scan.inputs] == ["alias", "original"]


def test_dangling_symlink_is_not_a_file(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"col/good.txt": TEXT})
    (root / "col" / "gone.txt").symlink_to(root / "col" / "missing.txt")
    scan = scan_corpus(root)
    assert _reasons(scan.refused) == {"col/gone.txt": QuarantineReason.NOT_A_FILE}


def test_symlinked_collection_folder_leading_outside_is_refused(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.txt").write_text(TEXT)
    root = make_corpus({"col/good.txt": TEXT})
    (root / "linked").symlink_to(outside, target_is_directory=True)
    scan = scan_corpus(root)
    assert [i.source_path for i in scan.inputs] == ["col/good.txt"]
    assert _reasons(scan.refused) == {"linked/secret.txt": QuarantineReason.SYMLINK_OUTSIDE}


def test_symlink_loop_is_refused(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"col/good.txt": TEXT})
    (root / "col" / "loop.txt").symlink_to(root / "col" / "loop.txt")
    scan = scan_corpus(root)
    assert _reasons(scan.refused) == {"col/loop.txt": QuarantineReason.SYMLINK_OUTSIDE}
    assert [i.doc_id for i in scan.inputs] == ["good"]


def test_dispatch_outside_any_collection_is_refused(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"loose.txt": TEXT, "col/good.txt": TEXT, "README.md": "x"})
    scan = scan_corpus(root)
    assert _reasons(scan.refused) == {"loose.txt": QuarantineReason.NO_COLLECTION}
    assert [i.doc_id for i in scan.inputs] == ["good"]


def test_collection_with_an_invalid_name_is_refused(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"bad collection/doc.txt": TEXT, "col/good.txt": TEXT})
    scan = scan_corpus(root)
    assert _reasons(scan.refused) == {"bad collection/doc.txt": QuarantineReason.INVALID_ID}


def test_too_large_input_is_quarantined_unread(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"col/big.txt": b"x" * 11, "col/fits.txt": b"y" * 10})
    items = list(read_dispatches(scan_corpus(root), max_bytes=10))
    refused = [i for i in items if isinstance(i, QuarantineRecord)]
    assert _reasons(refused) == {"col/big.txt": QuarantineReason.TOO_LARGE}
    assert refused[0].stage is Stage.READ
    assert [d.raw for d in _dispatches(items)] == [b"y" * 10]


def test_unreadable_input_is_quarantined(
    make_corpus: MakeCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_corpus({"col/a.txt": TEXT, "col/b.txt": TEXT})
    real_open = pathlib.Path.open

    def failing_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "a.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", failing_open)
    items = list(read_dispatches(scan_corpus(root)))
    refused = [i for i in items if isinstance(i, QuarantineRecord)]
    assert _reasons(refused) == {"col/a.txt": QuarantineReason.UNREADABLE}
    assert "Permission denied" in refused[0].message
    assert [d.doc_id for d in _dispatches(items)] == ["b"]


def _sidecar(*lines: object) -> str:
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)


def test_metadata_is_attached_by_id_or_file_name(make_corpus: MakeCorpus) -> None:
    root = make_corpus(
        {
            "col/one.txt": TEXT,
            "col/two.txt": TEXT,
            "col/metadata.jsonl": _sidecar(
                {"id": "one", "title": "First", "language": "fr"},
                {"file": "two.txt", "title": "Second"},
            ),
        }
    )
    scan = scan_corpus(root)
    assert scan.notes == []
    by_id = {d.doc_id: d.metadata for d in _dispatches(list(read_dispatches(scan)))}
    assert by_id["one"] is not None
    assert (by_id["one"].title, by_id["one"].language) == ("First", "fr")
    assert by_id["two"] is not None
    assert by_id["two"].title == "Second"


def test_metadata_problems_are_noted_with_file_and_line(make_corpus: MakeCorpus) -> None:
    root = make_corpus(
        {
            "col/one.txt": TEXT,
            "col/metadata.jsonl": _sidecar(
                {"id": "one", "title": "Kept", "colour": "blue", "weight": 3},
                "{not json",
                "",
                {"id": "ghost"},
                "[1, 2]",
                {"title": "no id"},
            ),
        }
    )
    scan = scan_corpus(root)
    notes = scan.notes
    assert any(n.startswith("col/metadata.jsonl:2: malformed JSON") for n in notes), notes
    assert any(n.startswith("col/metadata.jsonl:4: metadata for missing file") for n in notes)
    assert any("'ghost'" in n for n in notes)
    assert any(n.startswith("col/metadata.jsonl:5: not a JSON object") for n in notes)
    assert any(n.startswith("col/metadata.jsonl:6: no 'id' or 'file'") for n in notes)
    assert "col/metadata.jsonl: ignored unknown keys: colour, weight" in notes
    assert not any(":3:" in n for n in notes)
    assert scan.metadata[("col", "one")].title == "Kept"


def test_metadata_of_a_refused_file_is_noted_as_missing(make_corpus: MakeCorpus) -> None:
    root = make_corpus(
        {"col/bad name.txt": TEXT, "col/metadata.jsonl": _sidecar({"id": "bad name"})}
    )
    scan = scan_corpus(root)
    assert scan.metadata == {}
    assert any("metadata for missing file 'bad name'" in n for n in scan.notes)


def test_metadata_is_per_collection(make_corpus: MakeCorpus) -> None:
    root = make_corpus(
        {
            "a/one.txt": TEXT,
            "b/two.txt": TEXT,
            "b/metadata.jsonl": _sidecar({"id": "one", "title": "Wrong collection"}),
        }
    )
    scan = scan_corpus(root)
    assert scan.metadata == {}
    assert any(n.startswith("b/metadata.jsonl:1: metadata for missing file") for n in scan.notes)


def test_undecodable_sidecar_bytes_do_not_stop_the_scan(make_corpus: MakeCorpus) -> None:
    root = make_corpus(
        {
            "col/one.txt": TEXT,
            "col/metadata.jsonl": b'{"id": "one", "title": "caf\xe9"}\n',
        }
    )
    scan = scan_corpus(root)
    assert scan.metadata[("col", "one")].title == "caf\ufffd"


def test_every_entry_is_an_input_or_a_refusal(make_corpus: MakeCorpus, tmp_path: Path) -> None:
    root = make_corpus(
        {
            "a/ok.txt": TEXT,
            "a/bad id.txt": TEXT,
            "b/ok.txt": TEXT,
            "b/dir.txt/x": "",
            "b/other.txt": TEXT,
            "loose.txt": TEXT,
        }
    )
    outside = tmp_path / "outside.txt"
    outside.write_text(TEXT)
    (root / "b" / "link.txt").symlink_to(outside)
    scan = scan_corpus(root)
    entries = [p for p in [*root.glob("*"), *root.glob("*/*")] if p.name.endswith(".txt")]
    assert scan.n_inputs == len(entries) == 7
    assert len(scan.inputs) == 2
    assert sorted(_reasons(scan.refused).values()) == sorted(
        [
            QuarantineReason.NO_COLLECTION,
            QuarantineReason.INVALID_ID,
            QuarantineReason.DUPLICATE_ID,
            QuarantineReason.NOT_A_FILE,
            QuarantineReason.SYMLINK_OUTSIDE,
        ]
    )
