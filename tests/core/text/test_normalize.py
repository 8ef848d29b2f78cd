import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.core.text.normalize import BIDI_CONTROL_CHARS, ZERO_WIDTH_CHARS, nfc, normalize
from dispatch_corpus.models import DocumentFlag


def test_clean_text_is_unchanged_and_unflagged() -> None:
    text = "Titre\n\nUn paragraphe\tavec tabulation : oui !"
    assert normalize(text).text == text
    assert normalize(text).flags == ()


def test_crlf_becomes_lf_without_flag() -> None:
    result = normalize("one\r\ntwo\r\n\r\nthree")
    assert result.text == "one\ntwo\n\nthree"
    assert result.flags == ()


def test_cr_only_line_ends_become_lf_and_are_flagged() -> None:
    result = normalize("one\rtwo\r\rthree")
    assert result.text == "one\ntwo\n\nthree"
    assert result.flags == (DocumentFlag.CR_LINE_ENDS,)


def test_mixed_crlf_and_cr_is_flagged_once() -> None:
    result = normalize("a\r\nb\rc")
    assert result.text == "a\nb\nc"
    assert result.flags == (DocumentFlag.CR_LINE_ENDS,)


def test_unicode_line_separators_become_newlines() -> None:
    assert normalize("a\u2028b\u2029c\x85d").text == "a\nb\nc\nd"


def test_control_characters_are_removed_and_flagged() -> None:
    result = normalize("a\x07b\x0bc\x0cd\x7fe\x9ff\tg\nh")
    assert result.text == "abcdef\tg\nh"
    assert result.flags == (DocumentFlag.CONTROL_CHARS_REMOVED,)


def test_nul_bytes_are_removed_and_flagged() -> None:
    result = normalize("a\x00b")
    assert result.text == "ab"
    assert result.flags == (DocumentFlag.NUL_BYTES_REMOVED,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("\x1b[1;32;40mbold\x1b[m", "bold"),
        ("\x1b]0;window title\x07body", "body"),
        ("\x1b]8;;https://example.org\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1bPdevice string\x1b\\after", "after"),
        ("a\x1bMb", "ab"),
        ("\x9b2Jcleared", "cleared"),
    ],
)
def test_escape_sequences_are_removed_whole_and_flagged(text: str, expected: str) -> None:
    result = normalize(text)
    assert result.text == expected
    assert DocumentFlag.ESCAPE_SEQUENCES_REMOVED in result.flags


@pytest.mark.parametrize("char", list(ZERO_WIDTH_CHARS + BIDI_CONTROL_CHARS))
def test_zero_width_and_bidi_characters_are_removed_and_flagged(char: str) -> None:
    result = normalize(f"mot{char}mot")
    assert result.text == "motmot"
    assert result.flags == (DocumentFlag.INVISIBLE_CHARS_REMOVED,)


def test_joiners_that_carry_meaning_are_kept() -> None:
    text = "a\u200cb\u200dc"
    assert normalize(text).text == text


def test_output_is_nfc() -> None:
    decomposed = "Cafe\u0301 a\u0300 l'e\u0301te\u0301, Йо\u0308"
    result = normalize(decomposed)
    assert result.text == unicodedata.normalize("NFC", decomposed)
    assert result.text == "Café à l'été, Йӧ"
    assert result.flags == ()


def test_french_no_break_spaces_are_kept() -> None:
    text = "Il a dit\u00a0: «\u202fnon\u202f» !"
    assert normalize(text).text == text


def test_flags_follow_the_order_of_the_steps() -> None:
    result = normalize("\x1b[0ma\rb\x00c\x07d\u200be")
    assert result.text == "a\nbcde"
    assert result.flags == (
        DocumentFlag.CR_LINE_ENDS,
        DocumentFlag.ESCAPE_SEQUENCES_REMOVED,
        DocumentFlag.NUL_BYTES_REMOVED,
        DocumentFlag.CONTROL_CHARS_REMOVED,
        DocumentFlag.INVISIBLE_CHARS_REMOVED,
    )


_REMOVED = {chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]}
_REMOVED |= {chr(c) for c in range(0x80, 0xA0)} | {"\r"}
_REMOVED |= set(ZERO_WIDTH_CHARS + BIDI_CONTROL_CHARS + "\u2028\u2029")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_output_is_clean_nfc_and_stable(text: str) -> None:
    result = normalize(text)
    assert not set(result.text) & _REMOVED
    assert unicodedata.is_normalized("NFC", result.text)
    again = normalize(result.text)
    assert again.text == result.text
    assert again.flags == ()
    assert len(set(result.flags)) == len(result.flags)


# --- linear time on runs of combining marks ----------------------------------------------------

MARK_ATTACKS: dict[str, Callable[[int], str]] = {
    "marks of two classes, alternating": lambda n: "a" + "\u0301\u0316" * (n // 2),
    "a letter with marks of two classes": lambda n: "e\u0301\u0316" * (n // 3),
    "vowel signs decomposing to two marks": lambda n: "\u0f73" * n,
    "marks of three classes": lambda n: "\u0316\u0f73\u0344" * (n // 3),
    "marks in canonical order": lambda n: "a" + "\u0316" * (n // 2) + "\u0301" * (n // 2),
}


@pytest.mark.parametrize("attack", sorted(MARK_ATTACKS))
def test_normalization_takes_linear_time_on_runs_of_combining_marks(
    attack: str, cpu_growth: Callable[..., float]
) -> None:
    assert cpu_growth(normalize, MARK_ATTACKS[attack], 20_000) < 8


_MARKS = st.sampled_from(
    [
        *map(chr, range(0x300, 0x370)),
        *("\u0f71", "\u0f72", "\u0f73", "\u0f75", "\u0f81", "\u0344", "\u1dc0", "\u20d0"),
        *("\u05b0", "\u0e38", "\u302a", "\U0001d165"),
    ]
)
_BASES = st.sampled_from(["a", "e", "u", "\u01d6", "\u1100", "\u1161", "\u0e01", "\u05d0", "ı"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_MARKS, _BASES), max_size=120).map("".join))
def test_nfc_is_the_standard_normalization(text: str) -> None:
    assert nfc(text) == unicodedata.normalize("NFC", text)


@pytest.mark.parametrize("attack", sorted(MARK_ATTACKS))
def test_nfc_of_long_runs_of_marks_is_the_standard_normalization(attack: str) -> None:
    text = MARK_ATTACKS[attack](600)
    assert nfc(text) == unicodedata.normalize("NFC", text)
