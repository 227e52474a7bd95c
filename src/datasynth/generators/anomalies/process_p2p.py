"""Process issues in real purchases: a stock order paid before its goods arrived, and a
blocked invoice paid in full over the three-way match (domain study §8.1 ProcessIssue; the
match of order, goods receipt and invoice before payment, COSO control activities).

Both alter a settled stock invoice and its payment, documents and entries together, so the
AP subledger (computed from the documents) still equals its control account at every period
end, even where a date crosses a month end; the VAT returns and the cash plan are built after
injection and follow moved or resized entries. Goods receipts are never touched (the stock
replay follows them); GR/IR, which they leave unbalanced for a while, no check reconciles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datasynth.generators.anomalies.context import read_only
from datasynth.generators.anomalies.process_docs import (
    NULL_DAY,
    Rows,
    cached,
    counts,
    flag,
    gather,
    lookup,
    replace_lines,
    set_days,
    set_values,
    take,
)
from datasynth.generators.ledger.flows.common import percent_of

GRIR, INPUT_VAT, BANK, DISCOUNT = 205000, 116000, 100000, 480000


def _pick_rows(inj, rng: np.random.Generator, entries: np.ndarray, count: int) -> np.ndarray:
    """Positions in ``entries`` (distinct flat entries of candidate rows) that
    ``inj.pick`` draws, with its period-end intensity."""
    if len(entries) == 0:
        return np.zeros(0, np.int64)
    eligible = np.zeros(len(inj), bool)
    eligible[entries] = True
    flat = inj.pick(rng, eligible, count)
    order = np.argsort(entries)
    return order[np.searchsorted(entries[order], flat)]


# ---- settled stock invoices: one invoice, one payment, one goods receipt or two ---------------
@dataclass
class _Settled:
    inv: Rows
    pay: Rows
    orders: Rows
    payment: np.ndarray     # per invoice row: its payment row (-1 if none)
    line1: np.ndarray       # its order's first line (row of ``orders``, -1 if none)
    receipt: np.ndarray     # its order's first goods receipt day (-1 if none)
    usable: np.ndarray      # an unaltered stock invoice cleared by one payment of its own


def _settled_stock_invoices(inj) -> _Settled:
    inv = gather(inj, "vendor_invoices", strings=(
        "invoice_id", "purchase_order_id", "invoice_type", "match_status", "vendor_id"),
        days=("due_date", "discount_date"), money=("net_amount", "tax_amount", "gross_amount"))
    pay = gather(inj, "vendor_payments", strings=("payment_id", "invoice_id"),
                 money=("cleared_amount", "discount_amount", "paid_amount"),
                 plain=("is_partial",))
    receipts = gather(inj, "goods_receipts", strings=("purchase_order_id",))
    orders = gather(inj, "purchase_orders", strings=("purchase_order_id",),
                    days=("order_date",), money=("unit_price",),
                    plain=("quantity", "line_number"))
    keys, which = np.unique(receipts["purchase_order_id"].astype(str), return_inverse=True)
    first = np.full(len(keys), np.iinfo(np.int64).max)
    np.minimum.at(first, which, receipts["day"])
    receipt = take(first, lookup(keys, inv.strings("purchase_order_id")), -1)
    order_ids, line_number = orders.strings("purchase_order_id"), orders["line_number"]

    def first_line() -> np.ndarray:
        first_lines = np.flatnonzero(line_number == 1)
        return read_only(take(first_lines, lookup(order_ids.take(first_lines),
                                                  inv.strings("purchase_order_id")), -1))

    line1 = inj.memo("first order line", (order_ids, line_number, inv.strings(
        "purchase_order_id")), first_line)
    payment = cached(inj, lookup, pay, "invoice_id", inv, "invoice_id")
    # its payment clears nothing else (an invoice without one is not usable anyway)
    same_payment = cached(inj, counts, pay, "payment_id", pay, "payment_id")
    one_payment = (cached(inj, counts, pay, "invoice_id", inv, "invoice_id") == 1) \
        & (take(same_payment, payment, 0) == 1)
    pay_entry = take(pay.entry, payment, -1)
    usable = inv.equals("invoice_type", "invoice") & (receipt >= 0) & (line1 >= 0) \
        & (payment >= 0) & one_payment & ~take(pay["is_partial"].astype(bool), payment, True) \
        & (inv.entry >= 0) & (pay_entry >= 0) & ~inv.flagged & ~take(pay.flagged, payment, True)
    usable &= ~inj.used[np.maximum(inv.entry, 0)] & ~inj.used[np.maximum(pay_entry, 0)]
    return _Settled(inv, pay, orders, payment, line1, receipt, usable)


def _label_pair(inj, anomaly: str, s: _Settled, i: np.ndarray, impact: np.ndarray) -> None:
    """Label and flag invoices ``i``, their payments and both entries, one scheme each."""
    p = s.payment[i]
    scheme = inj.new_schemes(len(i))
    inj.label_entries(anomaly, np.r_[s.inv.entry[i], s.pay.entry[p]], np.r_[scheme, scheme],
                      np.r_[impact, impact])
    flag(inj, "vendor_invoices", s.inv, i, anomaly)
    flag(inj, "vendor_payments", s.pay, p, anomaly)
    inj.label_rows(anomaly, "vendor_invoices", s.inv.strings("invoice_id").take(i),
                   s.inv["day"][i], scheme, impact)
    inj.label_rows(anomaly, "vendor_payments", s.pay.strings("payment_id").take(p),
                   s.pay["day"][p], scheme, impact)


def payment_before_receipt(inj, rng: np.random.Generator, count: int) -> None:
    """A stock order paid before its goods arrived: the vendor's invoice and its payment
    move between the order date and the first goods receipt (a prepayment the order terms
    did not provide for). The pair moves together, invoice first, keeping its payment terms
    (due and discount dates move with the invoice, the payment no later after the invoice
    than before, so a discount taken stays within its window); documents and entries
    change together, so the AP subledger follows even across a month end."""
    s = _settled_stock_invoices(inj)
    order_day = take(s.orders["order_date"], s.line1, -1)
    ok = s.usable & s.inv.equals("match_status", "matched", "price_variance") \
        & (s.receipt > order_day)
    candidates = np.flatnonzero(ok)
    i = np.sort(candidates[_pick_rows(inj, rng, s.inv.entry[candidates], count)])
    n = len(i)
    if n == 0:
        return
    inv, pay, p = s.inv, s.pay, s.payment[i]
    old_inv, old_pay = inv["day"][i], pay["day"][p]
    low, receipt = order_day[i], s.receipt[i]
    new_inv = low + np.floor(rng.random(n) * (receipt - low)).astype(np.int64)
    top = np.minimum(new_inv + np.maximum(old_pay - old_inv, 0), receipt - 1)
    new_pay = new_inv + np.floor(rng.random(n) * (top - new_inv + 1)).astype(np.int64)
    shift_inv, shift_pay = new_inv - old_inv, new_pay - old_pay
    for flat, shift, day in ((inv.entry[i], shift_inv, new_inv), (pay.entry[p], shift_pay,
                                                                   new_pay)):
        inj.set_entry(flat, "document_day", inj.document_day[flat] + shift)
        inj.set_entry(flat, "posting_day", day)
    due = inv["due_date"][i] + shift_inv
    discount = inv["discount_date"][i]
    for column, values in (("invoice_date", new_inv), ("posting_date", new_inv),
                           ("due_date", due),
                           ("discount_date", np.where(discount == NULL_DAY, NULL_DAY,
                                                      discount + shift_inv))):
        set_values(inj, "vendor_invoices", inv, i, column, values)
    set_days(inj, "vendor_invoices", inv, i, new_inv)
    set_values(inj, "vendor_payments", pay, p, "payment_date", new_pay)
    set_values(inj, "vendor_payments", pay, p, "days_late",
               np.clip(new_pay - due, -32768, 32767))
    set_days(inj, "vendor_payments", pay, p, new_pay)
    _label_pair(inj, "payment_before_receipt", s, i, pay["paid_amount"][p])


def match_override(inj, rng: np.random.Generator, count: int) -> None:
    """A vendor bills more units than were received (a quantity variance, which blocks the
    invoice in the three-way match) and the block is overridden: the invoice is released
    at once and paid in full on its normal date, without waiting for the vendor's credit
    memo, which never comes. Built from a matched stock invoice and its payment: the extra
    units (2-10 % of the order's first line, as flows/p2p.py bills them) are added to the
    invoice as a GR/IR line with their VAT, and the payment clears the larger amount."""
    s = _settled_stock_invoices(inj)
    candidates = np.flatnonzero(s.usable & s.inv.equals("match_status", "matched"))
    i = np.sort(candidates[_pick_rows(inj, rng, s.inv.entry[candidates], count)])
    n = len(i)
    if n == 0:
        return
    books, inv, pay, p = inj.books, s.inv, s.pay, s.payment[i]
    line = s.line1[i]
    extra = np.maximum(1, np.rint(s.orders["quantity"][line] * rng.uniform(0.02, 0.10, n)))
    over = extra.astype(np.int64) * s.orders["unit_price"][line]
    net = inv["net_amount"][i] + over
    tax = percent_of(net, books.vat)
    gross = net + tax
    vendor = lookup(books.vendors.ids.to_numpy(zero_copy_only=False),
                    inv.strings("vendor_id").take(i))
    rate = books.vendors.discount_percent[np.maximum(vendor, 0)] / 100.0
    discount = np.where(pay["discount_amount"][p] > 0, percent_of(gross, rate), 0)
    for k in range(n):
        _bill_extra(inj, int(inv.entry[i[k]]), int(over[k]), int(tax[k]), int(gross[k]))
        _pay_in_full(inj, int(pay.entry[p[k]]), int(gross[k]), int(discount[k]))
    impact = gross - inv["gross_amount"][i]
    for column, values in (("net_amount", net), ("tax_amount", tax), ("gross_amount", gross),
                           ("match_status", "quantity_variance"), ("is_blocked", True)):
        set_values(inj, "vendor_invoices", inv, i, column, values)
    for column, values in (("cleared_amount", gross), ("discount_amount", discount),
                           ("paid_amount", gross - discount)):
        set_values(inj, "vendor_payments", pay, p, column, values)
    _label_pair(inj, "match_override", s, i, impact)


def _bill_extra(inj, flat: int, over: int, tax: int, gross: int) -> None:
    """Lines of a matched invoice billing ``over`` more: the received lines, the extra units
    on GR/IR, input VAT, the AP credit (the order flows/payables.py posts them in)."""
    b, sl = inj.line_slice(flat)
    a = inj.books.account
    account, debit, credit = b.account[sl], b.debit[sl], b.credit[sl]
    center = b.cost_center[sl]
    ap = credit > 0                                   # a matched invoice credits only AP
    vat = (account == a(INPUT_VAT)) & (debit > 0)
    bought = ~ap & ~vat
    has_tax = tax > 0
    replace_lines(
        inj, flat,
        np.r_[account[bought], a(GRIR), [a(INPUT_VAT)] * has_tax, account[ap]],
        np.r_[debit[bought], over, [tax] * has_tax, 0],
        np.r_[credit[bought], 0, [0] * has_tax, gross],
        np.r_[center[bought], -1, [-1] * has_tax, center[ap]])


def _pay_in_full(inj, flat: int, gross: int, discount: int) -> None:
    """A one-invoice payment's lines clearing ``gross``: Dr AP / Cr bank / Cr discount."""
    b, sl = inj.line_slice(flat)
    a = inj.books.account
    account = b.account[sl]
    debit, credit = b.debit[sl].copy(), b.credit[sl].copy()
    debit[debit > 0] = gross
    credit[account == a(BANK)] = gross - discount
    credit[account == a(DISCOUNT)] = discount
    replace_lines(inj, flat, account, debit, credit, b.cost_center[sl])


INJECTORS = {"payment_before_receipt": payment_before_receipt,
             "match_override": match_override}
