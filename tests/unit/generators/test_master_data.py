"""Unit tests of the master-data generators (datasynth.generators.master_data)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from datasynth.config.models import CompanySettings
from datasynth.generators.accounts import build_chart
from datasynth.generators.ledger.economics import PROFILES, profile, sales_weights
from datasynth.generators.master_data import (
    build_companies, generate_cost_centers, generate_customers, generate_employees,
    generate_fixed_assets, generate_materials, generate_vendors)
from datasynth.generators.master_data.countries import COUNTRIES
from datasynth.generators.master_data.materials import MARGIN_SPREAD
from datasynth.generators.master_data.org_chart import LEVELS
from datasynth.generators.master_data.patterns import iban_is_valid
from datasynth.generators.master_data.terms import (
    INDUSTRY_CUSTOMER_TERMS, INDUSTRY_VENDOR_TERMS, TERMS, customer_terms, mean_days,
    vendor_terms)
from datasynth.money import to_minor_units
from datasynth.schemas.master_data import (
    COMPANIES, COST_CENTERS, CUSTOMERS, EMPLOYEES, FIXED_ASSETS, MATERIALS, VENDORS)

START = dt.date(2024, 1, 1)
US = CompanySettings(code="1000", name="Headquarters Inc.", currency="USD", country="US")
DE = CompanySettings(code="2000", name="Muster Werke GmbH", currency="EUR", country="DE")
JP = CompanySettings(code="3000", name="Nippon Kogyo K.K.", currency="JPY", country="JP")
SAMPLE = 20_000


def rng(seed: int = 7) -> np.random.Generator:
    return np.random.default_rng(seed)


@pytest.fixture(scope="module")
def chart() -> pa.Table:
    return build_chart("manufacturing", "small")


@pytest.fixture(scope="module")
def cost_centers() -> pa.Table:
    return generate_cost_centers(rng(), US, 26)


@pytest.fixture(scope="module")
def vendors(chart) -> pa.Table:
    return generate_vendors(rng(1), US, SAMPLE, chart, START, 0)


@pytest.fixture(scope="module")
def customers(chart) -> pa.Table:
    return generate_customers(rng(2), US, SAMPLE, chart, START, 0)


@pytest.fixture(scope="module")
def materials(chart) -> pa.Table:
    return generate_materials(rng(3), US, SAMPLE, chart, "manufacturing", 0)


@pytest.fixture(scope="module")
def assets(chart, cost_centers) -> pa.Table:
    return generate_fixed_assets(rng(4), US, SAMPLE, chart, cost_centers, START)


@pytest.fixture(scope="module")
def employees(cost_centers) -> pa.Table:
    return generate_employees(rng(5), US, SAMPLE, cost_centers, START)


def column(table: pa.Table, name: str) -> list:
    return table.column(name).to_pylist()


def shares(values: list) -> dict:
    counts = Counter(values)
    return {k: v / len(values) for k, v in counts.items()}


def account_sub_types(chart: pa.Table) -> dict[str, str]:
    return dict(zip(column(chart, "gl_account"), column(chart, "sub_type")))


def account_names(chart: pa.Table) -> dict[str, str]:
    return dict(zip(column(chart, "gl_account"), column(chart, "name")))


def minor(table: pa.Table, name: str, exponent: int = 2) -> np.ndarray:
    return to_minor_units(table.column(name).combine_chunks(), exponent)


def make(kind: str, count: int, chart: pa.Table, cost_centers: pa.Table, seed: int = 11,
         company: CompanySettings = US, id_offset: int = 0) -> pa.Table:
    r = rng(seed)
    if company is not US:
        cost_centers = generate_cost_centers(r, company, 26)
    if kind == "vendors":
        return generate_vendors(r, company, count, chart, START, id_offset)
    if kind == "customers":
        return generate_customers(r, company, count, chart, START, id_offset)
    if kind == "materials":
        return generate_materials(r, company, count, chart, "manufacturing", id_offset)
    if kind == "fixed_assets":
        return generate_fixed_assets(r, company, count, chart, cost_centers, START)
    if kind == "employees":
        return generate_employees(r, company, count, cost_centers, START, id_offset)
    if kind == "cost_centers":
        return generate_cost_centers(r, company, count)
    return build_companies([US, DE, JP][:count], "manufacturing", r)


SPECS = {"vendors": VENDORS, "customers": CUSTOMERS, "materials": MATERIALS,
         "fixed_assets": FIXED_ASSETS, "employees": EMPLOYEES, "cost_centers": COST_CENTERS,
         "companies": COMPANIES}


# --- contracts ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", SPECS)
@pytest.mark.parametrize("count", [0, 1, 3, 250])
def test_schema_equals_spec(kind, count, chart, cost_centers):
    table = make(kind, count, chart, cost_centers)
    assert table.schema.equals(SPECS[kind].schema, check_metadata=True)
    table.validate(full=True)


@pytest.mark.parametrize("kind", ["vendors", "customers", "materials", "fixed_assets",
                                  "cost_centers"])
@pytest.mark.parametrize("count", [0, 1, 7, 8, 19, 26, 40, 123])
def test_counts_are_exact(kind, count, chart, cost_centers):
    assert make(kind, count, chart, cost_centers).num_rows == count


@pytest.mark.parametrize("count", [0, 1, 2, 9, 10, 68, 500])
def test_employees_are_people_plus_four_system_users(count, cost_centers):
    table = generate_employees(rng(), US, count, cost_centers, START)
    types = column(table, "employee_type")
    assert table.num_rows == count + 4
    assert types.count("person") == count and types.count("system") == 4


@pytest.mark.parametrize("kind", SPECS)
def test_same_seed_same_table_other_seed_other_table(kind, chart, cost_centers):
    count = 3 if kind == "companies" else 300
    first = make(kind, count, chart, cost_centers, seed=1)
    assert first.equals(make(kind, count, chart, cost_centers, seed=1))
    if kind != "cost_centers":                 # cost centers are fixed by count
        assert not first.equals(make(kind, count, chart, cost_centers, seed=2))


def test_generators_leave_global_random_state_alone(chart, cost_centers):
    np_state = np.random.get_state()[1].copy()
    py_state = random.getstate()
    for kind in SPECS:
        make(kind, 50 if kind != "companies" else 3, chart, cost_centers)
    assert (np.random.get_state()[1] == np_state).all()
    assert random.getstate() == py_state


# --- identifiers ----------------------------------------------------------------------------

@pytest.mark.parametrize("kind,key,pattern", [
    ("vendors", "vendor_id", r"V-\d{6}"),
    ("customers", "customer_id", r"C-\d{6}"),
    ("materials", "material_id", r"MAT-\d{6}"),
    ("fixed_assets", "asset_id", r"FA-1000-\d{6}"),
    ("employees", "employee_id", r"(EMP-1000-\d{6}|SYS-1000-\d{2})"),
    ("cost_centers", "cost_center", r"CC-1000-[A-Z]+(-[A-Z0-9]+)?"),
])
def test_ids_are_unique_and_well_formed(kind, key, pattern, chart, cost_centers):
    ids = column(make(kind, 60, chart, cost_centers), key)
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(pattern, i) for i in ids)


@pytest.mark.parametrize("kind,key,expected", [
    ("vendors", "vendor_id", "V-000051"), ("customers", "customer_id", "C-000051"),
    ("materials", "material_id", "MAT-000051"), ("employees", "employee_id", "EMP-1000-000051"),
])
def test_id_offset_numbers_ids_across_companies(kind, key, expected, chart, cost_centers):
    ids = column(make(kind, 10, chart, cost_centers, id_offset=50), key)
    assert ids[0] == expected
    assert ids[9] == expected[:-2] + "60"


# --- companies and cost centers -------------------------------------------------------------

def test_first_company_is_group_parent():
    table = build_companies([US, DE, JP], "retail", rng())
    assert column(table, "company_code") == ["1000", "2000", "3000"]
    assert column(table, "is_group_parent") == [True, False, False]
    assert column(table, "parent_company") == [None, "1000", "1000"]
    assert set(column(table, "industry")) == {"retail"}
    us_vat, de_vat, jp_vat = column(table, "vat_number")
    assert re.fullmatch(r"\d{2}-\d{7}", us_vat)
    assert re.fullmatch(r"DE\d{9}", de_vat)
    assert jp_vat.startswith("T")


@pytest.mark.parametrize("country,pattern", [("GB", r"GB\d{9}"), ("FR", r"FR\d{11}")])
def test_vat_number_formats(country, pattern):
    company = CompanySettings(code="9", name="X", currency="EUR", country=country)
    assert re.fullmatch(pattern, column(build_companies([company], "retail", rng()),
                                        "vat_number")[0])


def test_small_cost_center_counts_take_the_first_departments():
    table = generate_cost_centers(rng(), US, 3)
    assert column(table, "cost_center") == ["CC-1000-FIN", "CC-1000-PROC", "CC-1000-SALES"]
    assert column(table, "level") == [1, 1, 1]


def test_cost_center_hierarchy(cost_centers):
    big = generate_cost_centers(rng(), US, 40)
    ids = set(column(big, "cost_center"))
    for cc, parent, level in zip(column(big, "cost_center"), column(big, "parent_cost_center"),
                                 column(big, "level")):
        assert (parent is None) == (level == 1)
        assert parent is None or (parent in ids and cc.startswith(parent + "-"))
    assert "CC-1000-SALES-R01" in ids and "CC-1000-CORP-LEGAL" in ids
    rows = dict(zip(column(big, "cost_center"), zip(column(big, "department"),
                                                    column(big, "category"))))
    assert rows["CC-1000-PROD-QC"] == ("production", "production")
    assert rows["CC-1000-LOG"] == ("logistics", "production")
    assert rows["CC-1000-CORP-IT"] == ("corporate", "administration")
    assert rows["CC-1000-RD"] == ("research", "research")


# --- employees ------------------------------------------------------------------------------

def test_employee_foreign_keys(employees, cost_centers):
    people = employees.filter(pc.equal(employees.column("employee_type"), "person"))
    ccs = set(column(cost_centers, "cost_center"))
    assert set(column(employees, "cost_center")) <= ccs
    ids = column(people, "employee_id")
    rank = {lv: i for i, lv in enumerate(LEVELS)}
    by_id = dict(zip(ids, zip(column(people, "department"), column(people, "job_level"))))
    managers = column(people, "manager_id")
    assert managers.count(None) == 1                       # the chief executive
    ceo = ids[managers.index(None)]
    assert by_id[ceo] == ("executive", "executive")
    for emp, boss in zip(ids, managers):
        if boss is None or boss == ceo:
            continue
        assert boss in by_id
        assert by_id[boss][0] == by_id[emp][0]            # same department
        assert rank[by_id[boss][1]] > rank[by_id[emp][1]]  # more senior


def test_employee_distributions(employees):
    people = employees.filter(pc.equal(employees.column("employee_type"), "person"))
    levels = shares(column(people, "job_level"))
    for level, expected in zip(LEVELS, (0.50, 0.25, 0.12, 0.08, 0.04, 0.01)):
        assert levels[level] == pytest.approx(expected, abs=0.02)
    departments = shares(column(people, "department"))
    assert set(departments) == {"finance", "procurement", "sales", "warehouse", "production",
                                "it", "hr", "executive"}
    assert np.mean(column(people, "is_active")) > 0.95


def test_salaries_and_limits_follow_levels(employees):
    people = employees.filter(pc.equal(employees.column("employee_type"), "person"))
    salary = minor(people, "base_salary") / 100
    limit = minor(people, "approval_limit") / 100
    levels = np.array(column(people, "job_level"))
    bands = {"staff": (40e3, 60e3), "senior": (60e3, 90e3), "manager": (80e3, 120e3),
             "director": (100e3, 160e3), "vp": (130e3, 200e3), "executive": (150e3, 250e3)}
    limits = {"staff": 1e3, "senior": 5e3, "manager": 25e3, "director": 100e3, "vp": 500e3,
              "executive": 10e6}
    for level, (low, high) in bands.items():
        assert ((salary[levels == level] >= low) & (salary[levels == level] <= high)).all()
        assert (limit[levels == level] == limits[level]).all()


def test_system_users(employees):
    system = employees.filter(pc.equal(employees.column("employee_type"), "system"))
    assert column(system, "user_name") == ["BATCH01", "INTERFACE", "RECURRING", "WORKFLOW"]
    assert set(column(system, "first_name")) == {""}
    assert set(column(system, "department")) == {"it"}
    assert set(column(system, "job_level")) == {"none"}
    assert set(column(system, "manager_id")) == {None}
    assert (minor(system, "base_salary") == 0).all()
    assert (minor(system, "approval_limit") == 0).all()
    assert column(system, "cost_center") == ["CC-1000-CORP-IT"] * 4


def test_user_names_and_emails(cost_centers):
    table = generate_employees(rng(), DE, 3000, cost_centers, START)
    users, emails = column(table, "user_name"), column(table, "email")
    assert len(set(users)) == len(users) and len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[A-Z0-9]+", u) for u in users)
    assert all(re.fullmatch(r"[a-z0-9.]+@musterwerke\.de", e) for e in emails)


@pytest.mark.parametrize("count", [1, 2, 5, 10, 68])
def test_small_companies_have_accountants_and_a_chief(count, cost_centers):
    table = generate_employees(rng(), US, count, cost_centers, START)
    people = table.filter(pc.equal(table.column("employee_type"), "person"))
    departments = column(people, "department")
    assert "finance" in departments
    if count == 1:
        assert departments == ["finance"]
    if count >= 10:
        pairs = set(zip(departments, column(people, "job_level")))
        assert ("executive", "executive") in pairs


def test_employees_without_cost_centers_have_null_cost_center():
    empty = generate_cost_centers(rng(), US, 0)
    table = generate_employees(rng(), US, 20, empty, START)
    assert table.column("cost_center").null_count == table.num_rows


def test_employee_names_follow_company_locale(cost_centers):
    table = generate_employees(rng(), JP, 200, cost_centers, START)
    people = table.filter(pc.equal(table.column("employee_type"), "person"))
    assert all(name.isascii() for name in column(people, "last_name"))
    assert "Sato" in column(people, "last_name") or "Suzuki" in column(people, "last_name")


# --- vendors and customers ------------------------------------------------------------------

def test_vendor_distributions(vendors):
    terms = shares(column(vendors, "payment_terms"))
    for key, expected in {"NET30": .40, "NET60": .20, "2/10NET30": .25, "NET15": .10,
                          "IMMEDIATE": .05}.items():
        assert terms[key] == pytest.approx(expected, abs=0.02)
    types = shares(column(vendors, "vendor_type"))
    assert types["office_supplies"] == pytest.approx(0.15, abs=0.02)
    assert types["travel"] == pytest.approx(0.05, abs=0.02)
    assert shares(column(vendors, "country"))["US"] == pytest.approx(0.85, abs=0.02)
    assert np.mean(column(vendors, "is_active")) == pytest.approx(0.97, abs=0.01)


def test_vendor_terms_are_consistent(vendors):
    rows = zip(column(vendors, "payment_terms"), column(vendors, "payment_terms_days"),
               column(vendors, "discount_percent"), column(vendors, "discount_days"))
    expected = {"NET30": (30, 0, 0), "NET60": (60, 0, 0), "2/10NET30": (30, 2, 10),
                "NET15": (15, 0, 0), "IMMEDIATE": (0, 0, 0)}
    assert all(expected[key] == (days, pct, disc) for key, days, pct, disc in rows)


INDUSTRIES = sorted(PROFILES)


def test_every_industry_has_terms_mixes():
    for table in (INDUSTRY_CUSTOMER_TERMS, INDUSTRY_VENDOR_TERMS):
        assert set(table) == set(INDUSTRIES)
        for weights in table.values():
            assert set(weights) <= set(TERMS)
            assert sum(weights.values()) == pytest.approx(1.0)
    # no industry: the reference mixes; an unknown one: manufacturing's, like the profiles
    assert customer_terms(None)["NET30"] == .50 and vendor_terms(None)["NET30"] == .40
    assert customer_terms("mining") == INDUSTRY_CUSTOMER_TERMS["manufacturing"]
    assert vendor_terms("mining") == INDUSTRY_VENDOR_TERMS["manufacturing"]


def _partners(kind: str, industry: str, count: int = 5000, seed: int = 12) -> pa.Table:
    make_table = generate_customers if kind == "customers" else generate_vendors
    return make_table(rng(seed), US, count, build_chart(industry, "small"), START, 0,
                      industry=industry)


@pytest.mark.parametrize("industry", INDUSTRIES)
def test_customer_terms_follow_the_industry_dso(industry):
    """Customers pay some days after their terms (about 9 on average, by their behaviour),
    so the mean terms sit that much below the industry's DSO."""
    table = _partners("customers", industry)
    days = np.array(column(table, "payment_terms_days"))
    dso = profile(industry).dso
    assert days.mean() == pytest.approx(mean_days(customer_terms(industry)), abs=1.5)
    assert dso - 12 <= days.mean() <= dso - 5
    assert set(days) <= {0, 7, 10, 14, 30, 45, 60, 90}
    terms = shares(column(table, "payment_terms"))
    for key, expected in customer_terms(industry).items():
        assert terms[key] == pytest.approx(expected, abs=0.02)
    assert_terms_consistent(table)


