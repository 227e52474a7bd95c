"""Consolidation entries at each month end, in the group currency (IFRS 10 B86).

Each elimination is a balanced entry on the translated trial balances, recomputed in full at
every month end from cumulative figures (a consolidation worksheet, not a journal):

- ``in_transit`` (B86, IAS 2.10): invoices the seller booked by the month end and the buyer
  only in the next month; the buyer's side is completed: goods into its 125000 at the
  group's cost (the seller's margin out of the seller's 560000), services and fees into
  745500, interest into 805000, against 219000 at the receivable's amount. In the month of
  a year-end close the income and expenses are closed, so the margin and the expenses go to
  320000 Retained Earnings of the company instead;
- ``ic_balances`` / ``ic_loans`` (B86(c)): the seller's receivable from the buyer against
  the buyer's payable to the seller (completed by ``in_transit``); what does not match (a
  wrong amount, rounding) goes to 829500 Intercompany Elimination Differences on the parent;
- ``ic_revenue`` (B86(c)): the fiscal year's intercompany income against the partner's
  expense (services and management fees against 745500, interest against 805000, those in
  transit included, the difference to 829500), and the goods sales against the seller's
  cost of sales: the group only sells once, so its cost of sales loses the transfer price;
- ``unrealised_profit`` (B86(c)): the seller's margin in group stock the buyer still holds,
  stock x markup / (1 + markup), out of stock; against cost of sales for what arose this
  fiscal year and retained earnings for what was there at the last year end;
- ``investment`` (B86(a)-(b)): the parent's investment against its share of the
  subsidiary's equity at acquisition (the run's first day, at the historical rate); the
  rest is goodwill (IFRS 3.32), and the translation of a foreign parent's investment since
  then is returned to its translation reserve;
- ``nci`` (IFRS 10.22, B94): the owners outside the group's share of a subsidiary's equity
  (its translation reserve included) and of its profit so far, into 340000.

Amounts are signed (debit positive) arrays over the run months.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from datasynth.generators.fx.convert import div_half_even
from datasynth.generators.group.partners import PartnerFigures
from datasynth.generators.group.transit import InTransit
from datasynth.generators.group.translation import RATE_TYPES, Translation, since_close
from datasynth.generators.ledger.chart import ChartIndex

PPM = 1_000_000                   # ownership in parts per million
BP = 10_000                       # markup in basis points, as the seller prices
DIFFERENCE, INVESTMENT, GOODWILL, RESERVE = "829500", "140000", "175000", "330000"
NCI, NCI_PROFIT, COST_OF_IC_SALES, RETAINED_EARNINGS = "340000", "399000", "560000", "320000"
STOCK, PAYABLE = "125000", "219000"
KINDS = ("in_transit", "ic_balances", "ic_loans", "ic_revenue", "unrealised_profit",
         "investment", "nci")
# (kind, seller's accounts, buyer's accounts): what two companies must book alike
MATCHED = (
    ("ic_balances", (("119000", "Intercompany receivable"),),
     (("219000", "Intercompany payable"),)),
    ("ic_loans", (("119100", "Intercompany loan receivable"),),
     (("219100", "Intercompany loan payable"),)),
    ("ic_revenue", (("460100", "Intercompany services income"),
                    ("460200", "Management fee income")),
     (("745500", "Intercompany services and fees expense"),)),
    ("ic_revenue", (("495000", "Intercompany interest income"),),
     (("805000", "Intercompany interest expense"),)),
)


@dataclass(frozen=True)
class Subsidiary:
    code: str
    ownership_ppm: int


@dataclass(frozen=True)
class GroupStructure:
    """One parent and its direct subsidiaries; the markup the parent sells goods at."""

    parent: str
    subsidiaries: tuple[Subsidiary, ...]
    markup_bp: int

    def pairs(self) -> Iterator[tuple[str, str]]:
        """(seller, buyer) pairs: both directions of every relationship."""
        for sub in self.subsidiaries:
            yield self.parent, sub.code
            yield sub.code, self.parent


@dataclass(frozen=True)
class Line:
    company: str
    partner: str | None
    account: str
    text: str
    amount: np.ndarray            # (months,) signed, group currency minor units


@dataclass(frozen=True)
class Elimination:
    kind: str
    lines: tuple[Line, ...]


def share(amount: np.ndarray, numerator: int, denominator: int) -> np.ndarray:
    """amount x numerator / denominator, rounded half-even (no float)."""
    values = np.asarray(amount, np.int64).astype(object) * numerator
    return div_half_even(values, denominator).astype(np.int64)


def eliminations(group: GroupStructure, translations: dict[str, Translation],
                 figures: PartnerFigures, chart: ChartIndex,
                 transit: InTransit | None = None) -> list[Elimination]:
    """Every elimination of the run, in output order (by kind, then pair or subsidiary)."""
    months = len(translations[group.parent].closed)
    transit = transit or InTransit(months, {})
    out: list[Elimination] = []
    done: dict[tuple[str, str], Completion] = {}
    for s, b in group.pairs():
        entry, done[(s, b)] = _in_transit(s, b, group.markup_bp, transit,
                                          translations[s].closed, translations[b].closed)
        out.append(entry)
    closed = translations[group.parent].closed
    for kind, seller_side, buyer_side in MATCHED[:2]:
        out += [_matched(kind, s, b, group.parent, seller_side, buyer_side, figures,
                         done[(s, b)], closed) for s, b in group.pairs()]
    for s, b in group.pairs():
        sales = figures.get(s, "460000", b)
        out.append(Elimination("ic_revenue", (
            Line(s, b, "460000", "Intercompany sales of goods", -sales),
            Line(s, b, COST_OF_IC_SALES, "Transfer price out of cost of sales", sales))))
        out += [_matched(kind, s, b, group.parent, seller_side, buyer_side, figures,
                         done[(s, b)], closed)
                for kind, seller_side, buyer_side in MATCHED[2:]]
    out += [_unrealised(s, b, group.markup_bp, translations[s], figures,
                        done[(s, b)].carried[COST_OF_IC_SALES]) for s, b in group.pairs()]
    out += _investments(group, translations, chart)
    out += [_nci(sub, translations[sub.code], chart) for sub in group.subsidiaries
            if sub.ownership_ppm < PPM]
    return out


@dataclass(frozen=True)
class Completion:
    """What ``in_transit`` does to the accounts the later eliminations reverse, per month:
    ``added`` to the buyer's 219000, 745500 and 805000 (debit positive), and ``carried``:
    what was in transit at the last year-end close and is in that year's retained earnings
    (the buyer's expenses on 745500 and 805000, the seller's margin on 560000), from the
    month after the close until the next close (zero elsewhere)."""

    added: dict[str, np.ndarray]
    carried: dict[str, np.ndarray]


def carried(at_close: np.ndarray, closed: np.ndarray) -> np.ndarray:
    """``at_close`` of the last year-end close month, in the months after it up to the next
    close (excluded); zero before the first close and in close months."""
    last = np.maximum.accumulate(np.where(closed, np.arange(len(closed)), -1))
    return np.where((last >= 0) & ~closed, at_close[np.maximum(last, 0)], 0)


def _in_transit(seller: str, buyer: str, markup_bp: int, transit: InTransit,
                seller_closed: np.ndarray, buyer_closed: np.ndarray,
                ) -> tuple[Elimination, Completion]:
    """The buyer's side of the invoices in transit at each month end, at the amount of
    the seller's receivable: goods at the group's cost (the seller's margin out of its
    560000), services and fees to 745500, interest to 805000, against 219000."""
    price = transit.category(seller, buyer, "goods")
    margin = share(price, markup_bp, BP + markup_bp)      # as in _unrealised
    services = transit.category(seller, buyer, "services")
    interest = transit.category(seller, buyer, "interest")
    total = price + services + interest

    def pnl(amount: np.ndarray, closed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(to the income statement, to retained earnings): after the year-end close the
        month's income and expenses are closed."""
        return np.where(closed, 0, amount), np.where(closed, amount, 0)

    margin_pl, margin_re = pnl(margin, seller_closed)
    services_pl, services_re = pnl(services, buyer_closed)
    interest_pl, interest_re = pnl(interest, buyer_closed)
    entry = Elimination("in_transit", (
        Line(buyer, seller, STOCK, "Goods in transit at the group's cost", price - margin),
        Line(seller, buyer, COST_OF_IC_SALES, "Margin on goods in transit", margin_pl),
        Line(seller, buyer, RETAINED_EARNINGS, "Margin on goods in transit, closed year",
             margin_re),
        Line(buyer, seller, "745500", "Services and fees in transit", services_pl),
        Line(buyer, seller, "805000", "Interest in transit", interest_pl),
        Line(buyer, seller, RETAINED_EARNINGS, "Expenses in transit, closed year",
             services_re + interest_re),
        Line(buyer, seller, PAYABLE, "Intercompany payable in transit", -total)))
    return entry, Completion(
        {PAYABLE: -total, "745500": services_pl, "805000": interest_pl},
        {"745500": carried(services_re, buyer_closed),
         "805000": carried(interest_re, buyer_closed),
         COST_OF_IC_SALES: carried(margin_re, seller_closed)})


