"""Vendor invoices and outgoing payments (P2P and A2R share them).

An invoice credits the vendor's AP control account with the gross amount and debits what was
bought (GR/IR for received stock, an expense for services, an asset account for capital
expenditure) plus input VAT. Payments follow the vendor's terms: early with the cash discount
when it is offered and taken, otherwise on or after the due date; blocked invoices wait for
release; some are paid in two instalments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from datasynth.generators.common.arrow import constant_dictionary, dates, dictionary
from datasynth.generators.ledger.flows.common import (
    block,
    doc_ids,
    header,
    percent_of,
    seconds_of_day,
)
from datasynth.generators.ledger.flows.postings import Block, DocTable, stack_lines
from datasynth.generators.ledger.flows.settlement import (
    payment_schedule,
    settlement_day,
)
from datasynth.generators.ledger.journal import sum_by
from datasynth.money import to_decimal

VENDOR_LATENESS = np.array([-2, 12])
MATCH_STATUS = ["matched", "price_variance", "quantity_variance", "blocked", "not_applicable"]
BLOCKING = (2, 3)     # a quantity variance, or a price variance beyond the tolerance


@dataclass
class CreditMemos:
    """Vendor credit memos, each reducing one invoice (``invoice``: its position among the
    invoices of the same call), to be cleared with that invoice's payment."""

    ids: pa.Array
    invoice: np.ndarray
    gross: np.ndarray
    day: np.ndarray


def vendor_credit_memos(books, rng, *, vendor, day, po_ids, invoice, net, process: str,
                        first_ids) -> tuple[Block, CreditMemos]:
    """Credit memos for units billed but never received: Dr AP (gross) / Cr GR/IR (net) /
    Cr input VAT, negative amounts on ``vendor_invoices`` (invoice_type credit_memo)."""
    code, ex = books.code, books.exponent
    n = len(vendor)
    ids = doc_ids("VC", code, first_ids.get("VC", 1), n)
    first_ids["VC"] = first_ids.get("VC", 1) + n
    tax = percent_of(net, books.vat)
    gross = net + tax
    control = books.vendors.control_account[vendor]
    idx, zeros, none = np.arange(n), np.zeros(n, np.int64), np.full(n, -1)
    t = np.flatnonzero(tax > 0)
    lines = stack_lines([
        (idx, control, gross, zeros, none),
        (idx, np.full(n, books.account(205000)), zeros, net, none),
        (t, np.full(len(t), books.account(116000)), np.zeros(len(t), np.int64), tax[t],
         np.full(len(t), -1))], n)
    partner = books.vendors.ids.take(pa.array(vendor))
    b = block(books, posting_day=day, document_day=day, seconds=seconds_of_day(rng, n, False),
              document_type="KG", process=process, source="manual",
              header_text=header(["Vendor credit memo for units not received"],
                                 np.zeros(n, int)),
              reference_type="vendor_invoice", reference_id=ids, partner_id=partner,
              lines=lines, rng=rng)
    z = to_decimal(zeros, ex)
    b.tables["vendor_invoices"] = DocTable({
        "invoice_id": ids, "company_code": constant_dictionary(code, n), "vendor_id": partner,
        "invoice_type": constant_dictionary("credit_memo", n), "purchase_order_id": po_ids,
        "vendor_reference": pa.array(np.char.add("CN", rng.integers(10**6, 10**8, n)
                                                 .astype(str)).astype(object), pa.string()),
        "invoice_date": dates(day), "posting_date": dates(day), "due_date": dates(day),
        "discount_date": pa.nulls(n, pa.date32()),
        "discount_percent": pa.array(np.zeros(n, np.float32)),
        "net_amount": to_decimal(-net, ex), "tax_amount": to_decimal(-tax, ex),
        "gross_amount": to_decimal(-gross, ex),
        "tax_rate": pa.array(np.full(n, books.vat * 100, np.float32)),
        "match_status": constant_dictionary("matched", n), "price_variance": z,
        "is_blocked": pa.array(np.zeros(n, bool)),
        "control_account": dictionary(control, books.chart.numbers),
        "is_opening": pa.array(np.zeros(n, bool))}, entry=idx, day=day)
    return b, CreditMemos(ids, invoice, gross, day)


