"""Order to cash: sales order (credit check) -> delivery (COGS at standard cost) -> customer
invoice (output VAT) -> receipt (cash discount, short payment) or bad-debt write-off; and
returns with credit memos (``returns``).

Revenue is recognised on the invoice at delivery (IFRS 15: control passes on shipment);
cost of sales is the material's standard cost, so every sale carries its gross margin.
Deliveries never exceed stock: the runner confirms order quantities against stock at the
start of the month (available-to-promise) before this module builds documents.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.common.arrow import constant_dictionary, dates, dictionary
from datasynth.generators.ledger.flows import foreign_payables as fx_flows
from datasynth.generators.ledger.flows import foreign_receivables
from datasynth.generators.ledger.flows.common import (
    block,
    centers,
    clip_days,
    doc_ids,
    header,
    null_strings,
    percent_of,
    seconds_of_day,
)
from datasynth.generators.ledger.flows.postings import Block, DocTable, stack_lines
from datasynth.generators.ledger.flows.returns import Shipped, customer_returns
from datasynth.generators.ledger.flows.settlement import (
    BAD_DEBT_FACTOR,
    LATENESS,
    payment_schedule,
    settlement_day,
)
from datasynth.money import to_decimal


@dataclass
class SalesLines:
    """Confirmed sales-order lines of the whole run (after the stock check)."""

    order: np.ndarray          # run-wide order number (0-based, in order-date order)
    customer: np.ndarray
    day: np.ndarray            # order date
    month_end: np.ndarray      # last day of the order's month
    material: np.ndarray       # -1 for service lines
    quantity: np.ndarray
    price: np.ndarray          # minor units per unit (service: the line amount)
    credit_check: np.ndarray   # 0 passed, 1 released over the limit, 2 rejected


def plan_month(books, rng: np.random.Generator, orders: int, revenue: int,
               month: int) -> dict[str, np.ndarray]:
    """Demand of one month: orders, lines, customers, dates, and quantities wanted."""
    days, weights = books.month_days[month], books.month_weights[month]
    day = np.sort(days[rng.choice(len(days), orders, p=weights / weights.sum())])
    customer = rng.choice(len(books.customers.weight), orders, p=books.customers.weight)
    service = rng.random(orders) < books.profile.service_share
    per_order = np.minimum(rng.geometric(0.55, orders), 12)
    order = np.repeat(np.arange(orders), per_order)
    n = len(order)
    target = rng.lognormal(0.0, 1.2, n)
    target = target / target.sum() * revenue
    is_service = service[order]
    from datasynth.generators.ledger.economics import sales_weights
    mats = len(books.material_ids)
    material = np.where(is_service | (mats == 0), -1,
                        rng.choice(max(mats, 1), n, p=sales_weights(max(mats, 1))))
    price = np.where(material >= 0, books.material_price[np.maximum(material, 0)]
                     if mats else 1, np.maximum(np.rint(target), 100).astype(np.int64))
    quantity = np.where(material >= 0, np.maximum(np.rint(target / np.maximum(price, 1)), 1),
                        1).astype(np.int64)
    return {"order": order, "customer": customer[order], "day": day[order],
            "material": material, "quantity": quantity, "price": price.astype(np.int64),
            "month_end": np.full(n, days.max())}


def build(books, streams, settings, sales: SalesLines, first_ids: dict[str, int]) -> list[Block]:
    """Documents and journal entries of every confirmed order line."""
    code, ex = books.code, books.exponent
    rng = streams("o2c")
    # ---- orders ---------------------------------------------------------------------------
    uniq, order = np.unique(sales.order, return_inverse=True)
    n_orders, n = len(uniq), len(order)
    so_ids = doc_ids("SO", code, first_ids.get("SO", 1), n_orders)
    line_no = np.arange(n) - np.searchsorted(order, order)
    # customers buying in their own currency (foreign_receivables.py): the list price quoted
    # in their currency at the order date; the order's company-currency price is that quote
    # at the same rate
    currency = (books.customers.currency[sales.customer] if books.customers.currency
                is not None else np.zeros(n, np.int64))
    price_fc = sales.price
    if currency.any():
        fc = np.flatnonzero(currency > 0)
        price_fc, local = sales.price.copy(), sales.price.copy()
        price_fc[fc], local[fc] = fx_flows.order_prices(books, currency[fc], sales.day[fc],
                                                        sales.price[fc])
        sales = SalesLines(**{f.name: getattr(sales, f.name) for f in fields(SalesLines)
                              if f.name != "price"}, price=local)
    net = sales.quantity * sales.price
    cust = sales.customer[np.searchsorted(order, np.arange(n_orders))]
    order_day = sales.day[np.searchsorted(order, np.arange(n_orders))]
    order_end = sales.month_end[np.searchsorted(order, np.arange(n_orders))]
    check = sales.credit_check[np.searchsorted(order, np.arange(n_orders))]
    clerk = books.directory.creator_choice.sample(rng, np.full(n_orders, 0 * 4 + 0))
    tables = {"sales_orders": DocTable({
        "sales_order_id": so_ids.take(pa.array(order)),
        "line_number": pa.array((line_no + 1).astype(np.int32)),
        "company_code": constant_dictionary(code, n),
        "customer_id": books.customers.ids.take(pa.array(sales.customer)),
        "material_id": books.material_ids.take(pa.array(np.maximum(sales.material, 0)),
                                               ) if len(books.material_ids) else null_strings(n),
        "quantity": pa.array(sales.quantity),
        "unit_price": to_decimal(sales.price, ex),
        "net_amount": to_decimal(net, ex),
        "order_date": dates(sales.day),
        "credit_check": dictionary(check[order], ["passed", "released", "rejected"]),
        "created_by": dictionary(clerk[order], books.ledger.user_ids)})}
    if len(books.material_ids):
        columns = tables["sales_orders"].columns
        columns["material_id"] = pc.if_else(pa.array(sales.material < 0), null_strings(n),
                                            columns["material_id"])
    if currency.any():
        tables["sales_orders"].columns.update(fx_flows.order_columns(
            books, currency, price_fc, sales.quantity))
    shipped = check[order] != 2
    if not shipped.all():
        sales = SalesLines(*(getattr(sales, f.name)[shipped] for f in fields(SalesLines)))
        order, line_no, n = order[shipped], line_no[shipped], int(shipped.sum())
        price_fc = price_fc[shipped]
    # ---- shipments: product orders ship in one or two deliveries, services bill directly --
    product = sales.material >= 0
    split = np.zeros(n_orders, bool)
    split[np.unique(order[product & (sales.quantity >= 2)])] = True
    split &= rng.random(n_orders) < settings.partial_shipment_rate
    # shipments on working days (but for the calendar's weekend share), never before the
    # month's first goods receipts (on its first working day, p2p.stock_purchases)
    receipts_in = books.first_working[books.month_of(order_day)]
    ship1 = clip_days(order_day + rng.integers(0, 4, n_orders), order_day,
                      order_end)
    ship1 = clip_days(books.working_day(ship1, rng), np.maximum(order_day, receipts_in),
                      np.maximum(order_end, receipts_in))
    ship2 = clip_days(ship1 + rng.integers(2, 11, n_orders), ship1,
                      order_end)
    ship2 = np.maximum(books.working_day(ship2, rng), ship1)
    first_qty = np.where(split[order] & product, (sales.quantity + 1) // 2, sales.quantity)
    # shipment rows: (line, shipment number, quantity)
    second = split[order] & product & (sales.quantity - first_qty > 0)
    s_line = np.concatenate([np.arange(n), np.flatnonzero(second)])
    s_no = np.concatenate([np.zeros(n, np.int64), np.ones(int(second.sum()), np.int64)])
    s_qty = np.concatenate([first_qty, (sales.quantity - first_qty)[second]])
    o = np.lexsort((s_line, s_no, order[s_line]))
    s_line, s_no, s_qty = s_line[o], s_no[o], s_qty[o]
    s_order = order[s_line]
    # one billing document per (order, shipment)
    bill_key = s_order * 2 + s_no
    bills, s_bill = np.unique(bill_key, return_inverse=True)
    n_bills = len(bills)
    bill_order = bills // 2
    bill_no = bills % 2
    service_bill = ~product[s_line[np.searchsorted(s_bill, np.arange(n_bills))]]
    service_day = clip_days(order_day[bill_order] + rng.integers(0, 6, n_bills), 0,
                            books.end_day - 1)
    service_day = np.maximum(books.working_day(service_day, rng), order_day[bill_order])
    bill_day = np.where(bill_no == 1, ship2[bill_order],
                        np.where(service_bill, service_day, ship1[bill_order]))
    s_net = s_qty * sales.price[s_line]
    mat = np.maximum(sales.material[s_line], 0)
    s_cost = np.where(product[s_line], s_qty * books.material_cost[mat] if len(
        books.material_cost) else 0, 0)
    deliveries, goods_bills, dl_ids = _deliveries(
        books, rng, so_ids, order, s_line, s_bill, s_order, s_qty, s_cost, bill_day, bill_no,
        line_no, sales, product, first_ids)
    delivery_of_bill = np.full(n_bills, -1)
    delivery_of_bill[goods_bills] = np.arange(len(goods_bills))
    delivery_ids = dl_ids.take(pa.array(np.maximum(delivery_of_bill, 0),
                                        mask=delivery_of_bill < 0))
    blocks = [deliveries]
    blocks += _invoices_and_receipts(books, streams, settings, so_ids, s_line, s_bill, s_net,
                                     bill_order, bill_day, cust, first_ids, sales,
                                     delivery_ids, s_qty * price_fc[s_line])
    blocks[0].tables.update(tables)
    first_ids["SO"] = first_ids.get("SO", 1) + n_orders
    # returns and credit memos are offered to customers buying in the company currency only
    # (foreign_receivables.py)
    goods = product[s_line] & (currency[s_line] == 0) if currency.any() else product[s_line]
    g_line = s_line[goods]
    blocks += customer_returns(books, streams("o2c_returns"), settings, Shipped(
        so_ids.take(pa.array(order[g_line])), line_no[g_line] + 1, sales.customer[g_line],
        sales.material[g_line], s_qty[goods], sales.price[g_line], bill_day[s_bill[goods]]),
        first_ids)
    return blocks


def _deliveries(books, rng, so_ids, order, s_line, s_bill, s_order, s_qty, s_cost, bill_day,
                bill_no, line_no, sales, product, first_ids) -> Block:
    code, ex = books.code, books.exponent
    goods = product[s_line]
    g_line, g_bill, g_qty, g_cost = s_line[goods], s_bill[goods], s_qty[goods], s_cost[goods]
    bills, g_entry = np.unique(g_bill, return_inverse=True)
    n = len(bills)
    dl_ids = doc_ids("DL", code, first_ids.get("DL", 1), n)
    first_ids["DL"] = first_ids.get("DL", 1) + n
    mat = sales.material[g_line]
    cc = centers(books, rng, "O2C", len(g_line))
    cogs = (g_entry, books.material_cogs[mat], g_cost, np.zeros_like(g_cost), cc)
    inv = (g_entry, books.material_inventory[mat], np.zeros_like(g_cost), g_cost,
           np.full(len(g_line), -1))
    lines = stack_lines([cogs, inv], n)
    day = bill_day[bills]
    partner = books.customers.ids.take(pa.array(sales.customer[g_line][np.searchsorted(
        g_entry, np.arange(n))]))
    b = block(books, posting_day=day, document_day=day, seconds=seconds_of_day(rng, n, True),
              document_type="WL", process="O2C", source="automated",
              header_text=header(["Goods issue for delivery"], np.zeros(n, int)),
              reference_type="delivery", reference_id=dl_ids, partner_id=partner,
              lines=lines, rng=rng)
    partial = np.isin(s_order[goods], s_order[bill_no[s_bill] == 1])
    b.tables["deliveries"] = DocTable({
        "delivery_id": dl_ids.take(pa.array(g_entry)),
        "company_code": constant_dictionary(code, len(g_line)),
        "sales_order_id": so_ids.take(pa.array(order[g_line])),
        "so_line_number": pa.array((line_no[g_line] + 1).astype(np.int32)),
        "customer_id": books.customers.ids.take(pa.array(sales.customer[g_line])),
        "material_id": books.material_ids.take(pa.array(mat)),
        "quantity": pa.array(g_qty), "cost_amount": to_decimal(g_cost, ex),
        "posting_date": dates(day[g_entry]),
        "is_partial": pa.array(partial), "is_return": pa.array(np.zeros(len(g_line), bool))},
        entry=g_entry, day=day[g_entry])
    return b, bills, dl_ids


def _invoices_and_receipts(books, streams, settings, so_ids, s_line, s_bill, s_net,
                           bill_order, bill_day, cust, first_ids, sales, delivery_ids,
                           s_net_fc) -> list[Block]:
    """Invoices (one per order and shipment) and their receipts: those of customers buying
    in the company currency, then (blocks of their own) those of customers buying in theirs."""
    rng = streams("o2c_billing")
    n = len(bill_order)
    ci_ids = doc_ids("CI", books.code, first_ids.get("CI", 1), n)
    first_ids["CI"] = first_ids.get("CI", 1) + n
    customer = cust[bill_order]
    foreign = (books.customers.currency[customer] > 0 if books.customers.currency is not None
               else np.zeros(n, bool))
    if not foreign.any():
        return _local_invoices(books, rng, settings, so_ids.take(pa.array(bill_order)), ci_ids,
                               delivery_ids, s_line, s_bill, s_net, bill_day, customer,
                               first_ids, sales)
    blocks = []
    for own, fc in ((np.flatnonzero(~foreign), False), (np.flatnonzero(foreign), True)):
        if len(own) == 0:
            continue
        where = np.full(n, -1)
        where[own] = np.arange(len(own))
        lines = np.flatnonzero(where[s_bill] >= 0)
        take = pa.array(own)
        args = (so_ids.take(pa.array(bill_order[own])), ci_ids.take(take),
                delivery_ids.take(take))
        if fc:
            blocks += foreign_receivables.invoices(
                books, rng, settings, ids=args[1], customer=customer[own], day=bill_day[own],
                so_ids=args[0], delivery_ids=args[2], line_bill=where[s_bill[lines]],
                line_net_fc=s_net_fc[lines],
                revenue_account=_revenue_accounts(books, sales, s_line[lines]),
                first_ids=first_ids)
        else:
            blocks += _local_invoices(books, rng, settings, args[0], args[1], args[2],
                                      s_line[lines], where[s_bill[lines]], s_net[lines],
                                      bill_day[own], customer[own], first_ids, sales)
    return blocks


def _revenue_accounts(books, sales, s_line) -> np.ndarray:
    """Revenue account of each billed line: its material's, else service revenue."""
    mat = sales.material[s_line]
    revenue_account = np.where(mat >= 0, books.material_revenue[np.maximum(mat, 0)]
                               if len(books.material_revenue) else books.account(410000),
                               books.account(410000))
    return np.where(revenue_account < 0, books.account(400000), revenue_account)


