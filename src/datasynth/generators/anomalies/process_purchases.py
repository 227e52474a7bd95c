"""Process issues that add purchases: goods received and never invoiced, and a service
invoiced before anybody ordered it (domain study §8.1 ProcessIssue; the order, receipt and
invoice of the three-way match, COSO control activities).

The documents and entries come from the builders of flows/p2p.py, so they look exactly like
real ones: orders, requisitions, receipts posted at standard cost against GR/IR, invoices,
payments. The books stay whole: the inventory and AP subledgers are computed from the
documents added here; receipts only add stock, so the stock replay never goes negative; the
VAT returns and the cash plan are built after injection. No check reconciles GR/IR: the
balance a receipt leaves there without its invoice is the very trace it leaves in real books.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.anomalies.process_docs import flag_all, gather, lookup
from datasynth.generators.common.arrow import constant_dictionary, dates
from datasynth.generators.ledger.flows.common import block, centers, doc_ids, header
from datasynth.generators.ledger.flows.p2p import (
    _orders,
    non_stock_purchases,
    requisitions,
)
from datasynth.generators.ledger.flows.postings import Block, DocTable, stack_lines
from datasynth.generators.ledger.journal import PROC, SRC, sum_by
from datasynth.money import to_decimal, to_minor_units

GRIR, PPV = 205000, 500200
# a stock order is invoiced within 12 days of its last receipt (flows/p2p.py): a receipt this
# much older than the end of the run without an invoice was never invoiced
INVOICE_WINDOW = 14


def flow_settings(inj):
    """The document-flow settings payments are drawn with: the context's ``flows`` when it
    carries them, else the defaults (the context holds only the anomaly settings)."""
    settings = getattr(inj, "flows", None)
    if settings is None:
        from datasynth.config.models import DocumentFlowSettings
        settings = DocumentFlowSettings()
    return settings


def receipt_without_invoice(inj, rng: np.random.Generator, count: int) -> None:
    """A stock order received in full and never invoiced: the order (with its
    requisition) and its goods receipt, posted as flows/p2p.py posts one (Dr inventory at
    standard cost, the price variance, Cr GR/IR at the order price), and no invoice ever.
    Like the real ones, its line count is a real order's, each line a real line's material
    and quantity at a fresh price, the vendor drawn by spend; it is received on a real
    order's first receipt day at least INVOICE_WINDOW days before the end of the run (a
    later one could just be invoiced after the run)."""
    books = inj.books
    orders = gather(inj, "purchase_orders",
                    strings=("purchase_order_id", "item_type", "material_id"),
                    plain=("quantity",))
    receipts = gather(inj, "goods_receipts", strings=("purchase_order_id",))
    stock = np.flatnonzero(orders.equals("item_type", "material") & ~orders.flagged)
    stock = stock[lookup(books.material_ids.to_numpy(zero_copy_only=False),
                         orders.strings("material_id").take(stock)) >= 0]
    _, first = np.unique(receipts["purchase_order_id"].astype(str), return_index=True)
    days = receipts["day"][first]
    days = days[days <= books.end_day - INVOICE_WINDOW]
    if count <= 0 or len(stock) == 0 or len(days) == 0:
        return
    n = count
    _, lines_per_order = np.unique(orders.texts("purchase_order_id", stock).astype(str),
                                   return_counts=True)
    line_po = np.repeat(np.arange(n), rng.choice(lines_per_order, n))
    line = rng.choice(stock, len(line_po))
    material = lookup(books.material_ids.to_numpy(zero_copy_only=False),
                      orders.strings("material_id").take(line))
    # a material once per order
    _, keep = np.unique(line_po * len(books.material_ids) + material, return_index=True)
    line_po, line, material = line_po[keep], line[keep], material[keep]
    line_no = np.arange(len(line_po)) - np.searchsorted(line_po, line_po)
    receipt = np.sort(rng.choice(days, n, p=_weights(inj, days)))
    order_day = np.maximum(receipt - rng.integers(2, 12, n), books.start_day)
    quantity = orders["quantity"][line].astype(np.int64)
    cost = books.material_cost[material]
    price = np.maximum(np.rint(cost * (1 + rng.normal(0, 0.02, len(line)))), 1).astype(np.int64)
    vendor = rng.choice(len(books.vendors.weight), n, p=books.vendors.weight)
    code, ids = books.code, inj.first_ids
    start = ids.get("PO", 1)
    po_ids, pr_ids = doc_ids("PO", code, start, n), doc_ids("PR", code, start, n)
    ids["PO"] = start + n
    gr_ids = doc_ids("GR", code, ids.get("GR", 1), n)
    ids["GR"] = ids.get("GR", 1) + n
    buyer = books.directory.creator_choice.sample(
        rng, np.full(n, PROC["P2P"] * 4 + SRC["manual"]))
    material_ids = books.material_ids.take(pa.array(material))
    po = _orders(books, po_ids, pr_ids, line_po, line_no, vendor, 0, material_ids,
                 books.material_inventory[material], np.full(len(line), -1), quantity, price,
                 order_day, buyer)
    b = _receipts(books, rng, line_po, material, quantity, price, receipt, vendor, gr_ids)
    ex = books.exponent
    value, order_value = quantity * cost, quantity * price
    b.tables["goods_receipts"] = DocTable({
        "goods_receipt_id": gr_ids.take(pa.array(line_po)),
        "company_code": constant_dictionary(code, len(line)),
        "purchase_order_id": po_ids.take(pa.array(line_po)),
        "po_line_number": pa.array((line_no + 1).astype(np.int32)),
        "vendor_id": books.vendors.ids.take(pa.array(vendor[line_po])),
        "material_id": material_ids, "quantity": pa.array(quantity),
        "inventory_value": to_decimal(value, ex), "order_value": to_decimal(order_value, ex),
        "posting_date": dates(receipt[line_po]), "is_partial": pa.array(np.zeros(len(line),
                                                                                   bool))},
        entry=line_po, day=receipt[line_po])
    b.tables["purchase_orders"] = po
    b.tables["purchase_requisitions"] = requisitions(books, rng, po)
    _add_purchase(inj, "receipt_without_invoice", b, sum_by(line_po, order_value, n),
                  {"goods_receipts": (gr_ids, receipt)})


def _receipts(books, rng, line_po, material, quantity, price, day, vendor, gr_ids) -> Block:
    """The goods-receipt entries, one per order (flows/p2p.py::stock_purchases): inventory
    at standard cost, the purchase price variance, GR/IR at the order price; a month's first
    receipts are booked in the first hour of the day."""
    n, m = len(day), len(line_po)
    value = quantity * books.material_cost[material]
    order_value = quantity * price
    ppv = order_value - value
    none, zeros = np.full(m, -1), np.zeros(m, np.int64)
    lines = stack_lines([
        (line_po, books.material_inventory[material], value, zeros, none),
        (line_po, np.full(m, books.account(PPV)), np.maximum(ppv, 0), np.maximum(-ppv, 0),
         centers(books, rng, "P2P", m)),
        (line_po, np.full(m, books.account(GRIR)), zeros, order_value, none)], n)
    nonzero = (lines[2] != 0) | (lines[3] != 0)
    return block(books, posting_day=day, document_day=day, seconds=rng.integers(0, 3600, n),
                 document_type="WE", process="P2P", source="automated",
                 header_text=header(["Goods receipt for purchase order"], np.zeros(n, int)),
                 reference_type="goods_receipt", reference_id=gr_ids,
                 partner_id=books.vendors.ids.take(pa.array(vendor)),
                 lines=tuple(a[nonzero] for a in lines), rng=rng)


def invoice_without_po(inj, rng: np.random.Generator, count: int) -> None:
    """A service invoiced before anybody ordered it: the invoice is posted and paid like any
    service purchase (flows/p2p.py builds it), and the order and its requisition are
    raised 1-14 days after the invoice, to cover it (an after-the-fact order). Amounts are
    real service orders' amounts, smoothed (x e^N(0, 0.05)) so none is repeated exactly;
    months are real orders' months with room for the order after the invoice in the run."""
    books = inj.books
    orders = gather(inj, "purchase_orders", strings=("item_type",), days=("order_date",),
                    money=("net_amount",))
    service = np.flatnonzero(orders.equals("item_type", "service") & ~orders.flagged)
    first_day = np.array([d.min() for d in books.month_days])
    # ordered by day 25 of its month, invoiced up to 9 days later (flows/p2p.py)
    room = first_day + 35 < books.end_day - 1
    dated = service[room[books.month_of(orders["order_date"][service])]]
    if count <= 0 or len(dated) == 0:
        return
    n = count
    amount_from = rng.choice(service, n)
    month_from = rng.choice(dated, n, p=_weights(inj, orders["order_date"][dated]))
    amount = np.maximum(np.rint(orders["net_amount"][amount_from]
                                * np.exp(rng.normal(0, 0.05, n))), 100).astype(np.int64)
    month = np.sort(books.month_of(orders["order_date"][month_from]))
    blocks = non_stock_purchases(books, lambda _: rng, flow_settings(inj), month, amount,
                                 "service", inj.first_ids)
    invoices = blocks[0]
    doc = invoices.tables["vendor_invoices"]
    po = invoices.tables["purchase_orders"]
    po.columns["order_date"] = dates(np.minimum(doc.day + rng.integers(1, 15, n),
                                                books.end_day - 1))
    invoices.tables["purchase_requisitions"] = requisitions(books, rng, po)
    gross = to_minor_units(doc.columns["gross_amount"], books.exponent)
    scheme = _add_purchase(inj, "invoice_without_po", invoices, gross,
                           {"vendor_invoices": (doc.columns["invoice_id"], doc.day)})
    for payments in (b for b in blocks[1:] if len(b)):
        rows = payments.tables["vendor_payments"]
        which = lookup(doc.columns["invoice_id"].to_numpy(zero_copy_only=False),
                       rows.columns["invoice_id"].to_numpy(zero_copy_only=False))
        paid = to_minor_units(rows.columns["paid_amount"], books.exponent)
        entry_scheme = np.zeros(len(payments), np.int64)
        entry_scheme[rows.entry] = scheme[which]
        flag_all(payments, "invoice_without_po")
        inj.label_block("invoice_without_po", inj.add_block(payments), entry_scheme,
                        sum_by(rows.entry, paid, len(payments)))
        inj.label_rows("invoice_without_po", "vendor_payments", rows.columns["payment_id"],
                       rows.day, scheme[which], paid)


