import codecs
import hashlib
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.bench.adversarial import (
    LAYOUTS,
    SHORT_PATTERNS,
    SINGLE_CHARACTERS,
    AdversarialCase,
)
from dispatch_corpus.core import pipeline
from dispatch_corpus.core.metadata import Metadata
from dispatch_corpus.core.pipeline import MAX_PARAGRAPHS, process_dispatch
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.core.text.split import split_paragraphs
from dispatch_corpus.models import (
    DocumentFlag,
    DocumentRecord,
    QuarantineReason,
    QuarantineRecord,
    Stage,
    sha256_hex,
)
from dispatch_corpus.settings import DEFAULT_LABELER

FRENCH = (
    "Le gouvernement a présenté mardi un nouveau plan pour les transports publics de la "
    "région, qui prévoit la construction de plusieurs lignes de tramway d'ici à 2030."
)
RUSSIAN = "Президент заявил во вторник, что переговоры продолжатся в пятницу в Москве."
ENGLISH = (
    "The city council approved on Tuesday a new plan for public transport in the region, "
    "which includes several new tram lines to be built before the end of the decade."
)


def _dispatch(raw: bytes, metadata: Metadata | None = None, doc_id: str = "doc1") -> RawDispatch:
    return RawDispatch(
        source_path=f"col/{doc_id}.txt",
        collection="col",
        doc_id=doc_id,
        raw=raw,
        metadata=metadata,
    )


def _record(raw: bytes, metadata: Metadata | None = None) -> DocumentRecord:
    result = process_dispatch(_dispatch(raw, metadata))
    assert isinstance(result, DocumentRecord), result
    return result


def _quarantine(raw: bytes) -> QuarantineRecord:
    result = process_dispatch(_dispatch(raw))
    assert isinstance(result, QuarantineRecord), result
    return result


def test_seed_becomes_a_consistent_record(project_corpus: Path) -> None:
    raw = (project_corpus / "seed" / "000_260b07781369273e.txt").read_bytes()
    record = _record(raw, Metadata(language="fr"))
    doc = record.document
    assert doc.raw_sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.text_sha256 == sha256_hex(doc.text)
    assert doc.n_chars == len(doc.text)
    assert [p.text for p in record.paragraphs] == split_paragraphs(raw.decode("utf-8"))
    for para in record.paragraphs:
        assert doc.text[para.char_start : para.char_end] == para.text


@pytest.mark.parametrize(
    ("raw", "stage", "reason"),
    [
        (b"", Stage.DECODE, QuarantineReason.EMPTY),
        (b"\x00\x00ab\x00\x00cd" * 20, Stage.DECODE, QuarantineReason.BINARY),
        (bytes(range(0x80, 0x100)) * 4, Stage.DECODE, QuarantineReason.UNDECODABLE),
        (codecs.BOM_UTF16_LE + b"\x00\xd8ab", Stage.DECODE, QuarantineReason.UNDECODABLE),
        (b" \n\t\r\n\xc2\xa0\n\xe2\x80\x8b\n", Stage.SPLIT, QuarantineReason.WHITESPACE_ONLY),
        (codecs.BOM_UTF8, Stage.SPLIT, QuarantineReason.WHITESPACE_ONLY),
        (b"\x1b[0m\x07" + b" " * 60 + b"\n", Stage.SPLIT, QuarantineReason.WHITESPACE_ONLY),
    ],
)
def test_unusable_input_is_quarantined_with_a_reason(
    raw: bytes, stage: Stage, reason: QuarantineReason
) -> None:
    result = _quarantine(raw)
    assert (result.stage, result.reason_code) == (stage, reason)
    assert result.source_path == "col/doc1.txt"
    assert result.doc_id == "doc1"
    assert result.raw_sha256 == hashlib.sha256(raw).hexdigest()
    assert result.message


def test_decode_and_normalize_flags_reach_the_document() -> None:
    raw = codecs.BOM_UTF8 + f"Titre\r\rPremier\x07 paragraphe.\r{FRENCH}".encode()
    doc = _record(raw, Metadata(language="fr")).document
    assert DocumentFlag.BOM_REMOVED in doc.flags
    assert DocumentFlag.CR_LINE_ENDS in doc.flags
    assert DocumentFlag.CONTROL_CHARS_REMOVED in doc.flags
    assert "\r" not in doc.text
    assert "\x07" not in doc.text


