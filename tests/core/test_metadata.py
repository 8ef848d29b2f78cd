import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.core.metadata import (
    KNOWN_KEYS,
    Metadata,
    MetadataLineError,
    parse_line,
    parse_metadata,
    spdx_license,
)
from dispatch_corpus.models import DocumentFlag

OUTPUT_KEYS = ("title", "url", "license", "agency")


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


def test_values_of_the_wrong_type_are_dropped_with_a_problem_and_null_is_absent() -> None:
    meta = parse_metadata({"title": 5, "date": None, "language": ["fr"], "url": {}, "agency": 1})
    assert (meta.title, meta.published, meta.language, meta.url, meta.agency) == (None,) * 5
    assert meta.flags == ()
    assert meta.problems == (
        "'title' is a number, not text: dropped",
        "'language' is a list, not text: dropped",
        "'url' is an object, not text: dropped",
        "'agency' is a number, not text: dropped",
    )
    assert parse_metadata({"title": None, "url": None, "license": None}) == Metadata()


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


def test_a_clean_line_is_parsed() -> None:
    line = (
        b'{"id": "a", "title": "Caf\xc3\xa9 \\u00e9t\\u00e9", "n": 12, "x": [1.5, {"y": null}]}\r\n'
    )
    assert parse_line(line) == {"id": "a", "title": "Café été", "n": 12, "x": [1.5, {"y": None}]}


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (b"[" * 50_000 + b"]" * 50_000, "nested too deeply (over 64 levels)"),
        (b'{"n": ' + b"9" * 5000 + b"}", "a number of 5000 characters"),
        (b'{"t": ["ok", {"\\udfff": 1}]}', "lone surrogate \\udfff in a string"),
        (b'{"n": NaN}', "NaN is not a JSON number"),
        (b'{"t": "caf\xe9"}', "not valid UTF-8 (byte 0xe9 at offset 10)"),
        (b'{"t": "\xed\xa0\x80"}', "not valid UTF-8 (byte 0xed at offset 7)"),
        (b"\xef\xbb\xbf{}", "malformed JSON"),
        (b'{"a": 1, "b": 2, "a": 3, "b": 4}', "key 'a', 'b' given twice"),
        (b'{"x": {"k": 1, "k": 2}}', "key 'k' given twice"),
        (b"[1, 2]", "not a JSON object"),
        (b'"text"', "not a JSON object"),
        (b"{not json", "malformed JSON (Expecting property name enclosed in double quotes"),
        (b"", "malformed JSON (Expecting value: line 1 column 1"),
    ],
)
def test_unusable_lines_raise_one_line_errors(line: bytes, problem: str) -> None:
    with pytest.raises(MetadataLineError) as raised:
        parse_line(line)
    assert problem in str(raised.value)
    assert str(raised.value).isprintable()


def test_escaped_backslashes_and_surrogate_pairs_are_fine() -> None:
    assert parse_line(b'{"t": "\\\\ud800"}') == {"t": "\\ud800"}
    assert parse_line(b'{"t": "\\ud83d\\ude00"}') == {"t": "\U0001f600"}


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_line_parses_or_raises_a_metadata_line_error(line: bytes) -> None:
    try:
        entry = parse_line(line)
    except MetadataLineError as error:
        assert str(error).isprintable()
        return
    json.dumps(entry, ensure_ascii=False).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(sorted(KNOWN_KEYS)),
        st.text(st.characters(exclude_categories=("Cs",)))
        | st.none()
        | st.integers()
        | st.booleans()
        | st.lists(st.text(max_size=3), max_size=2),
    )
)
def test_text_reaching_the_dataset_is_one_printable_line(entry: dict[str, object]) -> None:
    meta = parse_metadata(entry)
    for key in OUTPUT_KEYS:
        value = getattr(meta, key)
        assert value is None or (value.isprintable() and value == value.strip() and value)
    assert len(meta.flags) == len(set(meta.flags))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Un\x1b[31m titre\x1b[0m rouge", "Un titre rouge"),
        ("Title\u202e reversed\u202c", "Title reversed"),
        ("Zero\u200bwidth\ufeff", "Zerowidth"),
        ("Bell\x07 and NUL\x00 and DEL\x7f", "Bell and NUL and DEL"),
        ("C1\x85 next\x9b31m line", "C1 next line"),
        ("Soft\u00adhyphen and private\ue000 use", "Softhyphen and private use"),
        ("\x1b]0;set the window title\x07Real title", "Real title"),
    ],
)
def test_non_printable_characters_are_removed_and_flagged(raw: str, clean: str) -> None:
    meta = parse_metadata({key: raw for key in ("title", "url", "license", "agency")})
    assert (meta.title, meta.url, meta.license) == (clean, clean, clean)
    assert meta.flags == (DocumentFlag.METADATA_CLEANED,)
    assert meta.problems == tuple(
        f"{key!r}: non-printable characters removed"
        for key in ("title", "license", "url", "agency")
    )


def test_value_of_invisible_characters_only_is_absent() -> None:
    meta = parse_metadata({"title": "\u200b\u202e\x1b[0m"})
    assert meta.title is None
    assert meta.flags == (DocumentFlag.METADATA_CLEANED,)


def test_printable_values_are_kept_as_they_are() -> None:
    entry = {"title": "Ünïcödé — «titre» 東京 🙂", "url": "https://e.org/a?b=c#d"}
    meta = parse_metadata(entry)
    assert (meta.title, meta.url) == (entry["title"], entry["url"])
    assert meta.flags == () and meta.problems == ()
