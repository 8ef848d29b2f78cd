"""The card section for readers without ``datasets``: polars and DuckDB over the Parquet shards.

``paragraphs.role`` and ``sections.label`` are ClassLabel indices, whose names only the Hugging
Face features carry; ``role_name`` and ``label_name`` repeat them as strings (dictionary-encoded
in Parquet: 0.3 bytes a row on the shared corpus). The snippets here are the ones the card and
README show, and a test runs them as written.
"""

from __future__ import annotations

from dispatch_corpus.dataset.layout import shard_pattern


def polars_snippet(root: str) -> str:
    """Return Python code that counts paragraphs per role name with polars.

    Args:
        root: The dataset folder, as the reader names it (``build``, ``.``).

    Returns:
        Code that leaves the counts in ``counts`` (most frequent first) and prints them.
    """
    return f"""import polars as pl

paragraphs = pl.read_parquet("{root}/{shard_pattern("paragraphs")}")
counts = (
    paragraphs.group_by("role_name")
    .agg(pl.len().alias("paragraphs"))
    .sort(["paragraphs", "role_name"], descending=[True, False])
)
print(counts)
"""


def duckdb_snippet(root: str) -> str:
    """Return Python code that counts paragraphs per role name with DuckDB.

    Args:
        root: The dataset folder, as the reader names it (``build``, ``.``).

    Returns:
        Code that leaves the counts in ``counts`` (most frequent first) and prints them.
    """
    return f"""import duckdb

counts = duckdb.sql(
    "SELECT role_name, count(*) AS paragraphs "
    "FROM read_parquet('{root}/{shard_pattern("paragraphs")}') "
    "GROUP BY role_name ORDER BY paragraphs DESC, role_name"
)
print(counts)
"""


def render_other_clients() -> str:
    """Return the card section on reading the Parquet shards with polars and DuckDB.

    Returns:
        Markdown: why ``role_name`` and ``label_name`` exist, and one snippet per client, run
        from a copy of the release folder.
    """
    return f"""### Reading without `datasets`

The shards are plain Parquet files. `role` (paragraphs) and `label` (sections) hold class
indices, whose names are in the Hugging Face features only; `role_name` and `label_name` hold
the same classes by name (dictionary-encoded strings), so any Parquet reader gets them. Each
row's name and index always agree (validation checks it). From a copy of this folder:

With [polars](https://pola.rs):

```python
{polars_snippet(".")}```

With [DuckDB](https://duckdb.org):

```python
{duckdb_snippet(".")}```

The class order (the meaning of each index) is also in each shard's key-value metadata, under
the key `huggingface` (the features as JSON), e.g. DuckDB's
`SELECT value FROM parquet_kv_metadata('data/paragraphs/train-00000-of-00001.parquet')`.
"""
