"""Read JSON the tool did not write itself: strict, bounded, and failing in one line.

Manifests, suites, gold files, quarantine reports and the features embedded in Parquet
shards may come from anywhere. ``parse_json`` accepts only what every JSON reader agrees
on, so nothing downstream meets a value it cannot print, compare or serialize again:
no ``NaN`` or ``Infinity``, no number too long to convert, no lone surrogate, no
duplicate key, no nesting deeper than ``MAX_DEPTH``. ``read_json_file`` adds a size
bound and opens only regular files (a FIFO or a device would block or never end).
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dispatch_corpus.errors import CannotRunError, DatasetError

MAX_JSON_BYTES = 512 * 1024 * 1024
"""Largest JSON file read: a manifest lists about 200 bytes per raw input."""
MAX_DEPTH = 64
"""Deepest nesting accepted; the tool's own files nest at most five levels."""
MAX_NUMBER_CHARS = 40
"""Longest number accepted: 64-bit counts and full-precision floats fit in far fewer."""
_REASON_CHARS = 200
_READ_CHUNK = 1 << 20


def parse_json(data: bytes | str) -> Any:
    """Parse one JSON text strictly.

    Args:
        data: The text, or its bytes (which must be UTF-8).

    Returns:
        The parsed value.

    Raises:
        ValueError: With a one-line reason when ``data`` is not strict JSON as described
            in the module docstring.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(f"invalid UTF-8 at byte {error.start}") from error
    else:
        text = data
    try:
        value = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
            object_pairs_hook=_unique_keys,
        )
    except RecursionError as error:
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels") from error
    except ValueError as error:
        raise ValueError(_reason(error)) from error
    _check_tree(value)
    return value


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
        raise error(f"{path}: not valid JSON ({problem})") from problem


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
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as problem:
        raise error(f"cannot read {path}: {problem.strerror or problem}") from problem
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: not a regular file")
        if info.st_size > max_bytes:
            raise error(f"{path}: larger than {max_bytes:,} bytes")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(handle, _READ_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise error(f"{path}: larger than {max_bytes:,} bytes")
            chunks.append(chunk)
    except OSError as problem:
        raise error(f"cannot read {path}: {problem.strerror or problem}") from problem
    finally:
        os.close(handle)
    return b"".join(chunks)


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 3] + "..."


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text)} characters")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text)} characters")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of the range of a float")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"duplicate key {_shown_key(key)}")
            seen.add(key)
    return result


def _check_tree(value: Any) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` and strings that are not valid Unicode."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item)
            continue
        children: Iterable[Any]
        if isinstance(item, dict):
            for key in item:
                _check_text(key)
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > MAX_DEPTH:
            raise ValueError(f"nested deeper than {MAX_DEPTH} levels")
        stack.extend((child, depth + 1) for child in children)


def _check_text(text: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        raise ValueError(f"lone surrogate \\u{code:04x} in a string") from error


def _shown_key(key: str) -> str:
    shown = repr(key)
    return shown if len(shown) <= 60 else shown[:57] + "..."
