import json
import os
import re
import socket
import stat
import tempfile
import threading
import tracemalloc
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.dataset import corpus
from dispatch_corpus.dataset.corpus import (
    MAX_METADATA_LINE_CHARS,
    MAX_NOTES_PER_SIDECAR,
    METADATA_FILE,
    CorpusError,
    CorpusScan,
    InputFile,
    read_dispatches,
    read_input,
    scan_corpus,
)
from dispatch_corpus.models import DocumentFlag, QuarantineReason, QuarantineRecord, Stage

MakeCorpus = Callable[[Mapping[str, bytes | str]], Path]
TEXT = "Titre\n\nUn paragraphe de texte ordinaire.\n"
SECRET = "SECRET-CONTENT-7f3a"


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


def _outside(tmp_path: Path) -> Path:
    """A folder beside the corpus holding a secret dispatch and a secret sidecar."""
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "SECRETNAME.txt").write_text(f"{SECRET}\n\nSecret body.\n")
    (outside / "outside_meta.jsonl").write_text(
        json.dumps({"id": "good", "title": SECRET, "url": "https://secret.example"}) + "\n"
    )
    return outside


def _leads_outside(paths: list[str], outside: Path) -> list[str]:
    """The paths opened or listed that lead outside the corpus.

    Files below the corpus root are opened one name at a time, so a name found only
    outside counts as well as a full path leading there.
    """
    recorded = list(paths)  # listing the outside folder below is recorded too
    names = {outside.name, *(p.name for p in outside.iterdir())}
    return [
        p
        for p in recorded
        if Path(p).name in names or Path(p).resolve().is_relative_to(outside.resolve())
    ]


def _scan_text(scan: CorpusScan) -> str:
    """Everything a scan says: refusals, notes and metadata, as one string."""
    return repr((scan.refused, scan.notes, scan.metadata, scan.inputs))


def test_symlink_outside_the_corpus_is_refused_and_never_opened(
    make_corpus: MakeCorpus, tmp_path: Path, touched_paths: list[str]
) -> None:
    outside = _outside(tmp_path)
    root = make_corpus({"col/good.txt": TEXT})
    (root / "col" / "leak.txt").symlink_to(outside / "SECRETNAME.txt")
    touched_paths.clear()
    scan = scan_corpus(root)
    items = list(read_dispatches(scan))
    assert _reasons(scan.refused) == {"col/leak.txt": QuarantineReason.SYMLINK_OUTSIDE}
    assert [d.doc_id for d in _dispatches(items)] == ["good"]
    assert _leads_outside(touched_paths, outside) == []
    assert "good.txt" in {Path(p).name for p in touched_paths}


