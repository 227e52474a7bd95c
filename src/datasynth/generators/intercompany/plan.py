"""What the group companies trade with each other: one row per intercompany transaction.

Per relationship (a parent and its subsidiary, config ``intercompany.relationships``):

- ``goods``: the parent sells traded goods to the subsidiary at cost plus the transfer-pricing
  markup (OECD Transfer Pricing Guidelines ch. II, cost plus method), a Poisson number of
  invoices a month on the parent's business days;
- ``services``: the parent invoices services (IT, shared services) the same way;
- ``management_fee``: the parent charges one fee a month on its last business day, a fixed
  base that varies a little month to month;
- ``loan``: the parent lends ``loan_amount`` (group currency, in the lender's currency at the
  first day's rate) on the first business day; ``loan_interest``: interest a month at
  ``interest_rate`` / 12 on the principal, charged on the parent's last business day.

Invoices are in the seller's currency and settle ``settlement_days`` later (the next business
day). A share ``timing_difference_rate`` of goods and services invoices is issued on the
seller's last business day of a month and booked by the buyer on its first business day of
the next (in transit at the period end); a share ``mismatch_rate`` is booked by the buyer
at a wrong amount (labelled, corrected when it is paid). Amount draws are lognormal in US
dollars scaled to the seller's currency, like the business flows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from datasynth.config.currencies import CURRENCIES
from datasynth.config.models import GroupRelationship, IntercompanySettings
from datasynth.generators.fx.convert import convert
from datasynth.money import RATE_SCALE, minor_per_usd

ACTIVITIES = ("goods", "services", "management_fee", "loan", "loan_interest")
ACT = {name: i for i, name in enumerate(ACTIVITIES)}
MATCHED, TIMING, MISMATCH = 0, 1, 2
STATUSES = ("matched", "timing_difference", "amount_mismatch")
# What the subsidiary buys from the group a year, as a share of its revenue (goods at cost,
# services, fees; typical of a sales subsidiary that also sources locally), and the spread of
# the logarithm of one invoice: a group charges in proportion to the size of the company.
GOODS_SHARE, SERVICES_SHARE, FEE_SHARE = 0.03, 0.01, 0.015
GOODS_SPREAD, SERVICES_SPREAD, FEE_SPREAD = 0.7, 0.6, 0.3


@dataclass(frozen=True)
class Calendars:
    """Business days (days since the epoch, sorted) per company index, and the run."""

    business_days: list[np.ndarray]
    start_day: int
    end_day: int                 # first day after the run

    def next_business(self, company: int, days: np.ndarray) -> np.ndarray:
        """The first business day on or after each day (``end_day`` when there is none)."""
        own = self.business_days[company]
        at = np.searchsorted(own, days)
        return np.where(at < len(own), own[np.minimum(at, len(own) - 1)], self.end_day)

    def in_month(self, company: int, month: int) -> np.ndarray:
        own = self.business_days[company]
        months = own.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        return own[months == month]


@dataclass
class Transactions:
    """One row per intercompany transaction (one pair of documents)."""

    relationship: np.ndarray
    activity: np.ndarray          # index into ACTIVITIES
    seller: np.ndarray            # company indexes
    buyer: np.ndarray
    seller_day: np.ndarray
    buyer_day: np.ndarray
    settle_day: np.ndarray        # -1: open at the end of the run (or a loan)
    amount: np.ndarray            # invoiced, minor units of the seller's currency
    buyer_amount: np.ndarray      # what the buyer booked, same currency
    cost: np.ndarray              # the seller's cost of goods sold (goods), else 0
    lines: np.ndarray             # the buyer's debit lines (goods split by product line)
    status: np.ndarray            # MATCHED, TIMING or MISMATCH

    def __len__(self) -> int:
        return len(self.activity)


def plan_transactions(settings: IntercompanySettings, relationships: list[GroupRelationship],
                      codes: list[str], currencies: list[str], calendars: Calendars,
                      months: np.ndarray, group_rate_at_start: Callable[[str], int],
                      rng: Callable[[str], np.random.Generator],
                      revenue_usd: dict[str, float]) -> Transactions:
    """Every transaction of the run, ordered by the seller's day (then relationship and
    activity); ``rng(purpose)`` gives the stream of one purpose; ``revenue_usd`` is each
    company's annual revenue in US dollars (the size the charges follow)."""
    parts: list[dict[str, np.ndarray]] = []
    for r, rel in enumerate(relationships):
        seller, buyer = codes.index(rel.parent), codes.index(rel.subsidiary)
        # one month of the buyer's revenue, in minor units of the seller's currency
        monthly = revenue_usd[rel.subsidiary] / 12 * _usd_to_minor(currencies[seller])
        for activity in rel.activities:
            draw = rng(f"{rel.subsidiary}/{activity}")
            if activity in ("goods", "services"):
                parts.append(_invoices(draw, settings, calendars, months, seller, activity,
                                       monthly))
            elif activity == "management_fees":
                parts.append(_fees(draw, calendars, months, seller, monthly))
            else:
                principal = _loan_principal(settings.loan_amount, currencies[seller],
                                            group_rate_at_start(currencies[seller]))
                parts.append(_loan(settings, calendars, months, seller, principal))
        for part in parts[len(parts) - len(rel.activities):]:
            part["relationship"] = np.full(len(part["day"]), r)
            part["seller"] = np.full(len(part["day"]), seller)
            part["buyer"] = np.full(len(part["day"]), buyer)
    plan = _merge(parts)
    return _schedule(settings, calendars, plan, rng("timing"))


