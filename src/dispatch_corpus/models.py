"""Pydantic models and label enums: the single source of truth for the data model.

Every other representation of the tables (Arrow schemas, Hugging Face ``Features``,
JSON Schema files, expectation-suite columns) is derived from the models in this module.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

INT32_MAX = 2**31 - 1
DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"
_DOC_ID = re.compile(DOC_ID_PATTERN)


def is_doc_id(value: object) -> bool:
    """Whether ``value`` is a string the whole of which is a valid doc_id."""
    # fullmatch: the pattern's "$" alone would also accept a final line break.
    return isinstance(value, str) and _DOC_ID.fullmatch(value) is not None


PARAGRAPH_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}/p[0-9]{4,}$"
SECTION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}/s[0-9]{4,}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"
PARAGRAPH_SEPARATOR = "\n\n"


class Int32:
    """Marker placed in ``Annotated`` metadata: the column is stored as int32."""


class Float32:
    """Marker placed in ``Annotated`` metadata: the column is stored as float32."""


class ClassLabelled:
    """Marker placed in ``Annotated`` metadata: the enum column is a Hugging Face ClassLabel."""


class ClassName:
    """Marker placed in ``Annotated`` metadata: the enum column holds the class name, as a string.

    It repeats a ClassLabel column (``source``) by name, for readers without the Hugging Face
    features (polars, DuckDB): the model checks that both name the same class.
    """

    def __init__(self, source: str) -> None:
        self.source = source

    def __repr__(self) -> str:
        return f"ClassName({self.source!r})"


# Bounded in the model, so a value that passed validation always fits its int32 column.
Int32Field = Annotated[int, Field(ge=0, le=INT32_MAX), Int32()]
UnitFloat32Field = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False), Float32()]
DocId = Annotated[str, Field(pattern=DOC_ID_PATTERN)]
Sha256 = Annotated[str, Field(pattern=SHA256_PATTERN)]


class Role(StrEnum):
    """Role of one paragraph (closed set, see LABELING.md). Order is the ClassLabel order."""

    # The data stores each role as its position here: a new role goes at the end, as a
    # reordering would renumber the roles of every released row.
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

    # Stored by position too: a new label goes at the end.
    HEADLINE = "headline"
    LEAD = "lead"
    BODY = "body"
    STATEMENT = "statement"
    LIST = "list"
    BOILERPLATE = "boilerplate"


class ParagraphFlag(StrEnum):
    """Paragraph-level quality flags (closed set)."""

    STARTS_LOWERCASE = "starts_lowercase"
    REPEATED_TEXT = "repeated_text"


class Split(StrEnum):
    """Split of a document, its paragraphs and sections (closed set)."""

    TRAIN = "train"
    VALIDATION = "validation"
    TEST = "test"


# Stored as a plain string column (not a ClassLabel): ``split`` also names the shard files, and
# a practitioner filters on it by name.
SPLIT_PATTERN = "^(?:" + "|".join(s.value for s in Split) + ")$"


class DocumentFlag(StrEnum):
    """Document-level quality flags (closed set)."""

    BOM_REMOVED = "bom_removed"
    ENCODING_CP1252 = "encoding_cp1252"
    ENCODING_CP1251 = "encoding_cp1251"
    ENCODING_KOI8_R = "encoding_koi8_r"
    ENCODING_LATIN1 = "encoding_latin1"
    ENCODING_UTF16 = "encoding_utf16"
    ENCODING_UTF32 = "encoding_utf32"
    INVALID_UTF8_REPLACED = "invalid_utf8_replaced"
    MOJIBAKE_SUSPECTED = "mojibake_suspected"
    MOJIBAKE_REPAIRED = "mojibake_repaired"
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
    METADATA_CLEANED = "metadata_cleaned"


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
    UNDECODABLE = "undecodable"
    TOO_LARGE = "too_large"
    TOO_MANY_PARAGRAPHS = "too_many_paragraphs"
    INVALID_ID = "invalid_id"
    DUPLICATE_ID = "duplicate_id"
    DUPLICATE_TEXT = "duplicate_text"
    SYMLINK_OUTSIDE = "symlink_outside"
    ALIAS = "alias"
    NO_COLLECTION = "no_collection"
    NOT_A_FILE = "not_a_file"
    UNREADABLE = "unreadable"
    INVALID_RECORD = "invalid_record"


def sha256_hex(text: str) -> str:
    """Return the hex sha256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Record(BaseModel):
    """Base for every table row: frozen, no extra keys."""

    # Enum members, not their values: the writer maps a member's .value to its class index.
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Document(Record):
    """One dispatch: canonical text plus document-level fields."""

    doc_id: DocId = Field(description="Document id, from the raw file name; unique")
    collection: Annotated[str, Field(min_length=1)] = Field(
        description="Source collection: the folder under the corpus root"
    )
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)] = Field(
        description="ISO 639-1 language code, from metadata or detected"
    )
    agency: str | None = Field(
        default=None, description="News agency, from metadata or detected in the text"
    )
    title: str | None = Field(
        default=None, description="Title, from metadata or the headline paragraph"
    )
    published: date | None = Field(
        default=None, description="Publication date, from metadata or the dateline"
    )
    url: str | None = Field(default=None, description="Source URL, from metadata")
    license: str | None = Field(
        default=None,
        description="License of the source text: an SPDX id where one exists, null when unknown",
    )
    dateline: str | None = Field(
        default=None, description="Dateline text found at the opening of the document"
    )
    dateline_start: Annotated[int, Field(ge=0, le=INT32_MAX), Int32()] | None = Field(
        default=None, description="Start offset of the dateline in text (code points)"
    )
    dateline_end: Annotated[int, Field(ge=0, le=INT32_MAX), Int32()] | None = Field(
        default=None, description="End offset of the dateline in text (code points, exclusive)"
    )
    text: Annotated[str, Field(min_length=1)] = Field(
        description="Canonical text: the paragraph texts joined by a blank line"
    )
    raw_sha256: Sha256 = Field(description="sha256 of the raw input bytes")
    text_sha256: Sha256 = Field(description="sha256 of text encoded as UTF-8")
    n_paragraphs: Int32Field = Field(description="Number of paragraphs")
    n_sections: Int32Field = Field(description="Number of sections")
    n_chars: Int32Field = Field(description="Number of characters (code points) of text")
    flags: list[DocumentFlag] = Field(
        default_factory=list, description="Document-level quality flags (closed set)"
    )
    cluster_id: DocId = Field(
        description="Smallest doc_id of the document's near-duplicate cluster (itself when unique)"
    )
    split: Annotated[str, Field(pattern=SPLIT_PATTERN)] = Field(
        description="train, validation or test: by a salted hash of cluster_id, or the split "
        "an earlier release gave the cluster"
    )

    @model_validator(mode="after")
    def _check_consistency(self) -> Document:
        if self.n_chars != len(self.text):
            raise ValueError(f"n_chars {self.n_chars} != len(text) {len(self.text)}")
        if self.text_sha256 != sha256_hex(self.text):
            raise ValueError(
                f"text_sha256 does not match text: {self.text_sha256} != {sha256_hex(self.text)}"
            )
        if self.n_paragraphs < 1 or self.n_sections < 1:
            raise ValueError(
                "a document has at least one paragraph and one section, not "
                f"{self.n_paragraphs} and {self.n_sections}"
            )
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
        if self.cluster_id > self.doc_id:
            raise ValueError(f"cluster_id {self.cluster_id!r} is above doc_id {self.doc_id!r}")
        return self