def _matched(kind: str, seller: str, buyer: str, parent: str,
             seller_side: tuple[tuple[str, str], ...], buyer_side: tuple[tuple[str, str], ...],
             figures: PartnerFigures, done: Completion | None = None,
             closed: np.ndarray | None = None) -> Elimination:
    """Reverse both sides, the buyer's as ``in_transit`` completed it; an expense the buyer
    booked this year for what was in transit at the last year end (its income is in the
    seller's retained earnings) is eliminated against the buyer's 320000. The difference
    goes to 829500 on the parent; in the month of its year-end close (``closed``) the
    year's income and expenses are closed, so it goes to the parent's 320000, and stays
    there until the next close: 829500 holds only its change since. (Income and expenses
    are zero at a close, so only balances leave a difference then.)"""
    added, before = (done.added, done.carried) if done else ({}, {})
    lines = [Line(seller, buyer, a, text, -figures.get(seller, a, buyer))
             for a, text in seller_side]
    for a, text in buyer_side:
        lines.append(Line(buyer, seller, a, text,
                          -figures.get(buyer, a, seller) - added.get(a, 0)))
        if a in before:
            lines.append(Line(buyer, seller, RETAINED_EARNINGS,
                              "In transit at the last year end", before[a]))
    other = buyer if seller == parent else seller
    rest = -np.sum([line.amount for line in lines], axis=0)
    closed = np.zeros(len(rest), bool) if closed is None else closed
    at_close = np.where(closed, rest, 0)
    prior = at_close + carried(at_close, closed)
    return Elimination(kind, (
        *lines,
        Line(parent, other, DIFFERENCE, "Intercompany elimination difference", rest - prior),
        Line(parent, other, RETAINED_EARNINGS, "Intercompany elimination difference at the "
             "last year end", prior)))


