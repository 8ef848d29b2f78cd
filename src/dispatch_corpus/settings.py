"""Defaults the command line shows before any work starts, and the frozen settings of a build.

This module imports nothing heavy: ``dispatch-corpus --help`` builds its parser from these
values without loading pyarrow, pandas, Great Expectations or Spark. It sits below every other
layer, so the labeler's settings live here rather than in ``core``: ``BuildSettings`` holds
them, and the core reads them from here.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

Engine = Literal["local", "spark"]
"""Where the build's pure core runs: local processes, or Spark."""
ENGINES: tuple[Engine, ...] = ("local", "spark")
ValidationEngine = Literal["local", "ge", "spark"]
"""What runs the expectation suites: ``local`` evaluates them with Arrow compute in-process
or in worker processes (no Great Expectations), ``ge`` with Great Expectations' pandas
engine, ``spark`` with Great Expectations' Spark engine. A build validates on the engine it
was built with: a local build with ``local``, a Spark build with ``spark``."""
VALIDATION_ENGINES: tuple[ValidationEngine, ...] = ("local", "ge", "spark")
LOCAL_MASTER = "local[2]"
"""Default Spark master: two local cores."""
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""Inputs larger than this are quarantined as ``too_large`` without being read whole."""
DEFAULT_CV_FOLDS = 5
"""Folds of ``evaluate --cv`` and ``release --gold``: five hold out ~15 gold documents each."""
DEFAULT_REPORT_DIR = Path("reports") / "validation"
"""Validation report folder, relative to the dataset folder, when none is given."""


LABELER_VERSION = "2.0"
"""Version of the labeling rules and their evidence names. A calibration fitted for another
version is refused (its evidence names would not mean the same rules), and a build records it
beside the thresholds: equal records mean the same rules with the same thresholds."""


@dataclass(frozen=True)
class LabelerSettings:
    """The thresholds of the paragraph labeler (LABELING.md), set once and passed down.

    ``process_dispatch`` receives them and hands them to ``label_paragraphs``, which passes
    them on (with the compiled patterns of the document's language) to every rule that
    reads one. Every field can change a label, so a build records them all (``recorded``).
    The shipped calibration was fitted with the defaults: with other values its confidences
    describe rules that no longer decide alone. The figures quoted for the shared corpus are
    those of its 854 documents as labeled with the defaults.
    """

    headline_max_chars: int = 200
    """A headline is short (LABELING.md: at most 200 characters; the shared corpus's longest is
    131): a longer first line is the lead. The same bound makes a line before the lead, or
    closing the article, a title rather than a sentence."""
    dateline_max_chars: int = 90
    """A line is only a dateline up to this length: a place, a date and an agency fit well
    within it (the shared corpus's longest is 37), and longer paragraphs are leads, which the
    dateline patterns are not run over."""
    subheading_max_chars: int = 90
    """A heading inside the body is at most this long (the shared corpus's longest is 61).
    Twice this bounds a link title or a caption, which may name a few people and a place."""
    subheading_max_words: int = 12
    """A heading, a closing title or a short list item holds at most this many words (the
    shared corpus's longest heading has 10): more words make a sentence."""
    caption_max_words: int = 12
    """A line inside the body is only taken for an image caption up to this many words."""
    media_note_max_words: int = 30
    """A note about attached media (video, audio, photos) is at most this many words."""
    statement_speech_share: float = 0.45
    """Share of a paragraph's characters in attributed speech from which it is a statement
    ("about half of the paragraph or more", LABELING.md)."""
    statement_opening_share: float = 0.35
    """A paragraph that opens with attributed speech is a statement from this lower share."""
    high_speech_share: float = 0.8
    """From this share of speech a statement is mostly quotation: its own evidence, so its own
    calibrated confidence (100 of 105 right in the gold, against 44 of 46 for the rest)."""
    low_speech_share: float = 0.2
    """Below this share of speech a body paragraph is plain narrative: its own evidence, apart
    from the body paragraphs with more speech, the close calls of the statement rule."""
    intro_dominates_share: float = 0.5
    """A paragraph ending in ``:`` is a statement when the clause introducing someone's words
    makes up this share of it or more; below, what it says before that clause decides."""
    first_person_window_chars: int = 200
    """How far into the paragraph after a line ending in ``:`` first-person words mark a quote."""
    list_item_min_run: int = 2
    """Parallel paragraphs after a line ending in ``:`` are a list from this many on: one alone
    is what the colon introduces (a quotation, an example)."""
    list_item_max_chars: int = 700
    """A paragraph longer than this is prose, not an item of a list without markers."""
    list_term_colon_within: int = 160
    """A colon this close to the start of an item separates a term from its explanation (or a
    speaker from a quotation: ``Name: "…"``)."""
    quote_speech_min_words: int = 6
    """A quotation this long counts as someone's words even without a speech verb beside it;
    a shorter one is a title, a nickname or a term in quote marks ("« La Haine »")."""
    complement_window_chars: int = 40
    """Reported content ("that", "que", "что", a colon, a quote) starts this close to its verb."""
    subject_window_chars: int = 60
    """How far before a speech verb (or after an attribution phrase) its source is looked for."""
    negation_window_chars: int = 30
    """How far before a speech cue a negation ("not", "ne", "не"), a passive auxiliary or a
    determiner is looked for: the few words right before the cue, not the clause before it."""
    trailing_attribution_position: float = 0.4
    """An attribution phrase past this share of its sentence sources a fact, not the sentence."""
    max_cues_judged_per_sentence: int = 64
    """Speech cues judged in one sentence before it is taken as no speech. A real sentence holds
    a handful; judging costs ~16 us a cue, so a 5 MB sentence of cue words ("a dit a dit ...")
    would take seconds per megabyte without the bound, with it a constant per sentence."""
    agency_window_chars: int = 600
    """Wire credits are looked for in this many characters at the start of the dateline and
    lead paragraphs and at the end of the last paragraph: credits stand there, and the search
    stays bounded on long paragraphs."""

    def recorded(self) -> dict[str, Any]:
        """Return the labeler's version and thresholds, as a build records them."""
        return {"version": LABELER_VERSION, **asdict(self)}


DEFAULT_LABELER = LabelerSettings()
"""The thresholds the shipped calibration was fitted with."""


@dataclass(frozen=True)
class BuildSettings:
    """How one build runs, set once by the caller and read by the driver and the engines.

    Only ``max_bytes`` and ``labeler`` decide the output bytes: the engine, the master and the
    number of workers change where the work runs, never what is written (tests compare the
    bytes).
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    workers: int = 1
    engine: Engine = "local"
    spark_master: str = LOCAL_MASTER
    labeler: LabelerSettings = DEFAULT_LABELER

    def recorded(self) -> dict[str, Any]:
        """Return the settings that decide the output, as ``BUILD.json`` records them."""
        return {"max_bytes": self.max_bytes, "labeler": self.labeler.recorded()}


DEFAULT_BUILD = BuildSettings()
"""One local worker process, inputs up to ``DEFAULT_MAX_BYTES``, the default labeler."""


def default_workers() -> int:
    """Return the number of usable cores."""
    # The cores this process may run on (taskset, cpusets), not all the machine has.
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
