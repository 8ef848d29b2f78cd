from dataclasses import replace
from datetime import date

import pytest

from dispatch_corpus.release.card_annotations import render_annotations
from dispatch_corpus.release.card_sections import ReleaseCardContext


@pytest.fixture
def context() -> ReleaseCardContext:
    return ReleaseCardContext("1.0.0", date(2025, 1, 1), None, "", {}, None)


def test_annotations_say_who_labeled_and_whether_it_was_scored(
    context: ReleaseCardContext,
) -> None:
    text = render_annotations(replace(context, labeler_version="7.1"))
    assert "#### Annotation process" in text
    assert "(labeler version 7.1)" in text
    assert "No person annotated the released rows" in text
    assert "cut without gold documents" in text
    assert "labeler version" not in render_annotations(context)
