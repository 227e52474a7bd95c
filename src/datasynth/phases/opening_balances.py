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
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch, company_shards
from datasynth.runtime.registry import register

BALANCE_ROWS = 40     # progress units for the balance rows of one company (about the count)


def company_rows(table: pa.Table, company: str) -> pa.Table:
    """The rows of ``company`` (``company_code`` is dictionary-encoded: compare as strings)."""
    return table.filter(pc.equal(table["company_code"].cast(pa.string()), company))


# Business journal entries per invoice, as the flows post them: an O2C invoice comes with
# its delivery and one or two receipts; a P2P invoice with one or two payments, and a goods
# receipt for stock purchases.
ENTRIES_PER_INVOICE = {"O2C": 3.0, "P2P": 2.2}


def invoices_per_year(config: Config, index: int) -> tuple[float, float]:
    """Customer and vendor invoices a year the transactions phase will post for company
    ``index``: the opening open items are as many as that pace leaves open (DSO/DPO days)."""
    share = config.entries_per_company()[index]
    per_year = share * 12 / config.global_.period_months
    mix = config.transactions.business_processes.model_dump()
    return (per_year * mix["O2C"] / ENTRIES_PER_INVOICE["O2C"],
            per_year * mix["P2P"] / ENTRIES_PER_INVOICE["P2P"])


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
        return company_shards(config, units)

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        company = config.companies[ctx.shard.params["company"]]
        chart = ctx.memo("chart", lambda: ChartIndex.build(ctx.table("accounts")))
        balances, items = opening_books(
            ctx.rng, company, config.global_.industry, config.global_.start_date, chart,
            *(company_rows(ctx.table(name), company.code)
              for name in ("employees", "customers", "vendors", "materials", "fixed_assets")),
            enabled=config.opening_balances.enabled,
            invoices_per_year=invoices_per_year(config, ctx.shard.params["company"]))
        yield TableBatch("opening_balances", balances)
        yield TableBatch("opening_items", items)
