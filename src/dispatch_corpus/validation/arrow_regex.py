r"""Python regular-expression search over Arrow strings, with RE2 where it means the same.

Great Expectations' pandas engine tests ``match_regex`` with ``Series.str.contains``: Python's
``re.search`` semantics. ``pyarrow.compute.match_substring_regex`` runs RE2, whose syntax
and meaning differ: ``$`` matches only at the very end (Python's also before a final
``\n``), ``\d``, ``\w``, ``\s`` and ``\b`` are ASCII-only, and lookarounds and
backreferences do not exist. ``plan_regex`` translates a Python pattern, from Python's own
parse of it, into RE2 patterns that match exactly the same strings, or keeps it for Python's
``re`` when it cannot prove that (``RegexPlan.whole`` is None then).

The translation:

- literals and class members become ``\x{...}`` code points; ``\d``, ``\w``, ``\s`` and
  their negations become the explicit code-point ranges Python's ``re`` matches (computed
  with ``re`` itself, so they follow the running Python's Unicode tables);
- ``(?![\s\S])`` (any negative lookahead of one item matching every character) and
  ``\Z`` are the end of the text: RE2's ``\z``;
- ``$`` is RE2's ``\z`` on the value, or on the value without its final ``\n`` (the only
  other place Python's ``$`` matches), provided nothing that consumes a character can follow
  it, so that a match ending there never needs the newline. That second pattern sees a
  text ending one character early: its end-of-text assertions other than ``$`` must not
  match there, and become a class that matches nothing;
- anything else Python and RE2 may read differently (flags but verbose, ``\b``,
  lookarounds, backreferences, conditionals, atomic groups, possessive repeats, repeat
  counts above RE2's 1,000, ``$`` before something that consumes) keeps the pattern on
  Python's ``re``.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# Python's own regex parser: the tree re.compile builds its program from (pandas reads it
# too, to choose between RE2 and re). Imported by name: it has no type stubs.
_sre: Any = importlib.import_module("re._parser")

_LAST = 0x10FFFF
_SURROGATES = (0xD800, 0xDFFF)
"""Code points no Arrow string holds (they are not Unicode scalar values)."""
_SCALARS = ((0, _SURROGATES[0] - 1), (_SURROGATES[1] + 1, _LAST))
_NEVER = f"[^\\x{{0}}-\\x{{{_LAST:X}}}]"
"""An RE2 class that matches no character."""
_RE2_MAX_REPEAT = 1000
_PLAIN_FLAGS = re.UNICODE | re.VERBOSE
"""Flags that change nothing in the parsed tree's meaning (verbose acts while parsing)."""
_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}

Ranges = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class RegexPlan:
    r"""How to search one Python pattern over Arrow strings.

    ``whole`` is the RE2 pattern to search each value with, None when the pattern runs on
    Python's ``re``; ``trimmed`` (only for a pattern with ``$``) is the one to search the
    values ending in ``\n`` with, that newline removed.
    """

    pattern: str
    whole: str | None
    trimmed: str | None = None

    @property
    def engine(self) -> str:
        """``re2`` or ``python``: what runs the pattern."""
        return "python" if self.whole is None else "re2"


class _UntranslatableError(Exception):
    """The pattern uses something RE2 cannot express with the same meaning."""


