"""Month-end steps of the intercompany books: consumption of group stock, revaluation.

- Consumption: each month end the buyer expenses ``consumption_rate`` of the goods bought
  from a group company that it still holds (561000 against 125000), so part of the stock
  (and the seller's margin in it) is left at every period end for the consolidation to
  eliminate.
- Revaluation (IAS 21.23): every open foreign-currency item (the buyer's payables in the
  seller's currency, the borrower's loan) is measured at the closing rate at each month end;
  the difference to its booked amount is posted against 820100 Unrealised Foreign Exchange
  Gains and Losses and reversed on the first day of the next month, so a payment later
  realises the whole difference against the booked amount. The last month of the run is
  revalued on the run's last day and stays (it reverses after the run).

The open items at each month end, in both currencies, are the intercompany subledger.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datasynth.generators.fx.convert import RateBook, convert, div_half_even
from datasynth.generators.intercompany.book import EntryRow, GroupBook
from datasynth.generators.intercompany.plan import ACTIVITIES, Transactions
from datasynth.generators.intercompany.postings import (
    ACCOUNTS,
    EVENING,
    Company,
    Posted,
)
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.money import RATE_SCALE

UNREALISED, IC_STOCK, IC_STOCK_USED = "820100", "125000", "561000"
POOL, FACILITY, INTEREST = "105000", "251000", "800000"
NO_PARTNER = -1


@dataclass
class Items:
    """Both sides of every transaction as an open item (one row per side)."""

    company: np.ndarray
    partner: np.ndarray
    transaction: np.ndarray        # index of the transaction (pair)
    account: np.ndarray            # chart position
    currency: np.ndarray           # transaction currency (index)
    amount: np.ndarray             # signed, transaction currency minor units
    booked: np.ndarray             # signed, company currency minor units
    rate: np.ndarray               # booking rate
    opened: np.ndarray             # day
    closed: np.ndarray             # settlement day, -1 open

    def open_at(self, day: int) -> np.ndarray:
        return (self.opened <= day) & ((self.closed < 0) | (self.closed > day))


def open_items(tx: Transactions, posted: Posted, companies: list[Company],
               chart: ChartIndex) -> Items:
    n = len(tx)
    seller_acc = np.array([chart.of(ACCOUNTS[ACTIVITIES[a]][0]) for a in tx.activity], np.int64)
    buyer_acc = np.array([chart.of(ACCOUNTS[ACTIVITIES[a]][3]) for a in tx.activity], np.int64)
    currency = np.array([companies[int(s)].currency for s in tx.seller], np.int64)
    both = np.arange(n)
    return Items(
        company=np.r_[tx.seller, tx.buyer], partner=np.r_[tx.buyer, tx.seller],
        transaction=np.r_[both, both], account=np.r_[seller_acc, buyer_acc],
        currency=np.r_[currency, currency], amount=np.r_[tx.amount, -tx.buyer_amount],
        booked=np.r_[posted.seller_local, -posted.buyer_local],
        rate=np.r_[np.full(n, RATE_SCALE), posted.buyer_rate],
        opened=np.r_[tx.seller_day, tx.buyer_day], closed=np.r_[tx.settle_day, tx.settle_day])


def month_ends(months: np.ndarray, end_day: int) -> np.ndarray:
    """The snapshot day of each run month: its last day, or the run's last day."""
    last = (np.asarray(months) + 1).astype("datetime64[M]").astype("datetime64[D]") \
        .astype(np.int64) - 1
    return np.minimum(last, end_day - 1)


def closing_rates(items: Items, companies: list[Company], currencies: list[str],
                  rates: RateBook, month: int) -> np.ndarray:
    """Company-currency units per transaction unit at the close of ``month``, per item."""
    out = np.full(len(items.company), RATE_SCALE, dtype=np.int64)
    local = np.array([companies[int(c)].currency for c in items.company], np.int64)
    for cur, own in set(zip(items.currency.tolist(), local.tolist())):
        if cur != own:
            mask = (items.currency == cur) & (local == own)
            out[mask] = rates.cross_closing(np.array([month]), currencies[cur],
                                            currencies[own])[0]
    return out


def revalue(items: Items, open_mask: np.ndarray, closing: np.ndarray,
            companies: list[Company]) -> np.ndarray:
    """Signed company-currency amounts of the open items at the closing rates."""
    out = items.booked.copy()
    exponent = {c.currency: c.exponent for c in companies}
    local = np.array([companies[int(c)].currency for c in items.company], np.int64)
    moved = open_mask & (closing != items.rate)
    for cur, own in set(zip(items.currency[moved].tolist(), local[moved].tolist())):
        at = moved & (items.currency == cur) & (local == own)
        out[at] = convert(items.amount[at], closing[at], exponent[cur], exponent[own])
    return out


