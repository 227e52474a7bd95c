"""The pieces of journal-entry generation, tested without the runtime."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from datasynth.config.models import LineCountSettings, SeasonalitySettings, TransactionSettings
from datasynth.generators.calendar import build_calendar, period_end
from datasynth.generators.journal_entries.allocation import apportion, split_evenly
from datasynth.generators.journal_entries.amounts import split_totals
from datasynth.generators.journal_entries.line_counts import (
    sample_debit_counts,
    sample_line_counts,
)


def test_line_counts_follow_the_empirical_table():
    counts = sample_line_counts(np.random.default_rng(1), LineCountSettings(), 200_000)
    assert abs((counts == 2).mean() - 0.6068) < 0.005
    assert abs((counts == 4).mean() - 0.1663) < 0.005
    assert abs((counts % 2 == 0).mean() - 0.88) < 0.01
    assert counts.min() >= 2 and counts.max() <= 9999
    assert abs(((counts >= 100) & (counts <= 999)).mean() - 0.0076) < 0.001


def test_debit_counts_leave_both_sides_non_empty():
    rng = np.random.default_rng(2)
    lines = sample_line_counts(rng, LineCountSettings(), 50_000)
    debits = sample_debit_counts(rng, lines, LineCountSettings())
    assert (debits >= 1).all() and (debits <= lines - 1).all()
    assert (debits[lines == 2] == 1).all()
    assert abs((2 * debits == lines).mean() - 0.82) < 0.01
    unequal = 2 * debits != lines
    assert abs((2 * debits[unequal] > lines[unequal]).mean() - 0.07 / 0.18) < 0.02


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 200), st.integers(0, 10**12)), min_size=1, max_size=30),
       st.integers(0, 2**32 - 1))
def test_split_totals_is_exact_and_positive(parts, seed):
    counts = np.array([c for c, _ in parts], dtype=np.int64)
    totals = counts + np.array([extra for _, extra in parts], dtype=np.int64)
    pieces = split_totals(np.random.default_rng(seed), totals, counts)
    assert (pieces >= 1).all()
    assert np.array_equal(np.add.reduceat(pieces, np.cumsum(counts) - counts), totals)


@given(st.integers(0, 10**9), st.lists(st.floats(0.01, 100), min_size=1, max_size=12))
def test_apportion_sums_exactly(total, weights):
    counts = apportion(total, weights)
    assert counts.sum() == total and (counts >= 0).all()
    assert np.all(np.abs(counts - total * np.array(weights) / sum(weights)) < 1 + 1e-6)


def test_split_evenly():
    assert split_evenly(0, 10) == []
    assert split_evenly(25, 10) == [9, 8, 8]
    assert sum(split_evenly(1_000_003, 100_000)) == 1_000_003


def test_calendar_marks_holidays_and_period_ends():
    cal = build_calendar("1000", "US", dt.date(2024, 1, 1), 12, SeasonalitySettings())
    assert cal.num_rows == 366
    days = dict(zip(cal["date"].to_pylist(), cal.to_pylist()))
    assert days[dt.date(2024, 7, 4)]["is_holiday"] and not days[dt.date(2024, 7, 4)][
        "is_business_day"]
    assert days[dt.date(2024, 12, 31)]["weight"] > days[dt.date(2024, 6, 28)]["weight"] \
        > days[dt.date(2024, 6, 12)]["weight"]
    assert days[dt.date(2024, 6, 15)]["weight"] < 0.1       # a Saturday
    german = build_calendar("2000", "DE", dt.date(2024, 1, 1), 12, SeasonalitySettings())
    assert dt.date(2024, 10, 3) in set(german.filter(german["is_holiday"])["date"].to_pylist())


def test_period_end_handles_month_lengths():
    assert period_end(dt.date(2024, 1, 1), 12) == dt.date(2025, 1, 1)
    assert period_end(dt.date(2024, 11, 1), 3) == dt.date(2025, 2, 1)
    cal = build_calendar("1000", "US", dt.date(2024, 11, 1), 3, SeasonalitySettings())
    assert cal["date"].to_pylist()[-1] == dt.date(2025, 1, 31)
    assert set(pc.unique(cal["fiscal_year"]).to_pylist()) == {2024, 2025}


def test_default_settings_match_the_documented_mixes():
    t = TransactionSettings()
    assert t.sources.automated == 0.70 and t.business_processes.O2C == 0.35
