"""Documents that follow an entry moved to another posting day (process.weekend_posting).

Where a document's schema says its date is the posting date of the entry that posts it
(journal_entry_id), the date moves with the entry: vendor_invoices.posting_date;
customer_invoices.invoice_date ("billing date (posting date)"); the value dates
vendor_payments.payment_date and customer_receipts.receipt_date (in these books a payment
posts on its value day: flows/payables.py, flows/o2c.py). What is computed from a moved date
follows it: a payment's days late; a customer invoice's due date (billing date + terms), and
so the days late of the receipts clearing it. Dates the poster does not set stay: the
vendor's own invoice date (due and discount dates count from it) and an asset's in-service
date (asset_acquisitions.acquisition_date, the capitalisation date). Goods receipts and
deliveries never move: the stock replay follows them.

An entry moves forward only as far as the documents that follow its own allow
(:func:`latest_days`), so no chain runs backwards: a payment before its invoice, a credit
memo before the invoice it corrects, a cash discount taken after its deadline.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies.process_docs import (
    NULL_DAY,
    Rows,
    cached,
    flag,
    gather,
    lookup,
    set_days,
    set_values,
    take,
)

NEVER = np.iinfo(np.int64).max
# the date column of each table that carries its entry's posting date, and the table's key
POSTED = {"vendor_invoices": ("invoice_id", "posting_date"),
          "vendor_payments": ("payment_id", "payment_date"),
          "customer_invoices": ("invoice_id", "invoice_date"),
          "customer_receipts": ("receipt_id", "receipt_date")}


@dataclass
class Posted:
    """The rows of the tables in POSTED, from every block."""

    tables: dict[str, Rows]

    def __getitem__(self, table: str) -> Rows:
        return self.tables[table]


def read(inj) -> Posted:
    return Posted({
        "vendor_invoices": gather(inj, "vendor_invoices", strings=(
            "invoice_id", "purchase_order_id", "invoice_type"), days=("discount_date",)),
        "vendor_payments": gather(inj, "vendor_payments", strings=("payment_id", "invoice_id"),
                                  money=("cleared_amount", "discount_amount"),
                                  plain=("days_late",)),
        "customer_invoices": gather(inj, "customer_invoices", strings=(
            "invoice_id", "sales_order_id", "invoice_type", "customer_id"),
            days=("invoice_date", "due_date")),
        "customer_receipts": gather(inj, "customer_receipts", strings=("receipt_id", "invoice_id"),
                                    money=("discount_amount",), plain=("days_late",))})


def _first_day(keys: pa.Array, days: np.ndarray, values: pa.Array) -> np.ndarray:
    """The earliest of ``days`` among rows whose key is each of ``values`` (NEVER if none;
    null keys match nothing)."""
    valid = pc.is_valid(keys)
    first = pa.table({"k": keys.filter(valid), "d": pa.array(days).filter(valid)}) \
        .group_by("k").aggregate([("d", "min")])
    return take(np.asarray(first["d_min"].to_numpy(), np.int64),
                lookup(first["k"], values), NEVER)


def _first_day_of(inj, keys: Rows, values: Rows, column: str) -> np.ndarray:
    """:func:`_first_day` of the posting days of ``keys`` by the ``column`` of each row of
    ``values``, whole columns: through lookups between them, kept while they stay."""
    at = cached(inj, lookup, values, column, keys, column)   # per key row: its first value
    valid = pc.is_valid(keys.strings(column)).to_numpy(zero_copy_only=False)
    ok = (at >= 0) & np.asarray(valid, bool)
    first = np.full(len(values), NEVER)
    np.minimum.at(first, at[ok], keys["day"][ok])
    return first[cached(inj, lookup, values, column, values, column)]


def latest_days(inj, docs: Posted) -> np.ndarray:
    """Per flat entry, the last day it may be posted on without passing a document that
    follows its own: a payment, receipt or credit memo of an invoice it posts, the deadline
    of a cash discount its payment takes. An entry with a document another anomaly has
    altered, or whose move would alter such a document, may not move (-1)."""
    limit = np.full(len(inj), NEVER)

    def cap(rows: Rows, at, day) -> None:
        entry = rows.entry[at]
        ok = entry >= 0
        np.minimum.at(limit, entry[ok], np.asarray(day)[ok])

    vi, vp = docs["vendor_invoices"], docs["vendor_payments"]
    ci, cr = docs["customer_invoices"], docs["customer_receipts"]
    for rows in docs.tables.values():
        cap(rows, rows.flagged, np.full(int(rows.flagged.sum()), -1))
    every = slice(None)
    cap(vi, every, _first_day_of(inj, vp, vi, "invoice_id"))
    cap(ci, every, _first_day_of(inj, cr, ci, "invoice_id"))
    for rows, order in ((vi, "purchase_order_id"), (ci, "sales_order_id")):
        memo = rows.equals("invoice_type", "credit_memo")
        invoice = np.flatnonzero(~memo)
        cap(rows, invoice, _first_day(rows.strings(order).filter(memo), rows["day"][memo],
                                      rows.strings(order).take(invoice)))
    # a customer invoice's receipts follow its due date: none of them altered or picked
    busy = cr.flagged | ((cr.entry >= 0) & inj.used[np.maximum(cr.entry, 0)])
    cap(ci, every, np.where(lookup(cr.strings("invoice_id").filter(busy),
                                   ci.strings("invoice_id")) >= 0, -1, NEVER))
    # discounts: the vendor invoice's discount date; a customer's discount days
    took = np.flatnonzero(vp["discount_amount"] > 0)
    invoice = cached(inj, lookup, vi, "invoice_id", vp, "invoice_id")[took]
    deadline = take(vi["discount_date"], invoice, -1)
    cap(vp, took, np.where(deadline == NULL_DAY, -1, deadline))
    took = np.flatnonzero(cr["discount_amount"] > 0)
    invoice = cached(inj, lookup, ci, "invoice_id", cr, "invoice_id")[took]
    customers = inj.books.customers
    customer = lookup(customers.ids, ci.strings("customer_id").take(
        pa.array(invoice, mask=invoice < 0)))
    deadline = take(ci["invoice_date"], invoice, -1) \
        + take(np.asarray(customers.discount_days, np.int64), customer, -1)
    cap(cr, took, np.where((invoice < 0) | (customer < 0), -1, deadline))
    return limit


def follow(inj, docs: Posted, flat: np.ndarray, old: np.ndarray, new: np.ndarray,
           scheme: np.ndarray, anomaly: str) -> None:
    """Move the documents of entries ``flat`` from posting days ``old`` to ``new`` (see the
    module docstring), flag the rows altered and label each document once under its
    instance's ``scheme``."""
    n = len(inj)
    moved = np.zeros(n, bool)
    shift, day, scheme_of = (np.zeros(n, np.int64) for _ in range(3))
    moved[flat], shift[flat], day[flat], scheme_of[flat] = True, new - old, new, scheme

    def own(rows: Rows) -> np.ndarray:
        return (rows.entry >= 0) & moved[np.maximum(rows.entry, 0)]

    altered = {}
    for table, (key, column) in POSTED.items():
        rows = docs[table]
        at = np.flatnonzero(own(rows))
        entry = rows.entry[at]
        set_values(inj, table, rows, at, column, day[entry])
        set_days(inj, table, rows, at, day[entry])
        altered[table] = (at, scheme_of[entry])
    vp, ci, cr = docs["vendor_payments"], docs["customer_invoices"], docs["customer_receipts"]
    at = altered["vendor_payments"][0]
    # a credit memo's row counts its days from the payment itself: always 0
    late = vp["days_late"][at] + np.where(vp["cleared_amount"][at] < 0, 0, shift[vp.entry[at]])
    set_values(inj, "vendor_payments", vp, at, "days_late", np.clip(late, -32768, 32767))
    at = altered["customer_invoices"][0]
    set_values(inj, "customer_invoices", ci, at, "due_date", ci["due_date"][at]
               + shift[ci.entry[at]])
    # receipts: their own move, less their invoice's (its due date moved with it)
    invoice = cached(inj, lookup, ci, "invoice_id", cr, "invoice_id")
    invoice_entry = take(ci.entry, invoice, -1)
    by_invoice = (invoice_entry >= 0) & moved[np.maximum(invoice_entry, 0)]
    mine = own(cr)
    at = np.flatnonzero(mine | by_invoice)
    delta = np.where(mine[at], shift[np.maximum(cr.entry[at], 0)], 0) \
        - np.where(by_invoice[at], shift[np.maximum(invoice_entry[at], 0)], 0)
    set_values(inj, "customer_receipts", cr, at, "days_late",
               np.clip(cr["days_late"][at] + delta, -32768, 32767))
    altered["customer_receipts"] = (at, np.where(
        mine[at], scheme_of[np.maximum(cr.entry[at], 0)],
        scheme_of[np.maximum(invoice_entry[at], 0)]))
    for table, (at, schemes) in altered.items():
        if len(at) == 0:
            continue
        rows = docs[table]
        flag(inj, table, rows, at, anomaly)
        key = rows.texts(POSTED[table][0], at)
        _, first = np.unique(key.astype(str), return_index=True)
        inj.label_rows(anomaly, table, pa.array(key[first], pa.string()),
                       rows["day"][at][first], schemes[first])
