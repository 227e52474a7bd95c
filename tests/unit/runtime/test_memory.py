"""The memory guard's states and its verdict, with memory readings the test controls."""

from __future__ import annotations

import time

import pytest

from datasynth.errors import MemoryExceeded
from datasynth.runtime.memory import MB, MemoryGuard, MemoryGuardConfig


def guard(readings: list[int], grace: float = 0.05):
    seen: list[str] = []
    values = iter(readings)
    config = MemoryGuardConfig(soft_limit=100 * MB, hard_limit=200 * MB, grace=grace)
    return MemoryGuard(config, on_change=seen.append, measure=lambda: next(values)), seen


def test_states_follow_the_limits_and_set_the_shards_in_flight():
    g, seen = guard([50 * MB, 150 * MB, 250 * MB, 90 * MB])
    expected = [("ok", 4), ("throttled", 1), ("paused", 0), ("ok", 4)]
    for state, in_flight in expected:
        g._sample()
        assert (g.state, g.in_flight(4)) == (state, in_flight)
    assert seen == ["throttled", "paused", "ok"] and g.peak == 250 * MB


def test_memory_that_stays_over_the_hard_limit_stops_the_run():
    g, _ = guard([250 * MB, 260 * MB])
    g._sample()
    g.check()                         # not yet: the grace period has just begun
    time.sleep(0.06)
    g._sample()
    with pytest.raises(MemoryExceeded, match="needs about 325 MB") as info:
        g.check()
    assert info.value.limit == 200 * MB and info.value.current == 260 * MB


def test_memory_that_falls_back_in_time_does_not():
    g, _ = guard([250 * MB, 150 * MB])
    g._sample()
    time.sleep(0.06)
    g._sample()
    g.check()


def test_soft_limit_defaults_to_80_percent():
    config = MemoryGuardConfig.from_mb(1000)
    assert config.soft_limit == 800 * MB and config.hard_limit == 1000 * MB


def test_the_api_takes_a_guard_config(tmp_path):
    """GenerationOrchestrator(memory_guard=...) guards the run and records its peak."""
    from datasynth.config import Config
    from datasynth.runtime import GenerationOrchestrator, MemoryGuardConfig
    from tests.conftest import small_config_dict

    limits = MemoryGuardConfig(soft_limit=10 * MB, hard_limit=8000 * MB, check_interval_ms=20)
    config = Config.from_dict(small_config_dict(transactions={"target_count": 2000}))
    result = GenerationOrchestrator(config, output_dir=tmp_path / "o", workers=1,
                                    memory_guard=limits).run()
    memory = result.manifest["memory"]
    assert memory["hard_limit_mb"] == 8000 and 10 <= memory["peak_mb"] < 8000
