"""Where the tool may write: an output folder is new, empty, or provably its own (I/O).

The tool replaces or writes into a folder only when it can prove the folder is its own: a
build holds ``BUILD.json`` (``buildrecord``), a release ``MANIFEST.json``, a validation report
``REPORT.json``, a staging folder ``STAGING.json`` (``atomic``). Any other non-empty folder is
someone else's, and so is any file the tool did not write inside one of its own folders:
the command is refused (exit code 2) before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from dispatch_corpus.dataset.atomic import is_staging_folder, read_marker
from dispatch_corpus.dataset.buildrecord import BuildRecord, read_build_record
from dispatch_corpus.dataset.layout import (
    BUILD_RECORD,
    RELEASE_MANIFEST,
    REPORT_MARKER,
    REPORTS_DIR,
)
from dispatch_corpus.errors import CannotRunError, DatasetError

REPORT_KIND = "validation-report"
# Writing inside a repository's own database (.git/...) could corrupt the repository.
_VCS_FOLDERS = frozenset({".git", ".hg", ".svn"})
_SHOWN = 3
"""Foreign files named in a refusal (the rest are counted)."""


class OutputPathError(CannotRunError):
    """An output folder was refused: writing there could destroy or mix with other files."""


class NotABuildError(DatasetError):
    """A folder given as a build is not a build of dispatch-corpus (no ``BUILD.json``)."""


def is_release(folder: Path) -> bool:
    """Whether ``folder`` is a release: it holds a ``MANIFEST.json`` file.

    The file is not parsed: a damaged manifest still marks a release, which the tool must
    not write into (and a release's manifest lists every input, so it may be large).
    """
    path = folder / RELEASE_MANIFEST
    return not path.is_symlink() and path.is_file()


def require_build(folder: Path) -> BuildRecord:
    """Return the record of a build folder, refusing a folder that is not a build.

    Args:
        folder: The folder given as a build.

    Returns:
        Its ``BUILD.json`` record.

    Raises:
        DatasetError: When the folder does not exist.
        NotABuildError: When it has no ``BUILD.json`` of dispatch-corpus.
    """
    if not folder.is_dir():
        raise DatasetError(f"build folder not found: {folder}")
    record = read_build_record(folder)
    if record is not None:
        return record
    if is_release(folder):
        raise NotABuildError(f"{folder} is a release, not a build; release a build folder")
    raise NotABuildError(
        f"{folder} is not a build of dispatch-corpus (no valid {BUILD_RECORD}); "
        "build it with dispatch-corpus build"
    )


def check_build_out(out: Path, corpus: Path) -> None:
    """Refuse a dataset folder that a build must not create or replace.

    Allowed: a new folder, an empty one, or an earlier build holding only the files builds
    and validation wrote. Refused: a symbolic link, a file, the corpus or a folder inside
    it or holding it, the current folder or one of its parents, a folder inside a release,
    a build or a version-control folder, a release, and any other non-empty folder.

    Args:
        out: The dataset folder to write.
        corpus: The corpus folder it is built from.

    Raises:
        OutputPathError: When ``out`` is refused.
    """
    what = f"dataset folder {out}"
    _refuse_corpus(out, corpus, what, containing=True)
    _refuse_link_file_or_cwd(out, what)
    for owner in _owners(out):
        if is_release(owner):
            raise OutputPathError(f"refusing {what}: it is inside the release folder {owner}")
        if read_build_record(owner) is not None:
            raise OutputPathError(f"refusing {what}: it is inside the build folder {owner}")
    if not _exists_with_entries(out, what):
        return
    if is_release(out):
        raise OutputPathError(f"refusing {what}: it is a release, and releases are never replaced")
    record = read_build_record(out)
    if record is None:
        raise OutputPathError(
            f"refusing {what}: it holds files that dispatch-corpus did not write (no "
            f"{BUILD_RECORD}); give a new or empty folder"
        )
    _refuse_foreign(out, _foreign_in_build(out, record), what)


def check_report_dir(
    report_dir: Path, corpus: Path | None = None, releases_dir: Path | None = None
) -> None:
    """Refuse a validation report folder that validation must not create or replace.

    Allowed: a new folder, an empty one, or an earlier report folder holding only its
    report files, outside any release and, inside a build, only under its ``reports/``.
    Refused as well: a symbolic link, a file, the current folder or one of its parents, a
    folder in or holding the corpus, in a version-control folder, and any other non-empty
    folder.

    Args:
        report_dir: Where the report goes.
        corpus: The corpus of the dataset validated, when known.
        releases_dir: A folder of releases the report must stay out of, when known.

    Raises:
        OutputPathError: When ``report_dir`` is refused.
    """
    what = f"report folder {report_dir}"
    if corpus is not None:
        _refuse_corpus(report_dir, corpus, what, containing=True)
    if releases_dir is not None and _within(report_dir, releases_dir):
        raise OutputPathError(
            f"refusing {what}: it is in the releases folder {releases_dir}, which holds "
            "releases only"
        )
    _refuse_link_file_or_cwd(report_dir, what)
    resolved = _resolve(report_dir, what)
    for owner in _owners(report_dir, include_self=True):
        if is_release(owner):
            raise OutputPathError(
                f"refusing {what}: it is {_in(owner, resolved)}the release folder {owner}, and "
                "releases are read-only"
            )
        if read_build_record(owner) is not None:
            parts = resolved.relative_to(owner).parts
            # Below reports/, never reports/ itself: replacing that folder would take the
            # build's quarantine.jsonl with it.
            if len(parts) < 2 or parts[0] != REPORTS_DIR:
                raise OutputPathError(
                    f"refusing {what}: inside the build folder {owner}, reports go under "
                    f"{owner / REPORTS_DIR}/"
                )
    if not _exists_with_entries(report_dir, what):
        return
    marker = read_marker(report_dir / REPORT_MARKER, REPORT_KIND)
    if marker is None:
        raise OutputPathError(
            f"refusing {what}: it holds files that dispatch-corpus did not write (no "
            f"{REPORT_MARKER}); give a new or empty folder"
        )
    _refuse_foreign(report_dir, _foreign_in_report(report_dir, marker), what)


def check_releases_dir(releases_dir: Path, build: Path, corpus: Path | None = None) -> None:
    """Refuse a releases folder that a release must not be written into.

    Allowed: a new folder, or one holding only releases (and staging folders of the tool),
    outside the build, the corpus, any release and any version-control folder.

    Args:
        releases_dir: The folder of one folder per release.
        build: The build being released.
        corpus: The corpus the build was made from, when known.

    Raises:
        OutputPathError: When ``releases_dir`` is refused.
    """
    what = f"releases folder {releases_dir}"
    if releases_dir.exists() and not releases_dir.is_dir():
        raise OutputPathError(f"refusing {what}: it is a file, not a folder")
    if _within(releases_dir, build):
        raise OutputPathError(f"refusing {what}: it is the build folder {build} or inside it")
    if corpus is not None:
        _refuse_corpus(releases_dir, corpus, what, containing=False)
    _refuse_version_control(releases_dir, what)
    resolved = _resolve(releases_dir, what)
    for owner in _owners(releases_dir, include_self=True):
        if is_release(owner):
            raise OutputPathError(
                f"refusing {what}: it is {_in(owner, resolved)}the release folder {owner}"
            )
        if read_build_record(owner) is not None:
            raise OutputPathError(
                f"refusing {what}: it is {_in(owner, resolved)}the build folder {owner}"
            )
    if not releases_dir.is_dir():
        return
    foreign = [
        entry.name
        for entry in _entries(releases_dir, what)
        if entry.is_symlink() or not (is_release(entry) or is_staging_folder(entry))
    ]
    if foreign:
        raise OutputPathError(
            f"refusing {what}: it holds {_names(foreign)}, not releases; give a folder "
            "that holds releases only"
        )


def _refuse_corpus(path: Path, corpus: Path, what: str, *, containing: bool) -> None:
    if _within(path, corpus):
        where = "the corpus" if _within(corpus, path) else "inside the corpus"
        raise OutputPathError(f"refusing {what}: it is {where} folder {corpus}")
    if containing and _within(corpus, path):
        raise OutputPathError(f"refusing {what}: it holds the corpus folder {corpus}")


def _refuse_link_file_or_cwd(path: Path, what: str) -> None:
    if path.is_symlink():
        raise OutputPathError(f"refusing {what}: it is a symbolic link; give a real folder")
    if path.exists() and not path.is_dir():
        raise OutputPathError(f"refusing {what}: it is a file, not a folder")
    # Publishing swaps the whole folder: the current folder, or one holding it, would be
    # moved away from under the user.
    if _within(Path.cwd(), path):
        raise OutputPathError(f"refusing {what}: it is the current folder or one of its parents")
    _refuse_version_control(path, what)


def _refuse_version_control(path: Path, what: str) -> None:
    if _VCS_FOLDERS.intersection(_resolve(path, what).parts):
        raise OutputPathError(f"refusing {what}: it is inside a version-control folder")


def _refuse_foreign(folder: Path, foreign: list[str], what: str) -> None:
    if foreign:
        raise OutputPathError(
            f"refusing {what}: it holds files that dispatch-corpus did not write "
            f"({_names(foreign)}); move them away or give another folder"
        )


def _in(owner: Path, resolved: Path) -> str:
    return "" if owner == resolved else "inside "


def _owners(path: Path, *, include_self: bool = False) -> list[Path]:
    """Return the existing folders holding ``path`` (resolved), nearest first."""
    resolved = _resolve(path, str(path))
    candidates = [resolved, *resolved.parents] if include_self else list(resolved.parents)
    return [folder for folder in candidates if folder.is_dir()]


def _within(path: Path, folder: Path) -> bool:
    """Whether ``path`` is ``folder`` or inside it.

    Compares resolved paths (symbolic links followed), then the identity of the existing
    folders holding ``path``, which also catches a bind mount of ``folder``.
    """
    try:
        resolved, base = path.resolve(), folder.resolve()
    except (OSError, RuntimeError):
        return False
    if resolved == base or base in resolved.parents:
        return True
    try:
        identity = base.stat()
    except OSError:
        return False
    for candidate in (resolved, *resolved.parents):
        try:
            found = candidate.stat()
        except OSError:
            continue
        if (found.st_dev, found.st_ino) == (identity.st_dev, identity.st_ino):
            return True
    return False


def _resolve(path: Path, what: str) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError) as error:
        raise OutputPathError(f"refusing {what}: cannot resolve it ({error})") from error


def _entries(folder: Path, what: str) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError as error:
        raise OutputPathError(f"refusing {what}: cannot list it ({error.strerror})") from error


def _exists_with_entries(folder: Path, what: str) -> bool:
    return folder.is_dir() and bool(_entries(folder, what))


def _foreign_in_build(root: Path, record: BuildRecord) -> list[str]:
    """Files of a build folder that no build or validation of the tool wrote."""
    ours = {*record.files, BUILD_RECORD}
    foreign = []
    for folder, subfolders, names in os.walk(root):
        here = Path(folder)
        kept = []
        for name in subfolders:
            path = here / name
            if path.is_symlink():
                foreign.append(path)
            # Skipped, being the tool's: a report is staged beside its folder, under reports/.
            elif not is_staging_folder(path):
                marker = read_marker(path / REPORT_MARKER, REPORT_KIND)
                if marker is None:
                    kept.append(name)
                else:
                    foreign += [path / entry for entry in _foreign_in_report(path, marker)]
        subfolders[:] = kept
        foreign += [
            here / name for name in names if (here / name).relative_to(root).as_posix() not in ours
        ]
    return sorted(path.relative_to(root).as_posix() for path in foreign)


def _foreign_in_report(folder: Path, marker: dict[str, object]) -> list[str]:
    """Entries of a report folder that are not the report's own files."""
    listed = marker.get("files")
    ours = {REPORT_MARKER, *(listed if isinstance(listed, list) else ())}
    return [
        entry.name
        for entry in _entries(folder, str(folder))
        if entry.name not in ours or entry.is_symlink() or not entry.is_file()
    ]


def _names(names: Iterable[str]) -> str:
    shown = sorted(names)
    more = f" and {len(shown) - _SHOWN} more" if len(shown) > _SHOWN else ""
    return ", ".join(shown[:_SHOWN]) + more
