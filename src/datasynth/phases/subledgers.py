"""Phase ``subledgers``: AR and AP open items with aging, and inventory positions, at every
period end — one shard per company, from the documents of the transactions phase.

Nothing is random here: the snapshots follow from the documents, so they agree with the
control accounts that the same documents posted to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyarrow as pa

from datasynth.config import Config
from datasynth.generators.ledger.inventory import (
    MATERIAL_COLUMNS,
    MOVEMENT_COLUMNS,
    OPENING_COLUMNS,
    inventory_positions,
)
from datasynth.generators.ledger.open_items import (
    CLEARING_COLUMNS,
    INVOICE_COLUMNS,
    ap_open_items,
    ar_open_items,
)
from datasynth.generators.ledger.subledgers import PeriodGrid, company_rows
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch, company_shards
from datasynth.runtime.registry import register


@register
class SubledgersPhase(BasePhase):
    name = "subledgers"
    requires = ("companies", "materials", "opening_items", "customer_invoices",
                "customer_receipts", "vendor_invoices", "vendor_payments", "goods_receipts",
                "deliveries")
    provides = ("ar_open_items", "ap_open_items", "inventory_positions")
    description = "AR and AP open items with aging, inventory positions, at every period end"

    def enabled(self, config: Config) -> bool:
        # Snapshots of documents: nothing to take without the document flows.
        return (config.subledgers.enabled and config.document_flows.enabled
                and config.transactions.target_count > 0)

    def shards(self, config: Config) -> Sequence[Shard]:
        # Progress units: the company's share of the documents, a proxy for its work.
        return company_shards(config, config.entries_per_company())

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        code = config.companies[ctx.shard.params["company"]].code
        grid = PeriodGrid.from_start(config.global_.start_date, config.global_.period_months)

        def rows(table: str, *columns: str) -> pa.Table:
            return company_rows(ctx.table(table), code, columns)

        for batch in ar_open_items(
                code, grid, rows("customer_invoices", *INVOICE_COLUMNS, "customer_id"),
                rows("customer_receipts", *CLEARING_COLUMNS)):
            yield TableBatch("ar_open_items", batch)
        for batch in ap_open_items(
                code, grid, rows("vendor_invoices", *INVOICE_COLUMNS, "vendor_id"),
                rows("vendor_payments", *CLEARING_COLUMNS)):
            yield TableBatch("ap_open_items", batch)
        for batch in inventory_positions(
                code, grid, rows("materials", *MATERIAL_COLUMNS),
                rows("opening_items", *OPENING_COLUMNS),
                rows("goods_receipts", *MOVEMENT_COLUMNS), rows("deliveries", *MOVEMENT_COLUMNS)):
            yield TableBatch("inventory_positions", batch)
