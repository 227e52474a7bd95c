"""Vendors invoicing in their own currency: exact conversion, invoices with rounding,
payments with realised differences, month-end valuation and its reversal, the payables
subledger in both currencies, and determinism."""

from __future__ import annotations

import numpy as np
import pytest

from datasynth.config import Config
from datasynth.generators.fx.convert import convert, div_half_even
from datasynth.generators.ledger.flows.revaluation import foreign_open, revalued
from datasynth.money import RATE_SCALE
from tests.conftest import small_config_dict


def python_integer_conversion(amount, rate, exp_from, exp_to):
    """The reference: Python integers, half-even, signs kept."""
    amount = np.asarray(amount, np.int64)
    sign = np.where(amount < 0, -1, 1)
    product = np.abs(amount).astype(object) * np.asarray(rate, np.int64).astype(object)
    shift = exp_to - exp_from
    out = (div_half_even(product * 10 ** shift, RATE_SCALE) if shift >= 0
           else div_half_even(product, RATE_SCALE * 10 ** -shift))
    return out.astype(np.int64) * sign


def test_exact_conversion_matches_the_python_integer_reference():
    rng = np.random.default_rng(1)
    amount = rng.integers(-10**12, 10**12, 20_000)
    rate = rng.integers(1, 2 * 10**14, 20_000)          # up to 20,000 units per unit
    for exp_from, exp_to in ((2, 2), (0, 2), (2, 0)):
        got = convert(amount, rate, exp_from, exp_to)
        want = python_integer_conversion(amount, rate, exp_from, exp_to)
        assert np.array_equal(got, want)


def test_conversion_by_hand():
    # EUR 1,234.57 at 1.0850000000 USD per EUR = 1,339.50845 -> 1,339.51
    assert convert(np.array([123_457]), 10_850_000_000, 2, 2)[0] == 133_951
    # exactly half a cent rounds to even: 0.25 x 0.5 = 0.125 -> 0.12; 0.35 x 0.5 -> 0.18
    assert convert(np.array([25, 35]), 5_000_000_000, 2, 2).tolist() == [12, 18]
    # JPY 10,000 at 0.0067 USD = 67.00 (no minor unit in yen)
    assert convert(np.array([10_000]), 67_000_000, 0, 2)[0] == 6_700
    assert convert(np.array([-123_457]), 10_850_000_000, 2, 2)[0] == -133_951


def test_open_items_valued_at_the_closing_rate():
    # one EUR item of 100.00 booked at 110.00, paid 40.00 (booked 44.00) in period 1
    item_period = np.array([0])
    steps = list(foreign_open(3, item_period, np.array([11_000]), np.array([10_000]),
                              np.array([0]), np.array([1]), np.array([4_400]),
                              np.array([4_000])))
    assert [(p, r.tolist(), b.tolist(), f.tolist()) for p, r, b, f in steps] == [
        (0, [0], [11_000], [10_000]), (1, [0], [6_600], [6_000]), (2, [0], [6_600], [6_000])]
    # at a closing rate of 1.12: 60.00 EUR = 67.20, 1.20 more than the 66.00 booked
    closing = np.array([RATE_SCALE, 11_200_000_000])
    assert (revalued(np.array([6_000]), np.array([1]), closing, [2, 2], 2) - 6_600)[0] == 120


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    from datasynth.runtime.orchestrator import GenerationOrchestrator

    out = tmp_path_factory.mktemp("fc")
    data = small_config_dict(master_data={"vendors": 80, "customers": 40, "materials": 25,
                                          "fixed_assets": 10, "employees": 25,
                                          "cost_centers": 10},
                             transactions={"target_count": 5000},
                             document_flows={"foreign_currency_share": 0.3})
    data["global"]["period_months"] = 4
    config = Config.from_dict(data)
    GenerationOrchestrator.with_threads(config, 1, output_dir=out).run()
    return out


def _sql(out, query):
    import duckdb

    con = duckdb.connect()
    for table in ("journal_entries", "vendor_invoices", "vendor_payments", "ap_open_items",
                  "trial_balances", "fx_rates", "purchase_orders"):
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM '{out}/{table}/*.parquet'")
    return con.execute(query).fetchall()


def test_foreign_invoices_convert_at_the_spot_rate_and_balance(books):
    rows = _sql(books, """SELECT count(*), count(*) FILTER (WHERE gross_amount
                   <> round(transaction_gross_amount * exchange_rate, 2)),
                   count(*) FILTER (WHERE net_amount + tax_amount <> gross_amount)
                   FROM vendor_invoices WHERE transaction_currency NOT IN ('USD', 'EUR')
                      OR (company_code = '1000' AND transaction_currency = 'EUR')""")
    count, off, unbalanced = rows[0]
    assert count > 20 and unbalanced == 0
    # half-even vs DuckDB's half-up differ only on exact halves: allow a few
    assert off <= count // 20
    # every foreign entry balances in the company currency; lines carry the rate
    assert _sql(books, """SELECT count(*) FROM (SELECT document_id FROM journal_entries
                          GROUP BY ALL HAVING sum(debit_amount) <> sum(credit_amount))""")[0][0] == 0
    # the journal agrees with the documents: the invoice's AP line is its gross amount
    # (opening items share the opening entry's one line per account)
    assert _sql(books, """SELECT count(*) FROM vendor_invoices i JOIN journal_entries j
                          ON j.document_id = i.journal_entry_id AND j.gl_account = '200100'
                          WHERE NOT i.is_opening AND (i.transaction_currency <> j.transaction_currency
                             OR j.credit_amount <> i.gross_amount
                             OR j.transaction_amount <> i.transaction_gross_amount)""")[0][0] == 0


