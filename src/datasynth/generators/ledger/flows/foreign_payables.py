"""Vendors that invoice in their own currency: their invoices and payments, posted in the
company currency with the transaction currency kept on every line and document.

- Invoice: each line is its transaction amount at the spot rate of the posting date
  (IAS 21.21); the payable is the gross transaction amount at that rate, and what the lines'
  separate rounding leaves over goes to 829000 Currency Rounding Differences, so the entry
  balances to the cent.
- Payment: the payable is cleared at the amount it was booked at (its share of it for an
  instalment, the rest for the last one), the bank pays the transaction amount at the spot
  rate of the payment date, and the difference is a realised exchange gain or loss on
  820000 (IAS 21.28).

Purchases from these vendors are the non-stock ones (services and assets, two-way match):
stock is bought from vendors invoicing in the company currency (p2p.stock_purchases draws
them only), which keeps GR/IR in one currency. Their blocks are kept out of anomaly
injection (flows/company.py), so nothing alters one side of a foreign amount.
"""

from __future__ import annotations

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
from datasynth.generators.ledger.flows.payables import MATCH_STATUS, VENDOR_LATENESS
from datasynth.generators.ledger.flows.postings import Block, DocTable
from datasynth.generators.ledger.flows.settlement import (
    payment_schedule,
    settlement_day,
)
from datasynth.generators.ledger.journal import sum_by
from datasynth.money import RATE_SCALE, to_decimal, to_decimal_each, to_rate_decimal

ROUNDING, REALISED = 829000, 820000

# transaction-currency column -> the company-currency column it equals on a document in
# the company currency
_SAME = {"transaction_unit_price": "unit_price", "transaction_net_amount": "net_amount",
         "transaction_tax_amount": "tax_amount", "transaction_gross_amount": "gross_amount",
         "transaction_cleared_amount": "cleared_amount",
         "transaction_discount_amount": "discount_amount",
         "transaction_paid_amount": "paid_amount",
         "transaction_write_off_amount": "write_off_amount",
         "transaction_received_amount": "received_amount"}


def local_currency_columns(spec, columns: dict, currency: str) -> None:
    """Give a company-currency document (any flow, opening items, injected anomalies) the
    transaction-currency columns ``spec`` has and ``columns`` lacks: its own amounts in
    ``currency`` at rate 1, no exchange difference (in place)."""
    names = spec.schema.names
    if "transaction_currency" not in names or "transaction_currency" in columns:
        return
    n = len(next(iter(columns.values())))
    columns["transaction_currency"] = constant_dictionary(currency, n)
    for fc, local in _SAME.items():
        if fc in names:
            columns[fc] = columns[local]
    if "exchange_rate" in names:
        columns["exchange_rate"] = to_rate_decimal(np.full(n, RATE_SCALE, np.int64))
    if "exchange_difference" in names:
        columns["exchange_difference"] = to_decimal(np.zeros(n, np.int64))


def stack(parts: list[tuple[np.ndarray, ...]], count: int) -> tuple[np.ndarray, ...]:
    """flows.postings.stack_lines for line sets of any width (here entry, account, debit,
    credit, center, transaction amount, rate): grouped by entry, parts in order within."""
    entry = np.concatenate([p[0] for p in parts])
    rank = np.concatenate([np.full(len(p[0]), i) for i, p in enumerate(parts)])
    within = np.concatenate([np.arange(len(p[0])) for p in parts])
    order = np.lexsort((within, rank, entry))
    return tuple(np.concatenate([np.asarray(p[k], np.int64) for p in parts])[order]
                 for k in range(len(parts[0])))


def foreign_block(books, lines: tuple[np.ndarray, ...], currency: np.ndarray, **kw) -> Block:
    """A block of foreign-currency entries: local lines filtered to those with an amount
    (a line is one-sided and never zero), transaction amounts and rates kept alongside."""
    keep = (lines[2] != 0) | (lines[3] != 0)
    lines = tuple(a[keep] for a in lines)
    b = block(books, lines=lines[:5], **kw)
    b.currency = np.asarray(currency, np.int64)
    b.transaction_amount, b.rate = lines[5], lines[6]
    return b


def signed_line(entry, account: int, amount, center, fc, rate) -> tuple[np.ndarray, ...]:
    """Lines posting ``amount`` (debit positive) to ``account``."""
    n = len(entry)
    return (entry, np.full(n, account), np.maximum(amount, 0), np.maximum(-amount, 0),
            center, fc, rate)


