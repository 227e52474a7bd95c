"""Payment terms: key, days until due, cash discount.

Without an industry, the weights are the peer's (reference §2.1 for vendors, §2.2 for
customers):

========== ====== ======= ========
key        vendor customer due/disc
========== ====== ======= ========
NET30      .40    .50     30 days
NET60      .20    .20     60 days
2/10NET30  .25    .20     30 days, 2 % if paid within 10
NET15      .10    .05     15 days
IMMEDIATE  .05    .05     0 days
========== ====== ======= ========

With an industry (``customer_terms``, ``vendor_terms``), the weights are the industry's,
over the usual terms (IMMEDIATE, NET7, NET10, NET14, NET30, 2/10NET30, NET45, NET60, NET90),
so that the books land near the industry profile's DSO and DPO
(``generators/ledger/economics.py``). Receipts come some days after the due date by the
customer's payment behaviour (about 9 days on average, with instalments and bad debts;
customers on IMMEDIATE terms pay at the point of sale, on time), and vendors are paid a few
days after theirs, so the mean terms sit that much below the target:

================== ===== ============================= ===== ==========================
industry           DSO   customer terms (mean days)    DPO   vendor terms (mean days)
================== ===== ============================= ===== ==========================
manufacturing      52    30-60, some 90 (42.7)         45    30-60 (40.5)
retail             12    till, 7-14 days (4.5)         40    30-60 (36.0)
financial_services 30    direct debit, 7-30 (21.5)     30    mostly 30 (26.1)
healthcare         48    payers at 30-90 (39.0)        40    30-60 (36.0)
technology         60    licences at 30-90 (52.5)      35    mostly 30 (31.4)
================== ===== ============================= ===== ==========================
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyarrow as pa

from datasynth.generators.master_data.common import codes, pick


class Term(NamedTuple):
    days: int
    discount_percent: float
    discount_days: int


TERMS: dict[str, Term] = {
    "NET30": Term(30, 0.0, 0),
    "NET60": Term(60, 0.0, 0),
    "2/10NET30": Term(30, 2.0, 10),
    "NET15": Term(15, 0.0, 0),
    "IMMEDIATE": Term(0, 0.0, 0),
    "NET7": Term(7, 0.0, 0),
    "NET10": Term(10, 0.0, 0),
    "NET14": Term(14, 0.0, 0),
    "NET45": Term(45, 0.0, 0),
    "NET90": Term(90, 0.0, 0),
}
VENDOR_TERMS = {"NET30": 0.40, "NET60": 0.20, "2/10NET30": 0.25, "NET15": 0.10,
                "IMMEDIATE": 0.05}
CUSTOMER_TERMS = {"NET30": 0.50, "NET60": 0.20, "2/10NET30": 0.20, "NET15": 0.05,
                  "IMMEDIATE": 0.05}

# Per industry (see the module docstring): customers' terms for the profile's DSO, vendors'
# for its DPO.
INDUSTRY_CUSTOMER_TERMS: dict[str, dict[str, float]] = {
    "manufacturing": {"NET14": 0.05, "NET30": 0.30, "2/10NET30": 0.15, "NET45": 0.20,
                      "NET60": 0.25, "NET90": 0.05},
    "retail": {"IMMEDIATE": 0.55, "NET7": 0.20, "NET10": 0.10, "NET14": 0.15},
    "financial_services": {"IMMEDIATE": 0.15, "NET7": 0.10, "NET14": 0.20, "NET30": 0.40,
                           "2/10NET30": 0.10, "NET60": 0.05},
    "healthcare": {"IMMEDIATE": 0.05, "NET14": 0.05, "NET30": 0.40, "2/10NET30": 0.05,
                   "NET45": 0.25, "NET60": 0.15, "NET90": 0.05},
    "technology": {"NET14": 0.05, "NET30": 0.20, "2/10NET30": 0.05, "NET45": 0.15,
                   "NET60": 0.40, "NET90": 0.15},
}
INDUSTRY_VENDOR_TERMS: dict[str, dict[str, float]] = {
    "manufacturing": {"NET14": 0.05, "NET30": 0.30, "2/10NET30": 0.20, "NET45": 0.15,
                      "NET60": 0.30},
    "retail": {"IMMEDIATE": 0.05, "NET14": 0.05, "NET30": 0.40, "2/10NET30": 0.15,
               "NET45": 0.15, "NET60": 0.20},
    "financial_services": {"IMMEDIATE": 0.10, "NET14": 0.15, "NET30": 0.50, "2/10NET30": 0.20,
                           "NET60": 0.05},
    "healthcare": {"IMMEDIATE": 0.05, "NET14": 0.05, "NET30": 0.40, "2/10NET30": 0.15,
                   "NET45": 0.15, "NET60": 0.20},
    "technology": {"IMMEDIATE": 0.05, "NET14": 0.10, "NET30": 0.45, "2/10NET30": 0.25,
                   "NET60": 0.15},
}


def customer_terms(industry: str | None = None) -> dict[str, float]:
    """Weights of the customers' terms: the industry's (an unknown industry gets
    manufacturing's, as ``economics.profile`` does), or without one the reference mix."""
    if industry is None:
        return CUSTOMER_TERMS
    return INDUSTRY_CUSTOMER_TERMS.get(industry, INDUSTRY_CUSTOMER_TERMS["manufacturing"])


def vendor_terms(industry: str | None = None) -> dict[str, float]:
    """Weights of the vendors' terms, like ``customer_terms``."""
    if industry is None:
        return VENDOR_TERMS
    return INDUSTRY_VENDOR_TERMS.get(industry, INDUSTRY_VENDOR_TERMS["manufacturing"])


def mean_days(weights: dict[str, float]) -> float:
    """Weighted mean of the days until due of a terms mix."""
    return sum(w * TERMS[k].days for k, w in weights.items()) / sum(weights.values())


class TermColumns(NamedTuple):
    key: pa.Array
    days: pa.Array
    discount_percent: pa.Array
    discount_days: pa.Array


def draw_terms(rng: np.random.Generator, weights: dict[str, float], size: int) -> TermColumns:
    """Terms drawn by ``weights``, with the matching due days and cash discount."""
    labels = list(weights)
    idx = pick(rng, weights, size)
    table = [TERMS[k] for k in labels]
    days = np.array([t.days for t in table], dtype=np.int16)[idx]
    percent = np.array([t.discount_percent for t in table], dtype=np.float32)[idx]
    discount_days = np.array([t.discount_days for t in table], dtype=np.int16)[idx]
    return TermColumns(codes(idx, labels), pa.array(days), pa.array(percent),
                       pa.array(discount_days))
