"""Shapes of non-narrative lines: titles, captions, subheadings, trailers, boilerplate."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

import pytest

from dispatch_corpus.core.label.patterns import patterns_for
from dispatch_corpus.core.label.shapes import (
    is_boilerplate,
    is_caption,
    is_subheading,
    is_title_like,
    is_trailer_heading,
)


@pytest.mark.parametrize(
    ("text", "title_like"),
    [
        ("Storm hits the coast", True),
        ("Владислав Иванов на съезде «Наших»", True),
        ("A storm hit the coast.", False),
        ('"It is over."', False),
        ("Who won?", False),
    ],
)
def test_title_likeness(text: str, title_like: bool) -> None:
    assert is_title_like(text, 200) is title_like


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Sources", "en"),
        ("See also:", "en"),
        ("== Источники информации ==", "ru"),
        ("Liens externes", "fr"),
    ],
)
def test_trailer_headings(text: str, language: str) -> None:
    assert is_trailer_heading(text, patterns_for(language))


def test_a_wiki_heading_about_the_story_is_not_a_trailer() -> None:
    assert not is_trailer_heading("== Папа покинул Ватикан ==", patterns_for("ru"))


@pytest.mark.parametrize(
    ("text", "language", "caption"),
    [
        ("Владимир Путин", "ru", True),
        ("Владимир Путин, Дмитрий Медведев и Сергей Иванов", "ru", True),
        ("Пеле в 1963 году", "ru", False),
        ("Владимир Этуш в 1943 году", "ru", True),
        ("thumb|Пестициды", "ru", True),
        ("University exhibits", "en", False),
        ("Superstars", "en", False),
        ("Group F — Sweden 1 – 0 Korea Republic", "en", False),
        ("La Grosse pomme a la gueule de bois", "fr", False),
        ("Barack Obama at the White House", "en", True),
    ],
)
def test_captions(text: str, language: str, caption: bool) -> None:
    assert is_caption(text, patterns_for(language)) is caption


def test_a_subheading_needs_a_paragraph_after_it() -> None:
    paragraphs = ["Title", "Lead.", "Reactions", "Body."]
    assert is_subheading(paragraphs, 2, patterns_for("en"))
    assert not is_subheading(paragraphs[:3], 2, patterns_for("en"))


@pytest.mark.parametrize(
    ("text", "language", "boilerplate"),
    [
        ("© 2015 The Coast Gazette", "en", True),
        ("Категория:Общество", "ru", True),
        ("www.example.org/story", "en", True),
        ("Wikinews provides additional video, audio and photographs.", "en", True),
        ("Voir aussi : la page du projet", "fr", True),
        ("The video shows the storm hitting the coast on Monday.", "en", False),
    ],
)
def test_boilerplate_lines(text: str, language: str, boilerplate: bool) -> None:
    assert is_boilerplate(text, patterns_for(language)) is boilerplate


# --- linear time and bounded memory on adversarial lines ------------------------------------

SHAPE_ATTACKS: dict[str, Callable[[int], str]] = {
    "run of equals signs": lambda n: "=" * n,
    "equals signs around a long title": lambda n: "== " + "a " * (n // 2) + "=",
    "unbalanced wiki heading": lambda n: "=" * (n // 2) + "a" + "=" * (n // 4),
    "trailer heading then white space": lambda n: "Sources" + " " * n + "x",
    "trailer heading then colons": lambda n: "Sources" + " :" * (n // 2) + "x",
}


@pytest.mark.parametrize("attack", sorted(SHAPE_ATTACKS))
def test_shapes_take_linear_time_on_adversarial_lines(
    attack: str, cpu_growth: Callable[..., float]
) -> None:
    pats = patterns_for("en")

    def shapes(text: str) -> None:
        is_trailer_heading(text, pats)
        is_subheading([text, "Body."], 0, pats)
        is_boilerplate(text, pats)
        is_caption(text, pats)

    assert cpu_growth(shapes, SHAPE_ATTACKS[attack], 2000) < 8


def test_a_long_paragraph_is_judged_without_a_list_of_its_words() -> None:
    text = "ab " * 300_000
    pats = patterns_for("en")
    tracemalloc.start()
    try:
        assert not is_boilerplate(text, pats)
        assert not is_caption(text, pats)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * len(text)
