"""Procure to pay: requisition -> purchase order -> goods receipt -> vendor invoice (three-way
match) -> payment; and non-stock purchases of services (expensed) and assets (capitalised,
the A2R acquisitions).

Stock is valued at standard cost: the goods receipt debits inventory at standard and credits
GR/IR at the order price, the difference being a purchase price variance; the invoice clears
GR/IR, and an invoice price off the order price is an invoice price variance — within the
match tolerance it posts, beyond it the invoice is blocked for payment until released.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.common.arrow import constant_dictionary, dates, dictionary
from datasynth.generators.ledger.flows.common import (
    block,
    centers,
    clip_days,
    doc_ids,
    header,
    null_strings,
    seconds_of_day,
)
from datasynth.generators.ledger.flows import foreign_payables as fx_payables
from datasynth.generators.ledger.flows.payables import (
    BLOCKING,
    pay_vendors,
    vendor_credit_memos,
    vendor_invoices,
)
from datasynth.generators.ledger.flows.postings import Block, DocTable, stack_lines
from datasynth.money import to_decimal, to_minor_units

ITEM_TYPES = ["material", "service", "asset"]
# Asset classes bought during the run: (class, asset account, accumulated dep., life months)
ASSET_CLASSES = (("machinery", 150200, 159200, 84), ("vehicles", 150300, 159300, 60),
                 ("furniture", 150400, 159400, 84), ("it_equipment", 150500, 159500, 36))
SERVICE_ACCOUNTS = (700000, 710000, 720000, 740000, 745000, 750000, 760000, 765000, 770000)


def stock_purchases(books, streams, settings, lines, po_of_line, first_ids) -> list[Block]:
    """Orders of stock materials (a stock plan's :class:`Replenishment` lines, grouped into
    orders by ``po_of_line``), receipts, invoices and payments. An order is placed a few days
    before its month and received on the month's first working day, early, before any
    delivery (o2c.build ships no earlier); a partial delivery only defers what the month's
    sales do not need at once (``urgent``). Orders, later receipts and invoices fall on
    working days but for the calendar's small weekend share (CompanyBooks.working_day)."""
    code, ex = books.code, books.exponent
    rng = streams("p2p_stock")
    order = np.argsort(po_of_line, kind="stable")
    material, quantity = lines.material[order], lines.quantity[order]
    month, urgent = lines.month[order], lines.urgent[order]
    pos, line_po = np.unique(po_of_line[order], return_inverse=True)
    n_po, n = len(pos), len(line_po)
    po_month = month[np.searchsorted(line_po, np.arange(n_po))]
    first_day = np.array([d.min() for d in books.month_days])[po_month]
    last_day = np.array([d.max() for d in books.month_days])[po_month]
    receipt_day = books.first_working[po_month]
    order_day = np.maximum(first_day - rng.integers(2, 12, n_po), books.start_day)
    order_day = np.minimum(books.working_day(order_day, rng), receipt_day)
    vendor = rng.choice(len(books.vendors.weight), n_po, p=_stock_weights(books))
    cost = books.material_cost[material]
    price = np.maximum(np.rint(cost * (1 + rng.normal(0, 0.02, n))), 1).astype(np.int64)
    po_ids = doc_ids("PO", code, first_ids.get("PO", 1), n_po)
    pr_ids = doc_ids("PR", code, first_ids.get("PO", 1), n_po)
    first_ids["PO"] = first_ids.get("PO", 1) + n_po
    line_no = np.arange(n) - np.searchsorted(line_po, line_po)
    buyer = books.directory.creator_choice.sample(rng, np.full(n_po, 1 * 4 + 0))
    po_table = _orders(books, po_ids, pr_ids, line_po, line_no, vendor, 0,
                       books.material_ids.take(pa.array(material)),
                       books.material_inventory[material], np.full(n, -1), quantity, price,
                       order_day, buyer)
    # ---- goods receipts: one, or two for a partial delivery --------------------------------
    q1 = np.maximum((quantity + 1) // 2, urgent)
    partial = (rng.random(n_po) < settings.partial_delivery_rate)[line_po] & (q1 < quantity)
    gr1 = receipt_day
    gr2 = clip_days(gr1 + rng.integers(3, 15, n_po), gr1, last_day)
    gr2 = np.maximum(books.working_day(gr2, rng), gr1)
    q1 = np.where(partial, q1, quantity)
    r_line = np.concatenate([np.arange(n), np.flatnonzero(partial)])
    r_no = np.concatenate([np.zeros(n, np.int64), np.ones(int(partial.sum()), np.int64)])
    r_qty = np.concatenate([q1, (quantity - q1)[partial]])
    order = np.lexsort((r_line, r_no, line_po[r_line]))
    r_line, r_no, r_qty = r_line[order], r_no[order], r_qty[order]
    keys, r_doc = np.unique(line_po[r_line] * 2 + r_no, return_inverse=True)
    n_gr = len(keys)
    gr_day = np.where(keys % 2 == 1, gr2[keys // 2], gr1[keys // 2])
    gr_ids = doc_ids("GR", code, first_ids.get("GR", 1), n_gr)
    first_ids["GR"] = first_ids.get("GR", 1) + n_gr
    mat = material[r_line]
    inv_value = r_qty * cost[r_line]
    order_value = r_qty * price[r_line]
    ppv = order_value - inv_value
    cc = centers(books, rng, "P2P", len(r_line))
    lines = stack_lines([
        (r_doc, books.material_inventory[mat], inv_value, np.zeros_like(inv_value),
         np.full(len(r_line), -1)),
        (r_doc, np.full(len(r_line), books.account(500200)), np.maximum(ppv, 0),
         np.maximum(-ppv, 0), cc),
        (r_doc, np.full(len(r_line), books.account(205000)), np.zeros_like(inv_value),
         order_value, np.full(len(r_line), -1))], n_gr)
    nonzero = (lines[2] != 0) | (lines[3] != 0)
    lines = tuple(a[nonzero] for a in lines)
    gr_vendor = vendor[keys // 2]
    # the month's first receipts are booked in the first minutes of the day, before the
    # overnight delivery batch (01:00-05:59) ships anything
    early = rng.integers(0, 3600, n_gr)
    receipts = block(books, posting_day=gr_day, document_day=gr_day,
                     seconds=np.where(keys % 2 == 0, early, seconds_of_day(rng, n_gr, False)),
                     document_type="WE",
                     process="P2P", source="automated",
                     header_text=header(["Goods receipt for purchase order"],
                                        np.zeros(n_gr, int)),
                     reference_type="goods_receipt", reference_id=gr_ids,
                     partner_id=books.vendors.ids.take(pa.array(gr_vendor)), lines=lines,
                     rng=rng)
    receipts.tables["goods_receipts"] = DocTable({
        "goods_receipt_id": gr_ids.take(pa.array(r_doc)),
        "company_code": constant_dictionary(code, len(r_line)),
        "purchase_order_id": po_ids.take(pa.array(line_po[r_line])),
        "po_line_number": pa.array((line_no[r_line] + 1).astype(np.int32)),
        "vendor_id": books.vendors.ids.take(pa.array(vendor[line_po[r_line]])),
        "material_id": books.material_ids.take(pa.array(mat)),
        "quantity": pa.array(r_qty), "inventory_value": to_decimal(inv_value, ex),
        "order_value": to_decimal(order_value, ex), "posting_date": dates(gr_day[r_doc]),
        "is_partial": pa.array(partial[r_line])}, entry=r_doc, day=gr_day[r_doc])
    receipts.tables["purchase_orders"] = po_table
    receipts.tables["purchase_requisitions"] = requisitions(books, rng, po_table,
                                                            streams("pr_approval"))
    # ---- invoices: one per order after its last receipt ------------------------------------
    last_gr = np.maximum(gr1, np.where(np.bincount(line_po, weights=partial,
                                                   minlength=n_po) > 0, gr2, gr1))
    inv_day = np.maximum(books.working_day(last_gr + rng.integers(0, 13, n_po), rng), last_gr)
    value = np.bincount(line_po, weights=quantity * price, minlength=n_po).astype(np.int64)
    deviation = np.where(rng.random(n_po) < settings.price_variance_rate,
                         rng.uniform(-0.05, 0.05, n_po), 0.0)
    variance = np.rint(value * deviation).astype(np.int64)
    blocked = np.abs(deviation) * 100 > settings.match_tolerance_percent
    status = np.where(variance == 0, 0, np.where(blocked, 3, 1))
    # quantity variance: the vendor bills a few more units of the order's first line than
    # were received; the three-way match blocks the invoice until the vendor's credit memo
    first_line = np.searchsorted(line_po, np.arange(n_po))
    billed_over = (rng.random(n_po) < settings.quantity_variance_rate) & (variance == 0)
    extra = np.where(billed_over, np.maximum(1, np.rint(
        quantity[first_line] * rng.uniform(0.02, 0.10, n_po))), 0).astype(np.int64)
    over = extra * price[first_line]
    status = np.where(billed_over, 2, status)
    invoiced = np.flatnonzero(inv_day < books.end_day)
    keep_line = np.isin(line_po, invoiced)
    remap = np.full(n_po, -1)
    remap[invoiced] = np.arange(len(invoiced))
    over_inv = np.flatnonzero(over[invoiced] > 0)
    debit = (np.r_[remap[line_po[keep_line]], over_inv],
             np.full(int(keep_line.sum()) + len(over_inv), books.account(205000)),
             np.r_[(quantity * price)[keep_line], over[invoiced][over_inv]],
             np.full(int(keep_line.sum()) + len(over_inv), -1))
    blocks = [receipts]
    blocks += _invoice_and_pay(books, rng, settings, vendor[invoiced], inv_day[invoiced],
                               po_ids.take(pa.array(invoiced)), debit,
                               value[invoiced] + variance[invoiced] + over[invoiced],
                               variance[invoiced], status[invoiced], "P2P", first_ids,
                               over=over[invoiced])
    return blocks


def _stock_weights(books) -> np.ndarray:
    """Spend weights of the vendors stock is bought from: those invoicing in the company
    currency (foreign_payables.py: GR/IR stays in one currency)."""
    weight = books.vendors.weight
    if books.vendors.currency is None or not (books.vendors.currency == 0).any():
        return weight
    weight = np.where(books.vendors.currency == 0, weight, 0.0)
    return weight / weight.sum()


def _invoice_and_pay(books, rng, settings, vendor, day, po_ids, debit, net, variance, status,
                     process, first_ids, over=None) -> list[Block]:
    """Invoices and their payments; ``over`` (net, per invoice) is billed for units not
    received: the vendor's credit memo follows in 3-15 days and the blocked invoice is paid
    with it, net; an invoice whose credit memo falls after the run stays blocked."""
    inv, ids, gross = vendor_invoices(books, rng, vendor=vendor, day=day, po_ids=po_ids,
                                      debit_lines=debit, net=net, variance=variance,
                                      status=status, process=process, first_ids=first_ids)
    blocks, credits, held = [inv], None, None
    if over is not None and (over > 0).any():
        billed = np.flatnonzero(over > 0)
        memo_day = np.maximum(books.working_day(day[billed] + rng.integers(3, 16, len(billed)),
                                                rng), day[billed])
        held = np.zeros(len(vendor), bool)
        held[billed[memo_day >= books.end_day]] = True
        sent = memo_day < books.end_day
        billed, memo_day = billed[sent], memo_day[sent]
        if len(billed):
            memos, credits = vendor_credit_memos(
                books, rng, vendor=vendor[billed], day=memo_day,
                po_ids=po_ids.take(pa.array(billed)), invoice=billed, net=over[billed],
                process=process, first_ids=first_ids)
            blocks.append(memos)
    blocks.append(pay_vendors(books, rng, settings, ids, vendor, day, gross,
                              books.vendors.control_account[vendor],
                              np.isin(status, BLOCKING), process, first_ids, credits, held))
    return blocks


def non_stock_purchases(books, streams, settings, month, amount, kind: str,
                        first_ids) -> list[Block]:
    """Service purchases (expensed, P2P) or asset purchases (capitalised, A2R): one-line
    orders invoiced directly (two-way match), then paid."""
    code = books.code
    rng = streams(f"p2p_{kind}")
    n = len(month)
    first_day = np.array([d.min() for d in books.month_days])[month]
    last_day = np.array([d.max() for d in books.month_days])[month]
    order_day = books.working_day(clip_days(first_day + rng.integers(0, 25, n), first_day,
                                            last_day), rng)
    inv_day = clip_days(order_day + rng.integers(0, 10, n), order_day, books.end_day - 1)
    inv_day = np.maximum(books.working_day(inv_day, rng), order_day)
    vendor = rng.choice(len(books.vendors.weight), n, p=books.vendors.weight)
    process = "A2R" if kind == "asset" else "P2P"
    if kind == "asset":
        cls = rng.integers(0, len(ASSET_CLASSES), n)
        account = np.array([books.account(c[1]) for c in ASSET_CLASSES])[cls]
        center = np.full(n, -1)
    else:
        cls = None
        account = np.array([books.account(a) for a in SERVICE_ACCOUNTS])[
            rng.integers(0, len(SERVICE_ACCOUNTS), n)]
        center = centers(books, rng, "P2P", n)
    po_ids = doc_ids("PS" if kind == "service" else "PA", code, first_ids.get(kind, 1), n)
    pr_ids = doc_ids("RS" if kind == "service" else "RA", code, first_ids.get(kind, 1), n)
    first_ids[kind] = first_ids.get(kind, 1) + n
    buyer = books.directory.creator_choice.sample(rng, np.full(n, 1 * 4 + 0))
    status = np.full(n, 4 if kind == "service" else 0)
    foreign = (books.vendors.currency[vendor] > 0 if books.vendors.currency is not None
               else np.zeros(n, bool))
    if not foreign.any():
        return _non_stock_blocks(books, rng, streams, settings, np.arange(n), vendor, order_day,
                                 inv_day, po_ids, pr_ids, account, center, cls, amount, status,
                                 buyer, kind, process, first_ids)
    # vendors invoicing in their own currency: blocks of their own (foreign_payables.py)
    blocks = []
    for own, fc in ((np.flatnonzero(~foreign), False), (np.flatnonzero(foreign), True)):
        blocks += _non_stock_blocks(
            books, rng, streams, settings, own, vendor[own], order_day[own], inv_day[own],
            po_ids.take(pa.array(own)), pr_ids.take(pa.array(own)), account[own],
            center[own], None if cls is None else cls[own], amount[own], status[own],
            buyer[own], kind, process, first_ids, fc)
    return blocks


def _non_stock_blocks(books, rng, streams, settings, rows, vendor, order_day, inv_day, po_ids,
                      pr_ids, account, center, cls, amount, status, buyer, kind, process,
                      first_ids, foreign=False) -> list[Block]:
    """Orders, invoices, payments (and acquisitions) of the non-stock purchases ``rows``,
    all from company-currency vendors or all from foreign-currency ones (``foreign``)."""
    n = len(rows)
    if n == 0:
        return []
    ones = np.ones(n, np.int64)
    if foreign:
        currency = books.vendors.currency[vendor]
        amount_fc, local = fx_payables.order_prices(books, currency, order_day, amount)
    else:
        local = amount
    po_table = _orders(books, po_ids, pr_ids, np.arange(n), np.zeros(n, np.int64), vendor,
                       ITEM_TYPES.index(kind), null_strings(n), account, center, ones, local,
                       order_day, buyer)
    if foreign:
        po_table.columns.update(fx_payables.order_columns(books, currency, amount_fc, ones))
        inv, booked = fx_payables.invoices(
            books, rng, vendor=vendor, day=inv_day, po_ids=po_ids, account=account,
            center=center, net_fc=amount_fc, status=status, process=process,
            first_ids=first_ids)
        blocks = [inv, fx_payables.payments(books, rng, settings, booked, process, first_ids)]
        capitalised = booked["net"]             # the asset line: its amount at the rate
        approvals = streams(f"pr_approval_{kind}_foreign")
    else:
        debit = (np.arange(n), account, amount, center)
        blocks = _invoice_and_pay(books, rng, settings, vendor, inv_day, po_ids, debit,
                                  amount, np.zeros(n, np.int64), status, process, first_ids)
        capitalised = amount
        approvals = streams(f"pr_approval_{kind}")
    blocks[0].tables["purchase_orders"] = po_table
    blocks[0].tables["purchase_requisitions"] = requisitions(books, rng, po_table, approvals)
    if kind == "asset":
        acquisitions = _acquisitions(books, rng, cls, capitalised, inv_day, vendor, first_ids)
        acquisitions.columns["vendor_invoice_id"] = \
            blocks[0].tables["vendor_invoices"].columns["invoice_id"]
        blocks[0].tables["asset_acquisitions"] = acquisitions
    return blocks


def _acquisitions(books, rng, cls, amount, day, vendor, first_ids) -> DocTable:
    n = len(cls)
    ids = doc_ids("FA", books.code, first_ids.get("FA", 1), n)
    first_ids["FA"] = first_ids.get("FA", 1) + n
    names = np.array([c[0] for c in ASSET_CLASSES])
    return DocTable({
        "asset_id": ids, "company_code": constant_dictionary(books.code, n),
        "asset_class": dictionary(cls, list(names)),
        "description": pa.array(np.char.add(np.char.add(names[cls].astype(str), " "),
                                            ids.to_numpy(zero_copy_only=False).astype(str))
                                .astype(object), pa.string()),
        "acquisition_date": dates(day), "acquisition_cost": to_decimal(amount, books.exponent),
        "useful_life_months": pa.array(np.array([c[3] for c in ASSET_CLASSES],
                                                np.int16)[cls]),
        "salvage_value": to_decimal(np.zeros(n, np.int64), books.exponent),
        "cost_center": _center_codes(books, centers(books, rng, "A2R", n)),
        "asset_account": dictionary(np.array([books.account(c[1]) for c in ASSET_CLASSES])[cls],
                                    books.chart.numbers),
        "accumulated_depreciation_account": dictionary(
            np.array([books.account(c[2]) for c in ASSET_CLASSES])[cls], books.chart.numbers),
        "depreciation_expense_account": dictionary(np.full(n, books.account(780000)),
                                                   books.chart.numbers),
        "vendor_id": books.vendors.ids.take(pa.array(vendor)),
        "vendor_invoice_id": None}, entry=np.arange(n), day=day)


def _center_codes(books, center: np.ndarray) -> pa.DictionaryArray:
    return dictionary(np.maximum(center, 0), books.ledger.cost_center_ids, mask=center < 0)


def requisitions(books, rng, orders: DocTable, approval_rng=None) -> DocTable:
    """The requisition line behind each order line: raised by a person of the company up to a
    week before the order, at a price estimate within a few percent of the agreed price, and
    approved by another person (segregation of duties) between the request and the order
    (authorisation before commitment, COSO control activities), mostly within a day or two;
    requests and approvals fall on working days (but for the calendar's weekend share).
    The approval days are drawn from ``approval_rng`` (a stream of their own, so adding them
    changed no other draw), else last from ``rng``."""
    po = orders.columns
    n = len(po["purchase_order_id"])
    order_day = po["order_date"].cast(pa.int32()).to_numpy(zero_copy_only=False)
    # one requester, approver and date per requisition (all its lines)
    req = pc.dictionary_encode(po["requisition_id"]).indices.to_numpy(zero_copy_only=False)
    k = int(req.max()) + 1 if n else 0
    req_order = np.full(k, np.iinfo(np.int64).max)
    np.minimum.at(req_order, req, order_day)     # the lines of a requisition share an order
    req_day = np.maximum(req_order - rng.integers(0, 8, k), books.start_day)
    req_day = np.minimum(books.working_day(req_day, rng, backward=True), req_order)
    day = req_day[req]
    people = max(len(books.employee_ids), 1)
    requester = rng.integers(0, people, k)
    approver = ((requester + 1 + rng.integers(0, max(people - 1, 1), k)) % people)[req]
    requester = requester[req]
    price = to_minor_units(po["unit_price"], books.exponent)
    estimate = np.maximum(np.rint(price * rng.uniform(0.97, 1.03, n)), 1).astype(np.int64)
    # 0..(order - request) days after the request, skewed early (u^2)
    approval_rng = rng if approval_rng is None else approval_rng
    u = approval_rng.random(k)
    approval = req_day + np.floor((np.maximum(req_order - req_day, 0) + 1) * u * u).astype(
        np.int64)
    approval = clip_days(books.working_day(approval, approval_rng), req_day,
                         np.maximum(req_order, req_day))[req]
    return DocTable({
        "requisition_id": po["requisition_id"], "line_number": po["line_number"],
        "company_code": po["company_code"], "item_type": po["item_type"],
        "material_id": po["material_id"], "gl_account": po["gl_account"],
        "cost_center": po["cost_center"], "quantity": po["quantity"],
        "estimated_price": to_decimal(estimate, books.exponent),
        "requisition_date": dates(day),
        "requested_by": dictionary(requester, books.employee_ids),
        "approved_by": dictionary(approver, books.employee_ids),
        "approval_date": dates(approval),
        "status": constant_dictionary("converted", n),
        "purchase_order_id": po["purchase_order_id"], "po_line_number": po["line_number"]})


def _orders(books, po_ids, pr_ids, line_po, line_no, vendor, item_type, material_ids, account,
            center, quantity, price, order_day, buyer) -> DocTable:
    n = len(line_po)
    return DocTable({
        "purchase_order_id": po_ids.take(pa.array(line_po)),
        "line_number": pa.array((line_no + 1).astype(np.int32)),
        "company_code": constant_dictionary(books.code, n),
        "requisition_id": pr_ids.take(pa.array(line_po)),
        "vendor_id": books.vendors.ids.take(pa.array(vendor[line_po])),
        "item_type": dictionary(np.full(n, item_type), ITEM_TYPES),
        "material_id": material_ids,
        "gl_account": dictionary(account, books.chart.numbers),
        "cost_center": _center_codes(books, center),
        "quantity": pa.array(quantity), "unit_price": to_decimal(price, books.exponent),
        "net_amount": to_decimal(quantity * price, books.exponent),
        "order_date": dates(order_day[line_po]),
        "created_by": dictionary(buyer[line_po], books.ledger.user_ids)})
