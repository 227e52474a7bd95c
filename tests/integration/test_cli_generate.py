"""``generate`` through the real CLI: success, formats, progress, determinism, replacement."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pyarrow.parquet as pq
import pytest

from datasynth.runtime.result import GenerationResult
from tests.conftest import small_config_dict
from tests.integration.cli import manifest, part_hashes, run_cli, write_config


def _decoded(table):
    """Compare values, not dictionary layouts (text formats re-encode dictionaries)."""
    import pyarrow as pa

    return pa.table({name: (col.cast(col.type.value_type) if pa.types.is_dictionary(col.type)
                            else col) for name, col in zip(table.column_names, table.columns)})



@pytest.fixture(scope="module")
def parquet_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("gen")
    config = write_config(base / "config.yaml", small_config_dict())
    out = base / "out"
    done = run_cli("generate", "--config", config, "--output", out, "--workers", "1",
                   "--progress", "none")
    assert done.returncode == 0, done.stderr
    return base, config, out, done


def test_generate_writes_a_complete_output(parquet_run):
    _, _, out, done = parquet_run
    data = manifest(out)
    assert data["status"] == "complete"
    assert data["seed"] == 7 and len(data["config_sha256"]) == 64
    expected = {"accounts", "companies", "vendors", "customers", "materials", "fixed_assets",
                "employees", "cost_centers", "journal_entries", "opening_balances",
                "purchase_requisitions", "purchase_orders", "goods_receipts", "vendor_invoices",
                "vendor_payments",
                "sales_orders", "deliveries", "customer_invoices", "customer_receipts",
                "asset_acquisitions", "document_references", "ar_open_items", "ap_open_items",
                "inventory_positions", "fixed_asset_balances", "trial_balances", "fx_rates"}
    assert set(data["tables"]) == expected     # internal tables (ledger_activity) stay out
    assert not (out / ".datasynth").exists()
    for table in data["tables"].values():
        files = table["files"]
        assert sum(f["rows"] for f in files) == table["rows"]
        for f in files:
            path = out / f["path"]
            assert path.stat().st_size == f["bytes"]
            assert hashlib.sha256(path.read_bytes()).hexdigest() == f["sha256"]
            assert pq.read_metadata(path).num_rows == f["rows"]
    assert [p["name"] for p in data["phases"]] == [
        "calendar", "chart_of_accounts", "fx_rates", "master_data", "opening_balances",
        "transactions", "subledgers", "period_close", "trial_balances"]
    assert "journal_entries" in done.stdout and "complete" in done.stdout


def test_duckdb_reads_each_table_directory_as_one_dataset(parquet_run):
    _, _, out, _ = parquet_run
    rows = manifest(out)["tables"]["journal_entries"]["rows"]
    count, unbalanced = duckdb.sql(f"""
        with e as (select document_id, sum(debit_amount) d, sum(credit_amount) c
                   from read_parquet('{out}/journal_entries/*.parquet') group by 1)
        select (select count(*) from read_parquet('{out}/journal_entries/*.parquet')),
               count(*) filter (where d <> c) from e""").fetchall()[0]
    assert count == rows and unbalanced == 0


def test_same_bytes_for_one_and_two_workers(parquet_run, tmp_path):
    _, config, out, _ = parquet_run
    second = tmp_path / "two"
    done = run_cli("generate", "--config", config, "--output", second, "--workers", "2",
                   "--progress", "none")
    assert done.returncode == 0, done.stderr
    assert part_hashes(out) == part_hashes(second)
    assert len(part_hashes(out)) > 8


def test_a_different_seed_gives_different_entries(parquet_run, tmp_path):
    _, config, out, _ = parquet_run
    other = tmp_path / "seed"
    done = run_cli("generate", "--config", config, "--output", other, "--seed", "8",
                   "--progress", "none", "--workers", "1")
    assert done.returncode == 0, done.stderr
    a, b = part_hashes(out), part_hashes(other)
    assert a["journal_entries/part-00000.parquet"] != b["journal_entries/part-00000.parquet"]
    assert manifest(other)["seed"] == 8


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_text_formats_hold_the_same_rows_as_parquet(parquet_run, tmp_path, fmt):
    _, config, out, _ = parquet_run
    target = tmp_path / fmt
    done = run_cli("generate", "--config", config, "--output", target, "--format", fmt,
                   "--progress", "none", "--workers", "1")
    assert done.returncode == 0, done.stderr
    reference = GenerationResult(out, manifest(out), {})
    written = GenerationResult(target, manifest(target), {})
    for table in ("journal_entries", "employees", "accounts"):
        assert _decoded(written.table(table)).equals(_decoded(reference.table(table))), table
    reader = "read_csv" if fmt == "csv" else "read_json"
    total = duckdb.sql(f"select count(*), sum(debit_amount::DECIMAL(18,2)) - sum(credit_amount::DECIMAL(18,2)) "
                       f"from {reader}('{target}/journal_entries/*.{fmt}')").fetchall()[0]
    assert total[0] == manifest(out)["tables"]["journal_entries"]["rows"]
    assert total[1] == 0


def test_progress_json_reports_every_phase(tmp_path):
    config = write_config(tmp_path / "c.yaml", small_config_dict(
        transactions={"target_count": 500}))
    done = run_cli("generate", "--config", config, "--output", tmp_path / "o",
                   "--progress", "json", "--workers", "1")
    assert done.returncode == 0, done.stderr
    updates = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    fields = {"phase", "current", "total", "percent", "entries_per_second", "elapsed",
              "estimated_remaining", "paused"}
    assert all(fields <= set(u) for u in updates)
    phases = [u["phase"] for u in updates]
    for phase in ("initialize", "calendar", "chart_of_accounts", "fx_rates", "master_data",
                  "opening_balances", "transactions", "subledgers", "period_close",
                  "trial_balances", "export"):
        assert phase in phases
    last = [u for u in updates if u["phase"] == "transactions"][-1]
    assert last["current"] == last["total"] == 500 and last["percent"] == 100.0


def test_rerun_replaces_an_earlier_output_without_stale_parts(tmp_path):
    out = tmp_path / "o"
    big = write_config(tmp_path / "big.yaml", small_config_dict())
    data = small_config_dict(transactions={"target_count": 100})
    data["companies"] = data["companies"][:1]          # one company: fewer part files
    small = write_config(tmp_path / "small.yaml", data)
    assert run_cli("generate", "-c", big, "-o", out, "--progress", "none").returncode == 0
    before = len(list((out / "journal_entries").iterdir()))
    done = run_cli("generate", "-c", small, "-o", out, "--progress", "none")
    assert done.returncode == 0, done.stderr
    files = {p.name for p in (out / "journal_entries").iterdir()}
    listed = {f["path"].split("/")[-1] for f in manifest(out)["tables"]["journal_entries"]["files"]}
    assert files == listed and len(files) < before


def test_demo_runs(tmp_path):
    done = run_cli("generate", "--demo", "--output", tmp_path / "demo", "--progress", "none")
    assert done.returncode == 0, done.stderr
    data = manifest(tmp_path / "demo")
    assert data["tables"]["journal_entries"]["rows"] > 200_000      # 100,000 entries' lines
    assert data["tables"]["anomaly_labels"]["rows"] > 2_000          # 2 % of the entries
    checked = run_cli("verify", tmp_path / "demo", "--json")
    assert checked.returncode == 0, checked.stdout[-3000:]
    report = json.loads(checked.stdout)
    assert all(c["status"] == "pass" for c in report["checks"]), report
