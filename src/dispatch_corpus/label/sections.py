"""Group labeled paragraphs into sections (see LABELING.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dispatch_corpus.models import Role, SectionLabel

_SECTION_OF_ROLE = {
    Role.HEADLINE: SectionLabel.HEADLINE,
    Role.LEAD: SectionLabel.LEAD,
    Role.BODY: SectionLabel.BODY,
    Role.SUBHEADING: SectionLabel.BODY,
    Role.STATEMENT: SectionLabel.STATEMENT,
    Role.LIST_INTRO: SectionLabel.LIST,
    Role.LIST_ITEM: SectionLabel.LIST,
    Role.BOILERPLATE: SectionLabel.BOILERPLATE,
}
_STARTS_SECTION = frozenset({Role.SUBHEADING, Role.LIST_INTRO, Role.HEADLINE, Role.LEAD})


@dataclass(frozen=True)
class SectionSpan:
    """A section: its label and its paragraph range ``[start, end)``."""

    label: SectionLabel
    start: int
    end: int


def group_sections(roles: Sequence[Role]) -> list[SectionSpan]:
    """Group consecutive paragraphs into labeled sections.

    A dateline joins the headline before it, else the lead after it, else its neighbour.
    A subheading starts a new body section; a list intro starts a new list section.

    Args:
        roles: One role per paragraph.

    Returns:
        Sections covering every paragraph exactly once, in order.
    """
    labels = [_label_at(roles, i) for i in range(len(roles))]
    spans: list[SectionSpan] = []
    for i, (role, label) in enumerate(zip(roles, labels, strict=True)):
        starts_new = (
            not spans
            or spans[-1].label != label
            or (role in _STARTS_SECTION and not _dateline_before_lead(roles, i))
        )
        if starts_new:
            spans.append(SectionSpan(label, i, i + 1))
        else:
            spans[-1] = SectionSpan(label, spans[-1].start, i + 1)
    return spans


def _dateline_before_lead(roles: Sequence[Role], i: int) -> bool:
    return roles[i] is Role.LEAD and i > 0 and roles[i - 1] is Role.DATELINE


def _label_at(roles: Sequence[Role], i: int) -> SectionLabel:
    role = roles[i]
    if role is not Role.DATELINE:
        return _SECTION_OF_ROLE[role]
    previous = roles[i - 1] if i > 0 else None
    following = roles[i + 1] if i + 1 < len(roles) else None
    if previous is Role.HEADLINE:
        return SectionLabel.HEADLINE
    if following is Role.LEAD:
        return SectionLabel.LEAD
    for j in (*range(i - 1, -1, -1), *range(i + 1, len(roles))):
        if roles[j] is not Role.DATELINE:
            return _label_at(roles, j)
    return SectionLabel.LEAD
