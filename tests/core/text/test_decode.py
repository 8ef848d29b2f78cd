import codecs
import contextlib
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch_corpus.core.text.decode import DecodeError, decode, guess_legacy_encoding
from dispatch_corpus.models import DocumentFlag, QuarantineReason

FRENCH = "Le « café » de l'été coûte déjà 3 € — c’est cher, a déclaré le maître d'hôtel."
FRENCH_LATIN1 = "Le café de l'été coûte déjà cher à Paris, a déclaré le maître d'hôtel."
RUSSIAN = "Президент заявил, что переговоры продолжатся в пятницу в Москве."
RUSSIAN_CAPS = "ПРЕЗИДЕНТ ЗАЯВИЛ, ЧТО ПЕРЕГОВОРЫ ПРОДОЛЖАТСЯ В ПЯТНИЦУ В МОСКВЕ."
ENGLISH = "The minister said on Tuesday that the talks would resume in Geneva next week."
REPORTED = "Le délai s’est écoulé, a déclaré le ministre à l’Assemblée."
LEGACY_FLAGS = {
    DocumentFlag.ENCODING_CP1252,
    DocumentFlag.ENCODING_CP1251,
    DocumentFlag.ENCODING_KOI8_R,
    DocumentFlag.ENCODING_LATIN1,
}
DECODE_REASONS = {QuarantineReason.EMPTY, QuarantineReason.BINARY, QuarantineReason.UNDECODABLE}


def _quarantined(raw: bytes) -> DecodeError:
    with pytest.raises(DecodeError) as caught:
        decode(raw)
    assert str(caught.value)
    return caught.value


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
        (RUSSIAN_CAPS, "cp1251", DocumentFlag.ENCODING_CP1251),
        (RUSSIAN_CAPS, "koi8_r", DocumentFlag.ENCODING_KOI8_R),
        (f"{RUSSIAN} «Её» — №\u00a05, ёлка.", "cp1251", DocumentFlag.ENCODING_CP1251),
        (f"{ENGLISH} It’s “fine” – or so…", "cp1252", DocumentFlag.ENCODING_CP1252),
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


# --- UTF-8 with a few invalid bytes keeps its UTF-8 text ------------------------------------


def test_reported_french_dispatch_with_one_cp1252_byte_stays_utf8() -> None:
    raw = REPORTED.encode("utf-8").replace("’".encode(), b"\x92", 1)
    decoded = decode(raw)
    assert decoded.text == REPORTED.replace("’", "\ufffd", 1)
    assert decoded.flags == (DocumentFlag.INVALID_UTF8_REPLACED,)


@pytest.mark.parametrize(
    "bad",
    [
        b"\x92",  # cp1252 apostrophe
        b"\x93quoted\x94",  # cp1252 smart quotes
        b"\xe9",  # cp1252 e acute
        b"\x80",  # lone continuation byte
        b"\xff",  # never valid in UTF-8
        b"\xe2\x80",  # truncated three-byte sequence
        b"\xc0\x80",  # overlong NUL
        b"\xed\xa0\x80",  # UTF-16 surrogate encoded in UTF-8
        b"\xf4\x90\x80\x80",  # above U+10FFFF
        b"\xf8\x88\x80\x80\x80",  # five-byte form
    ],
)
@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_stray_bytes_in_utf8_are_replaced_and_flagged(bad: bytes, where: str) -> None:
    body = f"{FRENCH}\n{RUSSIAN}".encode()
    middle = len(FRENCH.encode())
    raw = {
        "start": bad + body,
        "middle": body[:middle] + bad + body[middle:],
        "end": body + bad,
    }[where]
    decoded = decode(raw)
    assert decoded.text == raw.decode("utf-8", "replace")
    assert decoded.text.replace("\ufffd", "").replace("quoted", "") == f"{FRENCH}\n{RUSSIAN}"
    assert decoded.flags == (DocumentFlag.INVALID_UTF8_REPLACED,)


def test_russian_utf8_with_cp1251_quotes_stays_utf8() -> None:
    raw = RUSSIAN.encode() + " Он добавил: ".encode() + b"\xab" + "да".encode() + b"\xbb"
    decoded = decode(raw)
    assert decoded.text == f"{RUSSIAN} Он добавил: \ufffdда\ufffd"
    assert decoded.flags == (DocumentFlag.INVALID_UTF8_REPLACED,)


