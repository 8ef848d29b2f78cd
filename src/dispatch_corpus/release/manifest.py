"""MANIFEST.json of a release: version, inputs, tool versions, and every file's hash and rows."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dispatch_corpus.dataset.buildrecord import file_sha256
from dispatch_corpus.dataset.corpus import DISPATCH_SUFFIX
from dispatch_corpus.dataset.jsonfile import read_json_file, read_regular_file
from dispatch_corpus.dataset.layout import QUARANTINE_REPORT, RELEASE_MANIFEST
from dispatch_corpus.dataset.reader import count_rows, iter_rows, table_files
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import QuarantineRecord
from dispatch_corpus.utils.jsontext import parse_json

PACKAGE = "dispatch-corpus"
_REQUIREMENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class FileEntry:
    """One file of a release: path relative to the release root, sha256, size, Parquet rows."""

    path: str
    sha256: str
    bytes: int
    rows: int | None


def describe_file(root: Path, path: Path) -> FileEntry:
    """Return the manifest entry of one file (rows only for Parquet files)."""
    rows = count_rows(path) if path.suffix == ".parquet" else None
    return FileEntry(
        path=path.relative_to(root).as_posix(),
        sha256=file_sha256(path),
        bytes=path.stat().st_size,
        rows=rows,
    )


def describe_files(root: Path) -> list[FileEntry]:
    """Return the entries of every file under ``root`` except the manifest, sorted by path."""
    paths = sorted(p for p in root.rglob("*") if p.is_file() and p.name != RELEASE_MANIFEST)
    return [describe_file(root, path) for path in paths]


def raw_inputs(build_dir: Path) -> list[dict[str, Any]]:
    """Return the raw inputs of a build: accepted documents and quarantined files.

    Accepted inputs come from ``documents`` (``<collection>/<doc_id>.txt`` and
    ``raw_sha256``), quarantined ones from the build's ``reports/quarantine.jsonl`` when the
    folder has it.

    Args:
        build_dir: The build folder a release is cut from.

    Returns:
        One entry per input (path, raw_sha256, outcome, reason_code; an accepted one's split
        and cluster_id too), sorted by path.

    Raises:
        DatasetError: When a shard or the quarantine report cannot be read, or a report
            line is not a quarantine record.
    """
    files = table_files(build_dir)["documents"]
    # An accepted input's split and cluster are recorded with it: the assignment a later
    # release must keep (``build --splits-from``), readable without the Parquet.
    columns = ["doc_id", "collection", "raw_sha256", "split", "cluster_id"]
    inputs = [
        {
            "path": f"{row['collection']}/{row['doc_id']}{DISPATCH_SUFFIX}",
            "raw_sha256": row["raw_sha256"],
            "outcome": "accepted",
            "reason_code": None,
            "split": row["split"],
            "cluster_id": row["cluster_id"],
        }
        for row in iter_rows(files, columns=columns)
    ]
    report = build_dir / QUARANTINE_REPORT
    # lexists, not exists: a dangling link in the report's place is an error, not "none".
    if os.path.lexists(report):
        for number, line in enumerate(read_regular_file(report).splitlines(), start=1):
            if not line.strip():
                continue
            try:
                entry = QuarantineRecord.model_validate(parse_json(line))
            except ValidationError as error:
                first = error.errors(include_url=False)[0]
                where = ".".join(str(part) for part in first["loc"]) or "line"
                raise DatasetError(f"{report}: line {number}: {where}: {first['msg']}") from error
            except ValueError as error:
                raise DatasetError(f"{report}: line {number}: {error}") from error
            inputs.append(
                {
                    "path": entry.source_path,
                    "raw_sha256": entry.raw_sha256,
                    "outcome": "quarantined",
                    "reason_code": entry.reason_code.value,
                }
            )
    return sorted(inputs, key=lambda entry: str(entry["path"]))


def tool_versions() -> dict[str, str]:
    """Return the versions of Python, this package and its runtime dependencies."""
    versions = {"python": platform.python_version()}
    try:
        versions[PACKAGE] = importlib.metadata.version(PACKAGE)
        requirements = importlib.metadata.requires(PACKAGE) or []
    except importlib.metadata.PackageNotFoundError:
        return versions
    for requirement in requirements:
        match = _REQUIREMENT_NAME.match(requirement)
        # Extras (dev, spark) are optional: only what every installation runs is listed.
        if match is None or "extra ==" in requirement:
            continue
        try:
            versions[match.group(0)] = importlib.metadata.version(match.group(0))
        except importlib.metadata.PackageNotFoundError:
            continue
    return dict(sorted(versions.items()))


def render_manifest(
    version: str,
    created: datetime,
    inputs: list[dict[str, Any]],
    files: list[FileEntry],
    settings: dict[str, Any],
) -> str:
    """Return the text of MANIFEST.json.

    Args:
        version: The release version.
        created: When the release was cut (timezone-aware).
        inputs: The raw inputs, from ``raw_inputs``.
        files: Every other file of the release, from ``describe_files``.
        settings: The build settings that decided the data (from the build's record).

    Returns:
        Indented JSON ending with a newline.
    """
    manifest = {
        "version": version,
        "created": created.isoformat(timespec="seconds"),
        "tools": tool_versions(),
        "build_settings": settings,
        "raw_inputs": inputs,
        "files": [asdict(entry) for entry in files],
    }
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def read_manifest(release_dir: Path) -> dict[str, Any]:
    """Read a release's MANIFEST.json.

    Args:
        release_dir: The release folder.

    Returns:
        The parsed manifest.

    Raises:
        DatasetError: When the folder or the manifest is missing, or the manifest is not
            a regular file holding a JSON object with a file list (see ``jsonfile``).
    """
    if not release_dir.is_dir():
        raise DatasetError(f"release folder not found: {release_dir}")
    path = release_dir / RELEASE_MANIFEST
    if not os.path.lexists(path):
        raise DatasetError(f"{release_dir}: no {RELEASE_MANIFEST}")
    manifest = read_json_file(path)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        raise DatasetError(f"{path}: no 'files' list")
    return manifest
