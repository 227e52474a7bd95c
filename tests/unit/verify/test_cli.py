"""``datasynth-data verify`` in process: exit codes, the table, JSON, and clear errors."""

from __future__ import annotations

import json
from decimal import Decimal

from click.testing import CliRunner

from datasynth.cli.main import cli
from tests.unit.verify.builder import find, part_files


def _run(*args: str):
    return CliRunner().invoke(cli, ["verify", *map(str, args)])


def test_a_coherent_output_exits_0_with_a_table(books_dir):
    done = _run(books_dir)
    assert done.exit_code == 0, done.output
    assert "journal.balanced" in done.stdout and "subledger.payables" in done.stdout
    # the books inject no anomalies, have no exchange-rate table and no group: the two label
    # checks, the two rate checks and the eight group checks skip
    assert "43 passed, 0 failed, 12 skipped" in done.stdout


def test_a_failing_check_exits_1_and_names_it(build):
    root = build(edit=lambda d: find(d["vendor_payments"], payment_id="VP-1").update(
        paid_amount=Decimal(1)))
    done = _run(root)
    assert done.exit_code == 1
    line = next(x for x in done.stdout.splitlines() if "amounts.vendor_payments" in x)
    assert "FAIL" in line and "VP-1/VI-1 1,100.00 vs 1.00" in line
    assert "1 failed" in done.stdout


def test_json_output(build):
    root = build(drop=("sales_orders",))
    done = _run(root, "--json")
    assert done.exit_code == 0
    data = json.loads(done.stdout)
    assert data["ok"] is True and data["directory"] == str(root)
    checks = {c["name"]: c for c in data["checks"]}
    assert checks["chains.sales_order_deliveries"]["status"] == "skip"
    assert checks["journal.balanced"] == {"name": "journal.balanced", "status": "pass",
                                          "checked": 14, "violations": 0,
                                          "detail": "14 entries balanced"}
    assert data["summary"]["skip"] >= 1 and data["summary"]["fail"] == 0


def test_not_an_output_exits_2_with_one_message(tmp_path):
    done = _run(tmp_path)
    assert done.exit_code == 2
    assert done.stderr.strip() == (f"error: {tmp_path} is not a datasynth output: it has no "
                                   "manifest.json (generate one with `datasynth-data generate "
                                   "-o DIR`)")
    assert done.stdout == ""


def test_a_missing_directory_exits_2(tmp_path):
    done = _run(tmp_path / "nope")
    assert done.exit_code == 2 and "is not a directory" in done.stderr


def test_an_unreadable_table_is_an_error_not_a_traceback(books_dir):
    part_files(books_dir, "trial_balances")[0].write_bytes(b"garbage")
    done = _run(books_dir)
    assert done.exit_code == 1
    assert "Traceback" not in done.output
    line = next(x for x in done.stdout.splitlines() if "trial_balance.roll_forward" in x)
    assert "ERROR" in line and "cannot be read" in line


def test_a_memory_limit_below_the_minimum_is_a_usage_error(books_dir):
    done = _run(books_dir, "--memory-limit", "64")
    assert done.exit_code == 2
    assert "--memory-limit" in done.output and "64 is not in the range x>=128" in done.output


def test_a_small_memory_limit_still_verifies(books_dir):
    done = _run(books_dir, "--memory-limit", "256", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["ok"] is True
