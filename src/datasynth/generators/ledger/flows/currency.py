"""Foreign currencies of one company's books: which vendors invoice in their own currency,
the exchange rates the flows convert at, and exact, vectorised conversion.

A transaction in a foreign currency is recorded in the company (functional) currency at the
spot rate of the date of the transaction (IAS 21.21); a monetary item still open at a period
end is reported at the closing rate (IAS 21.23). Rates are int64 in units of 1e-10: company
currency units per unit of the foreign currency, the cross rates of ``fx_rates`` through the
group currency (generators/fx/convert.RateBook), looked up once per day of the run.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from datasynth.config.currencies import CURRENCIES
from datasynth.config.partner_currencies import currency_of
from datasynth.generators.fx.convert import convert
from datasynth.money import RATE_SCALE


@dataclass(frozen=True)
class Currencies:
    """The currencies of a company's books: ``codes[0]`` is the company's own, the others
    are its vendors' (``LedgerContext.currencies``), with each one's spot rate for every day
    of the run and closing rate for every run month, into the company currency."""

    codes: tuple[str, ...]
    exponents: tuple[int, ...]
    first_day: int
    spot: np.ndarray            # [currency, day - first_day] company units per unit, 1e-10
    closing: np.ndarray         # [currency, run month]

    def rate(self, currency: np.ndarray, days: np.ndarray) -> np.ndarray:
        """Spot rate of each currency on each day into the company currency (IAS 21.21)."""
        return self.spot[np.asarray(currency, np.int64), np.asarray(days, np.int64)
                         - self.first_day]

    def to_local(self, amount: np.ndarray, currency: np.ndarray, rate: np.ndarray
                 ) -> np.ndarray:
        """Amounts in each currency at ``rate`` -> company-currency minor units."""
        return self._convert(amount, currency, rate, to_local=True)

    def from_local(self, amount: np.ndarray, currency: np.ndarray, rate: np.ndarray
                   ) -> np.ndarray:
        """Company-currency amounts -> each currency at ``rate`` (company units per unit):
        the foreign price of an amount budgeted in the company currency."""
        return self._convert(amount, currency, rate, to_local=False)

    def _convert(self, amount, currency, rate, to_local: bool) -> np.ndarray:
        amount = np.asarray(amount, np.int64)
        currency = np.broadcast_to(np.asarray(currency, np.int64), amount.shape)
        rate = np.broadcast_to(np.asarray(rate, np.int64), amount.shape)
        out = np.zeros(amount.shape, np.int64)
        local = self.exponents[0]
        for c in np.unique(currency):           # one pass per currency (a handful)
            at = currency == c
            x = self.exponents[int(c)]
            if to_local:
                out[at] = convert(amount[at], rate[at], x, local)
            else:                               # the inverse rate, to 10 places
                inverse = _inverse(rate[at])
                out[at] = convert(amount[at], inverse, local, x)
        return out


def _inverse(rate: np.ndarray) -> np.ndarray:
    """1 / rate in units of 1e-10, to float precision: only used to price a budget drawn in
    the company currency in a foreign one (a draw, not a booking; books convert foreign
    amounts with the rate itself)."""
    return np.rint(float(RATE_SCALE) * float(RATE_SCALE) / rate.astype(np.float64)
                   ).astype(np.int64)


def build_currencies(config, company, rates, start_day: int, end_day: int,
                     months: list[tuple[int, int]], extra: list[str]) -> Currencies:
    """The company's currency and ``extra`` (its partners'), with rates from ``rates``
    (a ``RateBook``) for the days ``[start_day, end_day)`` and the run's months."""
    codes = (company.currency, *extra)
    days = np.arange(start_day, end_day, dtype=np.int64)
    month_index = np.array([(y - 1970) * 12 + m - 1 for y, m in months], np.int64)
    spot = np.full((len(codes), len(days)), RATE_SCALE, np.int64)
    closing = np.full((len(codes), len(months)), RATE_SCALE, np.int64)
    for i, code in enumerate(codes[1:], start=1):
        spot[i] = rates.cross_spot(days, code, company.currency)
        closing[i] = rates.cross_closing(month_index, code, company.currency)
    return Currencies(codes, tuple(CURRENCIES[c].exponent for c in codes), start_day,
                      spot, closing)


def foreign_partner_currency(config, index: int, country: pa.Array, share: float,
                             company_country: str, company_currency: str, kind: str
                             ) -> tuple[np.ndarray, list[str]]:
    """Which partners invoice in their own currency: ``round(share x partners)`` of them,
    drawn among those whose country uses another currency than the company's (all of those
    when fewer), from a stream of their own (seed, company, kind), so the choice does not
    depend on anything else. Returns each partner's currency code ('' for the company's)
    and the distinct foreign codes, sorted."""
    names = country.cast(pa.string()).to_pylist()
    n = len(names)
    per_country = {c: currency_of(c) for c in set(names)}
    code = np.array([(per_country[c] or "") if c != company_country else "" for c in names],
                    dtype=object)
    eligible = np.flatnonzero((code != "") & (code != company_currency))
    out = np.full(n, "", dtype=object)
    want = min(round(share * n), len(eligible))
    if want > 0:
        rng = np.random.default_rng(np.random.SeedSequence(config.seed, spawn_key=(
            zlib.crc32(b"foreign_partners"), index, zlib.crc32(kind.encode()))))
        chosen = np.sort(rng.choice(eligible, want, replace=False))
        out[chosen] = code[chosen]
    return out, sorted(set(out.tolist()) - {""})
