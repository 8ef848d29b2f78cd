"""Split normalized text into trimmed paragraphs and compute their offsets."""

from __future__ import annotations

import re
from collections.abc import Sequence

from dispatch_corpus.cues import (
    LIST_ITEM_PATTERN,
    SINGLE_BLOCK_MIN_CHARS,
    SINGLE_BLOCK_MIN_SHARE,
    ZERO_WIDTH_CHARS,
)
from dispatch_corpus.models import PARAGRAPH_SEPARATOR

TRIM_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
TRIM_CHARS += ZERO_WIDTH_CHARS
"""Characters trimmed around paragraphs: Unicode whitespace plus zero-width characters."""

_LIST_ITEM = re.compile(rf"[{re.escape(TRIM_CHARS)}]*{LIST_ITEM_PATTERN}")


def split_paragraphs(text: str) -> list[str]:
    r"""Split normalized text into trimmed, non-empty paragraphs.

    With a blank line between two non-blank lines, paragraphs are the blocks between blank
    lines, a single newline inside a block is a soft wrap (joined with one space), and a
    line that starts a list item starts a new paragraph. Otherwise every non-empty line is
    a paragraph. Only whitespace is ever dropped or replaced.

    Args:
        text: Normalized text (``\\n`` line ends).

    Returns:
        Paragraph texts in order, each trimmed of whitespace and zero-width characters.
    """
    lines = [line.strip(TRIM_CHARS) for line in text.split("\n")]
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        return []
    last = max(i for i, line in enumerate(lines) if line)
    inner = lines[first : last + 1]
    if all(inner):
        return inner
    paragraphs: list[str] = []
    block: list[str] = []
    for line in inner:
        if not line or _LIST_ITEM.match(line):
            if block:
                paragraphs.append(" ".join(block))
            block = [line] if line else []
        else:
            block.append(line)
    if block:
        paragraphs.append(" ".join(block))
    return paragraphs


def join_paragraphs(paragraphs: Sequence[str]) -> str:
    """Return the canonical text: paragraphs joined by a blank line."""
    return PARAGRAPH_SEPARATOR.join(paragraphs)


def paragraph_spans(paragraphs: Sequence[str]) -> list[tuple[int, int]]:
    """Return the ``(char_start, char_end)`` of each paragraph in the canonical text."""
    spans: list[tuple[int, int]] = []
    start = 0
    for paragraph in paragraphs:
        end = start + len(paragraph)
        spans.append((start, end))
        start = end + len(PARAGRAPH_SEPARATOR)
    return spans


def is_single_block(paragraphs: Sequence[str]) -> bool:
    """Return whether one very long paragraph holds most of the text (no line structure)."""
    if not paragraphs:
        return False
    longest = max(len(p) for p in paragraphs)
    total = sum(len(p) for p in paragraphs)
    return longest >= SINGLE_BLOCK_MIN_CHARS and longest >= SINGLE_BLOCK_MIN_SHARE * total
