"""CI guards over the releases committed in the repository (skipped while there are none)."""

from pathlib import Path

import pytest

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.dataset.writer import recompress
from dispatch_corpus.release.manifest import file_sha256, read_manifest
from dispatch_corpus.release.semver import released_versions
from dispatch_corpus.release.verify import verify_release

REPO_ROOT = Path(__file__).resolve().parents[2]
RELEASES = REPO_ROOT / "releases"
VERSIONS = [str(version) for version in released_versions(RELEASES)]


@pytest.mark.skipif(not VERSIONS, reason="no release committed under releases/ yet")
@pytest.mark.parametrize("version", VERSIONS)
def test_committed_release_verifies(version: str) -> None:
    result = verify_release(RELEASES / version)
    assert result.ok, "\n".join(result.problems)


@pytest.mark.skipif(not VERSIONS, reason="no release committed under releases/ yet")
def test_rebuilding_corpus_reproduces_the_latest_release_parquet(tmp_path: Path) -> None:
    latest = RELEASES / VERSIONS[-1]
    build = tmp_path / "build"
    build_dataset(REPO_ROOT / "corpus", build)
    expected = {
        entry["path"]: entry["sha256"]
        for entry in read_manifest(latest)["files"]
        if entry["path"].endswith(".parquet")
    }
    rebuilt = {}
    # As a release does: the build's shards recompressed at the release's level.
    for path in (build / "data").rglob("*.parquet"):
        released = tmp_path / "released.parquet"
        recompress(path, released, path.parent.name)
        rebuilt[path.relative_to(build).as_posix()] = file_sha256(released)
    assert rebuilt == expected, f"rebuilding corpus/ does not reproduce release {latest.name}"
