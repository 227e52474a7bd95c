"""Phase ``calendar``: the posting calendar of every company (internal table)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from datasynth.config import Config
from datasynth.generators.calendar import build_calendar
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch, company_shards
from datasynth.runtime.registry import register


@register
class CalendarPhase(BasePhase):
    name = "calendar"
    requires = ()
    provides = ("calendar",)
    description = "business days, holidays and period-end activity per company"

    def shards(self, config: Config) -> Sequence[Shard]:
        return company_shards(config, 1)

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        company = ctx.config.companies[ctx.shard.params["company"]]
        settings = ctx.config.global_
        yield TableBatch("calendar", build_calendar(
            company.code, company.country, settings.start_date, settings.period_months,
            ctx.config.transactions.seasonality))
