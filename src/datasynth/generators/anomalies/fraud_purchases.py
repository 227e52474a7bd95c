"""Purchasing fraud (ACFE asset misappropriation - billing schemes - and corruption):
fictitious vendors, split purchases, kickbacks and duplicate payments.

Injected purchases go through the real service-purchase builders (requisition -> order ->
invoice with a two-way match -> payment run, ``flows.p2p``/``flows.payables``), so their
documents and entries look like real ones; only the dimension that defines the scheme
differs: the vendor (never used by the business), the amount (just below the approval
limit, or inflated), the number of payments. Accounts, cost centers and amounts are borrowed
from real service order lines (amounts jittered by a few percent so no injected amount
copies a real one to the cent).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pyarrow as pa

from datasynth.generators.anomalies.fraud_common import (
    Lines,
    consecutive_months,
    days_of,
    doc_tables,
    flag_all,
    flagged,
    flow_settings,
    label_blocks,
    month_bounds,
    service_lines,
    strings_of,
    sub_partners,
    take_ids,
)
from datasynth.generators.common.arrow import dates, dictionary
from datasynth.generators.ledger.flows.common import (
    block,
    clip_days,
    doc_ids,
    header,
    null_strings,
    seconds_of_day,
)
from datasynth.generators.ledger.flows.p2p import (
    ITEM_TYPES,
    _invoice_and_pay,
    _orders,
    requisitions,
)
from datasynth.generators.ledger.flows.postings import DocTable
from datasynth.generators.ledger.journal import PROC, SRC
from datasynth.money import to_minor_units

JITTER = 0.05          # sigma of the log-normal factor on borrowed amounts


def service_purchases(inj, books, rng, vendor, order_day, invoice_day, account, center,
                      amount):
    """Service purchases exactly as ``p2p.non_stock_purchases`` builds them, for given
    vendors (positions in ``books.vendors``), days, accounts and net amounts. Returns the
    blocks, the order ids and the invoice ids (one of each per purchase, in order)."""
    n = len(vendor)
    start = inj.first_ids.get("service", 1)
    inj.first_ids["service"] = start + n
    po_ids = doc_ids("PS", books.code, start, n)
    pr_ids = doc_ids("RS", books.code, start, n)
    buyer = books.directory.creator_choice.sample(rng, np.full(n, PROC["P2P"] * 4
                                                               + SRC["manual"]))
    orders = _orders(books, po_ids, pr_ids, np.arange(n), np.zeros(n, np.int64), vendor,
                     ITEM_TYPES.index("service"), null_strings(n), account, center,
                     np.ones(n, np.int64), amount, order_day, buyer)
    blocks = _invoice_and_pay(books, rng, flow_settings(inj), vendor, invoice_day, po_ids,
                              (np.arange(n), account, amount, center), amount,
                              np.zeros(n, np.int64), np.full(n, 4), "P2P", inj.first_ids)
    blocks[0].tables["purchase_orders"] = orders
    blocks[0].tables["purchase_requisitions"] = requisitions(books, rng, orders)
    return blocks, po_ids, blocks[0].tables["vendor_invoices"].columns["invoice_id"]


def _service_days(books, rng, month: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order and invoice days of service purchases in run months ``month`` (as the flow)."""
    first, last = month_bounds(books)
    n = len(month)
    order_day = clip_days(first[month] + rng.integers(0, 25, n), first[month], last[month])
    invoice_day = clip_days(order_day + rng.integers(0, 10, n), order_day, books.end_day - 1)
    return order_day, invoice_day


def _jitter(rng, amount: np.ndarray) -> np.ndarray:
    return np.maximum(np.rint(amount * rng.lognormal(0.0, JITTER, len(amount))), 100).astype(
        np.int64)


def _register(inj, anomaly, blocks, po_ids, invoice_ids, scheme, share=None) -> None:
    scheme_of = dict(zip(strings_of(po_ids), scheme.tolist()))
    scheme_of.update(zip(strings_of(invoice_ids), scheme.tolist()))
    share_of = None if share is None else dict(zip(strings_of(invoice_ids), share.tolist()))
    label_blocks(inj, anomaly, blocks, scheme_of, share_of)


def fictitious_vendor(inj, rng: np.random.Generator, count: int) -> None:
    """A vendor created for the purpose bills services never received, 2-6 months in a row,
    and is paid on its terms (ACFE billing scheme, shell company). The vendor is one the
    business never uses (``plan.reserved``); its master-data row is labelled too."""
    books = inj.books
    k = min(count, inj.reserved.fictitious_vendors,
            0 if books.spare_vendors is None else len(books.spare_vendors.ids))
    lines = service_lines(inj)
    if k == 0 or len(lines) == 0:
        return
    vendors = sub_partners(books.spare_vendors, np.arange(k))
    fake = replace(books, vendors=vendors)
    vendor, month = consecutive_months(rng, k, 2, 6, len(books.months))
    order_day, invoice_day = _service_days(books, rng, month)
    t = lines.take(rng.integers(0, len(lines), len(vendor)))
    blocks, po_ids, invoice_ids = service_purchases(
        inj, fake, rng, vendor, order_day, invoice_day, t.account, t.center,
        _jitter(rng, t.amount))
    schemes = inj.new_schemes(k)
    _register(inj, "fictitious_vendor", blocks, po_ids, invoice_ids, schemes[vendor])
    first_day = np.full(k, np.iinfo(np.int64).max)
    np.minimum.at(first_day, vendor, invoice_day)
    inj.label_rows("fictitious_vendor", "vendors", vendors.ids, first_day, schemes)


