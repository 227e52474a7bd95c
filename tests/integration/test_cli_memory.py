"""The memory guard through the real CLI: a feasible limit is kept, an infeasible one stops
the run with exit 3 and a message saying what it needs, and the run resumes."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from datasynth.runtime.memory import MB
from tests.conftest import small_config_dict
from tests.integration.cli import manifest, part_hashes, run_cli, write_config


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    base = tmp_path_factory.mktemp("memory")
    return write_config(base / "c.yaml", small_config_dict(
        transactions={"target_count": 200_000}, **{"global": {"period_months": 12}}))


def test_a_feasible_limit_completes_below_it_throttled(config, tmp_path):
    """The peak is measured here too, independently of the guard, every 20 ms."""
    out = tmp_path / "o"
    proc = subprocess.Popen([sys.executable, "-m", "datasynth.cli.main", "generate", "-c",
                             str(config), "-o", str(out), "--progress", "json", "--workers",
                             "2", "--memory-limit", "1500", "--memory-soft-limit", "150"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = _watch_peak(proc)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    updates = [json.loads(x) for x in err.splitlines() if x.startswith("{")]
    assert any(u["memory"] == "throttled" for u in updates), "never throttled above 150 MB"
    memory = manifest(out)["memory"]
    assert 150 <= memory["peak_mb"] < 1500, memory
    assert 150 * MB <= peak < 1500 * MB, f"measured peak {peak // MB} MB"


def _watch_peak(proc: subprocess.Popen) -> int:
    """Peak resident bytes of ``proc`` and its children until it exits."""
    import psutil

    root, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        total = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                total += p.memory_info().rss
        except psutil.Error:
            pass
        peak = max(peak, total)
        time.sleep(0.02)
    return peak


def test_an_infeasible_limit_exits_3_and_the_run_resumes(config, tmp_path):
    out = tmp_path / "o"
    done = run_cli("generate", "-c", config, "-o", out, "--progress", "none", "--workers", "1",
                   "--memory-limit", "100")
    assert done.returncode == 3
    assert "memory limit exceeded" in done.stderr and "needs about" in done.stderr
    assert "Traceback" not in done.stderr
    assert manifest(out)["status"] == "failed"
    resumed = run_cli("generate", "-c", config, "-o", out, "--progress", "none", "--workers",
                      "1", "--resume", "--memory-limit", "3000")
    assert resumed.returncode == 0, resumed.stderr
    straight = tmp_path / "straight"
    assert run_cli("generate", "-c", config, "-o", straight, "--progress", "none",
                   "--workers", "1").returncode == 0
    assert part_hashes(out) == part_hashes(straight)


@pytest.mark.parametrize("flags, message", [
    (["--memory-soft-limit", "100"], "--memory-soft-limit goes with --memory-limit"),
    (["--memory-limit", "200", "--memory-soft-limit", "300"],
     "soft_limit_mb (300) must be below hard_limit_mb (200)"),
])
def test_bad_memory_flags(config, tmp_path, flags, message):
    done = run_cli("generate", "-c", config, "-o", tmp_path / "o", *flags)
    assert done.returncode == 2 and message in done.stderr, done.stderr
