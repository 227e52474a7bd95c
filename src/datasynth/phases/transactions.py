"""Phase ``transactions``: the opening entry and every business journal entry of a company,
with the P2P, O2C, H2R, A2R and R2R documents behind them — one shard per company.

A company's books are one shard because their running state (stock, open items, cash) is
carried through the run in date order; companies run in parallel. ``target_count`` is split
across companies by volume weight and across months by the calendar, then by the
business-process mix; the company's business entries are exactly its share (above a floor of
about 30-50 a month that payroll, VAT returns and stock replenishment need). The opening entry
and the period close come on top.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from datasynth.config import Config
from datasynth.generators.journal_entries.allocation import monthly_counts
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.generators.ledger.flows.company import company_tables
from datasynth.generators.ledger.flows.context import build_company_books
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch, company_shards
from datasynth.runtime.registry import register
from datasynth.runtime.seeding import PLAN_SHARD, stream

DOCUMENTS = ("purchase_requisitions", "purchase_orders", "goods_receipts", "vendor_invoices", "vendor_payments",
             "sales_orders", "deliveries", "customer_invoices", "customer_receipts",
             "asset_acquisitions", "document_references")


@register
class TransactionsPhase(BasePhase):
    name = "transactions"
    requires = ("calendar", "accounts", "companies", "employees", "cost_centers", "vendors",
                "customers", "materials", "opening_balances", "opening_items", "fx_rates")
    provides = ("journal_entries", *DOCUMENTS, "ledger_activity", "anomaly_labels")
    description = ("opening entry and document flows (P2P, O2C, H2R, A2R, R2R) per company, "
                   "with the anomalies injected into them")

    def enabled(self, config: Config) -> bool:
        return config.document_flows.enabled and config.transactions.target_count > 0

    def requires_for(self, config: Config) -> tuple[str, ...]:
        """Exchange rates only for vendors invoicing in their own currency."""
        return self.requires if config.foreign_partners_on else self.requires[:-1]

    def provides_for(self, config: Config) -> tuple[str, ...]:
        """Anomaly labels only when injection is on: no empty labels table otherwise."""
        return self.provides if config.anomaly_injection.enabled else self.provides[:-1]

    def shards(self, config: Config) -> Sequence[Shard]:
        return company_shards(config, config.entries_per_company())

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        index = ctx.shard.params["company"]
        chart = ctx.memo("chart", lambda: ChartIndex.build(ctx.table("accounts")))
        books = build_company_books(config, index, ctx.table, ctx.table("calendar"), chart,
                                    stream(config.seed, self.name, PLAN_SHARD, "directory",
                                           index))
        weights = np.array([w.sum() for w in books.month_weights])
        count = config.entries_per_company()[index]
        monthly = monthly_counts(ctx.rng("months"), count, weights)
        for table, data in company_tables(books, config, ctx.rng, monthly,
                                          ctx.table("opening_balances"),
                                          ctx.table("opening_items")):
            yield TableBatch(table, data)