def test_retail_customers_mostly_pay_at_the_till_or_within_two_weeks():
    days = np.array(column(_partners("customers", "retail"), "payment_terms_days"))
    assert np.mean(days == 0) > 0.55 and np.mean(days <= 14) > 0.85
    means = {i: np.mean(column(_partners("customers", i, 2000), "payment_terms_days"))
             for i in INDUSTRIES}
    assert sorted(means, key=means.get) == sorted(INDUSTRIES, key=lambda i: profile(i).dso)


@pytest.mark.parametrize("industry", INDUSTRIES)
def test_vendor_terms_follow_the_industry_dpo(industry):
    """A company pays its vendors a few days after their terms: mean terms sit a few days
    below the industry's DPO."""
    table = _partners("vendors", industry)
    days = np.array(column(table, "payment_terms_days"))
    dpo = profile(industry).dpo
    assert days.mean() == pytest.approx(mean_days(vendor_terms(industry)), abs=1.5)
    assert dpo - 7 <= days.mean() <= dpo - 2
    assert_terms_consistent(table)


def assert_terms_consistent(table: pa.Table) -> None:
    keys, days = column(table, "payment_terms"), column(table, "payment_terms_days")
    assert all(TERMS[k].days == d for k, d in zip(keys, days))
    if "discount_percent" in table.column_names:
        assert all((TERMS[k].discount_percent, TERMS[k].discount_days) == (p, d) for k, p, d
                   in zip(keys, column(table, "discount_percent"),
                          column(table, "discount_days")))


