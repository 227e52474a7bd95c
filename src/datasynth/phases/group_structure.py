"""Phase ``group_structure``: the parent's investments in its subsidiaries, added to the
opening balance sheet before the books post it (generators/intercompany/investments.py).

One shard: it reads every subsidiary's opening equity. It adds rows to ``opening_balances``
(the parent's 140000 and 315000) and runs before the transactions phase, which posts the
opening entry from that table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from datasynth.config import Config
from datasynth.generators.fx.convert import RateBook
from datasynth.generators.intercompany.investments import investment_rows
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch
from datasynth.runtime.registry import register


@register
class GroupStructurePhase(BasePhase):
    name = "group_structure"
    requires = ("accounts", "opening_balances", "fx_rates")
    provides = ()
    extends = ("opening_balances",)
    description = "the parent's investments in its subsidiaries, in its opening balance sheet"

    def enabled(self, config: Config) -> bool:
        return (config.intercompany.enabled and config.document_flows.enabled
                and config.transactions.target_count > 0)

    def requires_for(self, config: Config) -> tuple[str, ...]:
        return self.requires if config.fx_enabled else self.requires[:-1]

    def shards(self, config: Config) -> Sequence[Shard]:
        return [Shard(0, "group", max(1, len(config.group_relationships())))]

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        rates = RateBook(ctx.table("fx_rates") if config.fx_enabled else None,
                         config.global_.group_currency)
        yield TableBatch("opening_balances", investment_rows(
            ctx.table("opening_balances"), config.group_relationships(), config.companies,
            ChartIndex.build(ctx.table("accounts")), rates, config.global_.start_date))