def test_spot_rate_is_the_cross_rate_of_the_posting_date(books):
    # USD company, EUR vendor: the invoice's rate is the EUR spot (group currency USD)
    rows = _sql(books, """SELECT count(*), count(*) FILTER (WHERE i.exchange_rate <> f.rate)
                          FROM vendor_invoices i JOIN fx_rates f ON f.rate_type = 'spot'
                           AND f.from_currency = i.transaction_currency
                           AND f.rate_date = i.posting_date
                          WHERE i.company_code = '1000' AND i.transaction_currency <> 'USD'""")
    assert rows[0][0] > 0 and rows[0][1] == 0


def test_realised_difference_on_payment(books):
    rows = _sql(books, """SELECT p.exchange_difference, p.paid_amount,
                                 round(p.transaction_paid_amount * p.exchange_rate, 2),
                                 (SELECT sum(credit_amount - debit_amount) FROM journal_entries j
                                  WHERE j.document_id = p.journal_entry_id
                                    AND j.gl_account = '820000')
                          FROM vendor_payments p WHERE p.exchange_difference <> 0""")
    assert len(rows) > 5
    for gain, paid, bank, posted in rows:
        assert abs(paid - bank - gain) <= 0.01        # bank = paid - realised gain
    # one payment per entry here: the 820000 line is the document's difference
    singles = [r for r in rows if r[3] is not None]
    assert all(r[0] == r[3] for r in singles)


def test_valuation_and_its_reversal(books):
    entries = _sql(books, """SELECT posting_date, header_text, debit_amount, credit_amount
                             FROM journal_entries WHERE gl_account = '200190'
                             ORDER BY company_code, posting_date, document_id""")
    assert entries
    valuations = [e for e in entries if e[1].startswith("Foreign")]
    reversals = [e for e in entries if e[1].startswith("Reversal")]
    assert valuations and reversals
    for day, text, debit, credit in reversals:      # on the first day of a month
        assert day.day == 1
    for day, *_ in valuations:
        assert (day + __import__("datetime").timedelta(days=1)).day == 1
    # the valuation account equals the items' valuations at every period end
    rows = _sql(books, """SELECT t.company_code, t.fiscal_period, t.closing_balance,
                                 coalesce(-sum(o.revaluation_amount), 0)
                          FROM trial_balances t LEFT JOIN ap_open_items o
                            ON o.company_code = t.company_code
                           AND o.fiscal_period = t.fiscal_period
                           AND o.valuation_account = t.gl_account
                          WHERE t.gl_account = '200190' GROUP BY ALL""")
    assert rows and all(r[2] == r[3] for r in rows)
    assert any(r[2] != 0 for r in rows)


def test_payables_subledger_in_both_currencies(books):
    rows = _sql(books, """SELECT t.closing_balance, -sum(o.open_amount) FROM trial_balances t
                          JOIN ap_open_items o ON o.company_code = t.company_code
                           AND o.fiscal_period = t.fiscal_period
                           AND o.control_account = t.gl_account
                          WHERE t.gl_account = '200100' GROUP BY t.company_code,
                                t.fiscal_period, t.closing_balance""")
    assert rows and all(a == b for a, b in rows)
    foreign = _sql(books, """SELECT count(*), count(*) FILTER (WHERE transaction_open_amount
                             = open_amount) FROM ap_open_items
                             WHERE valuation_account IS NOT NULL""")
    assert foreign[0][0] > 0 and foreign[0][1] < foreign[0][0]
    local = _sql(books, """SELECT count(*) FROM ap_open_items WHERE valuation_account IS NULL
                           AND (transaction_open_amount <> open_amount
                                OR revaluation_amount <> 0)""")
    assert local[0][0] == 0


def test_the_books_verify(books):
    from datasynth.verify import verify

    report = verify(books)
    assert not [(r.name, r.detail) for r in report.results if r.failed]
    assert any(r.name == "subledger.payables_valuation" and r.status == "pass"
               and r.checked for r in report.results)


def test_share_zero_changes_nothing():
    """With no foreign-currency vendors the books are as they were: no rates needed."""
    config = Config.from_dict(small_config_dict(document_flows={"foreign_currency_share": 0}))
    assert not config.foreign_partners_on
    assert config.fx_currencies() == ["USD", "EUR"]


def test_same_seed_same_bytes_on_one_or_two_workers(tmp_path):
    from datasynth.runtime.orchestrator import GenerationOrchestrator

    digests = []
    for workers in (1, 2):
        data = small_config_dict(document_flows={"foreign_currency_share": 0.3},
                                 anomaly_injection={"enabled": True})
        GenerationOrchestrator.with_threads(Config.from_dict(data), workers,
                                            output_dir=tmp_path / str(workers)).run()
        parts = sorted((tmp_path / str(workers)).glob("*/*.parquet"))
        digests.append({p.relative_to(tmp_path / str(workers)).as_posix(): p.read_bytes()
                        for p in parts})
    assert digests[0].keys() == digests[1].keys()
    assert all(digests[0][k] == digests[1][k] for k in digests[0])
    import pyarrow.parquet as pq

    foreign = pq.read_table(tmp_path / "1" / "vendor_invoices")
    assert len(set(foreign["transaction_currency"].to_pylist())) > 2
