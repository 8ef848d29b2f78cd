import json
from pathlib import Path

from dispatch_corpus.build.driver import BuildSummary
from dispatch_corpus.release.card_facts import gather_card_facts


def test_the_facts_read_the_data_and_the_corpus_it_was_built_from(
    seed_build: tuple[Path, BuildSummary], project_corpus: Path
) -> None:
    out, summary = seed_build
    facts = gather_card_facts(out, project_corpus)
    assert list(facts.collections) == ["seed"]
    assert facts.collections["seed"].documents == summary.accepted == 1
    entry = json.loads((project_corpus / "seed" / "metadata.jsonl").read_text(encoding="utf-8"))
    assert facts.sources["seed"].values["source"] == {entry["source"]: 1}
    assert set(facts.examples) == {"documents", "paragraphs", "sections"}
    # Without the corpus the data is still described, without provenance.
    bare = gather_card_facts(out, None)
    assert bare.sources == {}
    assert bare.collections == facts.collections
