"""Daily exchange-rate paths: a mean-reverting process on the log rate with fat-tailed shocks.

Each currency's log rate against the US dollar, ``x = ln(USD per unit)``, moves on market
days (Monday to Friday) as a discretised Ornstein-Uhlenbeck process around a mean that may
drift (steady depreciation of high-inflation currencies)::

    mu[t+1]  = mu[t] + drift / 252
    x[t+1]   = x[t] + theta * (mu[t] - x[t]) + drift / 252 + sigma * s[t] * e[t]

with ``theta = ln 2 / half_life`` (market days), ``e`` Student-t shocks scaled to unit variance
(``fx.tail_df`` degrees of freedom: daily FX returns have excess kurtosis of about 3-6), and
``s`` a volatility regime: 2.5 on a turbulent day (probability ``fx.turbulent_share``), 1
otherwise; ``sigma`` is set so that the yearly standard deviation is the currency's annual
volatility (profiles.py) on average over regimes. Pegged currencies follow their anchor at the
peg, with a fast-reverting band of their own.

Each currency draws from its own stream ``(fx_rates, 0, "path/<code>")``, so adding a company
in another currency never changes the path of a currency already there; and cross rates are
ratios of dollar paths, so EUR/GBP, GBP/USD and EUR/USD always agree (no triangular
arbitrage in the table).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from datasynth.generators.fx.profiles import profile

TRADING_DAYS = 252
TURBULENT_SCALE = 2.5
PEG_HALF_LIFE = 10.0          # market days: a peg's band pulls back within two weeks


def _shocks(rng: np.random.Generator, n: int, tail_df: float, turbulent_share: float
            ) -> np.ndarray:
    """Unit-variance fat-tailed shocks with volatility regimes."""
    t = rng.standard_t(tail_df, n) / math.sqrt(tail_df / (tail_df - 2.0))
    turbulent = rng.random(n) < turbulent_share
    scale = np.where(turbulent, TURBULENT_SCALE, 1.0)
    # on average over regimes the variance stays 1, so sigma keeps its meaning
    return t * scale / math.sqrt(1.0 + turbulent_share * (TURBULENT_SCALE ** 2 - 1.0))


def ou_path(x0: float, n: int, daily_sigma: float, theta: float, daily_drift: float,
            shocks: np.ndarray) -> np.ndarray:
    """``n`` values of the process from ``x0`` (the first is ``x0``)."""
    x = np.empty(n)
    if n == 0:
        return x
    x[0] = x0
    mu = x0
    noise = daily_sigma * shocks
    # a linear recursion over at most a few thousand market days: a plain loop over floats
    # costs microseconds per currency, and is exact to the recursion as written
    for t in range(1, n):
        x[t] = x[t - 1] + theta * (mu - x[t - 1]) + daily_drift + noise[t]
        mu += daily_drift
    return x


def log_usd_paths(codes: list[str], n: int, levels: dict[str, float],
                  volatility: dict[str, float], half_life: float, tail_df: float,
                  turbulent_share: float,
                  rng_for: Callable[[str], np.random.Generator]) -> dict[str, np.ndarray]:
    """``ln(USD per unit)`` of each currency on ``n`` market days, from ``levels`` (USD per
    unit on the first day) of every floating currency involved, anchors of pegs included. A
    pegged currency's level is its peg."""
    paths: dict[str, np.ndarray] = {}

    def path(code: str) -> np.ndarray:
        if code in paths:
            return paths[code]
        p = profile(code)
        if code == "USD":
            paths[code] = np.zeros(n)
            return paths[code]
        rng = rng_for(code)
        shocks = _shocks(rng, n, tail_df, turbulent_share)
        sigma = volatility.get(code, p.annual_volatility) / math.sqrt(TRADING_DAYS)
        if p.peg is not None:
            anchor = path(p.peg)
            band = ou_path(0.0, n, sigma, math.log(2) / PEG_HALF_LIFE, 0.0, shocks)
            paths[code] = anchor - math.log(p.peg_rate) + band
        else:
            theta = math.log(2) / half_life
            paths[code] = ou_path(math.log(levels[code]), n, sigma, theta,
                                  p.annual_drift / TRADING_DAYS, shocks)
        return paths[code]

    for code in codes:
        path(code)
    return {code: paths[code] for code in codes}
