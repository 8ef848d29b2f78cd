import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.dataset.atomic import write_marker
from dispatch_corpus.dataset.folders import (
    REPORT_KIND,
    NotABuildError,
    OutputPathError,
    check_build_out,
    check_releases_dir,
    check_report_dir,
    require_build,
)
from dispatch_corpus.dataset.layout import REPORT_MARKER
from dispatch_corpus.errors import DatasetError

TreeState = Callable[[Path], dict[str, tuple[str, bytes | str]]]


@pytest.fixture(scope="module")
def a_build(tmp_path_factory: pytest.TempPathFactory, project_corpus: Path) -> Path:
    out = tmp_path_factory.mktemp("folders") / "build"
    build_dataset(project_corpus, out)
    return out


@pytest.fixture
def scene(tmp_path: Path, a_build: Path, repo_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path with a corpus, a build, a release and a user's folder; the cwd is work/."""
    (tmp_path / "corpus" / "news").mkdir(parents=True)
    (tmp_path / "corpus" / "news" / "one.txt").write_text("A dispatch.")
    shutil.copytree(a_build, tmp_path / "build")
    shutil.copytree(repo_root / "releases" / "1.0.0", tmp_path / "releases" / "1.0.0")
    (tmp_path / "mydocs").mkdir()
    (tmp_path / "mydocs" / "notes.txt").write_text("mine")
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "todo.txt").write_text("mine")
    monkeypatch.chdir(tmp_path / "work")
    return tmp_path


def _report_folder(folder: Path, extra: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True)
    (folder / "results.json").write_text("{}")
    write_marker(folder / REPORT_MARKER, REPORT_KIND, {"files": ["results.json"]})
    for name, text in (extra or {}).items():
        (folder / name).write_text(text)
    return folder


REFUSED_REPORT_DIRS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a release": (lambda s: s / "releases" / "1.0.0", "the release"),
    "inside a release": (lambda s: s / "releases" / "1.0.0" / "reports" / "validation", "release"),
    "the build itself": (lambda s: s / "build", "reports go under"),
    "inside the build, outside reports": (lambda s: s / "build" / "data" / "x", "reports go under"),
    "the build's reports folder": (lambda s: s / "build" / "reports", "reports go under"),
    "inside the corpus": (lambda s: s / "corpus" / "news" / "report", "inside the corpus"),
    "the corpus": (lambda s: s / "corpus", "it is the corpus"),
    "holding the corpus": (lambda s: s, "holds the corpus"),
    "a user's folder": (lambda s: s / "mydocs", "no REPORT.json"),
    "a file": (lambda s: s / "mydocs" / "notes.txt", "it is a file"),
    "the current folder": (lambda s: Path("."), "current folder"),
    "a link": (lambda s: _link(s / "link", s / "out"), "symbolic link"),
    "inside a version-control folder": (lambda s: s / ".git" / "report", "version-control"),
    "a report folder holding a user's file": (
        lambda s: _report_folder(s / "report", {"notes.txt": "mine"}),
        "notes.txt",
    ),
}


def _link(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    return link


@pytest.mark.parametrize("case", sorted(REFUSED_REPORT_DIRS))
def test_report_folders_that_are_not_the_tools_own_are_refused(
    scene: Path, case: str, tree_state: TreeState
) -> None:
    make, message = REFUSED_REPORT_DIRS[case]
    folder = make(scene)
    before = tree_state(scene)
    with pytest.raises(OutputPathError, match=message):
        check_report_dir(folder, scene / "corpus")
    assert tree_state(scene) == before


@pytest.mark.parametrize(
    "make",
    [
        lambda s: s / "reports" / "new",
        lambda s: s / "build" / "reports" / "validation",
        lambda s: s / "build" / "reports" / "nested" / "deeper",
        lambda s: _report_folder(s / "report"),
        lambda s: (s / "empty").mkdir() or s / "empty",
    ],
    ids=["new", "in the build's reports", "deeper in the build's reports", "a report", "empty"],
)
def test_new_empty_and_report_folders_are_accepted(
    scene: Path, make: Callable[[Path], Path]
) -> None:
    check_report_dir(make(scene), scene / "corpus")


REFUSED_RELEASES_DIRS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "a file": (lambda s: s / "mydocs" / "notes.txt", "it is a file"),
    "a user's folder": (lambda s: s / "mydocs", "notes.txt, not releases"),
    "the build": (lambda s: s / "build", "it is the build"),
    "inside the build": (lambda s: s / "build" / "releases", "inside it"),
    "the corpus": (lambda s: s / "corpus", "it is the corpus"),
    "inside the corpus": (lambda s: s / "corpus" / "releases", "inside the corpus"),
    "a release": (lambda s: s / "releases" / "1.0.0", "it is the release"),
    "inside a release": (lambda s: s / "releases" / "1.0.0" / "more", "inside the release"),
    "a folder holding the corpus": (lambda s: s, "corpus, "),
    "inside a version-control folder": (lambda s: s / ".git" / "releases", "version-control"),
    "releases beside a user's file": (
        lambda s: (s / "releases" / "notes.txt").write_text("mine") and s / "releases",
        "notes.txt",
    ),
    "a link to a release among releases": (
        lambda s: _link(s / "releases" / "2.0.0", s / "releases" / "1.0.0").parent,
        "2.0.0",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED_RELEASES_DIRS))
def test_releases_folders_that_hold_anything_but_releases_are_refused(
    scene: Path, case: str, tree_state: TreeState
) -> None:
    make, message = REFUSED_RELEASES_DIRS[case]
    folder = make(scene)
    before = tree_state(scene)
    with pytest.raises(OutputPathError, match=message):
        check_releases_dir(folder, scene / "build", scene / "corpus")
    assert tree_state(scene) == before


def test_a_releases_folder_of_releases_new_or_linked_is_accepted(
    scene: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check_releases_dir(scene / "releases", scene / "build", scene / "corpus")
    check_releases_dir(scene / "new" / "releases", scene / "build", scene / "corpus")
    check_releases_dir(_link(scene / "link", scene / "releases"), scene / "build")
    monkeypatch.chdir(scene / "releases")
    check_releases_dir(Path("."), scene / "build")


def test_require_build_tells_a_release_and_a_plain_folder_from_a_build(scene: Path) -> None:
    assert require_build(scene / "build").files
    with pytest.raises(NotABuildError, match="is a release, not a build"):
        require_build(scene / "releases" / "1.0.0")
    with pytest.raises(NotABuildError, match=r"no valid BUILD\.json"):
        require_build(scene / "mydocs")
    with pytest.raises(DatasetError, match="build folder not found"):
        require_build(scene / "missing")


def test_a_bind_mount_of_the_corpus_is_the_corpus(scene: Path, tree_state: TreeState) -> None:
    mount = scene / "mounted"
    mount.mkdir()
    bound = subprocess.run(
        ["mount", "--bind", str(scene / "corpus"), str(mount)], capture_output=True, check=False
    )
    if bound.returncode != 0:
        pytest.skip("bind mounts need privileges this run does not have")
    try:
        before = tree_state(scene / "corpus")
        for out in (mount, mount / "news"):
            with pytest.raises(OutputPathError, match="corpus"):
                check_build_out(out, scene / "corpus")
        with pytest.raises(OutputPathError, match="holds the corpus"):
            check_build_out(scene / "corpus", mount / "news")
        assert tree_state(scene / "corpus") == before
    finally:
        subprocess.run(["umount", str(mount)], check=True)