def test_vendor_names_are_unique_and_bank_accounts_valid(vendors):
    names = column(vendors, "name")
    assert len(set(names)) == len(names)
    assert all(iban_is_valid(iban) for iban in column(vendors, "bank_account")[:2000])
    for country, iban, tax in zip(column(vendors, "country")[:500],
                                  column(vendors, "bank_account")[:500],
                                  column(vendors, "tax_id")[:500]):
        assert iban.startswith(country)
        if country == "US":
            assert re.fullmatch(r"\d{2}-\d{7}", tax)


@pytest.mark.parametrize("kind,sub_type,foreign_name", [
    ("vendors", "payables", "Trade Payables - Foreign"),
    ("customers", "receivables", "Trade Receivables - Foreign"),
])
def test_reconciliation_accounts(kind, sub_type, foreign_name, chart, cost_centers):
    table = make(kind, 2000, chart, cost_centers, company=DE)
    types, names = account_sub_types(chart), account_names(chart)
    lowest = min((a for a, t in types.items() if t == sub_type), key=int)
    for country, account in zip(column(table, "country"), column(table, "reconciliation_account")):
        assert types[account] == sub_type
        if country == "DE":
            assert account == lowest
        else:
            assert names[account] == foreign_name


@pytest.mark.parametrize("kind,weight", [("vendors", "spend_weight"),
                                         ("customers", "revenue_weight")])
