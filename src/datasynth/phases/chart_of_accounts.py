"""Phase ``chart_of_accounts``: the operating chart shared by all companies."""

from __future__ import annotations

from collections.abc import Iterator

from datasynth.generators.accounts import build_chart
from datasynth.runtime.phase import BasePhase, ShardContext, TableBatch
from datasynth.runtime.registry import register


@register
class ChartOfAccountsPhase(BasePhase):
    name = "chart_of_accounts"
    requires = ()
    provides = ("accounts",)
    description = "chart of accounts shaped by industry and complexity"

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        yield TableBatch("accounts", build_chart(ctx.config.global_.industry,
                                                 ctx.config.chart_of_accounts.complexity))
