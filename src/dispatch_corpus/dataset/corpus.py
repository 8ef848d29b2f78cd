"""Walk a corpus folder and its metadata sidecars, yielding raw dispatches (I/O layer).

Nothing outside the corpus is opened or listed: a symlink is resolved before it is used
and refused when it leads outside (or loops). Every file is opened from the corpus root one
folder at a time without following a symlink, without blocking, and read only when
``fstat`` says it is a regular file: a file or folder swapped for a FIFO or a symlink
between the scan and the read is refused, never waited on or followed.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from dispatch_corpus.core.metadata import Metadata, MetadataLineError, parse_line, parse_metadata
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.errors import CannotRunError
from dispatch_corpus.models import QuarantineReason, QuarantineRecord, Stage, is_doc_id
from dispatch_corpus.settings import DEFAULT_MAX_BYTES

METADATA_FILE = "metadata.jsonl"
DISPATCH_SUFFIX = ".txt"
MAX_METADATA_LINE_CHARS = 64 * 1024
"""Longest sidecar line read; longer lines are skipped unread. Real lines hold a few
hundred characters (the longest of the shared corpus: 1,243 bytes), so 64 Ki leaves room
for long titles and ignored keys while a line never costs more than a few hundred KB."""
MAX_SIDECAR_BYTES = 1024**3
"""Largest sidecar read (it is streamed line by line, so this bounds time, not memory):
1 GiB is a million lines of 1 KiB, far more than any collection's metadata."""
MAX_NOTES_PER_SIDECAR = 100
"""Problems listed per sidecar; the rest are counted in one closing note."""
_MAX_KEYS_LISTED = 50
"""Unknown keys named per sidecar (the set stays small whatever the sidecar holds)."""
_WITHOUT = ", its documents are built without metadata"
_READ_CHUNK = 1 << 20
# Never follow a final symlink, never wait on a FIFO, never take a terminal as the
# controlling one; the mode is checked with fstat once the file is open.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
# The folders on the way to a file: one swapped for a symlink after the scan fails (ELOOP).
_DIR_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_DIRECTORY", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_Identity = tuple[int, int]


class CorpusError(CannotRunError):
    """The corpus cannot be read at all (missing folder, not a folder, no dispatch)."""


class NotARegularFileError(OSError):
    """An opened path is a folder, FIFO, socket or device rather than a regular file."""


@dataclass(frozen=True)
class InputFile:
    """One accepted input path, before its bytes are read.

    ``relative`` is the file to open below ``root`` (the resolved corpus folder): the entry
    itself, or for a symlink the target it resolved to when the corpus was scanned.
    """

    root: Path
    relative: tuple[str, ...]
    source_path: str
    collection: str
    doc_id: str
    size: int

    @property
    def path(self) -> Path:
        """The file to open."""
        return self.root.joinpath(*self.relative)


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


@dataclass(frozen=True)
class _Found:
    """A dispatch entry that passed the per-entry checks, with the identity of its file."""

    item: InputFile
    identity: _Identity
    via_symlink: bool


@dataclass
class _Walk:
    """What the walk gathers before aliases and repeated ids are settled."""

    root: Path
    scan: CorpusScan = field(default_factory=CorpusScan)
    found: list[_Found] = field(default_factory=list)
    real_files: dict[_Identity, str] = field(default_factory=dict)
    """Each regular dispatch file reached without a symlink, by (device, inode): the
    source path of its first entry."""


