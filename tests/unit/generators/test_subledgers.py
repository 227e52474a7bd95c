"""Subledger snapshots (AR/AP open items with aging, inventory positions), tested on small
hand-built document tables, plus the phase wiring on a fake shard context."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from datasynth.config import Config
from datasynth.errors import GenerationError
from datasynth.generators.ledger.inventory import inventory_positions
from datasynth.generators.ledger.open_items import (
    CLEARING_COLUMNS,
    INVOICE_COLUMNS,
    ap_open_items,
    ar_open_items,
    open_segments,
)
from datasynth.generators.ledger.subledgers import PeriodGrid, company_rows
from datasynth.phases.subledgers import SubledgersPhase
from datasynth.runtime.phase import ShardContext
from datasynth.schemas import documents as docs
from datasynth.schemas import ledgers
from datasynth.schemas.master_data import MATERIALS
from tests.conftest import small_config_dict

GRID = PeriodGrid.from_start(dt.date(2024, 1, 1), 6)       # Jan .. Jun 2024
D = dt.date


def build(spec, rows: list[dict]) -> pa.Table:
    """A table of ``spec`` from partial rows: what a test leaves out gets a neutral value;
    fiscal year and period follow from the row's first date when not given."""
    full = []
    for row in rows:
        row = dict(row)
        day = next((row[k] for k in ("invoice_date", "receipt_date", "payment_date",
                                     "posting_date") if k in row), None)
        if day is not None:
            row.setdefault("fiscal_year", day.year)
            row.setdefault("fiscal_period", day.month)
        out = {}
        for field in spec.schema:
            if field.name in row:
                value = row[field.name]
                out[field.name] = Decimal(str(value)) if pa.types.is_decimal(field.type) \
                    else value
            elif pa.types.is_decimal(field.type):
                out[field.name] = Decimal(0)
            elif pa.types.is_date(field.type):
                out[field.name] = day or D(2024, 1, 1)
            elif pa.types.is_boolean(field.type):
                out[field.name] = False
            elif pa.types.is_integer(field.type) or pa.types.is_floating(field.type):
                out[field.name] = 0
            else:
                out[field.name] = "1000" if field.name == "company_code" else "x"
        full.append(out)
    return pa.Table.from_pylist(full, schema=spec.schema)


def ar(invoices: list[dict], receipts: list[dict], grid: PeriodGrid = GRID) -> pa.Table:
    inv = company_rows(build(docs.CUSTOMER_INVOICES, invoices), "1000",
                       INVOICE_COLUMNS + ("customer_id",))
    rec = company_rows(build(docs.CUSTOMER_RECEIPTS, receipts), "1000", CLEARING_COLUMNS)
    return pa.concat_tables([ledgers.AR_OPEN_ITEMS.schema.empty_table(),
                             *ar_open_items("1000", grid, inv, rec)])


def by_period(table: pa.Table) -> dict[int, dict[str, tuple]]:
    """{period: {invoice: (open amount, days past due, bucket)}}."""
    out: dict[int, dict[str, tuple]] = {}
    for r in table.to_pylist():
        out.setdefault(r["fiscal_period"], {})[r["invoice_id"]] = (
            r["open_amount"], r["days_past_due"], r["aging_bucket"])
    return out


def inv(id_, day, gross, due, **extra) -> dict:
    return {"invoice_id": id_, "invoice_date": day, "due_date": due, "gross_amount": gross,
            "control_account": "1200", "customer_id": "C1", **extra}


def rec(id_, invoice, day, cleared, kind="payment", **extra) -> dict:
    return {"receipt_id": id_, "invoice_id": invoice, "receipt_date": day,
            "cleared_amount": cleared, "receipt_type": kind, **extra}


