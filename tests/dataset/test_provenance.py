import json
import os
from pathlib import Path

import pytest

from dispatch_corpus.dataset import provenance
from dispatch_corpus.dataset.corpus import MAX_METADATA_LINE_CHARS
from dispatch_corpus.dataset.provenance import MAX_VALUES, SourceCounter, file_format, read_sources

GOOD = {
    "id": "a",
    "source": "Example Wikinews\u200b articles\n(line two)",
    "source_repo": "owner/repo",
    "source_commit": "0123456789abcdef0123456789abcdef01234567",
    "source_path": "dump.zip:docs/a.html",
    "license": "CC BY 2.5 (text)",
    "note": "body flattened",
    "paragraphs_lost": True,
    "dropped_caption_lines": ["x"],
    "first_line_is_headline": False,
    "empty_list": [],
}


def _corpus(tmp_path: Path, lines: list[str]) -> Path:
    folder = tmp_path / "corpus" / "news"
    folder.mkdir(parents=True)
    (folder / "metadata.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path / "corpus"


def test_only_the_first_entry_of_each_document_in_the_data_counts(tmp_path: Path) -> None:
    corpus = _corpus(
        tmp_path,
        [
            json.dumps(GOOD),
            json.dumps({**GOOD, "source": "second entry for a"}),
            json.dumps({**GOOD, "id": "gone", "license": "not in the data"}),
            json.dumps(
                {"file": "b.txt", "source": 42, "license": "CC0", "source_path": "b.conllu"}
            ),
            json.dumps({"id": "c", "file": "other.txt", "license": "disagreeing id and file"}),
            '{"id": "d", "license": NaN}',
            "not json at all",
            '{"id": "e", "license": "x"' + " " * MAX_METADATA_LINE_CHARS + "}",
            "[1, 2]",
        ],
    )
    sources = read_sources(corpus, {"news": ["a", "b", "c", "d", "e"], "missing": ["z"]})
    assert list(sources) == ["news"]
    news = sources["news"]
    assert news.documents == 2
    assert news.values["source"] == {"Example Wikinews articles (line two)": 1}
    assert news.values["license"] == {"CC BY 2.5 (text)": 1, "CC0": 1}
    assert news.values["source_path"] == {".conllu": 1, ".html": 1}
    assert news.values["source_repo"] == {"owner/repo": 1}
    assert news.marks == {"dropped_caption_lines": 1, "paragraphs_lost": 1}


def test_no_corpus_or_no_sidecar_gives_no_provenance(tmp_path: Path) -> None:
    assert read_sources(None, {"news": ["a"]}) == {}
    (tmp_path / "news").mkdir()
    assert read_sources(tmp_path, {"news": ["a"]}) == {}


@pytest.mark.parametrize("kind", ["symlink_outside", "symlink_inside", "folder", "fifo"])
def test_a_sidecar_that_is_not_a_regular_file_is_not_read(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "corpus" / "news"
    folder.mkdir(parents=True)
    real = tmp_path / "real.jsonl"
    real.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    sidecar = folder / "metadata.jsonl"
    if kind == "symlink_outside":
        sidecar.symlink_to(real)
    elif kind == "symlink_inside":
        (folder / "other.jsonl").write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
        sidecar.symlink_to(folder / "other.jsonl")
    elif kind == "folder":
        sidecar.mkdir()
    else:
        os.mkfifo(sidecar)
    assert read_sources(tmp_path / "corpus", {"news": ["a"]}) == {}


def test_an_oversized_sidecar_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path, [json.dumps(GOOD)])
    monkeypatch.setattr(provenance, "MAX_SIDECAR_BYTES", 10)
    assert read_sources(corpus, {"news": ["a"]}) == {}


def test_distinct_values_are_capped() -> None:
    counter = SourceCounter()
    for number in range(MAX_VALUES + 30):
        counter.add({"id": str(number), "source": f"source {number}", f"mark_{number}": True})
    sources = counter.sources()
    assert sources.documents == MAX_VALUES + 30
    assert len(sources.values["source"]) == MAX_VALUES
    assert len(sources.marks) == MAX_VALUES


def test_a_long_value_is_read_in_part() -> None:
    counter = SourceCounter()
    counter.add({"source": "y" * 1_000_000})
    (value,) = counter.sources().values["source"]
    assert len(value) == provenance.MAX_VALUE_CHARS


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("dep/GUM_news_afghan.conllu", ".conllu"),
        ("corpus/2016-11-07-Липы за 200 тысяч.txt", ".txt"),
        ("NEREL-v1.1/dev/119336_text.txt", ".txt"),
        ("src/W.zip:W/documents/43971.html", ".html"),
        ("endataset.json (removed in later commits)", ".json"),
        ("README", ""),
        ("v1.1/folder/", ""),
    ],
)
def test_the_file_format_is_the_last_suffix_of_the_upstream_file(path: str, fmt: str) -> None:
    assert file_format(path) == fmt