@pytest.mark.parametrize("count", [1, 5, 500])
def test_weights_sum_to_one(kind, weight, count, chart, cost_centers):
    values = np.array(column(make(kind, count, chart, cost_centers), weight))
    assert values.sum() == pytest.approx(1.0, abs=1e-9)
    assert (values > 0).all()


def test_customer_distributions(customers):
    segments = shares(column(customers, "segment"))
    for key, expected in {"enterprise": .05, "mid_market": .20, "smb": .50,
                          "consumer": .25}.items():
        assert segments[key] == pytest.approx(expected, abs=0.02)
    ratings = shares(column(customers, "credit_rating"))
    for key, expected in {"AAA": .05, "AA": .10, "A": .25, "BBB": .30, "BB": .15, "B": .10,
                          "CCC": .04, "D": .01}.items():
        assert ratings[key] == pytest.approx(expected, abs=0.02)
    terms = shares(column(customers, "payment_terms"))
    for key, expected in {"NET30": .50, "NET60": .20, "2/10NET30": .20, "NET15": .05,
                          "IMMEDIATE": .05}.items():
        assert terms[key] == pytest.approx(expected, abs=0.02)
    # customers on IMMEDIATE terms pay at the point of sale; the others by the reference mix
    at_sale = pc.equal(customers.column("payment_terms"), "IMMEDIATE")
    assert set(column(customers.filter(at_sale), "payment_behavior")) == {"on_time"}
    behavior = shares(column(customers.filter(pc.invert(at_sale)), "payment_behavior"))
    for key, expected in {"early": .15, "on_time": .45, "slightly_late": .25,
                          "often_late": .10, "high_risk": .05}.items():
        assert behavior[key] == pytest.approx(expected, abs=0.02)


