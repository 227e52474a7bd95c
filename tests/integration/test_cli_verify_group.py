"""``verify`` through the real CLI on a generated group: it passes, and each kind of damage to
the intercompany or consolidation tables fails the group check that covers it."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import failed_checks, manifest, run_cli, verify_checks, write_config
from tests.unit.verify.builder import part_files, rewrite_first, rewrite_parquet

# a USD parent with a EUR and a GBP subsidiary, three months; labelled exceptions made
# common enough that a short run has some, so the checks explain them, not just pass
GROUP = small_config_dict(
    companies=[
        {"code": "US01", "name": "Atlas Holdings Inc.", "currency": "USD", "country": "US"},
        {"code": "DE01", "name": "Atlas GmbH", "currency": "EUR", "country": "DE",
         "volume_weight": 0.6},
        {"code": "GB01", "name": "Atlas UK Ltd", "currency": "GBP", "country": "GB",
         "volume_weight": 0.5}],
    document_flows={"enabled": True},
    intercompany={"enabled": True, "timing_difference_rate": 0.2, "mismatch_rate": 0.1,
                  "relationships": [{"parent": "US01", "subsidiary": "DE01"},
                                    {"parent": "US01", "subsidiary": "GB01",
                                     "ownership": 0.8}]})
INTERCOMPANY = ("intercompany.pairs_posted", "intercompany.pairs_match",
                "intercompany.balances_reconcile", "intercompany.open_items_reconcile",
                "keys.group")
CONSOLIDATION = ("consolidation.translation", "consolidation.eliminations_balance",
                 "consolidation.balance_sheet_balances")


@pytest.fixture(scope="module")
def group(tmp_path_factory):
    base = tmp_path_factory.mktemp("verify-group")
    out = base / "out"
    done = run_cli("generate", "--config", write_config(base / "group.yaml", GROUP),
                   "--output", out, "--workers", "1", "--progress", "none")
    assert done.returncode == 0, done.stderr
    assert "intercompany_pairs" in manifest(out)["tables"]
    return out


@pytest.fixture
def copy(group, tmp_path):
    return shutil.copytree(group, tmp_path / "damaged")



def _pairs(root) -> list[dict]:
    return pq.read_table(part_files(root, "intercompany_pairs")).to_pylist()


def _foreign_pair(root) -> dict:
    """A matched pair whose buyer converted (another currency than the invoice's)."""
    return next(p for p in sorted(_pairs(root), key=lambda p: p["pair_id"])
                if p["match_status"] == "matched" and p["activity"] in ("goods", "services")
                and p["buyer_currency"] != p["transaction_currency"])


def test_a_generated_group_verifies(group):
    code, checks = verify_checks(group)
    assert code == 0, failed_checks(checks)
    for name in INTERCOMPANY:
        assert checks[name]["status"] == "pass" and checks[name]["checked"] > 0, name
    consolidated = "consolidated_trial_balances" in manifest(group)["tables"]
    for name in CONSOLIDATION:
        assert checks[name]["status"] == ("pass" if consolidated else "skip"), name
    # the run has labelled exceptions, and the reconciliation explained them
    statuses = {p["match_status"] for p in _pairs(group)}
    assert {"timing_difference", "amount_mismatch"} <= statuses


def test_a_changed_buyer_amount(copy):
    pair = _foreign_pair(copy)

    def change(row):
        if row["pair_id"] == pair["pair_id"]:
            row["buyer_amount"] += Decimal("1.00")
            return True
        return False

    rewrite_first(copy, "intercompany_pairs", change)
    code, checks = verify_checks(copy)
    assert code == 1
    assert {"intercompany.pairs_match", "intercompany.pairs_posted"} <= failed_checks(checks)
    for name in ("intercompany.pairs_match", "intercompany.pairs_posted"):
        assert checks[name]["violations"] == 1
        assert pair["pair_id"] in checks[name]["detail"]
    assert "buyer_amount" in checks["intercompany.pairs_match"]["detail"]
    # the books were not touched
    assert not {"journal.balanced", "intercompany.balances_reconcile"} & failed_checks(checks)


def test_a_changed_buyer_payable_line(copy):
    """The payable and its offsetting line move together: the entry still balances, but the
    payable is no longer the pair's, and the two companies' balances disagree."""
    pair = _foreign_pair(copy)
    doc = pair["buyer_document_id"]
    delta = Decimal("50.00")
    for path in part_files(copy, "journal_entries"):
        rows = pq.read_table(path).to_pylist()
        lines = [r for r in rows if r["document_id"] == doc]
        if not lines:
            continue
        payable = next(r for r in lines if r["gl_account"] == "219000")
        offset = next(r for r in lines if r["debit_amount"] > 0)
        payable["credit_amount"] += delta
        offset["debit_amount"] += delta
        rewrite_parquet(path, lambda _, rows=rows: rows)
        break
    else:
        raise AssertionError(f"{doc} not found")
    code, checks = verify_checks(copy)
    assert code == 1
    assert checks["journal.balanced"]["status"] == "pass"
    assert {"intercompany.pairs_posted", "intercompany.balances_reconcile"} <= failed_checks(checks)
    detail = checks["intercompany.pairs_posted"]["detail"]
    assert pair["pair_id"] in detail and doc in detail and "payable" in detail
    assert f"US01->{pair['buyer_company']}" in checks["intercompany.balances_reconcile"]["detail"]


def test_a_changed_spot_rate_a_pair_used(copy):
    pair = _foreign_pair(copy)

    def change(row):
        if (row["rate_type"] == "spot" and row["from_currency"] == pair["buyer_currency"]
                and row["rate_date"] == pair["buyer_posting_date"]):
            row["rate"] += Decimal("0.0005")
            return True
        return False

    rewrite_first(copy, "fx_rates", change)
    code, checks = verify_checks(copy)
    assert code == 1
    assert {"fx.rates_consistent", "intercompany.pairs_match"} <= failed_checks(checks)
    detail = checks["intercompany.pairs_match"]["detail"]
    assert pair["pair_id"] in detail and "spot cross rate" in detail


def test_a_changed_elimination_line(copy):
    def change(row):
        if row["elimination_type"] == "ic_balances" and row["debit"] > 0:
            row["debit"] += Decimal("1.00")
            return True
        return False

    line = rewrite_first(copy, "consolidation_eliminations", change)
    code, checks = verify_checks(copy)
    assert code == 1
    assert {"consolidation.eliminations_balance",
            "consolidation.balance_sheet_balances"} <= failed_checks(checks)
    assert line["elimination_id"] in checks["consolidation.eliminations_balance"]["detail"]
    assert "debits" in checks["consolidation.eliminations_balance"]["detail"]
    assert "eliminations" in checks["consolidation.balance_sheet_balances"]["detail"]


def test_a_changed_open_item(copy):
    def change(row):
        if row["revalued_amount"] != 0:
            row["revalued_amount"] += Decimal("0.01")
            row["unrealised_fx"] += Decimal("0.01")
            return True
        return False

    item = rewrite_first(copy, "intercompany_open_items", change)
    code, checks = verify_checks(copy)
    assert code == 1 and "intercompany.open_items_reconcile" in failed_checks(checks)
    detail = checks["intercompany.open_items_reconcile"]["detail"]
    assert item["pair_id"] in detail and "ledger" in detail


def test_a_translated_balance_changed(copy):
    def change(row):
        if row["account_type"] == "asset" and row["local_currency"] != "USD":
            row["translated_balance"] += Decimal("0.01")
            return True
        return False

    row = rewrite_first(copy, "translated_trial_balances", change)
    code, checks = verify_checks(copy)
    assert code == 1
    assert {"consolidation.translation", "consolidation.balance_sheet_balances"} <= \
        failed_checks(checks)
    assert f"{row['company_code']} {row['gl_account']}" in \
        checks["consolidation.translation"]["detail"]
