from pathlib import Path

from dispatch_corpus.release.changelog import ID_LIST_LIMIT, render_changelog
from dispatch_corpus.release.diff import DatasetDiff, TableDelta, diff_datasets


def test_first_release_changelog_gives_the_totals(builds: dict[str, Path]) -> None:
    text = render_changelog(diff_datasets(None, builds["base"]), "Changelog: 1.0.0", None)
    assert text.startswith("# Changelog: 1.0.0\n")
    assert "First release: 3 documents, 10 paragraphs" in text
    assert "Schema" not in text
    assert "Distribution" not in text


def test_changelog_lists_ids_rows_distributions_and_schema(builds: dict[str, Path]) -> None:
    diff = diff_datasets(builds["base"], builds["added"])
    text = render_changelog(diff, "Changelog: 1.1.0", "1.0.0")
    assert "Compared with 1.0.0. Smallest version bump this change needs: MINOR" in text
    assert "- added: 1: `bridge`" in text
    assert "- removed: 0" in text
    assert "| documents | 3 | 4 | 1 | 0 | 0 |" in text
    assert "## Distribution of paragraphs.role" in text
    old, new = diff.distributions["paragraphs.role"]["body"]
    assert f"| body | {old} | {new} | {new - old:+d} |" in text
    assert "## Schema\n\nNo schema changes." in text


def test_card_changelog_counts_without_listing_ids(builds: dict[str, Path]) -> None:
    diff = diff_datasets(builds["base"], builds["removed"])
    text = render_changelog(diff, "Changelog", "1.0.0", level=2, list_ids=False)
    assert text.startswith("## Changelog\n")
    assert "### Documents" in text
    assert "- removed: 1\n" in text
    assert "`vote`" not in text


def test_long_id_lists_are_cut_and_counted() -> None:
    ids = tuple(f"doc{i:04d}" for i in range(ID_LIST_LIMIT + 5))
    delta = TableDelta(old_rows=0, new_rows=len(ids), added=len(ids), removed=0, changed=0)
    diff = DatasetDiff(
        old=Path("old"),
        new=Path("new"),
        tables={"documents": delta, "paragraphs": delta, "sections": delta},
        documents_added=ids,
    )
    text = render_changelog(diff, "Changelog", "0.1.0")
    assert f"`doc{ID_LIST_LIMIT - 1:04d}` and 5 more" in text
    assert f"`doc{ID_LIST_LIMIT:04d}`" not in text


def test_the_maintainers_notes_open_the_changelog(builds: dict[str, Path]) -> None:
    diff = diff_datasets(builds["base"], builds["changed"])
    text = render_changelog(diff, "Changelog: 2.0.0", "1.0.0", notes="  Roles were relabeled.\n")
    lines = text.splitlines()
    assert lines[:4] == ["# Changelog: 2.0.0", "", "Roles were relabeled.", ""]
    assert lines[4].startswith("Compared with 1.0.0.")
    assert render_changelog(diff, "T", "1.0.0", notes=" \n") == render_changelog(diff, "T", "1.0.0")
