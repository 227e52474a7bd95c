"""Customer returns: goods sent back after delivery, with a credit memo and its refund.

A share (``document_flows.return_rate``) of delivered goods lines comes back 3-30 days after
delivery (on a working day, like the refund), all or part of the quantity. Each return is
three documents and entries:
- a return delivery (``deliveries.is_return``, negative quantity): stock back in at the
  standard cost it left at, Dr inventory / Cr cost of sales;
- a credit memo (``customer_invoices.invoice_type = credit_memo``, negative amounts): Dr
  sales returns and allowances (a contra-revenue account, IFRS 15.B20-B27 refund
  liability settled at once) and the output VAT, Cr receivables;
- a refund (``customer_receipts.receipt_type = refund``, negative amounts) 5-20 days
  later: Dr receivables / Cr bank, which clears the credit memo.
A return or refund that would fall after the run is not posted (the credit memo then stays
open on the receivables subledger as a negative item).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from datasynth.generators.common.arrow import constant_dictionary, dates, dictionary
from datasynth.generators.ledger.flows.common import (
    block,
    centers,
    doc_ids,
    header,
    percent_of,
    seconds_of_day,
)
from datasynth.generators.ledger.flows.postings import Block, DocTable, stack_lines
from datasynth.money import to_decimal


@dataclass
class Shipped:
    """Delivered goods lines a return can come from."""

    sales_order_id: pa.Array
    line_number: np.ndarray      # 1-based sales-order line
    customer: np.ndarray
    material: np.ndarray
    quantity: np.ndarray
    price: np.ndarray            # minor units per unit
    day: np.ndarray              # delivery day


def customer_returns(books, rng, settings, shipped: Shipped, first_ids) -> list[Block]:
    n = len(shipped.day)
    picked = np.flatnonzero(rng.random(n) < settings.return_rate)
    day = np.maximum(books.working_day(shipped.day[picked] + rng.integers(3, 31, len(picked)),
                                       rng), shipped.day[picked] + 3)
    picked, day = picked[day < books.end_day], day[day < books.end_day]
    m = len(picked)
    if m == 0:
        return []
    code, ex = books.code, books.exponent
    shipped_qty = shipped.quantity[picked]
    qty = np.where(rng.random(m) < 0.6, shipped_qty,
                   1 + np.floor(rng.random(m) * shipped_qty).astype(np.int64))
    qty = np.minimum(qty, shipped_qty)
    mat, customer = shipped.material[picked], shipped.customer[picked]
    cost = qty * books.material_cost[mat]
    net = qty * shipped.price[picked]
    tax = percent_of(net, books.vat)
    gross = net + tax
    control = books.customers.control_account[customer]
    partner = books.customers.ids.take(pa.array(customer))
    so_ids = shipped.sales_order_id.take(pa.array(picked))
    idx = np.arange(m)
    none = np.full(m, -1)
    zeros = np.zeros(m, np.int64)
    # ---- return delivery: stock back in at standard cost ---------------------------------
    rt_ids = doc_ids("DL", code, first_ids.get("DL", 1), m)
    first_ids["DL"] = first_ids.get("DL", 1) + m
    goods_back = block(
        books, posting_day=day, document_day=day, seconds=seconds_of_day(rng, m, False),
        document_type="WL", process="O2C", source="automated",
        header_text=header(["Customer return"], np.zeros(m, int)), reference_type="delivery",
        reference_id=rt_ids, partner_id=partner, rng=rng,
        lines=stack_lines([(idx, books.material_inventory[mat], cost, zeros, none),
                           (idx, books.material_cogs[mat], zeros, cost,
                            centers(books, rng, "O2C", m))], m))
    goods_back.tables["deliveries"] = DocTable({
        "delivery_id": rt_ids, "company_code": constant_dictionary(code, m),
        "sales_order_id": so_ids,
        "so_line_number": pa.array(shipped.line_number[picked].astype(np.int32)),
        "customer_id": partner, "material_id": books.material_ids.take(pa.array(mat)),
        "quantity": pa.array(-qty), "cost_amount": to_decimal(-cost, ex),
        "posting_date": dates(day), "is_partial": pa.array(np.zeros(m, bool)),
        "is_return": pa.array(np.ones(m, bool))}, entry=idx, day=day)
    # ---- credit memo -----------------------------------------------------------------------
    cm_ids = doc_ids("CM", code, first_ids.get("CM", 1), m)
    first_ids["CM"] = first_ids.get("CM", 1) + m
    has_tax = np.flatnonzero(tax > 0)
    memo = block(
        books, posting_day=day, document_day=day, seconds=seconds_of_day(rng, m, True),
        document_type="DG", process="O2C", source="automated",
        header_text=header(["Credit memo for return"], np.zeros(m, int)),
        reference_type="customer_invoice", reference_id=cm_ids, partner_id=partner, rng=rng,
        lines=stack_lines([
            (idx, np.full(m, books.account(420100)), net, zeros, centers(books, rng, "O2C", m)),
            (has_tax, np.full(len(has_tax), books.account(210000)), tax[has_tax],
             np.zeros(len(has_tax), np.int64), np.full(len(has_tax), -1)),
            (idx, control, zeros, gross, none)], m))
    memo.tables["customer_invoices"] = DocTable({
        "invoice_id": cm_ids, "company_code": constant_dictionary(code, m),
        "customer_id": partner, "invoice_type": constant_dictionary("credit_memo", m),
        "sales_order_id": so_ids, "delivery_id": rt_ids, "invoice_date": dates(day),
        "due_date": dates(day), "net_amount": to_decimal(-net, ex),
        "tax_amount": to_decimal(-tax, ex), "gross_amount": to_decimal(-gross, ex),
        "tax_rate": pa.array(np.full(m, books.vat * 100, np.float32)),
        "control_account": dictionary(control, books.chart.numbers),
        "is_opening": pa.array(np.zeros(m, bool))}, entry=idx, day=day)
    # ---- refund ----------------------------------------------------------------------------
    refund_day = np.maximum(books.working_day(day + rng.integers(5, 21, m), rng), day + 5)
    paid = np.flatnonzero(refund_day < books.end_day)
    k = len(paid)
    blocks = [goods_back, memo]
    if k:
        rf_ids = doc_ids("CR", code, first_ids.get("CR", 1), k)
        first_ids["CR"] = first_ids.get("CR", 1) + k
        r_idx = np.arange(k)
        refund = block(
            books, posting_day=refund_day[paid], document_day=refund_day[paid],
            seconds=seconds_of_day(rng, k, True), document_type="DZ", process="O2C",
            source="automated", header_text=header(["Refund to customer"], np.zeros(k, int)),
            reference_type="customer_receipt", reference_id=rf_ids,
            partner_id=partner.take(pa.array(paid)), rng=rng,
            lines=stack_lines([
                (r_idx, control[paid], gross[paid], np.zeros(k, np.int64), np.full(k, -1)),
                (r_idx, np.full(k, books.account(100000)), np.zeros(k, np.int64), gross[paid],
                 np.full(k, -1))], k))
        z = to_decimal(np.zeros(k, np.int64), ex)
        refund.tables["customer_receipts"] = DocTable({
            "receipt_id": rf_ids, "invoice_id": cm_ids.take(pa.array(paid)),
            "company_code": constant_dictionary(code, k),
            "customer_id": partner.take(pa.array(paid)),
            "receipt_type": constant_dictionary("refund", k),
            "receipt_date": dates(refund_day[paid]),
            "cleared_amount": to_decimal(-gross[paid], ex), "discount_amount": z,
            "write_off_amount": z, "received_amount": to_decimal(-gross[paid], ex),
            "days_late": pa.array((refund_day[paid] - day[paid]).astype(np.int16)),
            "is_partial": pa.array(np.zeros(k, bool))}, entry=r_idx, day=refund_day[paid])
        blocks.append(refund)
    return blocks
