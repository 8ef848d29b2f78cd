import sys
import tracemalloc
from itertools import islice

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.bench.adversarial import (
    LAYOUTS,
    SHORT_PATTERNS,
    SINGLE_CHARACTERS,
    AdversarialCase,
)
from dispatch_corpus.core.text.normalize import normalize
from dispatch_corpus.core.text.split import (
    SINGLE_BLOCK_MIN_CHARS,
    SINGLE_BLOCK_MIN_SHARE,
    TRIM_CHARS,
    is_single_block,
    iter_paragraphs,
    join_paragraphs,
    paragraph_spans,
    split_paragraphs,
)

# --- line mode and blank-line mode ------------------------------------------------------------


def test_without_blank_lines_every_line_is_a_paragraph() -> None:
    assert split_paragraphs("Title\nFirst line.\nSecond line.") == [
        "Title",
        "First line.",
        "Second line.",
    ]


def test_blank_lines_only_at_the_edges_keep_line_mode() -> None:
    assert split_paragraphs("\n\n  \nOne\nTwo\n\n\n") == ["One", "Two"]


def test_blank_line_mode_joins_hard_wrapped_lines_with_one_space() -> None:
    text = "The storm hit\nthe coast on\nMonday.\n\nRoads were\nclosed."
    assert split_paragraphs(text) == [
        "The storm hit the coast on Monday.",
        "Roads were closed.",
    ]


def test_soft_wrap_trims_each_line_before_joining() -> None:
    text = "The storm hit   \n\t  the coast.\n\nNext."
    assert split_paragraphs(text) == ["The storm hit the coast.", "Next."]


def test_several_blank_lines_are_one_break() -> None:
    assert split_paragraphs("One\n\n\n\n\nTwo") == ["One", "Two"]


def test_lines_of_only_whitespace_count_as_blank() -> None:
    assert split_paragraphs("One\nwrapped\n \t\u00a0\u200b\u3000\nTwo") == ["One wrapped", "Two"]


@pytest.mark.parametrize("marker", ["1.", "12.", "3)", "a)", "B)", "-", "–", "•", "*"])
def test_list_items_start_a_new_paragraph(marker: str) -> None:
    text = f"Intro:\n{marker} first item\n{marker} second item\nwrapped\n\nAfter the list."
    assert split_paragraphs(text) == [
        "Intro:",
        f"{marker} first item",
        f"{marker} second item wrapped",
        "After the list.",
    ]


def test_indented_list_item_starts_a_new_paragraph() -> None:
    text = "Intro:\n  1.\u00a0first\n\tb) second\n\nEnd."
    assert split_paragraphs(text) == ["Intro:", "1.\u00a0first", "b) second", "End."]


@pytest.mark.parametrize("line", ["-5 degrees overnight.", "2.5 million people.", "*bold*"])
def test_lines_that_only_look_like_list_items_are_soft_wrapped(line: str) -> None:
    assert split_paragraphs(f"It fell to\n{line}\n\nNext.") == [f"It fell to {line}", "Next."]


def test_surrounding_whitespace_is_trimmed_including_no_break_and_zero_width() -> None:
    text = "\u00a0\t Hello\u00a0 \u200b\n\n\u200b\u2060World\u3000\u202f\t"
    assert split_paragraphs(text) == ["Hello", "World"]


def test_inner_no_break_spaces_and_tabs_are_kept() -> None:
    text = "Il a dit\u00a0: «\u202fnon\u202f» !\n\nA\tB"
    assert split_paragraphs(text) == ["Il a dit\u00a0: «\u202fnon\u202f» !", "A\tB"]


@pytest.mark.parametrize("text", ["", "\n", " \t\n\u00a0\n\u200b", "\n\n\n"])
def test_text_without_visible_characters_has_no_paragraphs(text: str) -> None:
    assert split_paragraphs(text) == []


