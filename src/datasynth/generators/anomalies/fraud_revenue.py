"""Financial-statement fraud on revenue (ACFE; cut-off, IFRS 15.31-38 / ASC 606: revenue
only when control passes): early revenue recognition and channel stuffing, both at a quarter
or year end and undone after it.

- early revenue: a manual accrual Dr other receivables (115000, no subledger) / Cr product
  revenue on one of the last days of the quarter, reversed early in the next month, for
  goods not yet delivered;
- channel stuffing: extra service invoices to one customer in the last days of the quarter
  (each with its sales order), credited back in full early in the next month; the clearing
  of each invoice against its credit memo (a receipt moving no cash) leaves receivables and
  the AR subledger as they were.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.anomalies.fraud_common import (
    doc_tables,
    flagged,
    label_blocks,
    month_bounds,
    quarter_ends,
    strings_of,
    take_ids,
)
from datasynth.generators.common.arrow import constant_dictionary, dates, dictionary
from datasynth.generators.ledger.flows.common import (
    block,
    centers,
    clip_days,
    header,
    line_set,
    null_strings,
    percent_of,
    seconds_of_day,
)
from datasynth.generators.ledger.flows.postings import DocTable, stack_lines
from datasynth.generators.ledger.journal import PROC, SRC
from datasynth.money import to_decimal, to_minor_units

JITTER = 0.05


def _sales_amounts(inj, goods: bool) -> np.ndarray:
    """Net amounts of real (unflagged, non-opening) customer invoices for goods (a delivery)
    or services; all real invoices when there are none of the kind."""
    found, every = [], []
    for _, doc in doc_tables(inj, "customer_invoices"):
        c = doc.columns
        invoice = pc.equal(c["invoice_type"].cast(pa.string()), "invoice").fill_null(False)
        real = np.asarray(invoice.to_numpy(zero_copy_only=False), bool) & ~flagged(doc) \
            & ~np.asarray(c["is_opening"].to_numpy(zero_copy_only=False), bool)
        net = to_minor_units(c["net_amount"], inj.books.exponent)
        delivered = np.asarray(c["delivery_id"].is_valid().to_numpy(zero_copy_only=False),
                               bool)
        found.append(net[real & (delivered == goods)])
        every.append(net[real])
    found = np.concatenate(found) if found else np.zeros(0, np.int64)
    return found if len(found) else (np.concatenate(every) if every else found)


def _borrow(rng, amounts: np.ndarray, n: int) -> np.ndarray:
    base = amounts[rng.integers(0, len(amounts), n)]
    return np.maximum(np.rint(base * rng.lognormal(0.0, JITTER, n)), 100).astype(np.int64)


def _period_end_months(inj, rng, count: int) -> np.ndarray:
    """Run months (closing a quarter, see ``quarter_ends``) of ``count`` schemes, year ends
    weighted up like every pick (anomaly_injection.period_end)."""
    ends = quarter_ends(inj.books)
    if len(ends) == 0:
        return np.zeros(0, np.int64)
    _, last = month_bounds(inj.books)
    w = inj.period_end_weight(last[ends])
    return rng.choice(ends, count, p=w / w.sum())


def early_revenue(inj, rng: np.random.Generator, count: int) -> None:
    books = inj.books
    a = books.account
    month = _period_end_months(inj, rng, count)
    amounts = _sales_amounts(inj, goods=True)
    if len(month) == 0 or len(amounts) == 0:
        return
    n = len(month)
    first, last = month_bounds(books)
    day = clip_days(last[month] - rng.integers(0, 3, n), first[month], last[month])
    back = clip_days(first[month + 1] + rng.integers(0, 5, n), first[month + 1],
                     last[month + 1])
    amount = _borrow(rng, amounts, n)
    revenue = books.material_revenue[books.material_revenue >= 0] \
        if len(books.material_revenue) else np.zeros(0, np.int64)
    revenue = revenue[rng.integers(0, len(revenue), n)] if len(revenue) else \
        np.full(n, a(400000))
    center = centers(books, rng, "O2C", n)
    ids = take_ids(inj, "GL", n)
    idx = np.arange(2 * n)
    receivable = np.full(n, a(115000))
    lines = stack_lines([
        line_set(idx, np.r_[receivable, revenue], np.r_[amount, amount], np.zeros(2 * n),
                 np.r_[np.full(n, -1), center]),
        line_set(idx, np.r_[revenue, receivable], np.zeros(2 * n), np.r_[amount, amount],
                 np.r_[center, np.full(n, -1)])], 2 * n)
    e_day = np.r_[day, back]
    b = block(books, posting_day=e_day, document_day=e_day,
              seconds=seconds_of_day(rng, 2 * n, False), document_type="SA", process="R2R",
              source="manual",
              header_text=header(["Accrued revenue", "Reversal of accrual"],
                                 np.repeat([0, 1], n)),
              reference_type="gl_template", reference_id=pa.concat_arrays([ids, ids]),
              partner_id=null_strings(2 * n), lines=lines, rng=rng)
    scheme = inj.new_schemes(n)
    inj.label_block("early_revenue", inj.add_block(b), np.r_[scheme, scheme],
                    np.r_[amount, amount])


def channel_stuffing(inj, rng: np.random.Generator, count: int) -> None:
    books = inj.books
    month_of = _period_end_months(inj, rng, count)
    amounts = _sales_amounts(inj, goods=False)
    if len(month_of) == 0 or len(amounts) == 0 or len(books.customers.ids) == 0:
        return
    code, ex, a = books.code, books.exponent, books.account
    first, last = month_bounds(books)
    parts = rng.integers(1, 4, count)
    scheme = np.repeat(np.arange(count), parts)
    n = len(scheme)
    month = month_of[scheme]
    customer = rng.choice(len(books.customers.weight), count, p=books.customers.weight)[scheme]
    day = clip_days(last[month] - rng.integers(0, 4, n), first[month], last[month])
    order_day = clip_days(day - rng.integers(0, 6, n), first[month], day)
    after = month_of + 1
    memo_day = clip_days(first[after] + rng.integers(0, 15, count), first[after],
                         np.minimum(last[after], books.end_day - 1))
    net = _borrow(rng, amounts, n)
    tax = percent_of(net, books.vat)
    gross = net + tax
    control = books.customers.control_account[customer]
    partner = books.customers.ids.take(pa.array(customer))
    so_ids, ci_ids = take_ids(inj, "SO", n), take_ids(inj, "CI", n)
    cm_ids = take_ids(inj, "CM", n)
    idx, zeros, none = np.arange(n), np.zeros(n, np.int64), np.full(n, -1)
    t = np.flatnonzero(tax > 0)
    clerk = books.directory.creator_choice.sample(rng, np.full(n, PROC["O2C"] * 4
                                                               + SRC["manual"]))
    # ---- sales orders and invoices (as o2c bills a service) -------------------------------
    invoices = block(books, posting_day=day, document_day=day,
                     seconds=seconds_of_day(rng, n, True), document_type="DR", process="O2C",
                     source="automated", header_text=header(["Customer invoice"],
                                                            np.zeros(n, int)),
                     reference_type="customer_invoice", reference_id=ci_ids,
                     partner_id=partner, rng=rng, lines=stack_lines([
                         (idx, control, gross, zeros, none),
                         (idx, np.full(n, a(410000)), zeros, net,
                          centers(books, rng, "O2C", n)),
                         (t, np.full(len(t), a(210000)), np.zeros(len(t), np.int64), tax[t],
                          np.full(len(t), -1))], n))
    invoices.tables["sales_orders"] = DocTable({
        "sales_order_id": so_ids, "line_number": pa.array(np.ones(n, np.int32)),
        "company_code": constant_dictionary(code, n), "customer_id": partner,
        "material_id": null_strings(n), "quantity": pa.array(np.ones(n, np.int64)),
        "unit_price": to_decimal(net, ex), "net_amount": to_decimal(net, ex),
        "order_date": dates(order_day),
        "credit_check": dictionary(np.zeros(n), ["passed", "released", "rejected"]),
        "created_by": dictionary(clerk, books.ledger.user_ids)})
    due = day + books.customers.terms_days[customer]
    invoices.tables["customer_invoices"] = _invoice_table(
        books, ci_ids, partner, "invoice", so_ids, day, due, net, tax, control)
    # ---- credit memos early in the next period -------------------------------------------
    m_day = memo_day[scheme]
    memos = block(books, posting_day=m_day, document_day=m_day,
                  seconds=seconds_of_day(rng, n, True), document_type="DG", process="O2C",
                  source="automated", header_text=header(["Credit memo for return"],
                                                         np.zeros(n, int)),
                  reference_type="customer_invoice", reference_id=cm_ids, partner_id=partner,
                  rng=rng, lines=stack_lines([
                      (idx, np.full(n, a(420100)), net, zeros, centers(books, rng, "O2C", n)),
                      (t, np.full(len(t), a(210000)), tax[t], np.zeros(len(t), np.int64),
                       np.full(len(t), -1)),
                      (idx, control, zeros, gross, none)], n))
    memos.tables["customer_invoices"] = _invoice_table(
        books, cm_ids, partner, "credit_memo", so_ids, m_day, m_day, -net, -tax, control)
    # ---- each invoice cleared against its credit memo: one document per scheme ---------------
    cr_ids = take_ids(inj, "CR", count)
    rows = np.r_[idx, idx]                                 # invoice rows, then memo rows
    cleared = np.r_[gross, -gross]
    entry = scheme[rows]
    lines = stack_lines([(entry, control[rows], np.maximum(-cleared, 0),
                          np.maximum(cleared, 0), np.full(2 * n, -1))], count)
    first_of = np.searchsorted(scheme, np.arange(count))
    clearing = block(books, posting_day=memo_day, document_day=memo_day,
                     seconds=seconds_of_day(rng, count, True), document_type="DZ",
                     process="O2C", source="automated",
                     header_text=header(["Incoming payment"], np.zeros(count, int)),
                     reference_type="customer_receipt", reference_id=cr_ids,
                     partner_id=partner.take(pa.array(first_of)), lines=lines, rng=rng)
    z = to_decimal(np.zeros(2 * n, np.int64), ex)
    row_day = memo_day[entry]
    clearing.tables["customer_receipts"] = DocTable({
        "receipt_id": cr_ids.take(pa.array(entry)),
        "invoice_id": pa.concat_arrays([ci_ids, cm_ids]),
        "company_code": constant_dictionary(code, 2 * n),
        "customer_id": partner.take(pa.array(rows)),
        "receipt_type": constant_dictionary("payment", 2 * n),
        "receipt_date": dates(row_day), "cleared_amount": to_decimal(cleared, ex),
        "discount_amount": z, "write_off_amount": z, "received_amount": to_decimal(cleared, ex),
        "days_late": pa.array(np.clip(row_day - np.r_[due, m_day], -32768, 32767)
                              .astype(np.int16)),
        "is_partial": pa.array(np.zeros(2 * n, bool))}, entry=entry, day=row_day)
    schemes = inj.new_schemes(count)[scheme]
    scheme_of = {}
    for ids in (so_ids, ci_ids, cm_ids):
        scheme_of.update(zip(strings_of(ids), schemes.tolist()))
    label_blocks(inj, "channel_stuffing", [invoices, memos, clearing], scheme_of)


def _invoice_table(books, ids, partner, kind, so_ids, day, due, net, tax, control) -> DocTable:
    n, ex = len(ids), books.exponent
    return DocTable({
        "invoice_id": ids, "company_code": constant_dictionary(books.code, n),
        "customer_id": partner, "invoice_type": constant_dictionary(kind, n),
        "sales_order_id": so_ids, "delivery_id": null_strings(n), "invoice_date": dates(day),
        "due_date": dates(due), "net_amount": to_decimal(net, ex),
        "tax_amount": to_decimal(tax, ex), "gross_amount": to_decimal(net + tax, ex),
        "tax_rate": pa.array(np.full(n, books.vat * 100, np.float32)),
        "control_account": dictionary(control, books.chart.numbers),
        "is_opening": pa.array(np.zeros(n, bool))}, entry=np.arange(n), day=day)


INJECTORS = {"early_revenue": early_revenue, "channel_stuffing": channel_stuffing}
