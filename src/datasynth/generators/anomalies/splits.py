"""Machine-learning splits: train, validation and test, without leaking a scheme.

The unit assigned is an anomaly instance (all rows of a scheme go to one set) or a normal
entry. ``stratified`` shuffles the units of each stratum (normal, and each anomaly type) and
cuts them by the configured shares, so every set holds each type in proportion; ``time``
orders the units of each stratum by their first date and gives the earliest to training and
the latest to test, so a model is tested on periods it never saw.
"""

from __future__ import annotations

import numpy as np

from datasynth.generators.common.sampling import apportion


def assign(rng: np.random.Generator, settings, stratum: np.ndarray,
           first_day: np.ndarray) -> np.ndarray:
    """Split index (0 train, 1 validation, 2 test) of each unit."""
    shares = [settings.train, settings.validation, settings.test]
    out = np.zeros(len(stratum), np.int64)
    for s in np.unique(stratum):
        units = np.flatnonzero(stratum == s)
        if settings.method == "time":
            units = units[np.lexsort((units, first_day[units]))]
        else:
            units = rng.permutation(units)
        counts = apportion(len(units), shares)
        out[units] = np.repeat(np.arange(3), counts)
    return out
