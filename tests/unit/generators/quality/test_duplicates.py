"""Duplicates: rows picked at the rate; near duplicates differ by one small, real change."""

from __future__ import annotations

import numpy as np
import pytest

from datasynth.generators.quality import duplicates
from tests.unit.generators.quality.edits import distance


def test_pick_rate_and_near_share():
    rows, near = duplicates.pick(np.random.default_rng(1), 100_000, 0.02, 0.6)
    assert (np.diff(rows) > 0).all()
    assert len(rows) / 100_000 == pytest.approx(0.02, abs=0.002)
    assert near.mean() == pytest.approx(0.6, abs=0.04)


def test_near_values_are_small_real_changes():
    values = ["Ostsee Elektronik AG", "513 Hill Street", "EA", "ACME", "miller"] * 200
    out = duplicates.near_values(np.random.default_rng(2), values)
    kinds = set()
    for value, new in zip(values, out):
        assert new != value
        if new.strip() == value and len(new) == len(value) + 1:
            kinds.add("whitespace")
        elif new.lower() == value.lower() or new == value.title():
            kinds.add("case")
        else:
            assert distance(value, new) <= 2 or new.replace("  ", " ") == value
            kinds.add("typo")
    assert kinds == {"whitespace", "case", "typo"}


def test_whitespace_and_case_helpers():
    assert duplicates.whitespace("a b", 0.0, 0.0) == " a b"
    assert duplicates.whitespace("a b", 0.5, 0.0) == "a b "
    assert duplicates.whitespace("a b", 0.9, 0.0) == "a  b"
    assert duplicates.recase("ACME", 0.0) == "acme"
