import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from dispatch_corpus.build.driver import BuildSummary
from dispatch_corpus.dataset.card import split_sizes
from dispatch_corpus.dataset.profile import NULLABLE_FIELDS
from dispatch_corpus.dataset.stats import compute_stats
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.release.card import render_release_card, summarize_licenses
from dispatch_corpus.release.card_facts import gather_card_facts
from dispatch_corpus.release.card_sections import ReleaseCardContext
from dispatch_corpus.release.card_splits import render_splits
from dispatch_corpus.schema import columns


def _header(card: str) -> dict[str, Any]:
    assert card.startswith("---\n")
    data: dict[str, Any] = yaml.safe_load(card.split("---\n")[1])
    return data


@pytest.fixture
def context() -> ReleaseCardContext:
    return ReleaseCardContext(
        version="1.2.0",
        created=date(2025, 6, 1),
        repo_id="acme/dispatch-news",
        changelog="## Changelog\n\nCompared with 1.1.0.\n",
        quarantined={"empty": 2, "binary": 1},
        lengths_image="images/lengths.png",
    )


@pytest.mark.parametrize(
    ("counts", "license_id", "name"),
    [
        ({"CC-BY-4.0": 5}, "cc-by-4.0", None),
        ({"CC-BY-4.0": 5, "CC-BY-2.5": 1}, "other", "mixed-cc-by-2.5-cc-by-4.0"),
        ({"unknown": 1}, "other", "unknown"),
        ({"CC-BY-4.0": 5, "unknown": 1}, "other", "mixed-cc-by-4.0-unknown"),
        # Free text the build could not map is never a Hub license id.
        ({"Own | <b>terms</b> {{x}}": 2}, "other", "own-b-terms-b-x"),
        ({"MIT License": 2, "CC-BY-4.0": 1}, "other", "mixed-cc-by-4.0-mit-license"),
    ],
)
def test_licenses_are_summarised(counts: dict[str, int], license_id: str, name: str | None) -> None:
    summary = summarize_licenses(counts)
    assert (summary.license, summary.license_name) == (license_id, name)
    assert summary.counts == counts


def test_the_release_card_is_generated_from_the_data(
    seed_build: tuple[Path, BuildSummary], context: ReleaseCardContext, project_corpus: Path
) -> None:
    out, summary = seed_build
    stats = compute_stats(out)
    card = render_release_card(split_sizes(out), stats, context, gather_card_facts(out, None))
    header = _header(card)
    assert header["pretty_name"] == "Dispatch corpus"
    assert header["language"] == sorted(stats.languages)
    assert header["size_categories"] == ["n<1K"]
    assert header["task_categories"] == ["text-classification"]
    assert header["source_datasets"] == ["original"]
    expected = summarize_licenses(stats.licenses)
    assert header["license"] == expected.license
    assert header.get("license_name") == expected.license_name
    sections = [line for line in card.splitlines() if line.startswith("## ")]
    assert sections == [
        "## Dataset Details",
        "## Uses",
        "## How to load",
        "## Dataset Structure",
        "## Dataset Creation",
        "## Bias, Risks, and Limitations",
        "## Licensing",
        "## Citation",
        "## Dataset Card Authors",
        "## Changelog",
    ]
    subsections = [line for line in card.splitlines() if line.startswith("### ")]
    for name in (
        "### Dataset Description",
        "### Dataset Sources",
        "### Direct Use",
        "### Out-of-Scope Use",
        "### Reading without `datasets`",
        "### Data Instances",
        "### Data Fields",
        "### Source Data",
        "### Annotations",
        "### Personal and Sensitive Information",
        "### Recommendations",
    ):
        assert name in subsections
    assert 'revision="v1.2.0"' in card
    assert "https://huggingface.co/datasets/acme/dispatch-news" in card
    assert f"- **Size:** {summary.accepted} document," in card
    assert "| documents | 1 | 0 | 0 |" in card
    assert "no two documents of this release are near-duplicates." in card
    assert 'filter(lambda d: d["cluster_id"] == d["doc_id"])' in card
    assert "![Length histograms of paragraphs and documents](images/lengths.png)" in card
    assert "3 raw inputs were quarantined by the build" in card
    assert "(binary 1, empty 2)" in card
    for table, model in TABLE_MODELS.items():
        assert f"#### {table}" in card
        for column in columns(model):
            assert f"| `{column.name}`" in card
    assert card.endswith("Compared with 1.1.0.\n")


