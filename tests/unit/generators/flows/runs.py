"""Seeded runs of the document flows, shared by the tests of this folder, and helpers to read
their tables as NumPy arrays.

A run is the real pipeline (master data, opening balances, every flow, the period close and
the subledgers) in memory; each configuration is generated once per test session, so the
module-scoped fixtures of several test files can share it.
"""

from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasynth.config import Config
from datasynth.money import to_minor_units
from datasynth.runtime.orchestrator import GenerationOrchestrator
from datasynth.sinks.memory import MemoryStore
from tests.conftest import small_config_dict

CLOSE_SEQUENCE = 9_000_000_000      # the period close numbers its entries from 9000000001


def generate(**overrides):
    """(config, result) of an in-memory run of ``small_config_dict(**overrides)``."""
    config = Config.from_dict(small_config_dict(**overrides))
    return config, GenerationOrchestrator(config, memory=MemoryStore(), workers=1).run()


@functools.cache
def returns_run():
    """Six months, many returns (30 % of delivered lines), half the over-limit orders
    released: returns, credit memos, refunds, released and rejected orders all occur."""
    return generate(transactions={"target_count": 3000},
                    document_flows={"return_rate": 0.3, "credit_release_rate": 0.5},
                    **{"global": {"seed": 11, "industry": "manufacturing",
                                  "start_date": "2024-01-01", "period_months": 6,
                                  "group_currency": "USD"}})


@functools.cache
def strict_credit_run():
    """Four months in which credit management releases no over-limit order."""
    return generate(transactions={"target_count": 2500},
                    document_flows={"credit_release_rate": 0.0},
                    **{"global": {"seed": 5, "industry": "retail",
                                  "start_date": "2024-03-01", "period_months": 4,
                                  "group_currency": "USD"}})


def strings(table: pa.Table, column: str) -> np.ndarray:
    """A column as an object array of Python strings (None for nulls)."""
    return np.asarray(table[column].cast(pa.string()).to_pylist(), dtype=object)


def minor(table: pa.Table, column: str) -> np.ndarray:
    """A decimal column in minor units (of the output scale, two decimals)."""
    return to_minor_units(table[column].combine_chunks())


def days(table: pa.Table, column: str) -> np.ndarray:
    return table[column].combine_chunks().cast(pa.int32()).to_numpy().astype(np.int64)


def first_lines(je: pa.Table) -> pa.Table:
    """One row per journal entry (its first line)."""
    return je.filter(pc.equal(je["line_number"], 1))


def sequence(document_ids: np.ndarray) -> np.ndarray:
    """The 10-digit number-range sequence of ``<company>-<year>-<sequence>`` ids."""
    return np.array([int(d.rsplit("-", 1)[1]) for d in document_ids], dtype=np.int64)


def business_mask(first: pa.Table) -> np.ndarray:
    """Entries that are neither the opening entry (OB) nor period-close entries."""
    opening = strings(first, "document_type") == "OB"
    close = sequence(strings(first, "document_id")) >= CLOSE_SEQUENCE
    return ~opening & ~close


def entry_lookup(je: pa.Table) -> dict[str, dict]:
    """Per journal entry id: its header fields and its lines (account, debit, credit)."""
    ids = strings(je, "document_id")
    ref_type, ref_id = strings(je, "reference_document_type"), strings(je, "reference_document_id")
    partner, account = strings(je, "partner_id"), strings(je, "gl_account")
    debit, credit = minor(je, "debit_amount"), minor(je, "credit_amount")
    out: dict[str, dict] = {}
    for i, doc in enumerate(ids):
        entry = out.get(doc)
        if entry is None:
            entry = out[doc] = {"reference_type": ref_type[i], "reference_id": ref_id[i],
                                "partner_id": partner[i], "lines": []}
        entry["lines"].append((account[i], int(debit[i]), int(credit[i])))
    return out


@functools.cache
def many_materials_run():
    """Six months of a retailer with a thousand materials per company: most sell a few
    units a month, so stock often runs down to what the month's first receipt brings."""
    return generate(transactions={"target_count": 4000}, master_data={"materials": 1000},
                    **{"global": {"seed": 2, "industry": "retail", "start_date": "2024-01-01",
                                  "period_months": 6, "group_currency": "USD"}})
