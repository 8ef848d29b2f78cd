from __future__ import annotations

import os
from pathlib import Path

import pytest

from dispatch_corpus.dataset.corpus import CorpusError
from dispatch_corpus.dataset.jsonfile import read_json_file, read_regular_file
from dispatch_corpus.errors import DatasetError


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
    with pytest.raises(CorpusError, match=r"gold\.expected\.json: nested too deeply"):
        read_json_file(path, error=CorpusError)
