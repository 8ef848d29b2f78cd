"""Dataset card (README.md with a Hugging Face YAML header) for a built dataset (I/O layer)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.schema import hf_features
from dispatch_corpus.tables import SPLIT, Shard

DEFAULT_CONFIG = "paragraphs"
CONFIG_ORDER = ("paragraphs", "documents", "sections")


def card_header(shards: Mapping[str, Sequence[Shard]]) -> str:
    """Return the YAML header declaring the three configs and their ``dataset_info``.

    Args:
        shards: Written shards per table.

    Returns:
        The YAML front matter, between ``---`` lines.
    """
    from datasets.info import DatasetInfo, DatasetInfosDict
    from datasets.splits import SplitDict, SplitInfo
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCardData

    card_data = DatasetCardData()
    configs = MetadataConfigs(
        {
            name: {
                "data_files": [{"split": SPLIT, "path": f"data/{name}/{SPLIT}-*.parquet"}],
                **({"default": True} if name == DEFAULT_CONFIG else {}),
            }
            for name in CONFIG_ORDER
        }
    )
    configs.to_dataset_card_data(card_data)
    infos = DatasetInfosDict()
    for name in CONFIG_ORDER:
        splits = SplitDict()
        rows = sum(s.rows for s in shards[name])
        num_bytes = sum(s.arrow_bytes for s in shards[name])
        splits.add(SplitInfo(name=SPLIT, num_bytes=num_bytes, num_examples=rows))
        infos[name] = DatasetInfo(
            features=hf_features(TABLE_MODELS[name]), splits=splits, config_name=name
        )
    infos.to_dataset_card_data(card_data)
    return f"---\n{card_data.to_yaml()}\n---\n"


def render_build_card(shards: Mapping[str, Sequence[Shard]], summary: str) -> str:
    """Return the README.md of a build folder: YAML header plus a short description."""
    rows = {name: sum(s.rows for s in shards[name]) for name in CONFIG_ORDER}
    lines = [
        card_header(shards),
        "# Dispatch corpus (build)\n",
        "News dispatches split into paragraphs, each labeled with its role and section.\n",
        "```python",
        "from datasets import load_dataset",
        f'paragraphs = load_dataset("PATH_TO_THIS_FOLDER", "{DEFAULT_CONFIG}", split="{SPLIT}")',
        "```\n",
        "| config | rows |",
        "|---|---|",
        *(f"| {name} | {rows[name]} |" for name in CONFIG_ORDER),
        "",
        summary,
        "",
    ]
    return "\n".join(lines)
