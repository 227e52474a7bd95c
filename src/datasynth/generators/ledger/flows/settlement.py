"""Invoices and their settlement: the journal lines of an invoice, and of payments that clear
open items (with discounts and write-offs), for both receivables and payables.

Payment timing follows the partner's terms (net days, cash-discount days) and behaviour;
an invoice is settled in one payment or two instalments. Settlements dated after the run
leave the item open, which the subledger then shows with its aging.
"""

from __future__ import annotations

import numpy as np

from datasynth.generators.ledger.flows.common import percent_of

# Customer payment behaviour: (min, max) days after the due date (early -> before).
LATENESS = np.array([[-8, -1], [-1, 3], [0, 15], [10, 45], [20, 90]])
BAD_DEBT_FACTOR = np.array([0.2, 0.5, 1.0, 3.0, 10.0])


def payment_schedule(rng: np.random.Generator, invoice_day: np.ndarray, gross: np.ndarray,
                     terms_days: np.ndarray, discount_percent: np.ndarray,
                     discount_days: np.ndarray, lateness: np.ndarray, take_rate: float,
                     partial_rate: float) -> dict[str, np.ndarray]:
    """Settlement rows of each invoice: one, or two instalments. Returns arrays per row:
    invoice (index), day, cleared, discount; and per invoice the due day."""
    n = len(invoice_day)
    due = invoice_day + terms_days
    low, high = lateness[:, 0], lateness[:, 1]
    late = low + np.floor(rng.random(n) * (high - low + 1)).astype(np.int64)
    takes = (discount_percent > 0) & (rng.random(n) < take_rate) & (late <= 0)
    pay_day = np.where(takes, invoice_day + np.maximum(discount_days - rng.integers(0, 3, n), 0),
                       np.maximum(due + late, invoice_day))
    discount = np.where(takes, percent_of(gross, discount_percent / 100.0), 0)
    partial = (rng.random(n) < partial_rate) & ~takes & (gross >= 200)
    first = np.where(partial, gross // 2, gross)
    rows_invoice = np.concatenate([np.arange(n), np.flatnonzero(partial)])
    rows_day = np.concatenate([pay_day, pay_day[partial] + rng.integers(10, 40, int(
        partial.sum()))])
    rows_cleared = np.concatenate([first, gross[partial] - first[partial]])
    rows_discount = np.concatenate([discount, np.zeros(int(partial.sum()), np.int64)])
    rows_partial = np.concatenate([partial, np.ones(int(partial.sum()), bool)])
    order = np.lexsort((rows_day, rows_invoice))
    return {"invoice": rows_invoice[order], "day": rows_day[order],
            "cleared": rows_cleared[order], "discount": rows_discount[order],
            "partial": rows_partial[order], "due": due}


def settlement_day(books, rng: np.random.Generator, day: np.ndarray, discounted: np.ndarray,
                   earliest: np.ndarray) -> np.ndarray:
    """Payment days on the posting calendar's working days (but for its small weekend share):
    a payment taking a cash discount moves back to the working day before (it must not pass
    the discount date), any other forward to the next; none before ``earliest`` (the
    invoice, the start of the run, a credit memo it waits for)."""
    return np.maximum(books.working_day(day, rng, backward=discounted), earliest)