def plan_regex(pattern: str) -> RegexPlan:
    """Translate a Python pattern into RE2 patterns with the same matches, if it can be.

    Args:
        pattern: A regular expression in Python's syntax.

    Returns:
        The plan: RE2 patterns, or Python's ``re`` for this pattern.

    Raises:
        re.error: When ``pattern`` is not a valid Python regular expression.
    """
    re.compile(pattern)
    try:
        parsed = _sre.parse(pattern)
        if parsed.state.flags & ~_PLAIN_FLAGS:
            return RegexPlan(pattern, None)
        whole = _Emitter(trimmed=False).sequence(parsed, tail=True)
        ends = _Emitter(trimmed=True)
        trimmed = ends.sequence(parsed, tail=True)
    except (_UntranslatableError, RecursionError):
        # Groups nested about as deep as re itself allows may exhaust the stack here,
        # called from deeper down: such a pattern stays on Python's re too.
        return RegexPlan(pattern, None)
    plan = RegexPlan(pattern, whole, trimmed if ends.dollar else None)
    try:
        # RE2 refuses what Python accepts in places (nested repeats whose product passes
        # 1,000, a program too large): such a pattern stays on Python's re. Arrow compiles
        # a pattern only when it has a value to search, hence a probe of one value.
        for re2 in (plan.whole, plan.trimmed):
            if re2 is not None:
                pc.match_substring_regex(pa.array([""], pa.string()), re2)
    except pa.ArrowInvalid:
        return RegexPlan(pattern, None)
    return plan


def regex_search(values: pa.Array, plan: RegexPlan) -> pa.Array:
    """Return whether Python's ``re.search`` finds ``plan.pattern`` in each value.

    Args:
        values: A string array.
        plan: The pattern's plan, from ``plan_regex``.

    Returns:
        A boolean array, null where the value is null.
    """
    if plan.whole is None:
        search = re.compile(plan.pattern).search
        found = [None if v is None else search(v) is not None for v in values.to_pylist()]
        return pa.array(found, pa.bool_())
    matched = pc.match_substring_regex(values, plan.whole)
    if plan.trimmed is None:
        return matched
    newline = pc.ends_with(values, "\n")
    trimmed = pc.utf8_slice_codeunits(values, 0, -1)
    before_newline = pc.and_(newline, pc.match_substring_regex(trimmed, plan.trimmed))
    return pc.or_(matched, before_newline)


class _Emitter:
    r"""Writes RE2 syntax from Python's parse tree.

    ``trimmed``: the pattern for a value whose final ``\n`` was cut, where ``$`` is the
    end of the text and other end assertions cannot hold. ``dollar`` says whether a ``$``
    was met (only then is the trimmed pattern needed).
    """

    def __init__(self, *, trimmed: bool) -> None:
        self.trimmed = trimmed
        self.dollar = False

    def sequence(self, items: Any, *, tail: bool) -> str:
        """RE2 of a sequence; ``tail``: nothing after it in the pattern consumes a character."""
        items = list(items)
        out = []
        for position, (op, arg) in enumerate(items):
            rest_is_empty = all(_zero_width(o, a) for o, a in items[position + 1 :])
            out.append(self.item(op, arg, tail=tail and rest_is_empty))
        return "".join(out)

    def item(self, op: Any, arg: Any, *, tail: bool) -> str:
        """RE2 of one node of the tree."""
        if op is _sre.LITERAL:
            return _class(((arg, arg),))
        if op is _sre.NOT_LITERAL:
            return _class(_complement(((arg, arg),)))
        if op is _sre.ANY:
            return "."
        if op is _sre.IN:
            return _class(_set_ranges(arg))
        if op is _sre.BRANCH:
            return "(?:" + "|".join(self.sequence(alt, tail=tail) for alt in arg[1]) + ")"
        if op is _sre.SUBPATTERN:
            _group, add_flags, del_flags, inner = arg
            if add_flags or del_flags:
                raise _UntranslatableError
            return "(?:" + self.sequence(inner, tail=tail) + ")"
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, high, inner = arg
            if low > _RE2_MAX_REPEAT or (high is not _sre.MAXREPEAT and high > _RE2_MAX_REPEAT):
                raise _UntranslatableError
            # A repeated group may consume again after its own $: only a 0-or-1 repeat
            # leaves a $ inside it in tail position.
            body = self.sequence(inner, tail=tail and high is not _sre.MAXREPEAT and high <= 1)
            bound = f"{{{low},}}" if high is _sre.MAXREPEAT else f"{{{low},{high}}}"
            return f"(?:{body}){bound}" + ("?" if op is _sre.MIN_REPEAT else "")
        if op is _sre.AT:
            return self.at(arg, tail=tail)
        if op is _sre.ASSERT_NOT and _is_end_of_text(arg):
            return _NEVER if self.trimmed else "\\z"
        raise _UntranslatableError

    def at(self, where: Any, *, tail: bool) -> str:
        """RE2 of an anchor."""
        if where in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING):
            return "\\A"
        if where is _sre.AT_END_STRING:
            return _NEVER if self.trimmed else "\\z"
        if where is _sre.AT_END and tail:
            self.dollar = True
            return "\\z"
        raise _UntranslatableError


