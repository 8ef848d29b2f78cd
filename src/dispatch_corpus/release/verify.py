"""Recheck a release folder against its MANIFEST.json: every file's sha256, size and rows.

The manifest is the reference. ``croissant.json`` and the card's ``configs`` must describe
the same Parquet files: every FileObject's sha256 and size equal the manifest's, and both
name exactly the manifest's Parquet files. A rewritten shard with a rewritten manifest
entry is caught by the Croissant file, which still holds the old sha256.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from dispatch_corpus.dataset.buildrecord import file_sha256
from dispatch_corpus.dataset.jsonfile import read_regular_file
from dispatch_corpus.dataset.layout import CARD_FILE, CROISSANT_FILE, DATA_DIR, RELEASE_MANIFEST
from dispatch_corpus.dataset.reader import count_rows
from dispatch_corpus.errors import DatasetError
from dispatch_corpus.models import TABLE_MODELS
from dispatch_corpus.release.manifest import read_manifest
from dispatch_corpus.utils.jsontext import parse_json
from dispatch_corpus.utils.numbers import count
from dispatch_corpus.utils.values import printable, shown

MAX_DATA_FILES = 100
"""Most ``data_files`` patterns the card, and ``includes`` patterns croissant.json, may
declare (a YAML alias can repeat a list; each pattern is matched against every file)."""
_FILE_OBJECT = "cr:FileObject"
_FILE_SET = "cr:FileSet"
_SHOWN_CHARS = 80


@dataclass(frozen=True)
class Verification:
    """Outcome of verifying one release folder."""

    release_dir: Path
    version: str
    files: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether every file matched the manifest and no file was added."""
        return not self.problems


def verify_release(release_dir: Path, expected_version: str | None = None) -> Verification:
    """Recheck every file listed in a release's manifest, and look for unlisted files.

    Args:
        release_dir: A release folder holding ``MANIFEST.json``.
        expected_version: The version the manifest must name (default: the folder name).

    Returns:
        The verification, with one line per problem found.

    Raises:
        DatasetError: When the folder has no readable manifest.
    """
    manifest = read_manifest(release_dir)
    version = str(manifest.get("version", ""))
    problems: list[str] = []
    expected = release_dir.name if expected_version is None else expected_version
    if version != expected:
        problems.append(f"{RELEASE_MANIFEST}: version {version!r}, expected {expected!r}")
    listed: set[str] = set()
    for entry in manifest["files"]:
        problem = _check_entry(release_dir, entry)
        if isinstance(entry, dict):
            listed.add(str(entry.get("path")))
        if problem is not None:
            problems.append(problem)
    for path in sorted(release_dir.rglob("*")):
        relative = path.relative_to(release_dir).as_posix()
        if path.is_file() and relative != RELEASE_MANIFEST and relative not in listed:
            problems.append(f"{printable(relative)}: not in {RELEASE_MANIFEST}")
    entries = {
        entry["path"]: entry
        for entry in manifest["files"]
        if isinstance(entry, dict) and isinstance(entry.get("path"), str)
    }
    problems += _check_croissant(release_dir, entries)
    problems += _check_card(release_dir, entries)
    return Verification(release_dir, version, len(manifest["files"]), tuple(problems))


