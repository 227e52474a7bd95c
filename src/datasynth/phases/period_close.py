"""Phase ``period_close``: depreciation, accruals, tax provision and year-end closing.

One shard per company. The close adds its entries to ``journal_entries`` and its activity
(origin ``close``) to ``ledger_activity``, both provided by the transactions phase, and
writes the fixed-asset subledger. Its entries take the number range 9000000001 onwards per
company and year, apart from the business entries, so both phases number independently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence


from datasynth.config import Config
from datasynth.config.currencies import CURRENCIES
from datasynth.generators.calendar import period_end
from datasynth.generators.ledger.chart import ChartIndex, ledger_context, system_user
from datasynth.generators.ledger.close import (
    CloseSettings,
    activity_matrix,
    asset_register,
    close_company,
    run_months,
)
from datasynth.generators.ledger.economics import income_tax_rate
from datasynth.money import minor_per_usd
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch, company_shards
from datasynth.runtime.registry import register

ACCRUAL_FLOOR_USD = 100          # the smallest accrual worth booking, in US dollars


@register
class PeriodClosePhase(BasePhase):
    name = "period_close"
    requires = ("accounts", "companies", "employees", "cost_centers", "fixed_assets",
                "asset_acquisitions", "ledger_activity")
    provides = ("fixed_asset_balances",)
    extends = ("journal_entries", "ledger_activity")
    description = "monthly depreciation and accruals, quarterly tax provision, year-end close"

    def enabled(self, config: Config) -> bool:
        return (config.period_close.enabled and config.document_flows.enabled
                and config.transactions.target_count > 0)

    def shards(self, config: Config) -> Sequence[Shard]:
        return company_shards(config, config.global_.period_months)

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        company = config.companies[ctx.shard.params["company"]]
        chart = ctx.memo("chart", lambda: ChartIndex.build(ctx.table("accounts")))
        employees = ctx.table("employees")
        ledger = ledger_context(company.code, company.currency, chart, employees,
                                ctx.table("cost_centers"))
        settings = close_settings(config, company)
        first_month, months = run_months(settings.start_day, settings.end_day)
        assets = asset_register([ctx.table("fixed_assets"), ctx.table("asset_acquisitions")],
                                ledger, chart)
        activity = activity_matrix(ctx.table("ledger_activity"), company.code, chart,
                                   first_month, months)
        result = close_company(ctx.rng("accruals"), ledger, chart, assets, activity, settings,
                               system_user(employees, company.code))
        yield TableBatch("journal_entries", result.journal)
        yield TableBatch("ledger_activity", result.activity)
        yield TableBatch("fixed_asset_balances", result.balances)


def close_settings(config: Config, company) -> CloseSettings:
    start = config.global_.start_date
    end = period_end(start, config.global_.period_months)
    currency = CURRENCIES[company.currency]
    epoch = dt.date(1970, 1, 1)
    return CloseSettings(
        accruals=config.period_close.accruals, tax_provision=config.period_close.tax_provision,
        year_end_close=config.period_close.year_end_close,
        tax_rate_bp=round(income_tax_rate(company.country) * 100),
        start_day=(start - epoch).days, end_day=(end - epoch).days,
        accrual_floor=round(ACCRUAL_FLOOR_USD * minor_per_usd(currency.exponent,
                                                              currency.usd_per_unit)))
