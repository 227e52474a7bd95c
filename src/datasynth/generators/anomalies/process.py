"""Process issues: controls skipped or bent, postings at odd times (domain study §8.1
ProcessIssue)."""

from __future__ import annotations

import numpy as np

from datasynth.generators.anomalies.context import GOODS


def weekend_posting(inj, rng: np.random.Generator, count: int) -> None:
    """An entry posted on the Saturday or Sunday of its own week, inside its month (so the
    period and every period-end reconciliation stay as they were). Goods movements keep
    their dates: the stock replay follows them."""
    day = inj.posting_day
    weekday = (day + 3) % 7                       # 1970-01-01 was a Thursday: Monday = 0
    saturday = day + (5 - weekday)
    month = day.astype("datetime64[D]").astype("datetime64[M]")
    target = saturday + rng.integers(0, 2, len(day))
    same_month = target.astype("datetime64[D]").astype("datetime64[M]") == month
    eligible = (weekday < 5) & same_month & (target >= inj.document_day) \
        & ~np.isin(inj.document_type, GOODS)
    flat = inj.pick(rng, eligible, count)
    if len(flat) == 0:
        return
    inj.set_entry(flat, "posting_day", target[flat])
    inj.label_entries("weekend_posting", flat, inj.new_schemes(len(flat)))


INJECTORS = {"weekend_posting": weekend_posting}