def scan_corpus(root: Path) -> CorpusScan:
    """List the dispatches of ``<root>/<collection>/<doc_id>.txt`` and read the sidecars.

    A collection is a folder directly under ``root``. A symlinked collection folder is never
    listed: it is one refused entry, ``symlink_outside`` when it leads outside the corpus
    or loops, ``alias`` when it leads to a folder inside (another collection, the root, a
    subfolder). A collection that cannot be listed is one ``unreadable`` entry. Folders
    inside a collection are not read (a note names them).

    A dispatch entry is refused (quarantined without being opened) when its name is not a
    valid id, when it is not a regular file, when it is a symlink leading outside the
    corpus, when it is a symlink to another dispatch file of the corpus (``alias``: the
    file is read under its real name only), or when its id repeats an earlier one (by
    sorted path). A symlink inside the corpus to a file that is not itself a dispatch is
    read as a dispatch of its own.

    Args:
        root: The corpus folder.

    Returns:
        The scan, with inputs sorted by ``(doc_id, source_path)``.

    Raises:
        CorpusError: When ``root`` is not a readable folder or holds no dispatch entry.
    """
    if not root.is_dir():
        raise CorpusError(f"corpus folder not found: {root}")
    try:
        # Symlink targets are compared with the resolved root: the corpus may itself be
        # given through a link.
        walk = _Walk(root.resolve(strict=True))
        top = _sorted_entries(root)
    except (OSError, RuntimeError) as error:
        raise CorpusError(f"cannot read corpus folder {root}: {_reason(error)}") from error
    for entry in top:
        if _top_level_entry(entry, walk):
            _scan_collection(entry, walk)
    scan = walk.scan
    seen: set[str] = set()
    # Aliases are settled first, so a link that sorts before its file never takes its id.
    for item in _one_name_per_file(walk):
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
    if scan.n_inputs == 0:
        raise CorpusError(f"no dispatches found in {root}")
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

    The file is opened without following a final symlink and without blocking, and read
    only when it is a regular file: it may have changed since the scan.

    Args:
        item: The input to read.
        metadata: Its metadata entry, if any.
        max_bytes: Inputs larger than this are quarantined as ``too_large``.

    Returns:
        The raw dispatch, or a quarantine row when it is too large, no longer a regular
        file, or unreadable.
    """
    try:
        raw = _read_bounded(item.root, item.relative, max_bytes)
    except NotARegularFileError:
        return _refused(
            item.source_path,
            item.doc_id,
            QuarantineReason.NOT_A_FILE,
            "no longer a regular file when read: not read",
        )
    except OSError as error:
        message = (
            "replaced by a symlink after the scan: not followed"
            if error.errno == errno.ELOOP
            else f"cannot read: {_reason(error)}"
        )
        return _refused(item.source_path, item.doc_id, QuarantineReason.UNREADABLE, message)
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


def open_regular(root: Path, relative: Sequence[str]) -> tuple[BinaryIO, int]:
    """Open the regular file ``root/relative`` for reading, never through a symlink below root.

    Each folder below ``root`` is opened from its parent without following a symlink, then
    the file without following one or blocking (a FIFO does not wait for a writer).

    Args:
        root: The folder the path starts from (opened by its name).
        relative: The names leading from ``root`` to the file.

    Returns:
        The open binary file and its size when opened.

    Raises:
        NotARegularFileError: When the path is a folder, FIFO, socket or device.
        OSError: When it cannot be opened (``ELOOP``: a symlink on the way).
    """
    if not relative:
        raise NotARegularFileError(errno.EISDIR, "a folder")
    if os.open in os.supports_dir_fd:
        fd = _open_beneath(root, relative)
    else:
        # Without dir_fd support (Windows), one open by path: the folders on the way to
        # the file are not checked for links.
        fd = os.open(root.joinpath(*relative), _OPEN_FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFileError(errno.EINVAL, "not a regular file")
        return open(fd, "rb", closefd=True), info.st_size
    except BaseException:
        os.close(fd)
        raise


def _open_beneath(root: Path, relative: Sequence[str]) -> int:
    # The root is opened following links (the corpus may be given through one); every
    # name below it is not.
    folder = os.open(
        root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        for name in relative[:-1]:
            inner = os.open(name, _DIR_FLAGS, dir_fd=folder)
            os.close(folder)
            folder = inner
        return os.open(relative[-1], _OPEN_FLAGS, dir_fd=folder)
    finally:
        os.close(folder)


def _top_level_entry(entry: os.DirEntry[str], walk: _Walk) -> bool:
    """Sort one entry of the corpus root; return True when it is a collection to list."""
    name = _printable(entry.name)
    via_symlink = _is_symlink(entry)
    if via_symlink:
        target = _real_path(entry.path)
        if target is None:
            walk.scan.refused.append(
                _refused(
                    name,
                    None,
                    QuarantineReason.SYMLINK_OUTSIDE,
                    "symlink loop or unresolvable path: not followed",
                )
            )
            return False
        # Never listed, even inside the corpus: its files would be filed under the link's
        # name, and their real entries could be refused as duplicate ids.
        if target.is_dir():
            walk.scan.refused.append(_symlinked_collection(name, target, walk.root))
            return False
    elif _is_dir(entry):
        return True
    if entry.name.endswith(DISPATCH_SUFFIX):
        # Refused, but remembered: a link to it from a collection is an alias, not a way in.
        if not via_symlink:
            _remember_real_file(entry, name, walk)
        walk.scan.refused.append(
            _refused(
                name, None, QuarantineReason.NO_COLLECTION, "dispatch outside any collection folder"
            )
        )
    return False


def _symlinked_collection(name: str, target: Path, root: Path) -> QuarantineRecord:
    """Refuse a collection folder that is a symlink, naming its target only inside the corpus."""
    if not target.is_relative_to(root):
        return _refused(
            name,
            None,
            QuarantineReason.SYMLINK_OUTSIDE,
            "collection folder leads outside the corpus (symlink): not listed",
        )
    inside = target.relative_to(root)
    where = "the corpus root" if inside == Path() else repr(_shown(str(inside)))
    return _refused(
        name,
        None,
        QuarantineReason.ALIAS,
        f"collection folder is a symlink to {where}: not listed, files are read under "
        "their real folder only",
    )


def _remember_real_file(entry: os.DirEntry[str], source_path: str, walk: _Walk) -> None:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return
    if stat.S_ISREG(info.st_mode):
        walk.real_files.setdefault((info.st_dev, info.st_ino), source_path)


def _scan_collection(folder: os.DirEntry[str], walk: _Walk) -> None:
    """List one real collection folder: its dispatch entries, subfolders and sidecar."""
    collection = _printable(folder.name)
    try:
        entries = _sorted_entries(Path(folder.path))
    except OSError as error:
        walk.scan.refused.append(
            _refused(
                collection,
                None,
                QuarantineReason.UNREADABLE,
                f"cannot list the collection folder: {_reason(error)}",
            )
        )
        return
    valid_collection = is_doc_id(folder.name)
    names: set[str] = set()
    sidecar = None
    for entry in entries:
        if entry.name == METADATA_FILE:
            sidecar = entry
        elif entry.name.endswith(DISPATCH_SUFFIX):
            outcome = _dispatch_entry(entry, folder.name, valid_collection, walk)
            if isinstance(outcome, QuarantineRecord):
                walk.scan.refused.append(outcome)
            else:
                walk.found.append(outcome)
                names.add(outcome.item.doc_id)
        elif _is_dir(entry):
            walk.scan.notes.append(
                f"{_shown(collection)}/{_shown(entry.name)}: folder inside a collection, not "
                f"read (dispatches are <collection>/<doc_id>{DISPATCH_SUFFIX})"
            )
    # Read after the listing, wherever the sidecar sorts in it: each line is matched against
    # every dispatch entry of the folder.
    if sidecar is not None:
        _read_sidecar(sidecar, folder.name, names, walk)


def _dispatch_entry(
    entry: os.DirEntry[str], folder: str, valid_collection: bool, walk: _Walk
) -> _Found | QuarantineRecord:
    """Check one ``*.txt`` entry of a collection folder: an input to read, or why not.

    An entry that is not a symlink lies where its folder lies (inside the corpus), so only
    symlinks are resolved.
    """
    collection = _printable(folder)
    source_path = f"{collection}/{_printable(entry.name)}"
    doc_id = entry.name[: -len(DISPATCH_SUFFIX)]

    def refuse(reason: QuarantineReason, message: str) -> QuarantineRecord:
        return _refused(source_path, _printable(doc_id), reason, message)

    via_symlink = _is_symlink(entry)
    relative: tuple[str, ...] = (folder, entry.name)
    if via_symlink:
        target = _real_path(entry.path)
        if target is None:
            return refuse(QuarantineReason.SYMLINK_OUTSIDE, "symlink loop or unresolvable path")
        if not target.is_relative_to(walk.root):
            return refuse(
                QuarantineReason.SYMLINK_OUTSIDE, "path leads outside the corpus (symlink)"
            )
        relative = target.relative_to(walk.root).parts
    try:
        info = (
            os.stat(walk.root.joinpath(*relative), follow_symlinks=False)
            if via_symlink
            else entry.stat(follow_symlinks=False)
        )
    except FileNotFoundError:
        return refuse(QuarantineReason.NOT_A_FILE, "not a regular file (dangling symlink)")
    except OSError as error:
        return refuse(QuarantineReason.UNREADABLE, f"cannot read: {_reason(error)}")
    if not stat.S_ISREG(info.st_mode):
        return refuse(QuarantineReason.NOT_A_FILE, "not a regular file")
    identity = (info.st_dev, info.st_ino)
    # Recorded before the id checks: a link to a refused dispatch is an alias, never a way
    # to admit it under another name.
    if not via_symlink:
        walk.real_files.setdefault(identity, source_path)
    if not valid_collection:
        return refuse(QuarantineReason.INVALID_ID, "collection folder name is not a valid id")
    if not is_doc_id(doc_id):
        return refuse(
            QuarantineReason.INVALID_ID, f"file name {_printable(doc_id)!r} is not a valid doc_id"
        )
    item = InputFile(walk.root, relative, source_path, collection, doc_id, info.st_size)
    return _Found(item, identity, via_symlink)


def _one_name_per_file(walk: _Walk) -> list[InputFile]:
    """Keep one entry per file, sorted by ``(doc_id, source_path)``; refuse symlink aliases.

    A symlink to a dispatch file that has an entry of its own is refused as ``alias``; of
    several symlinks to one file that has none, the first is kept. Hard links cannot be told
    from copies: each is read (and ``duplicate_text`` keeps the first).
    """
    kept_links: dict[_Identity, str] = {}
    kept: list[InputFile] = []
    # The order of the inputs is the order of the documents table: by doc_id, its key. A
    # symlink's real file may come later in the walk, hence this pass after it.
    for found in sorted(walk.found, key=lambda f: (f.item.doc_id, f.item.source_path)):
        item = found.item
        if found.via_symlink:
            real = walk.real_files.get(found.identity) or kept_links.get(found.identity)
            if real is not None:
                walk.scan.refused.append(
                    _refused(
                        item.source_path,
                        item.doc_id,
                        QuarantineReason.ALIAS,
                        f"symlink to the dispatch file {real!r}: read under that name only",
                    )
                )
                continue
            kept_links[found.identity] = item.source_path
        kept.append(item)
    return kept


def _read_sidecar(entry: os.DirEntry[str], folder: str, names: set[str], walk: _Walk) -> None:
    """Read a collection's ``metadata.jsonl`` into the scan, noting every problem."""
    collection = _printable(folder)
    notes = _SidecarNotes(f"{_shown(collection)}/{METADATA_FILE}", walk.scan.notes)
    relative: tuple[str, ...] = (folder, entry.name)
    if _is_symlink(entry):
        target = _real_path(entry.path)
        if target is None or not target.is_relative_to(walk.root):
            notes.file(f"leads outside the corpus (symlink) or loops: not read{_WITHOUT}")
            return
        relative = target.relative_to(walk.root).parts
    try:
        # A FIFO or device is never opened; one swapped in after this stat is refused by
        # open_regular without blocking.
        if not stat.S_ISREG(os.stat(walk.root.joinpath(*relative), follow_symlinks=False).st_mode):
            raise NotARegularFileError(errno.EINVAL, "not a regular file")
        handle, size = open_regular(walk.root, relative)
    except NotARegularFileError:
        notes.file(f"not a regular file: not read{_WITHOUT}")
        return
    except OSError as error:
        notes.file(f"cannot read ({_reason(error)}): not read{_WITHOUT}")
        return
    with handle:
        if size > MAX_SIDECAR_BYTES:
            notes.file(f"larger than {MAX_SIDECAR_BYTES} bytes: not read{_WITHOUT}")
            return
        _attach_metadata(_sidecar_lines(handle, size, notes), collection, names, walk.scan, notes)
    notes.close()


