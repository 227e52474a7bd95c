"""Ctrl-C during generation: exit 130, one message, a manifest marked interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import manifest, write_config


def interrupt_when(config, out, workers: str, ready, sig=signal.SIGINT) -> dict:
    """Start ``generate``, send ``sig`` at the first progress update ``ready`` accepts, and
    check the clean stop: exit 130 within seconds, one message, no traceback, no temporary
    file left, a manifest marked interrupted (returned)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATASYNTH_")}
    proc = subprocess.Popen([sys.executable, "-m", "datasynth.cli.main", "generate", "-c",
                             str(config), "-o", str(out), "--progress", "json", "--workers",
                             workers], stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env)
    deadline = time.monotonic() + 120
    for line in proc.stderr:
        if line.startswith("{") and ready(json.loads(line)):
            break
        assert time.monotonic() < deadline
    sent = time.monotonic()
    proc.send_signal(sig)
    _, rest = proc.communicate(timeout=60)
    # stops within two seconds (measured 0.2-0.8 s); the bound leaves room for a busy machine
    assert time.monotonic() - sent < 4
    assert proc.returncode == 130
    assert "error: generation interrupted" in rest and "Traceback" not in rest
    assert not list(out.rglob("*.tmp"))
    data = manifest(out)
    assert data["status"] == "interrupted" and data["error"]["type"] == "Interrupted"
    return data


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigint_stops_cleanly(tmp_path, workers):
    # the standalone journal-entry generator: many shards, so an interrupt lands mid-phase
    config = write_config(tmp_path / "c.yaml", small_config_dict(
        transactions={"target_count": 3_000_000}, runtime={"rows_per_shard": 50_000},
        document_flows={"enabled": False}))
    interrupt_when(config, tmp_path / "o", workers,
                   lambda u: u["phase"] == "journal_entries" and u["current"] > 0)


def test_sigint_during_the_document_flows(tmp_path):
    """A company's books are one long shard: Ctrl-C there still ends the run promptly."""
    config = write_config(tmp_path / "c.yaml", small_config_dict(
        transactions={"target_count": 600_000}, **{"global": {"period_months": 12}}))
    data = interrupt_when(config, tmp_path / "o", "1", lambda u: u["phase"] == "transactions")
    assert "trial_balances" not in data["tables"]      # nothing after the interrupt ran


def test_sigterm_stops_like_ctrl_c(tmp_path):
    config = write_config(tmp_path / "c.yaml", small_config_dict(
        transactions={"target_count": 600_000}, **{"global": {"period_months": 12}}))
    interrupt_when(config, tmp_path / "o", "2", lambda u: u["phase"] == "transactions",
                   signal.SIGTERM)
