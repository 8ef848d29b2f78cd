"""Errors raised by the release commands, each carrying a one-line message."""

from __future__ import annotations

from dispatch_corpus.errors import CannotRunError, RefusedError


class ReleaseError(RefusedError):
    """A release, diff or verify request was refused; nothing was changed."""


class BuildChangedError(ReleaseError):
    """A build's files changed after the build (its ``BUILD.json`` no longer matches them)."""


class PublishError(CannotRunError):
    """A release could not be published (no token, offline, or the Hub refused)."""
