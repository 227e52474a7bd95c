"""Month-end valuation of open foreign-currency payables and receivables at the closing rate
(IAS 21.23).

At the end of each month every vendor and customer item still open in a foreign currency is
valued at that month's closing rate; the difference to the amount it is booked at is posted
to 200190 Trade Payables - Foreign Currency Valuation (vendor items) or 110190 Trade
Receivables - Foreign Currency Valuation (customer items) against 820100 Unrealised Foreign
Exchange Gains and Losses, one entry a month (a pair of lines per side and currency),
reversed on the first day of the next month (so the next valuation starts from the booked
amounts again, and a payment or receipt realises its whole difference on 820000).

The valuation goes beside the control account, not onto it (as SAP's foreign-currency
valuation posts to a balance-sheet adjustment account): the payables subledger keeps the
booked amounts and still equals its control account, and ``ap_open_items`` /
``ar_open_items`` show each item's valuation (``revaluation_amount``), whose sum equals the
valuation account at the period end. Control account + valuation account = the payables
(receivables) at the closing rate.

The same function values the items here (the entries) and in the subledgers phase (the open
items), so the two agree to the cent.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.generators.fx.convert import convert
from datasynth.generators.ledger.flows.postings import Block
from datasynth.generators.ledger.journal import DOC, PROC, REF, SRC, sum_by
from datasynth.money import to_minor_units

VALUATION, UNREALISED = 200190, 820100
RECEIVABLES_VALUATION = 110190

# per side: document tables of the items and of their clearings, the valuation account, and
# the sign of a valuation's debit to it (a payable valued higher is more owed: a credit)
SIDES = (("vendor_invoices", "vendor_payments", VALUATION, -1, "payables"),
         ("customer_invoices", "customer_receipts", RECEIVABLES_VALUATION, 1, "receivables"))
_LATE, _EARLY = 23 * 3600 + 50 * 60, 10 * 60     # after the day's postings; before them


def foreign_open(periods: int, item_period, gross, gross_fc, clear_item, clear_period,
                 cleared, cleared_fc) -> Iterator[tuple[int, np.ndarray, np.ndarray,
                                                        np.ndarray]]:
    """For each period: the items open at its end (booked amount not zero, as the open
    items list them), their open booked and open transaction amounts. Items posted in
    ``item_period``, cleared by rows (``clear_item``, ``clear_period``, amounts)."""
    n = len(gross)
    for p in range(periods):
        done = clear_period <= p
        open_booked = gross - sum_by(clear_item[done], cleared[done], n)
        open_fc = gross_fc - sum_by(clear_item[done], cleared_fc[done], n)
        rows = np.flatnonzero((item_period <= p) & (open_booked != 0))
        yield p, rows, open_booked[rows], open_fc[rows]


def revalued(open_fc: np.ndarray, currency: np.ndarray, closing: np.ndarray,
             exponents, local_exponent: int) -> np.ndarray:
    """Open transaction amounts at the closing rate (``closing[currency]``), company units."""
    out = np.zeros(len(open_fc), np.int64)
    for c in np.unique(currency):
        at = currency == c
        out[at] = convert(open_fc[at], np.full(int(at.sum()), closing[c]),
                                exponents[int(c)], local_exponent)
    return out


def transaction_minor(column: pa.Array, currency: np.ndarray, exponents) -> np.ndarray:
    """A transaction-amount column (decimal(18, 2)) back to minor units of each currency."""
    shift = np.array([10 ** (2 - x) for x in exponents], np.int64)
    return to_minor_units(column) // shift[currency]


def _codes(column: pa.Array, codes) -> np.ndarray:
    """Index into ``codes`` of a transaction-currency column."""
    return pc.index_in(column.cast(pa.string()), value_set=pa.array(list(codes))
                       ).to_numpy(zero_copy_only=False).astype(np.int64)


def revaluation_blocks(books, foreign: list[Block]) -> list[Block]:
    """The valuation entries (and reversals) of the foreign-currency vendor and customer
    items posted by the blocks ``foreign`` (flows/foreign_payables.py,
    flows/foreign_receivables.py)."""
    fx = books.currencies
    if fx is None:
        return []
    sides = []
    for items, clearing, account, sign, name in SIDES:
        invoices = [b.tables[items] for b in foreign if items in b.tables]
        clearings = [b.tables[clearing] for b in foreign if clearing in b.tables]
        if invoices:
            sides.append((books.account(account), sign, name,
                          _differences(books, invoices, clearings)))
    return [_entries(books, sides)] if sides else []


def _differences(books, invoices: list, clearings: list) -> np.ndarray:
    """[month, currency]: the open items at the closing rate less their booked amounts."""
    fx = books.currencies
    inv = {k: pa.concat_arrays([d.columns[k].cast(pa.string()) if k in (
        "invoice_id", "transaction_currency") else d.columns[k] for d in invoices])
        for k in ("invoice_id", "gross_amount", "transaction_gross_amount",
                  "transaction_currency")}
    currency = _codes(inv["transaction_currency"], fx.codes)
    ex = books.exponent
    gross = to_minor_units(inv["gross_amount"], ex)
    gross_fc = transaction_minor(inv["transaction_gross_amount"], currency, fx.exponents)
    item_period = books.month_of(np.concatenate([d.day for d in invoices]))
    if clearings:
        ids = pa.concat_arrays([d.columns["invoice_id"].cast(pa.string()) for d in clearings])
        clear_item = pc.index_in(ids, value_set=inv["invoice_id"]).to_numpy(
            zero_copy_only=False).astype(np.int64)
        cleared = to_minor_units(pa.concat_arrays([d.columns["cleared_amount"]
                                                   for d in clearings]), ex)
        cleared_fc = transaction_minor(pa.concat_arrays(
            [d.columns["transaction_cleared_amount"] for d in clearings]),
            currency[clear_item], fx.exponents)
        clear_period = books.month_of(np.concatenate([d.day for d in clearings]))
    else:
        clear_item = clear_period = cleared = cleared_fc = np.zeros(0, np.int64)
    months = len(books.months)
    amount = np.zeros((months, len(fx.codes)), np.int64)
    for p, rows, booked, open_fc in foreign_open(months, item_period, gross, gross_fc,
                                                 clear_item, clear_period, cleared,
                                                 cleared_fc):
        diff = revalued(open_fc, currency[rows], fx.closing[:, p], fx.exponents, ex) - booked
        amount[p] = sum_by(currency[rows], diff, len(fx.codes))
    return amount


def _entries(books, sides: list) -> Block:
    """One valuation run per month with a difference, on the month's last day (a pair of
    lines per side and currency: payables first), and its reversal on the next month's first
    day (within the run); both reference the run (``fx_revaluation``,
    ``FXV-<company>-<yyyy>-<mm>``). ``sides``: (valuation account, sign, name, [month,
    currency] differences)."""
    # one column per (side, currency): the debit to the valuation account
    amount = np.hstack([sign * diff for _, sign, _, diff in sides])
    valuation = np.concatenate([np.full(diff.shape[1], account)
                                for account, _, _, diff in sides])
    months = amount.shape[0]
    runs = np.flatnonzero(amount.any(axis=1))
    back = runs[runs + 1 < months]
    last = np.array([d.max() for d in books.month_days], np.int64)
    entry_month = np.r_[runs, back]
    reversal = np.r_[np.zeros(len(runs), bool), np.ones(len(back), bool)]
    day = np.where(reversal, last[entry_month] + 1, last[entry_month])
    order = np.lexsort((reversal, day))
    entry_month, reversal, day = entry_month[order], reversal[order], day[order]
    n = len(day)
    # lines: per entry, per side and currency with a difference, 820100 then the valuation
    # account
    e, c = np.nonzero(amount[entry_month])
    value = amount[entry_month[e], c] * np.where(reversal[e], -1, 1)    # valuation debit
    entry = np.repeat(e, 2)
    account = np.empty(2 * len(e), np.int64)
    account[0::2], account[1::2] = books.account(UNREALISED), valuation[c]
    signed = np.empty(2 * len(e), np.int64)                             # debit positive
    signed[0::2], signed[1::2] = -value, value
    names = np.array([f"FXV-{books.code}-{y}-{m:02d}" for y, m in books.months],
                     dtype=object)[entry_month]
    what = " and ".join(name for _, _, name, _ in sides)
    text = np.where(reversal, f"Reversal of foreign currency valuation of {what}",
                    f"Foreign currency valuation of {what}").astype(object)
    return Block(day, np.where(reversal, _EARLY, _LATE).astype(np.int64), day,
                 np.full(n, DOC["SA"]), np.full(n, PROC["R2R"]), np.full(n, SRC["automated"]),
                 np.full(n, books.system_user), pa.array(text, pa.string()),
                 np.full(n, REF["fx_revaluation"]), pa.array(names, pa.string()),
                 pa.nulls(n, pa.string()), entry, account, np.maximum(signed, 0),
                 np.maximum(-signed, 0), np.full(2 * len(e), -1, np.int64))