def test_trim_chars_cover_every_unicode_whitespace() -> None:
    missing = [hex(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    missing = [c for c in missing if chr(int(c, 16)) not in TRIM_CHARS]
    assert missing == []
    assert "\u200b" in TRIM_CHARS
    assert "\u00a0" in TRIM_CHARS


# --- spans and canonical text -----------------------------------------------------------------


def test_join_paragraphs_uses_a_blank_line() -> None:
    assert join_paragraphs(["ab", "c", "def"]) == "ab\n\nc\n\ndef"
    assert join_paragraphs([]) == ""


def test_paragraph_spans_index_the_canonical_text() -> None:
    paragraphs = ["ab", "c", "déf"]
    assert paragraph_spans(paragraphs) == [(0, 2), (4, 5), (7, 10)]
    assert paragraph_spans([]) == []


# --- single_block -----------------------------------------------------------------------------


def test_one_long_block_is_single_block() -> None:
    assert is_single_block(["x" * SINGLE_BLOCK_MIN_CHARS])


def test_a_block_just_below_the_length_is_not_single_block() -> None:
    assert not is_single_block(["x" * (SINGLE_BLOCK_MIN_CHARS - 1)])


def test_a_long_block_among_others_must_hold_most_of_the_text() -> None:
    longest = "x" * SINGLE_BLOCK_MIN_CHARS
    small_rest = int(SINGLE_BLOCK_MIN_CHARS * (1 - SINGLE_BLOCK_MIN_SHARE) / 2)
    large_rest = SINGLE_BLOCK_MIN_CHARS
    assert is_single_block([longest, "y" * small_rest])
    assert not is_single_block([longest, "y" * large_rest])


def test_no_paragraphs_is_not_single_block() -> None:
    assert not is_single_block([])


# --- properties -------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "\n",
        "\n\n",
        " ",
        "\t",
        "\u00a0",
        "\u202f",
        "\u200b",
        "\u3000",
        "\r",
        "1. ",
        "2) ",
        "a) ",
        "- ",
        "– ",
        "• ",
        "* ",
        ":",
        ".",
        "word",
        "Été",
        "слово",
    ]
)
_TEXTS = st.lists(
    st.one_of(_PIECES, st.characters(codec="utf-8"), st.sampled_from("abcXYZ")), max_size=60
).map("".join)


def _visible(text: str) -> list[str]:
    return [c for c in text if c not in TRIM_CHARS]


def _check_split(text: str) -> None:
    paragraphs = split_paragraphs(text)
    canonical = join_paragraphs(paragraphs)
    for para, (start, end) in zip(paragraphs, paragraph_spans(paragraphs), strict=True):
        assert canonical[start:end] == para
        assert para
        assert para == para.strip(TRIM_CHARS)
        assert "\n" not in para
    assert _visible(text) == _visible(canonical)
    assert split_paragraphs(canonical) == paragraphs


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_split_keeps_every_visible_character_in_trimmed_sliceable_paragraphs(text: str) -> None:
    _check_split(text)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_split_after_normalize_keeps_the_same_properties(text: str) -> None:
    _check_split(normalize(text).text)


# --- adversarial text: the same paragraphs one at a time, in bounded memory -------------------

_ADVERSARIAL = st.builds(
    lambda unit, layout, size, prefix: prefix + AdversarialCase(unit, layout).text(size),
    st.sampled_from([*SINGLE_CHARACTERS, *SHORT_PATTERNS]),
    st.sampled_from(LAYOUTS),
    st.integers(1, 3000),
    _TEXTS,
)


def _check_lazy_split(text: str) -> None:
    paragraphs = split_paragraphs(text)
    assert list(iter_paragraphs(text)) == paragraphs
    assert list(islice(iter_paragraphs(text), 3)) == paragraphs[:3]


@settings(max_examples=300, deadline=None)
@given(_ADVERSARIAL)
def test_split_keeps_its_properties_on_adversarial_text(text: str) -> None:
    _check_split(text)
    _check_split(normalize(text).text)
    _check_lazy_split(text)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_paragraphs_taken_one_at_a_time_are_the_split(text: str) -> None:
    _check_lazy_split(text)


@pytest.mark.parametrize(
    "text",
    [
        "a\n" * 200_000,
        "a\n\n" * 200_000,
        "x\n\nb\n" + "- a\n" * 200_000,
        "\n" * 400_000 + "a\nb",
    ],
    ids=["lines", "paragraphs", "list items", "blank lines then two lines"],
)
def test_the_first_paragraphs_of_a_long_text_cost_no_more_than_they_hold(text: str) -> None:
    tracemalloc.start()
    try:
        first = list(islice(iter_paragraphs(text), 10))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert first == split_paragraphs(text)[:10]
    assert peak < 10_000
