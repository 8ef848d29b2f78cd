"""A build finds near-duplicate clusters, assigns splits, flags repeated paragraphs, pins splits."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from stories import WIRE_BODY, distinct_story

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.core.neardup import hashed_split
from dispatch_corpus.dataset.layout import BUILD_RECORD, SPLITS
from dispatch_corpus.dataset.pins import Pins, read_pins
from dispatch_corpus.models import Split
from dispatch_corpus.settings import BuildSettings
from dispatch_corpus.validation import run_validation

MakeCorpus = Callable[[Mapping[str, bytes | str]], Path]
ReadRows = Callable[[Path, str], list[dict[str, Any]]]

TO_BE_CONTINUED = "Продолжение следует"


@pytest.fixture
def corpus(make_corpus: MakeCorpus) -> Path:
    files: dict[str, bytes | str] = {f"city/s{n:02d}.txt": distinct_story(n) for n in range(30)}
    files["wire/b_copy.txt"] = "Storm over, boats back\n\n" + WIRE_BODY
    files["wire/a_orig.txt"] = "Brest fleet back at sea\n\n" + WIRE_BODY + "\n\n" + TO_BE_CONTINUED
    files["wire/c_other.txt"] = distinct_story(99) + "\n\n" + TO_BE_CONTINUED
    return make_corpus(files)


def _by_id(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["doc_id"]: row for row in rows}


def test_near_duplicates_share_cluster_and_split_and_boilerplate_is_flagged(
    corpus: Path, tmp_path: Path, read_rows: ReadRows
) -> None:
    out = tmp_path / "out"
    summary = build_dataset(corpus, out)
    docs = _by_id(read_rows(out, "documents"))
    assert docs["b_copy"]["cluster_id"] == docs["a_orig"]["cluster_id"] == "a_orig"
    assert docs["b_copy"]["split"] == docs["a_orig"]["split"] == hashed_split("a_orig").value
    for doc_id, row in docs.items():
        if doc_id not in ("a_orig", "b_copy"):
            assert row["cluster_id"] == doc_id
            assert row["split"] == hashed_split(doc_id).value
    assert summary.clusters == {2: 1}
    # Rows sit in the shards of their document's split.
    for table in ("documents", "paragraphs", "sections"):
        for shard in sorted((out / "data" / table).glob("*.parquet")):
            split = shard.name.split("-")[0]
            ids = set(pq.read_table(shard, columns=["doc_id"])["doc_id"].to_pylist())
            assert {docs[i]["split"] for i in ids} <= {split}, shard
    flagged = {
        (row["doc_id"], row["text"])
        for row in read_rows(out, "paragraphs")
        if "repeated_text" in row["flags"]
    }
    # In two clusters: flagged everywhere. The wire body is in one cluster only: not flagged.
    assert flagged == {("a_orig", TO_BE_CONTINUED), ("c_other", TO_BE_CONTINUED)}
    assert run_validation(out).success
    record = json.loads((out / BUILD_RECORD).read_text(encoding="utf-8"))
    assert record["settings"]["neardup"]["split_salt"] == "dispatch-corpus/split/v1"
    assert record["settings"]["neardup"]["split_ratios"] == {
        "train": 80,
        "validation": 10,
        "test": 10,
    }
    assert record["settings"]["neardup"]["jaccard_threshold"] == 0.8


def test_every_split_of_every_config_loads_offline(
    corpus: Path, tmp_path: Path, read_rows: ReadRows
) -> None:
    import datasets

    out = tmp_path / "out"
    build_dataset(corpus, out)
    docs = read_rows(out, "documents")
    present = {row["split"] for row in docs}
    assert present == set(SPLITS)
    for config in ("paragraphs", "documents", "sections"):
        for split in SPLITS:
            loaded = datasets.load_dataset(
                str(out), config, split=split, cache_dir=str(tmp_path / "hf")
            )
            ids = {row["doc_id"] for row in docs if row["split"] == split}
            assert set(loaded["doc_id"]) == ids, (config, split)
    documents = datasets.load_dataset(str(out), "documents", cache_dir=str(tmp_path / "hf"))
    kept = documents["train"].filter(lambda d: d["cluster_id"] == d["doc_id"])
    assert len(kept) == len(documents["train"]) - sum(
        1 for row in docs if row["split"] == "train" and row["cluster_id"] != row["doc_id"]
    )


def test_pins_keep_a_documents_split_and_are_recorded(
    corpus: Path, tmp_path: Path, read_rows: ReadRows
) -> None:
    first = tmp_path / "first"
    build_dataset(corpus, first)
    pins = read_pins(first)
    moved = next(s for s in Split if s.value != pins.splits["a_orig"])
    pinned = Pins({**pins.splits, "a_orig": moved.value}, pins.source, pins.files)
    second = tmp_path / "second"
    build_dataset(corpus, second, BuildSettings(), pins=pinned)
    docs = _by_id(read_rows(second, "documents"))
    # The whole cluster follows its pinned member; the others keep their pinned split.
    assert docs["a_orig"]["split"] == docs["b_copy"]["split"] == moved.value
    for doc_id, row in docs.items():
        if doc_id not in ("a_orig", "b_copy"):
            assert row["split"] == pins.splits[doc_id]
    record = json.loads((second / BUILD_RECORD).read_text(encoding="utf-8"))
    assert record["settings"]["splits_from"] == pinned.recorded()


def test_one_and_two_workers_write_the_same_clusters_and_bytes(
    make_corpus: MakeCorpus, tmp_path: Path
) -> None:
    files: dict[str, bytes | str] = {
        f"city/s{n:03d}.txt": distinct_story(n % 40) for n in range(200)
    }
    # Near copies spread over many chunks: the clusters cross chunk boundaries.
    for n in range(200):
        files[f"wire/w{n:03d}.txt"] = f"Wire copy {n}\n\n" + WIRE_BODY + f"\n\nFiled {n}."
    corpus = make_corpus(files)
    one = build_dataset(corpus, tmp_path / "one", BuildSettings(workers=1))
    two = build_dataset(corpus, tmp_path / "two", BuildSettings(workers=2))
    assert one.clusters == two.clusters
    assert one.clusters[200] == 1
    data = {
        name: {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.parquet")}
        for name, root in (("one", tmp_path / "one"), ("two", tmp_path / "two"))
    }
    assert data["one"] == data["two"]
