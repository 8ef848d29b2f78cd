import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dispatch_corpus.build.driver import BuildSummary
from dispatch_corpus.dataset.stats import (
    UNKNOWN_LICENSE,
    compute_stats,
    plot_lengths,
    summarize_lengths,
)
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import Role, SectionLabel


def _table(out: Path, name: str) -> list[dict[str, object]]:
    return pq.read_table(out / "data" / name).to_pylist()


def test_counts_agree_with_the_tables(seed_build: tuple[Path, BuildSummary]) -> None:
    out, summary = seed_build
    stats = compute_stats(out)
    documents = _table(out, "documents")
    assert (stats.documents, stats.paragraphs, stats.sections) == (
        summary.accepted,
        summary.paragraphs,
        summary.sections,
    )
    assert list(stats.roles) == [role.value for role in Role]
    assert list(stats.labels) == [label.value for label in SectionLabel]
    assert sum(stats.roles.values()) == stats.paragraphs
    assert sum(stats.labels.values()) == stats.sections
    assert sum(stats.languages.values()) == sum(stats.collections.values()) == len(documents)
    assert sum(stats.licenses.values()) == len(documents)
    by_language = stats.roles_by_language
    assert sum(sum(counts.values()) for counts in by_language.values()) == stats.paragraphs
    assert stats.document_chars == tuple(int(d["n_chars"]) for d in documents)  # type: ignore[call-overload]


def test_a_document_without_license_counts_as_unknown(
    seed_build: tuple[Path, BuildSummary],
) -> None:
    out, _ = seed_build
    documents = _table(out, "documents")
    unknown = sum(1 for d in documents if d["license"] is None)
    assert compute_stats(out).licenses.get(UNKNOWN_LICENSE, 0) == unknown


def test_flags_are_counted_per_row(seed_build: tuple[Path, BuildSummary]) -> None:
    out, _ = seed_build
    paragraphs = _table(out, "paragraphs")
    stats = compute_stats(out)
    for flag, count in stats.paragraph_flags.items():
        assert count == sum(1 for p in paragraphs if flag in p["flags"])  # type: ignore[operator]


def test_length_quantiles_use_the_nearest_rank() -> None:
    summary = summarize_lengths(tuple(range(1, 101)))
    assert (summary.minimum, summary.p25, summary.median, summary.p75, summary.p95) == (
        1,
        25,
        50,
        75,
        95,
    )
    assert (summary.maximum, summary.mean, summary.count) == (100, 50.5, 100)
    assert summarize_lengths((7,)).p95 == 7
    assert summarize_lengths(()).count == 0


def test_the_plot_is_a_png_with_stable_bytes(
    seed_build: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    out, _ = seed_build
    stats = compute_stats(out)
    first, second = tmp_path / "a" / "lengths.png", tmp_path / "b" / "lengths.png"
    plot_lengths(stats, first)
    plot_lengths(stats, second)
    assert first.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda t: t.drop_columns(["char_end"]), "no column 'char_end'"),
        (
            lambda t: t.set_column(
                t.schema.get_field_index("role"),
                pa.field("role", pa.int64()),
                pa.array([42, *t["role"].to_pylist()[1:]], type=pa.int64()),
            ),
            "row 0: role is 42, not a class index (0 to 8)",
        ),
        (
            lambda t: t.replace_schema_metadata({b"huggingface": b'{"info": {"features": {}}}'}),
            "no ClassLabel feature for column 'role'",
        ),
    ],
)
def test_a_shard_stats_cannot_read_is_named(
    seed_build: tuple[Path, BuildSummary],
    tmp_path: Path,
    damage: Callable[[pa.Table], pa.Table],
    message: str,
) -> None:
    out = Path(shutil.copytree(seed_build[0], tmp_path / "dataset"))
    path = out / "data" / "paragraphs" / "train-00000-of-00001.parquet"
    pq.write_table(damage(pq.read_table(path)), path)
    with pytest.raises(DatasetError) as caught:
        compute_stats(out)
    assert str(caught.value) == f"{path}: {message}"
