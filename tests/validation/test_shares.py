from __future__ import annotations

import math

import pyarrow as pa
import pytest

from dispatch_corpus.models import Role, SectionLabel
from dispatch_corpus.validation.shares import SHARE_COLUMNS, document_shares

_BODY = list(Role).index(Role.BODY)
_LEAD = list(Role).index(Role.LEAD)
_BOILERPLATE = list(SectionLabel).index(SectionLabel.BOILERPLATE)


def _tables() -> dict[str, pa.Table]:
    return {
        "documents": pa.table({"doc_id": ["a", "b", "c", None]}),
        "paragraphs": pa.table(
            {
                "doc_id": ["b", "a", "a", "a", "b", None],
                "role": [_BODY, _LEAD, _BODY, None, _LEAD, _BODY],
                "flags": pa.array(
                    [["starts_lowercase"], [], None, ["starts_lowercase", "x"], [None], []],
                    type=pa.list_(pa.string()),
                ),
            }
        ),
        "sections": pa.table({"doc_id": ["a", "c", "c"], "label": [0, _BOILERPLATE, 1]}),
    }


def _values(name: str) -> list[float | None]:
    return document_shares(_tables(), name).to_pylist()


def test_role_shares_count_each_document_s_own_paragraphs() -> None:
    a, b, c, none = _values("share_body")
    assert a == pytest.approx(1 / 3), "a null role counts in the denominator, not as body"
    assert b == pytest.approx(1 / 2)
    assert c is None, "no paragraphs: no share"
    assert none is None, "a null doc_id matches nothing"


def test_flag_shares_look_inside_the_list() -> None:
    a, b, c, _ = _values("share_starts_lowercase")
    assert a == pytest.approx(1 / 3)
    assert b == pytest.approx(1 / 2)
    assert c is None


def test_section_shares_count_sections() -> None:
    a, b, c, _ = _values("section_share_boilerplate")
    assert a == 0.0
    assert b is None
    assert c == pytest.approx(1 / 2)


def test_every_share_column_is_a_fraction() -> None:
    for name in SHARE_COLUMNS:
        values = [v for v in _values(name) if v is not None]
        assert all(0.0 <= v <= 1.0 and not math.isnan(v) for v in values), name
