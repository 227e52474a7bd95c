"""Phase ``intercompany``: trading between group companies, on both sides, and its FX.

One shard for the group: every transaction has two sides in two companies' books, and the
volume is small (tens of documents a month per subsidiary). It runs after the business books
(it adds to ``journal_entries`` and ``ledger_activity``) and before the period close, which
therefore accrues, provides tax on and closes the intercompany results too. Entries are
numbered from 8000000001 per company and year. Generators: ``generators/intercompany/``;
the group's rules: docs/intercompany.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config import Config
from datasynth.config.currencies import CURRENCIES
from datasynth.generators.calendar import period_end
from datasynth.generators.fx.convert import RateBook
from datasynth.generators.intercompany.book import GroupBook
from datasynth.generators.intercompany.period_end import open_items, post_month_ends
from datasynth.generators.intercompany.plan import Calendars, plan_transactions
from datasynth.generators.intercompany.postings import Company, post_transactions
from datasynth.generators.intercompany.tables import (
    activity_by_partner,
    open_items_table,
    pair_ids,
    pairs_table,
)
from datasynth.generators.ledger.chart import ChartIndex, ledger_context, system_user
from datasynth.generators.ledger.close import run_months
from datasynth.generators.ledger.economics import annual_revenue
from datasynth.generators.ledger.journal import activity, assemble
from datasynth.generators.ledger.opening import annual_payroll
from datasynth.money import minor_per_usd
from datasynth.runtime.phase import BasePhase, Shard, ShardContext, TableBatch
from datasynth.runtime.registry import register

EPOCH = dt.date(1970, 1, 1)


@register
class IntercompanyPhase(BasePhase):
    name = "intercompany"
    requires = ("accounts", "companies", "employees", "cost_centers", "calendar", "fx_rates")
    provides = ("intercompany_pairs", "intercompany_open_items", "intercompany_activity")
    extends = ("journal_entries", "ledger_activity")
    description = ("intercompany goods, services, management fees and loans on both sides, "
                   "with realised and unrealised exchange differences")

    def enabled(self, config: Config) -> bool:
        return (config.intercompany.enabled and config.document_flows.enabled
                and config.transactions.target_count > 0)

    def requires_for(self, config: Config) -> tuple[str, ...]:
        """No rate table when every company books in the group currency."""
        return self.requires if config.fx_enabled else self.requires[:-1]

    def shards(self, config: Config) -> Sequence[Shard]:
        units = max(1, len(config.group_relationships()) * config.global_.period_months)
        return [Shard(0, "group", units)]

    def run_shard(self, ctx: ShardContext) -> Iterator[TableBatch]:
        config = ctx.config
        chart = ChartIndex.build(ctx.table("accounts"))
        codes = [c.code for c in config.companies]
        currencies = sorted({c.currency for c in config.companies})
        group = config.global_.group_currency
        rates = RateBook(ctx.table("fx_rates") if config.fx_enabled else None, group)
        start = config.global_.start_date
        start_day = (start - EPOCH).days
        end_day = (period_end(start, config.global_.period_months) - EPOCH).days
        first_month, count = run_months(start_day, end_day)
        months = first_month + np.arange(count, dtype=np.int64)
        employees = ctx.table("employees")
        companies, books = [], []
        for i, company in enumerate(config.companies):
            ledger = dataclasses.replace(
                ledger_context(company.code, company.currency, chart, employees,
                               ctx.table("cost_centers")),
                currencies=tuple(currencies),
                exponents=tuple(CURRENCIES[c].exponent for c in currencies),
                companies=tuple(codes))
            companies.append(Company(i, company.code, currencies.index(company.currency),
                                     CURRENCIES[company.currency].exponent,
                                     _manual_users(employees, company.code),
                                     system_user(employees, company.code)))
            books.append(GroupBook(ledger))
        calendars = Calendars(_business_days(ctx.table("calendar"), codes), start_day,
                              end_day)
        settings = config.intercompany
        tx = plan_transactions(
            settings, config.group_relationships(), codes,
            [c.currency for c in config.companies], calendars, months,
            lambda code: int(rates.spot(np.array([start_day]), code)[0]), ctx.rng,
            _revenue_usd(config, employees))
        ids = pair_ids(tx, codes)
        posted = post_transactions(tx, ids, companies, currencies, books, chart, rates,
                                   ctx.rng("postings"))
        items = open_items(tx, posted, companies, chart)
        post_month_ends(tx, items, companies, currencies, books, chart, rates, months,
                        end_day, settings.consumption_rate, settings.interest_rate)
        document_ids = []
        for book in books:
            if not book.rows:
                document_ids.append(pa.array([], pa.string()))
                continue
            entries, lines, posted_ids = book.build()
            document_ids.append(posted_ids)
            yield TableBatch("journal_entries", assemble(book.ctx, entries, lines))
            yield TableBatch("ledger_activity", activity(
                book.ctx, "business", entries.posting_day[lines.entry], lines.account,
                lines.debit, lines.credit))
            yield TableBatch("intercompany_activity", activity_by_partner(
                book.ctx.company_code, entries, lines, codes, chart.numbers))
        yield TableBatch("intercompany_pairs", pairs_table(tx, ids, posted, document_ids,
                                                           companies, currencies))
        yield TableBatch("intercompany_open_items", open_items_table(
            items, ids, document_ids, np.r_[posted.seller_entry, posted.buyer_entry],
            companies, currencies, rates, months, end_day, chart.numbers))


def _revenue_usd(config: Config, employees: pa.Table) -> dict[str, float]:
    """Each company's annual revenue in US dollars, as its books are sized
    (generators/ledger/opening.py: from the payroll, by industry)."""
    out = {}
    for company in config.companies:
        currency = CURRENCIES[company.currency]
        staff = employees.filter(pc.equal(employees["company_code"].cast(pa.string()),
                                          company.code))
        revenue = annual_revenue(annual_payroll(staff, currency.exponent),
                                 config.global_.industry)
        out[company.code] = revenue / minor_per_usd(currency.exponent, currency.usd_per_unit)
    return out


def _manual_users(employees: pa.Table, company: str) -> np.ndarray:
    """Positions (among the company's employees) of the people who key invoices."""
    staff = employees.filter(pc.equal(employees["company_code"].cast(pa.string()), company))
    kinds = np.asarray(staff["employee_type"].cast(pa.string()).to_pylist(), dtype=object)
    return np.flatnonzero(kinds != "system")


def _business_days(calendar: pa.Table, codes: list[str]) -> list[np.ndarray]:
    company = np.asarray(calendar["company_code"].cast(pa.string()).to_pylist(), dtype=object)
    day = calendar["date"].cast(pa.int32()).to_numpy().astype(np.int64)
    business = calendar["is_business_day"].to_numpy(zero_copy_only=False)
    return [np.sort(day[(company == code) & business]) for code in codes]
