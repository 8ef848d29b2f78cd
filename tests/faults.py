"""Faults injected into worker processes, importable by name so a spawned worker unpickles them."""

from __future__ import annotations


def explode_chunk(chunk: object) -> object:
    """Stand in for ``process_chunk`` and fail as a broken worker would."""
    raise RuntimeError("a worker failed")
