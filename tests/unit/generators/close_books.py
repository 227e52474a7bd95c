"""Hand-built books of one company for the period-close and trial-balance tests.

A real chart and master data, and ledger activity built from a few balanced postings a
month (an opening entry, sales, purchases, wages, a discount), so every invariant can be
checked against figures computed independently of the close.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pyarrow as pa

from datasynth.config.models import CompanySettings
from datasynth.generators import master_data as md
from datasynth.generators.accounts.chart import build_chart
from datasynth.generators.ledger.chart import ChartIndex, ledger_context
from datasynth.generators.ledger.close import (
    CloseSettings,
    activity_matrix,
    asset_register,
    close_company,
    run_months,
)
from datasynth.generators.ledger.journal import activity
from datasynth.money import to_minor_units
from datasynth.generators.ledger.chart import system_user
from datasynth.schemas.documents import ASSET_ACQUISITIONS

START = dt.date(2024, 1, 1)
EPOCH = dt.date(1970, 1, 1)
MONTHS = 15                               # Jan 2024 - Mar 2025: one year end, five quarters
COMPANY = CompanySettings(code="1000", name="Alpha Inc.", currency="USD", country="US")
RATE_BP = 2500                            # US statutory rate, 25 %


def day(d: dt.date) -> int:
    return (d - EPOCH).days


class Books:
    """Master data, ledger context and hand-built activity of one company."""

    def __init__(self, seed: int = 3, months: int = MONTHS, skip_month: int | None = None,
                 acquisitions: bool = True, centers: int = 6) -> None:
        rng = np.random.default_rng(seed)
        self.accounts = build_chart("manufacturing", "small")
        self.chart = ChartIndex.build(self.accounts)
        self.centers = md.generate_cost_centers(rng, COMPANY, centers)
        self.employees = md.generate_employees(rng, COMPANY, 8, self.centers, START)
        self.assets = md.generate_fixed_assets(rng, COMPANY, 25, self.accounts, self.centers,
                                               START)
        self.ledger = ledger_context("1000", "USD", self.chart, self.employees, self.centers)
        self.acquisitions = _acquisitions() if acquisitions else \
            ASSET_ACQUISITIONS.schema.empty_table()
        end = dt.date(2024 + (months // 12), months % 12 + 1, 1)
        self.settings = CloseSettings(True, True, True, RATE_BP, day(START), day(end), 10_000)
        self.activity = _business(self.ledger, self.chart, rng, months, skip_month)

    def close(self, seed: int = 11, settings: CloseSettings | None = None):
        settings = settings or self.settings
        first, months = run_months(settings.start_day, settings.end_day)
        register = asset_register([self.assets, self.acquisitions], self.ledger, self.chart)
        net = activity_matrix(self.activity, "1000", self.chart, first, months)
        return close_company(np.random.default_rng(seed), self.ledger, self.chart, register,
                             net, settings, system_user(self.employees, "1000"))


def _acquisitions() -> pa.Table:
    """Two assets bought during the run (a machine in March, a licence in October 2024)."""
    def row(asset_id, klass, when, cost, life, salvage, account, contra, expense):
        return {"asset_id": asset_id, "company_code": "1000", "asset_class": klass,
                "description": klass, "acquisition_date": when, "fiscal_year": when.year,
                "fiscal_period": when.month, "acquisition_cost": Decimal(cost),
                "useful_life_months": life, "salvage_value": Decimal(salvage),
                "cost_center": None, "asset_account": account,
                "accumulated_depreciation_account": contra,
                "depreciation_expense_account": expense, "vendor_id": "V-1",
                "vendor_invoice_id": "VI-1", "journal_entry_id": "JE-1"}
    return pa.Table.from_pylist([
        row("FA-1000-900001", "machinery", dt.date(2024, 3, 14), "84000.00", 84, "4200.00",
            "150200", "159200", "780000"),
        row("FA-1000-900002", "software", dt.date(2024, 10, 2), "36000.36", 36, "0.00",
            "170000", "179000", "790000"),
    ], schema=ASSET_ACQUISITIONS.schema)


def _business(ledger, chart, rng, months, skip_month) -> pa.Table:
    """An opening entry on the start date, then each month sales, purchases and wages."""
    days, accounts, debit, credit, origin = [], [], [], [], []

    def post(when: dt.date, lines: list[tuple[str, int]], kind: str = "business") -> None:
        for number, amount in lines:
            days.append(day(when))
            accounts.append(chart.of(number))
            debit.append(max(amount, 0))
            credit.append(max(-amount, 0))
            origin.append(kind)

    post(START, [("100000", 5_000_000_00), ("150100", 2_000_000_00), ("300000", -4_000_000_00),
                 ("320000", -3_000_000_00)], "opening")
    for m in range(months):
        if m == skip_month:
            continue
        when = dt.date(2024 + m // 12, m % 12 + 1, 15)
        sales = int(rng.integers(400_000_00, 600_000_00))
        cogs, wages = sales * 6 // 10, int(rng.integers(50_000_00, 80_000_00))
        opex = [int(x) for x in rng.integers(5_000_00, 30_000_00, 3)]
        post(when, [("110000", sales), ("400000", -sales)])
        post(when, [("500000", cogs), ("120000", -cogs)])
        post(when, [("600000", wages), ("100000", -wages)])
        post(when, [("700000", opex[0]), ("710000", opex[1]), ("740000", opex[2]),
                    ("200000", -sum(opex))])
        post(when, [("420000", 1_000_00), ("110000", -1_000_00)])      # a sales discount
    tables = []
    for kind in ("opening", "business"):
        mask = np.array(origin) == kind
        tables.append(activity(ledger, kind, np.array(days)[mask], np.array(accounts)[mask],
                               np.array(debit)[mask], np.array(credit)[mask]))
    return pa.concat_tables(tables).unify_dictionaries()


def je_frame(journal: pa.RecordBatch) -> dict[str, np.ndarray]:
    t = pa.Table.from_batches([journal])
    col = {c: np.asarray(t[c].cast(pa.string()).to_pylist(), dtype=object)
           for c in ("document_id", "gl_account", "document_type", "reference_document_type",
                     "reference_document_id", "created_by", "source", "business_process")}
    col["debit"] = to_minor_units(t["debit_amount"].combine_chunks())
    col["credit"] = to_minor_units(t["credit_amount"].combine_chunks())
    col["posting"] = t["posting_date"].cast(pa.int32()).to_numpy()
    col["year"] = t["fiscal_year"].to_numpy()
    col["period"] = t["fiscal_period"].to_numpy()
    col["cost_center"] = np.asarray(t["cost_center"].cast(pa.string()).to_pylist(), object)
    return col


def net_by_account(journal_cols, mask, number) -> int:
    rows = mask & (journal_cols["gl_account"] == number)
    return int(journal_cols["debit"][rows].sum() - journal_cols["credit"][rows].sum())
