"""Addressed random streams (DESIGN §1.3).

A stream is named by ``(phase, shard, purpose)`` plus optional integers, never by the order in
which things happen to run::

    default_rng(SeedSequence(root_seed, spawn_key=(crc32(phase), shard, crc32(purpose), ...)))

``crc32`` is stable across processes and Python versions, unlike the salted ``hash()``. The
same address always yields the same numbers, so output does not depend on the number of
workers, the executor, or the order in which shards finish.
"""

from __future__ import annotations

import zlib

import numpy as np


def stable_id(name: str) -> int:
    """A 32-bit id for a name that is the same in every process and Python version."""
    return zlib.crc32(name.encode("utf-8"))


def stream(root_seed: int, phase: str, shard: int, purpose: str, *extra: int) -> np.random.Generator:
    """The random generator at address ``(phase, shard, purpose, *extra)``."""
    key = (stable_id(phase), int(shard), stable_id(purpose), *(int(e) for e in extra))
    return np.random.default_rng(np.random.SeedSequence(root_seed, spawn_key=key))


#: Shard number used for draws a phase makes while planning its shards.
PLAN_SHARD = 2**31 - 1
