from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dispatch_corpus.utils.values import SHOWN_CHARS, printable, quoted, shown, shown_pair


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (True, True),
        (99, 99),
        (-1.5, -1.5),
        (2**70, str(2**70)),
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (date(2024, 2, 29), "2024-02-29"),
        ("\ud800x", "\\ud800x"),
        (["a", None], "['a', None]"),
        (b"\xff", "b'\\xff'"),
    ],
)
def test_shown_values_are_json_ready(value: object, expected: object) -> None:
    assert shown(value) == expected
    json.dumps(shown(value), allow_nan=False).encode("utf-8")


@given(st.text())
def test_shown_text_is_bounded_and_writable_as_utf8(text: str) -> None:
    view = shown(text)
    assert len(view) <= SHOWN_CHARS
    view.encode("utf-8")


def test_quoted_values_are_clipped_reprs() -> None:
    assert quoted("abc") == "'abc'"
    assert quoted(99) == "99"
    assert len(quoted("x" * 500)) == 60


def test_printable_escapes_controls_and_undecodable_bytes() -> None:
    assert printable("odd\udcff\nname") == "odd\\xff\\nname"
    assert printable("a\ud800b\x1b[31m") == "a\\ud800b\\x1b[31m"
    assert printable("Grève.txt") == "Grève.txt"


def test_a_pair_of_long_strings_is_shown_around_their_first_difference() -> None:
    text = "x" * 500 + " end."
    expected, actual = shown_pair(text, text + "\n")
    assert expected != actual
    assert expected.startswith("[from character ")
    assert expected.endswith(" end.")
    assert actual.endswith(" end.\n")
    assert shown_pair("short", 5) == ("short", 5)