def test_symlink_to_another_dispatch_is_an_alias_read_under_the_real_name(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    root = make_corpus({"col/original.txt": TEXT, "store/blob.dat": "Kept\n\nOwn text.\n"})
    # The corpus is given through a symlink, and one link is written through it.
    given = tmp_path / "given"
    given.symlink_to(root, target_is_directory=True)
    (root / "col" / "alias.txt").symlink_to(given / "col" / "original.txt")
    (root / "col" / "chain.txt").symlink_to(root / "col" / "alias.txt")
    (root / "col" / "own.txt").symlink_to(Path("..") / "store" / "blob.dat")
    scan = scan_corpus(given)
    assert _reasons(scan.refused) == {
        "col/alias.txt": QuarantineReason.ALIAS,
        "col/chain.txt": QuarantineReason.ALIAS,
    }
    assert all("'col/original.txt'" in r.message for r in scan.refused)
    assert [i.source_path for i in scan.inputs] == ["col/original.txt", "col/own.txt"]
    raw = {d.doc_id: d.raw for d in _dispatches(list(read_dispatches(scan)))}
    assert raw == {"original": TEXT.encode(), "own": b"Kept\n\nOwn text.\n"}


def test_symlink_named_like_a_dispatch_of_another_collection_does_not_take_its_place(
    make_corpus: MakeCorpus,
) -> None:
    # "a/x.txt" sorts before "b/x.txt": without alias detection the link would win.
    root = make_corpus({"b/x.txt": TEXT})
    (root / "a").mkdir()
    (root / "a" / "x.txt").symlink_to(Path("..") / "b" / "x.txt")
    scan = scan_corpus(root)
    assert [(i.collection, i.source_path) for i in scan.inputs] == [("b", "b/x.txt")]
    assert _reasons(scan.refused) == {"a/x.txt": QuarantineReason.ALIAS}


def test_several_symlinks_to_one_file_keep_the_first_and_hard_links_are_files(
    make_corpus: MakeCorpus,
) -> None:
    root = make_corpus({"store/blob.dat": TEXT, "hard/one.txt": TEXT})
    for name in ("b.txt", "a.txt"):
        (root / "store" / name).symlink_to("blob.dat")
    # A hard link cannot be told from a copy: both names are dispatches (duplicate_text
    # keeps one when the build compares texts).
    os.link(root / "hard" / "one.txt", root / "hard" / "two.txt")
    scan = scan_corpus(root)
    assert [i.doc_id for i in scan.inputs] == ["a", "one", "two"]
    assert _reasons(scan.refused) == {"store/b.txt": QuarantineReason.ALIAS}


def test_symlink_never_renames_a_refused_dispatch(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"col/bad name.txt": TEXT, "loose.txt": TEXT})
    (root / "col" / "fine.txt").symlink_to("bad name.txt")
    (root / "col" / "other.txt").symlink_to(Path("..") / "loose.txt")
    scan = scan_corpus(root)
    assert scan.inputs == []
    assert _reasons(scan.refused) == {
        "col/bad name.txt": QuarantineReason.INVALID_ID,
        "col/fine.txt": QuarantineReason.ALIAS,
        "col/other.txt": QuarantineReason.ALIAS,
        "loose.txt": QuarantineReason.NO_COLLECTION,
    }


def test_dangling_symlink_is_not_a_file(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"col/good.txt": TEXT})
    (root / "col" / "gone.txt").symlink_to(root / "col" / "missing.txt")
    scan = scan_corpus(root)
    assert _reasons(scan.refused) == {"col/gone.txt": QuarantineReason.NOT_A_FILE}


def test_symlinked_collection_leading_outside_is_one_refusal_never_listed(
    make_corpus: MakeCorpus, tmp_path: Path, touched_paths: list[str]
) -> None:
    outside = _outside(tmp_path)
    root = make_corpus({"col/good.txt": TEXT})
    (root / "linked").symlink_to(outside, target_is_directory=True)
    touched_paths.clear()
    scan = scan_corpus(root)
    list(read_dispatches(scan))
    assert [i.source_path for i in scan.inputs] == ["col/good.txt"]
    assert _reasons(scan.refused) == {"linked": QuarantineReason.SYMLINK_OUTSIDE}
    assert scan.refused[0].doc_id is None
    assert _leads_outside(touched_paths, outside) == []
    said = _scan_text(scan)
    assert "SECRETNAME" not in said and SECRET not in said and str(outside) not in said


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("real", QuarantineReason.ALIAS),
        (".", QuarantineReason.ALIAS),
        ("real/sub", QuarantineReason.ALIAS),
        ("other_alias", QuarantineReason.ALIAS),
        ("..", QuarantineReason.SYMLINK_OUTSIDE),
        ("alias", QuarantineReason.SYMLINK_OUTSIDE),
    ],
    ids=["sibling", "root", "subfolder", "chain", "parent", "loop"],
)
def test_symlinked_collection_is_reported_and_never_renames_documents(
    make_corpus: MakeCorpus, tmp_path: Path, target: str, reason: QuarantineReason
) -> None:
    root = make_corpus(
        {
            "real/doc.txt": TEXT,
            "real/metadata.jsonl": json.dumps({"id": "doc", "title": "Real title"}),
            "real/sub/nested.txt": TEXT,
            "loose.txt": TEXT,
        }
    )
    (tmp_path / "beside.txt").write_text(TEXT)
    (root / "other_alias").symlink_to("real", target_is_directory=True)
    (root / "alias").symlink_to(target, target_is_directory=True)
    scan = scan_corpus(root)
    assert [(i.collection, i.source_path) for i in scan.inputs] == [("real", "real/doc.txt")]
    assert _reasons(scan.refused) == {
        "alias": reason,
        "other_alias": QuarantineReason.ALIAS,
        "loose.txt": QuarantineReason.NO_COLLECTION,
    }
    assert scan.metadata[("real", "doc")].title == "Real title"
    assert not any("beside" in note or note.startswith("alias") for note in scan.notes)


