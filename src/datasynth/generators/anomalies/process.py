"""Process issues: controls skipped or bent, postings at odd times (domain study §8.1
ProcessIssue). Posting times and requisition approvals here; purchases added in
process_purchases.py, real purchases altered in process_p2p.py, documents that follow a
moved entry in process_moves.py, document access in process_docs.py.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.anomalies import process_moves, process_p2p, process_purchases
from datasynth.generators.anomalies.context import GOODS, read_only
from datasynth.generators.anomalies.process_docs import (
    NULL_DAY,
    Rows,
    cached,
    flag,
    gather,
    lookup,
    set_values,
    take,
)
from datasynth.generators.ledger.journal import SRC

# a person's working day (flows/common.py::seconds_of_day: people post 08:00-17:59)
OFFICE_HOURS = (6, 20)
AFTER_HOURS = np.array([20, 21, 22, 23, 0, 1, 2, 3, 4, 5])


def weekend_posting(inj, rng: np.random.Generator, count: int) -> None:
    """An entry posted on the Saturday or Sunday of its own week, inside its month (so the
    period and every period-end reconciliation stay as they were). Its document date moves
    with it where it was the posting day (a billing, a payment run, a GL entry: in these
    books those are always dated on their posting day); a source document's own date (a
    vendor's invoice, an expense receipt) stays. The documents it posts follow it
    (process_moves.py), so it moves no further than a document that follows allows. Goods
    movements keep their dates: the stock replay follows them."""
    day = inj.posting_day
    weekday = (day + 3) % 7                       # 1970-01-01 was a Thursday: Monday = 0
    saturday = day + (5 - weekday)
    month = day.astype("datetime64[D]").astype("datetime64[M]")
    target = saturday + rng.integers(0, 2, len(day))
    same_month = target.astype("datetime64[D]").astype("datetime64[M]") == month
    docs = process_moves.read(inj)
    eligible = (weekday < 5) & same_month & (target >= inj.document_day) \
        & ~np.isin(inj.document_type, GOODS) & (target <= process_moves.latest_days(inj, docs))
    flat = inj.pick(rng, eligible, count)
    if len(flat) == 0:
        return
    old, new = day[flat].copy(), target[flat]
    document = inj.document_day[flat]
    inj.set_entry(flat, "document_day", np.where(document == old, new, document))
    inj.set_entry(flat, "posting_day", new)
    scheme = inj.new_schemes(len(flat))
    inj.label_entries("weekend_posting", flat, scheme)
    process_moves.follow(inj, docs, flat, old, new, scheme, "weekend_posting")


def after_hours_posting(inj, rng: np.random.Generator, count: int) -> None:
    """A manual entry keyed late in the evening or at night (20:00-05:59) of its own
    posting day: only the time changes, so the date, period, amounts, user and lines stay
    as they were. Goods movements keep their time: the stock replay follows it."""
    hour = inj.seconds // 3600
    eligible = (inj.source == SRC["manual"]) & (hour >= OFFICE_HOURS[0]) \
        & (hour < OFFICE_HOURS[1]) & ~np.isin(inj.document_type, GOODS)
    flat = inj.pick(rng, eligible, count)
    if len(flat) == 0:
        return
    seconds = rng.choice(AFTER_HOURS, len(flat)) * 3600 + rng.integers(0, 3600, len(flat))
    inj.set_entry(flat, "seconds", seconds)
    inj.label_entries("after_hours_posting", flat, inj.new_schemes(len(flat)))


# ---- purchase requisitions -------------------------------------------------------------------
def _requisitions(inj) -> tuple[Rows, np.ndarray, np.ndarray]:
    """Requisition lines, the requisition of each line (index into the unique ids) and
    which requisitions no anomaly has touched yet (a requisition is altered whole: its
    approver and date are the requisition's, not a line's)."""
    rows = gather(inj, "purchase_requisitions",
                  strings=("requisition_id", "purchase_order_id", "approved_by"),
                  days=("requisition_date",), money=("estimated_price",), plain=("quantity",))
    ids = rows.strings("requisition_id")
    count, which = inj.memo("requisition of line", (ids,), lambda: _requisition_of(ids))
    touched = np.zeros(count, bool)
    np.logical_or.at(touched, which, rows.flagged)
    return rows, which, ~touched


def _requisition_of(ids: pa.Array) -> tuple[int, np.ndarray]:
    """How many requisitions there are, and the requisition of each line (its rank among
    the ids)."""
    text = np.asarray(ids.to_numpy(zero_copy_only=False), object).astype(str)
    unique, which = np.unique(text, return_inverse=True)
    return len(unique), read_only(which)


def _pick_requisitions(inj, rng, rows: Rows, which: np.ndarray, eligible: np.ndarray,
                       count: int) -> np.ndarray:
    """Lines of up to ``count`` distinct eligible requisitions, drawn with the period-end
    intensity of their requisition dates."""
    pool = np.flatnonzero(eligible)
    if len(pool) == 0 or count <= 0:
        return np.zeros(0, np.int64)
    day = np.zeros(len(eligible), np.int64)
    day[which] = rows["requisition_date"]
    w = inj.period_end_weight(day[pool])
    chosen = rng.choice(pool, min(count, len(pool)), replace=False, p=w / w.sum())
    return np.flatnonzero(np.isin(which, chosen))


def _label_requisitions(inj, anomaly: str, rows: Rows, lines: np.ndarray,
                        which: np.ndarray) -> None:
    """Flag the lines and label each requisition once (a label names a document, not a
    line), its value (quantity x estimated price) as the amount at stake."""
    flag(inj, "purchase_requisitions", rows, lines, anomaly)
    req, first = np.unique(which[lines], return_index=True)
    value = np.zeros(int(which.max()) + 1, np.int64)
    np.add.at(value, which[lines], rows["quantity"][lines].astype(np.int64)
              * rows["estimated_price"][lines])
    at = lines[first]
    inj.label_rows(anomaly, "purchase_requisitions",
                   rows.strings("requisition_id").take(at),
                   rows["requisition_date"][at], inj.new_schemes(len(req)), value[req])


def skipped_approval(inj, rng: np.random.Generator, count: int) -> None:
    """A requisition converted into an order without anyone approving it (COSO:
    authorisation before commitment): its approver and approval date are removed (null,
    where every normal requisition has both). Requester, dates, lines and the order stay
    as they were."""
    rows, which, fresh = _requisitions(inj)
    lines = _pick_requisitions(inj, rng, rows, which, fresh, count)
    if len(lines) == 0:
        return
    set_values(inj, "purchase_requisitions", rows, lines, "approved_by",
               np.full(len(lines), None, dtype=object))
    set_values(inj, "purchase_requisitions", rows, lines, "approval_date",
               np.full(len(lines), NULL_DAY))
    _label_requisitions(inj, "skipped_approval", rows, lines, which)


def late_approval(inj, rng: np.random.Generator, count: int) -> None:
    """A requisition approved 1-10 days after its order was placed: the order went out
    first and the approval was given afterwards to cover it (COSO: authorisation before
    commitment). Only the approval date moves (to at most the last day of the run); the
    requisition date stays on or before the order, as the chain requires."""
    rows, which, fresh = _requisitions(inj)
    orders = gather(inj, "purchase_orders", strings=("purchase_order_id",),
                    days=("order_date",))
    never = np.iinfo(np.int64).max
    order_day = take(orders["order_date"],
                     cached(inj, lookup, orders, "purchase_order_id", rows,
                            "purchase_order_id"), never)
    placed = np.full(len(fresh), never)
    np.minimum.at(placed, which, order_day)
    ok = fresh & (placed < inj.books.end_day - 1)
    lines = _pick_requisitions(inj, rng, rows, which, ok, count)
    if len(lines) == 0:
        return
    req, inverse = np.unique(which[lines], return_inverse=True)
    late = np.minimum(placed[req] + rng.integers(1, 11, len(req)), inj.books.end_day - 1)
    set_values(inj, "purchase_requisitions", rows, lines, "approval_date", late[inverse])
    _label_requisitions(inj, "late_approval", rows, lines, which)


INJECTORS = {"skipped_approval": skipped_approval, "late_approval": late_approval,
             "after_hours_posting": after_hours_posting, "weekend_posting": weekend_posting,
             **process_purchases.INJECTORS, **process_p2p.INJECTORS}
