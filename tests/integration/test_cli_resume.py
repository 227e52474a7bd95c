"""``generate --resume`` after Ctrl-C or SIGKILL finishes to the bytes of an uninterrupted
run; a changed configuration is refused; a live run's directory is refused."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import manifest, part_hashes, run_cli, write_config


@pytest.fixture(scope="module")
def straight(tmp_path_factory):
    """The configuration and the output of an uninterrupted run."""
    base = tmp_path_factory.mktemp("resume")
    config = write_config(base / "c.yaml", small_config_dict(
        transactions={"target_count": 300_000}, **{"global": {"period_months": 12}}))
    out = base / "straight"
    done = run_cli("generate", "-c", config, "-o", out, "--progress", "none", "--workers", "1")
    assert done.returncode == 0, done.stderr
    return config, out


def _stop_at(config, out, phase: str, sig: int, delay: float = 0.0) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "datasynth.cli.main", "generate", "-c",
                             str(config), "-o", str(out), "--progress", "json", "--workers",
                             "2"], stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if line.startswith("{") and json.loads(line)["phase"] == phase:
            break
    time.sleep(delay)
    if sig == signal.SIGKILL:           # the whole tree, as an OOM killer or a crash would
        for child in _children(proc.pid):
            os.kill(child, signal.SIGKILL)
    proc.send_signal(sig)
    proc.communicate(timeout=60)


def _children(pid: int) -> list[int]:
    import psutil

    return [c.pid for c in psutil.Process(pid).children(recursive=True)]


@pytest.mark.parametrize("phase, sig, delay", [
    ("transactions", signal.SIGINT, 0.2),
    ("master_data", signal.SIGKILL, 0.0),
    ("transactions", signal.SIGKILL, 0.5),
    ("period_close", signal.SIGKILL, 0.0),
])
def test_resume_finishes_to_identical_bytes(straight, tmp_path, phase, sig, delay):
    config, reference = straight
    out = tmp_path / "o"
    _stop_at(config, out, phase, sig, delay)
    assert manifest(out)["status"] != "complete"
    (out / "accounts" / ".part-00007.parquet.tmp").write_bytes(b"half")   # a killed writer's
    done = run_cli("generate", "-c", config, "-o", out, "--progress", "none", "--workers",
                   "1", "--resume")
    assert done.returncode == 0, done.stderr
    assert manifest(out)["status"] == "complete"
    assert part_hashes(out) == part_hashes(reference)
    assert not (out / ".datasynth").exists() and not list(out.rglob("*.tmp"))


def test_resume_with_another_configuration_is_refused(straight, tmp_path):
    config, _ = straight
    out = tmp_path / "o"
    _stop_at(config, out, "transactions", signal.SIGINT, 0.2)
    changed = write_config(tmp_path / "changed.yaml", small_config_dict(
        transactions={"target_count": 300_001}, **{"global": {"period_months": 12}}))
    done = run_cli("generate", "-c", changed, "-o", out, "--resume", "--progress", "none")
    assert done.returncode == 2
    assert "transactions.target_count was 300000, now 300001" in done.stderr
    assert "Traceback" not in done.stderr


def test_resume_of_a_complete_output_changes_nothing(straight, tmp_path):
    config, reference = straight
    before = part_hashes(reference)
    done = run_cli("generate", "-c", config, "-o", reference, "--resume", "--progress", "none")
    assert done.returncode == 0, done.stderr
    assert part_hashes(reference) == before


def test_nothing_to_resume(tmp_path, straight):
    config, _ = straight
    (tmp_path / "empty").mkdir()
    done = run_cli("generate", "-c", config, "-o", tmp_path / "empty", "--resume")
    assert done.returncode == 4 and "nothing to resume" in done.stderr


def test_a_directory_held_by_a_live_run_is_refused(straight, tmp_path):
    config, _ = straight
    out = tmp_path / "o"
    proc = subprocess.Popen([sys.executable, "-m", "datasynth.cli.main", "generate", "-c",
                             str(config), "-o", str(out), "--progress", "json"],
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if line.startswith("{") and json.loads(line)["phase"] == "transactions":
            break
    second = run_cli("generate", "-c", config, "-o", out, "--progress", "none")
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    assert second.returncode == 4
    assert f"in use by a running datasynth (process {proc.pid})" in second.stderr
    # the lock of a run that died is taken over
    (out / ".datasynth").mkdir(exist_ok=True)
    (out / ".datasynth" / "lock").write_text("999999\n" + os.uname().nodename + "\n")
    done = run_cli("generate", "-c", config, "-o", out, "--resume", "--progress", "none")
    assert done.returncode == 0, done.stderr
