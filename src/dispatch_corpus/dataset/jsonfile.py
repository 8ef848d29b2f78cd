"""Read JSON files the tool did not write itself: bounded, regular files only (I/O).

``read_json_file`` parses with ``jsontext.parse_json`` (strict JSON) after
``read_regular_file``, which bounds the size and opens only regular files: a FIFO or a
device in a file's place would block or never end.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from dispatch_corpus.errors import CannotRunError, DatasetError
from dispatch_corpus.utils.jsontext import parse_json
from dispatch_corpus.utils.numbers import count

MAX_JSON_BYTES = 512 * 1024 * 1024
"""Largest JSON file read: a manifest lists about 200 bytes per raw input."""
_READ_CHUNK = 1 << 20


def read_json_file(
    path: Path,
    *,
    error: type[CannotRunError] = DatasetError,
    max_bytes: int = MAX_JSON_BYTES,
) -> Any:
    """Read and parse one JSON file with ``parse_json``.

    Args:
        path: The file.
        error: The exception class raised on any problem (the caller's kind of input).
        max_bytes: Refuse files larger than this.

    Returns:
        The parsed value.

    Raises:
        CannotRunError: (of class ``error``) naming the file when it is missing, not a
            regular file, unreadable, too large or not strict JSON.
    """
    data = read_regular_file(path, error=error, max_bytes=max_bytes)
    try:
        return parse_json(data)
    except ValueError as problem:
        raise error(f"{path}: {problem}") from problem


def read_regular_file(
    path: Path, *, error: type[CannotRunError] = DatasetError, max_bytes: int = MAX_JSON_BYTES
) -> bytes:
    """Return the bytes of a regular file of at most ``max_bytes``.

    The file is opened without blocking and checked before it is read, so a FIFO, a
    device or a folder in its place is refused instead of hanging or reading forever.

    Raises:
        CannotRunError: (of class ``error``) naming the file.
    """
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as problem:
        raise error(f"cannot read {path}: {problem.strerror or problem}") from problem
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: not a regular file")
        if info.st_size > max_bytes:
            raise error(f"{path}: larger than {count(max_bytes)} bytes")
        chunks: list[bytes] = []
        size = 0
        # st_size is the size at the fstat: a file still growing is bounded by what is read.
        while chunk := os.read(handle, _READ_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise error(f"{path}: larger than {count(max_bytes)} bytes")
            chunks.append(chunk)
    except OSError as problem:
        raise error(f"cannot read {path}: {problem.strerror or problem}") from problem
    finally:
        os.close(handle)
    return b"".join(chunks)
