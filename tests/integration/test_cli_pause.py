"""SIGUSR1 pauses a run for real (no CPU for generation) and resumes it to the same bytes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import part_hashes, run_cli, write_config


def _cpu_seconds(proc: psutil.Process) -> float:
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.Error:         # a worker that just exited
            pass
    return total


@pytest.mark.parametrize("workers, flows", [("1", False), ("2", False), ("1", True)])
def test_sigusr1_pauses_and_resumes_to_identical_output(tmp_path, workers, flows):
    extra = {} if flows else {"document_flows": {"enabled": False},
                              "runtime": {"rows_per_shard": 50_000}}
    config = write_config(tmp_path / "c.yaml", small_config_dict(
        transactions={"target_count": 400_000}, **{"global": {"period_months": 12}}, **extra))
    busy_phase = "transactions" if flows else "journal_entries"
    paused_out = tmp_path / "paused"
    proc = subprocess.Popen([sys.executable, "-m", "datasynth.cli.main", "generate", "-c",
                             str(config), "-o", str(paused_out), "--progress", "json",
                             "--workers", workers], stderr=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith("{") and json.loads(line)["phase"] == busy_phase:
            break
    proc.send_signal(signal.SIGUSR1)
    time.sleep(1.0)                        # shards reach a checkpoint; writers drain
    watched = psutil.Process(proc.pid)
    before = _cpu_seconds(watched)
    time.sleep(1.5)
    used = _cpu_seconds(watched) - before
    proc.send_signal(signal.SIGUSR1)
    _, rest = proc.communicate(timeout=120)
    assert proc.returncode == 0, rest
    assert used < 0.15, f"{used:.2f} s of CPU while paused"
    updates = [json.loads(x) for x in seen + rest.splitlines() if x.startswith("{")]
    assert any(u["paused"] for u in updates), "progress never showed the pause"
    assert not updates[-1]["paused"]
    straight = tmp_path / "straight"
    done = run_cli("generate", "-c", config, "-o", straight, "--progress", "none",
                   "--workers", workers)
    assert done.returncode == 0, done.stderr
    assert part_hashes(paused_out) == part_hashes(straight)
