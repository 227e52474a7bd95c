"""Both sides of intercompany documents, checked against amounts worked out by hand.

The parent P books in USD, the subsidiary S in EUR; the group currency is USD. Rates are
quoted in USD per EUR, so the buyer's rate (EUR per USD) is their inverse.
"""

from __future__ import annotations

import numpy as np
import pytest

from datasynth.generators.intercompany.period_end import open_items, post_month_ends
from datasynth.generators.intercompany.plan import MISMATCH
from datasynth.generators.intercompany.postings import post_transactions
from datasynth.generators.intercompany.tables import open_items_table
from tests.unit.generators.intercompany.conftest import JAN, D, HandRates, one

CURRENCIES = ["EUR", "USD"]


def lines_of(book, entry: int, chart) -> dict[str, int]:
    """Signed local amounts of one posted entry by account number."""
    account, local, _, _ = book.lines[entry]
    out: dict[str, int] = {}
    for a, v in zip(account.tolist(), local.tolist()):
        number = chart.numbers[a].as_py()
        out[number] = out.get(number, 0) + v
    return out


def post(tx, group, chart, rates):
    companies, books = group
    posted = post_transactions(tx, ["IC-P-S-2024-000001"], companies, CURRENCIES, books,
                               chart, rates, np.random.default_rng(0))
    return posted, books


def test_goods_in_three_lines_post_the_rounding_difference(group, chart):
    # 1,000.01 USD in lines 3:2:1 -> 500.02 + 333.33 + 166.66 USD. At 1.2 USD/EUR the buyer
    # converts at 0.8333333333 EUR/USD: 416.68 + 277.77 + 138.88 = 833.33 EUR, while the
    # payable is 1,000.01 x 0.8333333333 = 833.3416 -> 833.34 EUR: 0.01 EUR of rounding.
    rates = HandRates({D(2024, 1, 1): "1.2"}, {JAN: "1.2"})
    tx = one("goods", 100001, D(2024, 1, 10), D(2024, 1, 10), -1, cost=92594, lines=3)
    posted, books = post(tx, group, chart, rates)
    buyer = lines_of(books[1], int(posted.buyer_entry[0]), chart)
    assert buyer == {"125000": 41668 + 27777 + 13888, "829000": 1, "219000": -83334}
    _, _, amounts, used = books[1].lines[int(posted.buyer_entry[0])]
    assert amounts.tolist() == [50002, 33333, 16666, 0, 100001]
    assert set(used.tolist()) == {8333333333}
    seller = lines_of(books[0], int(posted.seller_entry[0]), chart)
    assert seller == {"119000": 100001, "460000": -100001}
    # the seller's cost of the goods, paid through the group treasury account
    cost = lines_of(books[0], int(posted.seller_entry[0]) + 1, chart)
    assert cost == {"560000": 92594, "105000": -92594}
    assert posted.buyer_local.tolist() == [83334]


def test_payment_at_another_rate_realises_the_difference(group, chart):
    # Booked at 1.25 USD/EUR: 1,000.00 USD = 800.00 EUR payable. Paid when 1 EUR = 1 USD:
    # 1,000.00 EUR leave the bank; the 200.00 EUR more is a realised loss (820000 debit).
    rates = HandRates({D(2024, 1, 5): "1.25", D(2024, 2, 5): "1.0"}, {JAN: "1.25"})
    tx = one("services", 100000, D(2024, 1, 5), D(2024, 1, 5), D(2024, 2, 5))
    posted, books = post(tx, group, chart, rates)
    payment = [i for i, r in enumerate(books[1].rows) if r.document_type == "KZ"]
    assert lines_of(books[1], payment[0], chart) == {"219000": 80000, "105000": -100000,
                                                     "820000": 20000}
    receipt = [i for i, r in enumerate(books[0].rows) if r.document_type == "DZ"]
    assert lines_of(books[0], receipt[0], chart) == {"105000": 100000, "119000": -100000}