def test_folders_inside_a_collection_are_reported(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"col/good.txt": TEXT, "col/sub/inner.txt": TEXT, "col/.git/x": ""})
    scan = scan_corpus(root)
    assert [i.source_path for i in scan.inputs] == ["col/good.txt"]
    assert [n for n in scan.notes if "folder inside a collection" in n] == [
        "col/.git: folder inside a collection, not read (dispatches are <collection>/<doc_id>.txt)",
        "col/sub: folder inside a collection, not read (dispatches are <collection>/<doc_id>.txt)",
    ]


def test_symlink_loop_is_refused(make_corpus: MakeCorpus) -> None:
    root = make_corpus({"col/good.txt": TEXT})
    (root / "col" / "loop.txt").symlink_to(root / "col" / "loop.txt")
    scan = scan_corpus(root)
    assert _reasons(scan.refused) == {"col/loop.txt": QuarantineReason.SYMLINK_OUTSIDE}
    assert [i.doc_id for i in scan.inputs] == ["good"]


def _read_in_thread(item: InputFile, fifo: Path) -> RawDispatch | QuarantineRecord:
    """Read one input, failing (and unblocking the reader) if it waits on a FIFO."""
    outcome: list[RawDispatch | QuarantineRecord] = []
    reader = threading.Thread(target=lambda: outcome.append(read_input(item, None, 1000)))
    reader.daemon = True
    reader.start()
    reader.join(timeout=10)
    if reader.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=10)
        pytest.fail("reading blocked on a FIFO")
    return outcome[0]


def test_fifos_sockets_and_devices_are_never_opened_or_waited_on(
    make_corpus: MakeCorpus, touched_paths: list[str]
) -> None:
    root = make_corpus({"col/good.txt": TEXT, "col/later_fifo.txt": TEXT, "store/x": ""})
    os.mkfifo(root / "col" / "fifo.txt")
    os.mkfifo(root / "store" / "pipe")
    (root / "col" / "to_fifo.txt").symlink_to(Path("..") / "store" / "pipe")
    expected = {
        "col/fifo.txt": QuarantineReason.NOT_A_FILE,
        "col/sock.txt": QuarantineReason.NOT_A_FILE,
        "col/to_fifo.txt": QuarantineReason.NOT_A_FILE,
    }
    try:
        os.mknod(root / "col" / "null.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))
        expected["col/null.txt"] = QuarantineReason.NOT_A_FILE
    except PermissionError:
        pass  # no CAP_MKNOD here: FIFOs and sockets still cover the case
    touched_paths.clear()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(root / "col" / "sock.txt"))
        scan = scan_corpus(root)
    assert _reasons(scan.refused) == expected
    assert [i.doc_id for i in scan.inputs] == ["good", "later_fifo"]
    special = {"fifo.txt", "pipe", "sock.txt", "to_fifo.txt", "null.txt"}
    assert special.isdisjoint(Path(p).name for p in touched_paths)
    # The file may change between the scan and the read: a FIFO then is refused at once.
    swapped = root / "col" / "later_fifo.txt"
    swapped.unlink()
    os.mkfifo(swapped)
    outcome = _read_in_thread(scan.inputs[1], swapped)
    assert isinstance(outcome, QuarantineRecord)
    assert outcome.reason_code is QuarantineReason.NOT_A_FILE