def _zero_width(op: Any, arg: Any) -> bool:
    """Whether a node never consumes a character (an anchor or the end-of-text idiom)."""
    return op is _sre.AT or (op is _sre.ASSERT_NOT and _is_end_of_text(arg))


def _is_end_of_text(arg: Any) -> bool:
    r"""Whether a negative lookahead is ``(?![\s\S])``: one item matching every character."""
    direction, inner = arg
    items = list(inner)
    if direction != 1 or len(items) != 1:
        return False
    op, members = items[0]
    return op is _sre.IN and _set_ranges(members) == _SCALARS


def _set_ranges(members: Any) -> Ranges:
    """The code points a bracketed class (``IN`` node) matches, as sorted ranges."""
    negate = False
    ranges: list[tuple[int, int]] = []
    for op, arg in members:
        if op is _sre.NEGATE:
            negate = True
        elif op is _sre.LITERAL:
            ranges.append((arg, arg))
        elif op is _sre.RANGE:
            ranges.append(arg)
        elif op is _sre.CATEGORY and str(arg) in _CATEGORIES:
            ranges.extend(_category(_CATEGORIES[str(arg)]))
        else:
            raise _UntranslatableError
    merged = _normalized(ranges)
    return _complement(merged) if negate else merged


def _normalized(ranges: list[tuple[int, int]]) -> Ranges:
    """Sorted, merged ranges of Unicode scalar values (surrogates left out)."""
    parts = sorted(
        (max(low, part_low), min(high, part_high))
        for low, high in ranges
        for part_low, part_high in _SCALARS
        if max(low, part_low) <= min(high, part_high)
    )
    merged: list[tuple[int, int]] = []
    for low, high in parts:
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return tuple(merged)


def _complement(ranges: Ranges) -> Ranges:
    """The scalar values not in ``ranges``."""
    found: list[tuple[int, int]] = []
    for part_low, part_high in _SCALARS:
        start = part_low
        for low, high in ranges:
            if high < part_low or low > part_high:
                continue
            if low > start:
                found.append((start, low - 1))
            start = max(start, high + 1)
        if start <= part_high:
            found.append((start, part_high))
    return tuple(found)


@cache
def _category(escape: str) -> Ranges:
    r"""The scalar values Python's ``re`` matches with ``\d``, ``\w``, ``\s`` or a negation."""
    positive = escape.lower()
    if positive != escape:
        # \D, \W and \S are the complements of \d, \w and \s (re's own definition).
        return _complement(_category(positive))
    found: list[tuple[int, int]] = []
    for part_low, part_high in _SCALARS:
        # Every code point of the part as one string, built in C: a Python loop over
        # 1.1 million characters would cost a quarter of a second of start-up.
        codes = np.arange(part_low, part_high + 1, dtype="<u4")
        text = codes.tobytes().decode("utf-32-le")
        for run in re.finditer(positive + "+", text):
            found.append((part_low + run.start(), part_low + run.end() - 1))
    return _normalized(found)


def _class(ranges: Ranges) -> str:
    if not ranges:
        return _NEVER
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return f"\\x{{{ranges[0][0]:X}}}"
    parts = (
        f"\\x{{{low:X}}}" if low == high else f"\\x{{{low:X}}}-\\x{{{high:X}}}"
        for low, high in ranges
    )
    return "[" + "".join(parts) + "]"
