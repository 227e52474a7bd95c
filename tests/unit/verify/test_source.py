"""Opening outputs: manifest errors, the formats a table is read from, absent tables."""

from __future__ import annotations

import json

import pytest

from datasynth.verify import ERROR, PASS, SKIP, NotAnOutput, Source, verify
from tests.unit.verify.builder import part_files
from tests.unit.verify.conftest import failing, results


def test_the_coherent_books_pass_every_check(books_dir):
    report = verify(books_dir)
    assert report.ok
    # the books inject no anomalies, hold no exchange rates and are no group: those checks
    # skip (the anomaly tests, tests/integration/test_cli_verify.py and the group tests run
    # them)
    absent = ("anomalies.", "fx.", "intercompany.", "consolidation.", "keys.group")
    labels = [r for r in report.results if r.name.startswith(absent)]
    others = [r for r in report.results if not r.name.startswith(absent)]
    assert {r.status for r in labels} == {SKIP}
    assert {r.status for r in others} == {PASS}, [
        (r.name, r.status, r.detail) for r in others if r.status != PASS]
    # the hand-built books have no foreign-currency partner: no valuation to reconcile
    assert [r.name for r in others if not r.checked] == ["subledger.payables_valuation",
                                                         "subledger.receivables_valuation"]


def test_a_directory_without_manifest_is_not_an_output(tmp_path):
    with pytest.raises(NotAnOutput, match="no manifest.json") as info:
        Source(tmp_path)
    assert info.value.exit_code == 2


@pytest.mark.parametrize("text, message", [
    ("{not json", "not valid JSON"),
    (json.dumps({"generator": "other", "tables": {}}), "not written by datasynth"),
    (json.dumps({"generator": "datasynth", "tables": []}), "no valid 'tables' section"),
    (json.dumps({"generator": "datasynth", "tables": {"t": {"files": [{}]}}}),
     "no valid 'tables' section"),
])
def test_an_invalid_manifest_says_what_is_wrong(tmp_path, text, message):
    (tmp_path / "manifest.json").write_text(text)
    with pytest.raises(NotAnOutput, match=message):
        Source(tmp_path)


def test_a_missing_directory_is_not_an_output(tmp_path):
    with pytest.raises(NotAnOutput, match="is not a directory"):
        Source(tmp_path / "nothing")


@pytest.mark.parametrize("formats", [("csv",), ("jsonl",)])
def test_text_only_outputs_are_read_with_exact_types(build, formats):
    root = build(formats=formats)
    with Source(root) as src:
        assert set(src.formats.values()) == {formats[0]}
        assert src.rows("SELECT typeof(debit_amount) FROM journal_entries LIMIT 1") == [
            ("DECIMAL(18,2)",)]
    assert failing(root) == set()


def test_with_several_formats_the_parquet_tree_is_read(build):
    root = build(formats=("parquet", "csv"))
    with Source(root) as src:
        assert set(src.formats.values()) == {"parquet"}
    assert (root / "csv" / "journal_entries" / "part-00000.csv").is_file()
    assert failing(root) == set()
    # damage in the csv tree changes no parquet data: only the manifest notices
    csv_part = part_files(root, "journal_entries", "csv")[0]
    csv_part.write_text(csv_part.read_text().replace("1000.00", "1000.01", 1))
    assert failing(root) == {"manifest"}


def test_checks_of_absent_tables_are_skipped_not_failed(build):
    flows = ("purchase_requisitions", "purchase_orders", "goods_receipts", "vendor_invoices",
             "vendor_payments", "sales_orders", "deliveries", "customer_invoices", "customer_receipts",
             "document_references", "asset_acquisitions", "ar_open_items", "ap_open_items",
             "inventory_positions", "fixed_asset_balances", "trial_balances")
    report = verify(build(drop=flows))
    assert report.ok
    by_name = {r.name: r for r in report.results}
    for name in ("amounts.vendor_invoices", "subledger.receivables", "keys.documents",
                 "chains.sales_order_deliveries", "trial_balance.agrees_with_journal"):
        assert by_name[name].status == SKIP, name
    assert "trial_balances" in by_name["trial_balance.roll_forward"].detail
    assert by_name["journal.balanced"].status == PASS
    assert by_name["keys.ledgers"].status == PASS       # opening_balances is still there
    assert "skipped: tables absent" in by_name["keys.ledgers"].detail


def test_an_unreadable_part_file_fails_its_checks_without_stopping_the_others(books_dir):
    part_files(books_dir, "journal_entries")[0].write_bytes(b"not parquet at all")
    found = results(books_dir)
    assert found["manifest"].status == "fail"
    assert found["journal.balanced"].status == ERROR
    assert found["journal.balanced"].detail.startswith("could not run:")
    assert found["amounts.vendor_invoices"].status == PASS


def test_a_listed_table_without_files_is_an_empty_table(build):
    root = build()
    manifest = json.loads((root / "manifest.json").read_text())
    for f in manifest["tables"]["sales_orders"]["files"]:
        (root / f["path"]).unlink()
    with Source(root) as src:
        assert src.formats["sales_orders"] == "none"
        assert src.scalar("SELECT count(*) FROM sales_orders") == 0
    assert "manifest" in failing(root)


def test_duckdb_works_within_the_memory_limit_it_is_given(books_dir):
    with Source(books_dir, memory_limit_mb=300) as src:
        assert src.scalar("SELECT current_setting('memory_limit')") == "286.1 MiB"  # 300 MB
    with Source(books_dir) as src:                # a bounded default, not 80 % of the machine
        assert src.scalar("SELECT current_setting('memory_limit')") == "976.5 MiB"  # 1024 MB


def test_a_check_out_of_memory_says_which_limit_to_raise():
    import duckdb

    from datasynth.verify.result import named

    @named("keys.too_big")
    def too_big(src, name):
        raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate 256 MiB")

    found = too_big(None)
    assert found.status == ERROR
    assert found.detail.startswith("could not run within the memory limit: raise verify "
                                   "--memory-limit (MB); Out of Memory Error")
