"""The progress tracker with an injected clock."""

from __future__ import annotations

from datasynth.runtime.progress import ProgressTracker


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_rate_percent_and_eta():
    clock = Clock()
    seen = []
    tracker = ProgressTracker([seen.append], clock=clock, min_interval=0.0)
    tracker.phase_started("journal_entries", 1000, 1, 3)
    clock.now += 2.0
    tracker.advance(250)
    last = seen[-1]
    assert last.phase == "journal_entries" and last.current == 250 and last.total == 1000
    assert last.percent == 25.0
    assert last.entries_per_second == 125.0
    assert last.estimated_remaining == 6.0
    tracker.phase_finished()
    assert seen[-1].finished and seen[-1].current == 1000


def test_updates_are_throttled_but_boundaries_always_emit():
    clock = Clock()
    seen = []
    tracker = ProgressTracker([seen.append], clock=clock, min_interval=1.0)
    tracker.phase_started("p", 10, 0, 1)
    for _ in range(5):
        tracker.advance(1)          # same instant: throttled
    assert len(seen) == 1
    tracker.phase_finished()
    assert len(seen) == 2 and seen[-1].current == 10


def test_pause_is_reported():
    tracker = ProgressTracker(min_interval=0.0)
    tracker.phase_started("p", 10, 0, 1)
    tracker.set_paused(True)
    assert tracker.last.paused is True
    assert tracker.last.to_dict()["paused"] is True
