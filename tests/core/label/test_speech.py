"""Attributed speech inside a paragraph: quotations, sentences, speech share."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.core.label import speech
from dispatch_corpus.core.label.patterns import patterns_for
from dispatch_corpus.core.label.speech import (
    _matches_from,
    profile_speech,
    quote_spans,
    sentence_spans,
)
from dispatch_corpus.settings import DEFAULT_LABELER


def test_quote_spans_include_their_marks() -> None:
    text = 'He said "we will win" and « nous gagnerons ».'
    spans, open_at_end = quote_spans(text)
    assert [text[a:b] for a, b in spans] == ['"we will win"', "« nous gagnerons »"]
    assert not open_at_end


def test_guillemets_nest() -> None:
    text = "« On a vu 261 cas de « vraie » fraude cette année », dit-elle."
    spans, _ = quote_spans(text)
    assert [text[a:b] for a, b in spans] == ["« On a vu 261 cas de « vraie » fraude cette année »"]


def test_an_unclosed_quotation_is_carried_to_the_next_paragraph() -> None:
    spans, open_at_end = quote_spans('The coach said, "We learned a lot.')
    assert open_at_end and spans[-1][1] == len('The coach said, "We learned a lot.')
    carried = 'It was an emotional day." The team left.'
    spans, open_at_end = quote_spans(carried, starts_inside_quote=True)
    assert [carried[a:b] for a, b in spans] == ['It was an emotional day."']
    assert not open_at_end


def test_apostrophes_are_not_quotations() -> None:
    assert quote_spans("L’armée n’a pas répondu, it’s said.") == ([], False)


@pytest.mark.parametrize(
    ("text", "language", "count"),
    [
        ("Mr. Smith arrived. He left at noon.", "en", 2),
        ("The U.S. team won. A. B. Jones scored twice!", "en", 2),
        ("В начале 2016 г. он уехал. Потом вернулся.", "ru", 2),
        ("M. Dupont est arrivé. Il est reparti.", "fr", 2),
        ("One sentence without end", "en", 1),
    ],
)
def test_sentences_do_not_end_at_abbreviations_or_initials(
    text: str, language: str, count: int
) -> None:
    spans = sentence_spans(text, patterns_for(language).abbreviations)
    assert len(spans) == count
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_a_sentence_ends_before_the_white_space_and_the_next_starts_after_it() -> None:
    text = "He left.  \u00a0\t«Bye», he said!\u2003 — Then silence. x"
    spans = sentence_spans(text, patterns_for("en").abbreviations)
    assert [text[a:b] for a, b in spans] == [
        "He left.",
        "«Bye», he said!",
        "— Then silence. x",
    ]


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(list("aB. !?\u00a0\t\n«»—1U.S")), max_size=60),
    language=st.sampled_from(["en", "fr", "ru"]),
)
def test_sentence_spans_tile_the_paragraph_between_white_space(text: str, language: str) -> None:
    spans = sentence_spans(text, patterns_for(language).abbreviations)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_, end), (start, _) in pairwise(spans):
        assert end <= start and text[end:start].isspace()
        assert not text[start].isspace() and not text[end - 1].isspace()


def test_reported_clause_counts_from_its_conjunction() -> None:
    pats = patterns_for("ru")
    text = "Лаборатория закрыта уже давно и надолго, а министр сообщил, что её откроют."
    profile = profile_speech(text, pats)
    assert 0.3 < profile.share < 0.7
    assert not profile.opens_with_speech


def test_a_relative_clause_claim_does_not_make_the_sentence_speech() -> None:
    pats = patterns_for("ru")
    text = "Украина договорилась со всеми кредиторами, кроме России, которая настаивала на своём."
    assert profile_speech(text, pats).share < 0.45


def test_a_quotation_sourced_to_a_newspaper_is_not_speech() -> None:
    pats = patterns_for("en")
    text = '"Her skin was weeping and her body malnourished", according to the Morning Herald.'
    assert profile_speech(text, pats).share == 0.0


def test_a_long_quotation_is_speech_without_a_verb() -> None:
    pats = patterns_for("fr")
    text = "« Il faut protéger le pays et rendre le pouvoir aux civils au plus vite. »"
    assert profile_speech(text, pats).share == 1.0


def test_a_short_quoted_title_is_not_speech() -> None:
    pats = patterns_for("fr")
    assert profile_speech("Le film « La Haine » sort en salles.", pats).share == 0.0


def test_a_colon_after_a_speech_verb_opens_unquoted_speech() -> None:
    pats = patterns_for("ru")
    text = "Позже он написал в микроблоге: Я не комментирую слухи. Это всё."
    assert profile_speech(text, pats).share > 0.9


def test_a_colon_before_lowercase_details_is_not_speech() -> None:
    pats = patterns_for("fr")
    text = "Le fabricant promet une autonomie accrue : de 3 h à 6 h selon les jeux."
    assert profile_speech(text, pats).share < 0.45


CUE_WORDS = {
    "en": ["said", "says", "told", "according to", "claimed", "statement", "He", "the", "Said"],
    "fr": [
        "a déclaré",
        "avait dit",
        "selon",
        "affirme",
        "dit",
        "estime",
        "d'après",
        "Il",
        "la",
        "SELON",
    ],
    "ru": ["заявил", "сказала", "по словам", "сообщил", "отметил", "Он", "и", "ЗАЯВИЛ"],
}
SEPARATORS = [" ", ", ", ". ", " «", "» ", ": ", "-", "", "x", "1"]


@settings(max_examples=300, deadline=None)
@given(data=st.data(), language=st.sampled_from(sorted(CUE_WORDS)))
def test_cue_matches_tried_at_candidate_starts_equal_a_full_scan(
    data: st.DataObject, language: str
) -> None:
    pats = patterns_for(language)
    pieces = st.sampled_from(CUE_WORDS[language]) | st.sampled_from(SEPARATORS)
    text = "".join(data.draw(st.lists(pieces, max_size=30)))
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    starts = [cue.start() for cue in pats.any_speech_cue.finditer(text, start, end)]
    for pattern in (pats.claim, pats.speech, pats.speech_noun, pats.attribution):
        expected = [m.span() for m in pattern.finditer(text, start, end)]
        assert [m.span() for m in _matches_from(pattern, text, starts, end)] == expected


def test_a_cue_inside_an_earlier_match_is_not_matched_again() -> None:
    pats = patterns_for("fr")
    text = "Il avait dit Christian, dit-il."
    starts = [cue.start() for cue in pats.any_speech_cue.finditer(text)]
    assert len(starts) == 3
    found = [m.group() for m in _matches_from(pats.speech, text, starts, len(text))]
    assert found == [m.group() for m in pats.speech.finditer(text)] == ["avait dit", "dit"]


# --- linear time on adversarial paragraphs ----------------------------------------------------

SPEECH_ATTACKS: dict[str, tuple[str, int, Callable[[int], str]]] = {
    "run of periods": ("en", 6000, lambda n: "." * n),
    "run of mixed end marks": ("en", 6000, lambda n: "?!…." * (n // 4)),
    "end marks and closing quotes": ("fr", 6000, lambda n: ".»" * (n // 2)),
    "periods before spaces and a lowercase": ("en", 6000, lambda n: "x." + " " * n + "x"),
    "initials after one word": ("en", 6000, lambda n: "A" + ". «" * (n // 3)),
    "abbreviations in one sentence": ("en", 6000, lambda n: "Mr. " * (n // 4)),
    "one long quotation": ("fr", 6000, lambda n: "Il a dit « " + "!" * n + " »."),
    "quotations of few words": ("fr", 6000, lambda n: "« a » " * (n // 6)),
    # Each rejected cue searched the rest of its sentence for a colon: quadratic, but at
    # memchr speed, so it shows only from some 100,000 characters.
    "rejected speech verbs": ("en", 100_000, lambda n: "the said " * (n // 9)),
    "rejected speech nouns": ("en", 100_000, lambda n: "statement " * (n // 10)),
    "a speech colon in every sentence": ("fr", 25_000, lambda n: "Il a dit : Oui. " * (n // 16)),
    "late attributions without a comma": (
        "en",
        25_000,
        lambda n: "x " * (n // 4) + "according to " * (n // 26),
    ),
}


@pytest.mark.parametrize("attack", sorted(SPEECH_ATTACKS))
def test_speech_profile_takes_linear_time_on_adversarial_paragraphs(
    attack: str, cpu_growth: Callable[..., float]
) -> None:
    language, size, make = SPEECH_ATTACKS[attack]
    pats = patterns_for(language)
    assert cpu_growth(lambda text: profile_speech(text, pats), make, size) < 8


def test_a_sentence_of_cue_words_is_judged_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    judged: list[int] = []
    original = speech._judge

    def counting(*args: object, **kwargs: object) -> object:
        judged.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(speech, "_judge", counting)
    profile = profile_speech("a dit " * 20_000, patterns_for("fr"))
    assert len(judged) == DEFAULT_LABELER.max_cues_judged_per_sentence
    assert profile.share == 0.0
    judged.clear()
    said = profile_speech("Le ministre a dit que la guerre était finie.", patterns_for("fr"))
    assert said.share > 0.5
    assert 0 < len(judged) <= DEFAULT_LABELER.max_cues_judged_per_sentence
