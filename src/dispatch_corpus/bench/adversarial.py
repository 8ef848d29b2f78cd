"""Adversarial dispatches: one character or a short pattern repeated to any size.

The battery behind ``scripts/adversarial.py`` (the survey of CPU time and memory per case)
and the complexity guards of the tests. A case is a unit (a character or a short pattern)
and a layout: repeated on one line, on one line after a headline (so the run is not the
first paragraph), one unit per line, or one unit per blank-line paragraph.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass

SINGLE_CHARACTERS: tuple[str, ...] = (
    *string.punctuation,
    *"aAzZ09",
    *(" ", "\t", "\u00a0", "\u3000", "\u202f", "\n", "\r", "\r\n", "\x0b", "\x0c", "\x85"),
    *("\u2028", "\u2029", "\x00", "\x01", "\x1b", "\x7f", "\x9b"),
    *"«»„“”‘’‹›‚",
    *("\u2013", "\u2014", "\u2011", "\u2010", "\u2212", "\u2026", "\u00b7", "\u2022", "\u25aa"),
    # Letters with irregular case mappings (ß, İ, ı, ſ): the case-split speech patterns must accept
    # what the regex engine accepts.
    *"яЯёЁéÉçßİıſK",
    *("中", "あ", "한", "\U0001f600", "\U0001f1eb\U0001f1f7", "\u0301", "e\u0301", "\u0e01"),
    *("\u05d0", "\u0628", "\u0661", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e"),
    # U+0F73 and U+0344 decompose into combining marks only: long runs of them take the sorting path
    # of normalize.nfc.
    *("\u200e", "\u200f", "\u202e", "\u2066", "\ufffd", "\U00010000", "\u0f73", "\u0344"),
)
"""Characters repeated alone: ASCII punctuation and symbols, letters, digits, white space and
line ends, controls, quotes, dashes, scripts, emoji, combining, bidi and invisible marks."""

SHORT_PATTERNS: tuple[str, ...] = (
    *("a. ", "A. ", "Mr. ", "M. ", "т. ", "г. ", "1. ", "12. ", "1) ", "a) ", "- ", "• ", "* "),
    *('"a" ', "« a » ", "«a» ", "„a“ ", "“a” ", '" ', "« ", "» ", "a «", "«a", "a»", '""'),
    *("(a", "a(", "[[", "]]", "((", "))", "{{", "== a ==", "==", "= ", "thumb|"),
    *("http://", "https://a", "www.a ", "a.com ", "a.com/", "a@b ", "a:", ": ", "a: A"),
    *("A, ", ", ", "a,", "; ", "— a ", "— ", "– ", "-- ", "a-", "A-", "-A", "A-B "),
    *("AFP ", "(AFP) ", "(AFP", "AFP)", "— AFP", "ТАСС ", "Reuters "),
    *("Le 12 janvier ", "12 janvier 2020 ", "January 12, 2020 ", "2020-01-12 ", "12 ", "2020 "),
    *(", 2020 ", "PARIS ", "PARIS, ", "PARIS - ", "PARIS (AFP) - ", "NEW YORK ", "A B "),
    *("said ", "said: A ", "he said that ", "the said ", "not said ", "said the ", "says "),
    *("сообщает ", "заявил ", "по словам ", "а заявил ", "a déclaré ", "a dit ", "selon "),
    *("according to ", "as a b put it ", "statement ", "statement: A ", "in a statement "),
    *("Sources ", "Sources: ", "See also ", "Photo ", "Photo: ", "© ", "a.", ".a", "A.", "A.B"),
    *("a ", "A ", "é ", "a\u00a0", "a\t", "a \n", " a", "a  ", "aa", "Aa", "AA", "a1", "1a"),
    *("A.\u00a0", "?! ", "!!", "… ", ". «", ". A ", '." A ', '"A. ', ".» A ", ".) A "),
    *("a. A", "a.A ", "x. «", "\x1b[", "\x1b]", "\x1bP", "\x1b[1m", "&amp; ", "<p>"),
    *("\u0301\u0316", "e\u0301\u0316", "\u0316\u0f73\u0344"),
)
"""Short patterns repeated: sentence ends, abbreviations, list markers, quotations, links,
datelines, agencies, speech cues, boilerplate openings, markup, combining marks of several
classes."""

LAYOUTS: tuple[str, ...] = ("line", "titled", "lines", "paragraphs")
"""How the unit is repeated: on one line; on one line after a headline; one per line; one per
blank-line paragraph."""

_HEADLINE = "A headline above the run\n"


@dataclass(frozen=True)
class AdversarialCase:
    """One adversarial input: a unit repeated in a layout."""

    unit: str
    layout: str

    @property
    def name(self) -> str:
        """A printable, unique name: the unit's code points and the layout."""
        shown = self.unit if self.unit.isprintable() and self.unit.isascii() else None
        codes = "+".join(f"U{ord(c):04X}" for c in self.unit)
        return f"{self.layout}:{shown if shown else codes}"

    def text(self, size: int) -> str:
        """The case's text, as many whole units as fit in ``size`` bytes of UTF-8 (at least one).

        Args:
            size: Most UTF-8 bytes of the text.

        Returns:
            The text.
        """
        separator = {"line": "", "titled": "", "lines": "\n", "paragraphs": "\n\n"}[self.layout]
        head = _HEADLINE if self.layout == "titled" else ""
        piece = self.unit + separator
        repeats = max(1, (size - len(head.encode())) // len(piece.encode("utf-8", "surrogatepass")))
        return head + piece * repeats


def adversarial_cases() -> Iterator[AdversarialCase]:
    """Yield every case: each single character and each short pattern in each layout."""
    for unit in (*SINGLE_CHARACTERS, *SHORT_PATTERNS):
        for layout in LAYOUTS:
            yield AdversarialCase(unit, layout)


def find_case(name: str) -> AdversarialCase:
    """Return the case of a given name.

    Args:
        name: A case name, as ``AdversarialCase.name`` prints it.

    Returns:
        The case.

    Raises:
        KeyError: When no case has that name.
    """
    for case in adversarial_cases():
        if case.name == name:
            return case
    raise KeyError(name)
