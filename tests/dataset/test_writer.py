from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dispatch_corpus.dataset import writer as tables
from dispatch_corpus.dataset.layout import shard_name
from dispatch_corpus.dataset.writer import (
    BUILD_COMPRESSION_LEVEL,
    RELEASE_COMPRESSION_LEVEL,
    Shard,
    TableWriter,
    recompress,
    rows_to_table,
)
from dispatch_corpus.models import (
    TABLE_MODELS,
    DocumentFlag,
    DocumentRecord,
    Paragraph,
    ParagraphFlag,
    Role,
    SectionLabel,
)
from dispatch_corpus.schema import arrow_schema


def _paragraphs(make_record: Callable[..., DocumentRecord], count: int) -> list[Paragraph]:
    texts = [f"Paragraph number {i}." for i in range(count)]
    record = make_record(texts, [Role.BODY] * count, [(SectionLabel.BODY, 0, count)])
    return list(record.paragraphs)


def test_class_names_are_dictionary_encoded_strings_with_a_plain_string_feature(
    tmp_path: Path, make_record: Callable[..., DocumentRecord]
) -> None:
    texts = [f"Paragraph number {i}." for i in range(40)]
    roles = [list(Role)[i % len(Role)] for i in range(40)]
    record = make_record(texts, roles, [(SectionLabel.BODY, 0, 40)])
    for table, rows, column in [
        ("paragraphs", record.paragraphs, "role_name"),
        ("sections", record.sections, "label_name"),
    ]:
        writer = TableWriter(tmp_path, table)
        writer.write(rows)
        (shard,) = writer.close()
        parquet = pq.ParquetFile(tmp_path / shard.path)
        index = parquet.schema_arrow.get_field_index(column)
        chunk = parquet.metadata.row_group(0).column(index)
        assert chunk.has_dictionary_page
        assert set(chunk.encodings) & {"RLE_DICTIONARY", "PLAIN_DICTIONARY"}
        assert parquet.schema_arrow.field(column).type == pa.string()
        features = arrow_schema(TABLE_MODELS[table]).metadata[b"huggingface"]
        assert f'"{column}": {{"_type": "Value", "dtype": "string"}}'.encode() in features
    stored = pq.read_table(tmp_path / "data" / "paragraphs")
    names = [role.value for role in Role]
    assert stored["role_name"].to_pylist() == [names[i] for i in stored["role"].to_pylist()]


def test_shard_names_follow_the_hub_convention() -> None:
    assert shard_name("train", 0, 1) == "train-00000-of-00001.parquet"
    assert shard_name("validation", 11, 12) == "validation-00011-of-00012.parquet"
    assert shard_name("test", 0, 1) == "test-00000-of-00001.parquet"


def test_rows_become_a_table_with_the_model_schema(small_record: DocumentRecord) -> None:
    flagged = small_record.paragraphs[2].model_copy(
        update={"flags": [ParagraphFlag.STARTS_LOWERCASE]}
    )
    table = rows_to_table("paragraphs", [*small_record.paragraphs[:2], flagged])
    assert table.schema.equals(arrow_schema(Paragraph), check_metadata=True)
    assert table["role"].to_pylist() == [
        list(Role).index(Role.HEADLINE),
        list(Role).index(Role.LEAD),
        list(Role).index(Role.BODY),
    ]
    assert table["flags"].to_pylist() == [[], [], ["starts_lowercase"]]
    assert table["char_start"].type == pa.int32()


def test_document_rows_store_flags_as_strings_and_nulls(small_record: DocumentRecord) -> None:
    doc = small_record.document.model_copy(update={"flags": [DocumentFlag.BOM_REMOVED]})
    table = rows_to_table("documents", [doc])
    row = table.to_pylist()[0]
    assert row["flags"] == ["bom_removed"]
    assert row["agency"] is None
    assert row["published"] is None
    assert row["text"] == doc.text


def test_no_rows_give_an_empty_table_with_the_schema() -> None:
    for name, model in TABLE_MODELS.items():
        table = rows_to_table(name, [])
        assert table.num_rows == 0
        assert table.schema.equals(arrow_schema(model), check_metadata=True)


def test_writer_without_rows_writes_one_empty_shard(tmp_path: Path) -> None:
    shards = TableWriter(tmp_path, "sections").close()
    assert [(s.path, s.rows) for s in shards] == [("data/sections/train-00000-of-00001.parquet", 0)]
    stored = pq.read_table(tmp_path / shards[0].path)
    assert stored.num_rows == 0
    assert stored.schema.equals(arrow_schema(TABLE_MODELS["sections"]))


