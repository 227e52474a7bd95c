"""The opening balance sheet of a company and the open items behind its control accounts.

The balance sheet is sized from the company's payroll (``economics.annual_revenue``) with the
working-capital ratios of its industry: receivables = DSO days of gross (VAT-inclusive)
sales, payables = DPO days of gross purchases, inventory = DIO days of cost of goods sold,
fixed assets at cost less straight-line accumulated depreciation to the month before the
start. Liabilities that accrue monthly (VAT, payroll withholdings, accruals) hold one month,
income tax one quarter. Borrowings and equity finance what remains, so that the accounting
equation Assets = Liabilities + Equity holds to the minor unit, retained earnings being the
plug. Control accounts (AR, AP, inventory) are the sums of their open items (a subledger
must reconcile to its control account, IAS 1 / ASC 210 presentation of trade balances).
Balances are signed, debit positive; all money is int64 minor units of the company currency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config.currencies import CURRENCIES
from datasynth.config.models import CompanySettings
from datasynth.generators.common.arrow import constant_dictionary, dates, padded_ids
from datasynth.generators.common.sampling import choice
from datasynth.generators.ledger import depreciation, economics
from datasynth.generators.ledger.chart import ChartIndex
from datasynth.money import to_decimal, to_minor_units
from datasynth.schemas.ledgers import OPENING_BALANCES, OPENING_ITEMS

ITEMS_PER_PARTNER = 1.5     # open invoices per partner on average (big partners get several)
AMOUNT_SIGMA = 1.0          # log-normal spread of open-item amounts
ACCRUED_SHARE = 0.3         # accrued expenses: 30 % of a month of overheads not yet invoiced
PRETAX_MARGIN = 0.08        # profit before tax / revenue behind the income-tax payable
CAPITAL_SHARE, APIC_SHARE = 0.2, 0.3    # of equity; retained earnings take the rest
_EPOCH = dt.date(1970, 1, 1)


class Scale(NamedTuple):
    """The yearly flows a company's opening balances are sized from (minor units)."""

    payroll: int        # annual gross payroll of the company's people
    revenue: int        # R = payroll / industry payroll ratio
    purchases: float    # goods bought (COGS of the goods share) plus overheads
    vat: float          # VAT / sales-tax rate as a fraction


def minor(column: pa.Array | pa.ChunkedArray, exponent: int) -> np.ndarray:
    """A MONEY column as int64 minor units (empty columns included)."""
    if len(column) == 0:
        return np.zeros(0, dtype=np.int64)
    return to_minor_units(column, exponent)


