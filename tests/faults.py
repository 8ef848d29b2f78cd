"""Faults injected into worker processes, importable by name so a spawned worker unpickles them."""

from __future__ import annotations

import multiprocessing.synchronize


def explode_chunk(chunk: object) -> object:
    """Stand in for ``process_chunk`` and fail as a broken worker would."""
    raise RuntimeError("a worker failed")


def hold_memory(
    megabytes: int,
    ready: multiprocessing.synchronize.Event,
    done: multiprocessing.synchronize.Event,
) -> None:
    """Touch ``megabytes`` of memory, say so, and keep it until told to stop (at most 60 s)."""
    block = bytearray(megabytes * 2**20)
    block[::4096] = b"x" * len(block[::4096])
    ready.set()
    done.wait(60)
