"""Trial balances from ledger activity, alone and after the period close, and both phases
wired through a ShardContext on the hand-built books of ``close_books``."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from datasynth.config import Config
from datasynth.errors import GenerationError
from datasynth.generators.ledger.close import run_months
from datasynth.generators.ledger.journal import activity
from datasynth.generators.ledger.trial_balance import trial_balance
from datasynth.money import to_minor_units
from datasynth.phases.period_close import PeriodClosePhase
from datasynth.phases.trial_balances import TrialBalancesPhase
from datasynth.runtime.phase import ShardContext
from datasynth.schemas.ledgers import FIXED_ASSET_BALANCES, TRIAL_BALANCES
from tests.conftest import small_config_dict
from tests.unit.generators.close_books import MONTHS, Books, day

FIRST_MONTH = (2024 - 1970) * 12


def grid(tb: pa.Table) -> dict[str, np.ndarray]:
    out = {c: to_minor_units(tb[c].combine_chunks())
           for c in ("opening_balance", "debit", "credit", "closing_balance")}
    out["period"] = tb["fiscal_year"].to_numpy().astype(int) * 100 + tb["fiscal_period"].to_numpy()
    out["account"] = np.asarray(tb["gl_account"].cast(pa.string()).to_pylist(), dtype=object)
    out["type"] = np.asarray(tb["account_type"].cast(pa.string()).to_pylist(), dtype=object)
    return out


def check_trial_balance(tb: pa.Table, months: int) -> dict[str, np.ndarray]:
    g = grid(tb)
    periods = np.unique(g["period"])
    assert len(periods) == months
    assert np.array_equal(g["opening_balance"] + g["debit"] - g["credit"], g["closing_balance"])
    accounts = set(g["account"])
    for i, p in enumerate(periods):
        rows = g["period"] == p
        assert set(g["account"][rows]) == accounts and rows.sum() == len(accounts)
        assert g["closing_balance"][rows].sum() == 0 and g["opening_balance"][rows].sum() == 0
        assert g["debit"][rows].sum() == g["credit"][rows].sum()
        if i:
            before = g["period"] == periods[i - 1]
            assert np.array_equal(g["opening_balance"][rows], g["closing_balance"][before])
    return g


@pytest.fixture(scope="module")
def books() -> Books:
    return Books(skip_month=4)


def test_business_activity_alone(books):
    tb = trial_balance(books.activity, "1000", books.chart, FIRST_MONTH, MONTHS, 2)
    assert tb.schema.equals(TRIAL_BALANCES.schema)
    g = check_trial_balance(tb, MONTHS)
    first = g["period"] == 202401
    # the opening entry is the balance brought forward, not January's activity
    opening = dict(zip(g["account"][first], g["opening_balance"][first]))
    assert opening["100000"] == 5_000_000_00 and opening["300000"] == -4_000_000_00
    assert opening["400000"] == 0
    jan_cash_debit = g["debit"][first & (g["account"] == "100000")]
    assert jan_cash_debit[0] == 0
    # May 2024 has no postings at all, yet every account has its row, carried forward
    may = g["period"] == 202405
    assert may.sum() == first.sum()
    assert (g["debit"][may] == 0).all() and (g["credit"][may] == 0).all()
    assert np.array_equal(g["opening_balance"][may], g["closing_balance"][may])
    # without a year-end close, revenue keeps its cumulative balance
    dec = (g["period"] == 202412) & (g["account"] == "400000")
    assert g["closing_balance"][dec][0] < 0
    assert set(zip(g["account"], g["type"])) >= {("100000", "asset"), ("400000", "revenue"),
                                                 ("300000", "equity"), ("200000", "liability")}


def test_after_the_close_nominal_accounts_are_zero_in_december(books):
    closed = books.close()
    all_activity = pa.concat_tables([books.activity, closed.activity]).unify_dictionaries()
    tb = trial_balance(all_activity, "1000", books.chart, FIRST_MONTH, MONTHS, 2)
    g = check_trial_balance(tb, MONTHS)
    nominal = np.isin(g["type"], ("revenue", "expense"))
    dec, jan = g["period"] == 202412, g["period"] == 202501
    assert (g["closing_balance"][dec & nominal] == 0).all()
    assert (g["opening_balance"][jan & nominal] == 0).all()
    assert (g["closing_balance"][(g["period"] == 202411) & nominal] != 0).any()
    # depreciation posts in May although the business was idle
    may = (g["period"] == 202405) & (g["account"] == "780000")
    assert g["debit"][may][0] > 0
    # accumulated depreciation in the ledger moves exactly as in the subledger
    fab = closed.balances
    charge = to_minor_units(fab["depreciation_for_period"].combine_chunks())
    contra = np.char.startswith(g["account"].astype(str), "159") | \
        np.char.startswith(g["account"].astype(str), "179")
    for period in (202403, 202412, 202503):
        p = g["period"] == period
        fp = (fab["fiscal_year"].to_numpy().astype(int) * 100
              + fab["fiscal_period"].to_numpy()) == period
        assert g["credit"][p & contra].sum() == charge[fp].sum()


def test_a_small_example_by_hand():
    books = Books(months=2, acquisitions=False)
    ledger, chart = books.ledger, books.chart
    rows = pa.concat_tables([
        activity(ledger, "opening", np.array([day(dt.date(2024, 1, 1))] * 2),
                 np.array([chart.of("100000"), chart.of("300000")]),
                 np.array([1000, 0]), np.array([0, 1000])),
        activity(ledger, "business", np.array([day(dt.date(2024, 2, 3))] * 2),
                 np.array([chart.of("100000"), chart.of("400000")]),
                 np.array([250, 0]), np.array([0, 250])),
    ]).unify_dictionaries()
    tb = trial_balance(rows, "1000", chart, FIRST_MONTH, 3, 0)        # JPY: no decimals
    got = {(r["fiscal_period"], r["gl_account"]): (r["opening_balance"], r["debit"],
                                                   r["credit"], r["closing_balance"])
           for r in tb.to_pylist()}
    assert len(got) == 9
    assert [float(v) for v in got[(1, "100000")]] == [1000, 0, 0, 1000]
    assert [float(v) for v in got[(2, "100000")]] == [1000, 250, 0, 1250]
    assert [float(v) for v in got[(3, "400000")]] == [-250, 0, 0, -250]
    assert [float(v) for v in got[(1, "400000")]] == [0, 0, 0, 0]
    assert trial_balance(rows, "2000", chart, FIRST_MONTH, 3, 2).num_rows == 0


def test_activity_outside_the_run_is_refused(books):
    with pytest.raises(GenerationError, match="outside"):
        trial_balance(books.activity, "1000", books.chart, FIRST_MONTH, 3, 2)


def test_both_phases_wired_through_a_shard_context(books):
    config = Config.from_dict(small_config_dict(**{"global": {"period_months": MONTHS}},
                                                document_flows={"enabled": True},
                                                companies=[{"code": "1000", "name": "Alpha Inc.",
                                                            "currency": "USD", "country": "US"}]))
    tables = {"accounts": books.accounts, "employees": books.employees,
              "cost_centers": books.centers, "fixed_assets": books.assets,
              "asset_acquisitions": books.acquisitions, "ledger_activity": books.activity}
    close = PeriodClosePhase()
    assert close.enabled(config) and len(close.shards(config)) == 1
    assert not close.enabled(config.replace(period_close={"enabled": False}))
    out: dict[str, list] = {}
    for phase in (close, TrialBalancesPhase()):
        ctx = ShardContext(config, phase.name, phase.shards(config)[0], tables.__getitem__, {})
        for table, batch in phase.run_shard(ctx):
            out.setdefault(table, []).append(batch)
            if table == "ledger_activity":
                tables[table] = pa.concat_tables([tables[table], batch]).unify_dictionaries()
    assert set(out) == {"journal_entries", "ledger_activity", "fixed_asset_balances",
                        "trial_balances"}
    assert out["fixed_asset_balances"][0].schema.equals(FIXED_ASSET_BALANCES.schema)
    tb = out["trial_balances"][0]
    g = check_trial_balance(tb, MONTHS)
    nominal = np.isin(g["type"], ("revenue", "expense"))
    assert (g["closing_balance"][(g["period"] == 202412) & nominal] == 0).all()
    je = pa.Table.from_batches(out["journal_entries"])
    assert pc.all(pc.equal(je["currency"].cast(pa.string()), "USD")).as_py()
    assert run_months(day(dt.date(2024, 1, 15)), day(dt.date(2024, 4, 15))) == (FIRST_MONTH, 4)
