import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dispatch_corpus.utils.numbers import count, counted, percent, seconds

GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})*")


@given(st.integers(-(10**15), 10**15))
def test_a_count_is_grouped_by_thousands_and_reads_back(value: int) -> None:
    text = count(value)
    assert GROUPED.fullmatch(text)
    assert int(text.replace(",", "")) == value


def test_counts_as_the_console_writes_them() -> None:
    assert (count(5844), count(999), count(1000), count(0)) == ("5,844", "999", "1,000", "0")


@given(st.integers(0, 10**7), st.sampled_from(["unit", "check", "document"]))
def test_a_counted_noun_is_singular_for_one_only(value: int, noun: str) -> None:
    text = counted(value, noun)
    assert text == f"{count(value)} {noun}" + ("" if value == 1 else "s")


def test_counted_nouns() -> None:
    assert counted(1, "unit") == "1 unit"
    assert counted(2, "unit") == "2 units"
    assert counted(0, "check") == "0 checks"
    assert counted(1234, "failed check") == "1,234 failed checks"


def test_percentages_keep_what_matters_and_drop_trailing_zeros() -> None:
    assert percent(0.98) == "98%"
    assert percent(0.906323) == "90.63%"
    assert percent(0.5) == "50%"
    assert percent(1.0) == "100%"
    assert percent(0.0) == "0%"
    assert percent(0.12345, digits=1) == "12.3%"
    assert percent(12.5) == "1,250%"
    assert percent(float("nan")) == "nan"


@given(st.floats(0, 1))
def test_a_percentage_is_a_number_with_a_percent_sign(value: float) -> None:
    text = percent(value)
    assert re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{1,2})?%", text)
    assert abs(float(text[:-1]) - value * 100) <= 0.005 + 1e-9


def test_durations_have_one_decimal_and_separators() -> None:
    assert seconds(0.4567) == "0.5 s"
    assert seconds(1234.56) == "1,234.6 s"


@pytest.mark.parametrize(
    ("value", "noun", "plural", "shown"),
    [
        (1, "document", None, "1 document"),
        (0, "document", None, "0 documents"),
        (2, "document", None, "2 documents"),
        (5844, "paragraph", None, "5,844 paragraphs"),
        (1, "class", "classes", "1 class"),
        (9, "class", "classes", "9 classes"),
    ],
)
def test_counts_are_singular_for_exactly_one(
    value: int, noun: str, plural: str | None, shown: str
) -> None:
    assert counted(value, noun, plural) == shown