def _span_message(start: int, end: int, text: str) -> str:
    return f"char_end - char_start = {end - start} but len(text) = {len(text)}"


class Paragraph(Record):
    """One paragraph: a span of its document's canonical text with a role."""

    paragraph_id: Annotated[str, Field(pattern=PARAGRAPH_ID_PATTERN)] = Field(
        description="<doc_id>/p<paragraph_index, 4 digits>"
    )
    doc_id: DocId = Field(description="Document of the paragraph (documents.doc_id)")
    paragraph_index: Int32Field = Field(description="Position in the document, from 0")
    section_index: Int32Field = Field(
        description="Section of the paragraph (sections.section_index)"
    )
    role: Annotated[Role, ClassLabelled()] = Field(
        description="Role of the paragraph (see the label guide)"
    )
    role_confidence: UnitFloat32Field = Field(
        description="Calibrated probability that role is right (observed accuracy of the rule "
        "that decided it, in cross-validation on hand-labeled gold)"
    )
    text: Annotated[str, Field(min_length=1)] = Field(
        description="Paragraph text, equal to documents.text[char_start:char_end]"
    )
    char_start: Int32Field = Field(description="Start offset in documents.text (code points)")
    char_end: Int32Field = Field(
        description="End offset in documents.text (code points, exclusive)"
    )
    flags: list[ParagraphFlag] = Field(
        default_factory=list, description="Paragraph-level quality flags, e.g. starts_lowercase"
    )
    role_name: Annotated[Role, ClassName("role")] = Field(
        description="Name of role, as a string (for readers without the ClassLabel names)"
    )

    @model_validator(mode="after")
    def _check_consistency(self) -> Paragraph:
        if self.paragraph_id != paragraph_id(self.doc_id, self.paragraph_index):
            raise ValueError(f"paragraph_id {self.paragraph_id!r} does not match doc_id/index")
        if self.role_name is not self.role:
            raise ValueError(f"role_name {self.role_name.value!r} is not role {self.role.value!r}")
        if self.char_end - self.char_start != len(self.text):
            raise ValueError(_span_message(self.char_start, self.char_end, self.text))
        if self.text != self.text.strip() or "\n" in self.text:
            raise ValueError("paragraph text is not trimmed or spans lines")
        return self


