"""Small vectorised helpers shared by the flows: ids, dates, amounts, line building."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from datasynth.generators.common.arrow import padded_ids
from datasynth.generators.ledger.flows.postings import Block
from datasynth.generators.ledger.journal import DOC, PROC, REF, SRC

Streams = Callable[[str], np.random.Generator]


def doc_ids(prefix: str, company: str, start: int, count: int) -> pa.Array:
    """``<prefix>-<company>-<8 digits>``, numbered from ``start``."""
    return padded_ids(f"{prefix}-{company}-", np.arange(start, start + count), 8).cast(pa.string())


def null_strings(count: int) -> pa.Array:
    return pa.nulls(count, pa.string())


def clip_days(days: np.ndarray, low: np.ndarray | int, high: np.ndarray | int) -> np.ndarray:
    return np.minimum(np.maximum(days, low), high)


def percent_of(amount: np.ndarray, rate: np.ndarray | float) -> np.ndarray:
    """round(amount x rate) in minor units (half away from zero), exact enough for taxes and
    discounts; the result is integral, so totals stay exact."""
    return np.rint(np.asarray(amount, np.float64) * rate).astype(np.int64)


def scale_to_total(weights: np.ndarray, total: int, minimum: int = 1) -> np.ndarray:
    """Integer amounts proportional to ``weights`` summing exactly to ``total``."""
    if len(weights) == 0:
        return np.zeros(0, dtype=np.int64)
    share = weights / weights.sum()
    out = np.maximum(np.floor(share * total).astype(np.int64), minimum)
    out[np.argmax(out)] += total - int(out.sum())
    return out


def lognormal_weights(rng: np.random.Generator, count: int, sigma: float = 1.1) -> np.ndarray:
    return rng.lognormal(0.0, sigma, count)


def line_set(entry, account, debit, credit, center=None) -> tuple[np.ndarray, ...]:
    """One part of an entry's lines for :func:`stack_lines` (entry, account, debit, credit,
    cost center; no cost center when ``center`` is None), as int64 arrays."""
    n = len(entry)
    return (np.asarray(entry, np.int64), np.asarray(account, np.int64),
            np.asarray(debit, np.int64), np.asarray(credit, np.int64),
            np.full(n, -1, np.int64) if center is None else np.asarray(center, np.int64))


def header(texts: list[str], index: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(texts, dtype=object)[index], pa.string())


def block(books, *, posting_day, document_day, seconds, document_type: str, process: str,
          source: np.ndarray | str, header_text: pa.Array, reference_type: str,
          reference_id: pa.Array, partner_id: pa.Array, lines: tuple[np.ndarray, ...],
          rng: np.random.Generator, tables: dict | None = None) -> Block:
    """A Block with per-entry constants filled in and creators drawn from the directory."""
    n = len(posting_day)
    source_arr = (np.full(n, SRC[source], dtype=np.int64) if isinstance(source, str)
                  else np.asarray(source, dtype=np.int64))
    process_code = PROC[process]
    creator = books.directory.creator_choice.sample(rng, process_code * 4 + source_arr)
    return Block(np.asarray(posting_day, np.int64), np.asarray(seconds, np.int64),
                 np.asarray(document_day, np.int64), np.full(n, DOC[document_type]),
                 np.full(n, process_code), source_arr, creator, header_text,
                 np.full(n, REF[reference_type]), reference_id, partner_id, *lines,
                 tables=tables or {})


def seconds_of_day(rng: np.random.Generator, count: int, batch: bool) -> np.ndarray:
    """Batch jobs run at night and early morning; people post in office hours."""
    if batch:
        hours = rng.choice(np.array([1, 2, 3, 4, 5, 22, 23]), count)
    else:
        hours = rng.integers(8, 18, count)
    return hours * 3600 + rng.integers(0, 3600, count)


def centers(books, rng: np.random.Generator, process: str, count: int) -> np.ndarray:
    """Cost centers of ``count`` postings of ``process`` (-1 when the company has none)."""
    if len(books.ledger.cost_center_ids) == 0:
        return np.full(count, -1, np.int64)
    return books.directory.cost_center_choice.sample(rng, np.full(count, PROC[process]))
