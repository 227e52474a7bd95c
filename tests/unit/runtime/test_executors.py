"""Executor tuning: shards in flight follow the memory available per worker."""

from __future__ import annotations

from datasynth.runtime.executors import ProcessExecutor, default_in_flight

GIB = 1024 ** 3


def test_two_shards_per_worker_when_memory_allows_one_otherwise():
    assert default_in_flight(2, available=8 * GIB) == 2
    assert default_in_flight(2, available=3 * GIB) == 1
    assert default_in_flight(8, available=8 * GIB) == 1


def test_an_explicit_setting_wins():
    assert ProcessExecutor(3, in_flight_per_worker=4)._in_flight == 12
    assert ProcessExecutor(3)._in_flight in (3, 6)