def vendor_invoices(books, rng, *, vendor, day, po_ids, debit_lines, net, variance,
                    status, process: str, first_ids, is_opening=None) -> tuple[Block, pa.Array,
                                                                              np.ndarray]:
    """Invoice entries. ``debit_lines`` = (entry, account, amount, center) of what was bought;
    ``variance`` (signed) goes to the price-variance account. Returns the block, the invoice
    ids and the gross amounts."""
    code, ex = books.code, books.exponent
    n = len(vendor)
    ids = doc_ids("VI", code, first_ids.get("VI", 1), n)
    first_ids["VI"] = first_ids.get("VI", 1) + n
    tax = percent_of(net, books.vat)
    gross = net + tax
    control = books.vendors.control_account[vendor]
    e, acc, amt, cc = debit_lines
    bought = (e, acc, amt, np.zeros(len(e), np.int64), cc)
    v = np.flatnonzero(variance != 0)
    from datasynth.generators.ledger.flows.common import centers
    var = (v, np.full(len(v), books.account(500200)), np.maximum(variance[v], 0),
           np.maximum(-variance[v], 0), centers(books, rng, "P2P", len(v)))
    t = np.flatnonzero(tax > 0)
    vat = (t, np.full(len(t), books.account(116000)), tax[t], np.zeros(len(t), np.int64),
           np.full(len(t), -1))
    ap = (np.arange(n), control, np.zeros(n, np.int64), gross, np.full(n, -1))
    partner = books.vendors.ids.take(pa.array(vendor))
    # the vendor dated its invoice a few days before it was booked, on a working day too
    document_day = np.minimum(books.working_day(day - rng.integers(0, 5, n), rng,
                                                backward=True), day)
    b = block(books, posting_day=day, document_day=document_day,
              seconds=seconds_of_day(rng, n, False), document_type="KR", process=process,
              source=np.where(rng.random(n) < 0.35, 0, 1),
              header_text=header(["Vendor invoice"], np.zeros(n, int)),
              reference_type="vendor_invoice", reference_id=ids, partner_id=partner,
              lines=stack_lines([bought, var, vat, ap], n), rng=rng)
    due = day + books.vendors.terms_days[vendor]
    disc_pct = books.vendors.discount_percent[vendor]
    disc_days = books.vendors.discount_days[vendor]
    b.tables["vendor_invoices"] = DocTable({
        "invoice_id": ids, "company_code": constant_dictionary(code, n), "vendor_id": partner,
        "invoice_type": constant_dictionary("invoice", n), "purchase_order_id": po_ids,
        "vendor_reference": pa.array(np.char.add("INV", (rng.integers(10**6, 10**8, n))
                                                 .astype(str)).astype(object), pa.string()),
        "invoice_date": dates(day), "posting_date": dates(day), "due_date": dates(due),
        "discount_date": pa.array((day + disc_days).astype(np.int32),
                                  mask=disc_pct <= 0).view(pa.date32()),
        "discount_percent": pa.array(disc_pct.astype(np.float32)),
        "net_amount": to_decimal(net, ex), "tax_amount": to_decimal(tax, ex),
        "gross_amount": to_decimal(gross, ex),
        "tax_rate": pa.array(np.full(n, books.vat * 100, np.float32)),
        "match_status": dictionary(status, MATCH_STATUS),
        "price_variance": to_decimal(variance, ex),
        "is_blocked": pa.array(np.isin(status, BLOCKING)),
        "control_account": dictionary(control, books.chart.numbers),
        "is_opening": pa.array(np.zeros(n, bool) if is_opening is None else is_opening)},
        entry=np.arange(n), day=day)
    return b, ids, gross


