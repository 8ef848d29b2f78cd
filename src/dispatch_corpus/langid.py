"""Adapter over the offline language detector (py3langid ships its model in the wheel)."""

from __future__ import annotations

from functools import cache
from typing import Any

from dispatch_corpus.cues import LANGID_MIN_CHARS, LANGID_PREFIX_CHARS


@cache
def _identifier() -> Any:
    """Load the model once per process, restricted to languages with an ISO 639-1 code."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.nb_classes if len(code) == 2])
    return identifier


def detect_language(text: str) -> tuple[str, bool]:
    """Detect the ISO 639-1 language of a text from its first characters.

    Args:
        text: Canonical text of a document.

    Returns:
        A two-letter language code, and whether the text was long enough to trust it.
    """
    sample = text[:LANGID_PREFIX_CHARS]
    language, _probability = _identifier().classify(sample)
    return str(language), len(sample) >= LANGID_MIN_CHARS
