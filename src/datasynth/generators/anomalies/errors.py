"""Errors: honest mistakes in the books (domain study §8.1 ErrorType). Each keeps the entry
balanced except ``unbalanced_entry``; amounts change only on entries no subledger replays
(see mutations.safe_for_amounts)."""

from __future__ import annotations

import numpy as np

from datasynth.generators.anomalies.mutations import safe_for_amounts, set_totals


def decimal_shift(inj, rng: np.random.Generator, count: int) -> None:
    """An amount keyed with the decimal point in the wrong place: x10 or x100, or /10."""
    flat = inj.pick(rng, safe_for_amounts(inj) & (inj.amount >= 1000), count)
    if len(flat) == 0:
        return
    factor = rng.choice(np.array([10.0, 100.0, 0.1]), len(flat), p=[0.6, 0.2, 0.2])
    old = inj.amount[flat].copy()
    new = np.maximum(np.rint(old * factor), 1).astype(np.int64)
    set_totals(inj, flat, new)
    inj.label_entries("decimal_shift", flat, inj.new_schemes(len(flat)), np.abs(new - old))


INJECTORS = {"decimal_shift": decimal_shift}
