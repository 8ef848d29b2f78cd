import codecs

import pytest

from dispatch_corpus.models import DocumentFlag, QuarantineReason
from dispatch_corpus.text.decode import DecodeError, decode, guess_legacy_encoding

FRENCH = "Le « café » de l'été coûte déjà 3 € — c’est cher, a déclaré le maître d'hôtel."
FRENCH_LATIN1 = "Le café de l'été coûte déjà cher à Paris, a déclaré le maître d'hôtel."
RUSSIAN = "Президент заявил, что переговоры продолжатся в пятницу в Москве."


def test_utf8_is_decoded_without_flags() -> None:
    decoded = decode(FRENCH.encode("utf-8"))
    assert decoded.text == FRENCH
    assert decoded.flags == ()


def test_utf8_bom_is_removed_and_flagged() -> None:
    decoded = decode(codecs.BOM_UTF8 + RUSSIAN.encode("utf-8"))
    assert decoded.text == RUSSIAN
    assert decoded.flags == (DocumentFlag.BOM_REMOVED,)


def test_bom_inside_text_is_not_the_leading_bom() -> None:
    decoded = decode(b"abc" + codecs.BOM_UTF8 + b"def")
    assert decoded.text == "abc\ufeffdef"
    assert DocumentFlag.BOM_REMOVED not in decoded.flags


@pytest.mark.parametrize(
    ("text", "encoding", "flag"),
    [
        (FRENCH, "cp1252", DocumentFlag.ENCODING_CP1252),
        (FRENCH_LATIN1, "latin-1", DocumentFlag.ENCODING_LATIN1),
        (RUSSIAN, "cp1251", DocumentFlag.ENCODING_CP1251),
        (RUSSIAN, "koi8_r", DocumentFlag.ENCODING_KOI8_R),
    ],
)
def test_legacy_encoding_is_repaired_and_flagged(
    text: str, encoding: str, flag: DocumentFlag
) -> None:
    raw = text.encode(encoding)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    decoded = decode(raw)
    assert decoded.text == text
    assert decoded.flags == (flag,)


def test_bom_then_invalid_utf8_keeps_both_flags() -> None:
    decoded = decode(codecs.BOM_UTF8 + FRENCH.encode("cp1252"))
    assert decoded.text == FRENCH
    assert decoded.flags == (DocumentFlag.BOM_REMOVED, DocumentFlag.ENCODING_CP1252)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (FRENCH, "cp1252"),
        (FRENCH_LATIN1, "latin-1"),
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8_r"),
    ],
)
def test_guess_legacy_encoding_names_the_codec(text: str, encoding: str) -> None:
    assert guess_legacy_encoding(text.encode(encoding)) == encoding


def test_empty_input_is_an_empty_decode_error() -> None:
    with pytest.raises(DecodeError) as caught:
        decode(b"")
    assert caught.value.reason is QuarantineReason.EMPTY
    assert str(caught.value)


def test_nul_heavy_input_is_binary() -> None:
    raw = "Texte ordinaire".encode("utf-16-le")
    with pytest.raises(DecodeError) as caught:
        decode(raw)
    assert caught.value.reason is QuarantineReason.BINARY
    assert "NUL" in str(caught.value)


def test_control_heavy_input_is_binary() -> None:
    with pytest.raises(DecodeError) as caught:
        decode(bytes(range(1, 9)) * 20 + b"some text")
    assert caught.value.reason is QuarantineReason.BINARY


def test_a_few_nul_bytes_are_left_for_normalization() -> None:
    raw = b"A long enough line of ordinary text here." * 3 + b"\x00"
    decoded = decode(raw)
    assert decoded.text.endswith("\x00")
    assert decoded.flags == ()


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(DecodeError, ValueError)
