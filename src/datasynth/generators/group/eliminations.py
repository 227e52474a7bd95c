"""Consolidation entries at each month end, in the group currency (IFRS 10 B86).

Each elimination is a balanced entry on the translated trial balances, recomputed in full at
every month end from cumulative figures (a consolidation worksheet, not a journal):

- ``ic_balances`` / ``ic_loans`` (B86(c)): the seller's receivable from the buyer against
  the buyer's payable to the seller; what does not match (goods in transit, a wrong amount,
  rounding) goes to 829500 Intercompany Elimination Differences on the parent;
- ``ic_revenue`` (B86(c)): the fiscal year's intercompany income against the partner's
  expense (services and management fees against 745500, interest against 805000, the
  difference to 829500), and the goods sales against the seller's cost of sales: the group
  only sells once, so its cost of sales loses the transfer price;
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
from datasynth.generators.group.translation import RATE_TYPES, Translation, since_close
from datasynth.generators.ledger.chart import ChartIndex

PPM = 1_000_000                   # ownership in parts per million
BP = 10_000                       # markup in basis points, as the seller prices
DIFFERENCE, INVESTMENT, GOODWILL, RESERVE = "829500", "140000", "175000", "330000"
NCI, NCI_PROFIT, COST_OF_IC_SALES, RETAINED_EARNINGS = "340000", "399000", "560000", "320000"
KINDS = ("ic_balances", "ic_loans", "ic_revenue", "unrealised_profit", "investment", "nci")
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
                 figures: PartnerFigures, chart: ChartIndex) -> list[Elimination]:
    """Every elimination of the run, in output order (by kind, then pair or subsidiary)."""
    out: list[Elimination] = []
    for kind, seller_side, buyer_side in MATCHED[:2]:
        out += [_matched(kind, s, b, group.parent, seller_side, buyer_side, figures)
                for s, b in group.pairs()]
    for s, b in group.pairs():
        sales = figures.get(s, "460000", b)
        out.append(Elimination("ic_revenue", (
            Line(s, b, "460000", "Intercompany sales of goods", -sales),
            Line(s, b, COST_OF_IC_SALES, "Transfer price out of cost of sales", sales))))
        out += [_matched(kind, s, b, group.parent, seller_side, buyer_side, figures)
                for kind, seller_side, buyer_side in MATCHED[2:]]
    out += [_unrealised(s, b, group.markup_bp, translations[s], figures)
            for s, b in group.pairs()]
    out += _investments(group, translations, chart)
    out += [_nci(sub, translations[sub.code], chart) for sub in group.subsidiaries
            if sub.ownership_ppm < PPM]
    return out


def _matched(kind: str, seller: str, buyer: str, parent: str,
             seller_side: tuple[tuple[str, str], ...], buyer_side: tuple[tuple[str, str], ...],
             figures: PartnerFigures) -> Elimination:
    """Reverse both sides; the difference to 829500 on the parent."""
    lines = [Line(seller, buyer, a, text, -figures.get(seller, a, buyer))
             for a, text in seller_side]
    lines += [Line(buyer, seller, a, text, -figures.get(buyer, a, seller))
              for a, text in buyer_side]
    other = buyer if seller == parent else seller
    rest = -np.sum([line.amount for line in lines], axis=0)
    return Elimination(kind, (*lines, Line(parent, other, DIFFERENCE,
                                           "Intercompany elimination difference", rest)))


def _unrealised(seller: str, buyer: str, markup_bp: int, seller_books: Translation,
                figures: PartnerFigures) -> Elimination:
    """The margin in the buyer's stock from the seller: stock x markup / (1 + markup)."""
    margin = share(figures.get(buyer, "125000", seller), markup_bp, BP + markup_bp)
    # what was unrealised at the seller's last year-end close is in its retained earnings
    # (the close carried the profit there); the change since is this year's cost of sales
    this_year = since_close(margin, seller_books.closed)
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
