"""Parse JSON the tool did not write itself: strict, bounded, failing in one line (pure).

Metadata lines, manifests, suites, gold files, quarantine reports, croissant.json and the
features embedded in Parquet shards may come from anywhere. ``parse_json`` accepts only what
every JSON reader agrees on, so nothing downstream meets a value it cannot print, compare or
serialize again: strict UTF-8, no ``NaN`` or ``Infinity``, no number too long to convert, no
lone surrogate, no key twice in one object, no nesting deeper than ``MAX_DEPTH``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from typing import Any

from dispatch_corpus.errors import MalformedInputError

MAX_DEPTH = 64
"""Deepest nesting accepted. The tool's own files nest at most five levels; checking the
depth before parsing keeps the parser's recursion far below the stack, whatever
``sys.getrecursionlimit`` says."""
MAX_NUMBER_CHARS = 100
"""Longest number accepted: 64-bit counts and full-precision floats need far fewer, and the
limit stays below Python's int conversion limit (4,300 digits) whatever it is set to."""
_REASON_CHARS = 200
# Strings (skipped whole: brackets in them do not count) and the brackets that nest. An
# unterminated string runs to the end and nothing is given back: one pass, linear time.
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*+"?|[\[\]{}]')
# Only a \u escape can put a lone surrogate into a parsed string: look for one before walking.
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def parse_json(data: bytes | str) -> Any:
    """Parse one JSON text strictly.

    Args:
        data: The text, or its bytes (which must be UTF-8).

    Returns:
        The parsed value.

    Raises:
        ValueError: With a one-line reason when ``data`` is not strict JSON as described in
            the module docstring.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            where = f"byte 0x{data[error.start]:02x} at offset {error.start}"
            raise MalformedInputError(f"not valid UTF-8 ({where})") from None
    else:
        text = data
    if _too_deep(text):
        raise MalformedInputError(f"nested too deeply (over {MAX_DEPTH} levels)")
    try:
        value = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_parse_int,
            parse_float=_parse_float,
            object_pairs_hook=_unique_keys,
        )
    except RecursionError:
        raise MalformedInputError("nested too deeply") from None
    except _RefusedValueError as error:
        raise MalformedInputError(str(error)) from None
    except ValueError as error:
        raise MalformedInputError(f"malformed JSON ({_reason(error)})") from None
    if _ESCAPED_SURROGATE.search(text) is not None:
        _refuse_surrogates(value)
    return value


class _RefusedValueError(ValueError):
    """Raised by the parser's hooks: valid JSON syntax that this reader refuses."""


def _too_deep(text: str) -> bool:
    # Fewer brackets in all than the limit cannot nest deeper: no scan (the common case).
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False
    depth = 0
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif token in "]}":
            depth -= 1
    return False


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 3] + "..."


def _refuse_constant(name: str) -> Any:
    raise _RefusedValueError(f"{name} is not a JSON number")


def _check_number(text: str) -> None:
    if len(text) > MAX_NUMBER_CHARS:
        size = f"{len(text)} characters (more than {MAX_NUMBER_CHARS})"
        raise _RefusedValueError(f"a number of {size}")


def _parse_int(text: str) -> int:
    _check_number(text)
    return int(text)


def _parse_float(text: str) -> float:
    _check_number(text)
    value = float(text)
    if not math.isfinite(value):
        raise _RefusedValueError(f"{text} is out of the range of a float")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        repeated: list[str] = []
        for key, _ in pairs:
            if key in seen and key not in repeated:
                repeated.append(key)
            seen.add(key)
        shown = ", ".join(_shown_key(key) for key in repeated[:5])
        raise _RefusedValueError(f"key {shown} given twice")
    return result


def _refuse_surrogates(value: Any) -> None:
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        children: Iterable[Any]
        if isinstance(item, str):
            _check_text(item)
            continue
        if isinstance(item, dict):
            for key in item:
                _check_text(key)
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        stack.extend(children)


def _check_text(text: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        raise MalformedInputError(f"lone surrogate \\u{code:04x} in a string") from None


def _shown_key(key: str) -> str:
    shown = repr(key)
    return shown if len(shown) <= 60 else shown[:57] + "..."
