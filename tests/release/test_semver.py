from pathlib import Path

import pytest

from dispatch_corpus.release.errors import ReleaseError
from dispatch_corpus.release.semver import (
    Bump,
    Version,
    bump_between,
    check_version,
    parse_version,
    released_versions,
)


def test_parse_version_reads_major_minor_patch() -> None:
    version = parse_version("12.0.3")
    assert (version.major, version.minor, version.patch) == (12, 0, 3)
    assert str(version) == "12.0.3"
    assert version.tag == "v12.0.3"


@pytest.mark.parametrize(
    "text", ["1.0", "1.0.0.0", "01.0.0", "1.0.0-rc.1", "1.0.0+build", "", "a.b.c"]
)
def test_parse_version_refuses_what_is_not_plain_semver(text: str) -> None:
    with pytest.raises(ReleaseError, match="not semver"):
        parse_version(text)


def test_parse_version_hints_at_a_leading_v() -> None:
    with pytest.raises(ReleaseError, match="drop the leading 'v'"):
        parse_version("v1.2.0")


def test_parse_version_refuses_zero() -> None:
    with pytest.raises(ReleaseError, match=r"0\.0\.0"):
        parse_version("0.0.0")


def test_versions_order_numerically_not_as_text() -> None:
    assert parse_version("1.10.0") > parse_version("1.9.9")
    assert sorted([parse_version(v) for v in ["2.0.0", "1.10.0", "1.2.0"]]) == [
        Version(1, 2, 0),
        Version(1, 10, 0),
        Version(2, 0, 0),
    ]


@pytest.mark.parametrize(
    ("old", "new", "bump"),
    [
        ("1.2.3", "1.2.4", Bump.PATCH),
        ("1.2.3", "1.3.0", Bump.MINOR),
        ("1.2.3", "1.4.7", Bump.MINOR),
        ("1.2.3", "2.0.0", Bump.MAJOR),
    ],
)
def test_bump_between(old: str, new: str, bump: Bump) -> None:
    assert bump_between(parse_version(old), parse_version(new)) is bump


def test_check_version_accepts_any_first_release() -> None:
    check_version(parse_version("0.0.1"), None, Bump.MAJOR)


def test_check_version_refuses_a_version_not_above_the_latest() -> None:
    with pytest.raises(ReleaseError, match=r"not above the latest release 1\.2\.0"):
        check_version(parse_version("1.1.9"), parse_version("1.2.0"), Bump.PATCH)
    with pytest.raises(ReleaseError, match="not above"):
        check_version(parse_version("1.2.0"), parse_version("1.2.0"), Bump.PATCH)


def test_check_version_refuses_a_smaller_bump_than_needed() -> None:
    latest = parse_version("1.2.0")
    with pytest.raises(ReleaseError, match=r"PATCH bump from 1\.2\.0, but the change needs MINOR"):
        check_version(parse_version("1.2.1"), latest, Bump.MINOR)
    with pytest.raises(ReleaseError, match="needs MAJOR"):
        check_version(parse_version("1.3.0"), latest, Bump.MAJOR)
    check_version(parse_version("1.3.0"), latest, Bump.MINOR)
    check_version(parse_version("2.0.0"), latest, Bump.PATCH)


def test_released_versions_lists_semver_folders_only(tmp_path: Path) -> None:
    for name in ["1.0.0", "1.10.0", "1.2.0", ".1.3.0.tmp-42", "notes", "v2.0.0"]:
        (tmp_path / name).mkdir()
    (tmp_path / "3.0.0").write_text("a file, not a release")
    assert released_versions(tmp_path) == [Version(1, 0, 0), Version(1, 2, 0), Version(1, 10, 0)]
    assert released_versions(tmp_path / "missing") == []