def order_prices(books, currency: np.ndarray, day: np.ndarray, budget: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """A budget drawn in the company currency, priced in the vendor's currency on the order
    date; and that price back in the company currency at the same date's rate (the order's
    company-currency value)."""
    fx = books.currencies
    rate = fx.rate(currency, day)
    price = np.maximum(fx.from_local(budget, currency, rate), 1)
    return price, fx.to_local(price, currency, rate)


def order_columns(books, currency: np.ndarray, price: np.ndarray, quantity) -> dict:
    """The purchase-order columns of the transaction currency."""
    n = len(price)
    codes = books.currencies.codes
    return {"transaction_currency": dictionary(currency, list(codes)),
            "transaction_unit_price": transaction_money(books, price, currency),
            "transaction_net_amount": transaction_money(books, price * np.broadcast_to(
                np.asarray(quantity, np.int64), (n,)), currency)}


def transaction_money(books, amount: np.ndarray, currency: np.ndarray) -> pa.Array:
    """Transaction amounts as decimal(18, 2), each by its own currency's exponent."""
    return to_decimal_each(amount, np.asarray(books.currencies.exponents, np.int64)[currency])


def invoices(books, rng, *, vendor, day, po_ids, account, center, net_fc, status,
             process: str, first_ids) -> tuple[Block, dict]:
    """Invoices of foreign-currency vendors: Dr expense or asset / Dr input VAT / Cr the
    vendor's payable, each at the spot rate of ``day``; rounding to 829000. Returns the
    block and what the payments need (ids, gross and booked amounts, rates)."""
    code, ex, fx = books.code, books.exponent, books.currencies
    n = len(vendor)
    ids = doc_ids("VI", code, first_ids.get("VI", 1), n)
    first_ids["VI"] = first_ids.get("VI", 1) + n
    currency = books.vendors.currency[vendor]
    rate = fx.rate(currency, day)
    tax_fc = percent_of(net_fc, books.vat)
    gross_fc = net_fc + tax_fc
    net, tax, gross = (fx.to_local(a, currency, rate) for a in (net_fc, tax_fc, gross_fc))
    rounding = gross - net - tax                     # debit positive
    control = books.vendors.control_account[vendor]
    idx, none, zero = np.arange(n), np.full(n, -1), np.zeros(n, np.int64)
    lines = stack([
        (idx, account, net, zero, center, net_fc, rate),
        (idx, np.full(n, books.account(116000)), tax, zero, none, tax_fc, rate),
        signed_line(idx, books.account(ROUNDING), rounding, none, zero, rate),
        (idx, control, zero, gross, none, gross_fc, rate)], n)
    partner = books.vendors.ids.take(pa.array(vendor))
    document_day = np.minimum(books.working_day(day - rng.integers(0, 5, n), rng,
                                                backward=True), day)
    b = foreign_block(books, lines, currency, posting_day=day, document_day=document_day,
                  seconds=seconds_of_day(rng, n, False), document_type="KR", process=process,
                  source=np.where(rng.random(n) < 0.35, 0, 1),
                  header_text=header(["Vendor invoice"], np.zeros(n, int)),
                  reference_type="vendor_invoice", reference_id=ids, partner_id=partner,
                  rng=rng)
    due = day + books.vendors.terms_days[vendor]
    disc_pct = books.vendors.discount_percent[vendor]
    b.tables["vendor_invoices"] = DocTable({
        "invoice_id": ids, "company_code": constant_dictionary(code, n), "vendor_id": partner,
        "invoice_type": constant_dictionary("invoice", n), "purchase_order_id": po_ids,
        "vendor_reference": pa.array(np.char.add("INV", (rng.integers(10**6, 10**8, n))
                                                 .astype(str)).astype(object), pa.string()),
        "invoice_date": dates(day), "posting_date": dates(day), "due_date": dates(due),
        "discount_date": pa.array((day + books.vendors.discount_days[vendor]).astype(np.int32),
                                  mask=disc_pct <= 0).view(pa.date32()),
        "discount_percent": pa.array(disc_pct.astype(np.float32)),
        # the payable and the tax at the rate; the rounding stays in the net amount
        "net_amount": to_decimal(gross - tax, ex), "tax_amount": to_decimal(tax, ex),
        "gross_amount": to_decimal(gross, ex),
        "tax_rate": pa.array(np.full(n, books.vat * 100, np.float32)),
        "match_status": dictionary(status, MATCH_STATUS),
        "price_variance": to_decimal(zero, ex), "is_blocked": pa.array(np.zeros(n, bool)),
        "control_account": dictionary(control, books.chart.numbers),
        "is_opening": pa.array(np.zeros(n, bool)),
        "transaction_currency": dictionary(currency, list(fx.codes)),
        "exchange_rate": to_rate_decimal(rate),
        "transaction_net_amount": transaction_money(books, net_fc, currency),
        "transaction_tax_amount": transaction_money(books, tax_fc, currency),
        "transaction_gross_amount": transaction_money(books, gross_fc, currency)},
        entry=idx, day=day)
    booked = {"ids": ids, "vendor": vendor, "day": day, "currency": currency, "rate": rate,
              "gross_fc": gross_fc, "gross": gross, "control": control, "net": net}
    return b, booked


def payments(books, rng, settings, inv: dict, process: str, first_ids) -> Block:
    """Payments clearing foreign-currency invoices (``inv`` from :func:`invoices`), on the
    vendor's terms as pay_vendors schedules them: one, or two instalments."""
    code, ex, fx = books.code, books.exponent, books.currencies
    vendor, invoice_day, gross_fc = inv["vendor"], inv["day"], inv["gross_fc"]
    n = len(vendor)
    rows = payment_schedule(rng, invoice_day, gross_fc, books.vendors.terms_days[vendor],
                            books.vendors.discount_percent[vendor],
                            books.vendors.discount_days[vendor],
                            np.tile(VENDOR_LATENESS, (n, 1)), settings.discount_take_rate,
                            settings.partial_payment_rate)
    item, day, cleared_fc, discount_fc = rows["invoice"], rows["day"], rows["cleared"], \
        rows["discount"]
    earliest = np.maximum(invoice_day[item], books.start_day)
    day = settlement_day(books, rng, np.maximum(day, earliest), discount_fc > 0, earliest)
    discount_fc = np.where(day - invoice_day[item]
                           <= books.vendors.discount_days[vendor[item]], discount_fc, 0)
    # booked share cleared: an instalment at the invoice's rate, the last row the rest, so
    # that the rows of a fully paid invoice clear exactly what it booked
    currency, booked_rate = inv["currency"][item], inv["rate"][item]
    last = np.r_[item[1:] != item[:-1], True]
    share = fx.to_local(cleared_fc, currency, booked_rate)
    before = sum_by(item, np.where(last, 0, share), n)
    cleared = np.where(last, inv["gross"][item] - before[item], share)
    discount = fx.to_local(discount_fc, currency, booked_rate)
    keep = day < books.end_day
    item, day, cleared_fc, discount_fc = item[keep], day[keep], cleared_fc[keep], \
        discount_fc[keep]
    cleared, discount, currency = cleared[keep], discount[keep], currency[keep]
    booked_rate, partial, due = booked_rate[keep], rows["partial"][keep], rows["due"][item]
    m = len(item)
    ids = doc_ids("VP", code, first_ids.get("VP", 1), m)
    first_ids["VP"] = first_ids.get("VP", 1) + m
    paid_fc = cleared_fc - discount_fc
    paid = cleared - discount
    rate = fx.rate(currency, day)
    bank = fx.to_local(paid_fc, currency, rate)
    gain = paid - bank                               # realised (IAS 21.28), gain positive
    idx, none, zero = np.arange(m), np.full(m, -1), np.zeros(m, np.int64)
    lines = stack([
        (idx, inv["control"][item], cleared, zero, none, cleared_fc, booked_rate),
        (idx, np.full(m, books.account(100000)), zero, bank, none, paid_fc, rate),
        (idx, np.full(m, books.account(480000)), zero, discount, none, discount_fc,
         booked_rate),
        signed_line(idx, books.account(REALISED), -gain, none, zero, rate)], m)
    partner = books.vendors.ids.take(pa.array(vendor[item]))
    b = foreign_block(books, lines, currency, posting_day=day, document_day=day,
                  seconds=seconds_of_day(rng, m, True), document_type="KZ", process=process,
                  source="automated", header_text=header(["Payment run"], np.zeros(m, int)),
                  reference_type="vendor_payment", reference_id=ids, partner_id=partner,
                  rng=rng)
    b.tables["vendor_payments"] = DocTable({
        "payment_id": ids, "invoice_id": inv["ids"].take(pa.array(item)),
        "company_code": constant_dictionary(code, m), "vendor_id": partner,
        "payment_date": dates(day), "cleared_amount": to_decimal(cleared, ex),
        "discount_amount": to_decimal(discount, ex), "paid_amount": to_decimal(paid, ex),
        "days_late": pa.array(np.clip(day - due, -32768, 32767).astype(np.int16)),
        "is_partial": pa.array(partial),
        "transaction_currency": dictionary(currency, list(fx.codes)),
        "exchange_rate": to_rate_decimal(rate),
        "transaction_cleared_amount": transaction_money(books, cleared_fc, currency),
        "transaction_discount_amount": transaction_money(books, discount_fc, currency),
        "transaction_paid_amount": transaction_money(books, paid_fc, currency),
        "exchange_difference": to_decimal(gain, ex)}, entry=idx, day=day)
    return b