def test_customer_revenue_concentrates_in_enterprise(customers):
    weight = np.array(column(customers, "revenue_weight"))
    segment = np.array(column(customers, "segment"))
    assert weight[segment == "enterprise"].sum() == pytest.approx(0.40, abs=0.02)
    assert weight[segment == "consumer"].sum() == pytest.approx(0.05, abs=0.01)
    consumer_types = set(np.array(column(customers, "customer_type"))[segment == "consumer"])
    assert consumer_types == {"consumer"}


def test_consumers_and_public_bodies_are_domestic(customers):
    local = pc.is_in(customers.column("customer_type"), pa.array(["consumer", "government"]))
    assert set(column(customers.filter(local), "country")) == {"US"}
    business = shares(column(customers.filter(pc.invert(local)), "country"))
    assert business["US"] == pytest.approx(0.85, abs=0.02)


def test_credit_limits_within_rating_bands_scaled_by_segment(customers):
    limits = minor(customers, "credit_limit") / 100
    bands = {"AAA": (1e6, 10e6), "AA": (5e5, 2e6), "A": (2.5e5, 1e6), "BBB": (1e5, 5e5),
             "BB": (5e4, 2.5e5), "B": (2.5e4, 1e5), "CCC": (1e4, 5e4), "D": (0, 1e4)}
    scale = {"enterprise": 1.0, "mid_market": 0.25, "smb": 0.05, "consumer": 0.01}
    rounding = {"enterprise": 500, "mid_market": 500, "smb": 500, "consumer": 50}
    for rating, segment, limit in zip(column(customers, "credit_rating"),
                                      column(customers, "segment"), limits):
        low, high = (b * scale[segment] for b in bands[rating])
        assert low - rounding[segment] <= limit <= high + rounding[segment]
    consumer = np.array(column(customers, "segment")) == "consumer"
    enterprise = np.array(column(customers, "segment")) == "enterprise"
    assert np.median(limits[consumer]) * 20 < np.median(limits[enterprise])


