"""Atomic folder publication: write a temporary sibling, then swap it into place (I/O)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_STAGING_MARK = ".tmp-"
_RETIRED_MARK = ".old-"


def staging_dir(target: Path) -> Path:
    """Return a fresh temporary sibling of ``target`` for this process, removing stale ones.

    Leftovers of earlier runs that were killed (their process no longer exists) are removed.

    Args:
        target: The folder that will be published.

    Returns:
        An empty, not yet created path next to ``target``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    for mark in (_STAGING_MARK, _RETIRED_MARK):
        for stale in target.parent.glob(f".{target.name}{mark}*"):
            pid = stale.name.rsplit("-", 1)[-1]
            if not pid.isdigit() or not _alive(int(pid)) or int(pid) == os.getpid():
                shutil.rmtree(stale, ignore_errors=True)
    return target.parent / f".{target.name}{_STAGING_MARK}{os.getpid()}"


def publish_dir(staging: Path, target: Path, *, replace: bool = True) -> None:
    """Move a complete ``staging`` folder to ``target`` in one step.

    An existing ``target`` is exchanged with ``staging`` atomically (Linux ``renameat2``
    with ``RENAME_EXCHANGE``) and then removed, so readers see either the old folder or the
    new one, never a mix and never nothing.

    Args:
        staging: A complete folder, sibling of ``target``.
        target: The final location.
        replace: When False, refuse to touch an existing ``target``.

    Raises:
        FileExistsError: When ``target`` exists and ``replace`` is False.
    """
    if not target.exists():
        staging.rename(target)
        return
    if not replace:
        raise FileExistsError(f"{target} already exists")
    if _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)
        return
    retired = target.parent / f".{target.name}{_RETIRED_MARK}{os.getpid()}"
    target.rename(retired)
    staging.rename(target)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