def test_a_mismatched_booking_is_corrected_when_paid(group, chart):
    # The buyer keyed 1,100.00 USD for a 1,000.00 USD invoice: payable 880.00 EUR at 0.8.
    # It pays 1,000.00 USD at the same rate (800.00 EUR) and credits the expense it
    # over-booked by 80.00 EUR; no exchange difference.
    rates = HandRates({D(2024, 1, 5): "1.25"}, {JAN: "1.25"})
    tx = one("services", 100000, D(2024, 1, 5), D(2024, 1, 5), D(2024, 1, 25),
             buyer_amount=110000, status=MISMATCH)
    posted, books = post(tx, group, chart, rates)
    assert lines_of(books[1], int(posted.buyer_entry[0]), chart) == {"745500": 88000,
                                                                     "219000": -88000}
    payment = [i for i, r in enumerate(books[1].rows) if r.document_type == "KZ"]
    assert lines_of(books[1], payment[0], chart) == {"219000": 88000, "105000": -80000,
                                                     "745500": -8000}


def test_month_end_revaluation_and_its_reversal(group, chart):
    # 1,000.00 USD payable booked at 1.25 (800.00 EUR) and still open on 31 January, when
    # the closing rate is 1.0: it is worth 1,000.00 EUR, 200.00 EUR more. The revaluation
    # credits 219000 and debits 820100 by 200.00 on the 31st, reversed on 1 February.
    rates = HandRates({D(2024, 1, 5): "1.25", D(2024, 1, 31): "1.0"}, {JAN: "1.0",
                                                                       JAN + 1: "1.0"})
    tx = one("services", 100000, D(2024, 1, 5), D(2024, 1, 5), -1)
    companies, books = group
    posted, books = post(tx, group, chart, rates)
    items = open_items(tx, posted, companies, chart)
    months = np.array([JAN, JAN + 1])
    end = D(2024, 3, 1)
    post_month_ends(tx, items, companies, CURRENCIES, books, chart, rates, months, end, 0.5,
                    0.0)
    reval = [i for i, r in enumerate(books[1].rows) if r.reference_type == "fx_revaluation"]
    days = [books[1].rows[i].day for i in reval]
    assert days[:2] == [D(2024, 1, 31), D(2024, 2, 1)]
    assert lines_of(books[1], reval[0], chart) == {"219000": -20000, "820100": 20000}
    assert lines_of(books[1], reval[1], chart) == {"219000": 20000, "820100": -20000}
    # the seller's receivable is in its own currency: nothing to revalue
    assert not [r for r in books[0].rows if r.reference_type == "fx_revaluation"]
    books_ids = [b.build()[2] for b in books]
    table = open_items_table(items, ["IC-P-S-2024-000001"], books_ids,
                             np.r_[posted.seller_entry, posted.buyer_entry], companies,
                             CURRENCIES, rates, months, end, chart.numbers)
    january = table.filter(table["fiscal_period"].to_numpy() == 1).to_pylist()
    sub = [r for r in january if r["company_code"] == "S"][0]
    assert (float(sub["booked_amount"]), float(sub["revalued_amount"]),
            float(sub["unrealised_fx"]), float(sub["transaction_amount"])) == \
        (-800.0, -1000.0, -200.0, -1000.0)
    parent = [r for r in january if r["company_code"] == "P"][0]
    assert float(parent["revalued_amount"]) == float(parent["booked_amount"]) == 1000.0


def test_every_entry_balances_and_carries_its_partner(group, chart):
    rates = HandRates({D(2024, 1, 1): "1.2", D(2024, 2, 20): "1.1"}, {JAN: "1.15"})
    tx = one("goods", 123457, D(2024, 1, 10), D(2024, 1, 12), D(2024, 2, 20), cost=114312,
             lines=2)
    posted, books = post(tx, group, chart, rates)
    for company, book in enumerate(books):
        for row, (_, local, _, _) in zip(book.rows, book.lines):
            assert int(local.sum()) == 0
            assert row.partner == 1 - company
        entries, lines, ids = book.build()
        assert len(set(ids.to_pylist())) == len(book.rows)
        assert all(i.startswith(("P-2024-80", "S-2024-80")) for i in ids.to_pylist())


