"""Document fields found in the text: datelines, publication dates, news agencies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dispatch_corpus.core.label.byline import (
    Dateline,
    detect_agency,
    find_dateline,
    is_dateline_paragraph,
    normalize_agency,
    parse_date,
)
from dispatch_corpus.core.metadata import Metadata
from dispatch_corpus.core.pipeline import process_dispatch
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.evaluation.gold import build_gold_records, load_gold
from dispatch_corpus.models import DocumentRecord, Role
from dispatch_corpus.settings import DEFAULT_LABELER

SHARED_DIR = Path(__file__).resolve().parents[3] / ".." / "shared"


def build(paragraphs: list[str], language: str, **metadata: object) -> DocumentRecord:
    raw = "\n".join(paragraphs).encode("utf-8")
    meta = Metadata(language=language, **metadata)  # type: ignore[arg-type]
    result = process_dispatch(RawDispatch("test/doc.txt", "test", "doc", raw, meta))
    assert isinstance(result, DocumentRecord), result
    return result


@pytest.mark.parametrize(
    ("opening", "language", "dateline", "published"),
    [
        ("29 mai 2012. - Un postier a été tué à Lyon.", "fr", "29 mai 2012", date(2012, 5, 29)),
        ("PARIS, 12 mars (AFP) - Le président a parlé.", "fr", "PARIS, 12 mars (AFP)", None),
        (
            "BAKOU, 20 septembre (APA) – Le ministère a publié un bilan.",
            "fr",
            "BAKOU, 20 septembre (APA)",
            None,
        ),
        ("Tuesday, September 22, 2015", "en", "Tuesday, September 22, 2015", date(2015, 9, 22)),
        (
            "Thursday, May 7, 2015 On Tuesday, the government opened a consultation.",
            "en",
            "Thursday, May 7, 2015",
            date(2015, 5, 7),
        ),
        (
            "November 17, Brisbane, Australia - The team talked up its chances.",
            "en",
            "November 17, Brisbane, Australia",
            None,
        ),
        ("OSLO — The prize was awarded today.", "en", "OSLO", None),
        ("29 апреля 2016 года", "ru", "29 апреля 2016 года", date(2016, 4, 29)),
        (
            "29 апреля 2016 года в Москве прошёл митинг.",
            "ru",
            "29 апреля 2016 года",
            date(2016, 4, 29),
        ),
    ],
)
def test_datelines_are_found_with_offsets_and_give_the_date(
    opening: str, language: str, dateline: str, published: date | None
) -> None:
    found = find_dateline(opening, language, DEFAULT_LABELER)
    assert found is not None
    assert (found.text, opening[found.start : found.end]) == (dateline, dateline)
    assert parse_date(found.text, language) == published


@pytest.mark.parametrize(
    ("lead", "language", "dateline", "published", "agency"),
    [
        (
            "29 mai 2012. - Un postier a été tué à Lyon.",
            "fr",
            "29 mai 2012",
            date(2012, 5, 29),
            None,
        ),
        ("PARIS, 12 mars (AFP) - Le président a parlé.", "fr", "PARIS, 12 mars (AFP)", None, "AFP"),
        (
            "BAKOU, 20 septembre (APA) – Le ministère a publié un bilan.",
            "fr",
            "BAKOU, 20 septembre (APA)",
            None,
            "APA",
        ),
        (
            "29 апреля 2016 года в Москве прошёл митинг.",
            "ru",
            "29 апреля 2016 года",
            date(2016, 4, 29),
            None,
        ),
    ],
)
def test_a_dateline_opening_the_lead_is_recorded_on_the_document(
    lead: str, language: str, dateline: str, published: date | None, agency: str | None
) -> None:
    record = build(["Un titre court", lead, "Un autre paragraphe suit."], language)
    doc = record.document
    assert [p.role for p in record.paragraphs][:2] == [Role.HEADLINE, Role.LEAD]
    assert doc.dateline == dateline
    assert doc.dateline_start is not None and doc.dateline_end is not None
    assert doc.text[doc.dateline_start : doc.dateline_end] == dateline
    assert doc.dateline_start == record.paragraphs[1].char_start
    assert (doc.published, doc.agency) == (published, agency)


def test_a_dateline_line_gets_its_role_and_feeds_published() -> None:
    record = build(
        ["Storm hits the coast", "Tuesday, September 22, 2015", "A storm hit the coast."], "en"
    )
    assert [p.role for p in record.paragraphs] == [Role.HEADLINE, Role.DATELINE, Role.LEAD]
    assert record.document.dateline == "Tuesday, September 22, 2015"
    assert record.document.published == date(2015, 9, 22)


def test_metadata_date_wins_over_the_dateline() -> None:
    record = build(
        ["Storm hits the coast", "Tuesday, September 22, 2015", "A storm hit the coast."],
        "en",
        published=date(2015, 9, 20),
    )
    assert record.document.published == date(2015, 9, 20)
    assert record.document.dateline == "Tuesday, September 22, 2015"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Tuesday, September 22, 2015", "en"),
        ("December 2004", "en"),
        ("BAKOU, 20 septembre (APA)", "fr"),
        ("Mardi 22 septembre 2015", "fr"),
        ("29 апреля 2016 года", "ru"),
    ],
)
def test_dateline_lines(text: str, language: str) -> None:
    assert is_dateline_paragraph(text, language, DEFAULT_LABELER)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Storm hits the coast on Tuesday", "en"),
        ("A storm hit the coast on September 22, 2015, killing two.", "en"),
        ("В среду в Москве прошёл митинг", "ru"),
    ],
)
def test_sentences_and_titles_are_not_datelines(text: str, language: str) -> None:
    assert not is_dateline_paragraph(text, language, DEFAULT_LABELER)


def test_a_whole_line_is_a_dateline_only_within_the_length_of_the_settings() -> None:
    line = "PARIS, 12 mars 2020"
    short = replace(DEFAULT_LABELER, dateline_max_chars=len(line) - 1)
    assert is_dateline_paragraph(line, "fr", DEFAULT_LABELER)
    assert find_dateline(line, "fr", DEFAULT_LABELER) == Dateline(line, 0, len(line))
    assert not is_dateline_paragraph(line, "fr", short)
    assert find_dateline(line, "fr", short) is None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("1er septembre 2012", "fr", date(2012, 9, 1)),
        ("le 3 juin 2012 à Lagos", "fr", date(2012, 6, 3)),
        ("mardi 22 déc. 2015", "fr", date(2015, 12, 22)),
        ("Tuesday, September 22, 2015", "en", date(2015, 9, 22)),
        ("on 22 Sept 2015", "en", date(2015, 9, 22)),
        ("29 апреля 2016 года", "ru", date(2016, 4, 29)),
        ("В пятницу, 3 июня 2016 года", "ru", date(2016, 6, 3)),
        ("2016-04-29", "ru", date(2016, 4, 29)),
    ],
)
def test_published_is_parsed_from_month_names(text: str, language: str, expected: date) -> None:
    assert parse_date(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [("31 février 2012", "fr"), ("12 mars", "fr"), ("September 2015", "en"), ("апреля", "ru")],
)
def test_incomplete_or_impossible_dates_are_not_parsed(text: str, language: str) -> None:
    assert parse_date(text, language) is None


def test_whole_requires_the_date_to_be_the_whole_text() -> None:
    assert parse_date("2015-09-22", "und", whole=True) == date(2015, 9, 22)
    assert parse_date("on 2015-09-22", "und", whole=True) is None


@pytest.mark.parametrize(
    ("paragraph", "language", "agency"),
    [
        ("Un an s'est écoulé depuis les faits, rapporte l'APA.", "fr", "APA"),
        ("PARIS, 12 mars (AFP) - Le président a parlé.", "fr", "AFP"),
        ("Le bilan s'alourdit, selon l'agence Reuters.", "fr", "Reuters"),
        ("Reuters reported on Monday that the talks had failed.", "en", "Reuters"),
        ("The talks failed, the Associated Press news agency reported.", "en", "AP"),
        ("Переговоры сорваны, сообщает ТАСС.", "ru", "TASS"),
        ("Переговоры сорваны, сообщает агентство Франс Пресс.", "ru", "AFP"),
        ("Переговоры сорваны — Интерфакс", "ru", "Interfax"),
        ("Переговоры сорваны, передаёт ИТАР-ТАСС.", "ru", "TASS"),
    ],
)
def test_agency_is_detected_from_attribution_and_canonicalised(
    paragraph: str, language: str, agency: str
) -> None:
    assert detect_agency([paragraph], language) == agency


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Agence France-Presse", "AFP"),
        ("Франс-Пресс", "AFP"),
        ("Associated Press", "AP"),
        ("ИТАР-ТАСС", "TASS"),
        ("Рейтер", "Reuters"),
        ("Интерфакс", "Interfax"),
        ("  Agence   France-Presse ", "AFP"),
        ("Le Monde", "Le Monde"),
    ],
)
def test_agency_names_are_normalised_to_one_canonical_name(alias: str, canonical: str) -> None:
    assert normalize_agency(alias) == canonical


@pytest.mark.parametrize(
    "paragraph",
    [
        "Boats were turned away, which, according to AFP, the United Nations criticised.",
        "The minister told Reuters on Monday that the talks had failed.",
        "Reuters and AFP photographers were at the scene.",
    ],
)
def test_citing_an_agency_is_not_a_wire_credit(paragraph: str) -> None:
    assert detect_agency([paragraph], "en") is None


def test_an_agency_cited_in_the_body_does_not_credit_the_document() -> None:
    record = build(
        [
            "Asylum seekers rescued off the coast",
            "Monday, May 18, 2015",
            "Fishermen rescued over 700 asylum seekers on Friday.",
            "Malaysia has turned boats away, a policy that, according to AFP, was criticised.",
            "Estimates suggest 8000 migrants may be at sea.",
        ],
        "en",
    )
    assert record.paragraphs[3].role is Role.BODY
    assert record.document.agency is None


def test_metadata_agency_wins() -> None:
    record = build(["Un titre court", "Le bilan, rapporte l'APA.", "Suite."], "fr", agency="AFP")
    assert record.document.agency == "AFP"


def test_no_shared_gold_document_is_credited_to_an_agency() -> None:
    gold_dir, corpus_dir = SHARED_DIR / "gold", SHARED_DIR / "corpus"
    if not gold_dir.is_dir() or not corpus_dir.is_dir():
        pytest.skip(f"shared gold or corpus not found under {SHARED_DIR.resolve()}")
    pairs = build_gold_records(load_gold(gold_dir), corpus_dir)
    assert all(record is not None for _, record in pairs)
    assert [g.doc_id for g, r in pairs if r is not None and r.document.agency] == []


# --- linear time on adversarial openings -------------------------------------------------------

DATELINE_ATTACKS: dict[str, Callable[[int], str]] = {
    "hyphenated capitals": lambda n: "A-" * (n // 2),
    "hyphenated words": lambda n: "Ab-" * (n // 3) + "x",
    "periods and hyphens": lambda n: "A.-" * (n // 3),
    "spaced capitals": lambda n: "A " * (n // 2) + "x",
    "place names and commas": lambda n: "Paris, " * (n // 7) + "x",
    "capitals then white space": lambda n: "PARIS" + " " * n + "x",
    "capitals, a period, white space": lambda n: "PARIS ." + " " * n + "x",
    "date then white space": lambda n: "12 janvier 2020" + " " * n + "x",
}


@pytest.mark.parametrize("attack", sorted(DATELINE_ATTACKS))
@pytest.mark.parametrize("language", ["fr", "und"])
def test_datelines_take_linear_time_on_adversarial_openings(
    attack: str, language: str, cpu_growth: Callable[..., float]
) -> None:
    def datelines(text: str) -> None:
        find_dateline(text, language, DEFAULT_LABELER)
        is_dateline_paragraph(text[:90], language, DEFAULT_LABELER)
        find_dateline(text[:90], language, DEFAULT_LABELER)

    assert cpu_growth(datelines, DATELINE_ATTACKS[attack], 1500) < 8