def test_legacy_encoding_is_repaired_and_flagged() -> None:
    raw = f"Titre\n\n{FRENCH} Coût : 3 €.".encode("cp1252")
    doc = _record(raw, Metadata(language="fr")).document
    assert DocumentFlag.ENCODING_CP1252 in doc.flags
    assert "Coût : 3 €." in doc.text


def test_reported_french_dispatch_with_a_cp1252_byte_keeps_its_utf8_text() -> None:
    text = f"Titre\n\nLe délai s’est écoulé. {FRENCH}"
    raw = text.encode().replace("’".encode(), b"\x92")
    doc = _record(raw).document
    assert "s\ufffdest écoulé" in doc.text
    assert DocumentFlag.INVALID_UTF8_REPLACED in doc.flags
    assert not {DocumentFlag.ENCODING_KOI8_R, DocumentFlag.ENCODING_CP1251} & set(doc.flags)
    assert doc.language == "fr"


@pytest.mark.parametrize(
    ("bom", "encoding", "flag"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le", DocumentFlag.ENCODING_UTF16),
        (codecs.BOM_UTF16_BE, "utf-16-be", DocumentFlag.ENCODING_UTF16),
        (codecs.BOM_UTF32_LE, "utf-32-le", DocumentFlag.ENCODING_UTF32),
        (codecs.BOM_UTF32_BE, "utf-32-be", DocumentFlag.ENCODING_UTF32),
        (b"", "utf-16-le", DocumentFlag.ENCODING_UTF16),
    ],
)
def test_utf16_and_utf32_dispatches_are_built_and_flagged(
    bom: bytes, encoding: str, flag: DocumentFlag
) -> None:
    raw = bom + f"Заголовок\r\n\r\n{RUSSIAN}\r\n".encode(encoding)
    doc = _record(raw).document
    assert doc.text == f"Заголовок\n\n{RUSSIAN}"
    assert flag in doc.flags
    assert doc.language == "ru"


def test_mojibake_is_repaired_in_the_document() -> None:
    text = f"Titre\n\nLe délai s’est écoulé. {FRENCH}"
    mojibake = text.encode("utf-8").decode("cp1252")
    doc = _record(mojibake.encode("utf-8"), Metadata(language="fr")).document
    assert doc.text == text
    assert DocumentFlag.MOJIBAKE_REPAIRED in doc.flags
    assert doc.raw_sha256 == hashlib.sha256(mojibake.encode("utf-8")).hexdigest()


def test_unprovable_mojibake_is_flagged_and_kept() -> None:
    raw = f"Titre\n\nLe cafÃ© est Ã©puisÃ©Ã. {FRENCH}".encode()
    doc = _record(raw, Metadata(language="fr")).document
    assert "cafÃ©" in doc.text
    assert DocumentFlag.MOJIBAKE_SUSPECTED in doc.flags


def test_document_flags_are_unique_and_in_enum_order() -> None:
    raw = codecs.BOM_UTF8 + f"a\rb\x07\u200b\r{ENGLISH}".encode()
    flags = _record(raw).document.flags
    order = list(DocumentFlag)
    assert len(flags) >= 4
    assert flags == sorted(set(flags), key=order.index)


def test_missing_metadata_is_flagged_and_language_detected() -> None:
    doc = _record(f"Titre\n\n{FRENCH}".encode()).document
    assert DocumentFlag.METADATA_MISSING in doc.flags
    assert DocumentFlag.LANGUAGE_DETECTED in doc.flags
    assert doc.language == "fr"


def test_metadata_fields_reach_the_document() -> None:
    meta = Metadata(
        title="Un titre",
        published=date(2020, 3, 12),
        language="fr",
        license="CC-BY-4.0",
        url="https://example.org/a",
        agency="AFP",
    )
    doc = _record(f"Titre\n\n{FRENCH}".encode(), meta).document
    assert (doc.title, doc.published, doc.language) == ("Un titre", date(2020, 3, 12), "fr")
    assert (doc.license, doc.url, doc.agency) == ("CC-BY-4.0", "https://example.org/a", "AFP")
    assert DocumentFlag.METADATA_MISSING not in doc.flags
    assert DocumentFlag.LANGUAGE_DETECTED not in doc.flags
    assert DocumentFlag.LANGUAGE_MISMATCH not in doc.flags


