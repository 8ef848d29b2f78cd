"""``BUILD.json``: the marker of a build folder and the record of the files the build wrote (I/O).

Every build writes ``BUILD.json`` at its root. It proves the folder is a build of
dispatch-corpus (so a later build may replace it) and lists the sha256, size and Parquet
rows of every file the build wrote: the shards under ``data/``, the card ``README.md`` and
``reports/quarantine.jsonl``. ``release`` compares the folder with it, so a build whose files
changed after the build is never released. It is named like a release's ``MANIFEST.json``
(an upper-case record at the root, beside the card) so a reader sees at once what the folder
is; ``datasets`` ignores it (the card's ``configs`` name the data files).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow.parquet as pq

from dispatch_corpus.dataset.atomic import read_marker, write_marker
from dispatch_corpus.dataset.layout import BUILD_RECORD, CARD_FILE, DATA_DIR, QUARANTINE_REPORT

BUILD_KIND = "build"
RECORD_FORMAT = 1
"""Version of the record's layout, raised when its meaning changes."""
PACKAGE = "dispatch-corpus"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class RecordedFile:
    """One file a build wrote: path relative to the build root, sha256, size, Parquet rows."""

    path: str
    sha256: str
    bytes: int
    rows: int | None


@dataclass(frozen=True)
class BuildRecord:
    """The content of a build's ``BUILD.json``."""

    corpus: Path | None
    files: dict[str, RecordedFile]
    settings: dict[str, Any]
    """The build settings that decide its output (``BuildSettings.recorded``)."""


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def package_version() -> str:
    """Return the installed version of dispatch-corpus (``unknown`` when not installed)."""
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def recorded_paths(root: Path) -> list[str]:
    """Return the files of a build that its record covers, relative and sorted.

    Every file under ``data/`` (so an added shard is seen; a linked folder counts as a
    file, it is not followed), the card and the quarantine report.
    """
    paths = [CARD_FILE, QUARANTINE_REPORT]
    for folder, subfolders, names in os.walk(root / DATA_DIR):
        # os.walk does not descend into a linked folder: name it, so one planted is seen.
        links = [name for name in subfolders if (Path(folder) / name).is_symlink()]
        paths += [(Path(folder) / name).relative_to(root).as_posix() for name in names + links]
    return sorted(paths)


def write_build_record(root: Path, corpus: Path, settings: dict[str, Any]) -> None:
    """Write ``BUILD.json`` describing the files of the build folder ``root``.

    Args:
        root: The build folder, complete but for its record.
        corpus: The corpus folder it was built from (recorded as an absolute path).
        settings: The build settings that decide its output.
    """
    files = []
    for relative in recorded_paths(root):
        path = root / relative
        rows = pq.ParquetFile(path).metadata.num_rows if path.suffix == ".parquet" else None
        files.append(RecordedFile(relative, file_sha256(path), path.stat().st_size, rows))
    fields = {
        "format": RECORD_FORMAT,
        "tool": {PACKAGE: package_version()},
        # Absolute: release reads it from any working folder to keep releases out of the corpus.
        "corpus": str(corpus.resolve()),
        "settings": settings,
        "files": [asdict(entry) for entry in files],
    }
    write_marker(root / BUILD_RECORD, BUILD_KIND, fields)


def read_build_record(root: Path) -> BuildRecord | None:
    """Return the record of the build folder ``root``, or None when it is not a build.

    Not a build: no ``BUILD.json``, or one that is not a dispatch-corpus build record
    (another tool's file, malformed JSON, a file entry that is not a relative path with a
    sha256 and a size).
    """
    marker = read_marker(root / BUILD_RECORD, BUILD_KIND)
    if marker is None or not isinstance(marker.get("files"), list):
        return None
    files: dict[str, RecordedFile] = {}
    for entry in marker["files"]:
        recorded = _recorded_file(entry)
        if recorded is None:
            return None
        files[recorded.path] = recorded
    corpus = marker.get("corpus")
    settings = marker.get("settings")
    return BuildRecord(
        Path(corpus) if isinstance(corpus, str) else None,
        files,
        settings if isinstance(settings, dict) else {},
    )


def build_changes(root: Path, record: BuildRecord) -> list[str]:
    """Return what changed in a build folder since its record was written.

    Args:
        root: The build folder.
        record: Its record.

    Returns:
        One phrase per changed file (``<path> rewritten``, ``removed`` or ``added``), by
        path; empty when the folder matches its record.
    """
    changes = []
    on_disk = set(recorded_paths(root))
    for relative in sorted(on_disk | set(record.files)):
        entry = record.files.get(relative)
        path = root / relative
        if entry is None:
            if path.is_file() or path.is_symlink():
                changes.append(f"{relative} added")
        elif path.is_symlink() or not path.is_file():
            # A link in a recorded file's place is not the file the build wrote.
            changes.append(f"{relative} removed")
        # The size first: a file of another size is not read at all.
        elif path.stat().st_size != entry.bytes or file_sha256(path) != entry.sha256:
            changes.append(f"{relative} rewritten")
    return changes


def _recorded_file(entry: Any) -> RecordedFile | None:
    if not isinstance(entry, dict):
        return None
    path, sha256, size, rows = (entry.get(k) for k in ("path", "sha256", "bytes", "rows"))
    # type() rather than isinstance: JSON true is a bool, and a bool is an int.
    if not isinstance(path, str) or not isinstance(sha256, str) or type(size) is not int:
        return None
    relative = PurePosixPath(path)
    # A crafted record must not make build_changes hash a file outside the build, or one
    # file under two spellings.
    if relative.is_absolute() or ".." in relative.parts or relative.as_posix() != path:
        return None
    return RecordedFile(path, sha256, size, rows if type(rows) is int else None)
