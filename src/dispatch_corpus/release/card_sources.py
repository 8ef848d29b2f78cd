"""Where the data comes from, on the card: source data per collection, licensing, YAML sources."""

from __future__ import annotations

import re
from collections.abc import Mapping

from dispatch_corpus.dataset.profile import CollectionProfile
from dispatch_corpus.dataset.provenance import CollectionSources
from dispatch_corpus.dataset.stats import UNKNOWN_LICENSE
from dispatch_corpus.release.card_text import code, plain, share
from dispatch_corpus.utils.numbers import count, counted

ORIGINAL = "original"
"""The Hub's ``source_datasets`` value for data collected by the dataset's own curators."""
# ``source_repo`` names a GitHub repository as owner/name (the shared corpus's sidecars do).
_GITHUB_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_COMMIT = re.compile(r"[0-9a-f]{7,40}")
SHORT_COMMIT = 12


def upstream_repository(sources: CollectionSources | None) -> str | None:
    """Return a collection's upstream repository (owner/name), when its sidecar names one."""
    if sources is None:
        return None
    for repo in sources.values.get("source_repo", {}):
        if _GITHUB_REPO.fullmatch(repo):
            return repo
    return None


def source_datasets(
    collections: Mapping[str, CollectionProfile], sources: Mapping[str, CollectionSources]
) -> list[str]:
    """Return the card's ``source_datasets``: ``extended|<upstream>`` per named upstream.

    A collection without a known upstream repository adds ``original`` (its documents were
    collected for this dataset, as far as the corpus records).
    """
    named = {upstream_repository(sources.get(name)) for name in collections}
    values = sorted(f"extended|{repo}" for repo in named if repo is not None)
    return ([ORIGINAL] if None in named or not collections else []) + values


def render_source_data(
    collections: Mapping[str, CollectionProfile], sources: Mapping[str, CollectionSources]
) -> str:
    """Return the Dataset Creation section: rationale, source data per collection, producers."""
    lines = [
        "## Dataset Creation\n",
        "### Curation Rationale\n",
        "Wire-agency dispatches share a structure (headline, dateline, lead, body, quotes, "
        "lists, boilerplate) that text pipelines flatten. This dataset keeps it: each "
        "dispatch is split into paragraphs whose role and section are labeled and whose "
        "offsets slice the original text exactly, so a model or a cleaning step can use "
        "the structure, and every transformation is recorded as a flag.\n",
        "### Source Data\n",
        "#### Data Collection and Processing\n",
        "Each raw file is decoded (legacy encodings and mojibake recognised and recorded), "
        "normalized (line ends, controls, invisible characters), split into paragraphs and "
        "labeled; a file that cannot be used is quarantined with a reason code, never "
        "dropped silently. The collections, each one folder of the corpus:\n",
    ]
    for name, profile in collections.items():
        lines += [*_collection_block(name, profile, sources.get(name)), ""]
    lines += [
        "#### Who are the source data producers?\n",
        "The journalists and contributors of the upstream sources named above (their `source`"
        " statements), and the news agencies credited in the texts: "
        + _agencies(collections)
        + ".",
        "",
    ]
    return "\n".join(lines)


