"""How each currency moves against the US dollar: volatility, drift and pegs.

Annual volatilities are round figures of the realised volatility of each currency against the
dollar over recent years (major floating currencies 7-11 %, emerging markets 12-16 %, high
inflation currencies above 20 %). Drift is the mean yearly change of the log rate that the
mean-reverting process reverts towards: zero for most currencies, a steady depreciation for
the high-inflation ones (TRY, ARS), so that their paths do not revert to a level they left
years ago. Pegged currencies (HKD, AED, SAR to the dollar; DKK to the euro under ERM II)
follow their anchor at the peg, with a small band of their own.

The level at the start of the run is ``usd_per_unit`` of ``config.currencies`` (late-2020s
levels), unless the configuration sets another (``fx.levels``).
"""

from __future__ import annotations

from typing import NamedTuple


class Profile(NamedTuple):
    annual_volatility: float      # standard deviation of the yearly change of the log rate
    annual_drift: float = 0.0     # mean yearly change of the log rate (negative: depreciation)
    peg: str | None = None        # anchor currency of a peg
    peg_rate: float = 0.0         # units of this currency per unit of the anchor


DEFAULT_VOLATILITY = 0.10         # a currency missing below moves like a typical float

PROFILES: dict[str, Profile] = {
    "USD": Profile(0.0),
    "EUR": Profile(0.075), "GBP": Profile(0.085), "JPY": Profile(0.10), "CHF": Profile(0.075),
    "CAD": Profile(0.065), "AUD": Profile(0.105), "NZD": Profile(0.11), "CNY": Profile(0.035),
    "SGD": Profile(0.045), "INR": Profile(0.05, -0.02), "KRW": Profile(0.09),
    "BRL": Profile(0.16), "MXN": Profile(0.13), "SEK": Profile(0.10), "NOK": Profile(0.11),
    "PLN": Profile(0.10), "CZK": Profile(0.09), "HUF": Profile(0.12), "ZAR": Profile(0.16),
    "THB": Profile(0.07), "MYR": Profile(0.06), "IDR": Profile(0.08), "PHP": Profile(0.06),
    "TRY": Profile(0.20, -0.30), "ILS": Profile(0.09), "CLP": Profile(0.12),
    "COP": Profile(0.13), "ARS": Profile(0.30, -0.50),
    # pegs: the anchor's path times the peg, within a band of a fraction of a percent
    "HKD": Profile(0.004, 0.0, "USD", 7.80), "AED": Profile(0.001, 0.0, "USD", 3.6725),
    "SAR": Profile(0.001, 0.0, "USD", 3.75), "DKK": Profile(0.003, 0.0, "EUR", 7.46),
}


def profile(code: str) -> Profile:
    return PROFILES.get(code, Profile(DEFAULT_VOLATILITY))
