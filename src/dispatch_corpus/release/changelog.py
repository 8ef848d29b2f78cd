"""Render a dataset diff as Markdown: the CHANGELOG.md of a release and its card section."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from dispatch_corpus.release.diff import DatasetDiff
from dispatch_corpus.utils.numbers import count, counted

ID_LIST_LIMIT = 200
"""Document ids listed per category; the rest is counted."""


def render_changelog(
    diff: DatasetDiff,
    title: str,
    previous: str | None,
    *,
    level: int = 1,
    list_ids: bool = True,
    notes: str | None = None,
) -> str:
    """Return the Markdown changelog of a diff.

    Args:
        diff: The diff from the previous release (or nothing) to this data.
        title: Heading text, e.g. ``Changelog: 1.1.0``.
        previous: Name of what the diff starts from (e.g. ``1.0.0``), None for a first release.
        level: Markdown level of the title heading (sections go one level below).
        list_ids: Whether to list the document ids added, removed and changed.
        notes: The maintainer's Markdown on what changed and why, shown first.

    Returns:
        The Markdown text, ending with a newline.
    """
    top, sub = "#" * level, "#" * (level + 1)
    documents = diff.tables["documents"]
    lines = [f"{top} {title}", ""]
    if notes and notes.strip():
        lines += [notes.strip(), ""]
    if previous is None:
        lines += [
            f"First release: {counted(documents.new_rows, 'document')}, "
            f"{counted(diff.tables['paragraphs'].new_rows, 'paragraph')}, "
            f"{counted(diff.tables['sections'].new_rows, 'section')}.",
            "",
        ]
    else:
        lines += [
            f"Compared with {previous}. Smallest version bump this change needs: "
            f"{diff.needed_bump.name} (PATCH: same data; MINOR: additions only; "
            "MAJOR: anything changed or removed).",
            "",
            f"{sub} Documents",
            "",
            *_id_line("added", diff.documents_added, list_ids),
            *_id_line("removed", diff.documents_removed, list_ids),
            *_id_line("text changed (text_sha256)", diff.documents_text_changed, list_ids),
            *_id_line("other fields changed, same text", diff.documents_fields_changed, list_ids),
            "",
            f"{sub} Rows per table",
            "",
            "| table | before | after | added | removed | changed |",
            "|---|---:|---:|---:|---:|---:|",
            *(
                f"| {name} | {count(d.old_rows)} | {count(d.new_rows)} | {count(d.added)} | "
                f"{count(d.removed)} | {count(d.changed)} |"
                for name, d in diff.tables.items()
            ),
            "",
        ]
    for column, shift in diff.distributions.items() if previous is not None else ():
        lines += [
            f"{sub} Distribution of {column}",
            "",
            "| value | before | after | change |",
            "|---|---:|---:|---:|",
            *(
                f"| {name} | {count(old)} | {count(new)} | {new - old:+,d} |"
                for name, (old, new) in shift.items()
            ),
            "",
        ]
    if previous is not None:
        lines += _split_lines(diff, sub, previous, list_ids)
        lines += [f"{sub} Schema", ""]
        lines += [f"- {change}" for change in diff.schema_changes] or ["No schema changes."]
        lines.append("")
    return "\n".join(lines)


def _id_line(what: str, ids: Sequence[str], list_ids: bool) -> list[str]:
    if not ids or not list_ids:
        return [f"- {what}: {count(len(ids))}"]
    shown = ", ".join(f"`{doc_id}`" for doc_id in ids[:ID_LIST_LIMIT])
    more = f" and {count(len(ids) - ID_LIST_LIMIT)} more" if len(ids) > ID_LIST_LIMIT else ""
    return [f"- {what}: {count(len(ids))}: {shown}{more}"]


def _split_lines(diff: DatasetDiff, sub: str, previous: str, list_ids: bool) -> list[str]:
    lines = [f"{sub} Split changes", ""]
    changes = diff.split_changes
    if not changes:
        return [*lines, f"Every document kept from {previous} stays in its split.", ""]
    lines += [
        f"{counted(len(changes), 'document')} kept from {previous} moved to another split: a "
        f"model evaluated on a {previous} split may have trained on them here.",
        "",
        "| from | to | documents |",
        "|---|---|---:|",
        *(
            f"| {old} | {new} | {count(n)} |"
            for (old, new), n in sorted(Counter((c.old, c.new) for c in changes).items())
        ),
        "",
    ]
    if list_ids:
        shown = ", ".join(f"`{c.doc_id}` ({c.old} -> {c.new})" for c in changes[:ID_LIST_LIMIT])
        more = (
            f" and {count(len(changes) - ID_LIST_LIMIT)} more"
            if len(changes) > ID_LIST_LIMIT
            else ""
        )
        lines += [f"Moved: {shown}{more}.", ""]
    return lines
