"""The memory guard through the real CLI: a feasible limit is kept, an infeasible one stops
the run with exit 3 and a message saying what it needs, and the run resumes."""

from __future__ import annotations

import json

import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import manifest, part_hashes, run_cli, write_config


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    base = tmp_path_factory.mktemp("memory")
    return write_config(base / "c.yaml", small_config_dict(
        transactions={"target_count": 200_000}, **{"global": {"period_months": 12}}))


def test_a_feasible_limit_completes_below_it_throttled(config, tmp_path):
    out = tmp_path / "o"
    done = run_cli("generate", "-c", config, "-o", out, "--progress", "json", "--workers", "2",
                   "--memory-limit", "1500", "--memory-soft-limit", "150")
    assert done.returncode == 0, done.stderr
    updates = [json.loads(x) for x in done.stderr.splitlines() if x.startswith("{")]
    assert any(u["memory"] == "throttled" for u in updates), "never throttled above 150 MB"
    memory = manifest(out)["memory"]
    assert 150 <= memory["peak_mb"] < 1500, memory


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
