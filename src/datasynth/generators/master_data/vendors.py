"""Vendors (suppliers) of a company.

Facts implemented (reference §2.1): IDs ``V-000001`` numbered across companies (``id_offset``);
spend categories office_supplies .15, it_services .12, professional_services .12, telecom .08,
utilities .08, raw_materials .10, logistics .10, marketing .08, facilities .07, staffing .05,
travel .05; payment terms NET30 .40, NET60 .20, 2/10NET30 .25, NET15 .10, IMMEDIATE .05
without an industry, else the industry's mix for its DPO (``terms.INDUSTRY_VENDOR_TERMS``);
spend concentration Pareto with alpha 1.5 (``spend_weight`` sums to 1 per company). Names fit
the category and the vendor's country and are unique within the company. About 85% of
vendors are domestic; foreign vendors post to the foreign payables control account. 97% are
active (open for postings).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from datasynth.config.models import CompanySettings
from datasynth.generators.master_data.addresses import addresses
from datasynth.generators.master_data.business_names import (
    category_words, legal_forms, trade_names, unique_names)
from datasynth.generators.master_data.common import (
    codes, constant_code, dates, days_before, pareto_weights, per_group, pick, sequential_ids)
from datasynth.generators.master_data.countries import country
from datasynth.generators.master_data.ledger import control_account_codes
from datasynth.generators.master_data.patterns import ibans_by_country, patterns_by_country
from datasynth.generators.master_data.terms import draw_terms, vendor_terms
from datasynth.schemas.master_data import VENDORS

SPEND_CATEGORIES = {
    "office_supplies": 0.15, "it_services": 0.12, "professional_services": 0.12,
    "telecom": 0.08, "utilities": 0.08, "raw_materials": 0.10, "logistics": 0.10,
    "marketing": 0.08, "facilities": 0.07, "staffing": 0.05, "travel": 0.05,
}
DOMESTIC_SHARE = 0.85
ACTIVE_SHARE = 0.97
MAX_AGE_DAYS = 10 * 365


def category_names(rng: np.random.Generator, country_idx: np.ndarray, countries: list[str],
                   category_idx: np.ndarray, categories: list[str]) -> pa.Array:
    """Name bases by (country, spend category): ``Hanse Spedition``, ``Atlas Logistics``."""
    pairs = [(c, k) for c in countries for k in categories]
    key = country_idx.astype(np.int64) * len(categories) + category_idx

    def make(pair: tuple[str, str], n: int) -> pa.Array:
        code, category = pair
        return trade_names(rng, code, category_words(category, country(code).language), n)

    return per_group(key, pairs, make)


def generate_vendors(rng: np.random.Generator, company: CompanySettings, count: int,
                     accounts: pa.Table, start_date: dt.date, id_offset: int,
                     industry: str | None = None) -> pa.Table:
    """``count`` vendors of ``company`` with ids ``V-{id_offset + 1:06d}`` onwards; payment
    terms by the ``industry``'s mix (``terms.vendor_terms``), the reference mix without."""
    categories = list(SPEND_CATEGORIES)
    category = pick(rng, SPEND_CATEGORIES, count)
    address = addresses(rng, company.country, count, DOMESTIC_SHARE)
    base = category_names(rng, address.country_idx, address.countries, category, categories)
    legal = legal_forms(rng, address.country_idx, address.countries)
    terms = draw_terms(rng, vendor_terms(industry), count)
    arrays = [
        sequential_ids("V-", id_offset, count),
        constant_code(company.code, count),
        unique_names(base, legal),
        codes(category, categories),
        address.street,
        address.city,
        address.postal_code,
        codes(address.country_idx, address.countries),
        terms.key,
        terms.days,
        terms.discount_percent,
        terms.discount_days,
        pa.array(pareto_weights(rng, count, alpha=1.5)),
        patterns_by_country(rng, address.country_idx, address.countries,
                            lambda code: country(code).tax_id),
        ibans_by_country(rng, address.country_idx, address.countries,
                         lambda code: country(code).bban),
        control_account_codes(accounts, "payables", "Trade Payables - Foreign",
                              address.is_foreign),
        dates(days_before(rng, start_date, count, 1, MAX_AGE_DAYS)),
        pa.array(rng.random(count) < ACTIVE_SHARE),
    ]
    return pa.Table.from_arrays(arrays, schema=VENDORS.schema)