def _add_purchase(inj, anomaly: str, b: Block, impact: np.ndarray,
                  posted: dict[str, tuple[pa.Array, np.ndarray]]) -> np.ndarray:
    """Add an injected purchase block (entry ``k`` = instance ``k``, order ``k``) with its
    orders and requisitions: every document row flagged, every entry and document labelled
    (a document of several lines once). Returns the instances' schemes."""
    scheme = inj.new_schemes(len(b))
    flag_all(b, anomaly)
    inj.label_block(anomaly, inj.add_block(b), scheme, impact)
    for table, (ids, day) in posted.items():
        inj.label_rows(anomaly, table, ids, day, scheme, impact)
    for table, key, date in (("purchase_orders", "purchase_order_id", "order_date"),
                             ("purchase_requisitions", "requisition_id", "requisition_date")):
        columns = b.tables[table].columns
        ids, first = np.unique(columns[key].to_numpy(zero_copy_only=False).astype(str),
                               return_index=True)
        day = columns[date].cast(pa.int32()).to_numpy(zero_copy_only=False)[first]
        # ids are numbered in instance order, so the sorted ids are the instances
        inj.label_rows(anomaly, table, pa.array(ids), day.astype(np.int64), scheme, impact)
    return scheme


def _weights(inj, days: np.ndarray) -> np.ndarray:
    w = inj.period_end_weight(days)
    return w / w.sum()


INJECTORS = {"invoice_without_po": invoice_without_po,
             "receipt_without_invoice": receipt_without_invoice}
