"""The period close on the hand-built books of ``close_books``: depreciation, accruals, tax
provision and year-end close, each checked against figures computed independently."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from datasynth.generators.ledger import depreciation as dep
from datasynth.generators.ledger.close import (
    activity_matrix,
    asset_register,
    run_months,
)
from datasynth.generators.ledger.close_entries import tax_provision
from datasynth.money import to_minor_units
from tests.unit.generators.close_books import (
    EPOCH,
    MONTHS,
    RATE_BP,
    START,
    Books,
    day,
    je_frame,
    net_by_account,
)


@pytest.fixture(scope="module")
def books() -> Books:
    return Books()


@pytest.fixture(scope="module")
def closed(books):
    return books.close()


def test_every_close_entry_balances_and_uses_one_side_per_line(closed):
    je = je_frame(closed.journal)
    assert len(je["debit"]) > 0
    assert ((je["debit"] > 0) ^ (je["credit"] > 0)).all()
    ids, inverse = np.unique(je["document_id"], return_inverse=True)
    net = np.zeros(len(ids), dtype=np.int64)
    np.add.at(net, inverse, je["debit"] - je["credit"])
    assert (net == 0).all()
    # every entry posts in its own fiscal period, on a day of the run
    assert (je["posting"] >= day(START)).all() and (je["posting"] < day(dt.date(2025, 4, 1))).all()


def test_entry_ids_run_per_year_in_their_own_range_created_by_the_batch_user(books, closed):
    je = je_frame(closed.journal)
    ids = list(dict.fromkeys(je["document_id"]))           # entries in posting order
    for year in (2024, 2025):
        mine = [i for i in ids if i.startswith(f"1000-{year}-")]
        assert [int(i.split("-")[-1]) for i in mine] == \
            list(range(9_000_000_001, 9_000_000_001 + len(mine)))
    batch = books.employees.filter(pc.equal(books.employees["user_name"], "BATCH01"))
    assert set(je["created_by"]) == {batch["employee_id"][0].as_py()}
    first_day = {i: p for i, p in zip(je["document_id"], je["posting"])}
    assert [first_day[i] for i in ids] == sorted(first_day[i] for i in ids)


def test_subledger_accumulated_depreciation_follows_the_rule(books, closed):
    fab = closed.balances
    register = asset_register([books.assets, books.acquisitions], books.ledger, books.chart)
    acc = to_minor_units(fab["accumulated_depreciation"].combine_chunks())
    cost = to_minor_units(fab["acquisition_cost"].combine_chunks())
    nbv = to_minor_units(fab["net_book_value"].combine_chunks())
    assert (nbv == cost - acc).all() and (acc >= 0).all()
    ids = register.asset_id.to_pylist()
    where = {a: i for i, a in enumerate(ids)}
    asset = np.array([where[a] for a in fab["asset_id"].to_pylist()])
    month = (fab["fiscal_year"].to_numpy().astype(int) - 1970) * 12 + \
        fab["fiscal_period"].to_numpy() - 1
    for m in np.unique(month):
        rows = month == m
        expected = dep.accumulated(register.cost, register.salvage, register.life,
                                   register.acquired, int(m))[asset[rows]]
        assert np.array_equal(acc[rows], expected)
    # an asset appears from the period it is acquired in, not before
    machine = fab.filter(pc.equal(fab["asset_id"], "FA-1000-900001"))
    assert machine["fiscal_period"][0].as_py() == 3 and machine.num_rows == MONTHS - 2
    assert to_minor_units(machine["depreciation_for_period"].combine_chunks())[0] == 0
    assert to_minor_units(machine["depreciation_for_period"].combine_chunks())[1] == \
        (84_000_00 - 4_200_00) // 84
    assert fab.num_rows == MONTHS * 25 + (MONTHS - 2) + (MONTHS - 9)


def test_depreciation_posted_equals_the_subledger_charge_per_period(closed):
    je = je_frame(closed.journal)
    fab = closed.balances
    charge = to_minor_units(fab["depreciation_for_period"].combine_chunks())
    periods = fab["fiscal_year"].to_numpy().astype(int) * 100 + fab["fiscal_period"].to_numpy()
    runs = je["reference_document_type"] == "depreciation_run"
    je_periods = je["year"].astype(int) * 100 + je["period"]
    assert set(je["document_type"][runs]) == {"AF"} and set(je["business_process"][runs]) == \
        {"A2R"}
    for p in np.unique(periods):
        in_p = runs & (je_periods == p)
        posted = int(je["credit"][in_p].sum())
        assert posted == int(charge[periods == p].sum()) > 0
        assert int(je["debit"][in_p].sum()) == posted
        contra = {a for a in je["gl_account"][in_p & (je["credit"] > 0)]}
        assert all(a.startswith(("159", "179")) for a in contra)
        # expense lines carry the asset's cost center (none only for the acquisitions)
        assert (je["cost_center"][in_p & (je["debit"] > 0)] != None).any()


def test_accruals_reverse_exactly_on_the_first_day_of_the_next_month(closed):
    je = je_frame(closed.journal)
    acr = je["reference_document_type"] == "accrual"
    refs = np.unique(je["reference_document_id"][acr])
    per_month, utilities = {}, 0
    for ref in refs:
        rows = acr & (je["reference_document_id"] == ref)
        docs = list(dict.fromkeys(je["document_id"][rows]))
        year, month = int(ref.split("-")[2]), int(ref.split("-")[3])
        per_month[(year, month)] = per_month.get((year, month), 0) + 1
        accrual = rows & (je["document_id"] == docs[0])
        assert dt.date.fromordinal(EPOCH.toordinal() + int(je["posting"][accrual][0])) == \
            (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        debit_acc = je["gl_account"][accrual & (je["debit"] > 0)]
        assert len(debit_acc) == 1 and debit_acc[0].startswith("7") and debit_acc[0] != "775000"
        credit_acc = je["gl_account"][accrual & (je["credit"] > 0)][0]
        assert credit_acc == "220000" or "221000" <= credit_acc <= "229999"
        if debit_acc[0] == "710000":                      # Utilities accrue to their own
            assert credit_acc == "221000"                 # detail account, Accrued - Utilities
            utilities += 1
        assert je["cost_center"][accrual & (je["debit"] > 0)][0] is not None
        if (year, month) == (2025, 3):              # the last month: reversed after the run
            assert len(docs) == 1
            continue
        assert len(docs) == 2
        reversal = rows & (je["document_id"] == docs[1])
        assert dt.date.fromordinal(EPOCH.toordinal() + int(je["posting"][reversal][0])) == \
            dt.date(year + month // 12, month % 12 + 1, 1)
        for account in set(je["gl_account"][accrual]):
            assert net_by_account(je, accrual, account) == \
                -net_by_account(je, reversal, account)
    assert len(per_month) == MONTHS and all(3 <= n <= 8 for n in per_month.values())
    assert utilities > 0


def test_accruals_are_a_small_share_of_the_months_opex(books, closed):
    je = je_frame(closed.journal)
    net = activity_matrix(books.activity, "1000", books.chart, *run_months(
        books.settings.start_day, books.settings.end_day))
    opex = net[:, books.chart.of_sub_type("opex")].sum(axis=1)
    accrual = (je["reference_document_type"] == "accrual") & (je["debit"] > 0) & \
        np.char.startswith(je["gl_account"].astype(str), "7")
    month_end = np.isin(je["posting"], [day(dt.date(2024 + (m + 1) // 12, (m + 1) % 12 + 1, 1))
                                        - 1 for m in range(MONTHS)])
    shares = []
    for m in range(MONTHS):
        rows = accrual & month_end & ((je["year"] - 2024) * 12 + je["period"] - 1 == m)
        accrued = int(je["debit"][rows].sum())
        count = len(set(je["document_id"][rows]))
        assert 0.02 * opex[m] - 1 <= accrued <= 0.10 * opex[m] + count * 10_000
        shares.append(accrued / opex[m])
    assert 0.03 < np.mean(shares) < 0.09                  # uniform 2-10 %: mean about 6 %


def pnl_through(books, closed, year: int, period: int, exclude_refs=("tax_provision",
                                                                     "year_end_close")) -> int:
    """Pre-tax profit of ``year`` up to ``period``: business activity plus the close's
    depreciation and accruals, computed from the outputs, not the close's own book."""
    net = activity_matrix(books.activity, "1000", books.chart, *run_months(
        books.settings.start_day, books.settings.end_day))
    first = (year - 2024) * 12
    nominal = np.isin(books.chart.account_types, ("revenue", "expense")) & \
        (books.chart.sub_types != "tax_expense")
    profit = -int(net[first:first + period][:, nominal].sum())
    je = je_frame(closed.journal)
    rows = (je["year"] == year) & (je["period"] <= period) & \
        ~np.isin(je["reference_document_type"], exclude_refs)
    positions = books.chart.positions(pa.array(je["gl_account"].tolist()))
    rows &= nominal[positions]
    return profit - int(je["debit"][rows].sum() - je["credit"][rows].sum())


