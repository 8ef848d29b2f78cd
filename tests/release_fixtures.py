"""Fixtures for release and dataset tests: small corpora in several versions, built once."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.release.cut import ValidationVerdict, cut_release

STORM = """Storm closes coastal roads

A storm hit the coast on Monday, closing three roads and cutting power to 2,000 homes.

"We ask everyone to stay at home until the wind drops," the mayor told reporters.

Crews expect to reopen the roads on Wednesday.
"""
VOTE = """Council approves new budget

The city council approved the budget for next year on Tuesday by nine votes to four.

The budget raises spending on schools and public transport.
"""
GREVE = """Grève dans les transports

Les conducteurs de bus se sont mis en grève mardi matin dans toute la région.

« Nous voulons de meilleures conditions de travail », a déclaré un représentant syndical.
"""
BRIDGE = """Bridge reopens after repairs

The old bridge over the river reopened on Friday after six months of repairs.
"""
METADATA = {
    "storm": {"language": "en", "license": "CC BY 4.0", "title": "Storm closes coastal roads"},
    "vote": {"language": "en", "license": "CC BY 2.5"},
    "greve": {"language": "fr", "license": "CC BY 4.0"},
    "bridge": {"language": "en", "license": "CC BY 4.0"},
}
BASE = {"storm": STORM, "vote": VOTE, "greve": GREVE}
VARIANTS: dict[str, dict[str, str]] = {
    "base": BASE,
    "added": {**BASE, "bridge": BRIDGE},
    "changed": {**BASE, "storm": STORM.replace("2,000", "3,000")},
    "removed": {k: v for k, v in BASE.items() if k != "vote"},
}
"""Corpus versions: the base, one document added, one text changed, one document removed."""
REPO_ID = "acme/dispatch-news"
CREATED = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)


def write_corpus(
    root: Path, texts: Mapping[str, str], extra: Mapping[str, bytes] | None = None
) -> Path:
    """Write ``news/<doc_id>.txt`` files, their metadata.jsonl and any extra raw files."""
    folder = root / "news"
    folder.mkdir(parents=True)
    for doc_id, text in texts.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    lines = [json.dumps({"id": doc_id, **METADATA[doc_id]}) for doc_id in texts]
    (folder / "metadata.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name, raw in (extra or {}).items():
        (folder / name).write_bytes(raw)
    return root


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build every corpus version once: name -> build folder (``base2`` rebuilds ``base``)."""
    root = tmp_path_factory.mktemp("release_builds")
    folders = {}
    for name, texts in [*VARIANTS.items(), ("base2", BASE)]:
        corpus = write_corpus(root / "corpora" / name, texts, {"empty.txt": b""})
        folders[name] = root / "builds" / name
        build_dataset(corpus, folders[name])
    return folders


def accept_all(dataset_dir: Path) -> ValidationVerdict:
    """A stand-in validator that accepts every folder (the release mechanics under test)."""
    return ValidationVerdict(ok=True, summary=f"{dataset_dir.name} accepted by the test")


@pytest.fixture
def corpus_writer() -> Callable[..., Path]:
    """Return ``write_corpus(root, texts, extra=None)`` for corpora of the test documents."""
    return write_corpus


@pytest.fixture
def corpus_variants() -> dict[str, dict[str, str]]:
    """The corpus versions by name (doc_id -> text)."""
    return VARIANTS


@pytest.fixture
def release_facts() -> tuple[str, datetime]:
    """The repository id and creation time the session release was cut with."""
    return REPO_ID, CREATED


@pytest.fixture
def accept() -> Callable[[Path], ValidationVerdict]:
    """The stand-in validator that accepts every folder."""
    return accept_all


@pytest.fixture(scope="session")
def released(builds: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Release 1.0.0 of the base build once per session (read-only: copy before changing)."""
    releases = tmp_path_factory.mktemp("session_releases") / "releases"
    outcome = cut_release(
        "1.0.0", builds["base"], releases, validate=accept_all, repo_id=REPO_ID, now=CREATED
    )
    return outcome.path


@pytest.fixture
def tree_snapshot() -> Callable[[Path], dict[str, bytes]]:
    """Return a reader of every file under a folder (relative path -> bytes)."""

    def snapshot(root: Path) -> dict[str, bytes]:
        if not root.exists():
            return {}
        return {
            p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()
        } | {p.relative_to(root).as_posix() + "/": b"" for p in root.rglob("*") if p.is_dir()}

    return snapshot


SHARED_DOCS_PER_COLLECTION = 4
"""Dispatches taken from each collection of ../shared/corpus for the multi-collection release."""


@pytest.fixture(scope="session")
def shared_subset_corpus(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first dispatches of every collection of ../shared/corpus, with their sidecars."""
    corpus = tmp_path_factory.mktemp("shared_subset") / "corpus"
    for folder in sorted(p for p in shared_corpus.iterdir() if p.is_dir()):
        target = corpus / folder.name
        target.mkdir(parents=True)
        for path in sorted(folder.glob("*.txt"))[:SHARED_DOCS_PER_COLLECTION]:
            shutil.copyfile(path, target / path.name)
        # The whole sidecar: entries of dispatches left out must not count on the card.
        shutil.copyfile(folder / "metadata.jsonl", target / "metadata.jsonl")
    return corpus


@pytest.fixture(scope="session")
def shared_subset_release(
    shared_subset_corpus: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Release 1.0.0 (no Hub repository) of a build of ``shared_subset_corpus``."""
    root = tmp_path_factory.mktemp("shared_subset_release")
    build_dataset(shared_subset_corpus, root / "build")
    releases = root / "releases"
    return cut_release("1.0.0", root / "build", releases, validate=accept_all, now=CREATED).path


@pytest.fixture(scope="session")
def seed_release(seed_build: tuple[Path, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Release 3.0.0 (no Hub repository) of the build of the project's corpus/ (1 document)."""
    releases = tmp_path_factory.mktemp("seed_release") / "releases"
    return cut_release("3.0.0", seed_build[0], releases, validate=accept_all, now=CREATED).path