def _local_invoices(books, rng, settings, bill_so_ids, ci_ids, delivery_ids, s_line, s_bill,
                    s_net, bill_day, customer, first_ids, sales) -> list[Block]:
    code, ex = books.code, books.exponent
    n = len(customer)
    net = np.bincount(s_bill, weights=s_net, minlength=n).astype(np.int64)
    tax = percent_of(net, books.vat)
    gross = net + tax
    control = books.customers.control_account[customer]
    # invoice entry: Dr AR gross / Cr revenue per line (cost center of sales) / Cr output VAT
    revenue_account = _revenue_accounts(books, sales, s_line)
    zeros_n = np.zeros(n, np.int64)
    ar = (np.arange(n), control, gross, zeros_n, np.full(n, -1))
    rev = (s_bill, revenue_account, np.zeros(len(s_bill), np.int64), s_net,
           centers(books, rng, "O2C", len(s_bill)))
    has_tax = tax > 0
    vat = (np.flatnonzero(has_tax), np.full(int(has_tax.sum()), books.account(210000)),
           np.zeros(int(has_tax.sum()), np.int64), tax[has_tax], np.full(int(has_tax.sum()), -1))
    partner = books.customers.ids.take(pa.array(customer))
    invoices = block(books, posting_day=bill_day, document_day=bill_day,
                     seconds=seconds_of_day(rng, n, True), document_type="DR", process="O2C",
                     source="automated", header_text=header(["Customer invoice"], np.zeros(
                         n, int)), reference_type="customer_invoice", reference_id=ci_ids,
                     partner_id=partner, lines=stack_lines([ar, rev, vat], n), rng=rng)
    due = bill_day + books.customers.terms_days[customer]
    invoices.tables["customer_invoices"] = DocTable({
        "invoice_id": ci_ids, "company_code": constant_dictionary(code, n),
        "customer_id": partner, "invoice_type": constant_dictionary("invoice", n),
        "sales_order_id": bill_so_ids,
        "delivery_id": delivery_ids, "invoice_date": dates(bill_day),
        "due_date": dates(due), "net_amount": to_decimal(net, ex),
        "tax_amount": to_decimal(tax, ex), "gross_amount": to_decimal(gross, ex),
        "tax_rate": pa.array(np.full(n, books.vat * 100, np.float32)),
        "control_account": dictionary(control, books.chart.numbers),
        "is_opening": pa.array(np.zeros(n, bool))}, entry=np.arange(n), day=bill_day)
    receipts = settle_receivables(books, rng, settings, ci_ids, customer, bill_day, gross,
                                  control, first_ids)
    return [invoices, *receipts]