def _sidecar_lines(handle: BinaryIO, size: int, notes: _SidecarNotes) -> Iterator[tuple[int, str]]:
    """Yield the non-blank lines of a sidecar with their numbers (universal line ends).

    A line longer than ``MAX_METADATA_LINE_CHARS`` is skipped in bounded pieces, never held
    whole in memory; reading stops at the ``size`` the file had when opened.
    """
    # surrogateescape: bytes that are not UTF-8 spoil their line only (parse_line names
    # them), not the rest of the sidecar.
    text = io.TextIOWrapper(handle, encoding="utf-8", errors="surrogateescape", newline=None)
    number = 0
    while line := text.readline(MAX_METADATA_LINE_CHARS + 1):
        number += 1
        if len(line) > MAX_METADATA_LINE_CHARS and not line.endswith("\n"):
            while line and not line.endswith("\n") and handle.tell() <= size:
                line = text.readline(MAX_METADATA_LINE_CHARS)
            notes.line(number, f"longer than {MAX_METADATA_LINE_CHARS} characters: skipped")
        elif line.strip():
            # A byte order mark can only open the file.
            yield number, line.removeprefix("\ufeff") if number == 1 else line
        # The size limit was checked at open: a file still growing is not followed further.
        if handle.tell() > size:
            notes.file(f"grew while read: not read after line {number}")
            return


