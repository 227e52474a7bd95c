"""Unit tests of the opening balance sheet (datasynth.generators.ledger.opening), on master
data made by the real master-data generators."""

from __future__ import annotations

import datetime as dt
import time
import zlib
from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from datasynth.config.currencies import CURRENCIES
from datasynth.config.models import CompanySettings
from datasynth.generators.accounts import build_chart
from datasynth.generators.ledger import depreciation, economics
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.generators.ledger.opening import opening_books
from datasynth.generators.master_data import (
    generate_cost_centers,
    generate_customers,
    generate_employees,
    generate_fixed_assets,
    generate_materials,
    generate_vendors,
)
from datasynth.money import to_minor_units
from datasynth.schemas.ledgers import OPENING_BALANCES, OPENING_ITEMS

START = dt.date(2024, 1, 1)
START_DAY = (START - dt.date(1970, 1, 1)).days
US = CompanySettings(code="1000", name="Headquarters Inc.", currency="USD", country="US")
DE = CompanySettings(code="2000", name="Muster Werke GmbH", currency="EUR", country="DE")
JP = CompanySettings(code="3000", name="Nippon Kogyo K.K.", currency="JPY", country="JP")
INDUSTRIES = list(economics.PROFILES)


def streams(seed: int):
    """A ctx.rng stand-in: one independent stream per purpose."""
    return lambda purpose: np.random.default_rng([seed, zlib.crc32(purpose.encode())])


def master(company: CompanySettings, industry: str, seed: int = 1, customers: int = 300,
           vendors: int = 200, materials: int = 400, assets: int = 60, employees: int = 80):
    accounts = build_chart(industry, "small")
    rng = np.random.default_rng(seed)
    centers = generate_cost_centers(rng, company, 12)
    return {
        "chart": ChartIndex.build(accounts),
        "employees": generate_employees(rng, company, employees, centers, START),
        "customers": generate_customers(rng, company, customers, accounts, START, 0),
        "vendors": generate_vendors(rng, company, vendors, accounts, START, 0),
        "materials": generate_materials(rng, company, materials, accounts, industry, 0),
        "assets": generate_fixed_assets(rng, company, assets, accounts, centers, START),
    }


def books(company: CompanySettings, industry: str, data: dict, seed: int = 3,
          enabled: bool = True) -> tuple[pa.Table, pa.Table]:
    return opening_books(streams(seed), company, industry, START, data["chart"],
                         data["employees"], data["customers"], data["vendors"],
                         data["materials"], data["assets"], enabled=enabled)


def exponent(company: CompanySettings) -> int:
    return CURRENCIES[company.currency].exponent


def balance_map(balances: pa.Table, company: CompanySettings) -> dict[str, int]:
    amounts = to_minor_units(balances["balance"], exponent(company))
    return dict(zip(balances["gl_account"].cast(pa.string()).to_pylist(), amounts.tolist()))


def item_sums(items: pa.Table, company: CompanySettings) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    amounts = to_minor_units(items["amount"], exponent(company)).tolist() if len(items) else []
    for kind, account, amount in zip(items["kind"].cast(pa.string()).to_pylist(),
                                     items["control_account"].cast(pa.string()).to_pylist(),
                                     amounts):
        sums[account] += -amount if kind == "ap" else amount
    return dict(sums)


def revenue(data: dict, company: CompanySettings, industry: str) -> int:
    staff = data["employees"].filter(
        pc.equal(data["employees"]["employee_type"].cast(pa.string()), "person"))
    payroll = int(to_minor_units(staff["base_salary"], exponent(company)).sum())
    return economics.annual_revenue(payroll, industry)


@pytest.fixture(scope="module")
def built():
    """(company, industry) -> (master data, balances, items)."""
    out = {}
    for company in (US, DE, JP):
        for industry in INDUSTRIES:
            data = master(company, industry)
            out[company.code, industry] = (data, *books(company, industry, data))
    return out


CASES = [(c, i) for c in ("1000", "2000", "3000") for i in INDUSTRIES]
COMPANIES = {"1000": US, "2000": DE, "3000": JP}


@pytest.mark.parametrize("code,industry", CASES)
def test_assets_equal_liabilities_plus_equity_exactly(built, code, industry):
    data, balances, _ = built[code, industry]
    assert balances.schema.equals(OPENING_BALANCES.schema)
    by_account = balance_map(balances, COMPANIES[code])
    assert sum(by_account.values()) == 0
    assert all(v != 0 for v in by_account.values())
    chart = data["chart"]
    types = {n: chart.account_types[chart.of(n)] for n in by_account}
    assets = sum(v for n, v in by_account.items() if types[n] == "asset")
    liabilities = -sum(v for n, v in by_account.items() if types[n] == "liability")
    equity = -sum(v for n, v in by_account.items() if types[n] == "equity")
    assert assets > 0 and liabilities > 0 and equity > 0
    assert assets == liabilities + equity
    assert not {types[n] for n in by_account} & {"revenue", "expense"}
    # chart order, one date
    positions = [chart.of(n) for n in by_account]
    assert positions == sorted(positions)
    assert set(balances["balance_date"].to_pylist()) == {START}
    assert equity == pytest.approx(assets * economics.profile(industry).equity_ratio, rel=0.01)