def test_without_a_repo_the_card_loads_from_the_release_folder(
    seed_build: tuple[Path, BuildSummary], context: ReleaseCardContext
) -> None:
    out, _ = seed_build
    bare = ReleaseCardContext(**{**context.__dict__, "repo_id": None, "lengths_image": None})
    card = render_release_card(
        split_sizes(out), compute_stats(out), bare, gather_card_facts(out, None)
    )
    assert 'load_dataset("releases/1.2.0", "paragraphs", split="train")' in card
    assert "revision=" not in card
    assert "huggingface.co" not in card
    assert "url = " not in card
    assert "images/lengths.png" not in card


PLACEHOLDERS = ("ORG/NAME", "PATH/TO", "PATH_TO", "TODO", "[More Information Needed]", "{{", "}}")
# A count of one with a plural noun, or of several with a singular one ("1 documents").
_ONE_PLURAL = re.compile(r"(?<![\d.,])\b1 ([a-z-]{2,}s)\b")
_MANY_SINGULAR = re.compile(
    r"\b(?:0|[2-9]|\d[\d,]*\d) (document|paragraph|section|row|collection|character|class"
    r"|label|input|statement|file)\b(?!s)"
)
_NOUNS_ENDING_IN_S = frozenset({"class"})
# "1 document have", "1 of 3 documents are": a count of one with a plural verb.
_ONE_PLURAL_VERB = re.compile(
    r"(?<![\d.,])\b1 (?:of [\d,]+ )?[a-z-]+(?: \([^)]*\))?\s+(?:are|have|were)\b"
)


def _card_problems(card: str) -> list[str]:
    problems = [marker for marker in PLACEHOLDERS if marker in card]
    problems += [
        f"1 {m.group(1)}"
        for m in _ONE_PLURAL.finditer(card)
        if m.group(1) not in _NOUNS_ENDING_IN_S
    ]
    problems += [m.group(0) for m in _MANY_SINGULAR.finditer(card)]
    problems += [m.group(0) for m in _ONE_PLURAL_VERB.finditer(card)]
    return problems


@pytest.mark.parametrize(
    "card", ["1 document", "3 documents", "1 of 81 documents", "1 class", "2 classes", "1 is"]
)
def test_the_placeholder_check_accepts_good_counts(card: str) -> None:
    assert _card_problems(card) == []


@pytest.mark.parametrize(
    "card",
    [
        "1 documents",
        "This release holds 1 paragraphs",
        "3 document",
        "5,844 paragraph",
        "9 class",
        "1 document have no date",
        "1 paragraph\nare labeled",
        "1 of 83 documents (1%) are one block",
        'load_dataset("ORG/NAME")',
        "PATH/TO/1.0.0",
        "[More Information Needed]",
        "{{ pretty_name }}",
    ],
)
def test_the_placeholder_check_finds_placeholders(card: str) -> None:
    assert _card_problems(card)


@pytest.mark.parametrize("release", ["seed_release", "shared_subset_release", "released"])
def test_release_cards_hold_no_placeholder(release: str, request: pytest.FixtureRequest) -> None:
    folder: Path = request.getfixturevalue(release)
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert _card_problems(card) == []


