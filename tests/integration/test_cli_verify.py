"""``verify`` through the real CLI on a generated output: it passes, and each kind of
deliberate damage fails the check that covers it (not only the manifest checksum)."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import failed_checks, manifest, run_cli, verify_checks, write_config
from tests.unit.verify.builder import delete_first, rewrite_first

# What the damage tests need; until the books pipeline writes them, the tests skip.
NEEDED = ("journal_entries", "trial_balances", "vendor_invoices", "ar_open_items",
          "customer_invoices", "ap_open_items", "opening_balances")
# document flows are off by default while the books pipeline is completed (issue 3)
# company currencies only: the rate checks below name the first currency they find
CONFIG = small_config_dict(document_flows={"enabled": True, "foreign_currency_share": 0})


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    base = tmp_path_factory.mktemp("verify")
    out = base / "out"
    done = run_cli("generate", "--config", write_config(base / "config.yaml", CONFIG),
                   "--output", out, "--workers", "1", "--progress", "none")
    assert done.returncode == 0, done.stderr
    missing = [t for t in NEEDED if t not in manifest(out)["tables"]]
    if missing:
        pytest.skip(f"the pipeline does not write {', '.join(missing)} yet")
    return out


@pytest.fixture
def copy(generated, tmp_path):
    """A private copy of the generated output, to damage."""
    return shutil.copytree(generated, tmp_path / "damaged")



def test_a_generated_output_verifies(generated):
    done = run_cli("verify", generated)
    assert done.returncode == 0, done.stdout
    assert " 0 failed" in done.stdout and "trial_balance.agrees_with_journal" in done.stdout
    code, checks = verify_checks(generated)
    assert code == 0
    # the core checks ran on real data; only flows absent from a short run may be skipped
    for name in ("journal.balanced", "trial_balance.agrees_with_journal",
                 "subledger.receivables", "subledger.payables", "keys.journal_references",
                 "chains.vendor_invoices_settled", "statements.assets_equal_liabilities_equity"):
        assert checks[name]["status"] == "pass" and checks[name]["checked"] > 0, name


def test_a_changed_journal_amount(copy):
    def change(row):
        if row["debit_amount"] > 0:
            row["debit_amount"] += Decimal("1.00")
            return True
        return False

    rewrite_first(copy, "journal_entries", change)
    code, checks = verify_checks(copy)
    assert code == 1
    assert {"manifest", "journal.balanced", "trial_balance.agrees_with_journal"} <= \
        failed_checks(checks)
    assert checks["journal.balanced"]["violations"] == 1


def test_a_deleted_journal_line(copy):
    line = delete_first(copy, "journal_entries", lambda row: row["line_number"] == 2)
    code, checks = verify_checks(copy)
    assert code == 1
    assert {"journal.balanced", "trial_balance.agrees_with_journal"} <= failed_checks(checks)
    assert line["document_id"] in checks["journal.balanced"]["detail"]


def test_a_dangling_journal_reference(copy):
    def change(row):
        if row["reference_document_type"] == "vendor_invoice":
            row["reference_document_id"] = "VI-DANGLING"
            return True
        return False

    rewrite_first(copy, "journal_entries", change)
    code, checks = verify_checks(copy)
    assert code == 1 and "keys.journal_references" in failed_checks(checks)
    assert "VI-DANGLING" in checks["keys.journal_references"]["detail"]


def test_a_dangling_vendor(copy):
    rewrite_first(copy, "vendor_invoices", lambda row: row.update(vendor_id="V-DANGLING") or True)
    code, checks = verify_checks(copy)
    assert code == 1 and "keys.documents" in failed_checks(checks)
    assert "vendor_invoices.vendor_id->vendors: 1 dangling (e.g. V-DANGLING)" in \
        checks["keys.documents"]["detail"]


def test_a_changed_open_item(copy):
    def change(row):
        row["open_amount"] += Decimal("0.01")
        return True

    rewrite_first(copy, "ar_open_items", change)
    code, checks = verify_checks(copy)
    assert code == 1 and "subledger.receivables" in failed_checks(checks)
    assert checks["subledger.receivables"]["violations"] == 1


def test_a_directory_without_manifest_exits_2(tmp_path):
    (tmp_path / "journal_entries").mkdir()
    done = run_cli("verify", tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().startswith(f"error: {tmp_path} is not a datasynth output")
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_the_exchange_ratesverify_checks(generated):
    code, checks = verify_checks(generated)
    assert checks["fx.rates_complete"]["status"] == "pass"
    assert checks["fx.rates_complete"]["checked"] == 91 + 2 * 3      # EUR: 91 days (2024 Q1), 3 months
    assert checks["fx.rates_consistent"]["status"] == "pass"


def test_a_tampered_exchange_rate(copy):
    def change(row):
        if row["rate_type"] == "spot" and row["is_fixing"] and row["rate_date"].day == 14:
            row["rate"] += Decimal("0.0005")
            return True
        return False

    rewrite_first(copy, "fx_rates", change)
    code, checks = verify_checks(copy)
    assert code == 1
    assert checks["fx.rates_consistent"]["status"] == "fail"
    assert "average EUR 2024-" in checks["fx.rates_consistent"]["detail"]
    assert checks["fx.rates_complete"]["status"] == "pass"


def test_a_missing_exchange_rate(copy):
    gone = delete_first(copy, "fx_rates", lambda row: row["rate_type"] == "closing")
    code, checks = verify_checks(copy)
    assert code == 1
    assert checks["fx.rates_complete"]["status"] == "fail"
    assert f"EUR closing {gone['rate_date']}" in checks["fx.rates_complete"]["detail"]
