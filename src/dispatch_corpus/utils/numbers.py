"""How every count, share and duration is written, on the console and in reports.

One helper per kind of number, so that no line prints "5844" beside another's "5,844".
"""

from __future__ import annotations

import math


def count(value: int) -> str:
    """Return an integer with thousands separators: ``5,844``, ``-1,000``, ``7``."""
    return f"{value:,}"


def counted(value: int, noun: str, plural: str | None = None) -> str:
    """Return a count with its noun in the right number: ``1 unit``, ``2 units``, ``1,000 checks``.

    Args:
        value: The count.
        noun: The noun for one.
        plural: The noun for any other count, when it is not ``noun + "s"`` (``entries``).
    """
    return f"{count(value)} {noun if value == 1 else plural or noun + 's'}"


def percent(value: float, digits: int = 2) -> str:
    """Return a share in [0, 1] as a percentage, trailing zeros dropped: ``98%``, ``90.63%``.

    Args:
        value: The share (1.0 is 100%); NaN and infinities are written as Python writes them.
        digits: Decimals kept at most.
    """
    if not math.isfinite(value):
        return str(value)
    text = f"{value * 100:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def seconds(value: float) -> str:
    """Return a duration in seconds with one decimal: ``0.5 s``, ``1,234.5 s``."""
    return f"{value:,.1f} s"
