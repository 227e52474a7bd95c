"""Payment terms: key, days until due, cash discount.

Weights are the peer's (reference §2.1 for vendors, §2.2 for customers):

========== ====== ======= ========
key        vendor customer due/disc
========== ====== ======= ========
NET30      .40    .50     30 days
NET60      .20    .20     60 days
2/10NET30  .25    .20     30 days, 2 % if paid within 10
NET15      .10    .05     15 days
IMMEDIATE  .05    .05     0 days
========== ====== ======= ========
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
}
VENDOR_TERMS = {"NET30": 0.40, "NET60": 0.20, "2/10NET30": 0.25, "NET15": 0.10,
                "IMMEDIATE": 0.05}
CUSTOMER_TERMS = {"NET30": 0.50, "NET60": 0.20, "2/10NET30": 0.20, "NET15": 0.05,
                  "IMMEDIATE": 0.05}


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
