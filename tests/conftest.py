"""Shared fixtures: offline Hugging Face environment, corpora, builds and record factories."""

from __future__ import annotations

import atexit
import importlib.util
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from dispatch_corpus.build.driver import BuildSummary, build_dataset
from dispatch_corpus.models import (
    Document,
    DocumentRecord,
    Paragraph,
    Role,
    Section,
    SectionLabel,
    paragraph_id,
    section_id,
    sha256_hex,
)

pytest_plugins = ["release_fixtures", "spark_available"]
"""Shared fixtures (release builds) and the ``spark`` marker, whatever folder a test is in."""

# `datasets` and `huggingface_hub` read these at import time: set them before any test (or
# any session fixture) can import them, so nothing ever reaches the network or the user's
# cache. The autouse fixture below gives every test its own fresh cache on top of this.
_SESSION_HF_HOME = tempfile.mkdtemp(prefix="dispatch-corpus-hf-")
atexit.register(shutil.rmtree, _SESSION_HF_HOME, ignore_errors=True)
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HOME"] = _SESSION_HF_HOME
os.environ["HF_DATASETS_CACHE"] = os.path.join(_SESSION_HF_HOME, "datasets")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT / ".." / "shared"
SEED_DOC_ID = "000_260b07781369273e"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "ge: runs Great Expectations (the ge extra, installed with dev)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if importlib.util.find_spec("great_expectations") is not None:
        return
    reason = "Great Expectations not installed (uv sync --extra ge, or --extra dev)"
    for item in items:
        if item.get_closest_marker("ge") is not None:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def hf_offline(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every test offline with a fresh, private Hugging Face home and datasets cache."""
    home = tmp_path_factory.mktemp("hf_home")
    cache = home / "datasets"
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(cache))
    config = sys.modules.get("datasets.config")
    if config is not None:
        monkeypatch.setattr(config, "HF_CACHE_HOME", str(home))
        monkeypatch.setattr(config, "HF_DATASETS_CACHE", cache)
        monkeypatch.setattr(config, "HF_MODULES_CACHE", home / "modules")
        monkeypatch.setattr(config, "DOWNLOADED_DATASETS_PATH", cache / "downloads")
        monkeypatch.setattr(config, "EXTRACTED_DATASETS_PATH", cache / "downloads" / "extracted")
        monkeypatch.setattr(config, "HF_HUB_OFFLINE", True)
        monkeypatch.setattr(config, "HF_DATASETS_OFFLINE", True)
    return home


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def latest_release() -> Path:
    """The newest release committed under ``releases/`` (the one ``corpus/`` rebuilds)."""
    from dispatch_corpus.release.semver import released_versions

    versions = released_versions(REPO_ROOT / "releases")
    if not versions:
        pytest.skip("no release committed under releases/")
    return REPO_ROOT / "releases" / str(versions[-1])


@pytest.fixture(scope="session")
def project_corpus() -> Path:
    """The project's own corpus folder (holds the seed dispatch in corpus/seed/)."""
    return REPO_ROOT / "corpus"


@pytest.fixture(scope="session")
def seed_expected() -> dict[str, Any]:
    """The seed's exact expected output (copy of ../shared/seeds/<seed>.expected.json)."""
    path = REPO_ROOT / "tests" / "fixtures" / "seed.expected.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The shared corpus beside the project, or skip when it is absent."""
    corpus = SHARED_DIR / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"shared corpus not found at {corpus.resolve()}")
    return corpus


@pytest.fixture(scope="session")
def seed_build(
    tmp_path_factory: pytest.TempPathFactory, project_corpus: Path
) -> tuple[Path, BuildSummary]:
    """Build the project's corpus/ once per session: (dataset folder, summary)."""
    out = tmp_path_factory.mktemp("seed_build") / "out"
    return out, build_dataset(project_corpus, out)


@pytest.fixture(scope="session")
def shared_build(
    tmp_path_factory: pytest.TempPathFactory, shared_corpus: Path
) -> tuple[Path, BuildSummary]:
    """Build ../shared/corpus once per session: (dataset folder, summary)."""
    out = tmp_path_factory.mktemp("shared_build") / "out"
    return out, build_dataset(shared_corpus, out)