def _amount(value: object) -> object:
    """A count read from a manifest, written as every count is; any other value as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return count(value)
    return shown(value)


def _check_entry(root: Path, entry: Any) -> str | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        return f"{RELEASE_MANIFEST}: malformed file entry {shown(entry)}"
    relative = PurePosixPath(entry["path"])
    name = printable(str(relative))
    # A hostile manifest must not make verify read a file outside the release folder.
    if relative.is_absolute() or ".." in relative.parts or "\0" in entry["path"]:
        return f"{name}: path leaves the release folder"
    path = root / relative
    try:
        if not path.is_file():
            return f"{name}: missing"
        # The size first: a file of another size is not hashed.
        size = path.stat().st_size
        if size != entry.get("bytes"):
            return f"{name}: {count(size)} bytes, manifest says {_amount(entry.get('bytes'))}"
        digest = file_sha256(path)
        if digest != entry.get("sha256"):
            return f"{name}: sha256 {digest} does not match the manifest"
        if path.suffix == ".parquet" and (rows := count_rows(path)) != entry.get("rows"):
            return f"{name}: {count(rows)} rows, manifest says {_amount(entry.get('rows'))}"
    except DatasetError as error:
        return str(error).replace(str(path), name, 1)
    except OSError as error:
        return f"{name}: cannot read ({error.strerror or error})"
    return None


def _check_croissant(root: Path, entries: Mapping[str, dict[str, Any]]) -> list[str]:
    """Compare the FileObjects and FileSets of ``croissant.json`` with the manifest's entries."""
    document = _read_json(root / CROISSANT_FILE, CROISSANT_FILE in entries)
    if isinstance(document, str):
        return [document] if document else []
    distribution = document.get("distribution")
    if not isinstance(distribution, list):
        return [f"{CROISSANT_FILE}: no 'distribution' list"]
    problems = []
    described = set()
    budget = MAX_DATA_FILES
    for item in distribution:
        if isinstance(item, dict) and item.get("@type") == _FILE_SET and budget >= 0:
            includes = item.get("includes")
            patterns = _patterns(includes, budget) if isinstance(includes, str | list) else None
            name = f"{CROISSANT_FILE}: FileSet {_shown(item.get('@id'))}"
            if patterns is None:
                problems.append(f"{name} has malformed or too many includes")
            problems += [f"{name} includes {p}" for p in _pattern_problems(patterns, entries)]
            budget -= len(patterns) if patterns is not None else MAX_DATA_FILES + 1
        if not isinstance(item, dict) or item.get("@type") != _FILE_OBJECT:
            continue
        url = item.get("contentUrl")
        entry = entries.get(url) if isinstance(url, str) else None
        if entry is None:
            problems.append(
                f"{CROISSANT_FILE}: FileObject {_shown(url)} is not a file of {RELEASE_MANIFEST}"
            )
            continue
        described.add(url)
        if item.get("sha256") != entry.get("sha256"):
            problems.append(
                f"{CROISSANT_FILE}: {url} has sha256 {_shown(item.get('sha256'))}, "
                f"{RELEASE_MANIFEST} says {_shown(entry.get('sha256'))}"
            )
        if item.get("contentSize") != f"{entry.get('bytes')} B":
            problems.append(
                f"{CROISSANT_FILE}: {url} has contentSize {_shown(item.get('contentSize'))}, "
                f"{RELEASE_MANIFEST} says {_amount(entry.get('bytes'))} bytes"
            )
    problems += [
        f"{CROISSANT_FILE}: {path} of {RELEASE_MANIFEST} is not a FileObject"
        for path in sorted(_parquet(entries) - described)
    ]
    return problems