def _lines_of(lines: Lines, rng, partner: np.ndarray) -> Lines:
    """For each wanted partner, one random real line of that partner (partners without any
    line get a random line of anyone)."""
    order = np.argsort(lines.partner, kind="stable")
    sorted_partner = lines.partner[order]
    lo = np.searchsorted(sorted_partner, partner, side="left")
    hi = np.searchsorted(sorted_partner, partner, side="right")
    has = hi > lo
    pick = np.where(has, lo + np.floor(rng.random(len(partner)) * np.maximum(hi - lo, 1))
                    .astype(np.int64), rng.integers(0, len(lines), len(partner)))
    return lines.take(order[np.minimum(pick, len(lines) - 1)])


def kickback(inj, rng: np.random.Generator, count: int) -> None:
    """A favoured real vendor bills the services it usually sells 10-30 % above their
    usual price, 2-4 months in a row, and the buyer's share comes back privately (ACFE
    corruption: kickback). Account, cost center and base amount are one of that vendor's
    real service order lines."""
    books = inj.books
    lines = service_lines(inj)
    if count <= 0 or len(lines) == 0:
        return
    partners, seen = np.unique(lines.partner, return_counts=True)
    favoured = rng.choice(partners, count, p=seen / seen.sum())
    scheme, month = consecutive_months(rng, count, 2, 4, len(books.months))
    vendor = favoured[scheme]
    t = _lines_of(lines, rng, vendor)
    factor = rng.uniform(1.1, 1.3, len(vendor))
    amount = np.rint(_jitter(rng, t.amount) * factor).astype(np.int64)
    order_day, invoice_day = _service_days(books, rng, month)
    blocks, po_ids, invoice_ids = service_purchases(
        inj, books, rng, vendor, order_day, invoice_day, t.account, t.center, amount)
    _register(inj, "kickback", blocks, po_ids, invoice_ids, inj.new_schemes(count)[scheme],
              share=(factor - 1) / factor)


def split_purchase(inj, rng: np.random.Generator, count: int) -> None:
    """One purchase split into 2-4 orders of the same vendor, requester and approver, on the
    same or adjacent days, each just below the approval limit T: T x (1 - U(.01, .15))
    (reference §8.2 ThresholdAdjacent); the invoices follow on the same or adjacent days."""
    books = inj.books
    lines = service_lines(inj)
    limit = round(inj.settings.approval_limit * 10 ** books.exponent)
    if count <= 0 or len(lines) == 0 or limit < 200:
        return
    parts = rng.integers(2, 5, count)
    scheme = np.repeat(np.arange(count), parts)
    n = len(scheme)
    chosen = rng.choice(len(books.vendors.weight), count, p=books.vendors.weight)
    vendor = chosen[scheme]
    t = _lines_of(lines, rng, chosen).take(scheme)      # one service, one cost center
    first, last = month_bounds(books)
    month = rng.integers(0, len(books.months), count)[scheme]
    base = clip_days(first[month] + rng.integers(0, 25, count)[scheme], first[month],
                     last[month])
    order_day = clip_days(base + rng.integers(0, 2, n), first[month], last[month])
    billed = base + rng.integers(1, 10, count)[scheme] + rng.integers(0, 2, n)
    invoice_day = clip_days(billed, order_day, books.end_day - 1)
    amount = np.minimum(np.floor(limit * (1 - rng.uniform(0.01, 0.15, n))), limit - 1) \
        .astype(np.int64)
    blocks, po_ids, invoice_ids = service_purchases(
        inj, books, rng, vendor, order_day, invoice_day, t.account, t.center, amount)
    _one_requester(books, rng, blocks[0].tables["purchase_requisitions"], scheme, count)
    _register(inj, "split_purchase", blocks, po_ids, invoice_ids,
              inj.new_schemes(count)[scheme])


def _one_requester(books, rng, doc: DocTable, scheme: np.ndarray, count: int) -> None:
    """All parts of a split purchase asked for by one person and approved by another."""
    people = max(len(books.employee_ids), 1)
    requester = rng.integers(0, people, count)
    approver = (requester + 1 + rng.integers(0, max(people - 1, 1), count)) % people
    doc.columns["requested_by"] = dictionary(requester[scheme], books.employee_ids)
    doc.columns["approved_by"] = dictionary(approver[scheme], books.employee_ids)


