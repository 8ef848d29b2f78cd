"""Compose the pure core: raw bytes of one dispatch -> validated records or a quarantine row."""

from __future__ import annotations

import hashlib
from itertools import islice

from pydantic import ValidationError

from dispatch_corpus.core.label.byline import Dateline, detect_agency, find_dateline, parse_date
from dispatch_corpus.core.label.confidence import role_confidences
from dispatch_corpus.core.label.flags import paragraph_flags
from dispatch_corpus.core.label.roles import label_paragraphs
from dispatch_corpus.core.label.sections import group_sections
from dispatch_corpus.core.langid import detect_language
from dispatch_corpus.core.metadata import Metadata
from dispatch_corpus.core.neardup import hashed_split
from dispatch_corpus.core.raw import RawDispatch
from dispatch_corpus.core.text.decode import DecodeError, decode
from dispatch_corpus.core.text.normalize import normalize
from dispatch_corpus.core.text.split import (
    is_single_block,
    iter_paragraphs,
    join_paragraphs,
    paragraph_spans,
)
from dispatch_corpus.models import (
    Document,
    DocumentFlag,
    DocumentRecord,
    Paragraph,
    QuarantineReason,
    QuarantineRecord,
    Role,
    Section,
    Stage,
    paragraph_id,
    section_id,
    sha256_hex,
)
from dispatch_corpus.settings import DEFAULT_LABELER, LabelerSettings

MAX_PARAGRAPHS = 10_000
"""Above this many paragraphs an input is quarantined ``too_many_paragraphs``, a list or a dump
rather than a dispatch: real dispatches have at most a few hundred (39 in the shared corpus),
and the paragraphs past the limit are never split, so memory stays bounded per document."""

# Flags are stored in the enum's order: a set's order follows string hashes, which change from one
# process to the next, and equal inputs must give equal bytes.
_FLAG_ORDER = {flag: i for i, flag in enumerate(DocumentFlag)}


def process_dispatch(
    dispatch: RawDispatch, labeler: LabelerSettings = DEFAULT_LABELER
) -> DocumentRecord | QuarantineRecord:
    """Turn one raw dispatch into a validated document record, or quarantine it with a reason.

    Args:
        dispatch: The raw bytes and metadata of one input file.
        labeler: The labeler's thresholds (the build's ``BuildSettings.labeler``).

    Returns:
        The document with its paragraphs and sections, or the quarantine row saying why not.
    """
    # Hashed before anything can fail: a quarantine row names the exact bytes it refused.
    raw_sha256 = hashlib.sha256(dispatch.raw).hexdigest()

    def quarantine(stage: Stage, reason: QuarantineReason, message: str) -> QuarantineRecord:
        return QuarantineRecord(
            source_path=dispatch.source_path,
            doc_id=dispatch.doc_id,
            stage=stage,
            reason_code=reason,
            message=message,
            raw_sha256=raw_sha256,
        )

    try:
        decoded = decode(dispatch.raw)
    except DecodeError as error:
        return quarantine(Stage.DECODE, error.reason, str(error))
    normalized = normalize(decoded.text)
    # One paragraph past the limit is enough to refuse: the rest is never split.
    paragraphs = list(islice(iter_paragraphs(normalized.text), MAX_PARAGRAPHS + 1))
    if not paragraphs:
        return quarantine(Stage.SPLIT, QuarantineReason.WHITESPACE_ONLY, "no visible text")
    if len(paragraphs) > MAX_PARAGRAPHS:
        lines = normalized.text.count("\n") + 1
        return quarantine(
            Stage.SPLIT,
            QuarantineReason.TOO_MANY_PARAGRAPHS,
            f"more than {MAX_PARAGRAPHS} paragraphs ({lines} lines): not a dispatch",
        )
    flags = {*decoded.flags, *normalized.flags}
    if is_single_block(paragraphs):
        flags.add(DocumentFlag.SINGLE_BLOCK)
    try:
        return build_record(dispatch, paragraphs, flags, raw_sha256, labeler=labeler)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return quarantine(
            Stage.VALIDATE, QuarantineReason.INVALID_RECORD, f"{where}: {first['msg']}"
        )


