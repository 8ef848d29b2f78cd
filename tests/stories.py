"""Made-up dispatches that are not near-duplicates of each other, for tests that need many.

One template filled with other numbers or names gives word sets that are near-duplicates (a
word-set Jaccard near 0.8), which the build clusters into one split. These stories draw their
words from a made-up vocabulary instead: two of them share about a fifth of their words.
"""

from __future__ import annotations

import random

VOCABULARY = [
    a + b
    for a in ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo")
    for b in ("ber", "dan", "fik", "gol", "han", "jus", "mop", "rel", "sut", "wen")
]


def distinct_story(n: int) -> str:
    """Return dispatch number ``n``: a headline and two paragraphs, the same for the same ``n``."""
    words = random.Random(n).sample(VOCABULARY, 30)
    return (
        f"{' '.join(words[:4]).capitalize()}\n\n"
        f"{' '.join(words[4:18]).capitalize()}, officials said.\n\n"
        f"{' '.join(words[18:]).capitalize()}."
    )


WIRE_BODY = (
    "Fishermen in Brest returned to the harbour on Monday after a storm kept the fleet ashore "
    "for nearly a week, the port authority said in a statement.\n\n"
    "Repairs to the northern breakwater will take until the end of the month, and boats longer "
    "than twelve metres must use the southern entrance until then.\n\n"
    "The mayor thanked the rescue crews, who brought two stranded sailors back to land on "
    "Saturday night after their trawler lost power off the coast."
)
"""The body of a wire story: a test republishes it under other headlines as near-duplicates."""