@pytest.mark.parametrize("code,industry", CASES)
def test_control_accounts_equal_their_open_items(built, code, industry):
    data, balances, items = built[code, industry]
    assert items.schema.equals(OPENING_ITEMS.schema)
    by_account = balance_map(balances, COMPANIES[code])
    sums = item_sums(items, COMPANIES[code])
    chart = data["chart"]
    controlled = [str(n) for n in chart.numbers.to_pylist()
                  if chart.sub_types[chart.of(n)] in ("receivables", "payables", "inventory")]
    for account in controlled:
        assert by_account.get(account, 0) == sums.get(account, 0), account
    kinds = set(items["kind"].cast(pa.string()).to_pylist())
    assert kinds == {"ar", "ap", "inventory"}
    # inventory is valued at standard cost: amount = quantity x standard cost exactly
    inventory = items.filter(pc.equal(items["kind"].cast(pa.string()), "inventory"))
    materials = data["materials"]
    cost = dict(zip(materials["material_id"].to_pylist(),
                    to_minor_units(materials["standard_cost"], exponent(COMPANIES[code]))))
    values = to_minor_units(inventory["amount"], exponent(COMPANIES[code]))
    for material, quantity, value in zip(inventory["item_id"].to_pylist(),
                                         inventory["quantity"].to_pylist(), values):
        assert quantity >= 1 and value == quantity * cost[material]


@pytest.mark.parametrize("code", ["1000", "3000"])
def test_fixed_assets_at_cost_less_accumulated_depreciation(built, code):
    company = COMPANIES[code]
    data, balances, _ = built[code, "manufacturing"]
    assets = data["assets"]
    exp = exponent(company)
    cost = to_minor_units(assets["acquisition_cost"], exp)
    acquired = assets["acquisition_date"].cast(pa.int32()).to_numpy().astype(np.int64)
    through = int(depreciation.month_index(np.array([START_DAY]))[0]) - 1   # December 2023
    accumulated = depreciation.accumulated(
        cost, to_minor_units(assets["salvage_value"], exp),
        assets["useful_life_months"].to_numpy(), acquired, through)
    expected: dict[str, int] = defaultdict(int)
    for account, contra, c, a in zip(
            assets["asset_account"].cast(pa.string()).to_pylist(),
            assets["accumulated_depreciation_account"].cast(pa.string()).to_pylist(),
            cost.tolist(), accumulated.tolist()):
        expected[account] += c
        if contra is not None:
            expected[contra] -= a
    by_account = balance_map(balances, company)
    for account, amount in expected.items():
        assert by_account.get(account, 0) == amount, account
    assert any(v < 0 for v in expected.values())
    # nothing is depreciated beyond cost less salvage, and land never
    assert (accumulated <= cost).all()


@pytest.mark.parametrize("code,industry", CASES)
def test_items_are_positive_unique_and_dated_before_the_start(built, code, industry):
    data, _, items = built[code, industry]
    company = COMPANIES[code]
    assert (to_minor_units(items["amount"], exponent(company)) > 0).all()
    assert len(set(items["item_id"].to_pylist())) == items.num_rows
    assert set(items["company_code"].cast(pa.string()).to_pylist()) == {code}
    for kind, partners, id_column in (("ar", data["customers"], "customer_id"),
                                      ("ap", data["vendors"], "vendor_id")):
        rows = items.filter(pc.equal(items["kind"].cast(pa.string()), kind))
        assert rows.num_rows >= 1
        prefix = f"OB-{kind.upper()}-{code}-"
        assert all(i.startswith(prefix) and len(i) == len(prefix) + 6
                   for i in rows["item_id"].to_pylist())
        info = {p: (t, a, acct, created) for p, t, a, acct, created in zip(
            partners[id_column].to_pylist(), partners["payment_terms_days"].to_pylist(),
            partners["is_active"].to_pylist(),
            partners["reconciliation_account"].cast(pa.string()).to_pylist(),
            partners["created_date"].to_pylist())}
        for partner, document, due, account, quantity in zip(
                rows["partner_id"].to_pylist(), rows["document_date"].to_pylist(),
                rows["due_date"].to_pylist(), rows["control_account"].cast(pa.string())
                .to_pylist(), rows["quantity"].to_pylist()):
            terms, active, reconciliation, created = info[partner]
            assert active and account == reconciliation and quantity == 0
            assert created <= document < START
            assert due == document + dt.timedelta(days=terms)
    inventory = items.filter(pc.equal(items["kind"].cast(pa.string()), "inventory"))
    assert inventory["partner_id"].null_count == inventory.num_rows
    assert set(inventory["document_date"].to_pylist()) == {START}
    sellable = data["materials"].filter(pc.greater(data["materials"]["list_price"], 0))
    assert inventory["item_id"].to_pylist() == sellable["material_id"].to_pylist()


