"""How the dataset card writes numbers, counted nouns and text taken from the data."""

from __future__ import annotations

import importlib.metadata
import re

from dispatch_corpus.dataset.buildrecord import PACKAGE
from dispatch_corpus.dataset.provenance import one_line
from dispatch_corpus.utils.numbers import count, counted

FALLBACK_AUTHOR = "dispatch-corpus maintainers"
"""The author when the package's metadata names none (pyproject.toml's ``authors``)."""
_BACKTICKS = re.compile(r"`+")
# Characters that Markdown or the Hub's HTML renderer would read as markup inside a cell.
_MARKDOWN_ESCAPES = str.maketrans(
    {
        "|": "\\|",
        "<": "&lt;",
        ">": "&gt;",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        # Braces too: "{{" reads as an unfilled template placeholder.
        "{": "\\{",
        "}": "\\}",
        "`": "\\`",
    }
)


def hub_url(repo_id: str) -> str:
    """Return the Hub page of a dataset repository."""
    return f"https://huggingface.co/datasets/{repo_id}"


def verb(value: int, singular: str, plural: str) -> str:
    """Return the verb that agrees with a count: ``verb(1, "is", "are") == "is"``."""
    return singular if value == 1 else plural


def share(part: int, whole: int, noun: str | None = None) -> str:
    """Return ``part`` of ``whole`` as ``N of M (P%)``: ``79 of 81 documents (98%)``.

    The percentage is whole, but never rounds a part that is not all (or not none) to
    100% (or 0%): 853 of 854 is ``>99%``, 1 of 854 ``<1%``.

    Args:
        part: How many.
        whole: Out of how many.
        noun: The singular noun counted, put after ``whole`` (plural unless it is 1).

    Returns:
        The share.
    """
    out_of = counted(whole, noun) if noun else count(whole)
    if not whole:
        return f"{count(part)} of {out_of}"
    percent = round(100 * part / whole)
    if percent == 100 and part != whole:
        shown = ">99%"
    elif percent == 0 and part:
        shown = "<1%"
    else:
        shown = f"{percent}%"
    return f"{count(part)} of {out_of} ({shown})"


def plain(text: str, limit: int = 300) -> str:
    """Return text from the data as one Markdown-safe line, clipped visibly at ``limit``.

    Line breaks and controls cannot break a table row or a paragraph, and markup characters
    are escaped, so a sidecar value renders as the words it holds.

    Args:
        text: A value from the data (a sidecar field, a title).
        limit: The most characters kept before ``...`` and the number left out.

    Returns:
        The escaped line.
    """
    line = one_line(text)
    if len(line) <= limit:
        return line.translate(_MARKDOWN_ESCAPES)
    # Clipped before escaping, so no escape is cut in two.
    rest = counted(len(line) - limit, "more character")
    return f"{line[:limit].translate(_MARKDOWN_ESCAPES)}... [{rest}]"


def code(text: str, limit: int = 60) -> str:
    """Return text from the data as an inline code span on one line, clipped at ``limit``."""
    line = one_line(text)
    if len(line) > limit:
        line = line[:limit] + "..."
    # A backtick would close the span; "|" ends a table cell even inside one (GFM).
    return "`" + line.replace("`", "'").replace("|", "\\|") + "`"


def fence(body: str, language: str = "") -> str:
    """Return ``body`` in a code fence longer than any run of backticks inside it."""
    longest = max((len(run) for run in _BACKTICKS.findall(body)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{language}\n{body}\n{marks}"


def package_authors() -> tuple[str, ...]:
    """Return the authors named in the installed package's metadata (pyproject.toml)."""
    try:
        metadata = importlib.metadata.metadata(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return (FALLBACK_AUTHOR,)
    names = [name.strip() for name in metadata.get_all("Author") or [] if name.strip()]
    # "Name <email>" entries (authors given with an email) keep the name only.
    for entry in metadata.get_all("Author-email") or []:
        names += [part.split("<")[0].strip().strip('"') for part in entry.split(",")]
    return tuple(name for name in names if name) or (FALLBACK_AUTHOR,)