def test_ar_open_amounts_partial_payments_credit_memo_write_off_and_opening_item():
    table = ar(
        [inv("INV-4", D(2024, 3, 5), "250.00", D(2024, 4, 4)),
         inv("OPEN-1", D(2023, 11, 20), "1000.00", D(2023, 12, 31), is_opening=True,
             fiscal_year=2024, fiscal_period=1),
         inv("INV-2", D(2024, 1, 15), "500.00", D(2024, 1, 31)),
         inv("CM-3", D(2024, 2, 10), "-120.00", D(2024, 2, 10), invoice_type="credit_memo"),
         inv("LATE", D(2024, 7, 1), "99.00", D(2024, 7, 31)),          # after the run
         inv("OTHER", D(2024, 1, 2), "7.00", D(2024, 1, 2), company_code="2000")],
        [rec("R1", "OPEN-1", D(2024, 2, 3), "400.00"),
         rec("R2", "OPEN-1", D(2024, 4, 9), "600.00"),
         rec("R3", "INV-2", D(2024, 3, 1), "200.00"),
         rec("W1", "INV-2", D(2024, 3, 30), "300.00", "bad_debt_write_off"),
         rec("R4", "CM-3", D(2024, 5, 2), "-120.00"),
         rec("R5", "INV-4", D(2024, 7, 3), "250.00"),                  # after the run
         rec("R6", "OTHER", D(2024, 1, 9), "7.00", company_code="2000")])
    snap = by_period(table)
    amounts = {p: {k: v[0] for k, v in items.items()} for p, items in snap.items()}
    assert amounts == {
        1: {"INV-2": Decimal("500.00"), "OPEN-1": Decimal("1000.00")},
        2: {"CM-3": Decimal("-120.00"), "INV-2": Decimal("500.00"),
            "OPEN-1": Decimal("600.00")},
        3: {"CM-3": Decimal("-120.00"), "INV-4": Decimal("250.00"),
            "OPEN-1": Decimal("600.00")},
        4: {"CM-3": Decimal("-120.00"), "INV-4": Decimal("250.00")},
        5: {"INV-4": Decimal("250.00")},
        6: {"INV-4": Decimal("250.00")}}
    # Aging at each period end: OPEN-1 was due 2023-12-31, INV-2 due on Jan 31 (current).
    assert snap[1]["OPEN-1"][1:] == (31, "31-60")
    assert snap[1]["INV-2"][1:] == (0, "current")
    assert snap[2]["INV-2"][1:] == (29, "1-30")
    assert snap[3]["INV-4"][1:] == (0, "current")
    assert snap[6]["INV-4"][1:] == (87, "61-90")
    # Deterministic order: period, then invoice id; all rows of the one company.
    keys = list(zip(table["fiscal_period"].to_pylist(), table["invoice_id"].to_pylist()))
    assert keys == sorted(keys)
    assert set(table["company_code"].to_pylist()) == {"1000"}
    assert set(table["control_account"].to_pylist()) == {"1200"}
    assert set(table["fiscal_year"].to_pylist()) == {2024}
    assert table.schema.equals(ledgers.AR_OPEN_ITEMS.schema)


@pytest.mark.parametrize("days_late, bucket", [
    (-15, "current"), (0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"),
    (60, "31-60"), (61, "61-90"), (90, "61-90"), (91, "90+"), (400, "90+")])
def test_aging_buckets_at_their_boundaries(days_late, bucket):
    due = D(2024, 1, 31) - dt.timedelta(days=days_late)
    table = ar([inv("I", D(2023, 9, 1), "10.00", due, fiscal_year=2024, fiscal_period=1)], [],
               PeriodGrid.from_start(dt.date(2024, 1, 1), 1))
    assert by_period(table) == {1: {"I": (Decimal("10.00"), max(days_late, 0), bucket)}}


def test_period_grid_covers_every_month_of_the_run():
    assert (GRID.count, GRID.years.tolist(), GRID.periods.tolist()) == (
        6, [2024] * 6, [1, 2, 3, 4, 5, 6])
    ends = GRID.end_days.astype("datetime64[D]").astype(object).tolist()
    assert ends == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30),
                    D(2024, 5, 31), D(2024, 6, 30)]
    # A mid-month start ends mid-month: 2024-07-15 .. 2025-07-14 touches 13 months.
    mid = PeriodGrid.from_start(D(2024, 7, 15), 12)
    assert (mid.count, mid.years[[0, -1]].tolist(), mid.periods[[0, -1]].tolist()) == (
        13, [2024, 2025], [7, 7])
    assert mid.index(np.array([2024, 2025, 2025]), np.array([6, 1, 8])).tolist() == [-1, 6, 13]
    assert PeriodGrid.from_start(D(2024, 12, 1), 1).end_days.astype("datetime64[D]").astype(
        object).tolist() == [D(2024, 12, 31)]