def pay_vendors(books, rng, settings, invoice_ids, vendor, invoice_day, gross, control,
                blocked, process: str, first_ids, credits: CreditMemos | None = None,
                held: np.ndarray | None = None) -> Block:
    """Outgoing payments clearing vendor invoices (paid within the run). ``held`` invoices
    are not paid (their credit memo has not arrived); a credit memo in ``credits`` is
    cleared by its invoice's (first) payment, which then pays the difference."""
    code, ex = books.code, books.exponent
    n = len(invoice_ids)
    lateness = np.tile(VENDOR_LATENESS, (n, 1))
    rows = payment_schedule(rng, invoice_day, gross, books.vendors.terms_days[vendor],
                            books.vendors.discount_percent[vendor],
                            books.vendors.discount_days[vendor], lateness,
                            settings.discount_take_rate, settings.partial_payment_rate)
    inv, day, cleared, discount = rows["invoice"], rows["day"], rows["cleared"], rows["discount"]
    day = day + np.where(blocked[inv], rng.integers(5, 26, len(inv)), 0)
    earliest = np.maximum(invoice_day[inv], books.start_day)  # opening items settle inside
    if credits is not None:                  # released once the credit memo is in
        credit_day = np.full(n, books.start_day)
        credit_day[credits.invoice] = credits.day + 1
        earliest = np.maximum(earliest, credit_day[inv])
    day = np.maximum(day, earliest)
    day = settlement_day(books, rng, day, discount > 0, earliest)
    # a discount is earned only when paid by the discount date (a blocked invoice released
    # after it loses the discount)
    discount = np.where(day - invoice_day[inv] <= books.vendors.discount_days[vendor[inv]],
                        discount, 0)
    keep = day < books.end_day
    if held is not None:
        keep &= ~held[inv]
    inv, day, cleared, discount = inv[keep], day[keep], cleared[keep], discount[keep]
    partial = rows["partial"][keep]
    m = len(inv)
    ids = doc_ids("VP", code, first_ids.get("VP", 1), m)
    first_ids["VP"] = first_ids.get("VP", 1) + m
    idx = np.arange(m)
    due = rows["due"][inv]
    doc_ids_of_rows = invoice_ids.take(pa.array(inv))
    row_entry, row_due = idx, due
    if credits is not None and m:
        # each credit memo rides on the first payment row of its invoice
        first_row = np.full(n, -1)
        first_row[inv[::-1]] = idx[::-1]
        host = first_row[credits.invoice]
        ok = host >= 0
        k = int(ok.sum())
        row_entry = np.r_[idx, host[ok]]
        inv = np.r_[inv, credits.invoice[ok]]
        cleared = np.r_[cleared, -credits.gross[ok]]
        discount = np.r_[discount, np.zeros(k, np.int64)]
        partial = np.r_[partial, np.zeros(k, bool)]
        row_due = np.r_[due, day[host[ok]]]
        doc_ids_of_rows = pa.concat_arrays([doc_ids_of_rows,
                                            credits.ids.filter(pa.array(ok))])
    paid = cleared - discount
    rows_n = len(row_entry)
    ap = (row_entry, control[inv], np.maximum(cleared, 0), np.maximum(-cleared, 0),
          np.full(rows_n, -1))
    bank = (idx, np.full(m, books.account(100000)), np.zeros(m, np.int64),
            sum_by(row_entry, paid, m), np.full(m, -1))
    disc = (row_entry, np.full(rows_n, books.account(480000)), np.zeros(rows_n, np.int64),
            discount, np.full(rows_n, -1))
    lines = stack_lines([ap, bank, disc], m)
    nonzero = (lines[2] != 0) | (lines[3] != 0)
    lines = tuple(a[nonzero] for a in lines)
    partner = books.vendors.ids.take(pa.array(vendor[inv]))
    b = block(books, posting_day=day, document_day=day, seconds=seconds_of_day(rng, m, True),
              document_type="KZ", process=process, source="automated",
              header_text=header(["Payment run"], np.zeros(m, int)),
              reference_type="vendor_payment", reference_id=ids, partner_id=partner[:m],
              lines=lines, rng=rng)
    row_day = day[row_entry]
    b.tables["vendor_payments"] = DocTable({
        "payment_id": ids.take(pa.array(row_entry)), "invoice_id": doc_ids_of_rows,
        "company_code": constant_dictionary(code, rows_n), "vendor_id": partner,
        "payment_date": dates(row_day), "cleared_amount": to_decimal(cleared, ex),
        "discount_amount": to_decimal(discount, ex), "paid_amount": to_decimal(paid, ex),
        "days_late": pa.array(np.clip(row_day - row_due, -32768, 32767).astype(np.int16)),
        "is_partial": pa.array(partial)}, entry=row_entry, day=row_day)
    return b

