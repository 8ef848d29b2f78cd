"""Calibrated role confidence: fitting, shrinkage, the shipped table."""

from __future__ import annotations

import json
import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dispatch_corpus.core.label.confidence import (
    Calibration,
    fit_calibration,
    parse_calibration,
    role_confidences,
    shipped_calibration,
    to_float32,
)
from dispatch_corpus.core.label.roles import Labeled, label_paragraphs
from dispatch_corpus.models import Role
from dispatch_corpus.settings import LABELER_VERSION

BODY = Labeled(Role.BODY, "body.no_speech")
STATEMENT = Labeled(Role.STATEMENT, "statement.dash")


def test_confidence_is_the_accuracy_of_the_rule_shrunk_toward_its_role() -> None:
    table = fit_calibration([(BODY, True)] * 98 + [(BODY, False)] * 2)
    value = table.confidence(BODY)
    assert 0.97 < value < 0.99
    assert value == to_float32(value)


def test_a_rule_never_seen_takes_its_role_rate_and_an_unseen_role_the_overall_rate() -> None:
    table = fit_calibration([(BODY, True)] * 9 + [(BODY, False)])
    unseen_rule = table.confidence(Labeled(Role.BODY, "body.some_speech"))
    assert unseen_rule == pytest.approx((9 + 2 * (9 + 1) / 12) / 12, abs=1e-6)
    assert 0.5 < table.confidence(STATEMENT) < 0.9


def test_the_table_round_trips_through_json() -> None:
    table = fit_calibration([(BODY, True), (STATEMENT, False), (STATEMENT, True)])
    again = parse_calibration(json.loads(json.dumps(table.as_dict())))
    assert again.confidence(STATEMENT) == table.confidence(STATEMENT)
    assert again.evidence == table.evidence


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"labeler_version": "0.0", "overall": [0, 0], "roles": {}, "evidence": {}},
        {"labeler_version": LABELER_VERSION, "overall": [3, 2], "roles": {}, "evidence": {}},
        {"labeler_version": LABELER_VERSION, "overall": [0, 0], "roles": {}, "evidence": []},
        {"labeler_version": LABELER_VERSION, "roles": {}, "evidence": {}},
    ],
)
def test_a_malformed_or_foreign_table_is_refused(data: object) -> None:
    with pytest.raises(ValueError):
        parse_calibration(data)


def test_the_shipped_table_covers_the_rules_and_gives_float32_values_in_range() -> None:
    table = shipped_calibration()
    assert isinstance(table, Calibration) and table.overall.total > 0
    labeled = label_paragraphs(["Titre", "Un texte.", "« Nous partons », a-t-il dit."], "fr")
    values = role_confidences(labeled)
    assert all(0.0 <= v <= 1.0 and v == to_float32(v) for v in values)
    assert all(item.evidence in table.evidence for item in labeled[1:])


@given(st.lists(st.tuples(st.sampled_from([BODY, STATEMENT]), st.booleans()), max_size=50))
def test_confidences_stay_in_the_unit_interval(samples: list[tuple[Labeled, bool]]) -> None:
    table = fit_calibration(samples)
    for item in (BODY, STATEMENT, Labeled(Role.LEAD, "lead.first_content")):
        value = table.confidence(item)
        assert 0.0 <= value <= 1.0
        assert struct.unpack("<f", struct.pack("<f", value))[0] == value
