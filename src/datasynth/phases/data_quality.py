"""Phase ``data_quality``: degraded copies of master data and journal lines, with labels.

One shard per company. It reads the clean tables (journal entries after every phase that
extends them: the plan orders readers after extenders, so the close entries are included),
takes the company's rows and writes ``<table>_degraded`` and ``quality_labels``; the clean
tables are left as they are, so ``verify`` still checks the books. Off unless
``data_quality.enabled``; journal entries only when there are any and they are listed in
``data_quality.tables``. Random streams are ``(data_quality, company, <table>/<purpose>,
chunk)``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pyarrow.compute as pc

from datasynth.config import Config
from datasynth.generators.quality import (
    PROFILES,
    TABLE_ORDER,
    Numbering,
    Rates,
    Settings,
    degrade_rows,
)
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch, company_shards
from datasynth.runtime.registry import register


def active_tables(config: Config) -> tuple[str, ...]:
    """Source tables to degrade, in a fixed order (not the order the user listed them)."""
    chosen = set(config.data_quality.tables)
    if config.transactions.target_count <= 0:
        chosen.discard("journal_entries")
    return tuple(t for t in TABLE_ORDER if t in chosen)


@register
class DataQualityPhase(BasePhase):
    name = "data_quality"
    requires = TABLE_ORDER
    provides = (*(PROFILES[t].degraded for t in TABLE_ORDER), "quality_labels")
    description = "degraded text copies of master data and journal lines, every change " \
                  "labelled (quality_labels)"

    def enabled(self, config: Config) -> bool:
        return config.data_quality.enabled and bool(active_tables(config))

    def requires_for(self, config: Config) -> tuple[str, ...]:
        return active_tables(config)

    def shards(self, config: Config) -> Sequence[Shard]:
        counts, tables = config.master_data, active_tables(config)
        master = sum(getattr(counts, t) for t in tables if t != "journal_entries")
        entries = (config.entries_per_company() if "journal_entries" in tables
                   else [0] * len(config.companies))
        return company_shards(config, [master + n for n in entries])

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        company = config.companies[ctx.shard.params["company"]]
        dq = config.data_quality
        settings = Settings(Rates.from_settings(dq), dq.duplicate_rate, dq.near_duplicate_share,
                            company.country, company.currency)
        numbering = Numbering()
        for table in active_tables(config):
            profile = PROFILES[table]
            source = ctx.table(table).select(list(profile.inputs))
            mine = pc.equal(source["company_code"], company.code)
            rows = np.flatnonzero(pc.fill_null(mine, False).to_numpy(zero_copy_only=False))

            def streams(chunk: int, purpose: str, table: str = table):
                return ctx.rng(f"{table}/{purpose}", chunk)

            for name, data in degrade_rows(source, rows, profile, settings, streams,
                                           company.code, numbering):
                yield TableBatch(name, data)