def test_ap_open_items_are_positive_and_disappear_when_paid():
    vendor = {"vendor_id": "V1", "control_account": "2000"}
    invoices = build(docs.VENDOR_INVOICES, [
        {"invoice_id": "VI-1", "invoice_date": D(2024, 1, 10), "due_date": D(2024, 2, 15),
         "gross_amount": "800.00", **vendor},
        {"invoice_id": "VI-2", "invoice_date": D(2024, 2, 1), "due_date": D(2024, 3, 1),
         "gross_amount": "50.00", **vendor}])
    payments = build(docs.VENDOR_PAYMENTS, [
        {"payment_id": "P1", "invoice_id": "VI-1", "payment_date": D(2024, 2, 20),
         "cleared_amount": "300.00"},
        {"payment_id": "P2", "invoice_id": "VI-1", "payment_date": D(2024, 3, 20),
         "cleared_amount": "500.00"},
        {"payment_id": "P3", "invoice_id": "VI-2", "payment_date": D(2024, 2, 25),
         "cleared_amount": "50.00"}])
    table = pa.concat_tables(list(ap_open_items(
        "1000", GRID, company_rows(invoices, "1000", INVOICE_COLUMNS + ("vendor_id",)),
        company_rows(payments, "1000", CLEARING_COLUMNS))))
    assert table.schema.equals(ledgers.AP_OPEN_ITEMS.schema)
    assert by_period(table) == {1: {"VI-1": (Decimal("800.00"), 0, "current")},
                                2: {"VI-1": (Decimal("500.00"), 14, "1-30")}}
    assert set(table["vendor_id"].to_pylist()) == {"V1"}


def test_unknown_and_duplicate_invoices_are_refused():
    with pytest.raises(GenerationError, match="unknown 'NOPE'"):
        ar([inv("I", D(2024, 1, 1), "1.00", D(2024, 1, 1))],
           [rec("R", "NOPE", D(2024, 1, 2), "1.00")])
    with pytest.raises(GenerationError, match="duplicate invoice_id 'I'"):
        ar([inv("I", D(2024, 1, 1), "1.00", D(2024, 1, 1))] * 2, [])


def test_empty_inputs_give_no_rows():
    assert ar([], []).num_rows == 0
    assert list(inventory_positions("1000", GRID, *materials_and_movements([], [], [], []))) == []


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 8), st.lists(st.tuples(st.integers(-2, 9), st.integers(-50, 50)),
                                   max_size=12),
       st.lists(st.tuples(st.integers(0, 11), st.integers(-3, 11), st.integers(-30, 30)),
                max_size=40))
def test_open_segments_match_a_brute_force_snapshot(periods, items, clearings):
    gross = np.array([g for _, g in items], dtype=np.int64)
    posted = np.array([p for p, _ in items], dtype=np.int64)
    clearings = [c for c in clearings if c[0] < len(items)]
    item = np.array([c[0] for c in clearings], dtype=np.int64)
    when = np.array([c[1] for c in clearings], dtype=np.int64)
    cleared = np.array([c[2] for c in clearings], dtype=np.int64)
    seg = open_segments(gross, posted, item, when, cleared, periods)
    for p in range(periods):
        expected = {i: int(gross[i] - cleared[(item == i) & (when <= p)].sum())
                    for i in range(len(gross)) if posted[i] <= p}
        expected = {i: a for i, a in expected.items() if a != 0}
        rows = (seg.start <= p) & (seg.stop > p)
        assert dict(zip(seg.item[rows].tolist(), seg.amount[rows].tolist())) == expected
        assert np.all(np.diff(seg.item[rows]) > 0)


# -- inventory -----------------------------------------------------------------------------

def materials_and_movements(materials, opening, receipts, deliveries):
    mats = build(MATERIALS, [{"material_id": m, "standard_cost": c, "inventory_account": a}
                             for m, c, a in materials])
    opening_rows = build(ledgers.OPENING_ITEMS, [
        {"kind": k, "item_id": m, "quantity": q} for k, m, q in opening])
    grs = build(docs.GOODS_RECEIPTS, [
        {"goods_receipt_id": f"GR{i}", "material_id": m, "posting_date": d, "quantity": q}
        for i, (m, d, q) in enumerate(receipts)])
    dels = build(docs.DELIVERIES, [
        {"delivery_id": f"DL{i}", "material_id": m, "posting_date": d, "quantity": q}
        for i, (m, d, q) in enumerate(deliveries)])
    return (company_rows(mats, "1000", ("material_id", "standard_cost", "inventory_account")),
            company_rows(opening_rows, "1000", ("kind", "item_id", "quantity")),
            *(company_rows(t, "1000", ("material_id", "fiscal_year", "fiscal_period",
                                       "quantity")) for t in (grs, dels)))


def inventory(*args) -> pa.Table:
    empty = ledgers.INVENTORY_POSITIONS.schema.empty_table()
    return pa.concat_tables([empty, *inventory_positions(
        "1000", GRID, *materials_and_movements(*args))])


