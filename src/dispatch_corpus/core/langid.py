"""Language detection with the model py3langid ships, scored with array operations.

py3langid walks its byte automaton one byte at a time in Python and gathers feature rows
from a column-major table. This module loads the same model (restricted to languages with an
ISO 639-1 code) and computes the same scores faster: the automaton's state after a byte
depends only on the last ``LANGID_AUTOMATON_DEPTH`` bytes (its deepest state spells that
many), so the states of all positions come from that many vectorised steps; features are
counted in order of first appearance and scored against a row-major copy of the table, so
the scores are bit-for-bit those of ``LanguageIdentifier.classify``.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

LANGID_PREFIX_CHARS = 600
"""The language detector reads at most this many characters of a document: a headline and a lead
paragraph name the language, and the cost stays bounded whatever the document's length."""
LANGID_AUTOMATON_DEPTH = 6
"""Bytes spelled by the deepest state of the detector's automaton (checked against the model)."""
LANGID_MIN_CHARS = 40
"""Below this length the detector is not trusted to contradict metadata: a line of a few words
shares its n-grams with too many languages."""
LANGID_MIN_PROBABILITY = 0.9
"""Below this probability the detector is not trusted to contradict metadata: mixed-language text
(a quotation in another language) must not flag a document whose metadata is right."""


@dataclass(frozen=True)
class LanguageModel:
    """The naive Bayes model and byte automaton of the detector, as arrays."""

    next_state: npt.NDArray[np.int32]
    row_base: npt.NDArray[np.int32]
    feature: npt.NDArray[np.int32]
    log_likelihood: npt.NDArray[np.float32]
    log_prior: npt.NDArray[np.float32]
    languages: tuple[str, ...]
    aliases: tuple[tuple[int, int], ...]

    def feature_counts(
        self, data: bytes
    ) -> tuple[npt.NDArray[np.integer[Any]], npt.NDArray[np.integer[Any]]] | None:
        """Count the model's features in ``data``, in order of first appearance.

        Args:
            data: Encoded text.

        Returns:
            Feature indices and their counts, or None when the text has none.
        """
        import numpy as np

        symbols = np.frombuffer(data, dtype=np.uint8).astype(np.int32)
        states = np.zeros(len(symbols), dtype=np.int32)
        for lag in range(min(LANGID_AUTOMATON_DEPTH, len(symbols)) - 1, -1, -1):
            tail = states[lag:]
            states[lag:] = self.next_state[self.row_base[tail] + symbols[: len(symbols) - lag]]
        found = self.feature[states]
        found = found[found >= 0]
        if not len(found):
            return None
        indices, first, counts = np.unique(found, return_index=True, return_counts=True)
        # py3langid's order: a float32 sum depends on the order of its terms, and the scores must be
        # bit-for-bit its own.
        order = np.argsort(first, kind="stable")
        return indices[order], counts[order]

    def probabilities(self, text: str) -> npt.NDArray[np.float32]:
        """Return the probability of each language for a text (py3langid's normalised scores)."""
        import numpy as np

        # As py3langid's own encoding does: an all-capitals text is lowered first.
        if text.isupper():
            text = text.lower()
        data = unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")
        visits = self.feature_counts(data)
        if visits is None:
            scores = np.zeros(len(self.languages), dtype=np.float32)
        else:
            indices, counts = visits
            weights = np.log1p(counts.astype(np.float32))
            scores = weights @ self.log_likelihood[indices] + self.log_prior
        # py3langid's temperature: scaling by the square root of the byte length keeps the
        # probabilities comparable across lengths.
        scores *= 1.0 / math.sqrt(len(data) or 1)
        np.exp(scores - scores.max(), out=scores)
        scores /= scores.sum()
        for first, duplicate in self.aliases:
            scores[first] += scores[duplicate]
            scores[duplicate] = 0.0
        return scores


@cache
def language_model() -> LanguageModel:
    """Load the shipped model once per process, restricted to ISO 639-1 languages."""
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.nb_classes if len(code) == 2])
    return LanguageModel(
        next_state=np.asarray(identifier.tk_nextmove, dtype=np.int32),
        row_base=np.asarray(identifier._rowbase, dtype=np.int32),
        feature=np.asarray(identifier.tk_output, dtype=np.int32),
        log_likelihood=np.ascontiguousarray(identifier.nb_ptc, dtype=np.float32),
        log_prior=np.asarray(identifier.nb_pc),
        languages=tuple(identifier.nb_classes),
        aliases=tuple(identifier._alias_pairs),
    )


def automaton_depth(model: LanguageModel) -> int:
    """Return the most bytes any state of the model's automaton is away from its start state.

    Args:
        model: The loaded model.

    Returns:
        The automaton's depth (what ``LANGID_AUTOMATON_DEPTH`` must equal).
    """
    import numpy as np

    next_state, row_base = model.next_state, model.row_base
    seen = np.zeros(len(row_base), dtype=bool)
    seen[0] = True
    frontier = np.array([0], dtype=np.int32)
    depth = 0
    while True:
        reached = next_state[row_base[frontier][:, None] + np.arange(256, dtype=np.int32)]
        fresh = np.unique(reached[~seen[reached]])
        if not len(fresh):
            return depth
        seen[fresh] = True
        frontier = fresh
        depth += 1


def detect_language(text: str) -> tuple[str, bool]:
    """Detect the ISO 639-1 language of a text from its first characters.

    Args:
        text: Canonical text of a document.

    Returns:
        A two-letter language code, and whether it can be trusted: the text is long enough
        and the detector confident enough to contradict metadata.
    """
    sample = text[:LANGID_PREFIX_CHARS]
    model = language_model()
    scores = model.probabilities(sample)
    best = int(scores.argmax())
    reliable = len(sample) >= LANGID_MIN_CHARS and float(scores[best]) >= LANGID_MIN_PROBABILITY
    return model.languages[best], reliable
