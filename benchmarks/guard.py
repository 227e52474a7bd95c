"""The smoke guard's measurement, shared by the suite (which records it) and the test suite
(tests/benchmarks/test_throughput_guard.py, which compares against the record).

Seconds mean nothing across machines, so each figure is a ratio measured in one run: the
seconds pyarrow alone takes to write the journal table with the sink's settings on one
thread, over the seconds of the journal-entry phase (generation alone into memory, or end to
end to Parquet on one worker). Higher is faster. The scale is small (a test must be quick),
where fixed costs weigh more than at 1 M entries, which is why the suite records the ratios
at this same scale rather than the test comparing with the 1 M figures.
"""

from __future__ import annotations

import time
from pathlib import Path

GUARD_ENTRIES = 60_000
REPEATS = 3        # best of three: noise on a shared machine only ever slows a run down


def _pyarrow_write_seconds(table, target: Path) -> float:
    """pyarrow alone, the sink's Parquet options, one thread (as case 1c)."""
    import pyarrow as pa

    from benchmarks.cases import write_as_the_sink

    threads = pa.cpu_count()
    pa.set_cpu_count(1)
    try:
        started = time.perf_counter()
        write_as_the_sink(table, target)
        return time.perf_counter() - started
    finally:
        pa.set_cpu_count(threads)


def _journal_phase_seconds(manifest: dict) -> float:
    return next(p["seconds"] for p in manifest["phases"] if p["name"] == "journal_entries")


def measure_ratios(work: Path, entries: int = GUARD_ENTRIES, repeats: int = REPEATS) -> dict:
    """``generate`` and ``end_to_end``: pyarrow's write seconds over each phase's seconds."""
    from benchmarks.cases import journal_config
    from datasynth.runtime.executors import SerialExecutor
    from datasynth.runtime.orchestrator import GenerationOrchestrator
    from datasynth.runtime.progress import ProgressTracker
    from datasynth.runtime.runner import run
    from datasynth.schemas.journal_entries import JOURNAL_ENTRIES
    from datasynth.sinks.memory import MemoryStore
    from datasynth.sinks.spec import SinkSpec

    generate, end_to_end, write = [], [], []
    for i in range(repeats):
        store = MemoryStore(keep=True)
        outcome = run(journal_config(entries, 1), SinkSpec("<memory>", memory=store),
                      SerialExecutor(pipeline=1), ProgressTracker())
        generate.append(_journal_phase_seconds(outcome.manifest))
        table = store.table("journal_entries", JOURNAL_ENTRIES.schema).combine_chunks()
        write.append(_pyarrow_write_seconds(table, work / f"reference-{i}.parquet"))
        result = GenerationOrchestrator(journal_config(entries, 1),
                                        output_dir=work / f"out-{i}", workers=1).run()
        end_to_end.append(_journal_phase_seconds(result.manifest))
    return {"entries": entries, "generate": min(write) / min(generate),
            "end_to_end": min(write) / min(end_to_end)}