def test_same_streams_same_books_other_streams_other_items():
    data = master(DE, "retail", seed=5)
    first, second = books(DE, "retail", data, seed=9), books(DE, "retail", data, seed=9)
    assert first[0].equals(second[0]) and first[1].equals(second[1])
    other = books(DE, "retail", data, seed=10)
    assert not other[1].equals(first[1])
    # the totals are fixed by the economics; only their split into items (and so between
    # the domestic and foreign control accounts) is random
    a, b = balance_map(other[0], DE), balance_map(first[0], DE)
    for group in (("110000", "110100"), ("200000", "200100")):
        assert sum(a.get(n, 0) for n in group) == sum(b.get(n, 0) for n in group)
    assert {n: v for n, v in a.items() if n[:2] not in ("11", "20")} == \
        {n: v for n, v in b.items() if n[:2] not in ("11", "20")}


@pytest.mark.parametrize("industry", INDUSTRIES)
def test_working_capital_days_follow_the_industry(built, industry):
    p = economics.profile(industry)
    for code, company in COMPANIES.items():
        data, balances, items = built[code, industry]
        r = revenue(data, company, industry)
        vat = economics.vat_rate(company.country) / 100
        exp = exponent(company)
        amounts = to_minor_units(items["amount"], exp)
        kinds = np.asarray(items["kind"].cast(pa.string()).to_pylist())
        ar, inventory = amounts[kinds == "ar"].sum(), amounts[kinds == "inventory"].sum()
        assert ar / (r * (1 + vat)) * 365 == pytest.approx(p.dso, rel=0.15)
        assert ar == round(r * (1 + vat) * p.dso / 365)       # items sum exactly to the target
        cogs = r * (1 - p.service_share) * (1 - p.gross_margin)
        assert inventory / cogs * 365 == pytest.approx(p.dio, rel=0.15)
        purchases = r * ((1 - p.service_share) * (1 - p.gross_margin) + p.overhead_ratio)
        ap = amounts[kinds == "ap"].sum()
        assert ap / (purchases * (1 + vat)) * 365 == pytest.approx(p.dpo, rel=0.15)
        assert balance_map(balances, company)["100000"] == pytest.approx(
            r * p.cash_days / 365, rel=1e-6)


def test_industries_differ_as_targeted(built):
    def dso(industry: str) -> float:
        data, _, items = built["1000", industry]
        ar = items.filter(pc.equal(items["kind"].cast(pa.string()), "ar"))
        return float(to_minor_units(ar["amount"], 2).sum()) / (revenue(data, US, industry)
                                                                * 1.07) * 365
    assert dso("retail") < dso("healthcare") < dso("manufacturing") < dso("technology")


@pytest.mark.parametrize("company", [US, JP])
def test_start_up_without_opening_balances(company):
    data = master(company, "technology")
    balances, items = books(company, "technology", data, enabled=False)
    staff = data["employees"].filter(
        pc.equal(data["employees"]["employee_type"].cast(pa.string()), "person"))
    quarter = int(to_minor_units(staff["base_salary"], exponent(company)).sum()) // 4
    assert quarter > 0
    assert balance_map(balances, company) == {"100000": quarter, "300000": -quarter}
    assert items.num_rows == 0 and items.schema.equals(OPENING_ITEMS.schema)


def test_no_partners_no_open_items_still_balanced():
    data = master(US, "manufacturing", customers=0, vendors=0, materials=0, assets=0)
    balances, items = books(US, "manufacturing", data)
    assert items.num_rows == 0
    by_account = balance_map(balances, US)
    assert sum(by_account.values()) == 0
    assert not {"110000", "110100", "200000", "120000"} & set(by_account)


def test_ten_thousand_partners_stay_fast():
    data = master(US, "manufacturing", customers=10_000, vendors=10_000, materials=10_000,
                  assets=2_000, employees=2_000)
    started = time.perf_counter()
    balances, items = books(US, "manufacturing", data)
    assert time.perf_counter() - started < 1.0
    assert sum(balance_map(balances, US).values()) == 0
    ar = items.filter(pc.equal(items["kind"].cast(pa.string()), "ar"))
    assert ar.num_rows == 15_000
