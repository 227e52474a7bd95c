"""Phase ``journal_entries``: standalone entries, sharded by company x month x part.

Shards are cut from the configuration only (target count, volume weights, the calendar and
``runtime.rows_per_shard``), never from the number of workers. Document numbers run per
company and fiscal year, in posting order, like an ERP's number ranges.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config import Config
from datasynth.config.currencies import CURRENCIES
from datasynth.generators.calendar import build_calendar
from datasynth.generators.journal_entries import (
    ChartContext,
    PeriodContext,
    build_directory,
    build_posting_model,
    generate_entries,
    header_texts,
)
from datasynth.generators.journal_entries.allocation import apportion, monthly_counts, split_evenly
from datasynth.money import minor_per_usd
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch
from datasynth.runtime.registry import register
from datasynth.runtime.seeding import PLAN_SHARD, stream

CHUNK_ENTRIES = 16_384     # entries generated (and written) per batch inside a shard


@register
class JournalEntriesPhase(BasePhase):
    name = "journal_entries"
    requires = ("calendar", "accounts", "employees", "cost_centers")
    provides = ("journal_entries",)
    description = "standalone journal entries (balanced, Benford amounts, plausible postings)"

    def enabled(self, config: Config) -> bool:
        # The standalone generator: used when document flows are switched off.
        return config.transactions.target_count > 0 and not config.document_flows.enabled

    def shards(self, config: Config) -> Sequence[Shard]:
        settings = config.global_
        per_company = apportion(config.transactions.target_count,
                                [c.volume_weight for c in config.companies])
        rng = stream(config.seed, self.name, PLAN_SHARD, "allocation")
        shards: list[Shard] = []
        for c, company in enumerate(config.companies):
            calendar = build_calendar(company.code, company.country, settings.start_date,
                                      settings.period_months, config.transactions.seasonality)
            periods, weights = _period_weights(calendar)
            sequence: dict[int, int] = {}
            for (year, month), count in zip(periods, monthly_counts(rng, int(per_company[c]),
                                                                    weights)):
                for part, size in enumerate(split_evenly(int(count), config.runtime.rows_per_shard)):
                    first = sequence.get(year, 1)
                    sequence[year] = first + size
                    shards.append(Shard(len(shards), f"{company.code}/{year}-{month:02d}/{part}",
                                        size, {"company": c, "year": year, "month": month,
                                               "count": size, "first_sequence": first}))
        return shards

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        p = ctx.shard.params
        config = ctx.config
        company = config.companies[p["company"]]
        model = ctx.memo("posting_model", lambda: build_posting_model(
            ctx.table("accounts"), stream(config.seed, self.name, PLAN_SHARD, "popularity")))
        chart = ctx.memo("chart", lambda: _chart_context(ctx.table("accounts")))
        people = ctx.memo(("people", company.code), lambda: build_directory(
            company.code, ctx.table("employees"), ctx.table("cost_centers"),
            stream(config.seed, self.name, PLAN_SHARD, "directory", p["company"])))
        period = _period_context(ctx, company, p["year"], p["month"], model)
        done = 0
        for chunk, size in enumerate(split_evenly(p["count"], CHUNK_ENTRIES)):
            batch = generate_entries(lambda purpose, _c=chunk: ctx.rng(purpose, _c), size,
                                     p["first_sequence"] + done, config.transactions, model,
                                     chart, people, period)
            done += size
            yield TableBatch("journal_entries", batch)


def _period_weights(calendar: pa.Table) -> tuple[list[tuple[int, int]], np.ndarray]:
    years = calendar["fiscal_year"].to_numpy()
    months = calendar["fiscal_period"].to_numpy()
    weights = calendar["weight"].to_numpy()
    keys = years.astype(np.int64) * 100 + months
    unique, inverse = np.unique(keys, return_inverse=True)
    totals = np.bincount(inverse, weights=weights)
    return [(int(k // 100), int(k % 100)) for k in unique], totals


def _chart_context(accounts: pa.Table) -> ChartContext:
    return ChartContext(accounts["gl_account"].combine_chunks(), accounts["name"].combine_chunks(),
                        accounts["requires_cost_center"].to_numpy(zero_copy_only=False))


def _period_context(ctx: ShardContext, company, year: int, month: int, model) -> PeriodContext:
    calendar = ctx.table("calendar")
    mask = pc.and_(pc.and_(pc.equal(calendar["company_code"].cast(pa.string()), company.code),
                           pc.equal(calendar["fiscal_year"], year)),
                   pc.equal(calendar["fiscal_period"], month))
    days = calendar.filter(mask)
    currency = CURRENCIES[company.currency]
    texts, offsets, counts = header_texts(model, year, month)
    return PeriodContext(
        company_code=company.code, currency=company.currency, exponent=currency.exponent,
        minor_per_usd=minor_per_usd(currency.exponent, currency.usd_per_unit),
        fiscal_year=year, fiscal_period=month,
        days=days["date"].cast(pa.int32()).to_numpy().astype(np.int64),
        day_weights=days["weight"].to_numpy(), header_texts=texts, text_offsets=offsets,
        text_counts=counts)
