"""Segmentation is exact whatever the raw format: gold documents re-rendered in each one.

Each hand-labeled gold document is rebuilt from its source in ../shared/corpus, its
paragraphs re-rendered in a raw format (line ends, wrapping, padding, legacy encodings),
and the build of those bytes must give the gold's canonical text and paragraph offsets,
with the decode flag that names the repair.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from dispatch_corpus.core.pipeline import process_dispatch
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.core.text.split import LIST_ITEM_PATTERN, TRIM_CHARS
from dispatch_corpus.models import DocumentFlag, DocumentRecord

SHARED_DIR = Path(__file__).resolve().parents[1] / ".." / "shared"
GOLD_DIR = SHARED_DIR / "gold"
CORPUS_DIR = SHARED_DIR / "corpus"
GOLD_IDS = (
    sorted(p.name.removesuffix(".expected.json") for p in GOLD_DIR.glob("*.expected.json"))
    if GOLD_DIR.is_dir() and CORPUS_DIR.is_dir()
    else []
)
WRAP_WIDTH = 70
LEGACY_FLAGS = {
    DocumentFlag.ENCODING_CP1252,
    DocumentFlag.ENCODING_CP1251,
    DocumentFlag.ENCODING_KOI8_R,
    DocumentFlag.ENCODING_LATIN1,
}
DECODE_FLAGS = LEGACY_FLAGS | {DocumentFlag.BOM_REMOVED, DocumentFlag.CR_LINE_ENDS}
_LIST_START = re.compile(LIST_ITEM_PATTERN)


@dataclass(frozen=True)
class GoldSource:
    """A gold document's language, canonical paragraphs and expected spans."""

    doc_id: str
    language: str
    paragraphs: tuple[str, ...]
    text_sha256: str
    spans: tuple[tuple[int, int], ...]


@cache
def gold_source(doc_id: str) -> GoldSource:
    gold = json.loads((GOLD_DIR / f"{doc_id}.expected.json").read_text(encoding="utf-8"))
    (source,) = CORPUS_DIR.glob(f"*/{doc_id}.txt")
    record = build(source.read_bytes())
    spans = tuple((p["char_start"], p["char_end"]) for p in gold["paragraphs"])
    assert record.document.text_sha256 == gold["text_sha256"], "source differs from the gold"
    text = record.document.text
    return GoldSource(
        doc_id=doc_id,
        language=gold["language"],
        paragraphs=tuple(text[start:end] for start, end in spans),
        text_sha256=gold["text_sha256"],
        spans=spans,
    )


def build(raw: bytes) -> DocumentRecord:
    result = process_dispatch(RawDispatch("formats/doc.txt", "formats", "doc", raw))
    assert isinstance(result, DocumentRecord), result
    return result


def hard_wrap(paragraph: str, width: int = WRAP_WIDTH) -> list[str]:
    """Wrap at single spaces only, never starting a line with a list marker."""
    breaks = [
        i
        for i, char in enumerate(paragraph)
        if char == " "
        and paragraph[i - 1] not in TRIM_CHARS
        and paragraph[i + 1] not in TRIM_CHARS
        and not _LIST_START.match(paragraph, i + 1)
    ]
    lines: list[str] = []
    start = 0
    while len(paragraph) - start > width:
        fitting = [b for b in breaks if start < b <= start + width]
        later = [b for b in breaks if b > start]
        if not fitting and not later:
            break
        cut = fitting[-1] if fitting else later[0]
        lines.append(paragraph[start:cut])
        start = cut + 1
    lines.append(paragraph[start:])
    return lines


def one_per_line(source: GoldSource, end: str = "\n") -> str:
    return end.join(source.paragraphs) + end


def blank_line_wrapped(source: GoldSource, end: str = "\n") -> str:
    return (end * 2).join(end.join(hard_wrap(p)) for p in source.paragraphs) + end


def padded(source: GoldSource) -> str:
    return "".join(f"\t \u00a0{p}  \t\u00a0 \n" for p in source.paragraphs)


def many_blank_lines(source: GoldSource) -> str:
    return "\n\n\n \n\t\n".join(source.paragraphs) + "\n\n\n"


def wrapped_padded_crlf(source: GoldSource) -> str:
    blocks = ("\r\n".join(f" {line}\u00a0" for line in hard_wrap(p)) for p in source.paragraphs)
    return "\r\n \r\n\r\n".join(blocks) + "\r\n"


