"""Phase ``master_data``: companies, cost centers, employees, vendors, customers, materials
and fixed assets — one shard per company, ids unique across the dataset."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from datasynth.config import Config
from datasynth.generators import master_data as md
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch, company_shards
from datasynth.runtime.registry import register
from datasynth.runtime.seeding import PLAN_SHARD, stream

TABLES = ("companies", "cost_centers", "employees", "vendors", "customers", "materials",
          "fixed_assets")


@register
class MasterDataPhase(BasePhase):
    name = "master_data"
    requires = ("accounts",)
    provides = TABLES
    description = "companies, vendors, customers, materials, fixed assets, employees, " \
                  "cost centers"

    def shards(self, config: Config) -> Sequence[Shard]:
        counts = config.master_data
        rows = (counts.vendors + counts.customers + counts.materials + counts.fixed_assets
                + counts.employees + counts.cost_centers + 1)
        return company_shards(config, rows)

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        index = ctx.shard.params["company"]
        company = config.companies[index]
        counts = config.master_data
        start = config.global_.start_date
        accounts = ctx.table("accounts")
        companies = md.build_companies(config.companies, config.global_.industry,
                                       stream(config.seed, self.name, PLAN_SHARD, "companies"))
        yield TableBatch("companies", companies.slice(index, 1))
        centers = md.generate_cost_centers(ctx.rng("cost_centers"), company, counts.cost_centers)
        yield TableBatch("cost_centers", centers)
        yield TableBatch("employees", md.generate_employees(
            ctx.rng("employees"), company, counts.employees, centers, start))
        yield TableBatch("vendors", md.generate_vendors(
            ctx.rng("vendors"), company, counts.vendors, accounts, start,
            id_offset=index * counts.vendors, industry=config.global_.industry))
        yield TableBatch("customers", md.generate_customers(
            ctx.rng("customers"), company, counts.customers, accounts, start,
            id_offset=index * counts.customers, industry=config.global_.industry))
        yield TableBatch("materials", md.generate_materials(
            ctx.rng("materials"), company, counts.materials, accounts, config.global_.industry,
            id_offset=index * counts.materials))
        yield TableBatch("fixed_assets", md.generate_fixed_assets(
            ctx.rng("fixed_assets"), company, counts.fixed_assets, accounts, centers, start))
