"""Customers buying in their own currency (flows/foreign_receivables.py): an invoice and its
receipt converted by hand, the month-end valuation of an open receivable and its reversal,
and on generated books the receivables subledger in both currencies, the realised
differences, and the documents kept out of returns and anomaly injection."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pyarrow as pa
import pytest

from datasynth.config import Config
from datasynth.generators.ledger.flows import foreign_receivables
from datasynth.generators.ledger.flows.context import Partners
from datasynth.generators.ledger.flows.currency import Currencies
from datasynth.generators.ledger.flows.revaluation import revaluation_blocks
from datasynth.money import RATE_SCALE
from tests.conftest import small_config_dict

ACCOUNTS = ["100000", "110000", "110190", "210000", "410000", "420000", "420100", "775000",
            "820000", "820100", "829000"]
START = 19_723                      # 2024-01-01


def _rate(x: str) -> int:
    whole, frac = x.split(".")
    return int(whole) * RATE_SCALE + int(frac.ljust(10, "0"))


def _books():
    """USD books with one customer buying in EUR: 1.15 USD per EUR for the first 30 days of
    the run, 1.20 after; closing rates 1.18 (January), 1.25, 1.25."""
    days = 91
    spot = np.full((2, days), RATE_SCALE, np.int64)
    spot[1, :30], spot[1, 30:] = _rate("1.15"), _rate("1.20")
    closing = np.array([[RATE_SCALE] * 3, [_rate("1.18"), _rate("1.25"), _rate("1.25")]])
    fx = Currencies(("USD", "EUR"), (2, 2), START, spot, closing)
    customers = Partners(pa.array(["C1"]), np.ones(1), np.array([30]), np.zeros(1),
                         np.zeros(1, np.int64), np.array([1]), np.zeros(1, np.int64),
                         np.array([1]), np.array([1]))          # on time: -1..3 days late
    month_days = [np.arange(START, START + 31), np.arange(START + 31, START + 60),
                  np.arange(START + 60, START + days)]
    books = SimpleNamespace(
        code="1000", exponent=2, currencies=fx, vat=0.2, customers=customers,
        chart=SimpleNamespace(numbers=ACCOUNTS), account=lambda n: ACCOUNTS.index(str(n)),
        directory=SimpleNamespace(creator_choice=SimpleNamespace(
            sample=lambda rng, codes: np.zeros(len(codes), np.int64))),
        ledger=SimpleNamespace(cost_center_ids=pa.array([], pa.string())),
        working_day=lambda days, rng=None, backward=False: np.asarray(days, np.int64),
        start_day=START, end_day=START + days, months=[(2024, 1), (2024, 2), (2024, 3)],
        month_days=month_days, system_user=0)
    books.month_of = lambda d: np.searchsorted([m[0] for m in month_days],
                                               np.asarray(d, np.int64), side="right") - 1
    return books


def _lines(block, entry: int) -> dict[str, tuple[int, int, int]]:
    """account -> (debit, credit, transaction amount) of one entry's lines."""
    at = np.flatnonzero(block.line_entry == entry)
    fc = block.transaction_amount if block.transaction_amount is not None \
        else block.debit + block.credit         # a company-currency block: its own amounts
    return {ACCOUNTS[block.account[i]]: (int(block.debit[i]), int(block.credit[i]),
                                         int(fc[i])) for i in at}


@pytest.fixture
def invoice_and_receipt():
    books = _books()
    settings = SimpleNamespace(bad_debt_rate=0.0, discount_take_rate=0.0,
                               partial_payment_rate=0.0, short_payment_rate=0.0)
    # one invoice on 6 January of two lines, EUR 100.01 and EUR 200.02
    return books, foreign_receivables.invoices(
        books, np.random.default_rng(0), settings, ids=pa.array(["CI-1"]),
        customer=np.array([0]), day=np.array([START + 5]), so_ids=pa.array(["SO-1"]),
        delivery_ids=pa.array(["DL-1"]), line_bill=np.array([0, 0]),
        line_net_fc=np.array([10_001, 20_002]), revenue_account=np.full(2, 4),
        first_ids={})


