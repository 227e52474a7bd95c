"""Addressed streams: same address, same numbers; any part of the address changes them."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from datasynth.runtime.seeding import stable_id, stream


def test_same_address_same_stream():
    a = stream(42, "journal_entries", 3, "amounts", 1).random(5)
    b = stream(42, "journal_entries", 3, "amounts", 1).random(5)
    assert np.array_equal(a, b)


def test_every_part_of_the_address_matters():
    base = stream(42, "p", 0, "x").random(4)
    for other in (stream(43, "p", 0, "x"), stream(42, "q", 0, "x"), stream(42, "p", 1, "x"),
                  stream(42, "p", 0, "y"), stream(42, "p", 0, "x", 1)):
        assert not np.array_equal(base, other.random(4))


def test_stable_id_does_not_depend_on_the_process():
    code = "from datasynth.runtime.seeding import stable_id; print(stable_id('amounts'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={"PYTHONHASHSEED": "123"}).stdout.strip()
    assert int(out) == stable_id("amounts")