def _usd_to_minor(code: str) -> float:
    currency = CURRENCIES[code]
    return minor_per_usd(currency.exponent, currency.usd_per_unit)


def _lognormal(rng: np.random.Generator, mean: float, spread: float, n: int) -> np.ndarray:
    """Lognormal minor units with mean ``mean`` (the median is mean x exp(-spread^2 / 2))."""
    drawn = rng.lognormal(np.log(mean) - spread ** 2 / 2, spread, n)
    return np.maximum(np.rint(drawn), 1).astype(np.int64)


def _invoices(rng: np.random.Generator, settings: IntercompanySettings,
              calendars: Calendars, months: np.ndarray, seller: int, activity: str,
              monthly: float) -> dict[str, np.ndarray]:
    days: list[np.ndarray] = []
    for month in months:
        own = calendars.in_month(seller, int(month))
        own = own[(own >= calendars.start_day) & (own < calendars.end_day)]
        count = int(rng.poisson(settings.invoices_per_month)) if len(own) else 0
        days.append(np.sort(rng.choice(own, count)) if count else np.zeros(0, np.int64))
    day = np.concatenate(days).astype(np.int64)
    n = len(day)
    markup_bp = round(settings.markup * 10_000)
    if activity == "goods":
        cost = _lognormal(rng, GOODS_SHARE * monthly / settings.invoices_per_month,
                          GOODS_SPREAD, n)
        amount = (cost * (10_000 + markup_bp) + 5_000) // 10_000
        lines = rng.integers(1, 4, n)
    else:
        cost = np.zeros(n, np.int64)
        amount = _lognormal(rng, SERVICES_SHARE * monthly / settings.invoices_per_month,
                            SERVICES_SPREAD, n)
        lines = np.ones(n, np.int64)
    return {"day": day, "activity": np.full(n, ACT[activity]), "amount": amount,
            "cost": cost, "lines": lines}


def _fees(rng: np.random.Generator, calendars: Calendars, months: np.ndarray, seller: int,
          monthly: float) -> dict[str, np.ndarray]:
    base = float(_lognormal(rng, FEE_SHARE * monthly, FEE_SPREAD, 1)[0])
    day = _last_business_days(calendars, seller, months)
    amount = np.maximum(np.rint(base * (1 + rng.normal(0, 0.03, len(day)))), 1)
    n = len(day)
    return {"day": day, "activity": np.full(n, ACT["management_fee"]),
            "amount": amount.astype(np.int64), "cost": np.zeros(n, np.int64),
            "lines": np.ones(n, np.int64)}


def _loan_principal(amount_group: float, code: str, rate: int) -> int:
    """The loan in the lender's currency: ``amount_group`` group-currency units at the first
    day's rate (``rate``: group units per unit of the lender's currency), rounded to
    thousands of units as loan agreements are."""
    exponent = CURRENCIES[code].exponent
    units = amount_group * RATE_SCALE / rate
    return int(round(units, -3)) * 10 ** exponent