def test_inventory_positions_follow_receipts_issues_and_returns():
    table = inventory(
        [("M2", "10.00", "1410"), ("M1", "2.50", "1400"), ("M3", "1.00", "1400")],
        [("inventory", "M1", 10), ("ar", "INV-9", 0)],
        [("M1", D(2024, 2, 3), 5), ("M2", D(2024, 1, 20), 3), ("M1", D(2024, 8, 1), 50)],
        [("M1", D(2024, 3, 9), 12), ("M1", D(2024, 4, 2), -2),      # a return adds stock
         ("M2", D(2024, 2, 1), 3)])
    rows = [(r["fiscal_period"], r["material_id"], r["quantity"], r["unit_cost"], r["value"],
             r["inventory_account"]) for r in table.to_pylist()]
    m1 = lambda p, q: (p, "M1", q, Decimal("2.50"), Decimal("2.50") * q, "1400")
    assert rows == [m1(1, 10), (1, "M2", 3, Decimal("10.00"), Decimal("30.00"), "1410"),
                    m1(2, 15), m1(3, 3), m1(4, 5), m1(5, 5), m1(6, 5)]
    assert table.schema.equals(ledgers.INVENTORY_POSITIONS.schema)


def test_negative_stock_is_refused():
    with pytest.raises(GenerationError, match="M1 has negative stock"):
        inventory([("M1", "1.00", "1400")], [("inventory", "M1", 2)],
                  [("M1", D(2024, 3, 1), 5)], [("M1", D(2024, 2, 1), 3)])
    with pytest.raises(GenerationError, match="unknown 'M9'"):
        inventory([("M1", "1.00", "1400")], [], [("M9", D(2024, 1, 1), 1)], [])


# -- the phase -----------------------------------------------------------------------------

def test_phase_filters_companies_and_reads_multi_chunk_dictionaries():
    flows = {"document_flows": {"enabled": True}}
    config = Config.from_dict(small_config_dict(**flows))
    phase = SubledgersPhase()
    assert phase.enabled(config)
    assert [s.key for s in phase.shards(config)] == ["1000", "2000"]
    assert not phase.enabled(Config.from_dict(small_config_dict(
        **flows, subledgers={"enabled": False})))
    assert not phase.enabled(Config.from_dict(small_config_dict(
        document_flows={"enabled": False})))
    invoices = pa.concat_tables([   # two parts, each with its own dictionaries
        # documents carry their transaction currency: here each company's own
        build(docs.CUSTOMER_INVOICES, [inv("A", D(2024, 1, 5), "10.00", D(2024, 2, 5),
                                           transaction_currency="USD",
                                           transaction_gross_amount="10.00")]),
        build(docs.CUSTOMER_INVOICES, [inv("B", D(2024, 1, 5), "20.00", D(2024, 2, 5),
                                           company_code="2000", control_account="1210",
                                           transaction_currency="EUR",
                                           transaction_gross_amount="20.00")])])
    tables = {"customer_invoices": invoices,
              "customer_receipts": build(docs.CUSTOMER_RECEIPTS, []),
              "vendor_invoices": build(docs.VENDOR_INVOICES, []),
              "vendor_payments": build(docs.VENDOR_PAYMENTS, []),
              "materials": build(MATERIALS, [{"material_id": "M1", "standard_cost": "1.00",
                                              "inventory_account": "1400"}]),
              "opening_items": build(ledgers.OPENING_ITEMS, [
                  {"kind": "inventory", "item_id": "M1", "quantity": 4}]),
              "goods_receipts": build(docs.GOODS_RECEIPTS, []),
              "deliveries": build(docs.DELIVERIES, [])}
    out: dict[str, list] = {}
    for shard in phase.shards(config):
        ctx = ShardContext(config, phase.name, shard, tables.__getitem__, {})
        for batch in phase.run_shard(ctx):
            out.setdefault(batch.table, []).append(batch.data)
    ar_rows = pa.concat_tables(out["ar_open_items"])
    assert ar_rows.num_rows == 6      # one invoice per company, 3 periods each
    assert set(zip(ar_rows["company_code"].to_pylist(), ar_rows["invoice_id"].to_pylist(),
                   ar_rows["control_account"].to_pylist())) == {("1000", "A", "1200"),
                                                               ("2000", "B", "1210")}
    assert "ap_open_items" not in out
    assert pa.concat_tables(out["inventory_positions"])["quantity"].to_pylist() == [4, 4, 4]
