"""Business documents and their entries fall on working days, as in a real ERP extract.

The posting calendar (generators/calendar/posting_calendar.py) weighs a Saturday 0.08, a
Sunday 0.04 and a public holiday x0.05 against about 1 for a working day, so a few percent
of business activity at most lands on a weekend. The document flows move each day they draw
or compute to a working day of its month (CompanyBooks.working_day), keeping only that small
share, so the weekend share of every document type stays low. Before they did, days were
drawn uniformly and about 28 % of the entries of every type fell on a Saturday or Sunday.

Period-close entries (depreciation, close-phase accruals, tax provision, year-end close) post
on the period's last calendar day, weekend or not, as real closes do; they are not business
entries and are left out here.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from datasynth.config import Config
from datasynth.generators.master_data.terms import TERMS
from datasynth.runtime.orchestrator import GenerationOrchestrator
from datasynth.sinks.memory import MemoryStore
from tests.conftest import small_config_dict

WEEKEND_BOUND = 0.08       # per document type: a real extract has a few percent at most
EPOCH = dt.date(1970, 1, 1)
CLOSE_SEQUENCE = 9_000_000_000

RUNS = {
    # a whole year, US and German holidays, the default mix
    "year": dict(transactions={"target_count": 8000},
                 **{"global": {"seed": 21, "industry": "manufacturing",
                               "start_date": "2024-01-01", "period_months": 12,
                               "group_currency": "USD"}}),
    # a mid-month start on a Saturday, partial first and last months
    "mid_month": dict(transactions={"target_count": 3000},
                      **{"global": {"seed": 4, "industry": "retail",
                                    "start_date": "2024-06-15", "period_months": 5,
                                    "group_currency": "USD"}}),
}


@pytest.fixture(scope="module", params=sorted(RUNS))
def run(request):
    config = Config.from_dict(small_config_dict(**RUNS[request.param]))
    result = GenerationOrchestrator(config, memory=MemoryStore(), workers=1).run()
    return request.param, config, result


def _days(column) -> np.ndarray:
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return column.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)


def _strings(table: pa.Table, column: str) -> np.ndarray:
    return np.asarray(table[column].cast(pa.string()).to_pylist(), dtype=object)


def weekend(days: np.ndarray) -> np.ndarray:
    return (days + 3) % 7 >= 5                   # 1970-01-01 was a Thursday: Monday = 0


def business_entries(je: pa.Table) -> pa.Table:
    """One row per business entry: not the opening entry, not the period close (numbered
    from 9000000001 in each company and year)."""
    first = je.filter(pc.equal(je["line_number"], 1))
    sequence = np.array([int(d.rsplit("-", 1)[1]) for d in _strings(first, "document_id")])
    keep = (_strings(first, "document_type") != "OB") & (sequence < CLOSE_SEQUENCE)
    return first.filter(pa.array(keep))


def shares(kind: np.ndarray, days: np.ndarray) -> dict[str, tuple[int, float]]:
    return {k: (int((kind == k).sum()), float(weekend(days[kind == k]).mean()))
            for k in sorted(set(kind))}


def test_business_entries_of_every_type_fall_on_working_days(run):
    name, _, result = run
    entries = business_entries(result.table("journal_entries"))
    kind = _strings(entries, "document_type")
    posted = shares(kind, _days(entries["posting_date"]))
    dated = shares(kind, _days(entries["document_date"]))
    assert len(posted) >= 8, f"{name}: only document types {sorted(posted)}"
    high = {k: f"{share:.1%} of {n}" for k, (n, share) in posted.items()
            if share >= WEEKEND_BOUND}
    assert not high, f"{name}: weekend share of posting dates by document type: {high}"
    high = {k: f"{share:.1%} of {n}" for k, (n, share) in dated.items()
            if share >= WEEKEND_BOUND}
    assert not high, f"{name}: weekend share of document dates by document type: {high}"


def test_the_calendars_small_weekend_share_survives(run):
    """Not every weekend day is emptied: the calendar gives Saturdays and Sundays a little
    weight, and so the data (batch jobs, the odd person working on a Saturday)."""
    name, _, result = run
    entries = business_entries(result.table("journal_entries"))
    share = weekend(_days(entries["posting_date"])).mean()
    assert 0.002 < share < 0.05, f"{name}: {share:.2%} of business entries on a weekend"


DOCUMENT_DATES = (
    ("purchase_requisitions", "requisition_date"), ("purchase_requisitions", "approval_date"),
    ("purchase_orders", "order_date"), ("goods_receipts", "posting_date"),
    ("vendor_invoices", "invoice_date"), ("vendor_payments", "payment_date"),
    ("sales_orders", "order_date"), ("deliveries", "posting_date"),
    ("customer_invoices", "invoice_date"), ("customer_receipts", "receipt_date"),
    ("asset_acquisitions", "acquisition_date"),
)


def test_documents_are_dated_on_working_days(run):
    name, _, result = run
    high = {}
    for table, column in DOCUMENT_DATES:
        days = _days(result.table(table)[column])
        assert len(days), f"{name}: no {table}"
        share = weekend(days).mean()
        if share >= WEEKEND_BOUND:
            high[f"{table}.{column}"] = f"{share:.1%} of {len(days)}"
    assert not high, f"{name}: weekend share of document dates: {high}"


def test_cash_discounts_only_when_paid_by_the_discount_date(run):
    """Moving a payment to a working day must not carry it past the discount date: a
    payment that takes the discount moves back to the working day before."""
    name, _, result = run
    vp, vi = result.table("vendor_payments"), result.table("vendor_invoices")
    discount_date = dict(zip(_strings(vi, "invoice_id"), vi["discount_date"].to_pylist()))
    taken = pc.greater(vp["discount_amount"], 0).to_numpy(zero_copy_only=False)
    late = [(p, i) for p, i, when in zip(_strings(vp, "payment_id")[taken],
                                         _strings(vp, "invoice_id")[taken],
                                         np.asarray(vp["payment_date"].to_pylist())[taken])
            if discount_date[i] is None or when > discount_date[i]]
    assert taken.sum() > 0, f"{name}: no vendor discount taken"
    assert not late, f"{name}: vendor discounts taken after the discount date: {late[:5]}"

    cr, ci = result.table("customer_receipts"), result.table("customer_invoices")
    customers = result.table("customers")
    days_of = {c: TERMS[t].discount_days if t in TERMS else 0 for c, t in zip(
        _strings(customers, "customer_id"), _strings(customers, "payment_terms"))}
    invoiced = dict(zip(_strings(ci, "invoice_id"), _days(ci["invoice_date"])))
    taken = pc.greater(cr["discount_amount"], 0).to_numpy(zero_copy_only=False)
    late = [r for r, i, c, when in zip(_strings(cr, "receipt_id")[taken],
                                       _strings(cr, "invoice_id")[taken],
                                       _strings(cr, "customer_id")[taken],
                                       _days(cr["receipt_date"])[taken])
            if when - invoiced[i] > days_of[c]]
    if name == "year":     # a retailer's customers (mid_month) are rarely offered one
        assert taken.sum() > 0, f"{name}: no customer discount taken"
    assert not late, f"{name}: customer discounts taken after the discount days: {late[:5]}"
