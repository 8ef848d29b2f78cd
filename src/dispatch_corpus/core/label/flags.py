"""Paragraph-level quality flags."""

from __future__ import annotations

from dispatch_corpus.models import ParagraphFlag


def paragraph_flags(text: str) -> list[ParagraphFlag]:
    """Return the quality flags of one trimmed paragraph.

    Args:
        text: A trimmed, non-empty paragraph.

    Returns:
        ``starts_lowercase`` when the paragraph opens with a lowercase letter (its start was
        probably lost upstream).
    """
    return [ParagraphFlag.STARTS_LOWERCASE] if text[:1].islower() else []