def _loan(settings: IntercompanySettings, calendars: Calendars, months: np.ndarray,
          seller: int, principal: int) -> dict[str, np.ndarray]:
    first = calendars.next_business(seller, np.array([calendars.start_day]))
    interest_days = _last_business_days(calendars, seller, months)
    interest_days = interest_days[interest_days > first[0]]
    # principal x rate / 12, half-even in minor units (the monthly rate to 10 places)
    monthly = np.full(len(interest_days), round(settings.interest_rate * RATE_SCALE / 12))
    interest = convert(np.full(len(interest_days), principal), monthly, 0, 0)
    day = np.r_[first[first < calendars.end_day], interest_days].astype(np.int64)
    amount = np.r_[np.full(int((first < calendars.end_day).sum()), principal), interest]
    activity = np.r_[np.full(len(day) - len(interest_days), ACT["loan"]),
                     np.full(len(interest_days), ACT["loan_interest"])]
    keep = amount > 0
    n = int(keep.sum())
    return {"day": day[keep], "activity": activity[keep], "amount": amount[keep],
            "cost": np.zeros(n, np.int64), "lines": np.ones(n, np.int64)}


def _last_business_days(calendars: Calendars, company: int, months: np.ndarray) -> np.ndarray:
    out = []
    for month in months:
        own = calendars.in_month(company, int(month))
        own = own[(own >= calendars.start_day) & (own < calendars.end_day)]
        if len(own):
            out.append(own[-1])
    return np.array(out, dtype=np.int64)


def _merge(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    keys = ("day", "activity", "amount", "cost", "lines", "relationship", "seller", "buyer")
    merged = {k: (np.concatenate([p[k] for p in parts]).astype(np.int64) if parts
                  else np.zeros(0, np.int64)) for k in keys}
    order = np.lexsort((merged["activity"], merged["relationship"], merged["day"]))
    return {k: v[order] for k, v in merged.items()}


def _schedule(settings: IntercompanySettings, calendars: Calendars,
              plan: dict[str, np.ndarray], rng: np.random.Generator) -> Transactions:
    """Buyer days, settlement days, timing differences and mismatches."""
    n = len(plan["day"])
    seller_day, buyer_day = plan["day"].copy(), plan["day"].copy()
    status = np.full(n, MATCHED)
    invoice = np.isin(plan["activity"], (ACT["goods"], ACT["services"]))
    draw = rng.random(n)
    timing = invoice & (draw < settings.timing_difference_rate)
    mismatch = invoice & ~timing & (draw >= 1 - settings.mismatch_rate)
    for i in np.flatnonzero(timing):
        s, b = int(plan["seller"][i]), int(plan["buyer"][i])
        month = int(np.datetime64(int(seller_day[i]), "D").astype("datetime64[M]")
                    .astype(np.int64))
        last = calendars.in_month(s, month)
        following = calendars.in_month(b, month + 1)
        following = following[following < calendars.end_day]
        if len(last) and len(following):
            seller_day[i], buyer_day[i] = last[-1], following[0]
            status[i] = TIMING
    buyer_amount = plan["amount"].copy()
    size = rng.uniform(0.01, 0.10, n)
    sign = np.where(rng.random(n) < 0.5, -1, 1)
    shift = np.maximum(np.rint(plan["amount"] * size), 1).astype(np.int64) * sign
    buyer_amount[mismatch] += shift[mismatch]
    status[mismatch] = MISMATCH
    due = np.array([int(calendars.next_business(int(s), np.array([d + settings.settlement_days]))[0])
                    for s, d in zip(plan["seller"], seller_day)], dtype=np.int64)
    due = np.maximum(due, buyer_day + 1)
    settle = np.where((due < calendars.end_day) & (plan["activity"] != ACT["loan"]), due, -1)
    return Transactions(plan["relationship"], plan["activity"], plan["seller"], plan["buyer"],
                        seller_day, buyer_day, settle, plan["amount"], buyer_amount,
                        plan["cost"], plan["lines"], status)
