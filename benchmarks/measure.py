"""Running one benchmark case in a fresh process and measuring it from outside.

The case's process and every worker it starts are sampled on a timer with psutil. Two peaks
are kept:

- **PSS** (proportional set size) summed over the tree: each physical page counted once,
  split between the processes that share it. Pool workers are forked, so they share the
  parent's libraries and configuration copy-on-write; PSS is the memory the run really
  holds, and the figure the targets are judged on.
- **RSS** summed over the tree: every shared page counted once per process, so it
  over-states a multi-process run (three processes of one run each count numpy and pyarrow).

CPU seconds (user + system, the case's process and every worker it waited for) come from
``getrusage(RUSAGE_CHILDREN)`` around the run; CPU seconds over wall seconds is how many
cores the case kept busy.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numpy
    import pyarrow

    return {"cores": os.cpu_count(), "cpu": cpu,
            "memory_gib": round(psutil.virtual_memory().total / 2**30),
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "numpy": numpy.__version__,
            "pyarrow": pyarrow.__version__}


def describe(m: dict) -> str:
    return (f"{m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB RAM, {m['system']}, "
            f"Python {m['python']}, numpy {m['numpy']}, pyarrow {m['pyarrow']}")


class TreeSampler(threading.Thread):
    """Peak summed PSS and RSS of a process and its descendants, every ``interval`` s."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self._root = psutil.Process(pid)
        self._interval = interval
        self._done = threading.Event()
        self.peak_pss = self.peak_rss = self.peak_processes = 0

    def _sample(self) -> None:
        try:
            processes = [self._root, *self._root.children(recursive=True)]
        except psutil.Error:          # the case has just exited
            return
        pss = rss = 0
        for process in processes:
            try:
                info = process.memory_full_info()   # smaps_rollup: PSS as well as RSS
            except psutil.Error:      # a worker that just exited
                continue
            pss += info.pss
            rss += info.rss
        self.peak_pss = max(self.peak_pss, pss)
        if rss > self.peak_rss:
            self.peak_rss, self.peak_processes = rss, len(processes)

    def run(self) -> None:
        while not self._done.is_set():
            self._sample()
            self._done.wait(self._interval)

    def stop(self) -> None:
        self._done.set()
        self.join()


def run_measured(args: list[str], label: str) -> dict:
    """Run ``python -m benchmarks.cases ARGS``; its JSON result plus wall, CPU and memory.

    ``wall_s`` here is the whole process, start-up and imports included; a case reports its
    own narrower timings (a phase, or pyarrow's write alone) beside it.
    """
    command = [sys.executable, "-m", "benchmarks.cases", *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid)
    sampler.start()
    stdout, stderr = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        sys.stderr.write(stderr[-4000:])
        raise SystemExit(f"benchmark case {label!r} failed (exit {process.returncode}): "
                         f"{' '.join(command)}")
    result = json.loads(stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result.update({"process_wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
                   "cores_busy": round(cpu / wall, 2), "peak_pss_bytes": sampler.peak_pss,
                   "peak_rss_sum_bytes": sampler.peak_rss,
                   "processes_at_peak": sampler.peak_processes})
    return result

