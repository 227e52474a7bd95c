"""Phase ``opening_balances``: the opening balance sheet of every company (A = L + E) and the
open items behind its AR, AP and inventory control accounts — one shard per company.

The balance sheet is as of the day before ``global.start_date`` and is posted on the start
date (the transactions phase turns it into the opening journal entry and publishes the open
items as opening invoices). The pure generator is ``generators/ledger/opening.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config import Config
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.generators.ledger.opening import opening_books
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch
from datasynth.runtime.registry import register

BALANCE_ROWS = 40     # progress units for the balance rows of one company (about the count)


def company_rows(table: pa.Table, company: str) -> pa.Table:
    """The rows of ``company`` (``company_code`` is dictionary-encoded: compare as strings)."""
    return table.filter(pc.equal(table["company_code"].cast(pa.string()), company))


@register
class OpeningBalancesPhase(BasePhase):
    name = "opening_balances"
    requires = ("accounts", "companies", "employees", "customers", "vendors", "materials",
                "fixed_assets")
    provides = ("opening_balances", "opening_items")
    description = ("opening balance sheet per company (A = L + E), with the open items behind "
                   "AR, AP and inventory")

    def enabled(self, config: Config) -> bool:
        return config.document_flows.enabled and config.transactions.target_count > 0

    def shards(self, config: Config) -> Sequence[Shard]:
        counts = config.master_data
        units = int(1.5 * (counts.customers + counts.vendors)) + counts.materials + BALANCE_ROWS
        return [Shard(i, company.code, units, {"company": i})
                for i, company in enumerate(config.companies)]

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        company = config.companies[ctx.shard.params["company"]]
        chart = ctx.memo("chart", lambda: ChartIndex.build(ctx.table("accounts")))
        balances, items = opening_books(
            ctx.rng, company, config.global_.industry, config.global_.start_date, chart,
            *(company_rows(ctx.table(name), company.code)
              for name in ("employees", "customers", "vendors", "materials", "fixed_assets")),
            enabled=config.opening_balances.enabled)
        yield TableBatch("opening_balances", balances)
        yield TableBatch("opening_items", items)
