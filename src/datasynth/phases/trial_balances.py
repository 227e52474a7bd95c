"""Phase ``trial_balances``: a trial balance per company and fiscal period.

One shard per company. It requires ``ledger_activity``, so the plan runs it after every
phase that extends that table: it sees the opening, the business and the close activity.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from datasynth.config import Config
from datasynth.config.currencies import CURRENCIES
from datasynth.generators.calendar import period_end
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.generators.ledger.close import run_months
from datasynth.generators.ledger.trial_balance import trial_balance
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch, company_shards
from datasynth.runtime.registry import register


@register
class TrialBalancesPhase(BasePhase):
    name = "trial_balances"
    requires = ("accounts", "companies", "ledger_activity")
    provides = ("trial_balances",)
    description = "trial balance per company, period and account (opening, debit, credit, " \
                  "closing)"

    def enabled(self, config: Config) -> bool:
        return config.document_flows.enabled and config.transactions.target_count > 0

    def shards(self, config: Config) -> Sequence[Shard]:
        return company_shards(config, config.global_.period_months)

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        company = config.companies[ctx.shard.params["company"]]
        chart = ctx.memo("chart", lambda: ChartIndex.build(ctx.table("accounts")))
        start = config.global_.start_date
        epoch = dt.date(1970, 1, 1)
        first_month, months = run_months(
            (start - epoch).days, (period_end(start, config.global_.period_months) - epoch).days)
        yield TableBatch("trial_balances", trial_balance(
            ctx.table("ledger_activity"), company.code, chart, first_month, months,
            CURRENCIES[company.currency].exponent))
