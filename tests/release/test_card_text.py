import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dispatch_corpus.release.card_text import (
    FALLBACK_AUTHOR,
    code,
    fence,
    package_authors,
    plain,
    share,
)


@pytest.mark.parametrize(
    ("part", "whole", "noun", "shown"),
    [
        (79, 81, "document", "79 of 81 documents (98%)"),
        (1, 1, "document", "1 of 1 document (100%)"),
        (853, 854, None, "853 of 854 (>99%)"),
        (1, 854, None, "1 of 854 (<1%)"),
        (0, 854, None, "0 of 854 (0%)"),
        (0, 0, "document", "0 of 0 documents"),
        (1200, 5844, None, "1,200 of 5,844 (21%)"),
    ],
)
def test_shares_give_both_counts_and_an_honest_percentage(
    part: int, whole: int, noun: str | None, shown: str
) -> None:
    assert share(part, whole, noun) == shown


@given(
    st.integers(min_value=1, max_value=10**6).flatmap(
        lambda w: st.tuples(st.integers(0, w), st.just(w))
    )
)
def test_a_share_says_all_or_none_only_when_it_is(pair: tuple[int, int]) -> None:
    part, whole = pair
    percent = share(part, whole).rsplit("(", 1)[1]
    assert (percent == "100%)") == (part == whole)
    assert (percent == "0%)") == (part == 0)


@pytest.mark.parametrize(
    "hostile",
    [
        "a | b",
        "line\nbreak\r\nand\ttab",
        "<script>alert(1)</script>",
        "{{ pretty_name }}",
        "**bold** _it_ [link](x) `code`",
        "\x1b[31mred\x1b[0m\u200b",
        "x" * 5000,
    ],
)
def test_plain_text_from_the_data_cannot_break_the_markdown(hostile: str) -> None:
    line = plain(hostile)
    assert "\n" not in line and "\r" not in line
    assert re.search(r"(?<!\\)\|", line) is None
    assert "<" not in line and "{{" not in line
    kept = re.sub(r"\.\.\. \[[\d,]+ more characters?\]$", "", line)
    assert re.search(r"(?<!\\)[`*_\[\]]", kept) is None
    assert line.isprintable()
    assert len(line) < 400


def test_plain_clips_visibly_and_counts_what_it_left_out() -> None:
    assert plain("abcdef", limit=4) == "abcd... [2 more characters]"
    assert plain("abcde", limit=4) == "abcd... [1 more character]"
    assert plain("abcd", limit=4) == "abcd"


@given(st.text(max_size=200))
def test_a_code_span_stays_one_span_in_a_table_cell(text: str) -> None:
    span = code(text)
    assert span.startswith("`") and span.endswith("`")
    inner = span[1:-1]
    assert "`" not in inner and "\n" not in inner
    assert re.search(r"(?<!\\)\|", inner) is None


@given(st.text(alphabet="`ab\n", max_size=60))
def test_a_fence_is_longer_than_any_backtick_run_inside(body: str) -> None:
    fenced = fence(body, "json")
    marks = fenced.split("json", 1)[0]
    assert set(marks) == {"`"} and len(marks) >= 3
    assert marks not in body
    assert fenced.endswith("\n" + marks)


def test_the_authors_come_from_the_package_metadata() -> None:
    import importlib.metadata

    names = importlib.metadata.metadata("dispatch-corpus").get_all("Author") or []
    assert package_authors() == (tuple(names) or (FALLBACK_AUTHOR,))
    assert package_authors()
