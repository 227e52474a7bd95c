"""Customers of a company.

Facts implemented (reference §2.2): IDs ``C-000001`` numbered across companies; segments
enterprise .05, mid_market .20, smb .50, consumer .25 carrying .40 / .35 / .20 / .05 of
revenue (``revenue_weight``: Pareto alpha 1.5 within a segment, scaled to the segment's share,
summing to 1 per company); credit ratings AAA .05, AA .10, A .25, BBB .30, BB .15, B .10,
CCC .04, D .01 (larger segments tend to the better ratings) with credit limits uniform in the
rating's band (USD, converted) scaled to the segment (a consumer's BBB limit is a few thousand
dollars, not the band of a corporate BBB; ``SEGMENT_CREDIT_SCALE``); payment terms
NET30 .50, NET60 .20, 2/10NET30 .20, NET15 .05, IMMEDIATE .05 without an industry, else the
industry's mix, which lands the books near its DSO (``terms.INDUSTRY_CUSTOMER_TERMS``: a
retailer's customers mostly pay at the till or within two weeks, a software vendor's take
30-90 days); payment behaviour early .15, on_time .45, slightly_late .25, often_late .10,
high_risk .05, except that customers on IMMEDIATE terms pay at the point of sale and so are
all on_time. Consumers get person names of their country's locale; businesses get trade
names, public bodies ``City of ...`` names. Consumers and public bodies are domestic; of the
other customers 85% are.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config.models import CompanySettings
from datasynth.generators.master_data.addresses import Addresses, addresses
from datasynth.generators.master_data.business_names import (
    legal_forms, trade_names, unique_names, vocabulary)
from datasynth.generators.master_data.common import (
    codes, constant_code, dates, days_before, join, money, pareto_weights, per_group, pick,
    round_minor, sequential_ids, take, usd_to_minor)
from datasynth.generators.master_data.countries import country
from datasynth.generators.master_data.ledger import control_account_codes
from datasynth.generators.master_data.names import people
from datasynth.generators.master_data.terms import customer_terms, draw_terms
from datasynth.schemas.master_data import CUSTOMERS

SEGMENTS = {"enterprise": 0.05, "mid_market": 0.20, "smb": 0.50, "consumer": 0.25}
SEGMENT_REVENUE = {"enterprise": 0.40, "mid_market": 0.35, "smb": 0.20, "consumer": 0.05}
CUSTOMER_TYPES = ("corporate", "small_business", "government", "distributor", "consumer")
# customer type shares within each segment
_TYPES_BY_SEGMENT = {
    "enterprise": (0.80, 0.00, 0.15, 0.05, 0.00),
    "mid_market": (0.55, 0.10, 0.10, 0.25, 0.00),
    "smb": (0.05, 0.85, 0.00, 0.10, 0.00),
    "consumer": (0.00, 0.00, 0.00, 0.00, 1.00),
}
CREDIT_RATINGS = {"AAA": 0.05, "AA": 0.10, "A": 0.25, "BBB": 0.30, "BB": 0.15, "B": 0.10,
                  "CCC": 0.04, "D": 0.01}
CREDIT_BANDS_USD = {"AAA": (1e6, 10e6), "AA": (500e3, 2e6), "A": (250e3, 1e6),
                    "BBB": (100e3, 500e3), "BB": (50e3, 250e3), "B": (25e3, 100e3),
                    "CCC": (10e3, 50e3), "D": (0.0, 10e3)}
SEGMENT_CREDIT_SCALE = {"enterprise": 1.0, "mid_market": 0.25, "smb": 0.05, "consumer": 0.01}
PAYMENT_BEHAVIOR = {"early": 0.15, "on_time": 0.45, "slightly_late": 0.25, "often_late": 0.10,
                    "high_risk": 0.05}
RATING_NOISE = 0.5       # spread of the segment -> rating link (0: strictly by segment)
DOMESTIC_SHARE = 0.85     # of business customers
ACTIVE_SHARE = 0.97
MAX_AGE_DAYS = 10 * 365
# name kinds: trade name by sector, distributor, public body, person
_KINDS = ("sector", "distributor", "public", "person")
_KIND_OF_TYPE = np.array([0, 0, 2, 1, 3])


def _customer_types(rng: np.random.Generator, segment: np.ndarray) -> np.ndarray:
    out = np.zeros(segment.size, dtype=np.int32)
    for s, shares in enumerate(_TYPES_BY_SEGMENT.values()):
        rows = np.flatnonzero(segment == s)
        out[rows] = pick(rng, shares, rows.size)
    return out


def _behaviors(rng: np.random.Generator, terms_days: pa.Array, count: int) -> np.ndarray:
    """Payment behaviour by the reference weights, except that a customer on IMMEDIATE terms
    pays at the point of sale: on time, never late."""
    behavior = pick(rng, PAYMENT_BEHAVIOR, count)
    at_sale = terms_days.to_numpy(zero_copy_only=False) == 0
    return np.where(at_sale, list(PAYMENT_BEHAVIOR).index("on_time"), behavior)


def credit_ratings(rng: np.random.Generator, segment: np.ndarray) -> np.ndarray:
    """Ratings drawn with the reference weights, then handed out so that larger segments
    tend to get the better ones (the rating shares stay exactly as drawn)."""
    drawn = np.sort(pick(rng, CREDIT_RATINGS, segment.size))      # best (AAA) first
    size_rank = len(SEGMENTS) - 1 - segment                       # enterprise highest
    score = size_rank + rng.normal(0.0, RATING_NOISE, segment.size)
    ratings = np.empty_like(drawn)
    ratings[np.argsort(-score, kind="stable")] = drawn
    return ratings


def revenue_weights(rng: np.random.Generator, segment: np.ndarray) -> np.ndarray:
    """Pareto weights within each segment, scaled to the segment's revenue share."""
    weights = np.zeros(segment.size)
    for s, share in enumerate(SEGMENT_REVENUE.values()):
        rows = np.flatnonzero(segment == s)
        weights[rows] = pareto_weights(rng, rows.size) * share
    total = weights.sum()
    return weights / total if total > 0 else weights


