"""Assemble standalone journal entries, one vectorised chunk at a time.

Everything is decided per entry first (lines, process, source, rule, date, time, creator),
then expanded to lines with ``np.repeat``; accounts, cost centers and amounts are drawn per
line in single vectorised calls. Each draw has its own addressed stream, so changing one
aspect of generation does not shift the random numbers of the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from datasynth.config.models import TransactionSettings
from datasynth.generators.common.arrow import (
    constant_dictionary,
    dates,
    dictionary,
    padded_ids,
    timestamps_us,
)
from datasynth.generators.common.sampling import choice
from datasynth.generators.journal_entries.amounts import sample_line_amounts, split_totals
from datasynth.generators.journal_entries.line_counts import (
    sample_debit_counts,
    sample_line_counts,
)
from datasynth.generators.journal_entries.people import SOURCES, CompanyDirectory
from datasynth.generators.journal_entries.postings import PROCESSES, PostingModel
from datasynth.generators.journal_entries.timing import (
    sample_document_lag,
    sample_posting_days,
    sample_seconds_of_day,
)
from datasynth.generators.ledger.journal import local_currency_columns
from datasynth.money import to_decimal
from datasynth.schemas.journal_entries import JOURNAL_ENTRIES

Streams = Callable[[str], np.random.Generator]
_HUMAN_SOURCES = np.array([s in ("manual", "adjustment") for s in SOURCES])


@dataclass(frozen=True)
class PeriodContext:
    """What is fixed for one company and one fiscal period."""

    company_code: str
    currency: str
    exponent: int
    minor_per_usd: float
    fiscal_year: int
    fiscal_period: int
    days: np.ndarray          # days since the epoch of the period's calendar days
    day_weights: np.ndarray
    header_texts: pa.Array    # dictionary values: every rule's texts for this period
    text_offsets: np.ndarray  # first header text of each rule
    text_counts: np.ndarray


@dataclass(frozen=True)
class ChartContext:
    account_numbers: pa.Array
    account_names: pa.Array
    requires_cost_center: np.ndarray


def generate_entries(streams: Streams, count: int, first_sequence: int,
                     settings: TransactionSettings, model: PostingModel, chart: ChartContext,
                     people: CompanyDirectory, period: PeriodContext) -> pa.RecordBatch:
    """``count`` balanced entries numbered from ``first_sequence``, as journal lines."""
    # ---- per entry -----------------------------------------------------------------------
    n_lines = sample_line_counts(streams("line_counts"), settings.line_counts, count)
    n_debit = sample_debit_counts(streams("debit_split"), n_lines, settings.line_counts)
    process = choice(streams("process"), list(settings.business_processes.model_dump().values()),
                     count)
    source = choice(streams("source"), [getattr(settings.sources, s) for s in SOURCES], count)
    rule = model.rule_choice.sample(streams("rule"), process.astype(np.int64))
    posting_day = sample_posting_days(streams("posting_date"), period.days, period.day_weights,
                                      count)
    seconds = sample_seconds_of_day(streams("time_of_day"), _HUMAN_SOURCES[source])
    order = np.lexsort((seconds, posting_day))        # number documents in time order
    n_lines, n_debit, process, source, rule = (a[order] for a in
                                               (n_lines, n_debit, process, source, rule))
    posting_day, seconds = posting_day[order], seconds[order]
    document_day = posting_day - sample_document_lag(streams("document_lag"), process)
    creator = people.creator_choice.sample(streams("created_by"),
                                           process.astype(np.int64) * len(SOURCES) + source)
    text_rng = streams("header_text")
    header = period.text_offsets[rule] + np.floor(
        text_rng.random(count) * period.text_counts[rule]).astype(np.int64)
    rounded = _HUMAN_SOURCES[source] & (streams("rounding").random(count)
                                        < settings.amounts.round_share)

    # ---- per line ------------------------------------------------------------------------
    entry = np.repeat(np.arange(count), n_lines)
    starts = np.cumsum(n_lines) - n_lines
    position = np.arange(len(entry)) - starts[entry]
    is_debit = position < n_debit[entry]
    driver_is_debit = n_debit >= n_lines - n_debit
    driver = is_debit == driver_is_debit[entry]
    amount = _amounts(streams, settings, entry, driver, count, n_lines, n_debit,
                      driver_is_debit, model.amount_scale[rule], rounded, period.minor_per_usd)
    account = model.account_choice.sample(streams("accounts"),
                                          rule[entry] * 2 + (~is_debit).astype(np.int64))
    needs_center = chart.requires_cost_center[account]
    center = np.full(len(entry), -1, dtype=np.int64)
    center[needs_center] = people.cost_center_choice.sample(
        streams("cost_centers"), process[entry][needs_center].astype(np.int64))

    zero = np.zeros(1, dtype=np.int64)
    document_ids = padded_ids(f"{period.company_code}-{period.fiscal_year}-",
                              first_sequence + np.arange(count), 10)
    created = (posting_day.astype(np.int64) * 86_400 + seconds) * 1_000_000
    lines = len(entry)
    return pa.RecordBatch.from_arrays([
        document_ids.take(pa.array(entry)),
        constant_dictionary(period.company_code, lines),
        pa.array(np.full(lines, period.fiscal_year, dtype=np.int16)),
        pa.array(np.full(lines, period.fiscal_period, dtype=np.int8)),
        dates(posting_day[entry]),
        dates(document_day[entry]),
        timestamps_us(created[entry]),
        dictionary(model.rule_document_type[rule][entry], list(model.document_types)),
        dictionary(process[entry], list(PROCESSES)),
        dictionary(source[entry], list(SOURCES)),
        dictionary(creator[entry], people.user_ids),
        constant_dictionary(period.currency, lines),
        dictionary(header[entry], period.header_texts),
        pa.array((position + 1).astype(np.int32)),
        dictionary(account, chart.account_numbers),
        to_decimal(np.where(is_debit, amount, zero), period.exponent),
        to_decimal(np.where(is_debit, zero, amount), period.exponent),
        *local_currency_columns(period.currency, amount, period.exponent),
        dictionary(np.maximum(center, 0), people.cost_center_ids, mask=center < 0),
        dictionary(account, chart.account_names),
        pa.nulls(lines, JOURNAL_ENTRIES.schema.field("reference_document_type").type),
        pa.nulls(lines, pa.string()),          # standalone entries reference no document
        pa.nulls(lines, pa.string()),
        pa.nulls(lines, JOURNAL_ENTRIES.schema.field("trading_partner").type),
        pa.array(np.zeros(lines, dtype=bool)),
        pa.array(np.zeros(lines, dtype=bool)),
        pa.nulls(lines, JOURNAL_ENTRIES.schema.field("anomaly_type").type),
        pa.nulls(lines, JOURNAL_ENTRIES.schema.field("split").type),
    ], schema=JOURNAL_ENTRIES.schema)


def _amounts(streams: Streams, settings: TransactionSettings, entry: np.ndarray,
             driver: np.ndarray, count: int, n_lines: np.ndarray, n_debit: np.ndarray,
             driver_is_debit: np.ndarray, scale: np.ndarray, rounded: np.ndarray,
             minor_per_usd: float) -> np.ndarray:
    """Driver lines drawn, the other side splitting the same total: balanced by construction."""
    driver_lines = np.where(driver_is_debit, n_debit, n_lines - n_debit).astype(np.int64)
    other_lines = n_lines.astype(np.int64) - driver_lines
    drawn = sample_line_amounts(streams("amounts"), settings.amounts, entry[driver], count,
                                scale, rounded, minor_per_usd)
    totals = np.add.reduceat(drawn, np.cumsum(driver_lines) - driver_lines)
    amount = np.empty(len(entry), dtype=np.int64)
    amount[driver] = drawn
    amount[~driver] = split_totals(streams("amount_split"), totals, other_lines)
    return amount


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def header_texts(model: PostingModel, year: int, month: int) -> tuple[pa.Array, np.ndarray,
                                                                       np.ndarray]:
    """Every rule's header texts with ``{period}`` filled in, plus offsets and counts."""
    label = f"{_MONTHS[month - 1]} {year}"
    texts: list[str] = []
    offsets, counts = [], []
    for rule in model.rules:
        offsets.append(len(texts))
        counts.append(len(rule.texts))
        texts += [t.format(period=label) for t in rule.texts]
    return (pa.array(texts, pa.string()), np.array(offsets, dtype=np.int64),
            np.array(counts, dtype=np.int64))
