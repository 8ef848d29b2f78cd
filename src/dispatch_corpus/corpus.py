"""Walk a corpus folder and its metadata sidecars, yielding raw dispatches (I/O layer)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dispatch_corpus.errors import CannotRunError
from dispatch_corpus.metadata import Metadata, parse_metadata
from dispatch_corpus.models import DOC_ID_PATTERN, QuarantineReason, QuarantineRecord, Stage
from dispatch_corpus.pipeline import RawDispatch
from dispatch_corpus.settings import DEFAULT_MAX_BYTES

METADATA_FILE = "metadata.jsonl"
DISPATCH_SUFFIX = ".txt"
_DOC_ID = re.compile(DOC_ID_PATTERN)
_READ_CHUNK = 1 << 20


class CorpusError(CannotRunError):
    """The corpus cannot be read at all (missing folder, not a folder)."""


@dataclass(frozen=True)
class InputFile:
    """One accepted input path, before its bytes are read."""

    path: Path
    source_path: str
    collection: str
    doc_id: str
    size: int


@dataclass
class CorpusScan:
    """What a corpus folder holds: inputs to read, inputs refused, metadata and notes."""

    inputs: list[InputFile] = field(default_factory=list)
    refused: list[QuarantineRecord] = field(default_factory=list)
    metadata: dict[tuple[str, str], Metadata] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def n_inputs(self) -> int:
        """Number of dispatch entries found (read or refused)."""
        return len(self.inputs) + len(self.refused)


def scan_corpus(root: Path) -> CorpusScan:
    """List the dispatches of ``<root>/<collection>/<doc_id>.txt`` and read the sidecars.

    Entries are refused (quarantined without being opened) when their name is not a valid
    id, when they are folders, when they are symlinks leading outside the corpus, or when
    their id repeats an earlier one (by sorted path).

    Args:
        root: The corpus folder.

    Returns:
        The scan, with inputs sorted by ``(doc_id, source_path)``.

    Raises:
        CorpusError: When ``root`` is not a readable folder.
    """
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    scan = CorpusScan()
    resolved_root = root.resolve()
    candidates: list[InputFile] = []
    for top in sorted(root.iterdir()):
        if top.name.endswith(DISPATCH_SUFFIX) and not top.is_dir():
            name = _printable(top.name)
            scan.refused.append(
                _refused(
                    name,
                    None,
                    QuarantineReason.NO_COLLECTION,
                    "dispatch outside any collection folder",
                )
            )
    for collection_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        collection = _printable(collection_dir.name)
        valid_collection = _DOC_ID.fullmatch(collection_dir.name) is not None
        inside = _resolves_inside(collection_dir, resolved_root)
        names: set[str] = set()
        with os.scandir(collection_dir) as entries:
            listing = sorted(entries, key=lambda e: e.name)
        for entry in listing:
            if not entry.name.endswith(DISPATCH_SUFFIX):
                continue
            source_path = f"{collection}/{_printable(entry.name)}"
            doc_id = entry.name[: -len(DISPATCH_SUFFIX)]
            refusal = _refusal(entry, resolved_root, inside, doc_id, valid_collection)
            if refusal is not None:
                reason, message = refusal
                scan.refused.append(_refused(source_path, _printable(doc_id), reason, message))
                continue
            names.add(doc_id)
            candidates.append(
                InputFile(Path(entry.path), source_path, collection, doc_id, entry.stat().st_size)
            )
        _read_sidecar(collection_dir, names, scan)
    seen: set[str] = set()
    for item in sorted(candidates, key=lambda c: (c.doc_id, c.source_path)):
        if item.doc_id in seen:
            scan.refused.append(
                _refused(
                    item.source_path,
                    item.doc_id,
                    QuarantineReason.DUPLICATE_ID,
                    f"doc_id {item.doc_id!r} already taken by an earlier path",
                )
            )
            continue
        seen.add(item.doc_id)
        scan.inputs.append(item)
    return scan


def read_dispatches(
    scan: CorpusScan, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[RawDispatch | QuarantineRecord]:
    """Read each input of a scan, in order, as a raw dispatch or a quarantine row.

    Args:
        scan: The result of ``scan_corpus``.
        max_bytes: Inputs larger than this are quarantined as ``too_large`` unread.

    Yields:
        One item per input of the scan.
    """
    for item in scan.inputs:
        yield read_input(item, scan.metadata.get((item.collection, item.doc_id)), max_bytes)


def read_input(
    item: InputFile, metadata: Metadata | None, max_bytes: int
) -> RawDispatch | QuarantineRecord:
    """Read one input's bytes (never more than ``max_bytes + 1``).

    Args:
        item: The input to read.
        metadata: Its metadata entry, if any.
        max_bytes: Inputs larger than this are quarantined as ``too_large``.

    Returns:
        The raw dispatch, or a quarantine row when it is too large or unreadable.
    """
    try:
        raw = _read_bounded(item.path, max_bytes)
    except OSError as error:
        return _refused(
            item.source_path,
            item.doc_id,
            QuarantineReason.UNREADABLE,
            f"cannot read: {error.strerror or error}",
        )
    if raw is None:
        return _refused(
            item.source_path,
            item.doc_id,
            QuarantineReason.TOO_LARGE,
            f"larger than {max_bytes} bytes",
        )
    return RawDispatch(
        source_path=item.source_path,
        collection=item.collection,
        doc_id=item.doc_id,
        raw=raw,
        metadata=metadata,
    )


def _refusal(
    entry: os.DirEntry[str],
    root: Path,
    collection_inside: bool,
    doc_id: str,
    valid_collection: bool,
) -> tuple[QuarantineReason, str] | None:
    """Say why an entry of a collection folder is refused, or None when it is an input.

    An entry that is not a symlink lies where its folder lies, so only symlinks (and entries
    of folders that do not resolve inside the corpus) are resolved one by one.
    """
    if entry.is_symlink() or not collection_inside:
        try:
            inside = Path(entry.path).resolve().is_relative_to(root)
        except (OSError, RuntimeError):
            return QuarantineReason.SYMLINK_OUTSIDE, "symlink loop or unresolvable path"
        if not inside:
            return QuarantineReason.SYMLINK_OUTSIDE, "path leads outside the corpus (symlink)"
    if not _is_file(entry):
        return QuarantineReason.NOT_A_FILE, "not a regular file"
    if not valid_collection:
        return QuarantineReason.INVALID_ID, "collection folder name is not a valid id"
    if not _DOC_ID.fullmatch(doc_id):
        return (
            QuarantineReason.INVALID_ID,
            f"file name {_printable(doc_id)!r} is not a valid doc_id",
        )
    return None


def _resolves_inside(folder: Path, root: Path) -> bool:
    try:
        return folder.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _printable(name: str) -> str:
    """Return a file name as valid UTF-8 text (undecodable bytes replaced)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _refused(
    source_path: str, doc_id: str | None, reason: QuarantineReason, message: str
) -> QuarantineRecord:
    return QuarantineRecord(
        source_path=source_path,
        doc_id=doc_id,
        stage=Stage.READ,
        reason_code=reason,
        message=message,
    )


