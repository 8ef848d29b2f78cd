"""The wheel, installed into a fresh virtualenv outside the repository, does the whole job.

The wheel is built with ``uv build``, installed with the dependency versions of ``uv.lock``
(from the uv cache or PyPI), without extras (so without Great Expectations), and its console
script builds, validates, releases and verifies a copy of ``corpus/`` in a temporary folder:
nothing may come from the source tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.release.manifest import file_sha256, read_manifest
from dispatch_corpus.release.semver import released_versions

REPO_ROOT = Path(__file__).resolve().parents[1]
STEP_TIMEOUT = 900
"""Seconds one step may take: installing resolves and links every locked dependency."""


def _uv() -> str:
    """The uv executable: the one running the tests (``uv run`` sets ``UV``), or one on PATH."""
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        pytest.skip("uv not found: the packaging test builds and installs the wheel with uv")
    return found


def _run(command: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, (
        f"{' '.join(map(str, command))} exited {completed.returncode}\n"
        f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
    )
    return completed.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _run([_uv(), "build", "--wheel", "--out-dir", dist, REPO_ROOT], cwd=dist)
    (built,) = dist.glob("dispatch_corpus-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding the wheel and the locked dependencies: its ``bin`` folder."""
    root = tmp_path_factory.mktemp("installed")
    constraints = root / "constraints.txt"
    locked = _run(
        [_uv(), "export", "--frozen", "--no-hashes", "--no-emit-project", "--no-header"],
        cwd=REPO_ROOT,
    )
    constraints.write_text(locked, encoding="utf-8")
    venv = root / "venv"
    _run([_uv(), "venv", "--quiet", "--python", sys.executable, venv], cwd=root)
    python = venv / "bin" / "python"
    _run(
        [_uv(), "pip", "install", "--quiet", "--python", python, "-c", constraints, wheel],
        cwd=root,
    )
    return venv / "bin"


def _outside_env() -> dict[str, str]:
    """The test environment without anything pointing at the source tree or its venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env["PYTHONWARNINGS"] = "ignore"
    return env


def test_the_wheel_ships_the_expectation_suites(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for table in TABLE_MODELS:
            name = f"dispatch_corpus/validation/expectation_suites/{table}.json"
            assert name in names
            checked_in = REPO_ROOT / "schemas" / "expectations" / f"{table}.json"
            assert archive.read(name) == checked_in.read_bytes()


def test_the_installed_package_builds_validates_releases_and_verifies_the_corpus(
    installed: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    shutil.copytree(REPO_ROOT / "corpus", work / "corpus")
    env = _outside_env()
    origin = _run(
        [installed / "python", "-c", "import dispatch_corpus; print(dispatch_corpus.__file__)"],
        cwd=work,
        env=env,
    )
    assert Path(origin.strip()).is_relative_to(installed.parent)
    # Great Expectations is an extra (ge): the default validation engine runs without it.
    found = _run(
        [
            installed / "python",
            "-c",
            "import importlib.util as u; print(u.find_spec('great_expectations'))",
        ],
        cwd=work,
        env=env,
    )
    assert found.strip() == "None"

    command = installed / "dispatch-corpus"
    built = _run([command, "build", "--corpus", "corpus", "--out", "build"], cwd=work, env=env)
    assert built.startswith("built build: accepted 1, quarantined 0")
    assert (work / "build" / "reports" / "validation" / "results.json").is_file()
    _run([command, "validate", "build"], cwd=work, env=env)
    released = _run(
        [command, "release", "1.0.0", "--from", "build", "--releases-dir", "releases"],
        cwd=work,
        env=env,
    )
    assert released.startswith("released 1.0.0")
    release = work / "releases" / "1.0.0"
    for name in ("README.md", "MANIFEST.json", "croissant.json", "CHANGELOG.md"):
        assert (release / name).is_file(), name
    _run([command, "verify", str(release)], cwd=work, env=env)
    benched = _run([command, "bench", "--docs", "5", "--workers", "1"], cwd=work, env=env)
    assert benched.startswith("bench: 5 docs")

    # The committed releases were cut from corpus/ with the locked pyarrow: the installed
    # wheel must write the same Parquet bytes as the source tree does.
    latest = REPO_ROOT / "releases" / str(released_versions(REPO_ROOT / "releases")[-1])
    expected = {
        entry["path"]: entry["sha256"]
        for entry in read_manifest(latest)["files"]
        if entry["path"].endswith(".parquet")
    }
    written = {
        path.relative_to(release).as_posix(): file_sha256(path)
        for path in (release / "data").rglob("*.parquet")
    }
    assert written == expected, f"the installed wheel does not reproduce {latest.name}'s Parquet"