def build_record(
    dispatch: RawDispatch,
    paragraphs: list[str],
    flags: set[DocumentFlag],
    raw_sha256: str,
    *,
    labeler: LabelerSettings,
) -> DocumentRecord:
    """Label split paragraphs and assemble the validated document record.

    Args:
        dispatch: The input the paragraphs come from.
        paragraphs: Its trimmed, non-empty paragraphs.
        flags: Document flags gathered so far (extended here).
        raw_sha256: Hex sha256 of the raw bytes.
        labeler: The labeler's thresholds.

    Returns:
        The validated record.

    Raises:
        ValidationError: When a record breaks an invariant of the data model.
    """
    meta = dispatch.metadata or Metadata(flags=(DocumentFlag.METADATA_MISSING,))
    flags.update(meta.flags)
    text = join_paragraphs(paragraphs)
    language = _choose_language(text, meta.language, flags)
    labeled = label_paragraphs(paragraphs, language, title=meta.title, settings=labeler)
    roles = [item.role for item in labeled]
    confidences = role_confidences(labeled)
    spans = paragraph_spans(paragraphs)
    sections = group_sections(roles)
    section_of = [k for k, sec in enumerate(sections) for _ in range(sec.start, sec.end)]
    dateline, dateline_offset = _find_dateline(paragraphs, roles, spans, language, labeler)
    window = labeler.agency_window_chars
    opening = [
        paragraphs[i][:window] for i, r in enumerate(roles) if r in (Role.DATELINE, Role.LEAD)
    ]
    last = paragraphs[-1]
    closing = last[max(0, len(last) - window) :]
    # Metadata wins over the text: the dateline and credits only fill what metadata lacks
    # (LABELING.md).
    agency = meta.agency or detect_agency([*opening, closing], language)
    published = meta.published
    if published is None and dateline is not None:
        published = parse_date(dateline.text, language)
    title = meta.title
    if title is None and roles[0] is Role.HEADLINE:
        title = paragraphs[0]
    doc_id = dispatch.doc_id
    document = Document(
        doc_id=doc_id,
        collection=dispatch.collection,
        language=language,
        agency=agency,
        title=title,
        published=published,
        url=meta.url,
        license=meta.license,
        dateline=dateline.text if dateline else None,
        dateline_start=dateline_offset if dateline else None,
        dateline_end=dateline_offset + len(dateline.text) if dateline else None,
        text=text,
        raw_sha256=raw_sha256,
        text_sha256=sha256_hex(text),
        n_paragraphs=len(paragraphs),
        n_sections=len(sections),
        n_chars=len(text),
        flags=sorted(flags, key=_FLAG_ORDER.__getitem__),
        # A document alone in its cluster, as every document is until the build compares it
        # with the others (``build.driver`` settles clusters and splits).
        cluster_id=doc_id,
        split=hashed_split(doc_id).value,
    )
    return DocumentRecord(
        document=document,
        paragraphs=[
            Paragraph(
                paragraph_id=paragraph_id(doc_id, i),
                doc_id=doc_id,
                paragraph_index=i,
                section_index=section_of[i],
                role=roles[i],
                role_confidence=confidences[i],
                text=paragraphs[i],
                char_start=spans[i][0],
                char_end=spans[i][1],
                flags=paragraph_flags(paragraphs[i]),
                role_name=roles[i],
            )
            for i in range(len(paragraphs))
        ],
        sections=[
            Section(
                section_id=section_id(doc_id, k),
                doc_id=doc_id,
                section_index=k,
                label=sec.label,
                paragraph_start=sec.start,
                paragraph_end=sec.end,
                char_start=spans[sec.start][0],
                char_end=spans[sec.end - 1][1],
                text=text[spans[sec.start][0] : spans[sec.end - 1][1]],
                label_name=sec.label,
            )
            for k, sec in enumerate(sections)
        ],
    )


def _choose_language(text: str, declared: str | None, flags: set[DocumentFlag]) -> str:
    detected, reliable = detect_language(text)
    if declared is None:
        flags.add(DocumentFlag.LANGUAGE_DETECTED)
        return detected
    # The declared language is kept; a confident disagreement is flagged, never silently applied.
    if reliable and detected != declared:
        flags.add(DocumentFlag.LANGUAGE_MISMATCH)
    return declared


def _find_dateline(
    paragraphs: list[str],
    roles: list[Role],
    spans: list[tuple[int, int]],
    language: str,
    labeler: LabelerSettings,
) -> tuple[Dateline | None, int]:
    for i, role in enumerate(roles):
        if role in (Role.DATELINE, Role.LEAD):
            found = find_dateline(paragraphs[i], language, labeler)
            if found is not None:
                return found, spans[i][0] + found.start
        # A dateline stands before the lead or opens it: none is looked for past it.
        if role is Role.LEAD:
            break
    return None, 0
