"""Offline language detection and how it meets the metadata language."""

from __future__ import annotations

import pytest

from dispatch_corpus.langid import detect_language
from dispatch_corpus.metadata import Metadata
from dispatch_corpus.models import DocumentFlag, DocumentRecord
from dispatch_corpus.pipeline import RawDispatch, process_dispatch

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
