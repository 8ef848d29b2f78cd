"""Python's re.search semantics over Arrow strings: RE2 where it means the same, else re."""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dispatch_corpus.validation.arrow_regex import plan_regex, regex_search

TRANSLATED = (
    "abc",
    "",
    r"a\.b|\|",
    ".",
    "[abc]",
    "[^abc]",
    "[a-f0-9_]",
    r"\d",
    r"\D",
    r"\w",
    r"\W",
    r"\s",
    r"\S",
    r"[\s\S]",
    r"[^\W\d_]",
    r"[\d\s]",
    r"[^\n]",
    "a|b|",
    "(a)(b)",
    "(?:ab)+",
    "(?P<name>a)",
    "a*",
    "a+?",
    "a??",
    "a{2,5}",
    "a{3}",
    "a{2,}",
    "a{1000}",
    "^a",
    r"\Aa",
    "a$",
    "$",
    "^$",
    r"a\Z",
    r"a(?![\s\S])",
    r"a(?![\S\s])",
    "(?:a$|b)",
    "(?:a$)?",
    "(?:a|b$)$",
    "a$$",
    r"a$\Z",
    "(?x) a b # a comment",
    "(?u)a",
    "\\N{LATIN SMALL LETTER E WITH ACUTE}",
    "\U0001f600+",
    "[\x00-\x1f]",
    "[^\x00]",
)
"""Patterns RE2 runs: literals, classes, Unicode categories, groups, repeats, anchors, the
end-of-text idiom, ``$`` where nothing consumes after it, and the verbose flag."""

KEPT_ON_PYTHON = (
    "(?i)a",
    "(?m)^a",
    "(?s).",
    r"(?a)\w",
    "(?i:a)b",
    "a(?-i:b)",
    r"\bab",
    r"a\B",
    "(?=a)",
    "(?!a)",
    r"(?![\s\S]a)",
    "(?![^a])",
    "(?<=a)b",
    "(?<!a)b",
    r"(a)\1",
    "(?P<n>a)(?P=n)",
    "(a)?(?(1)b|c)",
    "(?>a+)a",
    "a*+",
    "a++",
    "a?+",
    "a{1001}",
    "a{0,1001}",
    "a{1001,}",
    "$a",
    "a$\n",
    "(?:a$)*",
    "(?:a$)+b",
    "(?:a$){2}",
    "(?:a$|b)c",
    "((a{100}){100}){100}",
)
"""Patterns kept on Python's re: flags, word boundaries, lookarounds but the end-of-text
idiom, backreferences, conditionals, atomic groups, possessive repeats, repeat counts RE2
refuses, ``$`` before something that consumes."""

ALPHABET = "abAé_0٣ \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u2029\u3000ßKk\u212a-|.$\x00\U0001f600"
"""Characters where Python's and RE2's readings differ: line breaks ``$`` stops before in
one and not the other, digits and letters outside ASCII, Unicode spaces, case pairs, an
astral code point, NUL."""


def _expected(pattern: str, values: list[str | None]) -> list[bool | None]:
    search = re.compile(pattern).search
    return [None if value is None else search(value) is not None for value in values]


def _found(pattern: str, values: list[str | None]) -> list[bool | None]:
    found: list[bool | None] = regex_search(
        pa.array(values, pa.string()), plan_regex(pattern)
    ).to_pylist()
    return found


@pytest.mark.parametrize("pattern", TRANSLATED)
def test_a_construct_re2_can_read_alike_runs_on_re2(pattern: str) -> None:
    assert plan_regex(pattern).engine == "re2"


@pytest.mark.parametrize("pattern", KEPT_ON_PYTHON)
def test_a_construct_re2_reads_otherwise_stays_on_python(pattern: str) -> None:
    assert plan_regex(pattern).engine == "python"


def test_only_a_pattern_with_dollar_needs_the_trimmed_search() -> None:
    assert plan_regex("a$").trimmed is not None
    assert plan_regex(r"a\Z").trimmed is None
    assert plan_regex("a").trimmed is None


@pytest.mark.parametrize("pattern", ["(", "a{2,1}", "[z-a]", "a**", r"\p{L}", "(?<=a+)b"])
def test_an_invalid_pattern_raises_re_error(pattern: str) -> None:
    with pytest.raises(re.error):
        plan_regex(pattern)


_VALUES = st.lists(st.none() | st.text(alphabet=ALPHABET, max_size=6), max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(TRANSLATED + KEPT_ON_PYTHON), _VALUES)
@example("a$", ["a\n", "a\n\n", "\na", "a", "ba\n", None])
@example(r"^[a-z]{2}(?![\s\S])", ["ab\n", "ab", "ab\r", "ab\u2028"])
@example("(?:a$)?", ["a\n", ""])
def test_every_construct_finds_what_re_search_finds(pattern: str, values: list[str | None]) -> None:
    assert _found(pattern, values) == _expected(pattern, values)


_ATOMS = st.sampled_from(
    [
        *(re.escape(c) for c in "ab\n$|."),
        ".",
        "[ab]",
        "[^a\n]",
        "[a-é]",
        r"\d",
        r"\D",
        r"\w",
        r"\W",
        r"\s",
        r"\S",
        r"[\s\S]",
        r"[^\W\d]",
        "^",
        "$",
        r"\A",
        r"\Z",
        r"(?![\s\S])",
        r"\b",
        "(?=a)",
    ]
)


def _combined(parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(parts, min_size=2, max_size=3).map("".join),
        st.lists(parts, min_size=2, max_size=3).map(lambda alts: "(?:" + "|".join(alts) + ")"),
        parts.map(lambda p: f"({p})"),
        st.tuples(parts, st.sampled_from(["*", "+", "?", "*?", "+?", "??", "{2}", "{0,2}"])).map(
            lambda pair: f"(?:{pair[0]}){pair[1]}"
        ),
    )


PATTERNS = st.recursive(_ATOMS, _combined, max_leaves=6)
"""Random patterns built from the constructs: anchors and ``$`` anywhere in them."""


@settings(max_examples=500, deadline=None)
@given(PATTERNS, _VALUES)
def test_random_patterns_find_what_re_search_finds(pattern: str, values: list[str | None]) -> None:
    assert _found(pattern, values) == _expected(pattern, values)


@pytest.fixture(scope="module")
def every_scalar() -> tuple[str, pa.Array]:
    """Every Unicode scalar value, as one text and as one single-character value each."""
    codes = np.concatenate([np.arange(0, 0xD800), np.arange(0xE000, 0x110000)]).astype("<u4")
    text = codes.tobytes().decode("utf-32-le")
    return text, pa.array(list(text), pa.string())


@pytest.mark.parametrize(
    "category", [r"\d", r"\D", r"\w", r"\W", r"\s", r"\S", r"[^\W\d_]", r"[\d\s]"]
)
def test_unicode_classes_match_what_re_matches_on_every_code_point(
    category: str, every_scalar: tuple[str, pa.Array]
) -> None:
    text, values = every_scalar
    assert plan_regex(category).engine == "re2"
    expected = np.zeros(len(text), dtype=bool)
    for match in re.finditer(category, text):
        expected[match.start()] = True
    found = regex_search(values, plan_regex(category)).to_numpy(zero_copy_only=False)
    assert np.array_equal(found, expected)
