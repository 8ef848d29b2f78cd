from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.utils import jsontext
from dispatch_corpus.utils.jsontext import MAX_DEPTH, MAX_NUMBER_CHARS, parse_json

REFUSED_TEXTS = {
    "arrays nested 100,000 deep": (
        b"[" * 100_000 + b"]" * 100_000,
        "nested too deeply (over 64 levels)",
    ),
    "objects nested 100,000 deep": (b'{"a":' * 100_000, "nested too deeply (over 64 levels)"),
    "nested one level too deep": (
        b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
        "nested too deeply (over 64 levels)",
    ),
    "a 5,000-digit integer": (b"1" * 5000, "a number of 5000 characters (more than 100)"),
    "a 5,000-digit float": (b"0." + b"1" * 5000, "a number of 5002 characters"),
    "a float beyond the range": (b"[1e999]", "1e999 is out of the range of a float"),
    "NaN": (b'{"a": NaN}', "NaN is not a JSON number"),
    "Infinity": (b"[Infinity]", "Infinity is not a JSON number"),
    "-Infinity": (b"[-Infinity]", "-Infinity is not a JSON number"),
    "a lone high surrogate": (b'["\\ud800"]', "lone surrogate \\ud800"),
    "a lone low surrogate as a key": (b'{"\\udc00": 1}', "lone surrogate \\udc00"),
    "a number one character too long": (b"1" * (MAX_NUMBER_CHARS + 1), "a number of 101"),
    "a repeated key": (b'{"files": [], "files": {}}', "key 'files' given twice"),
    "bytes that are not UTF-8": (b'{"a": "\xff"}', "not valid UTF-8 (byte 0xff at offset 7)"),
    "a byte order mark": (b'\xef\xbb\xbf{"a": 1}', "Unexpected UTF-8 BOM"),
    "nothing": (b"", "Expecting value: line 1 column 1"),
    "a cut object": (b'{"a": [1, 2', "Expecting"),
    "two values": (b"[1] [2]", "Extra data"),
}


@pytest.mark.parametrize("case", list(REFUSED_TEXTS))
def test_what_not_every_json_reader_agrees_on_is_refused_in_one_line(case: str) -> None:
    text, reason = REFUSED_TEXTS[case]
    with pytest.raises(ValueError) as caught:
        parse_json(text)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)
    assert len(str(caught.value)) <= 200


def test_ordinary_json_is_read_as_json_reads_it() -> None:
    text = '{"a": [1, -2.5e3, true, null, "é", "\\ud83d\\ude00"], "b": {"c": ""}}'
    assert parse_json(text) == json.loads(text)
    assert parse_json(text.encode()) == json.loads(text)
    deepest = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert parse_json(deepest) == json.loads(deepest)
    brackets_in_a_string = '["' + "[{" * 100_000 + '"]'
    assert parse_json(brackets_in_a_string) == json.loads(brackets_in_a_string)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_any_strict_json_value_round_trips(value: Any) -> None:
    for ensure_ascii in (True, False):
        text = json.dumps(value, ensure_ascii=ensure_ascii)
        assert parse_json(text.encode("utf-8")) == value


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace")))
def test_any_bytes_give_a_value_or_a_one_line_value_error(data: bytes) -> None:
    try:
        value = parse_json(data)
    except ValueError as error:
        assert "\n" not in str(error)
    else:
        json.dumps(value, ensure_ascii=False).encode("utf-8")


def test_nesting_is_counted_outside_strings_in_linear_time() -> None:
    nested = parse_json(b'{"a": ' + b"[" * (MAX_DEPTH - 1) + b"]" * (MAX_DEPTH - 1) + b"}")["a"]
    for _ in range(MAX_DEPTH - 2):
        (nested,) = nested
    assert nested == []
    # Escaped quotes make a naive string pattern restart at every quote (quadratic): with the
    # possessive pattern both lines are judged in one pass.
    started = time.process_time()
    for line in (b'"' + b'\\"' * 32_000 + b"[" * 101, b'"\\' * 21_000 + b"{" * 101):
        with pytest.raises(ValueError):
            parse_json(line)
    assert time.process_time() - started < 2


def test_a_recursion_error_of_the_parser_is_a_value_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsontext, "MAX_DEPTH", 10**9)
    with pytest.raises(ValueError, match=r"^nested too deeply$"):
        parse_json(b"[" * 50_000 + b"]" * 50_000)
