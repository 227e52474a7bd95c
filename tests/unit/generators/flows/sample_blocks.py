"""Hand-built and seeded random Blocks (flows.postings) for the unit tests of this folder."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.ledger.flows.postings import Block


def make_block(name: str, posting_day, seconds, lines, tables=None) -> Block:
    """A block whose entry j references ``<name>-<j>``; ``lines`` = (entry, account, debit,
    credit, center) grouped by entry."""
    n = len(posting_day)
    entry, account, debit, credit, center = (np.asarray(x, np.int64) for x in lines)
    return Block(posting_day=np.asarray(posting_day, np.int64),
                 seconds=np.asarray(seconds, np.int64),
                 document_day=np.asarray(posting_day, np.int64),
                 document_type=np.zeros(n, np.int64), process=np.zeros(n, np.int64),
                 source=np.ones(n, np.int64), creator=np.zeros(n, np.int64),
                 header_text=pa.array([f"{name} header {j}" for j in range(n)], pa.string()),
                 reference_type=np.zeros(n, np.int64),
                 reference_id=pa.array([f"{name}-{j}" for j in range(n)], pa.string()),
                 partner_id=pa.array([None if j % 3 == 0 else f"P{j}" for j in range(n)],
                                     pa.string()),
                 line_entry=entry, account=account, debit=debit, credit=credit,
                 cost_center=center, tables=tables or {})


def random_block(rng, name: str, n: int, first_day: int, span: int) -> Block:
    """``n`` balanced entries of 2-4 lines, days in [first_day, first_day + span), times
    drawn from a few values so that (day, time) ties occur within and across blocks."""
    lines_per = rng.integers(2, 5, n)
    entry = np.repeat(np.arange(n), lines_per)
    account = rng.integers(0, 50, len(entry))
    amount = rng.integers(1, 10_000, len(entry))
    debit = np.where(np.arange(len(entry)) % 2 == 0, amount, 0)
    credit = np.where(np.arange(len(entry)) % 2 == 1, amount, 0)
    # balance each entry on its last line
    net = np.bincount(entry, weights=debit - credit, minlength=n).astype(np.int64)
    last = np.searchsorted(entry, np.arange(n), side="right") - 1
    debit[last] += np.maximum(-net, 0)
    credit[last] += np.maximum(net, 0)
    center = rng.integers(-1, 5, len(entry))
    return make_block(name, first_day + rng.integers(0, span, n),
                      rng.choice([0, 3600, 7200, 36_000], n), (entry, account, debit, credit,
                                                               center))