def test_ascii_text_with_a_byte_no_codec_reads_keeps_its_text() -> None:
    decoded = decode(f"{ENGLISH} It\x81s over.".encode("latin-1"))
    assert decoded.text == f"{ENGLISH} It\ufffds over."
    assert decoded.flags == (DocumentFlag.INVALID_UTF8_REPLACED,)


def test_utf8_damaged_beyond_the_share_is_undecodable() -> None:
    raw = (FRENCH.encode() + b"\n" + FRENCH.encode("cp1252") + b"\n") * 3
    error = _quarantined(raw)
    assert error.reason is QuarantineReason.UNDECODABLE
    assert "invalid UTF-8" in str(error)


@pytest.mark.parametrize(
    "raw",
    [
        bytes(range(0x80, 0x100)) * 8,  # every high byte
        RUSSIAN.encode("cp866"),  # a Cyrillic codec that is not supported
        RUSSIAN.encode("mac_cyrillic"),
        RUSSIAN.encode("iso8859_5"),
        "Ελληνικά νέα από την Αθήνα σήμερα το πρωί.".encode("cp1253"),
        bytes(range(0xC0, 0x100)) * 16,
    ],
)
def test_bytes_no_codec_reads_plausibly_are_undecodable(raw: bytes) -> None:
    assert _quarantined(raw).reason is QuarantineReason.UNDECODABLE


# --- a legacy reading is only kept when it is plausible -------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (REPORTED, "utf-8"),  # UTF-8 read whole as KOI8-R: "s▓est ц╘coulц╘"
        (RUSSIAN, "utf-8"),
        (FRENCH, "utf-8"),
    ],
)
def test_utf8_with_a_stray_byte_is_never_read_as_a_legacy_codec(text: str, encoding: str) -> None:
    raw = text.encode(encoding) + b" \xff"
    decoded = decode(raw)
    assert not LEGACY_FLAGS & set(decoded.flags)
    assert decoded.text == f"{text} \ufffd"


def test_cp1252_bytes_are_not_read_as_cyrillic() -> None:
    raw = "Un café à Noël, déjà réservé.".encode("cp1252")
    decoded = decode(raw)
    assert decoded.text == "Un café à Noël, déjà réservé."
    assert decoded.flags in {(DocumentFlag.ENCODING_CP1252,), (DocumentFlag.ENCODING_LATIN1,)}


def test_latin1_without_c1_bytes_is_latin1() -> None:
    raw = FRENCH_LATIN1.encode("latin-1")
    assert not any(0x80 <= byte < 0xA0 for byte in raw)
    assert decode(raw).flags == (DocumentFlag.ENCODING_LATIN1,)


# --- UTF-16 and UTF-32 ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "flag"),
    [
        ("utf-16-le", DocumentFlag.ENCODING_UTF16),
        ("utf-16-be", DocumentFlag.ENCODING_UTF16),
        ("utf-32-le", DocumentFlag.ENCODING_UTF32),
        ("utf-32-be", DocumentFlag.ENCODING_UTF32),
    ],
)
@pytest.mark.parametrize("text", [FRENCH, RUSSIAN, f"{ENGLISH}\r\n{RUSSIAN}\n😀"])
def test_utf16_and_utf32_with_a_bom_are_decoded_and_flagged(
    encoding: str, flag: DocumentFlag, text: str
) -> None:
    bom = {
        "utf-16-le": codecs.BOM_UTF16_LE,
        "utf-16-be": codecs.BOM_UTF16_BE,
        "utf-32-le": codecs.BOM_UTF32_LE,
        "utf-32-be": codecs.BOM_UTF32_BE,
    }[encoding]
    decoded = decode(bom + text.encode(encoding))
    assert decoded.text == text
    assert decoded.flags == (flag,)


def test_utf32_le_bom_is_checked_before_its_utf16_le_prefix() -> None:
    assert codecs.BOM_UTF32_LE.startswith(codecs.BOM_UTF16_LE)
    decoded = decode(codecs.BOM_UTF32_LE + "été".encode("utf-32-le"))
    assert (decoded.text, decoded.flags) == ("été", (DocumentFlag.ENCODING_UTF32,))


def test_utf16_le_text_opening_with_nul_is_not_taken_for_utf32() -> None:
    raw = codecs.BOM_UTF16_LE + f"\x00{FRENCH}".encode("utf-16-le")
    decoded = decode(raw)
    assert decoded.text == f"\x00{FRENCH}"
    assert decoded.flags == (DocumentFlag.ENCODING_UTF16,)