def test_metadata_flags_reach_the_document() -> None:
    meta = Metadata(language="fr", flags=(DocumentFlag.METADATA_DATE_INVALID,))
    doc = _record(FRENCH.encode(), meta).document
    assert DocumentFlag.METADATA_DATE_INVALID in doc.flags


def test_declared_language_contradicted_by_the_text_is_flagged_not_replaced() -> None:
    doc = _record(f"{ENGLISH}\n{ENGLISH}".encode(), Metadata(language="fr")).document
    assert doc.language == "fr"
    assert DocumentFlag.LANGUAGE_MISMATCH in doc.flags


def test_one_long_block_is_flagged_single_block() -> None:
    sentences = " ".join([ENGLISH] * 20)
    doc = _record(sentences.encode(), Metadata(language="en")).document
    assert DocumentFlag.SINGLE_BLOCK in doc.flags
    assert doc.n_paragraphs == 1


def test_record_breaking_the_model_is_quarantined_at_validate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pipeline, "detect_language", lambda text: ("zzz", True))
    result = _quarantine(FRENCH.encode())
    assert (result.stage, result.reason_code) == (Stage.VALIDATE, QuarantineReason.INVALID_RECORD)
    assert "language" in result.message


_BYTES = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(
        st.sampled_from(["\n", "\n\n", "\r", " ", "\u00a0", "1. ", "- ", "«", "»", ":"])
        | st.sampled_from([FRENCH, ENGLISH, "Президент заявил", "Titre", "(AFP)", "é"]),
        max_size=20,
    ).map(lambda parts: "".join(parts).encode("utf-8")),
)


@pytest.mark.parametrize("raw", [b"T2", b"Hello world"])
def test_short_text_without_metadata_gets_a_two_letter_language(raw: bytes) -> None:
    doc = _record(raw).document
    assert len(doc.language) == 2
    assert DocumentFlag.LANGUAGE_DETECTED in doc.flags


@settings(max_examples=150, deadline=None)
@given(_BYTES, st.sampled_from([None, Metadata(language="en"), Metadata(language="ru")]))
def test_any_bytes_end_as_a_valid_record_or_a_quarantine_row(
    raw: bytes, metadata: Metadata | None
) -> None:
    result = process_dispatch(_dispatch(raw, metadata))
    assert isinstance(result, DocumentRecord | QuarantineRecord)
    if isinstance(result, DocumentRecord):
        DocumentRecord.model_validate(result.model_dump())
        assert result.document.raw_sha256 == hashlib.sha256(raw).hexdigest()
    else:
        assert result.reason_code in {
            QuarantineReason.EMPTY,
            QuarantineReason.BINARY,
            QuarantineReason.UNDECODABLE,
            QuarantineReason.WHITESPACE_ONLY,
        }


# --- adversarial input: linear time, bounded memory, a cap on paragraphs ------------------------

PIPELINE_ATTACKS = [
    AdversarialCase(unit, layout)
    for unit, layout in [
        (".", "line"),
        ("!", "titled"),
        ("…", "line"),
        ("=", "titled"),
        ("==", "titled"),
        ("A-", "line"),
        ("A-", "titled"),
        ("Ab-", "lines"),
        ("A. «", "line"),
        ("Il a dit : Oui. ", "line"),
        ("the said ", "line"),
        ("PARIS, 12 janvier 2020", "lines"),
        ("PARIS, 12 janvier 2020", "paragraphs"),
        ("a", "lines"),
        ("- a", "lines"),
        ("== a ==", "paragraphs"),
        ("« a » ", "line"),
        ('"', "line"),
        ("\u0301", "titled"),
        ("\u0301\u0316", "line"),
        ("\u202e", "lines"),
    ]
]


@pytest.mark.parametrize("case", PIPELINE_ATTACKS, ids=lambda case: case.name)
def test_processing_takes_linear_time_on_adversarial_dispatches(
    case: AdversarialCase, cpu_growth: Callable[..., float]
) -> None:
    def run(text: str) -> None:
        process_dispatch(_dispatch(text.encode("utf-8")))

    assert cpu_growth(run, case.text, 4000) < 8


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(pipeline, "MAX_PARAGRAPHS", 5)
    return 5


