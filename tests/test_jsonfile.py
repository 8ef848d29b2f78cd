from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.corpus import CorpusError
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.jsonfile import MAX_DEPTH, parse_json, read_json_file, read_regular_file

REFUSED_TEXTS = {
    "arrays nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "nested deeper than 64"),
    "objects nested 100,000 deep": (b'{"a":' * 100_000, "nested deeper than 64"),
    "nested one level too deep": (
        b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
        "nested deeper than 64",
    ),
    "a 5,000-digit integer": (b"1" * 5000, "a number of 5000 characters"),
    "a 5,000-digit float": (b"0." + b"1" * 5000, "a number of 5002 characters"),
    "a float beyond the range": (b"[1e999]", "1e999 is out of the range of a float"),
    "NaN": (b'{"a": NaN}', "NaN is not a JSON number"),
    "Infinity": (b"[Infinity]", "Infinity is not a JSON number"),
    "-Infinity": (b"[-Infinity]", "-Infinity is not a JSON number"),
    "a lone high surrogate": (b'["\\ud800"]', "lone surrogate \\ud800"),
    "a lone low surrogate as a key": (b'{"\\udc00": 1}', "lone surrogate \\udc00"),
    "a repeated key": (b'{"files": [], "files": {}}', "duplicate key 'files'"),
    "bytes that are not UTF-8": (b'{"a": "\xff"}', "invalid UTF-8 at byte 7"),
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


def test_a_file_is_read_and_parsed(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text('{"files": []}', encoding="utf-8")
    assert read_json_file(path) == {"files": []}


def _fifo(path: Path) -> None:
    os.mkfifo(path)


SPECIAL_FILES = {
    "a folder": (lambda p: p.mkdir(), "not a regular file"),
    "a FIFO": (_fifo, "not a regular file"),
    "a symlink to /dev/zero": (lambda p: p.symlink_to("/dev/zero"), "not a regular file"),
    "a symlink loop": (lambda p: p.symlink_to(p.name), "cannot read"),
    "nothing": (lambda p: None, "No such file or directory"),
}


@pytest.mark.parametrize("case", list(SPECIAL_FILES))
def test_only_a_regular_file_is_opened(case: str, tmp_path: Path) -> None:
    make, reason = SPECIAL_FILES[case]
    path = tmp_path / "MANIFEST.json"
    make(path)
    with pytest.raises(DatasetError, match=reason) as caught:
        read_json_file(path)
    assert str(path) in str(caught.value)


def test_a_file_above_the_bound_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"[" + b"1," * 1000 + b"1]")
    size = path.stat().st_size
    assert read_regular_file(path, max_bytes=size) == path.read_bytes()
    with pytest.raises(DatasetError, match=f"larger than {size - 1:,} bytes"):
        read_regular_file(path, max_bytes=size - 1)


def test_the_error_is_of_the_callers_kind_and_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "gold.expected.json"
    path.write_bytes(b"[" * 100_000)
    with pytest.raises(CorpusError, match=r"gold\.expected\.json: not valid JSON \(nested"):
        read_json_file(path, error=CorpusError)