def test_business_customer_names_are_unique(customers):
    business = customers.filter(pc.not_equal(customers.column("segment"), "consumer"))
    names = column(business, "name")
    assert len(set(names)) == len(names)


def test_partner_dates_before_start(vendors, customers):
    for table in (vendors, customers):
        created = column(table, "created_date")
        assert max(created) < START
        assert min(created) > START - dt.timedelta(days=20 * 365)


@pytest.mark.parametrize("country", sorted(COUNTRIES) + ["KE"])
def test_every_country_profile_gives_valid_partners(country, chart):
    company = CompanySettings(code="9000", name="Local Co", currency="EUR", country=country)
    table = generate_vendors(rng(), company, 100, chart, START, 0)
    assert all(iban_is_valid(iban) for iban in column(table, "bank_account"))
    for name in ("name", "street", "city", "postal_code", "tax_id"):
        assert all(column(table, name)), name
    people = generate_employees(rng(), company, 30, generate_cost_centers(rng(), company, 7),
                                START)
    assert all(u.isascii() and u for u in column(people, "user_name"))
    assert all(e.isascii() for e in column(people, "email"))


# --- materials ------------------------------------------------------------------------------

def test_material_distributions(materials):
    types = shares(column(materials, "material_type"))
    for key, expected in {"raw_material": .35, "semi_finished": .15, "finished_good": .30,
                          "trading_good": .10, "operating_supplies": .05,
                          "packaging": .05}.items():
        assert types[key] == pytest.approx(expected, abs=0.02)
    valuation = shares(column(materials, "valuation_method"))
    assert valuation["standard_cost"] == pytest.approx(0.60, abs=0.02)
    assert valuation["fifo"] == pytest.approx(0.10, abs=0.02)