def test_the_card_of_one_document_counts_in_the_singular(seed_release: Path) -> None:
    card = (seed_release / "README.md").read_text(encoding="utf-8")
    assert "- **Size:** 1 document, 10 paragraphs, 5 sections" in card
    assert "First release: 1 document, 10 paragraphs, 5 sections." in card
    assert 'load_dataset("releases/3.0.0", "paragraphs", split="train")' in card


@pytest.mark.parametrize("release", ["seed_release", "shared_subset_release", "released"])
def test_the_hub_parses_the_card_with_its_own_keys(
    release: str, request: pytest.FixtureRequest, read_rows: Any
) -> None:
    from huggingface_hub import DatasetCard, DatasetCardData

    folder: Path = request.getfixturevalue(release)
    card = DatasetCard((folder / "README.md").read_text(encoding="utf-8"))
    data = card.data
    assert isinstance(data, DatasetCardData)
    documents = read_rows(folder, "documents")
    assert data.language == sorted({row["language"] for row in documents})
    assert data.pretty_name == "Dispatch corpus"
    assert data.task_categories == ["text-classification"]
    assert data.task_ids == ["multi-class-classification"]
    assert data.size_categories == ["n<1K"]
    assert data.annotations_creators == ["machine-generated"]
    assert isinstance(data.source_datasets, list)
    assert all(isinstance(value, str) for value in data.source_datasets)
    assert [c["config_name"] for c in data.to_dict()["configs"]] == [
        "documents",
        "paragraphs",
        "sections",
    ]
    licenses = {row["license"] for row in documents}
    if len(licenses) == 1 and None not in licenses:
        assert data.license == next(iter(licenses)).lower()
    else:
        assert data.license == "other"
        assert data.to_dict()["license_link"] == "README.md"
    # Every key is one the Hub's card data knows (no typo lands in "other metadata").
    known = {
        "language", "license", "license_name", "license_link", "annotations_creators",
        "language_creators", "multilinguality", "size_categories", "source_datasets",
        "task_categories", "task_ids", "pretty_name", "configs", "dataset_info",
    }  # fmt: skip
    assert set(data.to_dict()) <= known


