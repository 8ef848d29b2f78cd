"""Pydantic models and label enums: the single source of truth for the data model.

Every other representation of the tables (Arrow schemas, Hugging Face ``Features``,
JSON Schema files, expectation-suite columns) is derived from the models in this module.
"""

from __future__ import annotations

import hashlib
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

INT32_MAX = 2**31 - 1
DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
PARAGRAPH_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}/p[0-9]{4,}$"
SECTION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}/s[0-9]{4,}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"
PARAGRAPH_SEPARATOR = "\n\n"


class Int32:
    """Marker placed in ``Annotated`` metadata: the column is stored as int32."""


class ClassLabelled:
    """Marker placed in ``Annotated`` metadata: the enum column is a Hugging Face ClassLabel."""


Int32Field = Annotated[int, Field(ge=0, le=INT32_MAX), Int32()]
DocId = Annotated[str, Field(pattern=DOC_ID_PATTERN)]
Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN)]


class Role(StrEnum):
    """Role of one paragraph (closed set, see LABELING.md). Order is the ClassLabel order."""

    HEADLINE = "headline"
    DATELINE = "dateline"
    LEAD = "lead"
    BODY = "body"
    STATEMENT = "statement"
    LIST_INTRO = "list_intro"
    LIST_ITEM = "list_item"
    SUBHEADING = "subheading"
    BOILERPLATE = "boilerplate"


class SectionLabel(StrEnum):
    """Label of one section (closed set, see LABELING.md). Order is the ClassLabel order."""

    HEADLINE = "headline"
    LEAD = "lead"
    BODY = "body"
    STATEMENT = "statement"
    LIST = "list"
    BOILERPLATE = "boilerplate"


class ParagraphFlag(StrEnum):
    """Paragraph-level quality flags (closed set)."""

    STARTS_LOWERCASE = "starts_lowercase"


class DocumentFlag(StrEnum):
    """Document-level quality flags (closed set)."""

    BOM_REMOVED = "bom_removed"
    ENCODING_CP1252 = "encoding_cp1252"
    ENCODING_CP1251 = "encoding_cp1251"
    ENCODING_KOI8_R = "encoding_koi8_r"
    ENCODING_LATIN1 = "encoding_latin1"
    CR_LINE_ENDS = "cr_line_ends"
    CONTROL_CHARS_REMOVED = "control_chars_removed"
    NUL_BYTES_REMOVED = "nul_bytes_removed"
    ESCAPE_SEQUENCES_REMOVED = "escape_sequences_removed"
    INVISIBLE_CHARS_REMOVED = "invisible_chars_removed"
    SINGLE_BLOCK = "single_block"
    LANGUAGE_DETECTED = "language_detected"
    LANGUAGE_MISMATCH = "language_mismatch"
    METADATA_MISSING = "metadata_missing"
    METADATA_DATE_INVALID = "metadata_date_invalid"
    METADATA_LANGUAGE_INVALID = "metadata_language_invalid"


class Stage(StrEnum):
    """Pipeline stage at which an input was quarantined."""

    READ = "read"
    DECODE = "decode"
    SPLIT = "split"
    VALIDATE = "validate"
    DEDUPLICATE = "deduplicate"


class QuarantineReason(StrEnum):
    """Machine-readable reason an input was quarantined (closed set)."""

    EMPTY = "empty"
    WHITESPACE_ONLY = "whitespace_only"
    BINARY = "binary"
    TOO_LARGE = "too_large"
    INVALID_ID = "invalid_id"
    DUPLICATE_ID = "duplicate_id"
    DUPLICATE_TEXT = "duplicate_text"
    SYMLINK_OUTSIDE = "symlink_outside"
    NO_COLLECTION = "no_collection"
    NOT_A_FILE = "not_a_file"
    UNREADABLE = "unreadable"
    INVALID_RECORD = "invalid_record"


def sha256_hex(text: str) -> str:
    """Return the hex sha256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Record(BaseModel):
    """Base for every table row: frozen, no extra keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Document(Record):
    """One dispatch: canonical text plus document-level fields."""

    doc_id: DocId
    collection: Annotated[str, Field(min_length=1)]
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)]
    agency: str | None = None
    title: str | None = None
    published: date | None = None
    url: str | None = None
    license: str | None = None
    dateline: str | None = None
    dateline_start: Annotated[int, Field(ge=0, le=INT32_MAX), Int32()] | None = None
    dateline_end: Annotated[int, Field(ge=0, le=INT32_MAX), Int32()] | None = None
    text: Annotated[str, Field(min_length=1)]
    raw_sha256: Sha256
    text_sha256: Sha256
    n_paragraphs: Int32Field
    n_sections: Int32Field
    n_chars: Int32Field
    flags: list[DocumentFlag] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_consistency(self) -> Document:
        if self.n_chars != len(self.text):
            raise ValueError(f"n_chars {self.n_chars} != len(text) {len(self.text)}")
        if self.text_sha256 != sha256_hex(self.text):
            raise ValueError("text_sha256 does not match text")
        if self.n_paragraphs < 1 or self.n_sections < 1:
            raise ValueError("a document has at least one paragraph and one section")
        span = (self.dateline_start, self.dateline_end)
        if self.dateline is None:
            if span != (None, None):
                raise ValueError("dateline offsets without dateline text")
        elif (
            self.dateline_start is None
            or self.dateline_end is None
            or self.text[self.dateline_start : self.dateline_end] != self.dateline
        ):
            raise ValueError("dateline offsets do not slice the text exactly")
        if len(set(self.flags)) != len(self.flags):
            raise ValueError("duplicate document flags")
        return self