@pytest.fixture
def read_rows() -> Callable[[Path, str], list[dict[str, Any]]]:
    """Return a reader of every row of one table of a built dataset folder, shard by shard."""
    import pyarrow.parquet as pq

    def read(out_dir: Path, table: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for shard in sorted((out_dir / "data" / table).glob("*.parquet")):
            rows.extend(pq.read_table(shard).to_pylist())
        return rows

    return read


@pytest.fixture
def make_corpus(tmp_path: Path) -> Callable[[Mapping[str, bytes | str]], Path]:
    """Return a writer of a corpus folder from ``{"collection/name": content}``."""

    def make(files: Mapping[str, bytes | str]) -> Path:
        root = tmp_path / "corpus"
        root.mkdir(exist_ok=True)
        for relative, content in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            path.write_bytes(data)
        return root

    return make


_RECORDERS: list[list[str]] = []
_AUDIT_HOOK_INSTALLED = False
_AUDITED_EVENTS = frozenset({"open", "os.scandir", "os.listdir"})


def _record_touched(event: str, args: tuple[Any, ...]) -> None:
    if _RECORDERS and event in _AUDITED_EVENTS and args:
        path = args[0]
        if isinstance(path, str | bytes | os.PathLike):
            for recorder in _RECORDERS:
                recorder.append(os.fsdecode(path))


@pytest.fixture
def touched_paths() -> Iterator[list[str]]:
    """Record every path this process opens or lists while the test runs (audit events).

    The paths are recorded as passed: symlinks unresolved, and a file opened relative to a
    folder descriptor (``dir_fd``) by its name only. Work done in other processes is not
    seen.
    """
    global _AUDIT_HOOK_INSTALLED
    if not _AUDIT_HOOK_INSTALLED:
        # An audit hook cannot be removed: install it once, idle when nothing records.
        sys.addaudithook(_record_touched)
        _AUDIT_HOOK_INSTALLED = True
    recorder: list[str] = []
    _RECORDERS.append(recorder)
    yield recorder
    _RECORDERS.remove(recorder)


CPU_GROWTH_TIMEOUT_S = 60.0
"""Wall time allowed to one growth measure: past it the code under test is taken to hang."""


def _best_cpu(run: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        run(text)
        best = min(best, time.process_time() - started)
    return best


def _measure_growth(
    run: Callable[[str], object], make: Callable[[int], str], n: int, sender: Any
) -> None:
    try:
        small, large = make(n), make(4 * n)
        # A floor of 2 ms keeps timer noise on fast code from reading as growth.
        sender.send(_best_cpu(run, large) / max(_best_cpu(run, small), 0.002))
    except Exception as error:
        sender.send(repr(error))


@pytest.fixture
def cpu_growth() -> Callable[[Callable[[str], object], Callable[[int], str], int], float]:
    """Return a measure of how CPU time grows from an input of size n to one of size 4n.

    Call it as ``cpu_growth(run, make, n)``: ``run(make(4 * n))`` over ``run(make(n))``, the
    best of three ``time.process_time`` measures each: about 4 when ``run`` is linear, 16
    when quadratic. It runs in a forked process and fails the test when that takes more than
    ``CPU_GROWTH_TIMEOUT_S`` (code that hangs cannot be interrupted in-process).
    """

    def growth(run: Callable[[str], object], make: Callable[[int], str], n: int) -> float:
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_measure_growth, args=(run, make, n, sender))
        child.start()
        sender.close()
        ready = receiver.poll(CPU_GROWTH_TIMEOUT_S)
        if not ready:
            child.kill()
        child.join()
        if not ready:
            pytest.fail(f"no result in {CPU_GROWTH_TIMEOUT_S:.0f} s for sizes {n} and {4 * n}")
        ratio: float | str = receiver.recv()
        if isinstance(ratio, str):
            pytest.fail(f"the measured code raised {ratio}")
        return ratio

    return growth


def _record(
    paragraphs: Sequence[str],
    roles: Sequence[Role],
    sections: Sequence[tuple[SectionLabel, int, int]],
    doc_id: str = "doc",
) -> DocumentRecord:
    text = "\n\n".join(paragraphs)
    spans = []
    start = 0
    for para in paragraphs:
        spans.append((start, start + len(para)))
        start += len(para) + 2
    section_of = {i: k for k, (_, lo, hi) in enumerate(sections) for i in range(lo, hi)}
    return DocumentRecord(
        document=Document(
            doc_id=doc_id,
            collection="test",
            language="en",
            text=text,
            raw_sha256="0" * 64,
            text_sha256=sha256_hex(text),
            n_paragraphs=len(paragraphs),
            n_sections=len(sections),
            n_chars=len(text),
            cluster_id=doc_id,
            split="train",
        ),
        paragraphs=[
            Paragraph(
                paragraph_id=paragraph_id(doc_id, i),
                doc_id=doc_id,
                paragraph_index=i,
                section_index=section_of[i],
                role=roles[i],
                role_confidence=1.0,
                text=para,
                char_start=spans[i][0],
                char_end=spans[i][1],
                role_name=roles[i],
            )
            for i, para in enumerate(paragraphs)
        ],
        sections=[
            Section(
                section_id=section_id(doc_id, k),
                doc_id=doc_id,
                section_index=k,
                label=label,
                paragraph_start=lo,
                paragraph_end=hi,
                char_start=spans[lo][0],
                char_end=spans[hi - 1][1],
                text=text[spans[lo][0] : spans[hi - 1][1]],
                label_name=label,
            )
            for k, (label, lo, hi) in enumerate(sections)
        ],
    )


@pytest.fixture
def make_record() -> Callable[..., DocumentRecord]:
    """Return a factory of valid document records from paragraphs, roles and sections.

    Call it as ``make_record(paragraphs, roles, [(label, start, end), ...], doc_id="doc")``.
    """
    return _record


@pytest.fixture
def small_record() -> DocumentRecord:
    """A valid three-paragraph, three-section record built by hand (labeler-independent)."""
    return _record(
        ["Storm hits the coast", "A storm hit the coast on Monday.", "Roads were closed."],
        [Role.HEADLINE, Role.LEAD, Role.BODY],
        [(SectionLabel.HEADLINE, 0, 1), (SectionLabel.LEAD, 1, 2), (SectionLabel.BODY, 2, 3)],
    )


def _tree_state(root: Path) -> dict[str, tuple[str, bytes | str]]:
    state: dict[str, tuple[str, bytes | str]] = {}
    if root.is_symlink() or not root.exists():
        return state
    for folder, subfolders, names in os.walk(root):
        for name in sorted(subfolders + names):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                state[relative] = ("link", os.readlink(path))
            elif path.is_dir():
                state[relative] = ("folder", b"")
            else:
                state[relative] = ("file", path.read_bytes())
    return state


@pytest.fixture
def tree_state() -> Callable[[Path], dict[str, tuple[str, bytes | str]]]:
    """Return a reader of everything under a folder: file bytes, link targets, hidden entries.

    Links are recorded, not followed, so two readings are equal only when nothing under the
    folder was added, removed, rewritten or relinked.
    """
    return _tree_state
