"""Phase ``subledgers``: AR and AP open items with aging, and inventory positions, at every
period end — one shard per company, from the documents of the transactions phase.

Nothing is random here: the snapshots follow from the documents, so they agree with the
control accounts that the same documents posted to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyarrow as pa

from datasynth.config import Config
from datasynth.generators.ledger.flows.revaluation import (
    RECEIVABLES_VALUATION,
    VALUATION,
)
from datasynth.generators.ledger.inventory import (
    MATERIAL_COLUMNS,
    MOVEMENT_COLUMNS,
    OPENING_COLUMNS,
    inventory_positions,
)
from datasynth.generators.ledger.open_items import (
    CLEARING_COLUMNS,
    FOREIGN_CLEARING_COLUMNS,
    FOREIGN_INVOICE_COLUMNS,
    INVOICE_COLUMNS,
    Valuation,
    ap_open_items,
    ar_open_items,
)
from datasynth.generators.ledger.subledgers import PeriodGrid, company_rows
from datasynth.runtime.phase import (
    BasePhase,
    Shard,
    ShardContext,
    TableBatch,
    company_shards,
)
from datasynth.runtime.registry import register


@register
class SubledgersPhase(BasePhase):
    name = "subledgers"
    requires = ("companies", "materials", "opening_items", "customer_invoices",
                "customer_receipts", "vendor_invoices", "vendor_payments", "goods_receipts",
                "deliveries", "fx_rates")
    provides = ("ar_open_items", "ap_open_items", "inventory_positions")
    description = "AR and AP open items with aging, inventory positions, at every period end"

    def enabled(self, config: Config) -> bool:
        # Snapshots of documents: nothing to take without the document flows.
        return (config.subledgers.enabled and config.document_flows.enabled
                and config.transactions.target_count > 0)

    def requires_for(self, config: Config) -> tuple[str, ...]:
        """Closing rates only to value vendor and customer items in a foreign currency."""
        return self.requires if config.foreign_partners_on else self.requires[:-1]

    def shards(self, config: Config) -> Sequence[Shard]:
        # Progress units: the company's share of the documents, a proxy for its work.
        return company_shards(config, config.entries_per_company())

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        company = config.companies[ctx.shard.params["company"]]
        code = company.code
        grid = PeriodGrid.from_start(config.global_.start_date, config.global_.period_months)

        def rows(table: str, *columns: str) -> pa.Table:
            return company_rows(ctx.table(table), code, columns)

        for batch in ar_open_items(
                code, grid, rows("customer_invoices", *INVOICE_COLUMNS, "customer_id",
                                 *FOREIGN_INVOICE_COLUMNS),
                rows("customer_receipts", *CLEARING_COLUMNS, *FOREIGN_CLEARING_COLUMNS),
                _valuation(ctx, company, grid, RECEIVABLES_VALUATION)):
            yield TableBatch("ar_open_items", batch)
        for batch in ap_open_items(
                code, grid, rows("vendor_invoices", *INVOICE_COLUMNS, "vendor_id",
                                 *FOREIGN_INVOICE_COLUMNS),
                rows("vendor_payments", *CLEARING_COLUMNS, *FOREIGN_CLEARING_COLUMNS),
                _valuation(ctx, company, grid, VALUATION)):
            yield TableBatch("ap_open_items", batch)
        for batch in inventory_positions(
                code, grid, rows("materials", *MATERIAL_COLUMNS),
                rows("opening_items", *OPENING_COLUMNS),
                rows("goods_receipts", *MOVEMENT_COLUMNS), rows("deliveries", *MOVEMENT_COLUMNS)):
            yield TableBatch("inventory_positions", batch)


def _valuation(ctx: ShardContext, company, grid: PeriodGrid, account: int) -> Valuation:
    """Closing rates of the run's months into the company currency (as the transactions
    phase valued its entries with: RateBook.cross_closing), and the valuation account."""
    config = ctx.config
    if not config.foreign_partners_on:
        return Valuation(company.currency, _none, str(account))
    import numpy as np

    from datasynth.generators.fx.convert import RateBook

    months = grid.first_month - 1970 * 12 + np.arange(grid.count, dtype=np.int64)
    book: list[RateBook] = []

    def closing(code: str) -> np.ndarray:       # the rates are read only when an item needs
        if not book:
            book.append(RateBook(ctx.table("fx_rates"), config.global_.group_currency))
        return book[0].cross_closing(months, code, company.currency)

    return Valuation(company.currency, closing, str(account))


def _none(code: str):
    raise ValueError(f"foreign-currency partners are off, yet an item is in {code}")