class Paragraph(Record):
    """One paragraph: a span of its document's canonical text with a role."""

    paragraph_id: Annotated[str, Field(pattern=PARAGRAPH_ID_PATTERN)]
    doc_id: DocId
    paragraph_index: Int32Field
    section_index: Int32Field
    role: Annotated[Role, ClassLabelled()]
    text: Annotated[str, Field(min_length=1)]
    char_start: Int32Field
    char_end: Int32Field
    flags: list[ParagraphFlag] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_consistency(self) -> Paragraph:
        if self.paragraph_id != paragraph_id(self.doc_id, self.paragraph_index):
            raise ValueError(f"paragraph_id {self.paragraph_id!r} does not match doc_id/index")
        if self.char_end - self.char_start != len(self.text):
            raise ValueError("char_end - char_start != len(text)")
        if self.text != self.text.strip() or "\n" in self.text:
            raise ValueError("paragraph text is not trimmed or spans lines")
        return self


class Section(Record):
    """A run of consecutive paragraphs sharing one section label."""

    section_id: Annotated[str, Field(pattern=SECTION_ID_PATTERN)]
    doc_id: DocId
    section_index: Int32Field
    label: Annotated[SectionLabel, ClassLabelled()]
    paragraph_start: Int32Field
    paragraph_end: Int32Field
    char_start: Int32Field
    char_end: Int32Field
    text: Annotated[str, Field(min_length=1)]

    @model_validator(mode="after")
    def _check_consistency(self) -> Section:
        if self.section_id != section_id(self.doc_id, self.section_index):
            raise ValueError(f"section_id {self.section_id!r} does not match doc_id/index")
        if self.paragraph_end <= self.paragraph_start:
            raise ValueError("paragraph_end must be above paragraph_start")
        if self.char_end - self.char_start != len(self.text):
            raise ValueError("char_end - char_start != len(text)")
        return self


class QuarantineRecord(Record):
    """One rejected input of a build, with a machine-readable reason."""

    source_path: Annotated[str, Field(min_length=1)]
    doc_id: str | None = None
    stage: Stage
    reason_code: QuarantineReason
    message: Annotated[str, Field(min_length=1)]
    raw_sha256: Annotated[str, Field(pattern=SHA256_PATTERN)] | None = None


class DocumentRecord(Record):
    """A document with its paragraphs and sections; enforces the cross-table invariants."""

    document: Document
    paragraphs: list[Paragraph]
    sections: list[Section]

    @model_validator(mode="after")
    def _check_invariants(self) -> DocumentRecord:
        doc = self.document
        text = doc.text
        if len(self.paragraphs) != doc.n_paragraphs or len(self.sections) != doc.n_sections:
            raise ValueError("n_paragraphs / n_sections disagree with the rows")
        if PARAGRAPH_SEPARATOR.join(p.text for p in self.paragraphs) != text:
            raise ValueError("paragraph texts joined do not give the document text")
        for index, para in enumerate(self.paragraphs):
            if para.doc_id != doc.doc_id or para.paragraph_index != index:
                raise ValueError(f"paragraph {index}: doc_id or index out of order")
            if text[para.char_start : para.char_end] != para.text:
                raise ValueError(f"paragraph {index}: offsets do not slice the text")
        expected_start = 0
        for index, sec in enumerate(self.sections):
            if sec.doc_id != doc.doc_id or sec.section_index != index:
                raise ValueError(f"section {index}: doc_id or index out of order")
            if sec.paragraph_start != expected_start:
                raise ValueError(f"section {index}: sections do not tile the paragraphs")
            expected_start = sec.paragraph_end
            first = self.paragraphs[sec.paragraph_start]
            last = self.paragraphs[sec.paragraph_end - 1]
            if (sec.char_start, sec.char_end) != (first.char_start, last.char_end):
                raise ValueError(f"section {index}: offsets disagree with its paragraphs")
            if text[sec.char_start : sec.char_end] != sec.text:
                raise ValueError(f"section {index}: offsets do not slice the text")
            for para in self.paragraphs[sec.paragraph_start : sec.paragraph_end]:
                if para.section_index != index:
                    raise ValueError(f"paragraph {para.paragraph_index}: wrong section_index")
        if expected_start != len(self.paragraphs):
            raise ValueError("sections do not cover every paragraph")
        return self


def paragraph_id(doc_id: str, index: int) -> str:
    """Return the paragraph id ``<doc_id>/p<index:04d>``."""
    return f"{doc_id}/p{index:04d}"


def section_id(doc_id: str, index: int) -> str:
    """Return the section id ``<doc_id>/s<index:04d>``."""
    return f"{doc_id}/s{index:04d}"


TABLE_MODELS: dict[str, type[Record]] = {
    "documents": Document,
    "paragraphs": Paragraph,
    "sections": Section,
}
"""Published tables (one ``datasets`` config each) and their row models."""

TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",),
    "paragraphs": ("doc_id", "paragraph_index"),
    "sections": ("doc_id", "section_index"),
}
"""Primary key of each published table (also its sort order)."""