def _attach_metadata(
    lines: Iterator[tuple[int, str]],
    collection: str,
    names: set[str],
    scan: CorpusScan,
    notes: _SidecarNotes,
) -> None:
    """Attach each usable line's metadata to its dispatch; the first line for an id wins."""
    first_line: dict[str, int] = {}
    ignored: set[str] = set()
    more_ignored = False
    for number, line in lines:
        try:
            # Undecodable bytes come back as they were: parse_line reports the first one.
            entry = parse_line(line.encode("utf-8", "surrogateescape"))
            doc_id = _entry_id(entry)
        except MetadataLineError as error:
            notes.line(number, f"{error}, skipped")
            continue
        if doc_id not in names:
            notes.line(number, f"metadata for missing file {doc_id!r}")
            continue
        if doc_id in first_line:
            notes.line(
                number,
                f"second entry for {doc_id!r} (first on line {first_line[doc_id]}): skipped, "
                f"line {first_line[doc_id]} kept",
            )
            continue
        first_line[doc_id] = number
        metadata = parse_metadata(entry)
        for problem in metadata.problems:
            notes.line(number, problem)
        for key in metadata.ignored_keys:
            if len(ignored) < _MAX_KEYS_LISTED:
                ignored.add(key)
            elif key not in ignored:
                more_ignored = True
        scan.metadata[(collection, doc_id)] = metadata
    if ignored:
        listed = ", ".join(_shown(key) for key in sorted(ignored))
        more = " and others" if more_ignored else ""
        scan.notes.append(f"{notes.where}: ignored unknown keys: {listed}{more}")


