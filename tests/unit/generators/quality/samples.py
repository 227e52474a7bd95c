"""Clean sample tables for the data-quality tests: master data from the real generators, and
journal lines built by hand (only the columns the degraded copy and the MAR rules read, so
these tests do not depend on the rest of the journal schema)."""

from __future__ import annotations

import datetime as dt
import zlib
from decimal import Decimal

import numpy as np
import pyarrow as pa

from datasynth.config.models import CompanySettings
from datasynth.generators.accounts import build_chart
from datasynth.generators.master_data import (
    generate_cost_centers,
    generate_customers,
    generate_employees,
    generate_materials,
    generate_vendors,
)
from datasynth.generators.quality import Rates, Settings

US = CompanySettings(code="1000", name="Headquarters Inc.", currency="USD", country="US")
START = dt.date(2024, 1, 1)
CODE = pa.dictionary(pa.int32(), pa.string())


def streams(seed: int = 7):
    """A stand-in for ``ctx.rng``: one generator per purpose, addressed like the runtime's."""
    return lambda purpose: np.random.default_rng([seed, zlib.crc32(purpose.encode())])


def settings(rates: Rates | None = None, duplicate_rate: float = 0.0,
             near_share: float = 0.6) -> Settings:
    return Settings(rates or Rates(), duplicate_rate, near_share, US.country, US.currency)


def master(table: str, count: int, seed: int = 1) -> pa.Table:
    rng = np.random.default_rng(seed)
    chart = build_chart("manufacturing", "small")
    if table == "vendors":
        return generate_vendors(rng, US, count, chart, START, 0)
    if table == "customers":
        return generate_customers(rng, US, count, chart, START, 0)
    if table == "materials":
        return generate_materials(rng, US, count, chart, "manufacturing", 0)
    if table == "employees":
        return generate_employees(rng, US, count, generate_cost_centers(rng, US, 20), START)
    raise KeyError(table)


HEADERS = ["Vendor invoice", "Incoming payment", "Payroll run", "Accrual – Q1 bonus",
           "Miete Büro München"]
LINES = ["Bank - Operating Account", "Trade Payables", "Input VAT", "Salaries & Wages",
         "Accrued expenses"]


def journal(entries: int, seed: int = 3) -> pa.Table:
    """``entries`` two-line entries: a debit line and a credit line of the same amount."""
    rng = np.random.default_rng(seed)
    n = 2 * entries
    doc = np.repeat(np.arange(1, entries + 1), 2)
    cents = np.repeat(rng.integers(1, 5_000_000, entries) * rng.choice([1, 100], entries), 2)
    debit = np.where(np.arange(n) % 2 == 0, cents, 0)
    money = lambda minor: pa.array([Decimal(int(m)).scaleb(-2) for m in minor],
                                   pa.decimal128(18, 2))
    return pa.table({
        "document_id": pa.array([f"1000-2024-{d:010d}" for d in doc]),
        "line_number": pa.array(np.arange(n) % 2 + 1, pa.int32()),
        "company_code": pa.array(["1000"] * n).cast(CODE),
        "posting_date": pa.array(np.repeat(rng.integers(19723, 19723 + 366, entries), 2)
                                 .astype(np.int32)).view(pa.date32()),
        "gl_account": pa.array(rng.choice(["100000", "200000", "600000"], n)).cast(CODE),
        "debit_amount": money(debit),
        "credit_amount": money(cents - debit),
        "header_text": pa.array(np.repeat(rng.choice(HEADERS, entries), 2)).cast(CODE),
        "line_text": pa.array(rng.choice(LINES, n)).cast(CODE),
        "created_by": pa.array(rng.choice(["EMP-1000-000001", "SYS-1000-01"], n)).cast(CODE),
        "source": pa.array(np.repeat(rng.choice(["manual", "automated"], entries), 2))
        .cast(CODE),
    })
