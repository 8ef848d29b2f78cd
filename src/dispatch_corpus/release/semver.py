"""Release versions: parsing, ordering and the bump a change needs (Croissant's semver rules).

Croissant versions datasets as ``MAJOR.MINOR.PATCH``: PATCH when the data is the same
(re-serialised), MINOR when data was only added, MAJOR when anything changed or was removed.
The first release of a dataset may take any version above ``0.0.0``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from dispatch_corpus.release.errors import ReleaseError

_VERSION = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")


class Bump(IntEnum):
    """How much a version moves, in increasing order."""

    PATCH = 0
    MINOR = 1
    MAJOR = 2


# order=True compares (major, minor, patch) as a tuple: semver precedence, as there are
# no pre-release versions.
@dataclass(frozen=True, order=True)
class Version:
    """A ``MAJOR.MINOR.PATCH`` release version."""

    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def tag(self) -> str:
        """The git tag of the version on the Hub, ``v<version>``."""
        return f"v{self}"


def parse_version(text: str) -> Version:
    """Parse a ``MAJOR.MINOR.PATCH`` version (no prefix, no pre-release, no leading zeros).

    Args:
        text: The version as typed, e.g. ``1.2.0``.

    Returns:
        The version.

    Raises:
        ReleaseError: When ``text`` is not such a version.
    """
    match = _VERSION.fullmatch(text)
    if match is None:
        hint = " (drop the leading 'v')" if _VERSION.fullmatch(text.removeprefix("v")) else ""
        raise ReleaseError(f"version {text!r} is not semver MAJOR.MINOR.PATCH{hint}")
    major, minor, patch = (int(part) for part in match.groups())
    if (major, minor, patch) == (0, 0, 0):
        raise ReleaseError("version 0.0.0 is not a release; start at 0.0.1 or above")
    return Version(major, minor, patch)


def bump_between(old: Version, new: Version) -> Bump:
    """Return how much ``new`` moves from ``old`` (``new`` must be above ``old``)."""
    if new.major != old.major:
        return Bump.MAJOR
    if new.minor != old.minor:
        return Bump.MINOR
    return Bump.PATCH


def released_versions(releases_dir: Path) -> list[Version]:
    """Return the versions released in ``releases_dir`` (its semver-named folders), sorted.

    Args:
        releases_dir: The folder holding one ``<version>/`` folder per release.

    Returns:
        The versions, oldest first; empty when the folder does not exist.
    """
    if not releases_dir.is_dir():
        return []
    versions = []
    for entry in releases_dir.iterdir():
        # Staging folders (.<version>.tmp-...) and other names are not releases.
        if entry.is_dir() and _VERSION.fullmatch(entry.name):
            versions.append(parse_version(entry.name))
    return sorted(versions)


def check_version(new: Version, latest: Version | None, needed: Bump) -> None:
    """Refuse a version that is not above the latest release or bumps less than needed.

    Args:
        new: The version to release.
        latest: The latest existing release, or None for the first release.
        needed: The smallest bump the change since ``latest`` needs.

    Raises:
        ReleaseError: When ``new`` is not above ``latest`` or its bump is below ``needed``.
    """
    if latest is None:
        return
    if new <= latest:
        raise ReleaseError(f"version {new} is not above the latest release {latest}")
    bump = bump_between(latest, new)
    if bump < needed:
        raise ReleaseError(
            f"version {new} is a {bump.name} bump from {latest}, but the change needs "
            f"{needed.name} (PATCH: same data; MINOR: additions only; MAJOR: anything "
            "changed or removed)"
        )