def _unrealised(seller: str, buyer: str, markup_bp: int, seller_books: Translation,
                figures: PartnerFigures, in_transit_before: np.ndarray | None = None,
                ) -> Elimination:
    """The margin in the buyer's stock from the seller: stock x markup / (1 + markup)."""
    margin = share(figures.get(buyer, "125000", seller), markup_bp, BP + markup_bp)
    # what was unrealised at the seller's last year-end close is in its retained earnings
    # (the close carried the profit there): the margin in the buyer's stock and on goods in
    # transit then (``in_transit`` took the latter out of 320000 in the close month); the
    # change since is this year's cost of sales
    this_year = since_close(margin, seller_books.closed)
    if in_transit_before is not None:
        this_year = this_year - in_transit_before
    return Elimination("unrealised_profit", (
        Line(buyer, seller, "125000", "Unrealised profit in group stock", -margin),
        Line(seller, buyer, COST_OF_IC_SALES, "Unrealised profit of the year", this_year),
        Line(seller, buyer, RETAINED_EARNINGS, "Unrealised profit of prior years",
             margin - this_year)))


def _equity(tr: Translation, chart: ChartIndex) -> np.ndarray:
    """Columns of a translation that are equity the owners share (not the NCI accounts)."""
    numbers = np.asarray(chart.numbers.to_pylist(), dtype=object)[tr.accounts]
    kinds = np.asarray(RATE_TYPES, dtype=object)[tr.rate_type]
    return np.flatnonzero(np.isin(kinds, ("historical", "reserve"))
                          & ~np.isin(numbers, (NCI, NCI_PROFIT)))