def test_writer_cuts_row_groups_and_shards_by_row_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_record: Callable[..., DocumentRecord]
) -> None:
    monkeypatch.setattr(tables, "ROW_GROUP_ROWS", 2)
    monkeypatch.setattr(tables, "SHARD_ROWS", 4)
    rows = _paragraphs(make_record, 9)
    writer = TableWriter(tmp_path, "paragraphs")
    writer.write(rows[:3])
    writer.write(rows[3:8])
    writer.write(rows[8:])
    shards = writer.close()
    assert [s.rows for s in shards] == [4, 4, 1]
    assert [Path(s.path).name for s in shards] == [shard_name("train", i, 3) for i in range(3)]
    assert sorted(p.name for p in (tmp_path / "data" / "paragraphs").iterdir()) == [
        shard_name("train", i, 3) for i in range(3)
    ]
    texts = []
    for shard in shards:
        metadata = pq.ParquetFile(tmp_path / shard.path).metadata
        groups = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
        assert all(n == 2 for n in groups[:-1])
        texts += pq.read_table(tmp_path / shard.path)["text"].to_pylist()
    assert texts == [p.text for p in rows]
    assert all(isinstance(s, Shard) and s.arrow_bytes > 0 for s in shards)


def test_written_bytes_do_not_depend_on_batching(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_record: Callable[..., DocumentRecord]
) -> None:
    monkeypatch.setattr(tables, "ROW_GROUP_ROWS", 3)
    rows = _paragraphs(make_record, 10)
    all_at_once = TableWriter(tmp_path / "a", "paragraphs")
    all_at_once.write(rows)
    one_by_one = TableWriter(tmp_path / "b", "paragraphs")
    for row in rows:
        one_by_one.write([row])
    as_tables = TableWriter(tmp_path / "c", "paragraphs")
    as_tables.write_table(rows_to_table("paragraphs", rows[:4]))
    as_tables.write_table(rows_to_table("paragraphs", []))
    as_tables.write_table(rows_to_table("paragraphs", rows[4:]))
    written = [w.close() for w in (all_at_once, one_by_one, as_tables)]
    (path,) = {s.path for shards in written for s in shards}
    contents = {(tmp_path / d / path).read_bytes() for d in "abc"}
    assert len(contents) == 1


@pytest.mark.parametrize("count", [0, 1, 10])
def test_a_recompressed_shard_has_the_bytes_of_a_build_at_that_level(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    make_record: Callable[..., DocumentRecord],
    count: int,
) -> None:
    # Several row groups, and a list column (flags): Parquet names a list's values otherwise
    # than the table's schema does.
    monkeypatch.setattr(tables, "ROW_GROUP_ROWS", 3)
    rows = [
        row.model_copy(update={"flags": [ParagraphFlag.STARTS_LOWERCASE]} if i % 2 else {})
        for i, row in enumerate(_paragraphs(make_record, count) if count else [])
    ]
    build = TableWriter(tmp_path / "build", "paragraphs")
    build.write(rows)
    (shard,) = build.close()
    monkeypatch.setitem(tables.WRITER_OPTIONS, "compression_level", RELEASE_COMPRESSION_LEVEL)
    direct = TableWriter(tmp_path / "direct", "paragraphs")
    direct.write(rows)
    direct.close()
    recompress(tmp_path / "build" / shard.path, tmp_path / "recompressed.parquet", "paragraphs")
    assert (tmp_path / "recompressed.parquet").read_bytes() == (
        tmp_path / "direct" / shard.path
    ).read_bytes()


def test_a_build_compresses_less_than_a_release(
    tmp_path: Path, make_record: Callable[..., DocumentRecord]
) -> None:
    assert BUILD_COMPRESSION_LEVEL < RELEASE_COMPRESSION_LEVEL
    texts = [f"Paragraph {i}: " + " ".join(str(i * k % 97) for k in range(200)) for i in range(300)]
    record = make_record(texts, [Role.BODY] * len(texts), [(SectionLabel.BODY, 0, len(texts))])
    build = TableWriter(tmp_path / "build", "paragraphs")
    build.write(record.paragraphs)
    (shard,) = build.close()
    recompress(tmp_path / "build" / shard.path, tmp_path / "release.parquet", "paragraphs")
    released = pq.read_table(tmp_path / "release.parquet")
    assert released.equals(pq.read_table(tmp_path / "build" / shard.path))
    assert (tmp_path / "release.parquet").stat().st_size < (
        tmp_path / "build" / shard.path
    ).stat().st_size
