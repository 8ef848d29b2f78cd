"""Settings: frozen, typed, and recorded whole by a build."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import pickle
import textwrap
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dispatch_corpus.settings import (
    DEFAULT_BUILD,
    DEFAULT_LABELER,
    LABELER_VERSION,
    BuildSettings,
    LabelerSettings,
)

LABELER_FIELDS = dataclasses.fields(LabelerSettings)
FIELD_TYPES = typing.get_type_hints(LabelerSettings)


def _values(kind: type) -> st.SearchStrategy[object]:
    if kind is int:
        return st.integers(min_value=0, max_value=10_000)
    return st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


LABELERS = st.builds(
    LabelerSettings, **{spec.name: _values(FIELD_TYPES[spec.name]) for spec in LABELER_FIELDS}
)


@pytest.mark.parametrize("settings", [DEFAULT_LABELER, DEFAULT_BUILD], ids=type)
def test_settings_are_frozen(settings: LabelerSettings | BuildSettings) -> None:
    name = dataclasses.fields(settings)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(settings, name, 1)


def test_every_labeler_threshold_is_a_typed_number_with_its_why() -> None:
    assert LABELER_FIELDS
    for spec in LABELER_FIELDS:
        kind = FIELD_TYPES[spec.name]
        assert kind in (int, float), spec.name
        assert type(spec.default) is kind, spec.name
    body = ast.parse(textwrap.dedent(inspect.getsource(LabelerSettings))).body[0]
    assert isinstance(body, ast.ClassDef)
    documented = {
        statement.target.id
        for statement, after in zip(body.body, body.body[1:], strict=False)
        if isinstance(statement, ast.AnnAssign)
        and isinstance(statement.target, ast.Name)
        and isinstance(after, ast.Expr)
        and isinstance(after.value, ast.Constant)
        and isinstance(after.value.value, str)
    }
    assert documented == {spec.name for spec in LABELER_FIELDS}


def test_a_build_records_every_labeler_threshold_and_the_labeler_version() -> None:
    recorded = BuildSettings().recorded()
    assert recorded["labeler"] == DEFAULT_LABELER.recorded()
    labeler = recorded["labeler"]
    assert labeler["version"] == LABELER_VERSION
    assert set(labeler) == {"version", *(spec.name for spec in LABELER_FIELDS)}
    assert json.loads(json.dumps(recorded)) == recorded


def test_only_what_decides_the_output_is_recorded() -> None:
    where = BuildSettings(workers=7, engine="spark", spark_master="local[3]")
    assert where.recorded() == DEFAULT_BUILD.recorded()
    labeler = dataclasses.replace(DEFAULT_LABELER, headline_max_chars=5)
    assert BuildSettings(labeler=labeler).recorded() != DEFAULT_BUILD.recorded()


@given(LABELERS)
def test_a_recorded_labeler_gives_back_the_same_settings(labeler: LabelerSettings) -> None:
    recorded = json.loads(json.dumps(BuildSettings(labeler=labeler).recorded()))["labeler"]
    version = recorded.pop("version")
    assert version == LABELER_VERSION
    assert LabelerSettings(**recorded) == labeler


@given(LABELERS)
def test_labeler_settings_cross_process_boundaries_intact(labeler: LabelerSettings) -> None:
    # Chunks are pickled to worker processes and Spark tasks; patterns are cached by settings.
    copy = pickle.loads(pickle.dumps(BuildSettings(labeler=labeler))).labeler
    assert copy == labeler
    assert hash(copy) == hash(labeler)
