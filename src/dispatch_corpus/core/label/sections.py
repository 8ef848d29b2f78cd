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
    labels = _labels(roles)
    spans: list[SectionSpan] = []
    for i, (role, label) in enumerate(zip(roles, labels, strict=True)):
        starts_new = (
            not spans
            or spans[-1].label != label
            # A dateline right before the lead already opened the lead section (LABELING.md: the
            # lead and a dateline line right before it): the lead joins it.
            or (role in _STARTS_SECTION and not _dateline_before_lead(roles, i))
        )
        if starts_new:
            spans.append(SectionSpan(label, i, i + 1))
        else:
            spans[-1] = SectionSpan(label, spans[-1].start, i + 1)
    return spans


def _dateline_before_lead(roles: Sequence[Role], i: int) -> bool:
    return roles[i] is Role.LEAD and i > 0 and roles[i - 1] is Role.DATELINE


def _labels(roles: Sequence[Role]) -> list[SectionLabel]:
    """The section label of each paragraph, by its role; a dateline takes a neighbour's.

    A dateline after a headline is headline, one before a lead is lead, any other takes the
    label of the nearest paragraph before it that is not a dateline, else after it, else is
    lead. The nearest ones are found in one pass each way (a search from every dateline
    made a document of datelines quadratic).
    """
    if Role.DATELINE not in roles:
        return [_SECTION_OF_ROLE[role] for role in roles]
    n = len(roles)
    before: list[SectionLabel | None] = [None] * n
    after: list[SectionLabel | None] = [None] * n
    last: SectionLabel | None = None
    for i, role in enumerate(roles):
        before[i] = last
        if role is not Role.DATELINE:
            last = _SECTION_OF_ROLE[role]
    last = None
    for i in range(n - 1, -1, -1):
        after[i] = last
        if roles[i] is not Role.DATELINE:
            last = _SECTION_OF_ROLE[roles[i]]
    labels: list[SectionLabel] = []
    for i, role in enumerate(roles):
        if role is not Role.DATELINE:
            labels.append(_SECTION_OF_ROLE[role])
        elif i > 0 and roles[i - 1] is Role.HEADLINE:
            labels.append(SectionLabel.HEADLINE)
        elif i + 1 < n and roles[i + 1] is Role.LEAD:
            labels.append(SectionLabel.LEAD)
        else:
            labels.append(before[i] or after[i] or SectionLabel.LEAD)
    return labels
