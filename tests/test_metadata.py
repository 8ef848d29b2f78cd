from datetime import date

import pytest

from dispatch_corpus.metadata import KNOWN_KEYS, Metadata, parse_metadata, spdx_license
from dispatch_corpus.models import DocumentFlag


def test_empty_entry_gives_empty_metadata() -> None:
    assert parse_metadata({}) == Metadata()


def test_known_keys_are_read() -> None:
    meta = parse_metadata(
        {
            "id": "x",
            "title": "Un titre",
            "date": "2020-03-12",
            "language": "fr",
            "license": "CC BY 4.0",
            "url": "https://example.org/a",
            "agency": "AFP",
        }
    )
    assert meta.title == "Un titre"
    assert meta.published == date(2020, 3, 12)
    assert meta.language == "fr"
    assert meta.license == "CC-BY-4.0"
    assert meta.url == "https://example.org/a"
    assert meta.agency == "AFP"
    assert meta.flags == ()
    assert meta.ignored_keys == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12 mars 2020", date(2020, 3, 12)),
        ("March 12, 2020", date(2020, 3, 12)),
        ("12 марта 2020", date(2020, 3, 12)),
    ],
)
def test_dates_with_month_names_are_read(raw: str, expected: date) -> None:
    assert parse_metadata({"date": raw}).published == expected


@pytest.mark.parametrize("raw", ["yesterday", "2020-02-30", "12 mars 2020 et plus"])
def test_invalid_date_is_dropped_and_flagged(raw: str) -> None:
    meta = parse_metadata({"date": raw})
    assert meta.published is None
    assert meta.flags == (DocumentFlag.METADATA_DATE_INVALID,)


def test_language_is_lowercased() -> None:
    assert parse_metadata({"language": " FR "}).language == "fr"


@pytest.mark.parametrize("raw", ["french", "fra", "f", "fr-FR"])
def test_invalid_language_is_dropped_and_flagged(raw: str) -> None:
    meta = parse_metadata({"language": raw})
    assert meta.language is None
    assert meta.flags == (DocumentFlag.METADATA_LANGUAGE_INVALID,)


def test_values_of_the_wrong_type_are_absent_without_flag() -> None:
    meta = parse_metadata({"title": 5, "date": None, "language": ["fr"], "url": {}, "agency": 1})
    assert meta == Metadata()


def test_text_values_have_whitespace_collapsed_and_blank_means_absent() -> None:
    meta = parse_metadata({"title": "  Un \n titre\t long ", "url": "   "})
    assert meta.title == "Un titre long"
    assert meta.url is None


def test_source_naming_a_known_agency_becomes_the_agency() -> None:
    assert parse_metadata({"source": "Agence France-Presse"}).agency == "AFP"


def test_free_text_source_is_not_an_agency() -> None:
    meta = parse_metadata({"source": "Dispatch attributed in its text to APA; no provenance"})
    assert meta.agency is None


def test_agency_key_wins_over_source() -> None:
    assert parse_metadata({"agency": "TASS", "source": "AFP"}).agency == "TASS"


def test_unknown_keys_are_reported_sorted() -> None:
    meta = parse_metadata({"id": "x", "zeta": 1, "alpha": 2, "sha1": "f"})
    assert meta.ignored_keys == ("alpha", "sha1", "zeta")
    assert "source" in KNOWN_KEYS


@pytest.mark.parametrize(
    ("text", "spdx"),
    [
        ("CC BY 2.5", "CC-BY-2.5"),
        ("cc-by-4.0", "CC-BY-4.0"),
        ("CC BY-SA 3.0", "CC-BY-SA-3.0"),
        ("CC BY-SA 4.0 International", "CC-BY-SA-4.0"),
        ("CC0", "CC0-1.0"),
        ("All rights reserved", "All rights reserved"),
        (None, None),
    ],
)
def test_licenses_map_to_spdx_ids_where_one_exists(text: str | None, spdx: str | None) -> None:
    assert spdx_license(text) == spdx
