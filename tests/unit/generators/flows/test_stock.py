"""Stock in seeded runs (flows.stock_plan with the O2C and P2P flows): goods receipts and
deliveries replayed per material from the opening stock never take it below zero, agree with
the inventory subledger at every month end, and the fast movers' stock moves."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from tests.unit.generators.flows.runs import (
    days,
    first_lines,
    many_materials_run,
    minor,
    returns_run,
    strings,
)

EPOCH = dt.date(1970, 1, 1)
RUNS = {"returns": returns_run, "many_materials": many_materials_run}


class Stock:
    """Movements of a run per (company, material), the opening stock and month-end
    positions."""

    def __init__(self, config, result) -> None:
        je = first_lines(result.table("journal_entries"))
        created = dict(zip(strings(je, "document_id"),
                           je["created_at"].cast(pa.int64()).to_numpy() // 1_000_000))
        self.moves: dict[tuple[str, str], list[tuple[int, int, int]]] = defaultdict(list)
        gr, dl = result.table("goods_receipts"), result.table("deliveries")
        for table, sign in ((gr, 1), (dl, -1)):   # a return has a negative quantity: +stock
            for co, mat, q, day, entry in zip(
                    strings(table, "company_code"), strings(table, "material_id"),
                    table["quantity"].to_numpy(), days(table, "posting_date"),
                    strings(table, "journal_entry_id")):
                assert created[entry] // 86_400 == day, f"{entry} created on another day"
                self.moves[(co, mat)].append((int(day), int(created[entry]), sign * int(q)))
        inv = result.table("inventory_positions")
        self.months = sorted({(y, p) for y, p in zip(inv["fiscal_year"].to_pylist(),
                                                    inv["fiscal_period"].to_pylist())})
        start = config.global_.start_date
        expected = [((start.year * 12 + start.month - 1 + k) // 12,
                     (start.month - 1 + k) % 12 + 1)
                    for k in range(config.global_.period_months)]
        assert self.months == expected, f"positions for months {self.months}"
        self.position = defaultdict(int)
        for co, mat, y, p, q in zip(strings(inv, "company_code"), strings(inv, "material_id"),
                                    inv["fiscal_year"].to_pylist(),
                                    inv["fiscal_period"].to_pylist(), inv["quantity"].to_numpy()):
            self.position[(co, mat, y, p)] = int(q)
        self.keys = set(self.moves) | {k[:2] for k in self.position}
        # opening = first month-end position less the first month's movements
        y, p = self.months[0]
        self.opening = {k: self.position[(*k, y, p)] - sum(
            q for d, _, q in self.moves.get(k, ()) if self.month(d) == (y, p))
            for k in self.keys}

    @staticmethod
    def month(day: int) -> tuple[int, int]:
        d = EPOCH + dt.timedelta(days=day)
        return d.year, d.month


@pytest.fixture(scope="module", params=sorted(RUNS))
def stock(request):
    config, result = RUNS[request.param]()
    return request.param, Stock(config, result), result


def test_opening_stock_is_what_the_opening_entry_carries(stock):
    name, s, result = stock
    low = {k: v for k, v in s.opening.items() if v < 0}
    assert not low, f"{name}: negative opening stock {list(low.items())[:5]}"
    mats = result.table("materials")
    cost = dict(zip(zip(strings(mats, "company_code"), strings(mats, "material_id")),
                    minor(mats, "standard_cost")))
    inventory_accounts = set(strings(mats, "inventory_account"))
    je = result.table("journal_entries")
    ob = je.filter(pc.equal(je["document_type"].cast(pa.string()), "OB"))
    booked = defaultdict(int)
    for co, account, debit, credit in zip(strings(ob, "company_code"), strings(ob, "gl_account"),
                                          minor(ob, "debit_amount"), minor(ob, "credit_amount")):
        if account in inventory_accounts:
            booked[co] += int(debit) - int(credit)
    valued = defaultdict(int)
    for (co, mat), q in s.opening.items():
        valued[co] += q * int(cost[(co, mat)])
    assert dict(valued) == dict(booked), \
        f"{name}: opening stock at standard cost {dict(valued)} != opening entry {dict(booked)}"


def replay(s: Stock, order) -> list:
    """Running stock per material in the given movement order; the first few shortfalls."""
    short = []
    for key in sorted(s.keys):
        level = s.opening[key]
        for day, at, q in sorted(s.moves.get(key, ()), key=order):
            level += q
            if level < 0:
                short.append((key, str(EPOCH + dt.timedelta(days=day)), at % 86_400 // 3600,
                              level))
    return short


def test_stock_never_negative_on_any_day(stock):
    """Same-day receipts (and returns) before deliveries, as the stock plan intends."""
    name, s, _ = stock
    short = replay(s, lambda m: (m[0], m[2] < 0, m[1]))
    assert not short, f"{name}: stock below zero ((company, material), day, hour, level): " \
                      f"{short[:5]}"


@pytest.mark.parametrize("name", [
    "returns",
    "many_materials",
])
def test_stock_never_negative_at_posting_time(name):
    """Movements in the order of their journal entries' created_at timestamps."""
    config, result = RUNS[name]()
    s = Stock(config, result)
    short = replay(s, lambda m: (m[1], m[2] < 0))
    assert not short, f"{name}: stock below zero ((company, material), day, hour, level): " \
                      f"{short[:5]}"


def test_month_end_positions_are_the_replayed_stock(stock):
    name, s, _ = stock
    wrong = []
    for key in s.keys:
        level = s.opening[key]
        by_month = defaultdict(int)
        for day, _, q in s.moves.get(key, ()):
            by_month[s.month(day)] += q
        for y, p in s.months:
            level += by_month[(y, p)]
            if level != s.position[(*key, y, p)]:
                wrong.append((key, (y, p), level, s.position[(*key, y, p)]))
    assert not wrong, f"{name}: (material, month, replayed, position) {wrong[:5]}"


def test_fast_movers_stock_moves_from_month_to_month(stock):
    """Fast movers: the materials delivered most often (not one big order of a slow one)."""
    name, s, _ = stock
    deliveries = {k: sum(q < 0 for _, _, q in moves) for k, moves in s.moves.items()}
    for co in sorted({k[0] for k in s.keys}):
        fast = sorted((k for k in deliveries if k[0] == co), key=lambda k: -deliveries[k])[:3]
        assert min(deliveries[k] for k in fast) >= 4, \
            f"{name}: {co} has no fast movers {[(k, deliveries[k]) for k in fast]}"
        for key in fast:
            levels = [s.position[(*key, y, p)] for y, p in s.months]
            assert len(set(levels)) > 1, f"{name}: fast mover {key} stock frozen at {levels}"
            assert min(levels) > 0, f"{name}: fast mover {key} ran out at a month end {levels}"