@pytest.mark.parametrize("markup", [0.0, 0.08, 0.25])
def test_goods_are_priced_at_cost_plus_markup(markup):
    from datasynth.config.models import GroupRelationship, IntercompanySettings
    from datasynth.generators.intercompany.plan import ACT, Calendars, plan_transactions

    days = np.arange(D(2024, 1, 1), D(2025, 1, 1))
    business = days[((days + 3) % 7) < 5]
    settings = IntercompanySettings(enabled=True, markup=markup, invoices_per_month=20)
    tx = plan_transactions(settings, [GroupRelationship(parent="P", subsidiary="S")],
                           ["P", "S"], ["USD", "EUR"], Calendars([business, business],
                                                                 D(2024, 1, 1), D(2025, 1, 1)),
                           JAN + np.arange(12), lambda code: 10**10,
                           lambda purpose: np.random.default_rng(len(purpose)),
                           {"P": 50e6, "S": 24e6})
    goods = tx.activity == ACT["goods"]
    expected = (tx.cost[goods] * (10_000 + round(markup * 10_000)) + 5_000) // 10_000
    assert np.array_equal(tx.amount[goods], expected)
    # about invoices_per_month x 12 goods invoices (Poisson: within 4 standard deviations)
    assert abs(goods.sum() - 240) < 4 * np.sqrt(240)
    # a year of goods costs about 3 % of the buyer's revenue (24 M USD; the seller invoices
    # in USD): 720,000 USD, within the spread of 240 lognormal draws
    assert 0.8 < tx.cost[goods].sum() / 100 / (0.03 * 24e6) < 1.2
    # one management fee and one interest charge a month, one loan
    assert (tx.activity == ACT["management_fee"]).sum() == 12
    assert (tx.activity == ACT["loan"]).sum() == 1
    assert np.all(tx.settle_day[tx.settle_day >= 0] > tx.buyer_day[tx.settle_day >= 0])


def test_the_cash_pool_is_funded_by_its_facility_at_each_month_end(group, chart):
    # P pays 1,200.00 USD for goods it sells on to S out of the pool on 10 January; S pays
    # the invoice (1,296.00 USD) on 12 February. 31 January: the pool is 1,200.00 overdrawn,
    # so the facility is drawn by 1,200.00. 29 February: a month's interest at 5 % a year on
    # 1,200.00 is 5.00; the pool then holds 1,296.00 - 5.00 = 1,291.00, which repays the
    # 1,200.00 drawn and leaves 91.00 in the pool.
    rates = HandRates({D(2024, 1, 1): "1.25"}, {JAN: "1.25", JAN + 1: "1.25"})
    tx = one("goods", 129600, D(2024, 1, 10), D(2024, 1, 10), D(2024, 2, 12), cost=120000)
    companies, books = group
    posted, books = post(tx, group, chart, rates)
    items = open_items(tx, posted, companies, chart)
    post_month_ends(tx, items, companies, CURRENCIES, books, chart, rates,
                    np.array([JAN, JAN + 1]), D(2024, 3, 1), 0.0, 0.05)
    pool = [(r.day, r.text, lines_of(books[0], i, chart)) for i, r in enumerate(books[0].rows)
            if r.reference_type == "financing"]
    assert pool == [
        (D(2024, 1, 31), "Cash pool facility drawn", {"105000": 120000, "251000": -120000}),
        (D(2024, 2, 29), "Interest on the cash pool facility", {"800000": 500,
                                                                "105000": -500}),
        (D(2024, 2, 29), "Cash pool facility repaid", {"251000": 120000,
                                                       "105000": -120000})]
    assert all(r.partner == -1 for r in books[0].rows if r.reference_type == "financing")
