"""Compare the MinHash of datasketch and rensa on the shingles of real and planted documents.

For each library: CPU time per document (signature of the document's word shingles), the
error of its estimated Jaccard similarity against the exact one on planted near-duplicate
pairs (one copy per edit kind of ``bench.neardup``), the pairs each finds at or above the
threshold and how they agree, whether the signatures are equal across processes with
different ``PYTHONHASHSEED``, and the memory its import adds. datasketch is not a dependency:

    uv run --frozen --with datasketch python scripts/compare_minhash.py [--corpus DIR] [--limit N]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from dispatch_corpus.bench.neardup import EDITS, NEARDUP_SEED, jaccard
from dispatch_corpus.core.neardup import JACCARD_THRESHOLD, MINHASH_SEED, NUM_PERM, shingles
from dispatch_corpus.models import PARAGRAPH_SEPARATOR

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from bench_neardup import canonical_texts  # noqa: E402

Signer = Callable[[list[str]], np.ndarray]


def datasketch_signer() -> Signer:
    import datasketch

    def sign(items: list[str]) -> np.ndarray:
        minhash = datasketch.MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
        minhash.update_batch([item.encode("utf-8") for item in items])
        return np.asarray(minhash.hashvalues, dtype=np.uint32)

    return sign


def rensa_signer() -> Signer:
    import rensa

    def sign(items: list[str]) -> np.ndarray:
        minhash = rensa.RMinHash(NUM_PERM, MINHASH_SEED)
        minhash.update(items)
        return np.asarray(minhash.digest(), dtype=np.uint32)

    return sign


SIGNERS = {"datasketch": datasketch_signer, "rensa": rensa_signer}


def documents(corpus: Path, limit: int | None) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """Return sorted shingle lists of the real documents and planted copies, and the pairs."""
    texts = canonical_texts(corpus)
    rng = random.Random(NEARDUP_SEED)
    ids = sorted(texts)
    pool = [p for doc_id in ids for p in texts[doc_id].split(PARAGRAPH_SEPARATOR)]
    sets = [sorted(shingles(texts[doc_id])) for doc_id in ids]
    pairs = []
    for index, doc_id in enumerate(ids[:limit]):
        paragraphs = texts[doc_id].split(PARAGRAPH_SEPARATOR)
        for edit in EDITS.values():
            copy = PARAGRAPH_SEPARATOR.join(edit(list(paragraphs), rng, pool))
            pairs.append((index, len(sets)))
            sets.append(sorted(shingles(copy)))
    return sets, pairs


def child(name: str, corpus: Path, limit: int | None) -> None:
    """Print the sha256 of the library's signatures of every document (run in a subprocess)."""
    sets, _ = documents(corpus, limit)
    sign = SIGNERS[name]()
    print(hashlib.sha256(np.stack([sign(s) for s in sets]).tobytes()).hexdigest())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / ".." / "shared" / "corpus")
    parser.add_argument("--limit", type=int, default=200, help="plant copies of N documents")
    parser.add_argument("--child", choices=sorted(SIGNERS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.corpus, args.limit)
        return 0
    sets, pairs = documents(args.corpus, args.limit)
    exact = np.array([jaccard(set(sets[a]), set(sets[b])) for a, b in pairs])
    print(f"documents {len(sets)} (planted pairs {len(pairs)}), {NUM_PERM} permutations")
    print(
        "library | import MB | ms/doc (CPU) | mean err | mean |err| | pairs >= t | agree | "
        "same across processes"
    )
    found: dict[str, set[int]] = {}
    for name, make in SIGNERS.items():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sign = make()
        sign(sets[0])
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        started = time.process_time()
        signatures = np.stack([sign(s) for s in sets])
        per_doc = (time.process_time() - started) / len(sets) * 1000
        left = signatures[[a for a, _ in pairs]]
        right = signatures[[b for _, b in pairs]]
        estimate = (left == right).mean(axis=1)
        found[name] = set(np.flatnonzero(estimate >= JACCARD_THRESHOLD).tolist())
        digests = set()
        for seed in ("0", "1"):
            env = {**os.environ, "PYTHONHASHSEED": seed}
            command = [
                sys.executable,
                __file__,
                "--child",
                name,
                "--corpus",
                str(args.corpus),
                "--limit",
                str(args.limit),
            ]
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            digests.add(done.stdout.strip())
        digests.add(hashlib.sha256(signatures.tobytes()).hexdigest())
        error = estimate - exact
        truth = set(np.flatnonzero(exact >= JACCARD_THRESHOLD).tolist())
        print(
            f"{name} | {grown:.0f} | {per_doc:.3f} | {error.mean():+.4f} | "
            f"{np.abs(error).mean():.4f} | {len(found[name])} | "
            f"{len(found[name] & truth)}/{len(truth)} true | {'yes' if len(digests) == 1 else 'NO'}"
        )
    first, second = found.values()
    print(f"pairs found by both {len(first & second)}, by one only {len(first ^ second)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
