"""How a company's books are shaped: industry targets, tax rates, and the yearly scale.

The targets are the usual financial-statement ratios of each industry (gross margin,
days sales outstanding, days payables outstanding, days inventory outstanding, payroll and
overheads as a share of revenue, capital structure) in the ranges public company filings
show. Generators size volumes so the books land near them; ``verify`` and the tests measure
how near.

Revenue is sized from payroll: the employees table fixes what the company pays its people,
and an industry's payroll-to-revenue ratio turns that into the revenue the business must
earn. Every other flow (purchases, overheads, capital expenditure, cash) follows from
revenue, so a company of 20 people and one of 2,000 both get books that make sense.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class IndustryProfile:
    gross_margin: float          # on goods: 1 - COGS / product revenue (from material prices)
    service_share: float         # share of revenue from services (no inventory, no COGS)
    dso: float                   # days sales outstanding: AR / revenue x 365
    dpo: float                   # days payables outstanding: AP / purchases x 365
    dio: float                   # days inventory outstanding: inventory / COGS x 365
    payroll_ratio: float         # gross payroll / revenue
    overhead_ratio: float        # purchased services and overheads / revenue
    capex_ratio: float           # capital expenditure / revenue
    cash_days: float             # operating cash held, days of revenue
    equity_ratio: float          # equity / total assets in the opening balance sheet
    long_debt_share: float       # long-term share of borrowings
    fixed_asset_turnover: float  # revenue / net PP&E


PROFILES: dict[str, IndustryProfile] = {
    "manufacturing": IndustryProfile(0.34, 0.05, 52, 45, 75, 0.14, 0.08, 0.05, 30, 0.45,
                                     0.7, 3.0),
    "retail": IndustryProfile(0.32, 0.02, 12, 40, 60, 0.11, 0.09, 0.03, 20, 0.35, 0.6, 6.0),
    "financial_services": IndustryProfile(0.45, 0.80, 30, 30, 20, 0.50, 0.15, 0.03, 60, 0.30,
                                          0.8, 10.0),
    "healthcare": IndustryProfile(0.38, 0.60, 48, 40, 30, 0.45, 0.15, 0.04, 35, 0.40, 0.7,
                                  3.5),
    "technology": IndustryProfile(0.40, 0.65, 60, 35, 25, 0.45, 0.15, 0.03, 90, 0.60, 0.6,
                                  8.0),
}

# Standard VAT / GST / sales-tax rate (percent) per country, 2024. The US has no VAT; the
# figure is a typical combined state and local sales-tax rate on taxable sales.
VAT_RATES: dict[str, float] = {
    "US": 7.0, "CA": 5.0, "MX": 16.0, "BR": 17.0, "GB": 20.0, "IE": 23.0, "DE": 19.0,
    "FR": 20.0, "NL": 21.0, "BE": 21.0, "LU": 17.0, "AT": 20.0, "CH": 8.1, "IT": 22.0,
    "ES": 21.0, "PT": 23.0, "SE": 25.0, "NO": 25.0, "DK": 25.0, "FI": 24.0, "PL": 23.0,
    "CZ": 21.0, "HU": 27.0, "JP": 10.0, "CN": 13.0, "IN": 18.0, "SG": 9.0, "AU": 10.0,
    "NZ": 15.0, "KR": 10.0, "ZA": 15.0,
}
DEFAULT_VAT = 15.0

# Statutory corporate income-tax rate (percent, combined national and typical local), 2024.
INCOME_TAX_RATES: dict[str, float] = {
    "US": 25.0, "CA": 26.5, "MX": 30.0, "BR": 34.0, "GB": 25.0, "IE": 12.5, "DE": 30.0,
    "FR": 25.0, "NL": 25.8, "BE": 25.0, "LU": 24.9, "AT": 23.0, "CH": 14.6, "IT": 27.9,
    "ES": 25.0, "PT": 31.5, "SE": 20.6, "NO": 22.0, "DK": 22.0, "FI": 20.0, "PL": 19.0,
    "CZ": 21.0, "HU": 9.0, "JP": 30.6, "CN": 25.0, "IN": 25.2, "SG": 17.0, "AU": 30.0,
    "NZ": 28.0, "KR": 24.0, "ZA": 27.0,
}
DEFAULT_INCOME_TAX = 25.0

# Employer payroll taxes and withholding, as shares of gross pay (simplified per country
# group): employee income-tax withholding, employee social security, employer social security.
PAYROLL_RATES: dict[str, tuple[float, float, float]] = {
    "US": (0.18, 0.0765, 0.0765), "DE": (0.20, 0.20, 0.20), "GB": (0.20, 0.08, 0.138),
    "FR": (0.12, 0.22, 0.42), "JP": (0.10, 0.15, 0.16), "CN": (0.10, 0.105, 0.27),
    "IN": (0.12, 0.12, 0.13), "CA": (0.20, 0.07, 0.07), "CH": (0.12, 0.064, 0.064),
    "IE": (0.22, 0.04, 0.11),
}
DEFAULT_PAYROLL = (0.18, 0.08, 0.10)


def profile(industry: str) -> IndustryProfile:
    return PROFILES.get(industry, PROFILES["manufacturing"])


def vat_rate(country: str) -> float:
    return VAT_RATES.get(country, DEFAULT_VAT)


def income_tax_rate(country: str) -> float:
    return INCOME_TAX_RATES.get(country, DEFAULT_INCOME_TAX)


def payroll_rates(country: str) -> tuple[float, float, float]:
    return PAYROLL_RATES.get(country, DEFAULT_PAYROLL)


def annual_revenue(annual_payroll_minor: int, industry: str) -> int:
    """Revenue (minor units a year) a company with this payroll earns in its industry."""
    return int(annual_payroll_minor / profile(industry).payroll_ratio)


def sales_weights(count: int) -> np.ndarray:
    """Share of unit sales of each sellable material, in materials-table order: a Zipf-like
    long tail (a few fast movers, many slow ones). Deterministic, so the opening inventory
    and the sales of the transactions phase agree on which materials move."""
    weights = 1.0 / np.power(np.arange(1, count + 1, dtype=np.float64), 0.7)
    return weights / weights.sum() if count else weights