@pytest.mark.parametrize(
    "raw",
    [
        codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le") + b"\x00\xd8",  # lone surrogate
        codecs.BOM_UTF16_BE + RUSSIAN.encode("utf-16-be")[:-1],  # truncated
        codecs.BOM_UTF32_BE + b"\x00\x11\x00\x00",  # above U+10FFFF
    ],
)
def test_invalid_utf16_or_utf32_after_its_bom_is_undecodable(raw: bytes) -> None:
    error = _quarantined(raw)
    assert error.reason is QuarantineReason.UNDECODABLE
    assert "byte order mark" in str(error)


def test_binary_after_a_utf16_bom_is_binary() -> None:
    raw = codecs.BOM_UTF16_LE + "\ue000\uf8ff\uffff\u2591".encode("utf-16-le") * 50
    assert _quarantined(raw).reason is QuarantineReason.BINARY


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", ["Texte ordinaire", FRENCH, RUSSIAN, ENGLISH])
def test_utf16_without_bom_is_detected_by_its_nul_pattern(encoding: str, text: str) -> None:
    decoded = decode(text.encode(encoding))
    assert decoded.text == text
    assert decoded.flags == (DocumentFlag.ENCODING_UTF16,)


@pytest.mark.parametrize(
    "raw",
    [
        b"\x00\x00ab\x00\x00cd" * 20,  # NULs at both parities
        bytes(range(256)) * 4 + b"\x00" * 200,
        ENGLISH.encode("utf-32-le"),  # BOM-less UTF-32 is not guessed
        ENGLISH.encode("utf-16-le") + b"\x00",  # odd length
    ],
)
def test_nul_heavy_input_that_is_not_utf16_is_binary(raw: bytes) -> None:
    error = _quarantined(raw)
    assert error.reason is QuarantineReason.BINARY
    assert "NUL" in str(error)


# --- mojibake -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mojibake", "repaired"),
    [
        ("Le cafÃ© de lâ€™Ã©tÃ© coÃ»te cher.", "Le café de l’été coûte cher."),
        ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚, Ð¼Ð¸Ñ€", "привет, мир"),
        ("РїСЂРёРІРµС‚, РјРёСЂ", "привет, мир"),
        ("Il a dit ÃƒÂ©tÃƒÂ©.", "Il a dit été."),
    ],
)
def test_mojibake_in_utf8_is_repaired_and_flagged(mojibake: str, repaired: str) -> None:
    decoded = decode(mojibake.encode())
    assert decoded.text == repaired
    assert decoded.flags == (DocumentFlag.MOJIBAKE_REPAIRED,)


def test_legacy_reading_that_makes_mojibake_is_refused() -> None:
    raw = "Il a dit : « c’est réglé ».".encode() + b" Fin\x85"
    decoded = decode(raw)
    assert decoded.text == "Il a dit : « c’est réglé ». Fin\ufffd"
    assert decoded.flags == (DocumentFlag.INVALID_UTF8_REPLACED,)


# --- the shared corpus and its legacy re-encodings are never flagged ------------------------


def test_shared_documents_decode_unchanged_and_unflagged(shared_corpus: Path) -> None:
    paths = sorted(shared_corpus.glob("*/*.txt"))
    assert len(paths) >= 800
    for path in paths:
        raw = path.read_bytes()
        decoded = decode(raw)
        assert (decoded.text, decoded.flags) == (raw.decode("utf-8"), ()), path.name


@pytest.mark.parametrize("codec", ["cp1252", "latin-1", "cp1251", "koi8_r"])
def test_shared_documents_in_legacy_codecs_decode_exactly(shared_corpus: Path, codec: str) -> None:
    decoded_any = 0
    for path in sorted(shared_corpus.glob("*/*.txt")):
        text = path.read_text(encoding="utf-8")
        try:
            raw = text.encode(codec)
        except UnicodeEncodeError:
            continue
        decoded = decode(raw)
        assert decoded.text == text, path.name
        assert set(decoded.flags) <= LEGACY_FLAGS and len(decoded.flags) <= 1, path.name
        decoded_any += 1
    assert decoded_any > 40


# --- arbitrary and adversarial bytes --------------------------------------------------------