def test_material_prices(materials):
    cost, price = minor(materials, "standard_cost"), minor(materials, "list_price")
    mtype = np.array(column(materials, "material_type"))
    sellable = np.isin(mtype, ["finished_good", "trading_good"])
    assert (cost > 0).all()
    assert (price[sellable] > cost[sellable]).all()
    margin = 1 - cost[sellable] / price[sellable]
    assert margin.min() >= 0.34 - MARGIN_SPREAD - 0.01
    assert margin.max() <= 0.34 + MARGIN_SPREAD + 0.01
    assert (price[~sellable] == 0).all()


@pytest.mark.parametrize("industry", INDUSTRIES)
def test_material_margins_follow_the_industry(industry):
    """List prices carry the industry's gross margin on goods, spread per material; sold in
    the transactions' proportions (``economics.sales_weights``), they give that margin."""
    table = generate_materials(rng(8), US, 5000, build_chart(industry, "small"), industry, 0)
    cost, price = minor(table, "standard_cost"), minor(table, "list_price")
    sold = price > 0
    margin = 1 - cost[sold] / price[sold]
    target = profile(industry).gross_margin
    assert margin.mean() == pytest.approx(target, abs=0.01)
    assert margin.min() >= target - MARGIN_SPREAD - 0.01
    assert margin.max() <= target + MARGIN_SPREAD + 0.01
    assert margin.std() > 0.05                      # a spread, not one markup
    # a company's ~120 sellable materials, revenue split by the sales weights
    for seed in range(5):
        small = generate_materials(rng(seed), US, 300, build_chart(industry, "small"),
                                   industry, 0)
        cost, price = minor(small, "standard_cost"), minor(small, "list_price")
        sold = price > 0
        revenue_share = sales_weights(int(sold.sum()))
        goods_margin = (revenue_share * (1 - cost[sold] / price[sold])).sum()
        assert goods_margin == pytest.approx(target, abs=0.03)


def test_material_accounts(materials, chart):
    types, names = account_sub_types(chart), account_names(chart)
    mtype = column(materials, "material_type")
    inventory, cogs = column(materials, "inventory_account"), column(materials, "cogs_account")
    revenue = column(materials, "revenue_account")
    for t, inv, cg, rev in zip(mtype, inventory, cogs, revenue):
        assert types[inv] == "inventory" and types[cg] == "cogs"
        assert (rev is None) == (t not in ("finished_good", "trading_good"))
        assert rev is None or types[rev] == "product_revenue"
    by_type = dict(zip(mtype, inventory))
    assert names[by_type["raw_material"]] == "Inventory - Raw Materials"
    assert names[by_type["semi_finished"]] == "Inventory - Work in Progress"
    assert names[by_type["finished_good"]] == "Inventory - Finished Goods"


@pytest.mark.parametrize("industry", ["retail", "healthcare", "technology",
                                      "financial_services"])