@pytest.mark.parametrize("separator", ["\n", "\n\n", "\n \u00a0\n"])
def test_a_dispatch_above_the_paragraph_cap_is_quarantined(small_cap: int, separator: str) -> None:
    result = _quarantine(separator.join(["Une ligne."] * (small_cap + 1)).encode())
    assert (result.stage, result.reason_code) == (
        Stage.SPLIT,
        QuarantineReason.TOO_MANY_PARAGRAPHS,
    )
    assert f"more than {small_cap} paragraphs" in result.message


def test_a_dispatch_at_the_paragraph_cap_is_built(small_cap: int) -> None:
    record = _record("\n".join(["Une ligne."] * small_cap).encode())
    assert record.document.n_paragraphs == small_cap


def test_the_paragraph_cap_is_far_above_real_dispatches_and_checked_first() -> None:
    assert MAX_PARAGRAPHS >= 10_000
    raw = b"a\n" * 500_000
    tracemalloc.start()
    try:
        result = _quarantine(raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.reason_code is QuarantineReason.TOO_MANY_PARAGRAPHS
    assert "500001 lines" in result.message
    # The raw bytes, the decoded and normalized text, and the paragraphs up to the cap.
    assert peak < 8 * len(raw)


@pytest.fixture
def warm_core() -> None:
    """Load the language model and compile the English patterns before memory is traced."""
    _record(b"Title\nA body, he said: Yes.", Metadata(language="en"))


@pytest.mark.usefixtures("warm_core")
@pytest.mark.parametrize("unit", ["a", "a. ", "Ab. ", "«", '"a" ', "said: A "])
def test_one_enormous_paragraph_is_built_as_a_single_block_in_bounded_memory(unit: str) -> None:
    raw = (unit * (300_000 // len(unit))).encode()
    tracemalloc.start()
    try:
        record = _record(raw, Metadata(language="en"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert record.document.n_paragraphs == 1
    assert DocumentFlag.SINGLE_BLOCK in record.document.flags
    # A few copies of the text (raw, decoded, document, paragraph, section) and a few
    # machine integers per quotation or speech cue: no object per sentence, quote or word.
    assert peak < 12 * len(raw)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from([*SINGLE_CHARACTERS, *SHORT_PATTERNS]),
    st.sampled_from(LAYOUTS),
    st.integers(1, 4000),
)
def test_adversarial_dispatches_give_sliceable_records(unit: str, layout: str, size: int) -> None:
    raw = AdversarialCase(unit, layout).text(size).encode("utf-8", "surrogatepass")
    result = process_dispatch(_dispatch(raw))
    if isinstance(result, QuarantineRecord):
        assert result.reason_code in {
            QuarantineReason.BINARY,
            QuarantineReason.WHITESPACE_ONLY,
        }, result.message
        return
    text = result.document.text
    assert text == "\n\n".join(p.text for p in result.paragraphs)
    for paragraph in result.paragraphs:
        assert text[paragraph.char_start : paragraph.char_end] == paragraph.text
    for section in result.sections:
        assert text[section.char_start : section.char_end] == section.text


# --- the labeler's settings -----------------------------------------------------------------

_WIRE = (
    "Le budget est voté\n\n"
    "PARIS (AFP) - Le conseil municipal a adopté mardi le budget de la ville pour l'an prochain."
    "\n\nLes travaux commenceront en mai."
).encode()


def test_process_dispatch_hands_its_labeler_settings_down() -> None:
    default = process_dispatch(_dispatch(_WIRE))
    assert process_dispatch(_dispatch(_WIRE), DEFAULT_LABELER) == default
    assert isinstance(default, DocumentRecord)
    assert [p.role.value for p in default.paragraphs] == ["headline", "lead", "body"]
    assert (default.document.title, default.document.agency) == ("Le budget est voté", "AFP")
    tiny = process_dispatch(_dispatch(_WIRE), replace(DEFAULT_LABELER, headline_max_chars=3))
    assert isinstance(tiny, DocumentRecord)
    assert [p.role.value for p in tiny.paragraphs] == ["lead", "body", "body"]
    assert tiny.document.title is None


def test_the_agency_is_looked_for_within_the_window_of_the_settings() -> None:
    narrow = replace(DEFAULT_LABELER, agency_window_chars=5)
    result = process_dispatch(_dispatch(_WIRE), narrow)
    assert isinstance(result, DocumentRecord)
    assert [p.role.value for p in result.paragraphs] == ["headline", "lead", "body"]
    assert result.document.dateline == "PARIS (AFP)"
    assert result.document.agency is None
