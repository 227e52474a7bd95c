"""The Python API: orchestrators, results, progress callbacks, ParallelExecutor, failures."""

from __future__ import annotations

import json
import os

import pyarrow as pa
import pytest

from datasynth.config import Config
from datasynth.errors import ConfigurationError, GenerationError
from datasynth.runtime import GenerationOrchestrator, ParallelExecutor, Progress
from datasynth.sinks.memory import MemoryStore
from tests.conftest import small_config_dict


def _double(worker_id: int) -> int:
    return worker_id * 2


def _pid(worker_id: int) -> int:
    return os.getpid()


def test_parallel_executor_returns_results_in_worker_order():
    assert ParallelExecutor(4).run(lambda worker_id: worker_id * 2) == [0, 2, 4, 6]
    assert ParallelExecutor(3).run(_double) == [0, 2, 4]


def test_parallel_executor_uses_processes_for_module_functions():
    pids = ParallelExecutor(2).run(_pid)
    assert os.getpid() not in pids


def test_parallel_executor_names_the_failing_worker():
    def fail_on_two(worker_id):
        if worker_id == 2:
            raise ValueError("boom")
        return worker_id

    with pytest.raises(GenerationError, match="worker 2 failed: ValueError: boom") as info:
        ParallelExecutor(3).run(fail_on_two)
    assert info.value.worker == 2
    with pytest.raises(ConfigurationError):
        ParallelExecutor(0)


def test_run_with_progress_and_result_tables(tmp_path):
    config = Config.from_dict(small_config_dict(transactions={"target_count": 800}))
    seen: list[Progress] = []
    result = GenerationOrchestrator.with_threads(config, 1, output_dir=tmp_path / "o") \
        .run_with_progress(seen.append)
    assert result.status == "complete"
    assert {p.phase for p in seen} >= {"initialize", "master_data", "opening_balances",
                                       "transactions", "period_close", "trial_balances",
                                       "export"}
    je = result.table("journal_entries")
    assert isinstance(je, pa.Table) and je.num_rows == result.rows["journal_entries"]
    assert result.location("journal_entries") == tmp_path / "o" / "journal_entries"
    assert result.files("journal_entries")[0].name == "part-00000.parquet"
    with pytest.raises(KeyError, match="was not generated"):
        result.table("calendar")


def test_memory_sink_needs_the_serial_executor():
    config = Config.from_dict(small_config_dict())
    with pytest.raises(ConfigurationError, match="serial"):
        GenerationOrchestrator(config, memory=MemoryStore(), workers=2)


def test_a_failing_phase_marks_the_manifest_failed(tmp_path, monkeypatch):
    import datasynth.phases.transactions as transactions_phase

    def broken(*args, **kwargs):
        raise ZeroDivisionError("synthetic failure")

    monkeypatch.setattr(transactions_phase, "company_tables", broken)
    config = Config.from_dict(small_config_dict(transactions={"target_count": 100}))
    out = tmp_path / "o"
    with pytest.raises(GenerationError, match="transactions.*ZeroDivisionError") as info:
        GenerationOrchestrator(config, output_dir=out, workers=1).run()
    assert info.value.phase == "transactions" and info.value.shard == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert manifest["error"]["type"] == "GenerationError"
    assert "synthetic failure" in manifest["error"]["message"]
    assert not list(out.rglob("*.tmp"))          # no half-written part file is left behind


def test_pause_and_resume_from_another_thread(tmp_path):
    """The API pause holds every shard at its next checkpoint; resume finishes the run with
    the same bytes as a run never paused."""
    import hashlib
    import threading
    import time

    config = Config.from_dict(small_config_dict(transactions={"target_count": 3000}))
    orchestrator = GenerationOrchestrator(config, output_dir=tmp_path / "paused", workers=1)
    seen: list[Progress] = []
    orchestrator.pause()                  # paused before it starts: it waits at once
    assert orchestrator.is_paused()
    outcome: dict = {}
    worker = threading.Thread(target=lambda: outcome.update(
        result=orchestrator.run_with_progress(seen.append)))
    worker.start()
    time.sleep(1.5)                       # an unpaused run of this size takes well under
    assert worker.is_alive(), "a paused run must not finish"
    assert seen and seen[-1].phase not in ("export", "trial_balances")
    orchestrator.resume()
    worker.join(60)
    assert not orchestrator.is_paused() and outcome["result"].status == "complete"
    straight = GenerationOrchestrator(config, output_dir=tmp_path / "straight", workers=1).run()

    def digest(root):
        return {p.relative_to(root): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("part-*"))}

    assert digest(tmp_path / "paused") == digest(tmp_path / "straight")
    assert straight.status == "complete"
