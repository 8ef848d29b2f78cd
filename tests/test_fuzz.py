"""Fuzzing the pure core: arbitrary bytes and Unicode through decode, normalize, split, label.

The number of examples per property comes from DISPATCH_FUZZ_EXAMPLES (default 200);
``scripts/fuzz.py`` runs the long campaign.
"""

from __future__ import annotations

import itertools
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dispatch_corpus.core.label.roles import label_roles
from dispatch_corpus.core.label.sections import group_sections
from dispatch_corpus.core.pipeline import process_dispatch
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.core.text.decode import DecodeError, decode
from dispatch_corpus.core.text.normalize import normalize
from dispatch_corpus.core.text.split import (
    TRIM_CHARS,
    join_paragraphs,
    paragraph_spans,
    split_paragraphs,
)
from dispatch_corpus.models import DocumentRecord, QuarantineReason, QuarantineRecord

EXAMPLES = int(os.environ.get("DISPATCH_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Text mixing every kind of trouble: controls, escapes, invisible and bidi characters,
# line separators, quotes, list markers, digits, several scripts.
_PIECES = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=8),
    st.sampled_from(
        [
            *'\n\r\t \xa0\u200b\u202e\u2028\u2029\x00\x1b\x85\ufeff«»“”"-–—•*:.()',
            *("\n\n", "1. ", "a) ", "- ", "\x1b[31m", "AFP", "said", "заявил", "a déclaré"),
        ]
    ),
)
HOSTILE_TEXT = st.lists(_PIECES, max_size=60).map("".join)
LANGUAGES = st.sampled_from(["fr", "en", "ru", "de", "und"])


def _visible(text: str) -> str:
    return "".join(c for c in text if c not in TRIM_CHARS)


@FUZZ
@given(raw=st.binary(max_size=600))
def test_decode_never_raises_anything_but_decode_error(raw: bytes) -> None:
    try:
        decoded = decode(raw)
    except DecodeError as error:
        assert error.reason in {
            QuarantineReason.EMPTY,
            QuarantineReason.BINARY,
            QuarantineReason.UNDECODABLE,
        }
        return
    assert isinstance(decoded.text, str)


@FUZZ
@given(text=HOSTILE_TEXT, language=LANGUAGES)
def test_core_invariants_hold_for_any_text(text: str, language: str) -> None:
    normalized = normalize(text).text
    assert "\r" not in normalized and "\x00" not in normalized and "\x1b" not in normalized
    paragraphs = split_paragraphs(normalized)
    canonical = join_paragraphs(paragraphs)
    assert _visible(canonical) == _visible(normalized)
    for (start, end), paragraph in zip(paragraph_spans(paragraphs), paragraphs, strict=True):
        assert canonical[start:end] == paragraph
        assert paragraph and paragraph == paragraph.strip(TRIM_CHARS) and "\n" not in paragraph
    assert split_paragraphs(canonical) == paragraphs
    if paragraphs:
        roles = label_roles(paragraphs, language)
        assert len(roles) == len(paragraphs)
        sections = group_sections(roles)
        assert sections[0].start == 0 and sections[-1].end == len(paragraphs)
        assert all(a.end == b.start for a, b in itertools.pairwise(sections))


@FUZZ
@given(raw=st.one_of(st.binary(max_size=600), HOSTILE_TEXT.map(str.encode)))
def test_pipeline_never_raises_and_never_builds_an_invalid_record(raw: bytes) -> None:
    result = process_dispatch(RawDispatch("fuzz/doc.txt", "fuzz", "doc", raw))
    if isinstance(result, QuarantineRecord):
        assert result.reason_code is not QuarantineReason.INVALID_RECORD, result.message
    else:
        assert isinstance(result, DocumentRecord)
        assert result.document.text == join_paragraphs([p.text for p in result.paragraphs])
