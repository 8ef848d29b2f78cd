"""Recheck a release folder against its MANIFEST.json: every file's sha256, size and rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from dispatch_corpus.errors import DatasetError
from dispatch_corpus.release.folder import count_rows
from dispatch_corpus.release.manifest import MANIFEST_FILE, file_sha256, read_manifest
from dispatch_corpus.values import printable, shown


@dataclass(frozen=True)
class Verification:
    """Outcome of verifying one release folder."""

    release_dir: Path
    version: str
    files: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether every file matched the manifest and no file was added."""
        return not self.problems


def verify_release(release_dir: Path, expected_version: str | None = None) -> Verification:
    """Recheck every file listed in a release's manifest, and look for unlisted files.

    Args:
        release_dir: A release folder holding ``MANIFEST.json``.
        expected_version: The version the manifest must name (default: the folder name).

    Returns:
        The verification, with one line per problem found.

    Raises:
        DatasetError: When the folder has no readable manifest.
    """
    manifest = read_manifest(release_dir)
    version = str(manifest.get("version", ""))
    problems: list[str] = []
    expected = release_dir.name if expected_version is None else expected_version
    if version != expected:
        problems.append(f"{MANIFEST_FILE}: version {version!r}, expected {expected!r}")
    listed: set[str] = set()
    for entry in manifest["files"]:
        problem = _check_entry(release_dir, entry)
        if isinstance(entry, dict):
            listed.add(str(entry.get("path")))
        if problem is not None:
            problems.append(problem)
    for path in sorted(release_dir.rglob("*")):
        relative = path.relative_to(release_dir).as_posix()
        if path.is_file() and relative != MANIFEST_FILE and relative not in listed:
            problems.append(f"{printable(relative)}: not in {MANIFEST_FILE}")
    return Verification(release_dir, version, len(manifest["files"]), tuple(problems))


def _check_entry(root: Path, entry: Any) -> str | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        return f"{MANIFEST_FILE}: malformed file entry {shown(entry)}"
    relative = PurePosixPath(entry["path"])
    name = printable(str(relative))
    if relative.is_absolute() or ".." in relative.parts or "\0" in entry["path"]:
        return f"{name}: path leaves the release folder"
    path = root / relative
    try:
        if not path.is_file():
            return f"{name}: missing"
        size = path.stat().st_size
        if size != entry.get("bytes"):
            return f"{name}: {size} bytes, manifest says {shown(entry.get('bytes'))}"
        digest = file_sha256(path)
        if digest != entry.get("sha256"):
            return f"{name}: sha256 {digest} does not match the manifest"
        if path.suffix == ".parquet" and (rows := count_rows(path)) != entry.get("rows"):
            return f"{name}: {rows} rows, manifest says {shown(entry.get('rows'))}"
    except DatasetError as error:
        return str(error).replace(str(path), name, 1)
    except OSError as error:
        return f"{name}: cannot read ({error.strerror or error})"
    return None