def _read_bounded(path: Path, max_bytes: int) -> bytes | None:
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size > max_bytes:
            return None
        chunks: list[bytes] = []
        size = 0
        while chunk := handle.read(_READ_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                return None
            chunks.append(chunk)
    return b"".join(chunks)


def _read_sidecar(collection_dir: Path, names: set[str], scan: CorpusScan) -> None:
    sidecar = collection_dir / METADATA_FILE
    if not sidecar.is_file():
        return
    where = f"{collection_dir.name}/{METADATA_FILE}"
    ignored: set[str] = set()
    with sidecar.open(encoding="utf-8", errors="replace") as handle:
        for line_number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as error:
                scan.notes.append(f"{where}:{line_number}: malformed JSON ({error.msg}), skipped")
                continue
            if not isinstance(entry, dict):
                scan.notes.append(f"{where}:{line_number}: not a JSON object, skipped")
                continue
            doc_id = _entry_id(entry)
            if doc_id is None:
                scan.notes.append(f"{where}:{line_number}: no 'id' or 'file', skipped")
                continue
            if doc_id not in names:
                scan.notes.append(f"{where}:{line_number}: metadata for missing file {doc_id!r}")
                continue
            metadata = parse_metadata(entry)
            ignored.update(metadata.ignored_keys)
            scan.metadata[(collection_dir.name, doc_id)] = metadata
    if ignored:
        scan.notes.append(f"{where}: ignored unknown keys: {', '.join(sorted(ignored))}")


def _entry_id(entry: dict[str, object]) -> str | None:
    value = entry.get("id")
    if isinstance(value, str) and value:
        return value
    file_name = entry.get("file")
    if isinstance(file_name, str) and file_name.endswith(DISPATCH_SUFFIX):
        return file_name[: -len(DISPATCH_SUFFIX)]
    return None
