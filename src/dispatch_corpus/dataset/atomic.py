"""Atomic folder publication, and the markers that prove a folder is the tool's own (I/O).

A folder is written as ``payload/`` inside a hidden staging folder beside its target, then
swapped into place in one step. The staging folder carries a marker file from the moment
it exists, so a leftover of a killed run can be proven ours and removed; a folder without
the marker is never removed, whatever its name.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

from dispatch_corpus.dataset.layout import STAGING_MARKER
from dispatch_corpus.utils.jsontext import parse_json

MARKER_AUTHOR = "dispatch-corpus"
"""The ``created_by`` value of every marker file the tool writes."""
STAGING_KIND = "staging"
MARKER_MAX_BYTES = 16 * 1024 * 1024
"""Larger files are not markers: a marker is read whole before anything is trusted."""
_STAGING_MARK = ".tmp-"
# The filled folder is a subfolder of the staging folder: the marker beside it is never
# published with it.
_PAYLOAD = "payload"
_RETIRED = "retired"
# Linux's values for renameat2 (<fcntl.h>, <linux/fs.h>): the os module has no binding.
_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2
_active: set[Path] = set()
"""Staging folders of this process that are open (never stale, whatever their pid)."""


def write_marker(path: Path, kind: str, fields: Mapping[str, Any] | None = None) -> None:
    """Write a marker file saying the folder holding it was made by dispatch-corpus.

    Args:
        path: The marker file to write.
        kind: What the folder is (``build``, ``validation-report``, ``staging``).
        fields: More content, after ``created_by`` and ``kind``.
    """
    document = {"created_by": MARKER_AUTHOR, "kind": kind, **(fields or {})}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_marker(path: Path, kind: str) -> dict[str, Any] | None:
    """Return the content of a marker file of ``kind``, or None when ``path`` is not one.

    Not a marker: a missing file, a symbolic link, a file over ``MARKER_MAX_BYTES``, a file
    that is not a JSON object, or one whose ``created_by`` or ``kind`` differ.

    Args:
        path: The file to read.
        kind: The kind of folder the marker must declare.

    Returns:
        The marker's JSON object, or None.
    """
    try:
        # A linked marker proves nothing: it may be another folder's, linked in.
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MARKER_MAX_BYTES:
            return None
        document = parse_json(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict):
        return None
    if document.get("created_by") != MARKER_AUTHOR or document.get("kind") != kind:
        return None
    return document


def is_staging_folder(path: Path) -> bool:
    """Whether ``path`` is a staging folder of the tool (a real folder with its marker)."""
    return not path.is_symlink() and read_marker(path / STAGING_MARKER, STAGING_KIND) is not None


class Staging:
    """A folder being written for ``target``: published in one step, or gone without a trace.

    Use it as a context manager. Entering removes stale staging folders of ``target`` (only
    those whose marker proves them ours and whose process has ended), makes the missing
    parents of ``target`` and a fresh staging folder; ``path`` is the empty folder to fill.
    ``publish`` swaps it into place. Leaving the block removes the staging folder whatever
    happened (published, an exception, ``KeyboardInterrupt``), and the parents it made when
    nothing was published.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.published = False
        self._folder: Path | None = None
        self._made_parents: list[Path] = []

    @property
    def path(self) -> Path:
        """The folder to fill; it becomes ``target`` when published."""
        if self._folder is None:
            raise RuntimeError("the staging folder exists only inside the with block")
        return self._folder / _PAYLOAD

    def __enter__(self) -> Staging:
        parent = self.target.parent
        # Noted before mkdir: on failure only the folders this run made are removed.
        self._made_parents = [p for p in (parent, *parent.parents) if not p.exists()]
        try:
            parent.mkdir(parents=True, exist_ok=True)
            remove_stale_staging(self.target)
            prefix = f".{self.target.name}{_STAGING_MARK}{os.getpid()}-"
            self._folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
            _active.add(self._folder)
            fields = {"target": self.target.name, "pid": os.getpid()}
            write_marker(self._folder / STAGING_MARKER, STAGING_KIND, fields)
            self.path.mkdir()
        except BaseException:
            self._clean_up()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._clean_up()

    def publish(self, *, replace: bool) -> None:
        """Move the filled folder to ``target`` in one step.

        An existing ``target`` is exchanged with the new folder atomically (Linux
        ``renameat2`` with ``RENAME_EXCHANGE``), so readers see the old folder or the new
        one, never a mix and never nothing; the old one is removed on leaving the block.

        Args:
            replace: When False, refuse to touch an existing ``target``.

        Raises:
            FileExistsError: When ``target`` exists and ``replace`` is False.
        """
        payload, target = self.path, self.target
        if not replace:
            failure = _renameat2(payload, target, _RENAME_NOREPLACE)
            if failure == errno.EEXIST or (failure and os.path.lexists(target)):
                raise FileExistsError(errno.EEXIST, f"{target} already exists")
            # No renameat2, or a file system without RENAME_NOREPLACE (EINVAL): the target
            # was just seen absent, so a plain rename.
            if failure:
                payload.rename(target)
        elif _renameat2(payload, target, _RENAME_EXCHANGE) != 0:
            # Two renames, with a moment without target. The old folder goes into the
            # staging folder, so leaving the block removes it like the rest.
            if os.path.lexists(target):
                target.rename(payload.parent / _RETIRED)
            payload.rename(target)
        self.published = True

    def _clean_up(self) -> None:
        if self._folder is not None:
            _active.discard(self._folder)
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        if not self.published:
            # Nearest first; a parent someone wrote into meanwhile is not empty and stops it.
            for folder in self._made_parents:
                try:
                    folder.rmdir()
                except OSError:
                    break


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove the staging folders of ``target`` left by runs that were killed.

    A sibling is removed only when its marker proves it is a staging folder of ``target``
    and the process that made it no longer runs; a folder that merely has a matching name is
    left alone.

    Args:
        target: The folder whose staging siblings to look at.

    Returns:
        The folders removed.
    """
    prefix = f".{target.name}{_STAGING_MARK}"
    removed = []
    try:
        siblings = [p for p in target.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    for sibling in siblings:
        if sibling in _active or sibling.is_symlink():
            continue
        marker = read_marker(sibling / STAGING_MARKER, STAGING_KIND)
        if marker is None or marker.get("target") != target.name:
            continue
        pid = marker.get("pid")
        # Our own pid on a folder this process does not hold open (not in _active) is an
        # earlier run's: pids are reused.
        if not isinstance(pid, int) or pid <= 0 or (pid != os.getpid() and _alive(pid)):
            continue
        shutil.rmtree(sibling, ignore_errors=True)
        removed.append(sibling)
    return removed


def _renameat2(source: Path, target: Path, flags: int) -> int:
    """Call Linux ``renameat2``; return 0 when done, else the errno (ENOSYS: not available)."""
    # From the C library this process already runs (glibc 2.28 and later have it).
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return errno.ENOSYS
    result = renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags)
    return 0 if result == 0 else ctypes.get_errno() or errno.EIO


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        # EPERM: it runs under another user. OverflowError: no pid kill() can test. Either
        # way the folder is kept: only a provably dead run's folder is removed.
        return True
    return True