def test_tax_provision_is_year_to_date_profit_times_the_rate_at_quarter_ends(books, closed):
    je = je_frame(closed.journal)
    tax = je["reference_document_type"] == "tax_provision"
    assert set(je["document_type"][tax]) == {"TX"}
    assert set(zip(je["year"][tax], je["period"][tax])) == \
        {(2024, 3), (2024, 6), (2024, 9), (2024, 12), (2025, 3)}
    for year, period in ((2024, 3), (2024, 6), (2024, 9), (2024, 12), (2025, 3)):
        provided = net_by_account(je, tax & (je["year"] == year) &
                                  (je["period"] <= period), "900000")
        ytd = pnl_through(books, closed, year, period)
        assert ytd > 0
        assert provided == (ytd * RATE_BP + 5000) // 10_000
        assert net_by_account(je, tax & (je["year"] == year) & (je["period"] <= period),
                              "210100") == -provided


def test_tax_provision_of_a_loss_is_zero_and_releases_what_was_provided():
    assert tax_provision(-1_000_00, 2500, 0) == 0
    assert tax_provision(-1_000_00, 2500, 300_00) == -300_00
    assert tax_provision(1_000_01, 2500, 0) == 250_00        # 250.0025 rounds half up
    assert tax_provision(1_000_02, 2500, 100_00) == 150_01


