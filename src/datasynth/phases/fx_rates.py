"""Phase ``fx_rates``: daily, average and closing rates to the group currency.

One shard: a few currencies over a few years are a few thousand rows. On when ``fx.enabled``,
or, left unset, when some company books in a currency other than the group's. Each
currency's path is the stream ``(fx_rates, 0, "path/<code>")`` (generators/fx/model.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from datasynth.config import Config
from datasynth.config.currencies import CURRENCIES
from datasynth.generators.calendar import period_end
from datasynth.generators.fx import log_usd_paths, market_days, rates_table
from datasynth.generators.fx.profiles import PROFILES
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch
from datasynth.runtime.registry import register


def _levels(config: Config) -> dict[str, float]:
    """USD per unit on the first day of every floating currency (pegs follow their anchor)."""
    levels = {code: c.usd_per_unit for code, c in CURRENCIES.items()
              if PROFILES.get(code) is None or PROFILES[code].peg is None}
    return {**levels, **config.fx.levels}


@register
class FxRatesPhase(BasePhase):
    name = "fx_rates"
    requires = ()
    provides = ("fx_rates",)
    description = "daily spot, monthly average and closing exchange rates to the group currency"

    def enabled(self, config: Config) -> bool:
        return config.fx_enabled

    def shards(self, config: Config) -> Sequence[Shard]:
        return [Shard(0, "fx", len(config.fx_currencies()))]

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config, fx = ctx.config, ctx.config.fx
        start = config.global_.start_date
        end = period_end(start, config.global_.period_months) - dt.timedelta(days=1)
        fixings = market_days(start, end)
        paths = log_usd_paths(config.fx_currencies(), fixings.size, _levels(config),
                              fx.volatility, fx.half_life_days, fx.tail_df, fx.turbulent_share,
                              lambda code: ctx.rng(f"path/{code}"))
        yield TableBatch("fx_rates", rates_table(config.global_.group_currency, paths,
                                                 fixings, start, end))
