"""The journal entries of the intercompany transactions, on both sides.

Seller (its own currency): receivable against revenue (goods also their cost, paid through
the group treasury account), and the receipt when the buyer pays. Buyer: the invoice in the
seller's currency converted at the spot rate of its posting day (IAS 21.21), each line on
its own, so the rounding of the lines against the payable goes to 829000 Currency Rounding
Differences; the payment at the spot rate of its day with the difference to the booked
payable in 820000 realised exchange differences (IAS 21.28). A mismatched invoice is
corrected on the account it was booked to when it is paid.

Cash between group companies moves through 105000 Bank - Group Treasury Account, the cash
pool the group treasury runs: the business treasury plans the operating accounts only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from datasynth.generators.fx.convert import RateBook, convert
from datasynth.generators.intercompany.book import EntryRow, GroupBook
from datasynth.generators.intercompany.plan import ACT, ACTIVITIES, MISMATCH, Transactions
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.money import RATE_SCALE

# (seller debit, seller credit, buyer debit, buyer credit) per activity
ACCOUNTS = {
    "goods": ("119000", "460000", "125000", "219000"),
    "services": ("119000", "460100", "745500", "219000"),
    "management_fee": ("119000", "460200", "745500", "219000"),
    "loan": ("119100", "105000", "105000", "219100"),
    "loan_interest": ("119000", "495000", "805000", "219000"),
}
TEXTS = {"goods": "Intercompany sale of goods", "services": "Intercompany services",
         "management_fee": "Management fee", "loan": "Intercompany loan",
         "loan_interest": "Interest on intercompany loan"}
TREASURY, COST_OF_IC_SALES, ROUNDING, REALISED = "105000", "560000", "829000", "820000"
MORNING, EVENING = 9 * 3600, 22 * 3600      # manual postings from 9:00, batch jobs at 22:00


@dataclass(frozen=True)
class Company:
    index: int
    code: str
    currency: int              # index into the group's currencies
    exponent: int
    users: np.ndarray          # positions of its non-system users in its ledger context
    batch_user: int


@dataclass
class Posted:
    """Where each transaction landed: entry indexes in the books, the buyer's booking."""

    seller_entry: np.ndarray
    buyer_entry: np.ndarray
    buyer_rate: np.ndarray       # buyer-currency units per transaction unit (1e-10)
    buyer_local: np.ndarray      # the payable the buyer booked, buyer currency minor units
    seller_local: np.ndarray     # the receivable the seller booked


def post_transactions(tx: Transactions, pair_ids: list[str], companies: list[Company],
                      currencies: list[str], books: list[GroupBook], chart: ChartIndex,
                      rates: RateBook, rng: np.random.Generator) -> Posted:
    n = len(tx)
    posted = Posted(np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64),
                    np.zeros(n, np.int64), tx.amount.copy())
    acc = {number: chart.of(number) for number in
           {a for four in ACCOUNTS.values() for a in four} | {TREASURY, COST_OF_IC_SALES,
                                                              ROUNDING, REALISED}}
    clock = rng.integers(0, 8 * 3600, size=(n, 4))
    for i in range(n):
        s, b = companies[int(tx.seller[i])], companies[int(tx.buyer[i])]
        activity = ACTIVITIES[int(tx.activity[i])]
        sd, sc, bd, bc = (acc[a] for a in ACCOUNTS[activity])
        pid, amount = pair_ids[i], int(tx.amount[i])
        manual = activity in ("goods", "services")
        doc_s, doc_b = _doc_types(activity)
        # seller: receivable (or loan) against revenue (or cash), in its own currency
        posted.seller_entry[i] = books[s.index].post(
            _row(s, b, int(tx.seller_day[i]), clock[i, 0], doc_s, manual, s.currency,
                 f"{TEXTS[activity]} to {b.code}", pid, rng),
            np.r_[sd, sc], np.r_[amount, -amount], np.r_[amount, amount],
            np.full(2, RATE_SCALE, np.int64))
        if activity == "goods":
            cost = int(tx.cost[i])
            books[s.index].post(
                _row(s, b, int(tx.seller_day[i]), clock[i, 0] + 60, "WL", manual, s.currency,
                     f"Cost of goods sold to {b.code}", pid, rng),
                np.r_[acc[COST_OF_IC_SALES], acc[TREASURY]], np.r_[cost, -cost],
                np.r_[cost, cost], np.full(2, RATE_SCALE, np.int64))
        # buyer: the invoice in the seller's currency at the spot rate of its day
        day = int(tx.buyer_day[i])
        rate = int(rates.cross_spot(np.array([day]), currencies[s.currency],
                                    currencies[b.currency])[0])
        booked = int(tx.buyer_amount[i])
        parts = _split(booked, int(tx.lines[i]))
        local_parts = convert(parts, np.full(len(parts), rate), s.exponent, b.exponent)
        payable = int(convert(np.array([booked]), np.array([rate]), s.exponent,
                              b.exponent)[0])
        rounding = payable - int(local_parts.sum())
        posted.buyer_rate[i], posted.buyer_local[i] = rate, payable
        posted.buyer_entry[i] = books[b.index].post(
            _row(b, s, day, clock[i, 1], doc_b, manual, s.currency,
                 f"{TEXTS[activity]} from {s.code}", pid, rng),
            np.r_[np.full(len(parts), bd), acc[ROUNDING], bc],
            np.r_[local_parts, rounding, -payable], np.r_[parts, 0, booked],
            np.full(len(parts) + 2, rate, np.int64))
        if tx.settle_day[i] >= 0:
            _settle(tx, i, s, b, pid, rate, payable, bd, acc, books, currencies, rates,
                    clock[i, 2], rng)
    return posted


