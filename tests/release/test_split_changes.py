"""A released document keeps its split: diff lists moves, release refuses them unless MAJOR."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from stories import WIRE_BODY

from dispatch_corpus.build.driver import build_dataset
from dispatch_corpus.cli import main
from dispatch_corpus.core.neardup import hashed_split
from dispatch_corpus.dataset.pins import read_pins
from dispatch_corpus.release.cut import ValidationVerdict, cut_release
from dispatch_corpus.release.diff import SplitChange, diff_datasets
from dispatch_corpus.release.errors import ReleaseError
from dispatch_corpus.release.semver import Bump

MakeCorpus = Callable[[Mapping[str, bytes | str]], Path]

OTHER = (
    "Council approves the tram budget\n\n"
    "The city council approved the budget for the new tram line on Tuesday evening, after "
    "a debate that lasted more than six hours, officials said.\n\n"
    "Opponents said they would appeal to the regional court within ten days."
)


def _accept(dataset_dir: Path) -> ValidationVerdict:
    return ValidationVerdict(ok=True, summary="accepted")


def _newcomer_id() -> str:
    """A doc_id sorting before ``m_story`` whose hash lands in another split than it does."""
    return next(
        doc_id
        for doc_id in (f"a_copy{n}" for n in range(1000))
        if hashed_split(doc_id) != hashed_split("m_story")
    )


@pytest.fixture
def moved(make_corpus: MakeCorpus, tmp_path: Path) -> tuple[Path, Path, Path, str]:
    """A first release, and a build whose new near-copy moves a released story's cluster."""
    corpus = make_corpus(
        {"wire/m_story.txt": "Brest fleet back at sea\n\n" + WIRE_BODY, "city/z_other.txt": OTHER}
    )
    releases = tmp_path / "releases"
    first = build_dataset(corpus, tmp_path / "first").out_dir
    cut_release("1.0.0", first, releases, validate=_accept)
    newcomer = _newcomer_id()
    (corpus / "wire" / f"{newcomer}.txt").write_text(
        "Storm over, boats back\n\n" + WIRE_BODY, encoding="utf-8"
    )
    second = build_dataset(corpus, tmp_path / "second").out_dir
    return releases, first, second, newcomer


def test_diff_lists_a_released_document_whose_split_moved(
    moved: tuple[Path, Path, Path, str],
) -> None:
    releases, _, second, newcomer = moved
    diff = diff_datasets(releases / "1.0.0", second)
    old, new = hashed_split("m_story").value, hashed_split(newcomer).value
    assert diff.split_changes == (SplitChange("m_story", old, new),)
    assert diff.needed_bump is Bump.MAJOR
    assert diff.documents_added == (newcomer,)


def test_release_refuses_a_split_change_unless_major_with_notes(
    moved: tuple[Path, Path, Path, str],
) -> None:
    releases, _, second, _ = moved
    with pytest.raises(ReleaseError, match=r"1 document of 1\.0\.0 would change split.*MAJOR"):
        cut_release("1.1.0", second, releases, validate=_accept)
    with pytest.raises(ReleaseError, match="needs --notes saying why"):
        cut_release("2.0.0", second, releases, validate=_accept)
    assert sorted(p.name for p in releases.iterdir()) == ["1.0.0"]
    cut_release("2.0.0", second, releases, validate=_accept, notes="A wire copy joined `m_story`.")
    changelog = (releases / "2.0.0" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "A wire copy joined `m_story`." in changelog
    assert "## Split changes" in changelog
    assert "1 document kept from 1.0.0 moved to another split" in changelog
    assert "`m_story` (" in changelog


def test_pinned_build_keeps_the_released_split(
    moved: tuple[Path, Path, Path, str], tmp_path: Path
) -> None:
    releases, _, _, newcomer = moved
    corpus = tmp_path / "corpus"
    pinned = build_dataset(corpus, tmp_path / "pinned", pins=read_pins(releases / "1.0.0")).out_dir
    diff = diff_datasets(releases / "1.0.0", pinned)
    assert diff.split_changes == ()
    # The newcomer joins the released story's split, whatever its own hash.
    cut_release("2.0.0", pinned, releases, validate=_accept)
    changelog = (releases / "2.0.0" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Every document kept from 1.0.0 stays in its split." in changelog
    assert newcomer in changelog


def test_diff_command_prints_the_split_changes(
    moved: tuple[Path, Path, Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    releases, _, second, _ = moved
    assert main(["diff", str(releases / "1.0.0"), str(second)]) == 0
    out = capsys.readouterr().out
    assert "Split changes" in out and "`m_story`" in out


def test_a_release_without_split_column_counts_its_shard_split() -> None:
    committed = Path(__file__).resolve().parents[2] / "releases"
    diff = diff_datasets(committed / "1.0.0", committed / "2.0.0")
    assert diff.split_changes == ()
