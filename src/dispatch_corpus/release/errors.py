"""Errors raised by the release commands, each carrying a one-line message."""

from __future__ import annotations

from dispatch_corpus.errors import CannotRunError, RefusedError


class ReleaseError(RefusedError):
    """A release, diff or verify request was refused; nothing was changed."""


class PublishError(CannotRunError):
    """A release could not be published (no token, offline, or the Hub refused)."""
