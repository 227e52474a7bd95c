"""Phase ``consolidation``: the group's translated, eliminated and consolidated books.

One shard: a group is a handful of companies and the consolidation reads all of them at
once. It requires ``ledger_activity``, so the plan runs it after every phase that extends
that table (the intercompany postings and the period close included), and
``intercompany_pairs`` for the invoices in transit at a month end. Exchange rates are
read only when some company books in another currency than the group's (without them every
rate is 1). Pure work in generators/group/; docs/intercompany.md describes the method.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from datasynth.config import Config
from datasynth.generators.calendar import period_end
from datasynth.generators.fx.convert import RateBook
from datasynth.generators.group import GroupStructure, Subsidiary, consolidate
from datasynth.generators.group.eliminations import BP, PPM
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch
from datasynth.runtime.registry import register


@register
class ConsolidationPhase(BasePhase):
    name = "consolidation"
    requires = ("accounts", "companies", "fx_rates", "ledger_activity",
                "intercompany_activity", "intercompany_pairs")
    provides = ("translated_trial_balances", "consolidation_eliminations",
                "consolidated_trial_balances")
    description = "translation to the group currency, intercompany and investment " \
                  "eliminations, consolidated trial balance per period"

    def requires_for(self, config: Config) -> tuple[str, ...]:
        if config.fx_enabled:
            return self.requires
        return tuple(t for t in self.requires if t != "fx_rates")

    def enabled(self, config: Config) -> bool:
        return (config.intercompany.enabled and config.document_flows.enabled
                and config.transactions.target_count > 0)

    def shards(self, config: Config) -> Sequence[Shard]:
        return [Shard(0, "group", config.global_.period_months)]

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        start = config.global_.start_date
        epoch = dt.date(1970, 1, 1)
        end = period_end(start, config.global_.period_months)
        fx = ctx.table("fx_rates") if config.fx_enabled else None
        result = consolidate(
            ctx.table("ledger_activity"), ctx.table("intercompany_activity"),
            RateBook(fx, config.global_.group_currency),
            ChartIndex.build(ctx.table("accounts")), group_structure(config),
            {c.code: c.currency for c in config.companies},
            (start - epoch).days, (end - epoch).days, ctx.table("intercompany_pairs"))
        for table in result.translated:
            yield TableBatch("translated_trial_balances", table)
        yield TableBatch("consolidation_eliminations", result.eliminations)
        yield TableBatch("consolidated_trial_balances", result.consolidated)


def group_structure(config: Config) -> GroupStructure:
    """The parent, its subsidiaries in configuration order, ownership in parts per million
    and the markup in basis points (the seller prices at that precision)."""
    relationships = config.group_relationships()
    parent = relationships[0].parent if relationships else config.companies[0].code
    order = {c.code: i for i, c in enumerate(config.companies)}
    subsidiaries = sorted(relationships, key=lambda r: order[r.subsidiary])
    return GroupStructure(parent, tuple(Subsidiary(r.subsidiary, round(r.ownership * PPM))
                                        for r in subsidiaries),
                          round(config.intercompany.markup * BP))