def _check_card(root: Path, entries: Mapping[str, dict[str, Any]]) -> list[str]:
    """Check that the card's ``configs`` name exactly the manifest's Parquet files."""
    import yaml

    path = root / CARD_FILE
    if not path.is_file():
        return [] if CARD_FILE in entries else [f"{CARD_FILE}: missing"]
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as error:
        return [f"{CARD_FILE}: cannot be read ({_one_line(error)})"]
    ends = [i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---"][:1]
    if not lines or lines[0].rstrip() != "---" or not ends:
        return [f"{CARD_FILE}: no YAML header between --- lines"]
    try:
        header = yaml.safe_load("\n".join(lines[1 : ends[0]]))
    except (yaml.YAMLError, RecursionError, ValueError) as error:
        # PyYAML composes nodes recursively: a deeply nested header raises RecursionError.
        return [f"{CARD_FILE}: YAML header is not valid ({_one_line(error)})"]
    configs = header.get("configs") if isinstance(header, dict) else None
    if not isinstance(configs, list) or not configs:
        return [f"{CARD_FILE}: no 'configs' list in the YAML header"]
    if len(configs) > MAX_DATA_FILES:
        return [f"{CARD_FILE}: {len(configs)} configs, more than {MAX_DATA_FILES}"]
    problems: list[str] = []
    parquet = _parquet(entries)
    named: set[str] = set()
    budget = MAX_DATA_FILES
    for config in configs:
        name = config.get("config_name") if isinstance(config, dict) else None
        if not isinstance(name, str):
            problems.append(f"{CARD_FILE}: a config without a config_name")
            continue
        patterns = _patterns(config.get("data_files"), budget)
        if patterns is None:
            problems.append(f"{CARD_FILE}: config {name!r} has malformed or too many data_files")
            continue
        budget -= len(patterns)
        problems += [
            f"{CARD_FILE}: config {name!r} data_files {p}"
            for p in _pattern_problems(patterns, entries)
        ]
        matched = {p for p in parquet if any(_glob_match(pattern, p) for pattern in patterns)}
        table = f"{DATA_DIR}/{name}/"
        if name in TABLE_MODELS and matched != {p for p in parquet if p.startswith(table)}:
            problems.append(
                f"{CARD_FILE}: config {name!r} does not name exactly the {table} files of "
                f"{RELEASE_MANIFEST}"
            )
        named |= matched
    problems += [
        f"{CARD_FILE}: {path} of {RELEASE_MANIFEST} is in no config"
        for path in sorted(parquet - named)
    ]
    return problems


def _pattern_problems(patterns: list[str] | None, entries: Mapping[str, Any]) -> list[str]:
    """Say which patterns name no file of the manifest, or a file that is not Parquet."""
    problems = []
    for pattern in patterns or ():
        found = {path for path in entries if _glob_match(pattern, path)}
        if not found or not found <= _parquet(entries):
            which = "no" if not found else "other than"
            problems.append(f"{_shown(pattern)} names {which} Parquet files of {RELEASE_MANIFEST}")
    return problems


def _read_json(path: Path, listed: bool) -> dict[str, Any] | str:
    """Return a JSON object file's content, or its problem ('' when the manifest check has it)."""
    if not path.is_file():
        return "" if listed else f"{path.name}: missing"
    try:
        document = parse_json(read_regular_file(path))
    except DatasetError as error:
        return str(error).replace(str(path), path.name, 1)
    except ValueError as error:
        return f"{path.name}: {error}"
    if not isinstance(document, dict):
        return f"{path.name}: not a JSON object"
    return document


def _patterns(data_files: Any, budget: int) -> list[str] | None:
    """Return the path patterns of a config's ``data_files`` (None: malformed or too many)."""
    if isinstance(data_files, str):
        return [data_files]
    if isinstance(data_files, dict):
        values = list(data_files.values())
    elif isinstance(data_files, list):
        values = data_files
    else:
        return None
    patterns: list[str] = []
    for value in values[: budget + 1]:
        paths = value.get("path") if isinstance(value, dict) else value
        paths = [paths] if isinstance(paths, str) else paths
        if not isinstance(paths, list) or len(patterns) + len(paths) > budget:
            return None
        if not all(isinstance(p, str) for p in paths):
            return None
        patterns += paths
    return patterns if len(values) <= budget else None


def _glob_match(pattern: str, path: str) -> bool:
    """Whether a ``data_files`` glob names ``path``.

    ``*`` and ``?`` stay within one folder, a ``**`` segment spans any number of folders,
    anything else is literal. No regular expression: the time stays polynomial whatever the
    pattern.
    """
    wanted, parts = pattern.split("/"), path.split("/")
    seen: dict[tuple[int, int], bool] = {}

    def match(i: int, j: int) -> bool:
        if (i, j) not in seen:
            if i == len(wanted):
                seen[i, j] = j == len(parts)
            elif wanted[i] == "**":
                seen[i, j] = any(match(i + 1, k) for k in range(j, len(parts) + 1))
            else:
                seen[i, j] = (
                    j < len(parts) and _segment_match(wanted[i], parts[j]) and match(i + 1, j + 1)
                )
        return seen[i, j]

    return match(0, 0)


def _segment_match(pattern: str, text: str) -> bool:
    """Match one folder level with ``*`` and ``?`` (greedy, one backtrack point: O(n * m))."""
    p = t = 0
    star, mark = -1, 0
    while t < len(text):
        if p < len(pattern) and pattern[p] in ("?", text[t]) and pattern[p] != "*":
            p, t = p + 1, t + 1
        elif p < len(pattern) and pattern[p] == "*":
            star, mark, p = p, t, p + 1
        elif star >= 0:
            mark += 1
            p, t = star + 1, mark
        else:
            return False
    return all(char == "*" for char in pattern[p:])


def _parquet(entries: Mapping[str, dict[str, Any]]) -> set[str]:
    return {path for path in entries if path.endswith(".parquet")}


def _shown(value: object) -> str:
    """Show a value read from a file on one short line (a string quoted, else its type)."""
    if isinstance(value, str):
        text = repr(value)
        return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."
    if value is None or isinstance(value, int | float | bool):
        return repr(value)
    return f"a JSON {type(value).__name__}"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:200]