def _settle(tx: Transactions, i: int, s: Company, b: Company, pid: str, rate_booked: int,
            payable: int, debited: int, acc: dict[str, int], books: list[GroupBook],
            currencies: list[str], rates: RateBook, second: int,
            rng: np.random.Generator) -> None:
    """Both sides of the payment on the settlement day: the seller receives the invoiced
    amount; the buyer pays it at the day's rate, corrects a mismatched booking on the
    account it debited, and books the rest of the difference as realised exchange
    difference."""
    day, amount = int(tx.settle_day[i]), int(tx.amount[i])
    books[s.index].post(
        _row(s, b, day, second, "DZ", False, s.currency, f"Payment received from {b.code}",
             pid, rng),
        np.r_[acc[TREASURY], acc[ACCOUNTS[ACTIVITIES[int(tx.activity[i])]][0]]],
        np.r_[amount, -amount], np.r_[amount, amount], np.full(2, RATE_SCALE, np.int64))
    rate_paid = int(rates.cross_spot(np.array([day]), currencies[s.currency],
                                     currencies[b.currency])[0])
    paid = int(convert(np.array([amount]), np.array([rate_paid]), s.exponent, b.exponent)[0])
    right = int(convert(np.array([amount]), np.array([rate_booked]), s.exponent,
                        b.exponent)[0])
    correction = payable - right           # > 0: the buyer booked too much
    realised = right - paid                # > 0: the payable lost value: a gain
    wrong = int(tx.buyer_amount[i]) - amount
    books[b.index].post(
        _row(b, s, day, second + 30, "KZ", False, s.currency, f"Payment to {s.code}", pid,
             rng),
        np.r_[acc["219000"], acc[TREASURY], debited, acc[REALISED]],
        np.r_[payable, -paid, -correction, -realised],
        np.r_[int(tx.buyer_amount[i]), amount, abs(wrong) if tx.status[i] == MISMATCH
              else 0, 0],
        np.r_[rate_booked, rate_paid, rate_booked, rate_paid])


def _doc_types(activity: str) -> tuple[str, str]:
    if activity in ("loan",):
        return "SA", "SA"
    return "DR", "KR"


def _row(company: Company, partner: Company, day: int, second: int, doc_type: str,
         manual: bool, currency: int, text: str, pid: str, rng: np.random.Generator,
         reference: str = "intercompany_pair") -> EntryRow:
    creator = (int(rng.choice(company.users)) if manual and len(company.users)
               else company.batch_user)
    seconds = (MORNING if manual else EVENING) + int(second) % (2 * 3600 if not manual
                                                                else 8 * 3600)
    return EntryRow(day, seconds, doc_type, "R2R" if doc_type == "SA" else
                    ("O2C" if doc_type in ("DR", "DZ", "WL") else "P2P"),
                    "manual" if manual else "automated", creator, text, reference, pid,
                    partner.index, currency)


def _split(total: int, parts: int) -> np.ndarray:
    """``total`` in ``parts`` roughly equal integer lines (product lines of one delivery)."""
    if parts <= 1:
        return np.array([total], np.int64)
    weights = np.arange(parts, 0, -1, dtype=np.int64)        # 3:2:1, 2:1
    shares = total * weights // weights.sum()
    shares[0] += total - int(shares.sum())
    return shares[shares > 0]


__all__ = ["ACT", "Company", "Posted", "post_transactions"]
