"""Calibrated confidence of each role: the observed accuracy of the rule that decided it.

Every role comes with its evidence, the name of the deciding rule (``statement.dash``,
``body.no_speech``…; see ``dispatch_corpus.core.label.roles``). A calibration table counts, per
evidence, how many gold paragraphs it labeled and how many of those correctly; a role's
confidence is that accuracy, shrunk toward the accuracy of its role when the evidence was
seen rarely (a Beta prior of ``PRIOR_STRENGTH`` paragraphs). The table is fitted on hand-
labeled gold by ``scripts/fit_calibration.py`` (inside each fold by ``evaluate --cv``) and
shipped as ``calibration.json``; applying it is a dictionary look-up.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any

from dispatch_corpus.core.label.roles import Labeled
from dispatch_corpus.settings import LABELER_VERSION
from dispatch_corpus.utils.jsontext import parse_json

PRIOR_STRENGTH = 2.0
"""Paragraphs' worth of weight given to the role's accuracy when shrinking an evidence's."""
CALIBRATION_RESOURCE = "calibration.json"


@dataclass(frozen=True)
class Counts:
    """Gold paragraphs labeled by one rule (or role), and how many of them correctly."""

    correct: int = 0
    total: int = 0


@dataclass(frozen=True)
class Calibration:
    """Per-evidence and per-role accuracy counts, and the confidence they give."""

    evidence: Mapping[str, Counts] = field(default_factory=dict)
    roles: Mapping[str, Counts] = field(default_factory=dict)
    overall: Counts = Counts()
    labeler_version: str = LABELER_VERSION
    known: dict[str, float] = field(default_factory=dict, compare=False, repr=False)
    """Confidences computed so far, by evidence (filled by ``role_confidences``)."""

    def confidence(self, labeled: Labeled) -> float:
        """Return the calibrated confidence of one labeled paragraph, as a float32 value.

        Args:
            labeled: A role and the evidence that decided it.

        Returns:
            The estimated probability that the role is right, in [0, 1].
        """
        # Shrunk in three steps: the evidence toward its role, the role toward the overall accuracy,
        # that toward a coin toss. An evidence never seen in gold gets its role's accuracy.
        overall = _rate(self.overall, 0.5, PRIOR_STRENGTH)
        role = _rate(self.roles.get(labeled.role.value, Counts()), overall, PRIOR_STRENGTH)
        rate = _rate(self.evidence.get(labeled.evidence, Counts()), role, PRIOR_STRENGTH)
        return to_float32(rate)

    def as_dict(self) -> dict[str, Any]:
        """Return the table as the JSON object shipped in ``calibration.json``."""
        return {
            "labeler_version": self.labeler_version,
            "prior_strength": PRIOR_STRENGTH,
            "overall": [self.overall.correct, self.overall.total],
            # Sorted keys: the shipped file's bytes do not depend on the order the gold was read in.
            "roles": {k: [c.correct, c.total] for k, c in sorted(self.roles.items())},
            "evidence": {k: [c.correct, c.total] for k, c in sorted(self.evidence.items())},
        }


def _rate(counts: Counts, prior: float, strength: float) -> float:
    return (counts.correct + strength * prior) / (counts.total + strength)


def to_float32(value: float) -> float:
    """Round a float to the nearest float32 value (what the Parquet column stores)."""
    result: float = struct.unpack("<f", struct.pack("<f", value))[0]
    return result


def fit_calibration(samples: Iterable[tuple[Labeled, bool]]) -> Calibration:
    """Count, per evidence and per role, the labeled paragraphs and the correct ones.

    Args:
        samples: Each labeled gold paragraph with whether its role matches the gold role.

    Returns:
        The calibration table.
    """
    evidence: dict[str, list[int]] = {}
    roles: dict[str, list[int]] = {}
    overall = [0, 0]
    for labeled, correct in samples:
        for table, key in ((evidence, labeled.evidence), (roles, labeled.role.value)):
            counts = table.setdefault(key, [0, 0])
            counts[0] += int(correct)
            counts[1] += 1
        overall[0] += int(correct)
        overall[1] += 1
    return Calibration(
        evidence={k: Counts(*v) for k, v in evidence.items()},
        roles={k: Counts(*v) for k, v in roles.items()},
        overall=Counts(*overall),
    )


def parse_calibration(data: object) -> Calibration:
    """Read a calibration table from its parsed JSON object.

    Args:
        data: The parsed content of a ``calibration.json``.

    Returns:
        The table.

    Raises:
        ValueError: When the object is not a calibration of this labeler version.
    """
    if not isinstance(data, dict) or data.get("labeler_version") != LABELER_VERSION:
        raise ValueError(f"not a calibration of labeler {LABELER_VERSION}")
    try:
        return Calibration(
            evidence={str(k): _counts(v) for k, v in data["evidence"].items()},
            roles={str(k): _counts(v) for k, v in data["roles"].items()},
            overall=_counts(data["overall"]),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"malformed calibration: {error}") from error


def _counts(value: object) -> Counts:
    if (
        not isinstance(value, list)
        or len(value) != 2
        # bool is an int in Python: true and false are no counts.
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
        or value[0] > value[1]
    ):
        raise ValueError(f"counts {value!r:.60} are not [correct, total]")
    return Counts(value[0], value[1])


@cache
def shipped_calibration() -> Calibration:
    """Return the calibration shipped with the package (fitted on all of the dev gold)."""
    text = files("dispatch_corpus.core.label").joinpath(CALIBRATION_RESOURCE).read_text("utf-8")
    return parse_calibration(parse_json(text))


def role_confidences(
    labeled: Sequence[Labeled], calibration: Calibration | None = None
) -> list[float]:
    """Return the calibrated confidence of each labeled paragraph.

    Args:
        labeled: The labeled paragraphs of one document.
        calibration: The table to apply; the shipped one by default.

    Returns:
        One float32 value in [0, 1] per paragraph.
    """
    table = calibration or shipped_calibration()
    # The evidence names its role ("body.no_speech"): one confidence per evidence, computed
    # once per table.
    known = table.known
    values = []
    for item in labeled:
        value = known.get(item.evidence)
        if value is None:
            value = known[item.evidence] = table.confidence(item)
        values.append(value)
    return values
