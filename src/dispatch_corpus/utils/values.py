"""Bounded, printable views of values found in input files, for reports and messages.

A value read from a hostile file can be huge, hold control characters or lone surrogates
(which cannot be written as UTF-8), or be of any type. These views keep a report or a
console line readable and writable whatever the value.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

SHOWN_CHARS = 120
"""Longest text of a value quoted in a finding."""
_INT64 = 2**63


def shown(value: object, width: int = SHOWN_CHARS) -> Any:
    """Return a bounded, JSON-ready view of a value, for a report.

    Numbers, booleans and None stay themselves; strings are clipped (and any lone
    surrogate escaped, so the report can be written as UTF-8); dates are ISO text;
    anything else is its clipped ``repr``.
    """
    if value is None or isinstance(value, bool):
        return value
    # Beyond int64 (no column stores one) an integer is clipped text like any long value:
    # a Python int has no length bound.
    if isinstance(value, int) and -_INT64 <= value < _INT64:
        return value
    # NaN and the infinities are not JSON: they fall through to their repr.
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, date):
        return value.isoformat()
    text = value if isinstance(value, str) else repr(value)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= width else text[: width - 3] + "..."


def quoted(value: object, width: int = 60) -> str:
    """Return the clipped ``repr`` of a value, for a one-line sample."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def printable(text: str) -> str:
    """Return ``text`` fit for one line of output: undecodable bytes and controls escaped.

    A byte of a file name that is not UTF-8 (a surrogate escape) shows as a hex escape.
    """
    # surrogateescape undoes only the escapes of undecodable bytes (U+DC80 to U+DCFF); any
    # other lone surrogate is escaped as text instead.
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = text.encode("utf-8", "backslashreplace")
    escaped = raw.decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in escaped)


def shown_pair(expected: object, actual: object, width: int = SHOWN_CHARS) -> tuple[Any, Any]:
    """Return ``shown`` views of two values, two strings cut around their first difference.

    Clipping both strings at the start would hide a difference near their end: both are
    shown from a little before the first character where they differ.
    """
    if not isinstance(expected, str) or not isinstance(actual, str):
        return shown(expected, width), shown(actual, width)
    if len(expected) <= width and len(actual) <= width:
        return shown(expected, width), shown(actual, width)
    first = next(
        (i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b),
        min(len(expected), len(actual)),
    )
    start = max(0, first - width // 3)
    prefix = f"[from character {start}] " if start else ""
    return (
        prefix + shown(expected[start:], width),
        prefix + shown(actual[start:], width),
    )
