"""Errors raised by the release commands, each carrying a one-line message."""

from __future__ import annotations


class ReleaseError(Exception):
    """A release, diff or verify request was refused; nothing was changed."""


class PublishError(Exception):
    """A release could not be published (no token, offline, or the Hub refused)."""
