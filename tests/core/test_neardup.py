"""Near-duplicates and splits: shingles, signatures, clusters, split assignment, paragraph keys."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.core.neardup import (
    LSH_BANDS,
    LSH_ROWS,
    MIN_WORDS,
    NUM_PERM,
    SPLIT_RATIOS,
    assign_splits,
    find_clusters,
    hashed_split,
    paragraph_key,
    shingles,
    sketch_documents,
    words,
)
from dispatch_corpus.models import Split

STORY = (
    "Fishermen in Brest returned to the harbour on Monday after a storm kept the fleet "
    "ashore for nearly a week, the port authority said in a statement. Repairs to the "
    "northern breakwater will take until the end of the month, and boats longer than twelve "
    "metres must use the southern entrance until then. The mayor thanked the rescue crews, "
    "who brought two stranded sailors back to land on Saturday night."
)
OTHER = (
    "Москва, 3 марта. Правительство утвердило новый порядок выдачи разрешений на "
    "строительство жилых домов в пригородах, сообщила пресс-служба министерства. Заявления "
    "теперь принимаются только в электронном виде, а срок рассмотрения сокращён до десяти "
    "рабочих дней. Éditeurs et élus ont salué la décision prise à l'unanimité."
)


def _sketch(*texts: str) -> tuple[np.ndarray, np.ndarray]:
    sketch = sketch_documents([text.split("\n\n") for text in texts])
    return sketch.signatures, sketch.usable


# --- words and shingles -----------------------------------------------------------------------


def test_words_keep_cyrillic_and_accents_and_casefold() -> None:
    assert words("Élus, ÉTÉ; Правительство утвердило!") == [
        "élus",
        "été",
        "правительство",
        "утвердило",
    ]
    assert words("Straße") == ["strasse"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["le", "port", "Брест", "été", "storm", "42"]), min_size=1),
    st.lists(st.sampled_from([" ", "\n", "  ", "\t", " \n "]), min_size=1),
)
def test_shingles_do_not_depend_on_line_breaks_or_spacing(
    tokens: list[str], gaps: list[str]
) -> None:
    spaced = "".join(t + gaps[i % len(gaps)] for i, t in enumerate(tokens))
    assert shingles(spaced) == shingles(" ".join(tokens))
    wrapped = "\n".join(tokens)
    assert shingles(wrapped) == shingles(" ".join(tokens))


def test_shingles_of_short_and_empty_texts() -> None:
    assert shingles("One two, one THREE.") == {"one", "two", "three"}
    assert shingles(" ,;. ") == set()
    assert shingles("one two three", size=5) == {"one two three"}
    assert shingles("a b c d e f", size=5) == {"a b c d e", "b c d e f"}


# --- signatures -------------------------------------------------------------------------------


def test_signatures_do_not_depend_on_the_batch_or_on_paragraph_breaks() -> None:
    alone, _ = _sketch(STORY)
    batched, usable = _sketch(OTHER, STORY, STORY.replace(". ", ".\n\n"))
    assert (batched[1] == alone[0]).all()
    assert (batched[2] == alone[0]).all()
    assert usable.tolist() == [True, True, True]
    assert (batched[0] != alone[0]).mean() > 0.9


def test_short_documents_are_not_usable() -> None:
    short = " ".join(f"w{i}" for i in range(MIN_WORDS - 1))
    _, usable = _sketch(short, short + " more", "")
    assert usable.tolist() == [False, True, False]


def test_signatures_are_the_same_in_another_process_and_hash_seed() -> None:
    code = (
        "from dispatch_corpus.core.neardup import sketch_documents\n"
        f"s = sketch_documents([[{STORY!r}], [{OTHER!r}]])\n"
        "print(s.signatures.tobytes().hex(), s.paragraph_keys)\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1


# --- clusters ---------------------------------------------------------------------------------


def _edited(text: str, every: int) -> str:
    found = text.split(" ")
    return " ".join("changed" if i % every == 0 else w for i, w in enumerate(found))


def test_near_duplicates_cluster_and_others_do_not() -> None:
    ids = ["d3", "d1", "d2", "d4"]
    texts = [STORY, STORY + " One sentence more.", OTHER, _edited(STORY, 3)]
    signatures, usable = _sketch(*texts)
    found = find_clusters(ids, signatures, usable)
    assert found.cluster_ids == ["d1", "d1", "d2", "d4"]
    assert [(a, b) for a, b, _ in found.pairs] == [(0, 1)]
    assert found.pairs[0][2] >= 0.77


def test_clusters_are_transitive_closures_of_verified_pairs() -> None:
    # b is close to a and to c, a and c are further apart: one cluster all the same.
    base = STORY.split(" ")
    a = " ".join(base)
    b = " ".join([*base, "tail", "words", "here"])
    c = " ".join([*base[:-6], "tail", "words", "here", "and", "then", "some", "more", "text"])
    signatures, usable = _sketch(a, b, c)
    found = find_clusters(["x2", "x3", "x1"], signatures, usable)
    assert len(set(found.cluster_ids)) == 1
    assert found.cluster_ids[0] == "x1"


def test_unusable_documents_stay_alone_even_when_equal() -> None:
    short = "breaking news tonight"
    signatures, usable = _sketch(short, short, STORY)
    found = find_clusters(["a", "b", "c"], signatures, usable)
    assert found.cluster_ids == ["a", "b", "c"]


@settings(max_examples=30, deadline=None)
@given(st.permutations(list(range(6))))
def test_clusters_do_not_depend_on_document_order(order: list[int]) -> None:
    texts = [STORY, STORY + " Extra words at the end.", OTHER, OTHER + " Ещё одно слово.", STORY]
    texts.append(_edited(OTHER, 2))
    ids = [f"doc{i}" for i in range(6)]
    signatures, usable = _sketch(*texts)
    reference = dict(zip(ids, find_clusters(ids, signatures, usable).cluster_ids, strict=True))
    shuffled = find_clusters([ids[i] for i in order], signatures[order], usable[order]).cluster_ids
    assert dict(zip([ids[i] for i in order], shuffled, strict=True)) == reference
    assert reference["doc0"] == reference["doc1"] == reference["doc4"] == "doc0"
    assert reference["doc2"] == reference["doc3"] == "doc2"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.lists(st.integers(0, 1), min_size=NUM_PERM, max_size=NUM_PERM), st.booleans()),
        min_size=0,
        max_size=30,
    ),
    st.sampled_from([0.0, 0.5, 0.77, 1.0]),
)
def test_verified_pairs_are_every_pair_sharing_a_band_above_the_threshold(
    docs: list[tuple[list[int], bool]], threshold: float
) -> None:
    # Values of 0 and 1 make bands collide often; fewer documents than BUCKET_WINDOW, so the
    # window hides no pair and the LSH must find exactly the brute-force pairs.
    signatures = np.array([values for values, _ in docs], dtype=np.uint32).reshape(-1, NUM_PERM)
    usable = np.array([flag for _, flag in docs], dtype=bool)
    found = find_clusters([f"d{i:02d}" for i in range(len(docs))], signatures, usable, threshold)
    bands = [slice(b * LSH_ROWS, (b + 1) * LSH_ROWS) for b in range(LSH_BANDS)]
    expected = set()
    for left, right in combinations(np.flatnonzero(usable).tolist(), 2):
        a, b = signatures[left], signatures[right]
        score = float((a == b).mean())
        if score >= threshold and any((a[band] == b[band]).all() for band in bands):
            expected.add((left, right, score))
    assert set(found.pairs) == expected
    assert len(found.pairs) == len(expected)


def test_a_huge_bucket_is_compared_within_a_window() -> None:
    # 3,000 copies of one text: every band is one bucket of 3,000; the window keeps the
    # comparisons linear, and the chain of neighbours still joins them all.
    signatures, usable = _sketch(*([STORY] * 3000))
    ids = [f"d{i:04d}" for i in range(3000)]
    found = find_clusters(ids, signatures, usable)
    assert set(found.cluster_ids) == {"d0000"}
    assert len(found.pairs) < 3000 * 64


# --- splits -----------------------------------------------------------------------------------


def test_hashed_split_follows_the_ratios_and_is_stable() -> None:
    counts = Counter(hashed_split(f"doc{i}") for i in range(20_000))
    for split, share in SPLIT_RATIOS:
        assert abs(counts[split] / 20_000 - share / 100) < 0.015
    # Pinned by value: a change of salt or hash would move every published cluster.
    assert "".join(hashed_split(i).value[:2] for i in "abcdefghij") == "trtrtrtrvatrtetetrtr"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 5), min_size=1, max_size=30),
    st.dictionaries(st.integers(0, 29), st.sampled_from(list(Split)), max_size=10),
)
def test_every_cluster_lands_in_one_split_and_pins_are_honoured(
    clusters: list[int], pins: dict[int, Split]
) -> None:
    ids = [f"doc{i:02d}" for i in range(len(clusters))]
    cluster_ids = [f"doc{min(j for j, c in enumerate(clusters) if c == k):02d}" for k in clusters]
    pinned = {ids[i]: split for i, split in pins.items() if i < len(ids)}
    splits = assign_splits(ids, cluster_ids, pinned)
    by_cluster: dict[str, set[Split]] = {}
    for cluster, split in zip(cluster_ids, splits, strict=True):
        by_cluster.setdefault(cluster, set()).add(split)
    assert all(len(found) == 1 for found in by_cluster.values())
    for cluster, (found,) in by_cluster.items():
        members = [d for d, c in zip(ids, cluster_ids, strict=True) if c == cluster]
        held = sorted(d for d in members if d in pinned)
        expected = pinned[held[0]] if held else hashed_split(cluster)
        assert found == expected


def test_a_pinned_document_keeps_its_split_when_a_smaller_id_joins_its_cluster() -> None:
    pinned = {"m": Split.TEST}
    assert assign_splits(["m"], ["m"], pinned) == [Split.TEST]
    # "a" is new and now names the cluster: the cluster keeps m's split, whatever a's hash.
    assert assign_splits(["a", "m"], ["a", "a"], pinned) == [Split.TEST, Split.TEST]


def test_conflicting_pins_follow_the_smallest_pinned_doc_id() -> None:
    pinned = {"b": Split.VALIDATION, "c": Split.TEST}
    assert assign_splits(["c", "b", "z"], ["b", "b", "b"], pinned) == [Split.VALIDATION] * 3


# --- paragraph keys ---------------------------------------------------------------------------


def test_paragraph_keys_ignore_case_punctuation_and_spacing() -> None:
    assert paragraph_key("Продолжение следует") == paragraph_key("продолжение  следует.")
    assert paragraph_key("Sources") != paragraph_key("Source")
    assert paragraph_key("* * *") == paragraph_key("***")
    assert paragraph_key("* * *") != paragraph_key("— — —")
    sketch = sketch_documents([["Продолжение следует", "Sources"]])
    assert sketch.paragraph_keys == [
        [paragraph_key("Продолжение следует"), paragraph_key("Sources")]
    ]