def _collection_block(
    name: str, profile: CollectionProfile, sources: CollectionSources | None
) -> list[str]:
    languages = ", ".join(profile.languages)
    dates = (
        f", published {profile.first_published.isoformat()} to {profile.last_published.isoformat()}"
        if profile.first_published is not None and profile.last_published is not None
        else ""
    )
    lines = [
        f"**`{name}`**: {counted(profile.documents, 'document')} in {languages}{dates}, "
        f"{counted(profile.paragraphs, 'paragraph')}.\n"
    ]
    if sources is None:
        lines.append(
            "- **Upstream:** not recorded (the collection's `metadata.jsonl` names no source "
            "for its documents, or was not found when the release was cut)."
        )
        return lines
    described = share(sources.documents, profile.documents, "document")
    for text, n in _top(sources.values.get("source", {})):
        lines.append(f"- **Source:** {plain(text)} ({counted(n, 'document')})")
    repo = upstream_repository(sources)
    if repo is not None:
        commits = [c for c in sources.values.get("source_commit", {}) if _COMMIT.fullmatch(c)]
        at = (
            f" at commit [`{commits[0][:SHORT_COMMIT]}`](https://github.com/{repo}/tree/{commits[0]})"
            if len(commits) == 1
            else ""
        )
        lines.append(f"- **Upstream repository:** [{repo}](https://github.com/{repo}){at}")
    for text, n in _top(sources.values.get("license", {})):
        lines.append(f"- **Upstream license statement:** {plain(text)} ({counted(n, 'document')})")
    formats = sources.values.get("source_path", {})
    if formats:
        lines.append(
            "- **Converted from:** "
            + ", ".join(f"{code(fmt, 20)} files ({count(n)})" for fmt, n in formats.items())
        )
    if sources.marks:
        lines.append(
            "- **Upstream conversion marks** (sidecar keys set to true): "
            + ", ".join(f"{code(key)} {count(n)}" for key, n in sources.marks.items())
        )
    for text, n in _top(sources.values.get("note", {})):
        lines.append(f"- **Note:** {plain(text)} ({counted(n, 'document')})")
    if profile.flags:
        lines.append(
            "- **Flags set by this build:** "
            + ", ".join(f"`{flag}` {count(n)}" for flag, n in profile.flags.items())
        )
    lines.append(f"- **Documents with provenance in the sidecar:** {described}")
    return lines


def render_licensing(
    counts: Mapping[str, int],
    collections: Mapping[str, CollectionProfile],
    sources: Mapping[str, CollectionSources],
) -> str:
    """Return the Licensing section: licenses per collection and overall."""
    lines = [
        "## Licensing\n",
        "Each document keeps the license of its source (`documents.license`, an SPDX id where "
        "one exists); reuse a document under its own license and credit its source.\n",
        "| collection | documents | license in the data | upstream license statement |",
        "|---|---:|---|---|",
    ]
    for name, profile in collections.items():
        unknown = profile.nulls["license"]
        # A license the build could not map to an SPDX id is the sidecar's own text.
        in_data = [f"{plain(lic, 100)} ({count(n)})" for lic, n in profile.licenses.items()]
        in_data += [f"{UNKNOWN_LICENSE} ({count(unknown)})"] if unknown else []
        statements = sources[name].values.get("license", {}) if name in sources else {}
        statement = next(iter(statements), None)
        more = (
            f" (+{counted(len(statements) - 1, 'other statement')})" if len(statements) > 1 else ""
        )
        lines.append(
            f"| `{name}` | {count(profile.documents)} | {', '.join(in_data)} | "
            f"{plain(statement, 200) + more if statement else 'not recorded'} |"
        )
    lines += [
        "",
        "Overall:\n",
        "| license | documents |",
        "|---|---:|",
        *(f"| {plain(name, 100)} | {count(n)} |" for name, n in counts.items()),
        "",
    ]
    if UNKNOWN_LICENSE in counts:
        lines += [
            f"Documents counted as `{UNKNOWN_LICENSE}` have no recorded license: check their "
            "source (`documents.url`, `collection`) before reuse.",
            "",
        ]
    return "\n".join(lines)


def _agencies(collections: Mapping[str, CollectionProfile]) -> str:
    totals: dict[str, int] = {}
    for profile in collections.values():
        for agency, n in profile.agencies.items():
            totals[agency] = totals.get(agency, 0) + n
    if not totals:
        return "none is credited in a way the build recognised (`documents.agency` is null)"
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{plain(agency, 60)} ({counted(n, 'document')})" for agency, n in ranked[:10])


def _top(values: Mapping[str, int], limit: int = 3) -> list[tuple[str, int]]:
    return list(values.items())[:limit]