def test_materials_for_every_industry(industry):
    chart = build_chart(industry, "small")
    table = generate_materials(rng(), US, 500, chart, industry, 0)
    types = account_sub_types(chart)
    assert {types[a] for a in column(table, "inventory_account")} == {"inventory"}
    assert all(column(table, "description"))


# --- fixed assets ---------------------------------------------------------------------------

def test_asset_distributions_and_lives(assets):
    classes = shares(column(assets, "asset_class"))
    for key, expected in {"land": .03, "buildings": .05, "machinery": .25, "vehicles": .15,
                          "furniture": .15, "it_equipment": .25, "software": .10,
                          "leasehold_improvements": .02}.items():
        assert classes[key] == pytest.approx(expected, abs=0.02)
    lives = {"land": 0, "buildings": 480, "machinery": 84, "vehicles": 60, "furniture": 84,
             "it_equipment": 36, "software": 36, "leasehold_improvements": 120}
    assert all(lives[c] == life for c, life in zip(column(assets, "asset_class"),
                                                   column(assets, "useful_life_months")))
    status = shares(column(assets, "status"))
    assert 0.05 < status["fully_depreciated"] < 0.25


def test_asset_values_and_dates(assets):
    cost, salvage = minor(assets, "acquisition_cost"), minor(assets, "salvage_value")
    asset_class = np.array(column(assets, "asset_class"))
    assert (cost > 0).all() and (salvage >= 0).all()
    zero_salvage = np.isin(asset_class, ["land", "software"])
    assert (salvage[zero_salvage] == 0).all()
    assert np.allclose(salvage[~zero_salvage], cost[~zero_salvage] * 0.05, atol=1)
    machinery = cost[asset_class == "machinery"] / 100
    assert machinery.min() >= 20e3 and machinery.max() <= 500e3
    assert max(column(assets, "acquisition_date")) < START
    methods = np.array(column(assets, "depreciation_method"))
    assert set(methods[zero_salvage]) == {"straight_line"}


def test_fully_depreciated_status_matches_age(assets):
    for acquired, life, status in zip(column(assets, "acquisition_date"),
                                      column(assets, "useful_life_months"),
                                      column(assets, "status")):
        months = (START.year - acquired.year) * 12 + START.month - acquired.month
        assert (status == "fully_depreciated") == (life > 0 and months >= life)


def test_asset_foreign_keys(assets, chart, cost_centers):
    types, names = account_sub_types(chart), account_names(chart)
    assert set(column(assets, "cost_center")) <= set(column(cost_centers, "cost_center"))
    rows = zip(column(assets, "asset_class"), column(assets, "asset_account"),
               column(assets, "accumulated_depreciation_account"),
               column(assets, "depreciation_expense_account"), column(assets, "cost_center"))
    for cls, asset, accumulated, expense, cc in rows:
        assert types[asset] in ("fixed_assets", "intangibles")
        if cls == "land":
            assert names[asset] == "Land" and accumulated is None and expense is None
            continue
        assert types[accumulated] == "accumulated_depreciation"
        assert types[expense] == "depreciation"
        if cls == "software":
            assert names[expense] == "Amortisation Expense"
        if cls == "machinery":
            assert cc.startswith("CC-1000-PROD")
        if cls == "it_equipment":
            assert cc == "CC-1000-CORP-IT"


def test_assets_without_cost_centers_carry_none(chart):
    empty = generate_cost_centers(rng(), US, 0)
    assets = generate_fixed_assets(rng(), US, 5, chart, empty, START)
    assert assets.schema.equals(FIXED_ASSETS.schema)
    assert assets["cost_center"].null_count == 5


# --- currencies -----------------------------------------------------------------------------

def test_money_scales_with_the_company_currency(chart, cost_centers):
    def median(kind: str, company: CompanySettings, name: str, exponent: int) -> float:
        table = make(kind, 3000, chart, cost_centers, company=company)
        return float(np.median(minor(table, name, exponent) / 10 ** exponent))

    for kind, name in [("materials", "standard_cost"), ("customers", "credit_limit"),
                       ("fixed_assets", "acquisition_cost"), ("employees", "base_salary")]:
        ratio = median(kind, JP, name, 0) / median(kind, US, name, 2)
        assert 100 < ratio < 250, (kind, ratio)
