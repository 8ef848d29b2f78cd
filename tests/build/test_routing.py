"""Routing staged rows: appending a flag to some rows' lists with array arithmetic."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from dispatch_corpus.build.routing import append_to_lists

FLAG_LISTS = st.lists(
    st.tuples(st.lists(st.sampled_from(["a", "bb", "", "é"]), max_size=4), st.booleans()),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(FLAG_LISTS, st.integers(0, 40), st.integers(0, 40))
def test_append_to_lists_appends_to_the_hit_rows_only(
    rows: list[tuple[list[str], bool]], start: int, length: int
) -> None:
    lists = pa.array([values for values, _ in rows], pa.list_(pa.string()))
    # A slice too: its offsets do not start at 0, as a batch read back from a stage may not.
    lists = lists.slice(min(start, len(lists)), length)
    hits = [hit for _, hit in rows][min(start, len(rows)) :][: len(lists)]
    appended = append_to_lists(lists, np.array(hits, dtype=bool), "flag")
    expected = [[*v, "flag"] if hit else v for v, hit in zip(lists.to_pylist(), hits, strict=True)]
    assert appended.type == lists.type
    assert appended.to_pylist() == expected
