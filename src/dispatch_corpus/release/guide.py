"""What each role, section label and quality flag means, for the dataset card (data only).

Keyed by the enums of ``dispatch_corpus.models``: a test fails when a class or flag has no
entry here, so the card's label guide cannot drift from the model.
"""

from __future__ import annotations

from collections.abc import Mapping

from dispatch_corpus.models import DocumentFlag, ParagraphFlag, Role, SectionLabel

# In class order (a test checks): the card numbers each row by its position here.
ROLE_GUIDE: Mapping[Role, str] = {
    Role.HEADLINE: "the title line: first line, short, no final period, more paragraphs follow",
    Role.DATELINE: "a line holding only a date and/or a place and agency",
    Role.LEAD: "the first content paragraph (not headline, dateline or boilerplate)",
    Role.BODY: "an ordinary narrative paragraph (the default)",
    Role.STATEMENT: (
        "attributed speech dominates: a direct quote or reported speech makes up about half "
        "of the paragraph or is its main point"
    ),
    Role.LIST_INTRO: "introduces a list: ends with a colon and list items follow",
    Role.LIST_ITEM: "an item of a list, opening with a marker such as 1. 1) a) - or a bullet",
    Role.SUBHEADING: "a short heading without final punctuation between body paragraphs",
    Role.BOILERPLATE: (
        "not part of the story: sources, see-also links, credits, captions, bare links"
    ),
}

# In class order too, for the same reason.
SECTION_GUIDE: Mapping[SectionLabel, str] = {
    SectionLabel.HEADLINE: "the headline, with a dateline line right after it",
    SectionLabel.LEAD: "the lead paragraph, with a dateline line right before it",
    SectionLabel.BODY: "a run of body paragraphs; a subheading starts a new one and titles it",
    SectionLabel.STATEMENT: "a run of statement paragraphs",
    SectionLabel.LIST: "a list intro with the list items that follow it",
    SectionLabel.BOILERPLATE: "a run of boilerplate paragraphs",
}

# No "|" in these texts (a test checks): each one fills a cell of a Markdown table.
FLAG_GUIDE: Mapping[DocumentFlag | ParagraphFlag, str] = {
    DocumentFlag.BOM_REMOVED: "a UTF-8 byte order mark was dropped",
    DocumentFlag.ENCODING_CP1252: "the raw bytes were not UTF-8 and were decoded as cp1252",
    DocumentFlag.ENCODING_CP1251: "the raw bytes were not UTF-8 and were decoded as cp1251",
    DocumentFlag.ENCODING_KOI8_R: "the raw bytes were not UTF-8 and were decoded as koi8-r",
    DocumentFlag.ENCODING_LATIN1: "the raw bytes were not UTF-8 and were decoded as latin-1",
    DocumentFlag.ENCODING_UTF16: "the raw bytes were UTF-16 (byte order mark or NUL pattern)",
    DocumentFlag.ENCODING_UTF32: "the raw bytes were UTF-32 (byte order mark)",
    DocumentFlag.INVALID_UTF8_REPLACED: (
        "a few bytes were not valid UTF-8 and were replaced by U+FFFD (the rest is UTF-8)"
    ),
    DocumentFlag.MOJIBAKE_SUSPECTED: (
        "the text holds mojibake (UTF-8 once read as cp1252, latin-1 or cp1251), left as is"
    ),
    DocumentFlag.MOJIBAKE_REPAIRED: (
        "mojibake (UTF-8 once read as cp1252, latin-1 or cp1251) was undone; the repair "
        "maps back to the original exactly"
    ),
    DocumentFlag.CR_LINE_ENDS: "bare carriage returns were turned into line breaks",
    DocumentFlag.CONTROL_CHARS_REMOVED: "control characters were removed",
    DocumentFlag.NUL_BYTES_REMOVED: "NUL characters were removed",
    DocumentFlag.ESCAPE_SEQUENCES_REMOVED: "terminal escape sequences were removed",
    DocumentFlag.INVISIBLE_CHARS_REMOVED: "zero-width or bidirectional controls were removed",
    DocumentFlag.SINGLE_BLOCK: "the text is one long block without line structure (not split)",
    DocumentFlag.LANGUAGE_DETECTED: "no language in the metadata: the language was detected",
    DocumentFlag.LANGUAGE_MISMATCH: "the detected language differs from the declared one",
    DocumentFlag.METADATA_MISSING: "no metadata entry for the file",
    DocumentFlag.METADATA_DATE_INVALID: "the metadata date could not be read and was dropped",
    DocumentFlag.METADATA_LANGUAGE_INVALID: (
        "the metadata language was not an ISO 639-1 code and was dropped"
    ),
    DocumentFlag.METADATA_CLEANED: (
        "non-printable characters (controls, escapes, zero-width or bidi marks) were removed "
        "from a metadata value"
    ),
    ParagraphFlag.STARTS_LOWERCASE: "the paragraph starts in lowercase (possibly truncated)",
    ParagraphFlag.REPEATED_TEXT: (
        "the same words (case, punctuation and spacing aside) make a paragraph of documents in "
        "at least two near-duplicate clusters: boilerplate such as 'Продолжение следует'"
    ),
}