@dataclass
class _SidecarNotes:
    """Notes about one sidecar, at most ``MAX_NOTES_PER_SIDECAR`` of them listed."""

    where: str
    notes: list[str]
    count: int = 0

    def file(self, message: str) -> None:
        self.notes.append(f"{self.where}: {message}")

    def line(self, number: int, message: str) -> None:
        self.count += 1
        if self.count <= MAX_NOTES_PER_SIDECAR:
            self.notes.append(f"{self.where}:{number}: {message}")

    def close(self) -> None:
        if self.count > MAX_NOTES_PER_SIDECAR:
            hidden = self.count - MAX_NOTES_PER_SIDECAR
            self.notes.append(f"{self.where}: {hidden} more line problems not listed")


def named_ids(entry: Mapping[str, object]) -> tuple[str | None, str | None]:
    """Return the doc_ids a metadata entry names by ``id`` and by ``file`` (None: not named).

    Args:
        entry: One parsed line of a collection's ``metadata.jsonl``.

    Returns:
        The ``id`` when it is a non-empty string, and the ``file`` without its ``.txt``.
    """
    raw_id, raw_file = entry.get("id"), entry.get("file")
    by_id = raw_id if isinstance(raw_id, str) and raw_id else None
    by_file = (
        raw_file[: -len(DISPATCH_SUFFIX)]
        if isinstance(raw_file, str) and raw_file.endswith(DISPATCH_SUFFIX)
        else None
    )
    return by_id, by_file


def _entry_id(entry: dict[str, object]) -> str:
    """Return the doc_id a metadata entry names by ``id`` or ``file`` (they must agree)."""
    by_id, by_file = named_ids(entry)
    raw_file = entry.get("file")
    if by_id is not None and by_file is not None and by_id != by_file:
        raise MetadataLineError(f"'id' {by_id!r} and 'file' {raw_file!r} name different files")
    doc_id = by_id or by_file
    if doc_id is None:
        raise MetadataLineError("no 'id' or 'file'")
    return doc_id


def _sorted_entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda e: e.name)


def _real_path(path: str) -> Path | None:
    """Resolve every symlink of a path; None for a loop or an unresolvable path."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return None


def _is_symlink(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _printable(name: str) -> str:
    """Return a file name as valid UTF-8 text (undecodable bytes replaced)."""
    # Names end up in Parquet strings and JSON lines, which hold valid UTF-8 only.
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _shown(text: str) -> str:
    """Return a name fit for one console line: non-printable characters escaped."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _reason(error: BaseException) -> str:
    return (error.strerror if isinstance(error, OSError) else None) or str(error)


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


def _read_bounded(root: Path, relative: Sequence[str], max_bytes: int) -> bytes | None:
    handle, size = open_regular(root, relative)
    with handle:
        if size > max_bytes:
            return None
        # The size may have grown since fstat: the bytes read are counted too.
        chunks: list[bytes] = []
        total = 0
        while chunk := handle.read(_READ_CHUNK):
            total += len(chunk)
            if total > max_bytes:
                return None
            chunks.append(chunk)
    return b"".join(chunks)
