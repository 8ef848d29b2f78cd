"""Cue regexes: factoring their alternatives into a prefix tree changes no match."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.core.cues import CUES
from dispatch_corpus.core.label.patterns import (
    LanguagePatterns,
    expand_alternatives,
    factor_alternatives,
    patterns_for,
    split_alternatives,
    split_case,
    wiki_heading_title,
)

SHARED_DIR = Path(__file__).resolve().parents[3] / ".." / "shared"
SAMPLE_CHARS = 1000
"""Characters read from each shared document: enough for every cue table to fire often."""
PHRASE_TABLES = {
    "speech": "speech_verbs",
    "claim": "claim_verbs",
    "speech_noun": "speech_nouns",
    "attribution": "attributions",
    "media_note": "media_notes",
}


def _unfactored(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)", re.IGNORECASE)


def _spans(pattern: re.Pattern[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text, start, end)]


def _languages() -> Iterator[str]:
    yield from CUES
    yield "xx"


def test_split_alternatives_ignores_bars_inside_groups_and_classes() -> None:
    assert split_alternatives(r"a(?:b|c)|[|]d|e\|f") == ["a(?:b|c)", "[|]d", r"e\|f"]


def test_leading_groups_are_distributed_over_their_options_in_order() -> None:
    assert expand_alternatives("(?:a|ont) dit|x") == ["a dit", "ont dit", "x"]
    assert expand_alternatives("(?:по)?проси(?:л|ла)") == ["попроси(?:л|ла)", "проси(?:л|ла)"]
    assert expand_alternatives("(?:a(?:b|c)|d)e") == ["a(?:b|c)e", "de"]
    assert expand_alternatives(r"(?:\)|[)|]|x)y") == [r"\)y", "[)|]y", "xy"]


@pytest.mark.parametrize("fragment", ["(?:a|b)+c", "(?:a|b)*c", "(?:a|b){2}c", "(?:a|b)??c"])
def test_repeated_or_lazy_leading_groups_are_kept(fragment: str) -> None:
    assert expand_alternatives(fragment) == [fragment]


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("(?:a|ont) dit", "Il a dit, ils ont dit, ont-ils dit"),
        ("(?:по)?проси(?:л|ла)", "попросил, просила, Попросила"),
        ("(?:a|ab)(?:c|bc)", "abc ac abbc"),
    ],
)
def test_expanded_alternatives_match_like_the_fragment(fragment: str, text: str) -> None:
    expanded = re.compile("|".join(expand_alternatives(fragment)), re.IGNORECASE)
    original = re.compile(fragment, re.IGNORECASE)
    assert _spans(expanded, text, 0, len(text)) == _spans(original, text, 0, len(text))


def test_factoring_shares_first_letters_and_keeps_priority() -> None:
    assert factor_alternatives(["said", "Says", "told", "say"]) == ["sa(?:id|y(?:s|))", "told"]
    assert factor_alternatives(["ab", r"\w+", "ac"]) == ["ab", r"\w+", "ac"]
    assert factor_alternatives(["as?", "ab"]) == ["a(?:s?|b)"]
    assert factor_alternatives(["s?a", "sb"]) == ["s?a", "sb"]


CASE_TEXTS = [
    "He said, she says, they say: saying nothing. SAID it.",
    "Il a déclaré que ; elle s’est félicitée ; « non », a-t-il dit.",
    "ЗАЯВИЛ он; по словам министра, как сообщила пресс-служба.",
    "ſaid Said saiD İt ıt",
    "ſAID, ACCORDİNG TO ıt; İNDICATED; Selon lui, D'APRÈS elle; По Словам; ЗаЯвИл.",
]


@pytest.mark.parametrize("text", CASE_TEXTS)
def test_factored_patterns_match_like_the_plain_alternation(text: str) -> None:
    for language in _languages():
        pats = patterns_for(language)
        tables = [CUES[language]] if language in CUES else list(CUES.values())
        for attr, table in PHRASE_TABLES.items():
            phrases = tuple(dict.fromkeys(p for cues in tables for p in getattr(cues, table)))
            plain = _unfactored(phrases)
            assert _spans(getattr(pats, attr), text, 0, len(text)) == _spans(
                plain, text, 0, len(text)
            )


@pytest.fixture(scope="module")
def shared_samples() -> list[str]:
    """The first characters of every shared document, in path order (skip when absent)."""
    corpus = SHARED_DIR / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"shared corpus not found under {corpus.resolve()}")
    texts = [
        path.read_text(encoding="utf-8", errors="replace")[:SAMPLE_CHARS]
        for path in sorted(corpus.glob("*/*.txt"))
    ]
    assert texts
    return texts


def test_factored_patterns_match_like_the_plain_alternation_on_the_shared_corpus(
    shared_samples: list[str],
) -> None:
    for language in _languages():
        pats = patterns_for(language)
        tables = [CUES[language]] if language in CUES else list(CUES.values())
        for attr, table in PHRASE_TABLES.items():
            phrases = tuple(dict.fromkeys(p for cues in tables for p in getattr(cues, table)))
            factored, plain = getattr(pats, attr), _unfactored(phrases)
            for text in shared_samples:
                assert _spans(factored, text, 0, len(text)) == _spans(plain, text, 0, len(text))


def _cue_starts(pats: LanguagePatterns, text: str) -> list[int]:
    tables = (pats.claim, pats.speech, pats.speech_noun, pats.attribution)
    return [at for at in range(len(text) + 1) if any(t.match(text, at) for t in tables)]


@pytest.mark.parametrize("text", CASE_TEXTS)
def test_any_speech_cue_finds_every_start_of_every_cue_table(text: str) -> None:
    for language in _languages():
        pats = patterns_for(language)
        found = [m.start() for m in pats.any_speech_cue.finditer(text)]
        assert found == _cue_starts(pats, text)


def test_any_speech_cue_finds_every_start_of_every_cue_table_on_the_shared_corpus(
    shared_samples: list[str],
) -> None:
    for language in CUES:
        pats = patterns_for(language)
        for text in shared_samples[::4]:
            assert [m.start() for m in pats.any_speech_cue.finditer(text)] == _cue_starts(
                pats, text
            )


def test_split_case_keeps_priority_and_spells_out_the_first_letter() -> None:
    assert split_case(["sa(?:id|ys)", r"\w+", "x"]) == [
        "S(?i:a(?:id|ys))",
        "s(?i:a(?:id|ys))",
        "ſ(?i:a(?:id|ys))",
        r"(?i:\w+)",
        "X",
        "x",
    ]


# --- wiki headings -----------------------------------------------------------------------------

_WIKI_HEADING = re.compile(r"\s*(=+)\s*(?P<title>.*?)\s*\1\s*")
"""The backtracking definition of a wiki heading (cubic on a run of "="): the reference."""


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["=", "==", " ", "\t", "\n", "\u00a0", "a", "Sources"])))
def test_wiki_heading_title_is_the_backtracking_definition(pieces: list[str]) -> None:
    text = "".join(pieces)
    heading = _WIKI_HEADING.fullmatch(text)
    assert wiki_heading_title(text) == (heading.group("title") if heading else None)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("== Sources ==", "Sources"),
        ("  ===  See also ===\t", "See also"),
        ("=== a ==", "= a"),
        ("=====", "="),
        ("====", ""),
        ("=", None),
        ("== a", None),
        ("a ==", None),
    ],
)
def test_wiki_heading_levels_are_the_longest_matching_runs(text: str, title: str | None) -> None:
    assert wiki_heading_title(text) == title
