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


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigint_stops_cleanly(tmp_path, workers):
    config = write_config(tmp_path / "c.yaml", small_config_dict(
        transactions={"target_count": 3_000_000}, runtime={"rows_per_shard": 50_000}))
    out = tmp_path / "o"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATASYNTH_")}
    proc = subprocess.Popen([sys.executable, "-m", "datasynth.cli.main", "generate", "-c",
                             str(config), "-o", str(out), "--progress", "json", "--workers",
                             workers], stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, env=env)
    deadline = time.monotonic() + 120
    for line in proc.stderr:                       # wait until entries are being generated
        if line.startswith("{") and json.loads(line)["phase"] == "journal_entries" \
                and json.loads(line)["current"] > 0:
            break
        assert time.monotonic() < deadline
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, rest = proc.communicate(timeout=60)
    assert time.monotonic() - sent < 10
    assert proc.returncode == 130
    assert "error: generation interrupted" in rest and "Traceback" not in rest
    data = manifest(out)
    assert data["status"] == "interrupted" and data["error"]["type"] == "Interrupted"
    assert not list(out.rglob("*.tmp"))
