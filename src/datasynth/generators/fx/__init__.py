"""Exchange rates: per-currency profiles, the rate model, and the ``fx_rates`` table."""

from datasynth.generators.fx.model import log_usd_paths
from datasynth.generators.fx.rates import market_days, rates_table

__all__ = ["log_usd_paths", "market_days", "rates_table"]