def test_file_or_folder_swapped_for_a_symlink_after_the_scan_is_not_followed(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    outside = _outside(tmp_path)
    root = make_corpus({"col/good.txt": TEXT, "store/blob.dat": TEXT, "moved/SECRETNAME.txt": TEXT})
    (root / "col" / "link.txt").symlink_to(Path("..") / "store" / "blob.dat")
    scan = scan_corpus(root)
    for name in ("good.txt", "link.txt"):
        (root / "col" / name).unlink()
        (root / "col" / name).symlink_to(outside / "SECRETNAME.txt")
    # A collection folder swapped for a symlink to a folder holding the same file names.
    (root / "moved").rename(root / "moved_away")
    (root / "moved").symlink_to(outside, target_is_directory=True)
    items = list(read_dispatches(scan))
    dispatches = _dispatches(items)
    assert _reasons([i for i in items if isinstance(i, QuarantineRecord)]) == {
        "col/good.txt": QuarantineReason.UNREADABLE,
        "moved/SECRETNAME.txt": QuarantineReason.UNREADABLE,
    }
    assert [d.raw for d in dispatches] == [TEXT.encode()]
    assert SECRET.encode() not in b"".join(d.raw for d in dispatches)


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


def _fail_to_open(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    real_open = os.open

    def failing_open(path: Any, *args: Any, **kwargs: Any) -> int:
        if os.path.basename(os.fsdecode(path)) == name:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", failing_open)


def test_unreadable_input_is_quarantined(
    make_corpus: MakeCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_corpus({"col/a.txt": TEXT, "col/b.txt": TEXT})
    _fail_to_open(monkeypatch, "a.txt")
    items = list(read_dispatches(scan_corpus(root)))
    refused = [i for i in items if isinstance(i, QuarantineRecord)]
    assert _reasons(refused) == {"col/a.txt": QuarantineReason.UNREADABLE}
    assert "Permission denied" in refused[0].message
    assert [d.doc_id for d in _dispatches(items)] == ["b"]


def test_unlistable_collection_is_one_refusal(
    make_corpus: MakeCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_corpus({"locked/a.txt": TEXT, "open/b.txt": TEXT})
    real_scandir = os.scandir

    def failing_scandir(path: Any) -> Any:
        if os.path.basename(os.fsdecode(path)) == "locked":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", failing_scandir)
    scan = scan_corpus(root)
    assert [i.source_path for i in scan.inputs] == ["open/b.txt"]
    assert _reasons(scan.refused) == {"locked": QuarantineReason.UNREADABLE}
    assert "Permission denied" in scan.refused[0].message


def test_unreadable_sidecar_is_noted(
    make_corpus: MakeCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_corpus({"col/a.txt": TEXT, "col/metadata.jsonl": _sidecar({"id": "a"})})
    _fail_to_open(monkeypatch, METADATA_FILE)
    scan = scan_corpus(root)
    assert scan.metadata == {}
    assert scan.notes == [
        "col/metadata.jsonl: cannot read (Permission denied): not read, its documents are "
        "built without metadata"
    ]


def _permission_bits_apply(folder: Path) -> bool:
    probe = folder / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        probe.read_text()
    except PermissionError:
        return True
    finally:
        probe.unlink()
    return False


def test_permission_denied_folders_and_files_do_not_stop_the_scan(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    if not _permission_bits_apply(tmp_path):
        pytest.skip("this process reads files whatever their permission bits (root)")
    root = make_corpus(
        {
            "locked/a.txt": TEXT,
            "nosearch/b.txt": TEXT,
            "col/c.txt": TEXT,
            "col/d.txt": TEXT,
            "col/metadata.jsonl": _sidecar({"id": "c", "title": "T"}),
        }
    )
    modes = {"locked": 0, "nosearch": 0o444, "col/d.txt": 0, "col/metadata.jsonl": 0}
    for relative, mode in modes.items():
        (root / relative).chmod(mode)
    try:
        scan = scan_corpus(root)
        items = list(read_dispatches(scan))
    finally:
        for relative in modes:
            (root / relative).chmod(0o755)
    assert _reasons(scan.refused) == {
        "locked": QuarantineReason.UNREADABLE,
        "nosearch/b.txt": QuarantineReason.UNREADABLE,
    }
    assert _reasons([i for i in items if isinstance(i, QuarantineRecord)]) == {
        "col/d.txt": QuarantineReason.UNREADABLE
    }
    assert [d.doc_id for d in _dispatches(items)] == ["c"]
    assert any(n.startswith("col/metadata.jsonl: cannot read") for n in scan.notes)


@pytest.mark.parametrize(
    "files",
    [{}, {"README.md": "x", "col/notes.md": "x", "col/metadata.jsonl": "", "col/sub/a.txt": ""}],
    ids=["nothing", "no_dispatch"],
)
def test_corpus_without_dispatches_is_an_error(
    make_corpus: MakeCorpus, files: dict[str, str]
) -> None:
    root = make_corpus(files)
    with pytest.raises(CorpusError, match=f"^no dispatches found in {re.escape(str(root))}$"):
        scan_corpus(root)
    # One refused dispatch is enough: a corpus whose every input is refused still builds.
    scan = scan_corpus(make_corpus({"loose.txt": TEXT}))
    assert scan.inputs == [] and scan.n_inputs == 1


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


def _sidecar_bytes(*lines: object) -> bytes:
    return b"\n".join(
        line if isinstance(line, bytes) else _sidecar(line).encode("utf-8") for line in lines
    )


DEEP = "[" * 20_000 + "]" * 20_000
LONG = "x" * (MAX_METADATA_LINE_CHARS + 1)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"id": "one", "title": "T", "x": ' + DEEP + "}", "nested too deeply (over 64 levels)"),
        ('{"id": "one", "title": "T", "n": ' + "7" * 5000 + "}", "a number of 5000 characters"),
        ('{"id": "one", "title": "T", "n": -' + "7" * 5000 + ".5}", "a number of 5003 char"),
        ('{"id": "one", "title": "T\\ud800"}', "lone surrogate \\ud800 in a string"),
        ('{"id": "one", "x": {"k": ["a", "\\udfff"]}}', "lone surrogate \\udfff in a string"),
        ('{"id": "one", "\\udbff": 1}', "lone surrogate \\udbff in a string"),
        ('{"id": "one", "title": "T", "score": NaN}', "NaN is not a JSON number"),
        ('{"id": "one", "title": "T", "score": -Infinity}', "-Infinity is not a JSON number"),
        (b'{"id": "one", "title": "caf\xe9"}', "not valid UTF-8 (byte 0xe9 at offset 27)"),
        (b'{"id": "one", "title": "\xed\xa0\x80"}', "not valid UTF-8 (byte 0xed at offset 24)"),
        ('{"id": "one", "title": "T", "title": "U"}', "key 'title' given twice"),
        ('{"id": "one", "file": "two.txt"}', "'id' 'one' and 'file' 'two.txt' name different"),
        ('{"id": "one", "title": "' + LONG + '"}', f"longer than {MAX_METADATA_LINE_CHARS} char"),
    ],
    ids=[
        "deep",
        "long_int",
        "long_float",
        "surrogate",
        "nested_surrogate",
        "surrogate_key",
        "nan",
        "infinity",
        "cp1252",
        "encoded_surrogate",
        "duplicate_key",
        "id_file_disagree",
        "huge_line",
    ],
)
def test_bad_metadata_line_is_one_note_and_the_document_builds_without_it(
    make_corpus: MakeCorpus, line: str | bytes, problem: str
) -> None:
    root = make_corpus(
        {
            "col/one.txt": TEXT,
            "col/two.txt": TEXT,
            "col/metadata.jsonl": _sidecar_bytes(
                {"id": "two", "title": "Two"},
                line if isinstance(line, bytes) else line.encode("utf-8"),
                {"file": "ghost.txt"},
            ),
        }
    )
    scan = scan_corpus(root)
    (note,) = [n for n in scan.notes if n.startswith("col/metadata.jsonl:2: ")]
    assert problem in note
    assert note.isprintable()
    assert ("col", "one") not in scan.metadata
    assert scan.metadata[("col", "two")].title == "Two"
    assert any(n.startswith("col/metadata.jsonl:3: metadata for missing file") for n in scan.notes)
    dispatches = _dispatches(list(read_dispatches(scan)))
    assert [d.metadata is None for d in dispatches] == [True, False]


def test_metadata_values_of_the_wrong_type_are_dropped_with_a_note(
    make_corpus: MakeCorpus,
) -> None:
    entry = {
        "id": "one",
        "title": 5,
        "url": ["https://example.org"],
        "license": {"name": "CC0"},
        "agency": True,
        "date": None,
        "language": "fr",
    }
    root = make_corpus({"col/one.txt": TEXT, "col/metadata.jsonl": _sidecar(entry)})
    scan = scan_corpus(root)
    meta = scan.metadata[("col", "one")]
    assert (meta.title, meta.url, meta.license, meta.agency) == (None, None, None, None)
    assert meta.language == "fr"
    assert scan.notes == [
        "col/metadata.jsonl:1: 'title' is a number, not text: dropped",
        "col/metadata.jsonl:1: 'license' is an object, not text: dropped",
        "col/metadata.jsonl:1: 'url' is a list, not text: dropped",
        "col/metadata.jsonl:1: 'agency' is a boolean, not text: dropped",
    ]


def test_second_metadata_line_for_an_id_is_reported_and_the_first_kept(
    make_corpus: MakeCorpus,
) -> None:
    root = make_corpus(
        {
            "col/one.txt": TEXT,
            "col/two.txt": TEXT,
            "col/metadata.jsonl": _sidecar(
                {"id": "one", "title": "First"},
                {"file": "two.txt", "title": "Two"},
                {"file": "one.txt", "title": "Second"},
                {"id": "two", "title": "Again"},
                {"id": "one", "file": "one.txt", "title": "Third"},
            ),
        }
    )
    scan = scan_corpus(root)
    assert scan.metadata[("col", "one")].title == "First"
    assert scan.metadata[("col", "two")].title == "Two"
    assert scan.notes == [
        "col/metadata.jsonl:3: second entry for 'one' (first on line 1): skipped, line 1 kept",
        "col/metadata.jsonl:4: second entry for 'two' (first on line 2): skipped, line 2 kept",
        "col/metadata.jsonl:5: second entry for 'one' (first on line 1): skipped, line 1 kept",
    ]


def test_metadata_text_is_cleaned_with_a_note_and_a_flag(make_corpus: MakeCorpus) -> None:
    entry = {
        "id": "one",
        "title": "Un\x1b[31m titre\u202e\u200b\x07\n rouge",
        "url": "https://e.org",
    }
    root = make_corpus({"col/one.txt": TEXT, "col/metadata.jsonl": _sidecar(entry)})
    scan = scan_corpus(root)
    meta = scan.metadata[("col", "one")]
    assert meta.title == "Un titre rouge"
    assert meta.flags == (DocumentFlag.METADATA_CLEANED,)
    assert scan.notes == ["col/metadata.jsonl:1: 'title': non-printable characters removed"]


def test_sidecar_with_a_bom_and_any_line_ends_is_read(make_corpus: MakeCorpus) -> None:
    lines = [json.dumps({"id": name, "title": name.upper()}) for name in ("a", "b", "c")]
    content = "\ufeff" + lines[0] + "\r\n" + lines[1] + "\r" + lines[2] + "\n"
    root = make_corpus({"col/a.txt": TEXT, "col/b.txt": TEXT, "col/c.txt": TEXT})
    (root / "col" / METADATA_FILE).write_bytes(content.encode("utf-8"))
    scan = scan_corpus(root)
    assert scan.notes == []
    assert {key[1]: meta.title for key, meta in scan.metadata.items()} == {
        "a": "A",
        "b": "B",
        "c": "C",
    }


def test_huge_sidecar_line_is_skipped_without_being_held_in_memory(
    make_corpus: MakeCorpus,
) -> None:
    size = 40_000_000
    root = make_corpus({"col/one.txt": TEXT, "col/two.txt": TEXT})
    with (root / "col" / METADATA_FILE).open("wb") as handle:
        handle.write(b'{"id": "one", "title": "')
        for _ in range(size // 1_000_000):
            handle.write(b"x" * 1_000_000)
        handle.write(b'"}\n' + _sidecar({"id": "two", "title": "Two"}).encode())
    tracemalloc.start()
    try:
        scan = scan_corpus(root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size / 8
    assert scan.notes == [
        f"col/metadata.jsonl:1: longer than {MAX_METADATA_LINE_CHARS} characters: skipped"
    ]
    assert list(scan.metadata) == [("col", "two")]


def test_sidecar_larger_than_the_limit_is_not_read(
    make_corpus: MakeCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus, "MAX_SIDECAR_BYTES", 10)
    root = make_corpus({"col/one.txt": TEXT, "col/metadata.jsonl": _sidecar({"id": "one"})})
    scan = scan_corpus(root)
    assert scan.metadata == {}
    assert scan.notes == [
        "col/metadata.jsonl: larger than 10 bytes: not read, its documents are built without "
        "metadata"
    ]


def test_notes_per_sidecar_are_capped(make_corpus: MakeCorpus) -> None:
    lines = ["{bad"] * (MAX_NOTES_PER_SIDECAR + 900)
    root = make_corpus(
        {"col/one.txt": TEXT, "col/metadata.jsonl": _sidecar(*lines, {"id": "one", "title": "T"})}
    )
    scan = scan_corpus(root)
    assert len(scan.notes) == MAX_NOTES_PER_SIDECAR + 1
    assert scan.notes[-1] == "col/metadata.jsonl: 900 more line problems not listed"
    assert scan.metadata[("col", "one")].title == "T"


def test_unknown_keys_named_per_sidecar_are_capped(make_corpus: MakeCorpus) -> None:
    keys = {f"k{number:03d}": 1 for number in range(120)}
    root = make_corpus(
        {
            "col/one.txt": TEXT,
            "col/two.txt": TEXT,
            "col/metadata.jsonl": _sidecar({"id": "one", **keys}, {"id": "two", **keys}),
        }
    )
    (note,) = scan_corpus(root).notes
    listed = ", ".join(f"k{number:03d}" for number in range(50))
    assert note == f"col/metadata.jsonl: ignored unknown keys: {listed} and others"


def test_sidecar_leading_outside_is_not_opened(
    make_corpus: MakeCorpus, tmp_path: Path, touched_paths: list[str]
) -> None:
    outside = _outside(tmp_path)
    root = make_corpus(
        {
            "col/good.txt": TEXT,
            "other/x.txt": TEXT,
            "store/shared.jsonl": _sidecar({"id": "x", "title": "Shared"}),
        }
    )
    (root / "col" / METADATA_FILE).symlink_to(outside / "outside_meta.jsonl")
    (root / "other" / METADATA_FILE).symlink_to(Path("..") / "store" / "shared.jsonl")
    touched_paths.clear()
    scan = scan_corpus(root)
    assert list(scan.metadata) == [("other", "x")]
    assert scan.metadata[("other", "x")].title == "Shared"
    assert scan.notes == [
        "col/metadata.jsonl: leads outside the corpus (symlink) or loops: not read, its "
        "documents are built without metadata"
    ]
    assert _leads_outside(touched_paths, outside) == []
    assert SECRET not in _scan_text(scan)


def test_sidecar_that_is_not_a_regular_file_is_noted_and_never_opened(
    make_corpus: MakeCorpus, touched_paths: list[str]
) -> None:
    root = make_corpus(
        {"a/x.txt": TEXT, "b/y.txt": TEXT, "c/z.txt": TEXT, "c/metadata.jsonl/i": ""}
    )
    os.mkfifo(root / "a" / METADATA_FILE)
    (root / "b" / METADATA_FILE).symlink_to(METADATA_FILE)
    touched_paths.clear()
    scan = scan_corpus(root)
    assert scan.notes == [
        "a/metadata.jsonl: not a regular file: not read, its documents are built without metadata",
        "b/metadata.jsonl: leads outside the corpus (symlink) or loops: not read, its "
        "documents are built without metadata",
        "c/metadata.jsonl: not a regular file: not read, its documents are built without metadata",
    ]
    assert not any(Path(p).name == METADATA_FILE for p in touched_paths)


def test_notes_never_carry_control_characters(make_corpus: MakeCorpus) -> None:
    root = make_corpus(
        {
            "col/one.txt": TEXT,
            "col/metadata.jsonl": _sidecar(
                {"id": "one", "\x1b]0;pwned\x07": 1}, {"id": "gh\x1b[2Jost"}
            ),
            "bad\x1b[31m/x.txt": TEXT,
            "bad\x1b[31m/metadata.jsonl": "{bad",
            "col/su\x9bb/x": "",
        }
    )
    scan = scan_corpus(root)
    assert len(scan.notes) == 4
    assert all(note.isprintable() for note in scan.notes), scan.notes


_TREE_NAMES = ("a", "b", "c.txt", "d.txt", METADATA_FILE)
_TARGETS = (
    "OUT",
    "OUT/SECRETNAME.txt",
    "OUT/outside_meta.jsonl",
    ".",
    "..",
    "a",
    "b",
    "a/c.txt",
    "a/d.txt",
    "b/c.txt",
    "a/metadata.jsonl",
    "missing",
    "LOOP",
)
_KIND = st.one_of(
    st.sampled_from(["file", "dir", "fifo"]),
    st.sampled_from(_TARGETS).map(lambda target: f"link:{target}"),
)


def _make_entry(path: Path, kind: str, root: Path, outside: Path) -> None:
    if kind == "file":
        path.write_text(
            json.dumps({"id": "c", "title": "T"}) if path.name == METADATA_FILE else TEXT
        )
    elif kind == "dir":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        target = kind.removeprefix("link:")
        if target == "LOOP":
            path.symlink_to(path.name)
        elif target.startswith("OUT"):
            path.symlink_to(outside / target.removeprefix("OUT").lstrip("/"))
        else:
            path.symlink_to(root / target)


def _loops(path: Path) -> bool:
    try:
        path.resolve()
    except RuntimeError:
        return True
    return False


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tree=st.dictionaries(
        st.sampled_from(_TREE_NAMES),
        st.tuples(_KIND, st.dictionaries(st.sampled_from(_TREE_NAMES), _KIND, max_size=4)),
        max_size=4,
    )
)
def test_any_tree_of_links_is_confined_and_every_entry_counted_once(
    tree: dict[str, tuple[str, dict[str, str]]], touched_paths: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        outside = _outside(Path(folder))
        root = Path(folder) / "corpus"
        root.mkdir()
        for name, (kind, children) in tree.items():
            _make_entry(root / name, kind, root, outside)
            if kind == "dir":
                for child, child_kind in children.items():
                    _make_entry(root / name / child, child_kind, root, outside)
        touched_paths.clear()
        try:
            scan = scan_corpus(root)
        except CorpusError as error:
            assert str(error) == f"no dispatches found in {root}"
            return
        items = list(read_dispatches(scan))
        assert _leads_outside(touched_paths, outside) == []
        assert not any(SECRET.encode() in d.raw for d in _dispatches(items))
        assert SECRET not in _scan_text(scan)
        real_dirs = {p.name for p in root.iterdir() if p.is_dir() and not p.is_symlink()}
        expected = {
            f"{p.parent.name}/{p.name}" if p.parent != root else p.name
            for p in [
                *root.glob("*.txt"),
                *(q for d in real_dirs for q in (root / d).glob("*.txt")),
            ]
            if p.parent != root or not p.is_dir()
        } | {p.name for p in root.iterdir() if p.is_symlink() and (p.is_dir() or _loops(p))}
        paths = [i.source_path for i in scan.inputs] + [r.source_path for r in scan.refused]
        assert sorted(paths) == sorted(expected)
        for item in scan.inputs:
            assert item.source_path.split("/")[0] in real_dirs
            assert Path(os.path.realpath(item.path)).is_relative_to(root.resolve())
        identities = [os.stat(i.path) for i in scan.inputs]
        assert len({(s.st_dev, s.st_ino) for s in identities}) == len(identities)
