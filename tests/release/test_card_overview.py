import json
from dataclasses import replace
from datetime import date

import pytest

from dispatch_corpus.release.card_overview import render_examples, render_loading
from dispatch_corpus.release.card_sections import ReleaseCardContext


@pytest.fixture
def context() -> ReleaseCardContext:
    return ReleaseCardContext("2.1.0", date(2025, 1, 1), None, "", {}, None)


def test_loading_uses_the_local_path_without_a_repository(context: ReleaseCardContext) -> None:
    text = render_loading(context)
    assert 'load_dataset("releases/2.1.0", "paragraphs", split="train")' in text
    assert "revision" not in text
    moved = render_loading(replace(context, local_path="archive/2.1.0"))
    assert 'load_dataset("archive/2.1.0", "documents", split="train")' in moved


def test_loading_pins_the_hub_revision_with_a_repository(context: ReleaseCardContext) -> None:
    text = render_loading(replace(context, repo_id="acme/news"))
    assert '"acme/news", "paragraphs", split="train", revision="v2.1.0"' in text


def test_an_example_row_clips_long_texts_and_names_its_class() -> None:
    row = {
        "paragraph_id": "d/p0001",
        "role": "statement",
        "role_confidence": 0.9999837279319763,
        "text": "```" + "x" * 1000,
        "flags": [],
    }
    text = render_examples({"paragraphs": row})
    block = text.split("````json\n", 1)[1].split("\n````", 1)[0]
    shown = json.loads(block)
    assert shown["role"] == 4
    assert shown["role_confidence"] == 0.999984
    assert shown["text"] == "```" + "x" * 237 + "... [763 more characters]"
    assert "`role` 4 is `statement`." in text
    assert render_examples({}) == ""