def _names(rng: np.random.Generator, kind: np.ndarray, address: Addresses) -> pa.Array:
    """Unique business names; consumers keep their (possibly shared) person names."""
    key = address.country_idx.astype(np.int64) * len(_KINDS) + kind
    pairs = [(c, k) for c in address.countries for k in _KINDS]

    def make(pair: tuple[str, str], n: int) -> pa.Array:
        code, name_kind = pair
        language = country(code).language
        if name_kind == "person":
            person = people(rng, country(code).locale, n)
            return join(person.first, person.last, sep=" ")
        if name_kind == "public":
            words = vocabulary("public_bodies", language)
            return take(pa.array(words), rng.integers(0, len(words), n))
        section = "customer_sectors" if name_kind == "sector" else "distributor_words"
        return trade_names(rng, code, vocabulary(section, language), n)

    base = per_group(key, pairs, make)
    public = kind == _KINDS.index("public")
    base = pc.if_else(pa.array(public), join(base, address.city, sep=" "), base)
    legal = legal_forms(rng, address.country_idx, address.countries)
    business = pa.array(kind != _KINDS.index("person"))
    legal = pc.if_else(pa.array(public), pa.nulls(len(legal), pa.string()), legal)
    unique = unique_names(base.filter(business), legal.filter(business),
                          public[kind != _KINDS.index("person")])
    return pc.replace_with_mask(base, business, unique)


def generate_customers(rng: np.random.Generator, company: CompanySettings, count: int,
                       accounts: pa.Table, start_date: dt.date, id_offset: int,
                       industry: str | None = None) -> pa.Table:
    """``count`` customers of ``company`` with ids ``C-{id_offset + 1:06d}`` onwards; payment
    terms by the ``industry``'s mix (``terms.customer_terms``), the reference mix without."""
    segment = pick(rng, SEGMENTS, count)
    ctype = _customer_types(rng, segment)
    local = np.isin(ctype, [CUSTOMER_TYPES.index("consumer"), CUSTOMER_TYPES.index("government")])
    address = addresses(rng, company.country, count, DOMESTIC_SHARE, domestic=local)
    names = _names(rng, _KIND_OF_TYPE[ctype], address)
    terms = draw_terms(rng, customer_terms(industry), count)
    rating = credit_ratings(rng, segment)
    low, high = (np.array(bound)[rating] for bound in zip(*CREDIT_BANDS_USD.values()))
    scale = np.array(list(SEGMENT_CREDIT_SCALE.values()))[segment]
    step = np.where(segment == list(SEGMENTS).index("consumer"), 100, 1000)
    limit_usd = rng.uniform(low, high) * scale
    limit = np.where(step == 100, round_minor(usd_to_minor(limit_usd, company), 100, company),
                     round_minor(usd_to_minor(limit_usd, company), 1000, company))
    arrays = [
        sequential_ids("C-", id_offset, count),
        constant_code(company.code, count),
        names,
        codes(ctype, CUSTOMER_TYPES),
        codes(segment, list(SEGMENTS)),
        address.street,
        address.city,
        address.postal_code,
        codes(address.country_idx, address.countries),
        terms.key,
        terms.days,
        codes(rating, list(CREDIT_RATINGS)),
        money(limit, company),
        pa.array(revenue_weights(rng, segment)),
        codes(_behaviors(rng, terms.days, count), list(PAYMENT_BEHAVIOR)),
        control_account_codes(accounts, "receivables", "Trade Receivables - Foreign",
                              address.is_foreign),
        dates(days_before(rng, start_date, count, 1, MAX_AGE_DAYS)),
        pa.array(rng.random(count) < ACTIVE_SHARE),
    ]
    return pa.Table.from_arrays(arrays, schema=CUSTOMERS.schema)
