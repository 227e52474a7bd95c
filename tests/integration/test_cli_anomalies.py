"""Anomaly injection end to end through the real CLI: rates per family, labels covering
exactly the flagged rows, verify passing, ML splits, and the same bytes on 1 and 2 workers."""

from __future__ import annotations

import json

import duckdb
import pytest

from datasynth.generators.anomalies.catalog import FAMILIES, TYPES
from tests.integration.cli import part_hashes, run_cli, write_config

RATE = 0.02
TARGET = 100_000
SHARES = {"fraud": 0.25, "error": 0.35, "process": 0.20, "statistical": 0.15,
          "relational": 0.05}
DOCUMENT_TABLES = ("purchase_requisitions", "purchase_orders", "goods_receipts",
                   "vendor_invoices", "vendor_payments", "sales_orders", "deliveries",
                   "customer_invoices", "customer_receipts")
KEYS = {"purchase_requisitions": "requisition_id", "purchase_orders": "purchase_order_id",
        "goods_receipts": "goods_receipt_id", "vendor_invoices": "invoice_id",
        "vendor_payments": "payment_id", "sales_orders": "sales_order_id",
        "deliveries": "delivery_id", "customer_invoices": "invoice_id",
        "customer_receipts": "receipt_id"}


def _config(tmp, seed=11, target=TARGET):
    return write_config(tmp / f"anomalies-{target}.yaml", {
        "global": {"seed": seed, "industry": "manufacturing", "start_date": "2024-01-01",
                   "period_months": 12},
        "companies": [{"code": "1000", "name": "Alpha", "currency": "USD", "country": "US"},
                      {"code": "2000", "name": "Beta", "currency": "EUR", "country": "DE",
                       "volume_weight": 0.6}],
        "transactions": {"target_count": target},
        "master_data": {"vendors": 80, "customers": 120, "materials": 60, "fixed_assets": 20,
                        "employees": 60, "cost_centers": 8},
        "anomaly_injection": {"enabled": True, "total_rate": RATE,
                              "split": {"enabled": True}},
    })


def _generate(config, out, workers):
    done = run_cli("generate", "--config", config, "--output", out, "--workers", str(workers),
                   "--progress", "none")
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    """A year of two companies at the demo's size: every type gets instances."""
    tmp = tmp_path_factory.mktemp("anomalies")
    return (_generate(_config(tmp), tmp / "out", 2),)


def _sql(output, query):
    con = duckdb.connect()
    for table in ("journal_entries", "anomaly_labels", *DOCUMENT_TABLES):
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM "
                    f"read_parquet('{output}/{table}/*.parquet')")
    return con.execute(query).fetchall()


def test_same_bytes_on_one_and_two_workers(tmp_path):
    config = _config(tmp_path, target=20_000)
    one = _generate(config, tmp_path / "one", 1)
    two = _generate(config, tmp_path / "two", 2)
    assert part_hashes(one) == part_hashes(two)
    assert any("anomaly_labels" in path for path in part_hashes(one))


def test_verify_passes_with_anomalies(output):
    done = run_cli("verify", output[0], "--json")
    report = json.loads(done.stdout)
    failed = [c["name"] for c in report["checks"] if c["status"] in ("fail", "error")]
    assert done.returncode == 0 and not failed, failed


def test_every_type_is_injected(output):
    found = {t for (t,) in _sql(output[0], "SELECT DISTINCT anomaly_type FROM anomaly_labels")}
    assert found == set(TYPES), sorted(set(TYPES) - found)


def test_family_rates_within_fifteen_percent(output):
    """Affected rows per family: labelled journal entries, plus labelled document rows of
    types that alter no entry (approvals of requisitions)."""
    rows = dict(_sql(output[0], """
        WITH entry_types AS (SELECT DISTINCT anomaly_type FROM anomaly_labels
                             WHERE table_name = 'journal_entries')
        SELECT family, count(*) FROM anomaly_labels
        WHERE table_name = 'journal_entries'
           OR (table_name <> 'vendors' AND table_name <> 'employees'
               AND anomaly_type NOT IN (SELECT anomaly_type FROM entry_types))
        GROUP BY family"""))
    for family in FAMILIES:
        expected = RATE * TARGET * SHARES[family]
        assert abs(rows.get(family, 0) - expected) <= 0.15 * expected, (family, rows)


def test_labels_cover_flagged_entries_both_ways(output):
    flagged = set(_sql(output[0], "SELECT DISTINCT document_id, anomaly_type::VARCHAR "
                                  "FROM journal_entries WHERE is_anomaly"))
    labelled = set(_sql(output[0], "SELECT document_id, anomaly_type::VARCHAR "
                                   "FROM anomaly_labels WHERE table_name = 'journal_entries'"))
    assert flagged and flagged == labelled
    fraud = _sql(output[0], """SELECT count(*) FROM journal_entries
                               WHERE is_fraud <> (is_anomaly AND anomaly_type IN (
                                   SELECT DISTINCT anomaly_type FROM anomaly_labels
                                   WHERE family = 'fraud'))""")
    assert fraud == [(0,)]


@pytest.mark.parametrize("table", DOCUMENT_TABLES)
def test_labels_cover_flagged_documents_both_ways(output, table):
    key = KEYS[table]
    flagged = set(_sql(output[0], f"SELECT DISTINCT {key}, anomaly_type::VARCHAR FROM {table} "
                                  "WHERE is_anomaly"))
    labelled = set(_sql(output[0], "SELECT document_id, anomaly_type::VARCHAR FROM "
                                   f"anomaly_labels WHERE table_name = '{table}'"))
    assert flagged == labelled


def test_labels_also_written_as_csv_and_jsonl(output):
    count = _sql(output[0], "SELECT count(*) FROM anomaly_labels")[0][0]
    con = duckdb.connect()
    csv = con.execute(f"SELECT count(*) FROM read_csv('{output[0]}/labels/csv/anomaly_labels/"
                      "*.csv')").fetchall()[0][0]
    jsonl = con.execute(f"SELECT count(*) FROM read_json('{output[0]}/labels/jsonl/"
                        "anomaly_labels/*.jsonl')").fetchall()[0][0]
    assert count == csv == jsonl > 0


def test_splits_keep_schemes_together_and_follow_the_shares(output):
    split_schemes = _sql(output[0], "SELECT scheme_id FROM anomaly_labels GROUP BY scheme_id "
                                    "HAVING count(DISTINCT split) > 1")
    assert split_schemes == []
    mixed = _sql(output[0], "SELECT document_id FROM journal_entries WHERE split IS NOT NULL "
                            "GROUP BY document_id HAVING count(DISTINCT split) > 1")
    assert mixed == []
    shares = dict(_sql(output[0], """
        SELECT split::VARCHAR, count(DISTINCT document_id) / (SELECT count(DISTINCT
               document_id) FROM journal_entries WHERE split IS NOT NULL)
        FROM journal_entries WHERE split IS NOT NULL GROUP BY ALL"""))
    assert shares["train"] == pytest.approx(0.70, abs=0.01)
    assert shares["test"] == pytest.approx(0.15, abs=0.01)
    labelled = dict(_sql(output[0], """
        SELECT split::VARCHAR, count(DISTINCT scheme_id) / (SELECT count(DISTINCT scheme_id)
               FROM anomaly_labels) FROM anomaly_labels GROUP BY ALL"""))
    assert labelled["train"] == pytest.approx(0.70, abs=0.05)