def legacy_flag(raw: bytes, codec: str) -> set[DocumentFlag]:
    """The flag decoding documents for bytes of a legacy codec (none when valid UTF-8)."""
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return set()
    if codec == "cp1251":
        return {DocumentFlag.ENCODING_CP1251}
    c1_bytes = any(0x80 <= byte < 0xA0 for byte in raw)
    return {DocumentFlag.ENCODING_CP1252 if c1_bytes else DocumentFlag.ENCODING_LATIN1}


Render = Callable[[GoldSource], tuple[bytes, set[DocumentFlag]]]


def _utf8(render: Callable[[GoldSource], str], *flags: DocumentFlag) -> Render:
    return lambda source: (render(source).encode("utf-8"), set(flags))


def _legacy(codec: str) -> Render:
    def render(source: GoldSource) -> tuple[bytes, set[DocumentFlag]]:
        raw = one_per_line(source).encode(codec)
        return raw, legacy_flag(raw, codec)

    return render


FORMATS: dict[str, Render] = {
    "one_per_line": _utf8(one_per_line),
    "blank_lines_hard_wrapped": _utf8(blank_line_wrapped),
    "crlf": _utf8(lambda s: one_per_line(s, "\r\n")),
    "cr_only": _utf8(lambda s: one_per_line(s, "\r"), DocumentFlag.CR_LINE_ENDS),
    "bom": lambda s: (
        codecs.BOM_UTF8 + one_per_line(s).encode("utf-8"),
        {DocumentFlag.BOM_REMOVED},
    ),
    "cp1252": _legacy("cp1252"),
    "cp1251": _legacy("cp1251"),
    "latin1": _legacy("latin-1"),
    "tabs_nbsp_trailing_spaces": _utf8(padded),
    "several_blank_lines": _utf8(many_blank_lines),
    "wrapped_padded_crlf": _utf8(wrapped_padded_crlf),
}
LEGACY_CODECS = {"cp1252": ("cp1252", ("fr", "en")), "cp1251": ("cp1251", ("ru",))}
LEGACY_CODECS["latin1"] = ("latin-1", ("fr",))
"""Legacy formats: their codec and the languages re-rendered in it."""


def _applies(raw_format: str, doc_id: str) -> bool:
    """Whether a legacy format applies: the document's language, every character encodable."""
    if raw_format not in LEGACY_CODECS:
        return True
    codec, languages = LEGACY_CODECS[raw_format]
    gold = json.loads((GOLD_DIR / f"{doc_id}.expected.json").read_text(encoding="utf-8"))
    (source,) = CORPUS_DIR.glob(f"*/{doc_id}.txt")
    text = source.read_text(encoding="utf-8").strip(TRIM_CHARS)
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return gold["language"] in languages


CASES = [(f, d) for f in sorted(FORMATS) for d in GOLD_IDS if _applies(f, d)]


@pytest.mark.parametrize(
    ("raw_format", "doc_id"), CASES or [pytest.param("", "", marks=pytest.mark.skip)]
)
def test_segmentation_is_exact_in_every_raw_format(raw_format: str, doc_id: str) -> None:
    source = gold_source(doc_id)
    raw, expected_flags = FORMATS[raw_format](source)
    record = build(raw)
    assert record.document.text_sha256 == source.text_sha256
    assert [(p.char_start, p.char_end) for p in record.paragraphs] == list(source.spans)
    assert set(record.document.flags) & DECODE_FLAGS == expected_flags


def test_every_raw_format_is_exercised_in_every_language() -> None:
    if not GOLD_IDS:
        pytest.skip(f"shared gold or corpus not found under {SHARED_DIR.resolve()}")
    languages = {d: gold_source(d).language for d in GOLD_IDS}
    covered = {(f, languages[d]) for f, d in CASES}
    for raw_format in FORMATS:
        wanted = LEGACY_CODECS[raw_format][1] if raw_format in LEGACY_CODECS else ("fr", "en", "ru")
        assert {(raw_format, lang) for lang in wanted} <= covered, raw_format


@pytest.mark.parametrize(
    "paragraph",
    [
        "word " * 40,
        "Les scores : 1. premier, 2. second, 3. troisième et - enfin - le dernier " * 3,
        "Score 1 – 0 then 2) a point, a) b) c) and • bullets • everywhere in the text " * 3,
    ],
)
def test_hard_wrap_keeps_the_text_and_never_starts_a_list_item(paragraph: str) -> None:
    paragraph = paragraph.strip()
    lines = hard_wrap(paragraph)
    assert " ".join(lines) == paragraph
    assert len(lines) > 1
    assert not any(_LIST_START.match(line) for line in lines[1:])
