"""Customers that buy in their own currency: their sales orders, invoices and receipts,
posted in the company currency with the transaction currency kept on every line and
document (the receivables side of flows/foreign_payables.py).

- Sales order: the company-currency list price is quoted in the customer's currency at the
  spot rate of the order date (``order_prices``); unit_price and net_amount are that quote
  back at the same rate.
- Invoice: each revenue line, the output VAT and the receivable are their transaction amounts
  at the spot rate of the billing date (IAS 21.21); what the lines' separate rounding leaves
  over goes to 829000 Currency Rounding Differences, so the entry balances to the cent.
- Receipt: the receivable is cleared at the amount it was booked at (an instalment at the
  invoice's rate, the last one the rest); cash discount and short payment are their
  transaction amounts at the invoice's rate; the bank receives the transaction amount at the
  spot rate of the receipt date, and the difference is a realised exchange gain or loss on
  820000 (IAS 21.28). A bad-debt write-off clears the booked amount to 775000 (no cash, no
  exchange difference: the item is derecognised at the amount it is carried at).

Returns and credit memos are not offered to these customers (flows/o2c.py keeps their lines
out of customer_returns), and their opening items are carried in the company currency. Their
blocks are kept out of anomaly injection (flows/company.py), so nothing alters one side of a
foreign amount.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from datasynth.generators.common.arrow import constant_dictionary, dates, dictionary
from datasynth.generators.ledger.flows.common import (
    centers,
    doc_ids,
    header,
    percent_of,
    seconds_of_day,
)
from datasynth.generators.ledger.flows.foreign_payables import (
    REALISED,
    ROUNDING,
    foreign_block,
    transaction_money,
    signed_line,
    stack,
)
from datasynth.generators.ledger.flows.postings import Block, DocTable
from datasynth.generators.ledger.flows.settlement import (
    BAD_DEBT_FACTOR,
    LATENESS,
    payment_schedule,
    settlement_day,
)
from datasynth.generators.ledger.journal import sum_by
from datasynth.money import to_decimal, to_rate_decimal


def invoices(books, rng, settings, *, ids, customer, day, so_ids, delivery_ids, line_bill,
             line_net_fc, revenue_account, first_ids) -> list[Block]:
    """Invoices of foreign-currency customers and their receipts: Dr the customer's
    receivable / Cr revenue per line (``line_bill``: the line's invoice, ``line_net_fc``:
    its amount in the customer's currency) / Cr output VAT, each at the spot rate of
    ``day``; the rounding to 829000."""
    code, ex, fx = books.code, books.exponent, books.currencies
    n = len(customer)
    currency = books.customers.currency[customer]
    rate = fx.rate(currency, day)
    net_fc = sum_by(line_bill, line_net_fc, n)
    tax_fc = percent_of(net_fc, books.vat)
    gross_fc = net_fc + tax_fc
    revenue = fx.to_local(line_net_fc, currency[line_bill], rate[line_bill])
    tax, gross = fx.to_local(tax_fc, currency, rate), fx.to_local(gross_fc, currency, rate)
    rounding = sum_by(line_bill, revenue, n) + tax - gross       # debit positive
    control = books.customers.control_account[customer]
    idx, none, zero = np.arange(n), np.full(n, -1), np.zeros(n, np.int64)
    k = len(line_bill)
    lines = stack([
        (idx, control, gross, zero, none, gross_fc, rate),
        (line_bill, revenue_account, np.zeros(k, np.int64), revenue,
         centers(books, rng, "O2C", k), line_net_fc, rate[line_bill]),
        (idx, np.full(n, books.account(210000)), zero, tax, none, tax_fc, rate),
        signed_line(idx, books.account(ROUNDING), rounding, none, zero, rate)], n)
    partner = books.customers.ids.take(pa.array(customer))
    b = foreign_block(books, lines, currency, posting_day=day, document_day=day,
                  seconds=seconds_of_day(rng, n, True), document_type="DR", process="O2C",
                  source="automated", header_text=header(["Customer invoice"], np.zeros(n, int)),
                  reference_type="customer_invoice", reference_id=ids, partner_id=partner,
                  rng=rng)
    due = day + books.customers.terms_days[customer]
    b.tables["customer_invoices"] = DocTable({
        "invoice_id": ids, "company_code": constant_dictionary(code, n),
        "customer_id": partner, "invoice_type": constant_dictionary("invoice", n),
        "sales_order_id": so_ids, "delivery_id": delivery_ids, "invoice_date": dates(day),
        "due_date": dates(due),
        # the receivable and the tax at the rate; the rounding stays in the net amount
        "net_amount": to_decimal(gross - tax, ex), "tax_amount": to_decimal(tax, ex),
        "gross_amount": to_decimal(gross, ex),
        "tax_rate": pa.array(np.full(n, books.vat * 100, np.float32)),
        "control_account": dictionary(control, books.chart.numbers),
        "is_opening": pa.array(np.zeros(n, bool)),
        "transaction_currency": dictionary(currency, list(fx.codes)),
        "exchange_rate": to_rate_decimal(rate),
        "transaction_net_amount": transaction_money(books, net_fc, currency),
        "transaction_tax_amount": transaction_money(books, tax_fc, currency),
        "transaction_gross_amount": transaction_money(books, gross_fc, currency)}, entry=idx, day=day)
    booked = {"ids": ids, "customer": customer, "day": day, "currency": currency,
              "rate": rate, "gross_fc": gross_fc, "gross": gross, "control": control}
    return [b, receipts(books, rng, settings, booked, first_ids)]


def receipts(books, rng, settings, inv: dict, first_ids) -> Block:
    """Receipts, short payments and bad-debt write-offs of foreign-currency invoices
    (``inv`` from :func:`invoices`), drawn as o2c.settle_receivables draws them, in the
    transaction currency."""
    code, ex, fx = books.code, books.exponent, books.currencies
    customer, invoice_day, gross_fc = inv["customer"], inv["day"], inv["gross_fc"]
    n = len(customer)
    behavior = books.customers.behavior[customer]
    bad = rng.random(n) < settings.bad_debt_rate * BAD_DEBT_FACTOR[behavior]
    rows = payment_schedule(rng, invoice_day, gross_fc, books.customers.terms_days[customer],
                            books.customers.discount_percent[customer],
                            books.customers.discount_days[customer], LATENESS[behavior],
                            settings.discount_take_rate, settings.partial_payment_rate)
    item, day, cleared_fc, discount_fc = rows["invoice"], rows["day"], rows["cleared"], \
        rows["discount"]
    is_bad = bad[item]
    discount_fc = np.where(is_bad, 0, discount_fc)
    day = np.where(is_bad, rows["due"][item] + rng.integers(90, 150, len(item)), day)
    earliest = np.maximum(invoice_day[item], books.start_day)
    day = settlement_day(books, rng, np.maximum(day, earliest), discount_fc > 0, earliest)
    discount_fc = np.where(day - invoice_day[item]
                           <= books.customers.discount_days[customer[item]], discount_fc, 0)
    short = (~is_bad) & (rng.random(len(item)) < settings.short_payment_rate) \
        & (cleared_fc > 500)
    short_fc = np.where(short, np.maximum(percent_of(cleared_fc, rng.uniform(
        0.001, 0.02, len(item))), 1), 0)
    write_off_fc = np.where(is_bad, cleared_fc, short_fc)
    received_fc = np.where(is_bad, 0, cleared_fc - discount_fc - short_fc)
    # booked share cleared: an instalment at the invoice's rate, the last row the rest, so
    # that the rows of a fully settled invoice clear exactly what it booked
    currency, booked_rate = inv["currency"][item], inv["rate"][item]
    last = np.r_[item[1:] != item[:-1], True]
    share = fx.to_local(cleared_fc, currency, booked_rate)
    before = sum_by(item, np.where(last, 0, share), n)
    cleared = np.where(last, inv["gross"][item] - before[item], share)
    discount = fx.to_local(discount_fc, currency, booked_rate)
    write_off = np.where(is_bad, cleared, fx.to_local(short_fc, currency, booked_rate))
    keep = day < books.end_day
    item, day, is_bad, partial = item[keep], day[keep], is_bad[keep], rows["partial"][keep]
    currency, booked_rate = currency[keep], booked_rate[keep]
    cleared_fc, discount_fc, write_off_fc, received_fc = (
        a[keep] for a in (cleared_fc, discount_fc, write_off_fc, received_fc))
    cleared, discount, write_off = cleared[keep], discount[keep], write_off[keep]
    m = len(item)
    ids = doc_ids("CR", code, first_ids.get("CR", 1), m)
    first_ids["CR"] = first_ids.get("CR", 1) + m
    received = cleared - discount - write_off        # at the booked rate
    rate = fx.rate(currency, day)
    bank = fx.to_local(received_fc, currency, rate)
    gain = bank - received                           # realised (IAS 21.28), gain positive
    idx, none, zero = np.arange(m), np.full(m, -1), np.zeros(m, np.int64)
    wo_account = np.where(is_bad, books.account(775000), books.account(420100))
    wo_center = np.where(is_bad, centers(books, rng, "O2C", m), -1)
    lines = stack([
        (idx, np.full(m, books.account(100000)), bank, zero, none, received_fc, rate),
        (idx, np.full(m, books.account(420000)), discount, zero, none, discount_fc,
         booked_rate),
        (idx, wo_account, write_off, zero, wo_center, write_off_fc, booked_rate),
        (idx, inv["control"][item], zero, cleared, none, cleared_fc, booked_rate),
        signed_line(idx, books.account(REALISED), -gain, none, zero, rate)], m)
    partner = books.customers.ids.take(pa.array(customer[item]))
    b = foreign_block(books, lines, currency, posting_day=day, document_day=day,
                  seconds=seconds_of_day(rng, m, True), document_type="DZ", process="O2C",
                  source=np.where(is_bad, 0, 1),
                  header_text=header(["Incoming payment", "Bad debt write-off"],
                                     is_bad.astype(int)),
                  reference_type="customer_receipt", reference_id=ids, partner_id=partner,
                  rng=rng)
    due = rows["due"][item]
    b.tables["customer_receipts"] = DocTable({
        "receipt_id": ids, "invoice_id": inv["ids"].take(pa.array(item)),
        "company_code": constant_dictionary(code, m), "customer_id": partner,
        "receipt_type": dictionary(is_bad.astype(np.int32), ["payment", "bad_debt_write_off"]),
        "receipt_date": dates(day), "cleared_amount": to_decimal(cleared, ex),
        "discount_amount": to_decimal(discount, ex),
        "write_off_amount": to_decimal(write_off, ex),
        "received_amount": to_decimal(received, ex),
        "days_late": pa.array(np.clip(day - due, -32768, 32767).astype(np.int16)),
        "is_partial": pa.array(partial),
        "transaction_currency": dictionary(currency, list(fx.codes)),
        "exchange_rate": to_rate_decimal(rate),
        "transaction_cleared_amount": transaction_money(books, cleared_fc, currency),
        "transaction_discount_amount": transaction_money(books, discount_fc, currency),
        "transaction_write_off_amount": transaction_money(books, write_off_fc, currency),
        "transaction_received_amount": transaction_money(books, received_fc, currency),
        "exchange_difference": to_decimal(gain, ex)}, entry=idx, day=day)
    return b
