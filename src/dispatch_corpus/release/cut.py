"""Cut a release: validate a build, check the version, write ``releases/<version>/`` atomically.

Every refusal happens before anything is written: the build must match its ``BUILD.json``,
the releases folder must hold releases only, and validation (which writes its report into
the build's own report folder) runs last. The release is assembled in a staging folder,
verified against its own manifest, then renamed into place; on any failure the staging
folder is removed and ``releases/<version>`` does not exist.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dispatch_corpus.dataset.atomic import Staging
from dispatch_corpus.dataset.buildrecord import BuildRecord, build_changes
from dispatch_corpus.dataset.card import PRETTY_NAME, split_sizes
from dispatch_corpus.dataset.folders import check_releases_dir, require_build
from dispatch_corpus.dataset.layout import (
    CARD_FILE,
    CHANGELOG_FILE,
    CROISSANT_FILE,
    DATA_DIR,
    RELEASE_MANIFEST,
)
from dispatch_corpus.dataset.reader import table_files
from dispatch_corpus.dataset.stats import UNKNOWN_LICENSE, compute_stats, plot_lengths
from dispatch_corpus.dataset.writer import recompress
from dispatch_corpus.evaluation.cv import CrossValidation
from dispatch_corpus.evaluation.plots import write_confusion_matrix
from dispatch_corpus.release.card import render_release_card, summarize_licenses
from dispatch_corpus.release.card_facts import gather_card_facts
from dispatch_corpus.release.card_sections import ReleaseCardContext, citation_bibtex
from dispatch_corpus.release.changelog import render_changelog
from dispatch_corpus.release.croissant import CroissantInfo, render_croissant, spdx_licenses
from dispatch_corpus.release.diff import DatasetDiff, diff_datasets
from dispatch_corpus.release.errors import BuildChangedError, ReleaseError
from dispatch_corpus.release.hub import check_repo_id
from dispatch_corpus.release.manifest import (
    describe_file,
    describe_files,
    raw_inputs,
    render_manifest,
)
from dispatch_corpus.release.semver import (
    Bump,
    Version,
    bump_between,
    check_version,
    parse_version,
    released_versions,
)
from dispatch_corpus.release.verify import verify_release
from dispatch_corpus.utils.numbers import counted

LENGTHS_IMAGE = "images/lengths.png"
CONFUSION_IMAGE = "images/confusion.png"


@dataclass(frozen=True)
class ValidationVerdict:
    """Whether a dataset folder passed validation, and where to read why."""

    ok: bool
    summary: str


Validate = Callable[[Path], ValidationVerdict]
"""Validates a dataset folder (a build) before it is released."""


@dataclass(frozen=True)
class ReleaseOutcome:
    """A release that was written."""

    path: Path
    version: Version
    previous: Version | None
    diff: DatasetDiff


def suite_validator(report_dir: Path | None = None) -> Validate:
    """Return a validator running the project's validation and writing its report.

    The validation package (and Great Expectations) is imported when the validator runs.

    Args:
        report_dir: Where the validation writes its report (default: the build's own
            ``reports/validation``).

    Returns:
        The validator; it raises ``ValidationInputError`` when validation cannot run and
        ``OutputPathError`` when ``report_dir`` is refused.
    """

    def validate(dataset_dir: Path) -> ValidationVerdict:
        from dispatch_corpus.validation import run_validation

        report = run_validation(dataset_dir, report_dir)
        failed = [check.check for check in report.failures]
        summary = f"{counted(len(failed), 'failed check')}" + (
            f": {', '.join(failed[:3])}" if failed else ""
        )
        return ValidationVerdict(
            ok=report.success, summary=f"{summary}; report in {report.report_dir}"
        )

    return validate


def cut_release(
    version: str,
    build_dir: Path,
    releases_dir: Path,
    *,
    validate: Validate,
    repo_id: str | None = None,
    now: datetime | None = None,
    evaluation: CrossValidation | None = None,
    notes: str | None = None,
) -> ReleaseOutcome:
    """Release a build as ``releases_dir/<version>``, refusing anything unsafe.

    Refused (nothing written) when the version is not ``MAJOR.MINOR.PATCH``, already exists,
    is not above the latest release, or bumps less than the change since the latest
    release needs; when a document of the latest release would change split, unless the
    release is MAJOR and ``notes`` say why; when ``build_dir`` is not a build (no
    ``BUILD.json``) or its files changed since the build; when ``releases_dir`` holds
    anything but releases or lies in the build, its corpus or a release. Validation runs
    last; a build failing it is refused too (its report is in the build's report folder).

    Args:
        version: The version to release.
        build_dir: The build folder to release (its Parquet files are copied byte for byte).
        releases_dir: The folder holding one folder per release.
        validate: Validates ``build_dir``.
        repo_id: The Hub repository the release is meant for, used in the card.
        now: The creation time (default: now, UTC).
        evaluation: The labeler's cross-validated scores on gold, shown on the card with
            the reliability table and a confusion matrix.
        notes: The maintainer's words on what changed and why, Markdown, put at the top of
            the changelog (a MAJOR release says there what moved).

    Returns:
        The release written.

    Raises:
        ReleaseError: When the release is refused (``BuildChangedError``: the build changed).
        DatasetError: When ``build_dir`` is missing or not a build (``NotABuildError``).
        OutputPathError: When ``releases_dir`` is refused.
    """
    parsed = parse_version(version)
    record = require_build(build_dir)
    changes = build_changes(build_dir, record)
    if changes:
        raise BuildChangedError(
            f"{build_dir} changed since it was built ({', '.join(changes[:3])}"
            f"{f' and {len(changes) - 3} more' if len(changes) > 3 else ''}); build it again"
        )
    check_releases_dir(releases_dir, build_dir, record.corpus)
    target = releases_dir / str(parsed)
    if target.exists() or target.is_symlink():
        raise ReleaseError(f"release {parsed} already exists at {target}; releases are immutable")
    versions = released_versions(releases_dir)
    latest = versions[-1] if versions else None
    # The cheap check first (above the latest release); the diff reads both datasets whole.
    check_version(parsed, latest, Bump.PATCH)
    if repo_id is not None:
        check_repo_id(repo_id)
    table_files(build_dir)
    diff = diff_datasets(releases_dir / str(latest) if latest else None, build_dir)
    _check_split_changes(diff, parsed, latest, releases_dir, notes)
    check_version(parsed, latest, diff.needed_bump)
    # Validation comes last: it writes its report, and a refused release writes nothing.
    verdict = validate(build_dir)
    if not verdict.ok:
        raise ReleaseError(f"{build_dir} failed validation ({verdict.summary})")
    created = (now or datetime.now(UTC)).replace(microsecond=0)
    try:
        with Staging(target) as staging:
            _assemble(
                staging.path,
                build_dir,
                record,
                parsed,
                latest,
                diff,
                repo_id,
                created,
                evaluation,
                notes,
                # Relative to the folder of releases, as a reader of the card has it.
                f"{releases_dir.resolve().name}/{parsed}",
            )
            # The staging folder is named payload: the manifest's version is passed explicitly.
            verification = verify_release(staging.path, str(parsed))
            if not verification.ok:
                raise ReleaseError(f"assembled release does not verify: {verification.problems[0]}")
            staging.publish(replace=False)
    except FileExistsError as error:
        raise ReleaseError(f"release {parsed} appeared at {target} meanwhile") from error
    return ReleaseOutcome(target, parsed, latest, diff)


def _check_split_changes(
    diff: DatasetDiff,
    version: Version,
    latest: Version | None,
    releases_dir: Path,
    notes: str | None,
) -> None:
    """Refuse moving a released document to another split, unless MAJOR and explained."""
    if not diff.split_changes or latest is None:
        return
    first = diff.split_changes[0]
    moved = (
        f"{counted(len(diff.split_changes), 'document')} of {latest} would change split "
        f"(first: {first.doc_id!r} {first.old} -> {first.new})"
    )
    if bump_between(latest, version) < Bump.MAJOR:
        raise ReleaseError(
            f"{moved}; splits are stable across releases: build with --splits-from "
            f"{releases_dir / str(latest)} to keep them, or release a MAJOR version with "
            "--notes saying why"
        )
    # The changelog lists every move; the maintainer's notes say why it had to happen.
    if notes is None or not notes.strip():
        raise ReleaseError(
            f"{moved}; a MAJOR release that moves documents needs --notes saying why"
        )


def _assemble(
    staging: Path,
    build_dir: Path,
    record: BuildRecord,
    version: Version,
    previous: Version | None,
    diff: DatasetDiff,
    repo_id: str | None,
    created: datetime,
    evaluation: CrossValidation | None,
    notes: str | None,
    local_path: str,
) -> None:
    data_files = []
    for table, shards in table_files(build_dir).items():
        folder = staging / DATA_DIR / table
        folder.mkdir(parents=True)
        for shard in shards:
            copy = folder / f"{shard.name}.build"
            shutil.copyfile(shard, copy)
            # The copy is hashed, not the build: what is released is what BUILD.json recorded,
            # even if the build changed while it was validated.
            copied = describe_file(staging, copy)
            path = f"{DATA_DIR}/{table}/{shard.name}"
            recorded = record.files.get(path)
            if recorded is None or recorded.sha256 != copied.sha256:
                raise BuildChangedError(f"{build_dir / path} changed during the release")
            # Recompressed from the checked copy: the same rows, at the release's stronger level.
            recompress(copy, folder / shard.name, table)
            copy.unlink()
            data_files.append(describe_file(staging, folder / shard.name))
    stats = compute_stats(staging)
    plot_lengths(stats, staging / LENGTHS_IMAGE)
    if evaluation is not None:
        write_confusion_matrix(evaluation.evaluation, staging / CONFUSION_IMAGE)
    inputs = raw_inputs(build_dir)
    quarantined = Counter(
        str(entry["reason_code"]) for entry in inputs if entry["outcome"] == "quarantined"
    )
    previous_name = str(previous) if previous is not None else None
    (staging / CHANGELOG_FILE).write_text(
        render_changelog(diff, f"Changelog: {version}", previous_name, notes=notes),
        encoding="utf-8",
    )
    context = ReleaseCardContext(
        version=str(version),
        created=created.date(),
        repo_id=repo_id,
        changelog=render_changelog(
            diff, "Changelog", previous_name, level=2, list_ids=False, notes=notes
        ),
        quarantined=dict(quarantined),
        lengths_image=LENGTHS_IMAGE,
        evaluation=evaluation.evaluation if evaluation is not None else None,
        folds=evaluation.folds if evaluation is not None else None,
        confusion_image=CONFUSION_IMAGE if evaluation is not None else None,
        labeler_version=_labeler_version(record),
        local_path=local_path,
    )
    facts = gather_card_facts(staging, record.corpus)
    card = render_release_card(split_sizes(staging), stats, context, facts)
    (staging / CARD_FILE).write_text(card, encoding="utf-8")
    licenses = summarize_licenses(stats.licenses)
    croissant = render_croissant(
        CroissantInfo(
            name=PRETTY_NAME,
            description=(
                f"News dispatches in {', '.join(stats.languages)} split into paragraphs, "
                "each with a role and a section label. License: "
                f"{licenses.license_name or licenses.license} (per document, see README.md)."
            ),
            version=str(version),
            published=created.date(),
            licenses=spdx_licenses(stats.licenses, UNKNOWN_LICENSE),
            languages=sorted(stats.languages),
            repo_id=repo_id,
            citation=citation_bibtex(str(version), created.year, repo_id),
        ),
        data_files,
    )
    (staging / CROISSANT_FILE).write_text(
        json.dumps(croissant, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    # Last: the manifest holds the sha256 of every other file of the release.
    (staging / RELEASE_MANIFEST).write_text(
        render_manifest(str(version), created, inputs, describe_files(staging), record.settings),
        encoding="utf-8",
    )


def _labeler_version(record: BuildRecord) -> str | None:
    """Return the labeler version a build recorded in its settings, if it did."""
    labeler = record.settings.get("labeler")
    version = labeler.get("version") if isinstance(labeler, dict) else None
    return str(version) if version is not None else None