def duplicate_payment(inj, rng: np.random.Generator, count: int) -> None:
    """A vendor invoice paid in full a second time by the payment run, on the day of its
    payment or up to two weeks later: the same lines (amount, discount, accounts) under a
    new payment number. The invoice's open item turns into a debit balance on the vendor
    (an over-payment the AP subledger shows, as it would until the vendor refunds)."""
    books = inj.books
    eligible = np.zeros(len(inj), bool)
    source = np.full((len(inj), 2), -1, np.int64)         # (block, payment row) per entry
    for bi, doc in doc_tables(inj, "vendor_payments"):
        b = inj.blocks[bi]
        if bi == 0 or doc.entry is None or len(b) == 0:
            continue
        cleared = to_minor_units(doc.columns["cleared_amount"], books.exponent)
        partial = np.asarray(doc.columns["is_partial"].to_numpy(zero_copy_only=False), bool)
        single = np.bincount(doc.entry, minlength=len(b))[doc.entry] == 1
        ok = np.flatnonzero(~partial & (cleared > 0) & single & ~flagged(doc))
        flat = int(np.searchsorted(inj.block_of, bi)) + doc.entry[ok]
        eligible[flat] = True
        source[flat, 0], source[flat, 1] = bi, ok
    eligible &= inj.posting_day + 1 < books.end_day
    picked = inj.pick(rng, eligible, count)      # the originals stay as they are
    n = len(picked)
    if n == 0:
        return
    day = inj.posting_day[picked]
    new_day = np.minimum(day + rng.integers(0, 15, n), books.end_day - 1)
    lines = []
    for i, f in enumerate(picked):
        b, sl = inj.line_slice(int(f))
        lines.append((np.full(sl.stop - sl.start, i), b.account[sl], b.debit[sl], b.credit[sl],
                      b.cost_center[sl]))
    lines = tuple(np.concatenate([part[k] for part in lines]).astype(np.int64)
                  for k in range(5))
    ids = take_ids(inj, "VP", n)
    # the picked payments' rows, block by block, and where each picked payment is among them
    from_block = [(int(bi), np.flatnonzero(source[picked, 0] == bi))
                  for bi in np.unique(source[picked, 0])]
    order = np.empty(n, np.int64)
    order[np.concatenate([at for _, at in from_block])] = np.arange(n)
    rows = [inj.blocks[bi].tables["vendor_payments"].columns for bi, _ in from_block]

    def column(name: str) -> pa.Array:
        return pa.concat_arrays([
            columns[name].take(pa.array(source[picked[at], 1]))
            for columns, (_, at) in zip(rows, from_block)]).take(pa.array(order))

    vendor = column("vendor_id").cast(pa.string())
    late = np.asarray(column("days_late").to_numpy(zero_copy_only=False), np.int64)
    process = np.array(["P2P", "A2R"])[(inj.process[picked] == PROC["A2R"]).astype(int)]
    out = []
    for proc in np.unique(process):          # a block has one process
        mask = process == proc
        sel = np.flatnonzero(mask)
        take = pa.array(sel)
        keep = np.isin(lines[0], sel)
        part_lines = (np.searchsorted(sel, lines[0][keep]), *(x[keep] for x in lines[1:]))
        m = len(sel)
        b = block(books, posting_day=new_day[sel], document_day=new_day[sel],
                  seconds=seconds_of_day(rng, m, True), document_type="KZ", process=str(proc),
                  source="automated", header_text=header(["Payment run"], np.zeros(m, int)),
                  reference_type="vendor_payment", reference_id=ids.take(take),
                  partner_id=vendor.take(take), lines=part_lines, rng=rng)
        first = inj.blocks[source[picked[0], 0]].tables["vendor_payments"].columns
        doc = DocTable({name: column(name).take(take) for name in first
                        if name not in ("is_anomaly", "is_fraud", "anomaly_type")},
                       entry=np.arange(m), day=new_day[sel])
        doc.columns.update({
            "payment_id": ids.take(take), "payment_date": dates(new_day[sel]),
            "days_late": pa.array(np.clip(late[sel] + new_day[sel] - day[sel], -32768, 32767)
                                  .astype(np.int16))})
        b.tables["vendor_payments"] = doc
        out.append((b, sel))
    schemes = inj.new_schemes(n)
    for b, sel in out:
        doc = b.tables["vendor_payments"]
        flag_all(doc, "duplicate_payment")
        paid = to_minor_units(doc.columns["paid_amount"], books.exponent)
        inj.label_rows("duplicate_payment", "vendor_payments", doc.columns["payment_id"],
                       days_of(doc.columns["payment_date"]), schemes[sel], paid)
        inj.label_block("duplicate_payment", inj.add_block(b), schemes[sel], paid)


INJECTORS = {"fictitious_vendor": fictitious_vendor, "duplicate_payment": duplicate_payment,
             "split_purchase": split_purchase, "kickback": kickback}
