"""Split normalized text into trimmed paragraphs and compute their offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from dispatch_corpus.core.text.normalize import ZERO_WIDTH_CHARS
from dispatch_corpus.models import PARAGRAPH_SEPARATOR

LIST_ITEM_PATTERN = r"(?:[0-9]{1,2}[.)]|[a-zA-Z][)]|[-–•*·▪●])[ \t\u00a0]"
"""A line that starts with this (after indentation) is a list item."""
SINGLE_BLOCK_MIN_CHARS = 2000
"""A paragraph at least this long, holding most of its document, makes it ``single_block``."""
SINGLE_BLOCK_MIN_SHARE = 0.8
"""The share of the document's characters that long paragraph holds, "most of it": the text lost
its line structure upstream, whereas a long paragraph among others is just a long paragraph."""

# U+3000 (ideographic space) is the highest white-space code point.
TRIM_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
TRIM_CHARS += ZERO_WIDTH_CHARS
"""Characters trimmed around paragraphs: Unicode whitespace plus zero-width characters."""

_LIST_ITEM = re.compile(LIST_ITEM_PATTERN)
_TRIM = re.escape(TRIM_CHARS)
_TRIM_IN_LINE = re.escape(TRIM_CHARS.replace("\n", ""))
_CONTENT_LINE = re.compile(rf"[^{_TRIM}](?:[^\n]*[^{_TRIM}])?")
"""A line trimmed of whitespace and zero-width characters, when anything is left."""
_BLANK_LINE = re.compile(rf"\n[{_TRIM_IN_LINE}]*+\n")
_VISIBLE = re.compile(rf"[^{_TRIM}]")
_SOFT_WRAP = re.compile(rf"(?<![{_TRIM_IN_LINE}])[{_TRIM_IN_LINE}]*+\n[{_TRIM_IN_LINE}]*+")
"""A line end with the white space around it (it starts only where that white space does)."""


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
    return list(iter_paragraphs(text))


def iter_paragraphs(text: str) -> Iterator[str]:
    r"""Yield the paragraphs of ``split_paragraphs`` one at a time.

    Time is linear in the text and memory is that of the paragraphs taken, so a caller can
    stop after a number of paragraphs without splitting the rest.

    Args:
        text: Normalized text (``\\n`` line ends).

    Yields:
        Paragraph texts in order.
    """
    first = _CONTENT_LINE.search(text)
    if first is None:
        return
    # Line mode unless a blank line stands between two non-blank ones: found by one search
    # for a blank line and one for visible text after it, whatever the number of lines.
    blank = _BLANK_LINE.search(text, first.end())
    if blank is None or _VISIBLE.search(text, blank.end()) is None:
        for line in _CONTENT_LINE.finditer(text, first.start()):
            yield line.group()
        return
    # Blocks: a paragraph spans from the start of its first line to the end of its last,
    # its line ends (with the white space around them) replaced by one space.
    start = end = first.start()
    for line in _CONTENT_LINE.finditer(text, first.start()):
        # Two line ends between content lines: a blank line (a line of white space only is no
        # content line) ends the paragraph.
        breaks = text.count("\n", end, line.start()) > 1
        if line.start() > start and (breaks or _LIST_ITEM.match(text, line.start(), line.end())):
            yield _SOFT_WRAP.sub(" ", text[start:end])
            start = line.start()
        end = line.end()
    yield _SOFT_WRAP.sub(" ", text[start:end])


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