class Section(Record):
    """A run of consecutive paragraphs sharing one section label."""

    section_id: Annotated[str, Field(pattern=SECTION_ID_PATTERN)] = Field(
        description="<doc_id>/s<section_index, 4 digits>"
    )
    doc_id: DocId = Field(description="Document of the section (documents.doc_id)")
    section_index: Int32Field = Field(description="Position in the document, from 0")
    label: Annotated[SectionLabel, ClassLabelled()] = Field(
        description="Section label (see the label guide)"
    )
    paragraph_start: Int32Field = Field(description="Index of the first paragraph of the section")
    paragraph_end: Int32Field = Field(description="Index after the last paragraph of the section")
    char_start: Int32Field = Field(description="Start offset in documents.text (code points)")
    char_end: Int32Field = Field(
        description="End offset in documents.text (code points, exclusive)"
    )
    text: Annotated[str, Field(min_length=1)] = Field(
        description="Section text, equal to documents.text[char_start:char_end]"
    )
    label_name: Annotated[SectionLabel, ClassName("label")] = Field(
        description="Name of label, as a string (for readers without the ClassLabel names)"
    )

    @model_validator(mode="after")
    def _check_consistency(self) -> Section:
        if self.section_id != section_id(self.doc_id, self.section_index):
            raise ValueError(f"section_id {self.section_id!r} does not match doc_id/index")
        if self.label_name is not self.label:
            raise ValueError(
                f"label_name {self.label_name.value!r} is not label {self.label.value!r}"
            )
        if self.paragraph_end <= self.paragraph_start:
            raise ValueError(
                f"paragraph_end must be above paragraph_start, not {self.paragraph_end} "
                f"<= {self.paragraph_start}"
            )
        if self.char_end - self.char_start != len(self.text):
            raise ValueError(_span_message(self.char_start, self.char_end, self.text))
        return self


class QuarantineRecord(Record):
    """One rejected input of a build, with a machine-readable reason."""

    source_path: Annotated[str, Field(min_length=1)] = Field(
        description="Path of the input, relative to the corpus root"
    )
    # Not a DocId: an invalid_id row records the very name that failed the pattern.
    doc_id: str | None = Field(default=None, description="Document id, when the file name gave one")
    stage: Stage = Field(description="Pipeline stage that rejected the input")
    reason_code: QuarantineReason = Field(description="Machine-readable reason (closed set)")
    message: Annotated[str, Field(min_length=1)] = Field(description="Human-readable explanation")
    raw_sha256: Annotated[str, Field(pattern=SHA256_PATTERN)] | None = Field(
        default=None, description="sha256 of the raw bytes, when they were read"
    )


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