def post_month_ends(tx: Transactions, items: Items, companies: list[Company],
                    currencies: list[str], books: list[GroupBook], chart: ChartIndex,
                    rates: RateBook, months: np.ndarray, end_day: int,
                    consumption_rate: float, interest_rate: float) -> None:
    stock, used = chart.of(IC_STOCK), chart.of(IC_STOCK_USED)
    unrealised = chart.of(UNREALISED)
    rate_ppm = round(consumption_rate * 1_000_000)
    drawn = {book.ctx.company_code: 0 for book in books}
    for month, day in zip(months.tolist(), month_ends(months, end_day).tolist()):
        for book in books:
            company = _company(companies, book)
            drawn[company.code] = _fund_pool(book, company, chart, day, drawn[company.code],
                                             interest_rate)
        for book in books:
            company = _company(companies, book)
            for partner, balance in _stock_by_partner(book, stock, day).items():
                take = int(div_half_even(np.array([balance * rate_ppm], dtype=object),
                                         1_000_000)[0]) if balance > 0 else 0
                if take:
                    book.post(EntryRow(day, EVENING, "WA", "P2P", "automated",
                                       company.batch_user, "Consumption of group goods",
                                       "", None, partner,
                                       company.currency),
                              np.r_[used, stock], np.r_[take, -take], np.r_[take, take],
                              np.full(2, RATE_SCALE, np.int64))
        is_open = items.open_at(day)
        closing = closing_rates(items, companies, currencies, rates, month)
        delta = revalue(items, is_open, closing, companies) - items.booked
        moved = is_open & (delta != 0)
        for company, partner in sorted(set(zip(items.company[moved].tolist(),
                                               items.partner[moved].tolist()))):
            mine = moved & (items.company == company) & (items.partner == partner)
            accounts = np.unique(items.account[mine])
            amounts = np.array([int(delta[mine & (items.account == a)].sum())
                                for a in accounts], np.int64)
            if not amounts.any():
                continue
            owner = companies[company]
            reference = f"FXR-{owner.code}-{companies[partner].code}-{_pair_text(day)}"
            lines = (np.r_[accounts, unrealised], np.r_[amounts, -amounts.sum()])
            zeros = np.zeros(len(accounts) + 1, np.int64)
            ones = np.full(len(accounts) + 1, RATE_SCALE, np.int64)
            books[company].post(EntryRow(day, EVENING + 600, "SA", "R2R", "automated",
                                         owner.batch_user, "Foreign currency revaluation",
                                         "fx_revaluation", reference, partner,
                                         owner.currency), *lines, zeros, ones)
            if day + 1 < end_day:
                books[company].post(EntryRow(day + 1, 3600, "SA", "R2R", "automated",
                                             owner.batch_user,
                                             "Reversal of foreign currency revaluation",
                                             "fx_revaluation", reference, partner,
                                             owner.currency),
                                    lines[0], -lines[1], zeros, ones)


def _fund_pool(book: GroupBook, company: Company, chart: ChartIndex, day: int, drawn: int,
               interest_rate: float) -> int:
    """The month end of a company's cash-pool account: interest on the credit facility
    drawn during the month, then a draw that brings an overdrawn pool back to zero, or a
    repayment of the facility from a surplus. Returns the facility drawn after it.

    The pool account is a current account with the bank (IAS 7.8 would allow an overdraft
    only as part of cash management that swings both ways); what the group pays out of it
    for goods bought for its companies is financed by a revolving facility, a borrowing
    (IAS 1.54(m)), which the pool draws and repays at each month end.
    """
    pool, facility, interest = chart.of(POOL), chart.of(FACILITY), chart.of(INTEREST)
    reference = f"POOL-{company.code}-{_pair_text(day)[:7]}"
    charge = int(convert(np.array([drawn]), np.array([round(interest_rate * RATE_SCALE / 12)]),
                         0, 0)[0])
    if charge:
        book.post(EntryRow(day, EVENING + 1200, "SA", "R2R", "automated", company.batch_user,
                           "Interest on the cash pool facility", "financing", reference,
                           NO_PARTNER, company.currency),
                  np.r_[interest, pool], np.r_[charge, -charge], np.r_[charge, charge],
                  np.full(2, RATE_SCALE, np.int64))
    balance = _balance(book, pool, day)
    move = -balance if balance < 0 else -min(balance, drawn)
    if move:
        text = "Cash pool facility drawn" if move > 0 else "Cash pool facility repaid"
        book.post(EntryRow(day, EVENING + 1800, "SA", "R2R", "automated", company.batch_user,
                           text, "financing", reference, NO_PARTNER, company.currency),
                  np.r_[pool, facility], np.r_[move, -move], np.r_[abs(move), abs(move)],
                  np.full(2, RATE_SCALE, np.int64))
    return drawn + move


def _balance(book: GroupBook, account: int, day: int) -> int:
    """Balance (debit positive) of ``account`` in the company's group entries to ``day``."""
    total = 0
    for row, (accounts, local, _, _) in zip(book.rows, book.lines):
        if row.day <= day:
            total += int(local[accounts == account].sum())
    return total


def _company(companies: list[Company], book: GroupBook) -> Company:
    return next(c for c in companies if c.code == book.ctx.company_code)


def _stock_by_partner(book: GroupBook, stock: int, day: int) -> dict[int, int]:
    """Balance of the group-stock account per trading partner at the end of ``day``."""
    out: dict[int, int] = {}
    for row, (account, local, _, _) in zip(book.rows, book.lines):
        if row.day <= day:
            on = account == stock
            if on.any():
                out[row.partner] = out.get(row.partner, 0) + int(local[on].sum())
    return out


def _pair_text(day: int) -> str:
    return str(np.datetime64(int(day), "D"))