def test_invoice_converted_line_by_line_with_rounding(invoice_and_receipt):
    _, (invoice, _) = invoice_and_receipt
    # at 1.15: revenue 115.0115 -> 115.01 and 230.023 -> 230.02; VAT 20% of EUR 300.03 =
    # EUR 60.01 -> 69.0115 -> 69.01; receivable EUR 360.04 -> 414.046 -> 414.05; the lines
    # leave 0.01 over, credited to 829000
    at = np.flatnonzero(invoice.line_entry == 0)
    got = sorted((ACCOUNTS[invoice.account[i]], int(invoice.debit[i]), int(invoice.credit[i]),
                  int(invoice.transaction_amount[i])) for i in at)
    assert got == [("110000", 41_405, 0, 36_004), ("210000", 0, 6_901, 6_001),
                   ("410000", 0, 11_501, 10_001), ("410000", 0, 23_002, 20_002),
                   ("829000", 0, 1, 0)]
    assert set(invoice.rate.tolist()) == {_rate("1.15")}
    doc = invoice.tables["customer_invoices"].columns
    assert [str(doc[k][0]) for k in ("gross_amount", "tax_amount", "net_amount",
                                     "transaction_gross_amount", "exchange_rate")] == [
        "414.05", "69.01", "345.04", "360.04", "1.1500000000"]
    assert doc["transaction_currency"][0].as_py() == "EUR"


def test_receipt_realises_the_difference(invoice_and_receipt):
    _, (_, receipt) = invoice_and_receipt
    # paid on time (day 35..39 of the run): EUR 360.04 at 1.20 = 432.048 -> 432.05 in the
    # bank; the receivable clears at the 414.05 it was booked at: a gain of 18.00
    assert len(receipt) == 1 and receipt.posting_day[0] >= START + 30
    assert _lines(receipt, 0) == {"100000": (43_205, 0, 36_004),
                                  "110000": (0, 41_405, 36_004), "820000": (0, 1_800, 0)}
    doc = receipt.tables["customer_receipts"].columns
    assert [str(doc[k][0]) for k in ("cleared_amount", "received_amount",
                                     "transaction_received_amount", "exchange_difference",
                                     "exchange_rate")] == [
        "414.05", "414.05", "360.04", "18.00", "1.2000000000"]


def test_open_receivable_valued_at_month_end_and_reversed(invoice_and_receipt):
    books, blocks = invoice_and_receipt
    (valuation,) = revaluation_blocks(books, blocks)
    # open at the end of January (paid in February): EUR 360.04 at the closing 1.18 =
    # 424.8472 -> 424.85, 10.80 above the 414.05 booked: Dr 110190 / Cr 820100 on 31 January,
    # the other way round on 1 February; nothing open at the end of February or March
    assert valuation.posting_day.tolist() == [START + 30, START + 31]
    assert _lines(valuation, 0) == {"110190": (1_080, 0, 1_080), "820100": (0, 1_080, 1_080)}
    assert _lines(valuation, 1) == {"110190": (0, 1_080, 1_080), "820100": (1_080, 0, 1_080)}
    assert valuation.header_text.to_pylist() == [
        "Foreign currency valuation of receivables",
        "Reversal of foreign currency valuation of receivables"]


# ---- generated books -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def books(tmp_path_factory):
    from datasynth.runtime.orchestrator import GenerationOrchestrator

    out = tmp_path_factory.mktemp("fcar")
    data = small_config_dict(master_data={"vendors": 60, "customers": 80, "materials": 25,
                                          "fixed_assets": 10, "employees": 25,
                                          "cost_centers": 10},
                             transactions={"target_count": 6000},
                             document_flows={"foreign_currency_share": 0.3,
                                             "bad_debt_rate": 0.1,
                                             "short_payment_rate": 0.1},
                             anomaly_injection={"enabled": True})
    data["global"]["period_months"] = 6      # write-offs come 90-150 days after the due date
    GenerationOrchestrator.with_threads(Config.from_dict(data), 1, output_dir=out).run()
    return out


def _sql(out, query):
    import duckdb

    con = duckdb.connect()
    for table in ("journal_entries", "customer_invoices", "customer_receipts", "sales_orders",
                  "ar_open_items", "trial_balances", "anomaly_labels", "companies"):
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM '{out}/{table}/*.parquet'")
    return con.execute(query).fetchall()


_FOREIGN = """{t}.transaction_currency <> (SELECT currency FROM companies c
                                       WHERE c.company_code = {t}.company_code)"""


def test_foreign_customer_documents_convert_and_balance(books):
    count, off, unbalanced = _sql(books, f"""
        SELECT count(*), count(*) FILTER (WHERE gross_amount
                  <> round(transaction_gross_amount * exchange_rate, 2)),
               count(*) FILTER (WHERE net_amount + tax_amount <> gross_amount)
        FROM customer_invoices i WHERE {_FOREIGN.format(t='i')}""")[0]
    assert count > 20 and unbalanced == 0 and off <= count // 20   # half-even vs half-up
    # the journal agrees: the invoice's receivable line is its gross amount, in both currencies
    assert _sql(books, f"""SELECT count(*) FROM customer_invoices i JOIN journal_entries j
                          ON j.document_id = i.journal_entry_id
                         AND j.gl_account = i.control_account
                          WHERE {_FOREIGN.format(t='i')} AND (j.debit_amount <> i.gross_amount
                             OR j.transaction_amount <> i.transaction_gross_amount
                             OR j.transaction_currency <> i.transaction_currency)""")[0][0] == 0
    # orders are quoted in the customer's currency: the local price is the quote at a rate
    lines, wrong = _sql(books, f"""SELECT count(*), count(*) FILTER (WHERE transaction_net_amount
                                  <> quantity * transaction_unit_price) FROM sales_orders s
                                  WHERE {_FOREIGN.format(t='s')}""")[0]
    assert lines > 20 and wrong == 0