def _sidecars(corpus: Path) -> dict[str, list[dict[str, Any]]]:
    return {
        folder.name: [
            json.loads(line)
            for line in (folder / "metadata.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        for folder in sorted(p for p in corpus.iterdir() if p.is_dir())
    }


def _unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_source_data_and_licensing_come_from_each_collections_sidecar(
    shared_subset_release: Path, shared_subset_corpus: Path, read_rows: Any
) -> None:
    card = (shared_subset_release / "README.md").read_text(encoding="utf-8")
    header = _header(card)
    sidecars = _sidecars(shared_subset_corpus)
    documents = read_rows(shared_subset_release, "documents")
    assert header["source_datasets"] == sorted(
        {f"extended|{entries[0]['source_repo']}" for entries in sidecars.values()}
    )
    licensing = card.split("## Licensing", 1)[1]
    for collection, entries in sidecars.items():
        ids = {row["doc_id"] for row in documents if row["collection"] == collection}
        used = [entry for entry in entries if entry["id"] in ids]
        assert len(used) == len(ids) > 0
        row = next(line for line in licensing.splitlines() if line.startswith(f"| `{collection}`"))
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]
        data_licenses = sorted({str(row["license"]) for row in documents if row["doc_id"] in ids})
        assert cells[1] == str(len(ids))
        assert cells[2] == ", ".join(f"{name} ({len(ids)})" for name in data_licenses)
        assert _unescaped(cells[3]) == used[0]["license"]
        block = card.split(f"**`{collection}`**", 1)[1].split("\n\n**`", 1)[0]
        assert f"[{used[0]['source_repo']}](https://github.com/{used[0]['source_repo']})" in block
        assert _unescaped(used[0]["source"]) in _unescaped(block)
        assert f"- **Documents with provenance in the sidecar:** {len(ids)} of {len(ids)}" in block


def test_the_limitations_are_measured_on_the_parquet(
    shared_subset_release: Path, read_rows: Any
) -> None:
    card = (shared_subset_release / "README.md").read_text(encoding="utf-8")
    documents = read_rows(shared_subset_release, "documents")
    longest: dict[str, int] = {}
    for row in read_rows(shared_subset_release, "paragraphs"):
        longest[row["doc_id"]] = max(longest.get(row["doc_id"], 0), len(row["text"]))
    by_collection: dict[str, list[dict[str, Any]]] = {}
    for row in documents:
        by_collection.setdefault(row["collection"], []).append(row)
    limitations = card.split("## Bias, Risks, and Limitations", 1)[1].split("### Known", 1)[0]
    assert any(
        sum(longest[r["doc_id"]] >= 2000 for r in rows) for rows in by_collection.values()
    ), "the subset should hold single-block documents (meduza_golunov_ru)"
    for collection, rows in by_collection.items():
        n = len(rows)
        blocks = sum(
            longest[r["doc_id"]] >= 2000 and longest[r["doc_id"]] >= 0.8 * len(r["text"])
            for r in rows
        )
        nulls = [sum(r[name] is None for r in rows) for name in NULLABLE_FIELDS]
        cells = [blocks, *nulls]
        row = next(
            line for line in limitations.splitlines() if line.startswith(f"| `{collection}`")
        )
        shown = [cell.strip() for cell in row.split("|")[3:-1]]
        assert [cell.split(" of ")[0] for cell in shown] == [str(c) for c in cells]
        assert all(cell.split(" of ")[1].startswith(f"{n} ") for cell in shown)
        if blocks:
            assert f"- **Single blocks in `{collection}`:** {blocks} of {n} document" in limitations
    undated = sum(r["published"] is None for r in documents)
    if undated:
        assert f"- **Missing `published`:** null in {undated} of {len(documents)} documents" in card


def test_each_config_shows_a_real_row(shared_subset_release: Path, read_rows: Any) -> None:
    card = (shared_subset_release / "README.md").read_text(encoding="utf-8")
    instances = card.split("### Data Instances", 1)[1].split("### Data Fields", 1)[0]
    shown = {
        name: json.loads(block)
        for name, block in re.findall(
            r"#### An example of (\w+)\n\n```json\n(.*?)\n```", instances, re.S
        )
    }
    assert set(shown) == {"documents", "paragraphs", "sections"}
    documents = read_rows(shared_subset_release, "documents")
    sizes = sorted((len(row["text"]), row["doc_id"]) for row in documents)
    median_doc = sizes[(len(sizes) - 1) // 2][1]
    assert shown["documents"]["doc_id"] == median_doc
    for table, row in shown.items():
        key = (
            "paragraph_id"
            if table == "paragraphs"
            else "section_id"
            if table == "sections"
            else "doc_id"
        )
        real = next(r for r in read_rows(shared_subset_release, table) if r[key] == row[key])
        for column, value in row.items():
            actual = real[column]
            if isinstance(actual, str) and len(actual) > 240:
                assert value.startswith(actual[:240])
                assert value.endswith(f"... [{len(actual) - 240:,} more characters]")
            elif isinstance(actual, float):
                assert value == pytest.approx(actual, abs=1e-6)
            elif hasattr(actual, "isoformat"):
                assert value == actual.isoformat()
            else:
                assert value == actual, column
    assert shown["paragraphs"]["doc_id"] == shown["sections"]["doc_id"] == median_doc
    paragraph = shown["paragraphs"]
    section = shown["sections"]
    assert section["paragraph_start"] <= paragraph["paragraph_index"] < section["paragraph_end"]


HOSTILE_ENTRY = {
    "id": "storm",
    "language": "en",
    "license": "CC BY 4.0 | ## Injected\n---\nlicense: mit\n<script>alert(1)</script> {{ x }}",
    "source": "Agency ```json\n# Heading\n| a | b |\n[click](javascript:alert(1)) TODO",
    "source_repo": "owner/repo) [x](http://evil",
    "source_commit": "not-a-commit",
    "source_path": "x.zip:a|b`c.d|e",
    "note": "\x1b[31mred\x1b[0m\u202eevil\u200b " + "long " * 400,
    "weird | key `with` ticks": True,
}
# Longer than STORM_TEXT, so the storm dispatch is the example row (the lower median).
VOTE_TEXT = "Council votes\n\n" + "The council approved the budget on Tuesday. " * 5 + "\n"
STORM_TEXT = "Storm closes roads\n\nA storm hit the coast ```python\nimport os``` on Monday.\n"


def test_hostile_sidecar_values_cannot_break_the_card(
    tmp_path: Path, read_rows: Any, accept: Any
) -> None:
    from huggingface_hub import DatasetCard

    from dispatch_corpus.build.driver import build_dataset
    from dispatch_corpus.release.cut import cut_release

    folder = tmp_path / "corpus" / "news"
    folder.mkdir(parents=True)
    (folder / "storm.txt").write_text(STORM_TEXT, encoding="utf-8")
    (folder / "vote.txt").write_text(VOTE_TEXT, encoding="utf-8")
    lines = [HOSTILE_ENTRY, {"id": "vote", "license": "Own | <b>terms</b> {{x}}", "agency": "A|B"}]
    (folder / "metadata.jsonl").write_text(
        "".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8"
    )
    build_dataset(tmp_path / "corpus", tmp_path / "build")
    release = cut_release("1.0.0", tmp_path / "build", tmp_path / "releases", validate=accept)
    card = (release.path / "README.md").read_text(encoding="utf-8")
    data = DatasetCard(card).data.to_dict()
    # The license text cannot add YAML keys: the header is the generator's.
    assert data["source_datasets"] == ["original"]
    assert "mit" not in str(data.get("license"))
    assert _card_problems(card.replace("TODO", "")) == []
    # A link needs an unescaped "](": none comes from the sidecar.
    assert re.search(r"(?<!\\)\]\((?:javascript|http://evil)", card) is None
    body = card.split("\n---\n", 1)[1]
    headings = [line for line in body.splitlines() if line.startswith("#")]
    assert "# Heading" not in headings and "## Injected" not in headings
    # Every row of the Licensing tables keeps its cells.
    tables = card.split("## Licensing", 1)[1].split("## Citation", 1)[0].split("\n\n")
    rows = [table.splitlines() for table in tables if table.startswith("|")]
    assert len(rows) == 2
    for table in rows:
        widths = {len(re.split(r"(?<!\\)\|", row)) for row in table}
        assert len(widths) == 1, table
    # Inside a code fence (the example rows) HTML shows as text; outside, none is left.
    outside = re.sub(r"^(`{3,})[a-z]*\n.*?^\1$", "", card, flags=re.S | re.M)
    assert "<b>" not in outside and "<script" not in outside
    # The example's text holds a code fence of its own: the card's fence is longer.
    instances = card.split("### Data Instances", 1)[1].split("### Data Fields", 1)[0]
    assert "````json" in instances
    assert "\u202e" not in card and "\x1b" not in card


def test_the_splits_section_counts_splits_and_clusters(
    seed_build: tuple[Path, BuildSummary], context: ReleaseCardContext
) -> None:
    out, _ = seed_build
    stats = replace(compute_stats(out), cluster_sizes={2: 3, 5: 1})
    section = render_splits(split_sizes(out), stats)
    assert section.startswith("### Splits and near-duplicates\n")
    assert "split 80/10/10 into train, validation, test" in section
    assert "11 documents are in 4 clusters of 2 or more (the largest has 5)" in section
    assert "at least 2 clusters is flagged `repeated_text`" in section
    assert render_splits(split_sizes(out), replace(stats, cluster_sizes=None)) == ""
