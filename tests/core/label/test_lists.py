"""Lists without markers and quote-like openings."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dispatch_corpus.core.label.lists import is_quote_like, unmarked_list_run
from dispatch_corpus.core.label.roles import label_paragraphs
from dispatch_corpus.settings import DEFAULT_LABELER


def run_after(intro: str, *items: str) -> int:
    paragraphs = [intro, *items]
    return unmarked_list_run(paragraphs, 0, [True] * len(paragraphs), DEFAULT_LABELER)


@pytest.mark.parametrize(
    "items",
    [
        ("un stand au salon ;", "son assemblée générale ;", "un colloque."),
        ("Pourquoi ?", "Pour qui ?"),
        ("Paris", "Lyon", "Marseille"),
        ("Wikipédia : un projet parmi treize.", "Linux : un noyau libre."),
    ],
)
def test_items_of_one_shape_after_a_colon_are_counted(items: tuple[str, ...]) -> None:
    assert run_after("Les points suivants :", *items, "Une phrase de récit qui suit.") == len(items)


def test_no_colon_no_list() -> None:
    assert run_after("Les points suivants.", "un ;", "deux.") == 0


def test_a_single_item_is_no_list() -> None:
    assert run_after("Voici le point :", "un seul point ;", "Puis du récit.") == 0


def test_a_quotation_or_a_long_paragraph_ends_the_run() -> None:
    assert run_after("Il a dit :", "« Nous partons ; »", "« Demain ; »") == 0
    assert run_after("Points :", "un ;", "deux " * 300 + ";") == 0


def test_items_already_labeled_are_not_taken() -> None:
    paragraphs = ["Points :", "un ;", "deux ;", "trois."]
    assert unmarked_list_run(paragraphs, 0, [True, True, False, True], DEFAULT_LABELER) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("« Nous partons », dit-il.", True),
        ("— Nous partons.", True),
        ("''Это моя лучшая подруга''", True),
        ('Secretary James Roche: "No, Sir."', True),
        ('Poet was conscious, his friend says: "he heard everything".', False),
        ("Wikipédia : un projet parmi treize.", False),
        ("A plain sentence.", False),
    ],
)
def test_quote_like_openings(text: str, expected: bool) -> None:
    assert is_quote_like(text, DEFAULT_LABELER) is expected


@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=8))
def test_the_run_never_passes_the_document_end(paragraphs: list[str]) -> None:
    run = unmarked_list_run(paragraphs, 0, [True] * len(paragraphs), DEFAULT_LABELER)
    assert 0 <= run <= len(paragraphs) - 1
    assert run == 0 or (paragraphs[0].endswith(":") and run >= 2)


def _colon_lines(line: str) -> Callable[[int], str]:
    return lambda n: "\n".join(["Titre", "Premier paragraphe.", *[line] * n])


@pytest.mark.parametrize("line", ["Le point:", "a:", "Les mesures suivantes ont été prises:"])
def test_many_colon_lines_take_linear_time(line: str, cpu_growth: Callable[..., float]) -> None:
    def run(text: str) -> None:
        label_paragraphs(text.split("\n"), "fr")

    assert cpu_growth(run, _colon_lines(line), 600) < 8