def test_receipts_realise_differences_on_820000(books):
    rows = _sql(books, f"""SELECT r.receipt_type, r.received_amount, r.exchange_difference,
                                 round(r.transaction_received_amount * r.exchange_rate, 2),
                                 r.cleared_amount - r.discount_amount - r.write_off_amount,
                                 (SELECT sum(credit_amount - debit_amount) FROM journal_entries j
                                  WHERE j.document_id = r.journal_entry_id
                                    AND j.gl_account = '820000')
                          FROM customer_receipts r WHERE {_FOREIGN.format(t='r')}""")
    assert len(rows) > 20
    kinds = {r[0] for r in rows}
    assert "payment" in kinds and "bad_debt_write_off" in kinds
    for kind, received, gain, bank, parts, posted in rows:
        assert received == parts
        assert abs(received + gain - bank) <= 0.01       # cash = booked + realised gain
        assert posted == (gain if gain else None)
        if kind == "bad_debt_write_off":                  # no cash, no exchange difference
            assert received == 0 and gain == 0
    assert any(r[2] != 0 for r in rows)


def test_receivables_subledger_in_both_currencies(books):
    # control accounts = booked open amounts; 110190 = the items' valuations, every period
    control = _sql(books, """SELECT count(*), count(*) FILTER (WHERE t.closing_balance
                                                              <> coalesce(o.s, 0))
                            FROM trial_balances t LEFT JOIN (
                                SELECT company_code, fiscal_period, valuation_account AS a,
                                       sum(revaluation_amount) AS s FROM ar_open_items
                                GROUP BY ALL) o ON o.company_code = t.company_code
                             AND o.fiscal_period = t.fiscal_period AND o.a = t.gl_account
                            WHERE t.gl_account = '110190'""")[0]
    assert control[0] > 0 and control[1] == 0
    assert _sql(books, """SELECT count(*) FROM trial_balances WHERE gl_account = '110190'
                          AND closing_balance <> 0""")[0][0] > 0
    # each foreign item: open in its currency = gross - cleared to date; valued at the
    # closing rate less the booked open amount
    rows = _sql(books, """SELECT o.transaction_open_amount, o.closing_rate, o.open_amount,
                                 o.revaluation_amount, i.transaction_gross_amount - coalesce((
                                   SELECT sum(r.transaction_cleared_amount)
                                   FROM customer_receipts r WHERE r.invoice_id = o.invoice_id
                                    AND r.fiscal_period <= o.fiscal_period), 0)
                          FROM ar_open_items o JOIN customer_invoices i USING (invoice_id)
                          WHERE o.valuation_account = '110190'""")
    assert len(rows) > 20
    for open_fc, closing, booked, value, expected in rows:
        assert open_fc == expected
        assert abs(open_fc * closing - booked - value) <= 0.01
    local = _sql(books, """SELECT count(*) FROM ar_open_items WHERE valuation_account IS NULL
                           AND (transaction_open_amount <> open_amount
                                OR revaluation_amount <> 0)""")
    assert local[0][0] == 0


def test_foreign_customers_get_no_returns_and_no_anomalies(books):
    # credit memos (returns) are for company-currency customers only
    assert _sql(books, f"""SELECT count(*) FROM customer_invoices i
                          WHERE invoice_type = 'credit_memo'
                            AND {_FOREIGN.format(t='i')}""")[0][0] == 0
    assert _sql(books, "SELECT count(*) FROM customer_invoices "
                       "WHERE invoice_type = 'credit_memo'")[0][0] > 0
    # no labelled anomaly sits on a foreign-currency entry
    assert _sql(books, "SELECT count(*) FROM anomaly_labels")[0][0] > 0
    assert _sql(books, f"""SELECT count(*) FROM anomaly_labels a JOIN journal_entries j
                          ON j.document_id = a.document_id
                          WHERE {_FOREIGN.format(t='j')}""")[0][0] == 0


def test_the_books_verify(books):
    from datasynth.verify import verify

    report = verify(books)
    assert not [(r.name, r.detail) for r in report.results if r.failed]
    assert any(r.name == "subledger.receivables_valuation" and r.status == "pass"
               and r.checked for r in report.results)