def _investments(group: GroupStructure, translations: dict[str, Translation],
                 chart: ChartIndex) -> list[Elimination]:
    """The parent's 140000 against its share of each subsidiary's opening equity. Goodwill
    is fixed at acquisition: the investment at the historical rate less the share of net
    assets (IFRS 3.32). A parent outside the group currency translates its investment at
    the closing rate like any asset; that exchange difference is its translation reserve's,
    so it goes back to 330000 (IAS 21.39(c)). The parent's one account is shared among its
    subsidiaries by their net assets acquired."""
    if not group.subsidiaries:
        return []
    numbers = np.asarray(chart.numbers.to_pylist(), dtype=object)
    parent = translations[group.parent]
    months = len(parent.closed)
    acquired: list[list[Line]] = []
    for sub in group.subsidiaries:
        tr = translations[sub.code]
        lines = [Line(sub.code, group.parent, numbers[tr.accounts[i]],
                      "Share of equity at acquisition",
                      np.full(months, -share(tr.opening[i:i + 1], sub.ownership_ppm, PPM)[0]))
                 for i in _equity(tr, chart) if tr.opening[i]]
        acquired.append(lines)
    net = np.array([sum(int(line.amount[0]) for line in lines) for lines in acquired],
                   dtype=np.int64)
    weights = np.abs(net) if np.any(net) else np.ones(len(net), np.int64)
    at = np.flatnonzero(parent.accounts == chart.of(INVESTMENT))
    historical = np.full(months, parent.opening[at[0]] if len(at) else 0, np.int64)
    closing = _shares(parent.balance(chart.of(INVESTMENT)), weights)
    historical = _shares(historical, weights)
    out = []
    for k, (sub, lines) in enumerate(zip(group.subsidiaries, acquired)):
        out.append(Elimination("investment", (
            Line(group.parent, sub.code, INVESTMENT, "Investment in subsidiary",
                 -closing[:, k]),
            *lines,
            Line(group.parent, sub.code, GOODWILL, "Goodwill", historical[:, k] - net[k]),
            Line(group.parent, sub.code, RESERVE, "Translation of the investment",
                 closing[:, k] - historical[:, k]))))
    return out


def _shares(amount: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(months,) -> (months, len(weights)) in proportion to the weights, by cumulative
    rounding so the shares add up to the amount."""
    running = np.cumsum(weights).astype(object)
    parts = div_half_even(amount.astype(object)[:, None] * running[None, :], int(running[-1]))
    return np.diff(parts.astype(np.int64), axis=1, prepend=0)


def _nci(sub: Subsidiary, tr: Translation, chart: ChartIndex) -> Elimination:
    """(1 - ownership) of each equity balance and of the profit so far, into 340000."""
    minority = PPM - sub.ownership_ppm
    numbers = np.asarray(chart.numbers.to_pylist(), dtype=object)
    lines = [Line(sub.code, None, numbers[tr.accounts[i]], "Non-controlling share of equity",
                  -share(tr.translated[:, i], minority, PPM)) for i in _equity(tr, chart)]
    income = np.asarray(RATE_TYPES, dtype=object)[tr.rate_type] == "average"
    profit = tr.translated[:, income].sum(axis=1)          # credit: a profit is negative
    lines.append(Line(sub.code, None, NCI_PROFIT, "Non-controlling share of profit",
                      -share(profit, minority, PPM)))
    total = np.sum([line.amount for line in lines], axis=0)
    return Elimination("nci", (*lines, Line(sub.code, None, NCI, "Non-controlling interests",
                                            -total)))