def settle_receivables(books, rng, settings, invoice_ids, customer, invoice_day, gross, control,
                       first_ids) -> list[Block]:
    """Receipts, short payments and bad-debt write-offs of customer invoices (also used for
    the opening AR items)."""
    code, ex = books.code, books.exponent
    n = len(invoice_ids)
    behavior = books.customers.behavior[customer]
    bad = rng.random(n) < settings.bad_debt_rate * BAD_DEBT_FACTOR[behavior]
    rows = payment_schedule(rng, invoice_day, gross, books.customers.terms_days[customer],
                            books.customers.discount_percent[customer],
                            books.customers.discount_days[customer], LATENESS[behavior],
                            settings.discount_take_rate, settings.partial_payment_rate)
    inv, day, cleared, discount = rows["invoice"], rows["day"], rows["cleared"], rows["discount"]
    is_bad = bad[inv]
    discount = np.where(is_bad, 0, discount)     # a written-off debt earns no cash discount
    day = np.where(is_bad, rows["due"][inv] + rng.integers(90, 150, len(inv)), day)
    earliest = np.maximum(invoice_day[inv], books.start_day)  # opening items settle inside
    day = settlement_day(books, rng, np.maximum(day, earliest), discount > 0, earliest)
    # a discount is earned only when paid by the discount date
    discount = np.where(day - invoice_day[inv] <= books.customers.discount_days[customer[inv]],
                        discount, 0)
    short = (~is_bad) & (rng.random(len(inv)) < settings.short_payment_rate) & (cleared > 500)
    short_amount = np.where(short, np.maximum(percent_of(cleared, rng.uniform(
        0.001, 0.02, len(inv))), 1), 0)
    write_off = np.where(is_bad, cleared, short_amount)
    received = np.where(is_bad, 0, cleared - discount - short_amount)
    keep = day < books.end_day
    inv, day, cleared, discount = inv[keep], day[keep], cleared[keep], discount[keep]
    write_off, received, is_bad = write_off[keep], received[keep], is_bad[keep]
    partial = rows["partial"][keep]
    m = len(inv)
    r_ids = doc_ids("CR", code, first_ids.get("CR", 1), m)
    first_ids["CR"] = first_ids.get("CR", 1) + m
    cust = customer[inv]
    idx = np.arange(m)
    bank = (idx, np.full(m, books.account(100000)), received, np.zeros(m, np.int64),
            np.full(m, -1))
    disc = (idx, np.full(m, books.account(420000)), discount, np.zeros(m, np.int64),
            np.full(m, -1))
    wo_account = np.where(is_bad, books.account(775000), books.account(420100))
    wo_center = np.where(is_bad, centers(books, rng, "O2C", m), -1)
    wo = (idx, wo_account, write_off, np.zeros(m, np.int64), wo_center)
    ar = (idx, control[inv], np.zeros(m, np.int64), cleared, np.full(m, -1))
    lines = stack_lines([bank, disc, wo, ar], m)
    nonzero = (lines[2] != 0) | (lines[3] != 0)
    lines = tuple(a[nonzero] for a in lines)
    partner = books.customers.ids.take(pa.array(cust))
    b = block(books, posting_day=day, document_day=day, seconds=seconds_of_day(rng, m, True),
              document_type="DZ", process="O2C",
              source=np.where(is_bad, 0, 1),
              header_text=header(["Incoming payment", "Bad debt write-off"],
                                 is_bad.astype(int)),
              reference_type="customer_receipt", reference_id=r_ids, partner_id=partner,
              lines=lines, rng=rng)
    due = rows["due"][inv]
    b.tables["customer_receipts"] = DocTable({
        "receipt_id": r_ids, "invoice_id": invoice_ids.take(pa.array(inv)),
        "company_code": constant_dictionary(code, m), "customer_id": partner,
        "receipt_type": dictionary(is_bad.astype(np.int32), ["payment", "bad_debt_write_off"]),
        "receipt_date": dates(day), "cleared_amount": to_decimal(cleared, ex),
        "discount_amount": to_decimal(discount, ex), "write_off_amount": to_decimal(write_off, ex),
        "received_amount": to_decimal(received, ex),
        "days_late": pa.array(np.clip(day - due, -32768, 32767).astype(np.int16)),
        "is_partial": pa.array(partial)}, entry=idx, day=day)
    return [b]
