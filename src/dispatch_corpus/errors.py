"""The one error model: every error the package raises on purpose, by what the caller does.

``CannotRunError`` means the command could not do its job (a missing folder, an unreadable
or malformed file, a refused output path, a missing extra): exit code 2. ``RefusedError``
means the command ran and said no (a check failed, a release was refused): exit code 1.
Nothing else is raised on purpose; ``cli.py`` maps the two classes to exit codes once.
"""

from __future__ import annotations

from typing import ClassVar

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_CANNOT_RUN = 2


class DispatchCorpusError(Exception):
    """Root of the package's errors; ``str(error)`` is one line for the user."""

    exit_code: ClassVar[int] = EXIT_CANNOT_RUN

    def __str__(self) -> str:
        # Messages quote file contents and OS errors: keep them on one console line.
        return " ".join(super().__str__().split())


class CannotRunError(DispatchCorpusError):
    """The command could not do its job; nothing was changed (exit code 2)."""

    exit_code: ClassVar[int] = EXIT_CANNOT_RUN


class RefusedError(DispatchCorpusError):
    """A check failed or a request was refused; nothing was changed (exit code 1)."""

    exit_code: ClassVar[int] = EXIT_REFUSED


# Also a ValueError: the parsers raised ValueError before this class existed, and their
# callers catch ValueError.
class MalformedInputError(CannotRunError, ValueError):
    """One input cannot be used: bytes that are not text, a JSON text or a metadata line.

    The pure core raises it for one input; its caller turns it into a quarantine row (a
    dispatch, a sidecar line) or a one-line error naming the file (a manifest, a suite).
    """


class DatasetError(CannotRunError):
    """A dataset folder (a build or a release) is missing, incomplete or unreadable."""