_HOSTILE_PIECES = st.one_of(
    st.binary(max_size=12),
    st.text(max_size=12).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            codecs.BOM_UTF8,
            codecs.BOM_UTF16_LE,
            codecs.BOM_UTF16_BE,
            codecs.BOM_UTF32_LE,
            codecs.BOM_UTF32_BE,
            b"\x00",
            b"\xed\xa0\x80",
            b"\xc0\x80",
            b"\xf4\x90\x80\x80",
            "Ã©â€™".encode(),
            "ÃƒÂ©".encode(),
            "Ð¿Ñ€".encode(),
            "РїСЂ".encode(),
            "été".encode("cp1252"),
            RUSSIAN.encode("cp1251"),
            RUSSIAN.encode("koi8_r"),
            FRENCH.encode(),
            RUSSIAN.encode("utf-16-le"),
        ]
    ),
)
_HOSTILE = st.one_of(st.binary(max_size=400), st.lists(_HOSTILE_PIECES, max_size=30).map(b"".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=_HOSTILE)
def test_any_bytes_give_valid_text_or_a_decode_error(raw: bytes) -> None:
    try:
        decoded = decode(raw)
    except DecodeError as error:
        assert error.reason in DECODE_REASONS
        assert str(error)
        with pytest.raises(DecodeError) as again:
            decode(raw)
        assert (again.value.reason, str(again.value)) == (error.reason, str(error))
        return
    decoded.text.encode("utf-8")  # strict: no lone surrogate
    assert len(set(decoded.flags)) == len(decoded.flags)
    assert decode(raw) == decoded


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(codec="utf-8", exclude_characters="\x00\ufeff"), max_size=200))
def test_utf8_text_is_kept_unless_mojibake_is_repaired(text: str) -> None:
    try:
        decoded = decode(text.encode())
    except DecodeError as error:
        assert error.reason in DECODE_REASONS
        return
    if DocumentFlag.MOJIBAKE_REPAIRED in decoded.flags:
        assert decoded.text != text
    else:
        assert decoded.text == text
    assert set(decoded.flags) <= {DocumentFlag.MOJIBAKE_REPAIRED, DocumentFlag.MOJIBAKE_SUSPECTED}


@pytest.mark.parametrize("byte", range(256))
def test_any_repeated_byte_decodes_or_is_quarantined(byte: int) -> None:
    raw = bytes([byte]) * 65_536
    try:
        decoded = decode(raw)
    except DecodeError as error:
        assert error.reason in DECODE_REASONS
        return
    decoded.text.encode("utf-8")


_ADVERSARIAL = {
    "one high byte": lambda n: b"\xe9" * n,
    "one lead byte": lambda n: b"\xd0" * n,
    "all high bytes": lambda n: bytes(range(0x80, 0x100)) * (n // 128),
    "alternating": lambda n: b"\xc3A" * (n // 2),
    "lone continuations": lambda n: b"a\x80" * (n // 2),
    "overlong": lambda n: b"\xc0\x80" * (n // 2),
    "surrogates": lambda n: b"\xed\xa0\x80" * (n // 3),
    "above U+10FFFF": lambda n: b"\xf4\x90\x80\x80" * (n // 4),
    "nul pattern": lambda n: b"A\x00" * (n // 2),
    "mojibake": lambda n: "Ã©".encode() * (n // 4),
    "double mojibake": lambda n: "ÃƒÂ©".encode() * (n // 8),
    "mojibake pairs in one run": lambda n: "Р°Ё".encode() * (n // 6),
    "cp1251 words": lambda n: "ПРЕЗИДЕНТ ".encode("cp1251") * (n // 10),
    "strong pairs, no mojibake": lambda n: "Ã€".encode() * (n // 5),
    "one long cyrillic run": lambda n: "в\u00a0„".encode() * (n // 7),
}


def _cpu_seconds(raw: bytes) -> float:
    start = time.process_time()
    with contextlib.suppress(DecodeError):
        decode(raw)
    return time.process_time() - start


@pytest.mark.parametrize("pattern", sorted(_ADVERSARIAL))
def test_decoding_adversarial_bytes_is_linear(pattern: str) -> None:
    make = _ADVERSARIAL[pattern]
    small, large = make(250_000), make(1_000_000)
    _cpu_seconds(small)  # warm up compiled patterns and codecs
    assert _cpu_seconds(large) < 8 * _cpu_seconds(small) + 0.2
    assert _cpu_seconds(make(5_000_000)) < 20


def test_empty_input_is_an_empty_decode_error() -> None:
    assert _quarantined(b"").reason is QuarantineReason.EMPTY


def test_control_heavy_input_is_binary() -> None:
    assert _quarantined(bytes(range(1, 9)) * 20 + b"some text").reason is QuarantineReason.BINARY


def test_a_few_nul_bytes_are_left_for_normalization() -> None:
    raw = b"A long enough line of ordinary text here." * 3 + b"\x00"
    decoded = decode(raw)
    assert decoded.text.endswith("\x00")
    assert decoded.flags == ()


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(DecodeError, ValueError)
