"""Showing progress: rich bars on a terminal, JSON lines for machines, or nothing."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress as RichProgress,
    ProgressColumn,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from datasynth.runtime.progress import Progress


class _RateColumn(ProgressColumn):
    def render(self, task: Any) -> Text:
        rate = task.fields.get("rate", 0.0)
        shown = rate and task.total and task.total >= 1000   # rates of tiny phases are noise
        return Text(f"{rate:,.0f}/s" if shown else "", style="progress.data.speed")


class BarDisplay:
    """One bar per phase with percent, current/total, rate and ETA; ``(PAUSED)`` when paused."""

    def __init__(self, console: Console | None = None) -> None:
        self._progress = RichProgress(
            TextColumn("{task.description:<20}"), BarColumn(), TaskProgressColumn(),
            MofNCompleteColumn(), _RateColumn(), TimeRemainingColumn(),
            console=console or Console(stderr=True), transient=False)
        self._tasks: dict[str, Any] = {}
        self._started = False

    def __enter__(self) -> BarDisplay:
        return self          # the bar's refresh thread starts with the first update, after
                             # the worker processes have been forked

    def __exit__(self, *exc: object) -> None:
        if self._started:
            self._progress.stop()

    def __call__(self, p: Progress) -> None:
        if not self._started:
            self._progress.start()
            self._started = True
        label = p.phase + (" (PAUSED)" if p.paused else "") + (
            f" (MEMORY {p.memory.upper()})" if p.memory != "ok" else "")
        if p.phase not in self._tasks:
            self._tasks[p.phase] = self._progress.add_task(label, total=max(p.total, 1))
        self._progress.update(self._tasks[p.phase], completed=p.current if p.total else 1,
                              total=max(p.total, 1), description=label,
                              rate=p.entries_per_second)


class JsonDisplay:
    """One JSON object per update on stderr: the fields of Progress plus ``paused``."""

    def __enter__(self) -> JsonDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def __call__(self, p: Progress) -> None:
        data = p.to_dict()
        data["elapsed"] = round(data["elapsed"], 3)
        data["entries_per_second"] = round(data["entries_per_second"], 1)
        data["percent"] = round(data["percent"], 2)
        if data["estimated_remaining"] is not None:
            data["estimated_remaining"] = round(data["estimated_remaining"], 3)
        sys.stderr.write(json.dumps(data) + "\n")
        sys.stderr.flush()


class NoDisplay:
    def __enter__(self) -> NoDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def __call__(self, p: Progress) -> None:
        pass


def make_display(mode: str | None) -> BarDisplay | JsonDisplay | NoDisplay:
    if mode is None:
        mode = "bar" if sys.stderr.isatty() else "none"
    return {"bar": BarDisplay, "json": JsonDisplay, "none": NoDisplay}[mode]()
