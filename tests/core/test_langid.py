"""Offline language detection and how it meets the metadata language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.core.langid import (
    LANGID_AUTOMATON_DEPTH,
    LANGID_PREFIX_CHARS,
    automaton_depth,
    detect_language,
    language_model,
)
from dispatch_corpus.core.metadata import Metadata
from dispatch_corpus.core.pipeline import process_dispatch
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.models import DocumentFlag, DocumentRecord

FRENCH = (
    "Le gouvernement a annoncé mardi une hausse du salaire minimum de deux pour cent.\n"
    "Les syndicats jugent cette augmentation très insuffisante et appellent à la grève.\n"
)
TEXTS = {
    "fr": FRENCH,
    "en": "The government announced on Tuesday that the minimum wage would rise by two "
    "percent, a move the unions called far too small.",
    "ru": "Правительство во вторник объявило о повышении минимальной зарплаты на два "
    "процента, профсоюзы назвали это недостаточным.",
}


@pytest.fixture(scope="module")
def stock_identifier() -> Any:
    """py3langid's own identifier, restricted to the same languages."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.nb_classes if len(code) == 2])
    return identifier


def build(text: str, metadata: Metadata | None) -> DocumentRecord:
    raw = text.encode("utf-8")
    result = process_dispatch(RawDispatch("test/doc.txt", "test", "doc", raw, metadata))
    assert isinstance(result, DocumentRecord), result
    return result


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_the_shipped_model_detects_french_english_and_russian(language: str) -> None:
    assert detect_language(TEXTS[language]) == (language, True)


def test_a_few_words_are_not_trusted() -> None:
    _, reliable = detect_language("Paris, mardi")
    assert not reliable


def test_a_metadata_language_contradicted_by_the_text_is_flagged_and_kept() -> None:
    record = build(FRENCH, Metadata(language="en"))
    assert record.document.language == "en"
    assert DocumentFlag.LANGUAGE_MISMATCH in record.document.flags
    assert DocumentFlag.LANGUAGE_DETECTED not in record.document.flags


def test_a_metadata_language_agreeing_with_the_text_is_not_flagged() -> None:
    record = build(FRENCH, Metadata(language="fr"))
    assert record.document.language == "fr"
    assert DocumentFlag.LANGUAGE_MISMATCH not in record.document.flags


def test_without_metadata_the_language_is_detected_and_flagged() -> None:
    record = build(FRENCH, None)
    assert record.document.language == "fr"
    assert DocumentFlag.LANGUAGE_DETECTED in record.document.flags
    assert DocumentFlag.LANGUAGE_MISMATCH not in record.document.flags


def test_a_short_text_never_contradicts_its_metadata() -> None:
    record = build("Paris, mardi\nGrève", Metadata(language="en"))
    assert DocumentFlag.LANGUAGE_MISMATCH not in record.document.flags


def test_the_automaton_depth_constant_matches_the_shipped_model() -> None:
    assert automaton_depth(language_model()) == LANGID_AUTOMATON_DEPTH


def test_scores_equal_py3langid_bit_for_bit_on_the_shared_corpus(
    shared_corpus: Path, stock_identifier: Any
) -> None:
    model = language_model()
    paths = sorted(shared_corpus.glob("*/*.txt"))
    assert paths
    for path in paths:
        sample = path.read_text(encoding="utf-8", errors="replace")[:LANGID_PREFIX_CHARS]
        expected = stock_identifier._decide(sample)
        assert np.array_equal(model.probabilities(sample), expected), path.name
        assert model.languages[int(expected.argmax())] == stock_identifier.classify(sample)[0]


CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя ,."


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=80) | st.text(alphabet=CYRILLIC, max_size=80))
def test_scores_equal_py3langid_bit_for_bit_on_any_text(stock_identifier: Any, text: str) -> None:
    assert np.array_equal(language_model().probabilities(text), stock_identifier._decide(text))


def test_featureless_text_scores_like_py3langid(stock_identifier: Any) -> None:
    for text in ("", " ", "\x00\x01"):
        assert np.array_equal(language_model().probabilities(text), stock_identifier._decide(text))