def test_year_end_close_zeroes_every_nominal_account_against_retained_earnings(books, closed):
    je = je_frame(closed.journal)
    close = je["reference_document_type"] == "year_end_close"
    assert set(je["year"][close]) == {2024} and set(je["period"][close]) == {12}
    assert set(je["document_type"][close]) == {"CL"}
    net = activity_matrix(books.activity, "1000", books.chart, *run_months(
        books.settings.start_day, books.settings.end_day))
    year_net = net[:12].sum(axis=0)
    in_2024 = je["year"] == 2024
    positions = books.chart.positions(pa.array(je["gl_account"].tolist()))
    np.add.at(year_net, positions[in_2024], (je["debit"] - je["credit"])[in_2024])
    nominal = np.isin(books.chart.account_types, ("revenue", "expense"))
    assert (year_net[nominal] == 0).all()
    pretax = pnl_through(books, closed, 2024, 12)
    tax = net_by_account(je, in_2024 & (je["reference_document_type"] == "tax_provision"),
                         "900000")
    assert net_by_account(je, close, "320000") == -(pretax - tax) < 0


def test_switches_turn_steps_off(books):
    from dataclasses import replace
    result = books.close(settings=replace(books.settings, accruals=False, tax_provision=False,
                                          year_end_close=False))
    kinds = set(je_frame(result.journal)["reference_document_type"])
    assert kinds == {"depreciation_run"}


def test_the_close_is_deterministic(books, closed):
    again = books.close()
    assert again.journal.equals(closed.journal)
    assert again.activity.equals(closed.activity) and again.balances.equals(closed.balances)
    other = books.close(seed=12)
    assert not other.journal.equals(closed.journal)


def test_close_activity_sums_the_close_journal(closed):
    je = je_frame(closed.journal)
    act = closed.activity
    assert set(act["origin"].cast(pa.string()).to_pylist()) == {"close", "year_end"}
    assert pc.sum(act["debit"]).as_py() == int(je["debit"].sum())
    # the year_end origin is exactly the year-end closing entries
    closing = je["reference_document_type"] == "year_end_close"
    year_end = act.filter(pc.equal(act["origin"].cast(pa.string()), "year_end"))
    assert pc.sum(year_end["debit"]).as_py() == int(je["debit"][closing].sum()) > 0
    assert pc.sum(act["credit"]).as_py() == int(je["credit"].sum())


def test_a_company_without_cost_centers_posts_without_them():
    books = Books(centers=0)
    je = je_frame(books.close().journal)
    assert len(je["debit"]) and all(c is None for c in je["cost_center"])
    assert {"depreciation_run", "accrual", "tax_provision", "year_end_close"} == \
        set(je["reference_document_type"])


def test_a_run_starting_mid_month_closes_the_months_it_ends_in(books):
    """2024-01-15 for three months: January to March close; March's accruals reverse on
    1 April, which is still inside the run (it ends on 14 April). April is closed after the
    run, but the register still has its snapshot, with no charge yet, since the trial
    balance has April."""
    from dataclasses import replace
    settings = replace(books.settings, start_day=day(dt.date(2024, 1, 15)),
                       end_day=day(dt.date(2024, 4, 15)))
    result = books.close(settings=settings)
    je = je_frame(result.journal)
    runs = je["reference_document_type"] == "depreciation_run"
    assert sorted(set(je["period"][runs])) == [1, 2, 3]
    periods = result.balances["fiscal_period"].to_pylist()
    assert sorted(set(periods)) == [1, 2, 3, 4]
    charges = result.balances["depreciation_for_period"].to_pylist()
    assert all(c == 0 for c, p in zip(charges, periods) if p == 4)
    assert any(c > 0 for c, p in zip(charges, periods) if p == 3)
    april = je["posting"] == day(dt.date(2024, 4, 1))
    assert april.any() and set(je["reference_document_type"][april]) == {"accrual"}
    assert set(zip(je["year"][je["reference_document_type"] == "tax_provision"],
                   je["period"][je["reference_document_type"] == "tax_provision"])) == \
        {(2024, 3)}
