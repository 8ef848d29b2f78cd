"""Near-duplicate documents and splits: shingles, MinHash, LSH, clusters, split assignment (pure).

A document's canonical text becomes word shingles, then a MinHash signature (rensa's
``RMinHash``, ``sketch_documents``). ``find_clusters`` bands the signatures (LSH),
verifies every candidate pair by its estimated Jaccard similarity and joins the verified pairs
with union-find, so a cluster is the transitive closure of verified pairs; its id is its
smallest doc_id. ``assign_splits`` puts every cluster in one split: the pinned split of an
earlier release when a member has one, otherwise by a salted hash of the cluster id.
``paragraph_key`` is what ``repeated_text`` counts paragraphs by.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import numpy.typing as npt
from rensa import RMinHash

from dispatch_corpus.models import Split

SHINGLE_WORDS = 1
"""Words per shingle: single words (a document's set of distinct words). A copy with one word
in ten replaced keeps a word-set Jaccard of about 0.82, so it is found; with runs of five words
it keeps 1 - 0.9**5 = 59% of its shingles (Jaccard 0.42) and never is. Unrelated dispatches
still stay far apart: no pair of the 854 shared-corpus articles reaches an estimated 0.77
(scripts/bench_neardup.py: word sets find 98% of the planted copies with one word in ten
replaced at a true 0.8 or more, five-word runs none)."""
NUM_PERM = 128
"""MinHash permutations: the estimate of a Jaccard similarity of 0.8 has a standard deviation
of 0.035, and a signature takes 512 bytes (80,000 documents: 41 MB in the driver)."""
MINHASH_SEED = 20_251_128
"""Seed of rensa's permutations: fixed, so a signature depends on the shingles alone."""
JACCARD_THRESHOLD = 0.8
"""Two documents are near-duplicates when their word-shingle Jaccard similarity reaches this."""
ESTIMATE_THRESHOLD = 0.77
"""Least estimated Jaccard of a verified pair: about one standard deviation of the estimate
(0.035 at 128 permutations) under ``JACCARD_THRESHOLD``, so that a pair at a true 0.8 is not
lost half the time. On planted copies of the shared corpus (scripts/bench_neardup.py) a cut at
0.8 finds 92% of the reordered pairs at a true 0.8 or more, 0.77 finds 98%; the pairs it adds
below 0.8 all have a true Jaccard above 0.7."""
LSH_ROWS = 6
LSH_BANDS = 21
"""LSH bands of 6 rows (21 x 6 = 126 of the ``NUM_PERM`` values; verification uses all 128): a
pair at Jaccard 0.77 shares a band with probability 1 - (1 - 0.77**6)**21 = 0.9925, one at 0.8
with 0.998, one at 0.5 with 0.28 and one at 0.3 with 0.015. Word sets of unrelated dispatches in
one language overlap by 0.2 to 0.4 (function words), so bands of 4 rows proposed most of a
bucket's neighbours: on 80,000 generated dispatches clustering took 25 CPU-s with 32 bands of
4 rows and 3.9 s with 21 bands of 6, verifying the same pairs."""
BUCKET_WINDOW = 64
"""Inside one LSH bucket, each member is compared with the next 64 members only: a bucket of
thousands (boilerplate-only documents) would otherwise cost millions of comparisons. True
near-duplicates share most bands, so a pair missed in one bucket is met in another."""
VERIFY_BLOCK = 65_536
"""Candidate pairs verified at once (8 MB of comparisons)."""
MIN_WORDS = 12
"""Documents of fewer words are never clustered: one shared phrase would make
them "similar", and exact copies are already quarantined ``duplicate_text``. The shared
corpus's shortest document has 124 words."""
SPLIT_SALT = b"dispatch-corpus/split/v1"
"""Salt of the split hash: fixed forever, as changing it would move clusters between splits."""
SPLIT_RATIOS: tuple[tuple[Split, int], ...] = (
    (Split.TRAIN, 80),
    (Split.VALIDATION, 10),
    (Split.TEST, 10),
)
"""Share (in percent) of clusters hashed into each split, in this order."""

_WORD = re.compile(r"\w+")
_SPLIT_BUCKETS = sum(share for _, share in SPLIT_RATIOS)

Signatures = npt.NDArray[np.uint32]
"""MinHash signatures, one row of ``NUM_PERM`` values per document."""


def words(text: str) -> list[str]:
    """Return the casefolded Unicode words of a text (letters of any script, digits).

    Args:
        text: Any text.

    Returns:
        Its words in order: punctuation, spaces and line breaks only separate them, so
        re-wrapping a text's lines does not change them.
    """
    return _WORD.findall(text.casefold())


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """Return the word shingles of a text: every run of ``size`` consecutive words.

    Args:
        text: A canonical document text.
        size: Words per shingle.

    Returns:
        The shingles, each its words joined by one space; a text of fewer words gives one
        shingle of all of them, a text without words none.
    """
    return set(_runs(words(text), size))


def _runs(found: list[str], size: int) -> list[str]:
    """Return every run of ``size`` consecutive words of ``found`` (all of them when fewer)."""
    if len(found) <= size:
        return [" ".join(found)] if found else []
    if size == 1:
        return found
    return [" ".join(found[i : i + size]) for i in range(len(found) - size + 1)]


@dataclass(frozen=True)
class Sketch:
    """What clustering and ``repeated_text`` need of a batch of documents."""

    signatures: Signatures
    """One MinHash signature per document (rows of unusable documents are meaningless)."""
    usable: npt.NDArray[np.bool_]
    """Whether each document has ``MIN_WORDS`` words, enough to be compared."""
    paragraph_keys: list[list[int]]
    """``paragraph_key`` of each paragraph of each document."""


def sketch_documents(documents: Sequence[Sequence[str]]) -> Sketch:
    """Return the MinHash signatures and paragraph keys of a batch of documents.

    Each paragraph's words are found once and serve both: the paragraph's key, and the
    document's shingles (words never span paragraphs, so the words of the paragraphs in order
    are those of the canonical text). rensa's ``RMinHash`` hashes each shingle with its own fixed
    hash of the UTF-8 bytes (nothing depends on the process or ``PYTHONHASHSEED``) and signs
    the whole batch in one call, without a Python integer per shingle.

    Args:
        documents: Each document's paragraphs.

    Returns:
        The signatures, which documents are usable, and the paragraph keys.
    """
    keys: list[list[int]] = []
    doc_shingles: list[list[str]] = []
    usable: list[bool] = []
    for paragraphs in documents:
        found = [words(p) for p in paragraphs]
        keys.append([_key(p, w) for p, w in zip(paragraphs, found, strict=True)])
        doc_words = list(chain.from_iterable(found))
        usable.append(len(doc_words) >= MIN_WORDS)
        doc_shingles.append(_runs(doc_words, SHINGLE_WORDS))
    matrix = RMinHash.digest_matrix_from_token_sets(doc_shingles, NUM_PERM, MINHASH_SEED)
    signatures = np.array(matrix.to_rows(), dtype=np.uint32).reshape(len(documents), NUM_PERM)
    return Sketch(signatures, np.array(usable, dtype=bool), keys)


def estimated_jaccard(left: Signatures, right: Signatures) -> npt.NDArray[np.float64]:
    """Return the estimated Jaccard similarity of signature rows, row by row.

    Args:
        left: Signatures, shape (n, ``NUM_PERM``).
        right: Signatures of the same shape.

    Returns:
        The share of equal values in each pair of rows.
    """
    return np.asarray((left == right).mean(axis=1), dtype=np.float64)


@dataclass(frozen=True)
class Clusters:
    """Near-duplicate clusters of a list of documents."""

    cluster_ids: list[str]
    """For each document, in input order: the smallest doc_id of its cluster (itself alone)."""
    pairs: list[tuple[int, int, float]]
    """The verified pairs (indexes into the input, smaller first) with their estimated Jaccard."""


def find_clusters(
    doc_ids: Sequence[str],
    signatures: Signatures,
    usable: npt.NDArray[np.bool_],
    threshold: float = ESTIMATE_THRESHOLD,
) -> Clusters:
    """Cluster documents whose estimated Jaccard similarity reaches ``threshold``.

    LSH banding proposes candidate pairs (documents sharing one band of ``LSH_ROWS`` values);
    each candidate is verified on the whole signature, and verified pairs are joined with
    union-find. The result depends only on the documents, never on their order.

    Args:
        doc_ids: Document ids, unique.
        signatures: One signature per document (rows of unusable documents are ignored).
        usable: For each document, whether it can be compared (``MIN_WORDS`` reached).
        threshold: Least estimated Jaccard of a verified pair.

    Returns:
        Each document's cluster id and the verified pairs.
    """
    count = len(doc_ids)
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = _verified_pairs(signatures, np.flatnonzero(usable), threshold)
    for left, right, _ in pairs:
        a, b = root(left), root(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    smallest: dict[int, str] = {}
    for i, doc_id in enumerate(doc_ids):
        r = root(i)
        if r not in smallest or doc_id < smallest[r]:
            smallest[r] = doc_id
    return Clusters([smallest[root(i)] for i in range(count)], pairs)


def _verified_pairs(
    signatures: Signatures, members: npt.NDArray[np.intp], threshold: float
) -> list[tuple[int, int, float]]:
    """Return the candidate pairs of LSH buckets whose estimated Jaccard reaches ``threshold``."""
    if len(members) < 2:
        return []
    rows = signatures[members].astype(np.uint64)
    count = np.int64(len(members))
    # Candidate pairs as one int64 each (left * count + right), kept unique band by band: a
    # numpy array, not a set of tuples, so memory stays at 8 bytes a pair.
    candidates = np.zeros(0, dtype=np.int64)
    for band in range(LSH_BANDS):
        block = rows[:, band * LSH_ROWS : (band + 1) * LSH_ROWS]
        # A band's values fold into one 64-bit key (multiply-xor, wrapping): equal bands give
        # equal keys; unequal bands that collide are caught by the verification.
        key = np.zeros(len(members), dtype=np.uint64)
        for column in range(LSH_ROWS):
            key = (key * np.uint64(0x100000001B3)) ^ block[:, column]
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        bucket = np.cumsum(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
        found = []
        for offset in range(1, min(BUCKET_WINDOW, len(order) - 1) + 1):
            same = bucket[:-offset] == bucket[offset:]
            if not same.any():
                break
            left, right = order[:-offset][same], order[offset:][same]
            low, high = np.minimum(left, right), np.maximum(left, right)
            found.append(low.astype(np.int64) * count + high)
        if found:
            candidates = _sorted_unique(np.concatenate([candidates, *found]))
    if len(candidates) == 0:
        return []
    verified: list[tuple[int, int, float]] = []
    # In blocks: each pair compares two signature rows, 128 bytes of booleans a pair.
    for start in range(0, len(candidates), VERIFY_BLOCK):
        block_pairs = candidates[start : start + VERIFY_BLOCK]
        left, right = members[block_pairs // count], members[block_pairs % count]
        scores = estimated_jaccard(signatures[left], signatures[right])
        keep = scores >= threshold
        verified += [
            (int(a), int(b), float(s))
            for a, b, s in zip(left[keep], right[keep], scores[keep], strict=True)
        ]
    return verified


def _sorted_unique(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Return the distinct values, sorted (``np.unique`` hashes them first: 10 times slower)."""
    # Stable (timsort) finds the already sorted run of earlier bands and merges into it.
    ordered = np.sort(values, kind="stable")
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def hashed_split(cluster_id: str) -> Split:
    """Return the split of a cluster without pins: a salted sha256 of its id.

    Args:
        cluster_id: The cluster's id (its smallest doc_id).

    Returns:
        The split whose share of the ``SPLIT_RATIOS`` buckets the hash falls in.
    """
    digest = hashlib.sha256(SPLIT_SALT + cluster_id.encode("utf-8")).digest()
    bucket = int.from_bytes(digest[:8], "big") % _SPLIT_BUCKETS
    for split, share in SPLIT_RATIOS:
        if bucket < share:
            return split
        bucket -= share
    raise AssertionError("SPLIT_RATIOS cover every bucket")


def assign_splits(
    doc_ids: Sequence[str], cluster_ids: Sequence[str], pinned: Mapping[str, Split]
) -> list[Split]:
    """Return each document's split: one per cluster, pinned splits first.

    A cluster with pinned members (documents of an earlier release) takes the pinned split of
    its smallest pinned doc_id, so a document keeps its split when a new near-duplicate joins
    it; if its pinned members disagree, the others move (the release reports that). A cluster
    without pins is placed by ``hashed_split``.

    Args:
        doc_ids: Document ids.
        cluster_ids: Each document's cluster id.
        pinned: Split of each document of an earlier release, by doc_id.

    Returns:
        Each document's split, in input order.
    """
    chosen: dict[str, tuple[str, Split]] = {}
    for doc_id, cluster_id in zip(doc_ids, cluster_ids, strict=True):
        split = pinned.get(doc_id)
        if split is None:
            continue
        held = chosen.get(cluster_id)
        if held is None or doc_id < held[0]:
            chosen[cluster_id] = (doc_id, split)
    return [
        chosen[cluster_id][1] if cluster_id in chosen else hashed_split(cluster_id)
        for cluster_id in cluster_ids
    ]


def paragraph_key(text: str) -> int:
    """Return the 64-bit key ``repeated_text`` counts a paragraph by.

    Args:
        text: A paragraph's text.

    Returns:
        The first 8 bytes of the BLAKE2b digest of its casefolded words, space-separated: the
        same paragraph with other case, punctuation or spacing gets the same key (a paragraph
        without words, such as ``* * *``, is keyed by its casefolded characters). Two
        different paragraphs share a key with odds of about n**2 / 2**65 for n paragraphs.
    """
    return _key(text, words(text))


def _key(text: str, found: list[str]) -> int:
    normal = " ".join(found) if found else "".join(text.casefold().split())
    return int.from_bytes(hashlib.blake2b(normal.encode("utf-8"), digest_size=8).digest(), "big")


REPEATED_TEXT_CLUSTERS = 2
"""A paragraph is flagged ``repeated_text`` when its ``paragraph_key`` occurs in documents of at
least this many near-duplicate clusters. Clusters, not documents: a wire story republished five
times repeats its own paragraphs, which are not boilerplate. In the shared corpus (854
documents, no near-duplicates) only two paragraph texts occur in more than one document, each
in two: "Продолжение следует" (a serial's "to be continued") and a bare date line; a threshold
of 3 would flag nothing there."""


def recorded_settings() -> dict[str, object]:
    """Return the constants that decide clusters, splits and ``repeated_text``, for BUILD.json."""
    return {
        "shingle_words": SHINGLE_WORDS,
        "num_perm": NUM_PERM,
        "minhash_seed": MINHASH_SEED,
        "jaccard_threshold": JACCARD_THRESHOLD,
        "estimate_threshold": ESTIMATE_THRESHOLD,
        "lsh_bands": LSH_BANDS,
        "lsh_rows": LSH_ROWS,
        "bucket_window": BUCKET_WINDOW,
        "min_words": MIN_WORDS,
        "split_salt": SPLIT_SALT.decode("ascii"),
        "split_ratios": {split.value: share for split, share in SPLIT_RATIOS},
        "repeated_text_clusters": REPEATED_TEXT_CLUSTERS,
        "minhash_algorithm": RMinHash.ALGORITHM_VERSION,
    }
