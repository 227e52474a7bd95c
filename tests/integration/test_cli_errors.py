"""Every error path through the real CLI: one clear message, the documented exit code,
no traceback, and nothing written where nothing should be."""

from __future__ import annotations

import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import manifest, run_cli, write_config


def _assert_clean_error(done, code, *fragments):
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert done.stderr.startswith("error: "), done.stderr
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr


@pytest.mark.parametrize("change, fragments", [
    ({"global": {"seed": 1, "flavour": "x"}}, ["global.flavour", "unknown key"]),
    ({"transactions": {"target_count": 10, "amounts": {"components": [
        {"weight": 1, "mu": 5, "sigma": 1, "tail": 3}]}}},
     ["transactions.amounts.components[0].tail", "unknown key"]),
    ({"master_data": {"vendors": -1}}, ["master_data.vendors", "-1"]),
    ({"global": {"start_date": "2024-02-31"}}, ["global.start_date", "2024-02-31"]),
    ({"global": {"period_months": 0}}, ["global.period_months"]),
    ({"companies": [{"code": "1", "name": "a", "currency": "XXX"}]},
     ["companies[0].currency", "XXX"]),
    ({"global": {"industry": "mining"}}, ["global.industry", "mining"]),
    ({"companies": [{"code": "1", "name": "a"}, {"code": "1", "name": "b"}]},
     ["companies[1].code", "duplicate"]),
    ({"output": {"format": "xlsx"}}, ["output.format", "xlsx"]),
    ({"runtime": {"workers": "many"}}, ["runtime.workers"]),
    ({"anomaly_injection": {"enabled": True, "type_weights": {"embezzlement": 1}}},
     ["anomaly_injection.type_weights", "embezzlement", "duplicate_payment"]),
    ({"anomaly_injection": {"enabled": True, "total_rate": 0.5}},
     ["anomaly_injection.total_rate", "0.5"]),
    ({"anomaly_injection": {"split": {"enabled": True, "train": 0.8}}},
     ["anomaly_injection.split", "must be 1"]),
    ({"document_flows": {"enabled": False}, "anomaly_injection": {"enabled": True}},
     ["anomaly_injection.enabled", "document flows"]),
    ({"data_quality": {"enabled": True, "typo_rate": 2}}, ["data_quality.typo_rate"]),
])
def test_bad_config_exits_2_and_writes_nothing(tmp_path, change, fragments):
    data = small_config_dict()
    data.update(change)
    config = write_config(tmp_path / "bad.yaml", data)
    out = tmp_path / "out"
    done = run_cli("generate", "--config", config, "--output", out, "--progress", "none")
    _assert_clean_error(done, 2, "bad.yaml", *fragments)
    assert not out.exists()
    validated = run_cli("validate", "--config", config)
    _assert_clean_error(validated, 2, *fragments)


def test_missing_config_file(tmp_path):
    done = run_cli("generate", "--config", tmp_path / "none.yaml", "--output", tmp_path / "o")
    _assert_clean_error(done, 2, "not found")


def test_config_and_demo_together_is_a_usage_error(tmp_path):
    config = write_config(tmp_path / "c.yaml", small_config_dict())
    done = run_cli("generate", "--config", config, "--demo", "--output", tmp_path / "o")
    _assert_clean_error(done, 2, "exactly one of")


def test_unknown_option_is_a_usage_error(tmp_path):
    done = run_cli("generate", "--demo", "--output", tmp_path / "o", "--colour")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_foreign_non_empty_directory_is_refused(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    config = write_config(tmp_path / "c.yaml", small_config_dict())
    done = run_cli("generate", "--config", config, "--output", out, "--progress", "none")
    _assert_clean_error(done, 4, "not empty")
    assert [p.name for p in out.iterdir()] == ["thesis.docx"]


def test_output_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    config = write_config(tmp_path / "c.yaml", small_config_dict())
    done = run_cli("generate", "--config", config, "--output", target, "--progress", "none")
    _assert_clean_error(done, 4, "not a directory")


def test_unwritable_output_location(tmp_path):
    config = write_config(tmp_path / "c.yaml", small_config_dict())
    done = run_cli("generate", "--config", config, "--output", "/proc/datasynth-out",
                   "--progress", "none")
    _assert_clean_error(done, 4, "/proc/datasynth-out")


def test_init_validate_and_plan(tmp_path):
    path = tmp_path / "retail.yaml"
    done = run_cli("init", "--industry", "retail", "--complexity", "medium", "-o", path)
    assert done.returncode == 0, done.stderr
    assert run_cli("validate", "--config", path).returncode == 0
    again = run_cli("init", "--industry", "retail", "-o", path)
    _assert_clean_error(again, 4, "already exists")
    plan = run_cli("info", "--plan", "--config", path)
    assert plan.returncode == 0
    order = [line.split()[1] for line in plan.stdout.splitlines() if line[:4].strip()[:1].isdigit()]
    assert order == ["initialize", "calendar", "chart_of_accounts", "fx_rates", "master_data",
                     "opening_balances", "transactions", "subledgers", "period_close",
                     "trial_balances", "export"]


def test_info_lists_what_can_be_generated():
    done = run_cli("info")
    assert done.returncode == 0
    for word in ("manufacturing", "healthcare", "large", "parquet", "jsonl"):
        assert word in done.stdout


def test_a_reader_that_goes_away_is_not_an_error(tmp_path):
    """``generate ... | head -1``: the summary's reader closes early; the run still counts."""
    import subprocess
    import sys

    config = write_config(tmp_path / "c.yaml", small_config_dict())
    proc = subprocess.Popen([sys.executable, "-m", "datasynth.cli.main", "generate", "-c",
                             str(config), "-o", str(tmp_path / "o"), "--progress", "none"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and b"internal error" not in err, err
    assert manifest(tmp_path / "o")["status"] == "complete"