def days(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A date32 column as int64 days since the epoch."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    return column.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)


def annual_payroll(employees: pa.Table, exponent: int) -> int:
    """Σ base_salary of the people (system users earn nothing) in minor units."""
    people = employees.filter(pc.equal(employees["employee_type"].cast(pa.string()), "person"))
    return int(minor(people["base_salary"], exponent).sum())


def company_scale(payroll: int, industry: str, country: str) -> Scale:
    p = economics.profile(industry)
    revenue = economics.annual_revenue(payroll, industry)
    goods_cost = (1 - p.service_share) * (1 - p.gross_margin)
    return Scale(payroll, revenue, revenue * (goods_cost + p.overhead_ratio),
                 economics.vat_rate(country) / 100)


def _strings(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    return column.cast(pa.string())


def _items_table(company: str, kind: str, ids: pa.Array, partner: pa.Array, document: np.ndarray,
                 due: np.ndarray, quantity: np.ndarray, amount: np.ndarray, control: pa.Array,
                 exponent: int) -> pa.Table:
    n = len(ids)
    return pa.Table.from_arrays([
        constant_dictionary(company, n), constant_dictionary(kind, n), ids, partner,
        dates(document), dates(due), pa.array(quantity, pa.int64()),
        to_decimal(amount, exponent), pc.dictionary_encode(_strings(control)),
    ], schema=OPENING_ITEMS.schema)


def split_total(rng: np.random.Generator, total: int, count: int) -> np.ndarray:
    """``count`` log-normal amounts, each >= 1, summing exactly to ``total`` (count <= total);
    the rounding remainder goes to the largest item."""
    raw = rng.lognormal(0.0, AMOUNT_SIGMA, count)
    amount = 1 + np.floor(raw / raw.sum() * (total - count)).astype(np.int64)
    amount[np.argmax(amount)] += total - int(amount.sum())
    return amount


def partner_items(rng: np.random.Generator, partners: pa.Table, kind: str, company: str,
                  total: int, mean_age_days: float, opening_day: int,
                  exponent: int, at_most: float = float("inf")) -> pa.Table:
    """Open invoices of ``kind`` ("ar": customers by revenue_weight, "ap": vendors by
    spend_weight) summing exactly to ``total``; ids ``OB-AR-<company>-000001``."""
    id_column, weight_column = (("customer_id", "revenue_weight") if kind == "ar"
                                else ("vendor_id", "spend_weight"))
    n = partners.num_rows
    weights = partners[weight_column].to_numpy() if n else np.zeros(0)
    active = weights * partners["is_active"].to_numpy(zero_copy_only=False) if n else weights
    # Blocked partners take no new postings, so they carry no open items when others can.
    weights = active if active.sum() > 0 else weights
    if total <= 0 or n == 0 or weights.sum() <= 0:
        return OPENING_ITEMS.schema.empty_table()
    count = int(min(total, max(1, round(min(ITEMS_PER_PARTNER * n, at_most)))))
    who = choice(rng, weights, count).astype(np.int64)
    amount = split_total(rng, total, count)
    # Invoice ages U(1, 2 x DSO/DPO) average DSO/DPO days: the open balance is that many days
    # of invoicing. No invoice predates the partner's creation.
    age = rng.integers(1, max(2, round(2 * mean_age_days)) + 1, count)
    created = np.minimum(days(partners["created_date"])[who], opening_day - 1)
    document = opening_day - age
    # invoiced on a weekday: a Saturday or Sunday moves back to the Friday before (the run's
    # holiday calendar does not reach back before the opening day)
    weekday = (document + 3) % 7                 # 1970-01-01 was a Thursday: Monday = 0
    document = np.maximum(document - np.maximum(weekday - 4, 0), created)
    terms = partners["payment_terms_days"].to_numpy(zero_copy_only=False).astype(np.int64)
    order = np.lexsort((who, document))     # numbered in invoice-date order, like an ERP
    who, amount, document = who[order], amount[order], document[order]
    take = pa.array(who)
    ids = padded_ids(f"OB-{kind.upper()}-{company}-", np.arange(1, count + 1), 6)
    return _items_table(company, kind, ids, _strings(partners[id_column]).take(take), document,
                        document + terms[who], np.zeros(count, np.int64), amount,
                        _strings(partners["reconciliation_account"]).take(take), exponent)


def inventory_items(materials: pa.Table, company: str, target: float, opening_day: int,
                    exponent: int) -> pa.Table:
    """Stock of the sellable materials (list_price > 0), valued at standard cost (IAS 2 / ASC
    330 measurement at cost), value shares by ``economics.sales_weights``."""
    if target <= 0 or materials.num_rows == 0:
        return OPENING_ITEMS.schema.empty_table()
    stock = np.flatnonzero(minor(materials["list_price"], exponent) > 0)
    cost = minor(materials["standard_cost"], exponent)[stock]
    share = economics.sales_weights(stock.size)
    # At least one unit of every product, so the first sales of the period find stock; the
    # value above that base is shared by sales weight, so the total stays near the DIO target
    # even when many slow movers are dear (a plain max(1, ...) would overshoot).
    rest = max(target - float(cost.sum()), 0.0)
    quantity = 1 + np.rint(share * rest / np.maximum(cost, 1)).astype(np.int64)
    keep = cost > 0
    stock, cost, quantity = stock[keep], cost[keep], quantity[keep]
    rows = pa.array(stock)
    day = np.full(stock.size, opening_day, np.int64)
    return _items_table(company, "inventory", _strings(materials["material_id"]).take(rows),
                        pa.nulls(stock.size, pa.string()), day, day, quantity, quantity * cost,
                        _strings(materials["inventory_account"]).take(rows), exponent)


def post(balances: np.ndarray, chart: ChartIndex, accounts: pa.Array | pa.ChunkedArray,
         amounts: np.ndarray) -> None:
    """Add signed ``amounts`` to ``balances`` (by chart position); null accounts are skipped."""
    positions = chart.positions(accounts)
    keep = positions >= 0
    np.add.at(balances, positions[keep], np.asarray(amounts, np.int64)[keep])


def item_balances(items: pa.Table, chart: ChartIndex, exponent: int) -> np.ndarray:
    """Control-account balances from their open items (AR, inventory debit; AP credit)."""
    balances = np.zeros(len(chart), np.int64)
    if items.num_rows:
        kind = _strings(items["kind"]).to_numpy(zero_copy_only=False)
        sign = np.where(kind == "ap", -1, 1)
        post(balances, chart, items["control_account"], sign * minor(items["amount"], exponent))
    return balances


def fixed_asset_balances(assets: pa.Table, chart: ChartIndex, opening: dt.date,
                         exponent: int) -> np.ndarray:
    """Cost on the asset accounts, accumulated straight-line depreciation through the month
    before ``opening`` (credit) on the contra accounts."""
    balances = np.zeros(len(chart), np.int64)
    if assets.num_rows == 0:
        return balances
    cost = minor(assets["acquisition_cost"], exponent)
    through = int(depreciation.month_index(np.array([(opening - _EPOCH).days]))[0]) - 1
    accumulated = depreciation.accumulated(
        cost, minor(assets["salvage_value"], exponent),
        assets["useful_life_months"].to_numpy(zero_copy_only=False),
        days(assets["acquisition_date"]), through)
    post(balances, chart, assets["asset_account"], cost)
    post(balances, chart, assets["accumulated_depreciation_account"], -accumulated)
    return balances


def finance(balances: np.ndarray, chart: ChartIndex, equity_ratio: float,
            long_debt_share: float) -> None:
    """Add borrowings and equity so that Σ balances = 0 (A = L + E): equity is
    ``equity_ratio`` of total assets, debt the rest, retained earnings the exact plug."""
    assets = int(balances[chart.account_types == "asset"].sum())
    liabilities = -int(balances[chart.account_types == "liability"].sum())
    equity = round(assets * equity_ratio)
    debt = assets - equity - liabilities
    if debt < 0:        # working capital already finances more than the debt share
        debt, equity = 0, assets - liabilities
    short = round(debt * (1 - long_debt_share))
    balances[chart.of(250000)] -= short
    balances[chart.of(260000)] -= debt - short
    positive = max(equity, 0)
    balances[chart.of(300000)] -= round(positive * CAPITAL_SHARE)
    balances[chart.of(310000)] -= round(positive * APIC_SHARE)
    balances[chart.of(320000)] -= int(balances.sum())


def balances_table(company: str, chart: ChartIndex, balances: np.ndarray, opening: dt.date,
                   exponent: int) -> pa.Table:
    """Non-zero balances in chart order as OPENING_BALANCES rows."""
    rows = np.flatnonzero(balances)
    day = np.full(rows.size, (opening - _EPOCH).days, np.int64)
    return pa.Table.from_arrays([
        constant_dictionary(company, rows.size),
        pc.dictionary_encode(chart.numbers.take(pa.array(rows))),
        to_decimal(balances[rows], exponent), dates(day),
    ], schema=OPENING_BALANCES.schema)


def opening_books(rng: Callable[[str], np.random.Generator], company: CompanySettings,
                  industry: str, opening: dt.date, chart: ChartIndex, employees: pa.Table,
                  customers: pa.Table, vendors: pa.Table, materials: pa.Table,
                  assets: pa.Table, enabled: bool = True,
                  invoices_per_year: tuple[float, float] | None = None,
                  ) -> tuple[pa.Table, pa.Table]:
    """(opening_balances, opening_items) of one company; the tables hold its rows only.

    ``invoices_per_year`` (customer, vendor) is the pace of invoicing in the run: the open
    items are as many as that pace leaves open, DSO (DPO) days of invoices, so a small run
    does not start with more open items than it posts invoices.

    With ``enabled`` False the company is a start-up: shareholders paid in a quarter of a
    year's payroll as share capital, held in cash, and nothing else is open."""
    exponent = CURRENCIES[company.currency].exponent
    scale = company_scale(annual_payroll(employees, exponent), industry, company.country)
    if not enabled:
        balances = np.zeros(len(chart), np.int64)
        balances[chart.of(100000)] += scale.payroll // 4
        balances[chart.of(300000)] -= scale.payroll // 4
        return (balances_table(company.code, chart, balances, opening, exponent),
                OPENING_ITEMS.schema.empty_table())
    p = economics.profile(industry)
    r, vat, day = scale.revenue, scale.vat, (opening - _EPOCH).days
    pace = invoices_per_year or (float("inf"), float("inf"))
    items = pa.concat_tables([
        partner_items(rng("ar_items"), customers, "ar", company.code,
                      round(r * (1 + vat) * p.dso / 365), p.dso, day, exponent,
                      pace[0] * p.dso / 365),
        partner_items(rng("ap_items"), vendors, "ap", company.code,
                      round(scale.purchases * (1 + vat) * p.dpo / 365), p.dpo, day,
                      exponent, pace[1] * p.dpo / 365),
        inventory_items(materials, company.code,
                        r * (1 - p.service_share) * (1 - p.gross_margin) * p.dio / 365, day,
                        exponent),
    ]).unify_dictionaries().combine_chunks()
    balances = item_balances(items, chart, exponent)
    balances += fixed_asset_balances(assets, chart, opening, exponent)
    monthly_payroll = scale.payroll / 12
    withholding, employee_social, employer_social = economics.payroll_rates(company.country)
    fixed = {
        100000: r * p.cash_days / 365,
        130000: r * p.overhead_ratio / 12,                       # a month of overheads prepaid
        210000: -max(0.0, (r - scale.purchases) * vat / 12),     # a month of net VAT due
        210100: -r * PRETAX_MARGIN * economics.income_tax_rate(company.country) / 100 / 4,
        220000: -ACCRUED_SHARE * r * p.overhead_ratio / 12,
        230000: -monthly_payroll * withholding,                  # remitted the next month
        230100: -monthly_payroll * (employee_social + employer_social),
    }
    for account, amount in fixed.items():
        balances[chart.of(account)] += round(amount)
    finance(balances, chart, p.equity_ratio, p.long_debt_share)
    return balances_table(company.code, chart, balances, opening, exponent), items
