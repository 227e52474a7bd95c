"""The benchmark cases, each run in a fresh process by ``python -m benchmarks``.

    python -m benchmarks.cases CASE [--entries N] [--workers W] [--format F] [--out DIR]

prints one JSON line with what the case timed itself. The caller (measure.run_measured)
adds wall time, CPU time and peak memory of the whole process tree. Cases:

  generate  journal entries only, generation alone: one thread (the serial executor without
            its shard pipelining) into an in-memory sink that counts rows and drops them
  write     journal entries only, end to end into DIR (Parquet, or --format csv); with
            --one-core pinned to one core, the baseline of scaling from one core to two
  pyarrow   pyarrow alone writes the final journal table found in DIR again, from memory,
            with the sink's settings: on one thread, or --workers threads each writing its
            own file (the floor for two workers)
  books     the full pipeline (document flows, subledgers, period close, 2 % anomalies)
  verify    ``datasynth-data verify DIR``

Journal entries only is the benchmark configuration (config/presets.benchmark_config: the
first demo, manufacturing, two companies, 12 months)
with document flows and anomaly injection off: the standalone journal-entry generator.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

CLOSE_SEQUENCE_BASE = 9_000_000_000      # period-close entries are numbered from here


def journal_config(entries: int, workers: int, fmt: str = "parquet"):
    from datasynth.config.presets import benchmark_config

    return benchmark_config().replace(transactions={"target_count": entries},
                                      runtime={"workers": workers},
                                      output={"format": [fmt]},
                                      document_flows={"enabled": False},
                                      anomaly_injection={"enabled": False})


def books_config(entries: int, workers: int):
    """The benchmark configuration with every books phase on (it already is; kept explicit
    against drift)."""
    from datasynth.config.presets import benchmark_config

    return benchmark_config().replace(transactions={"target_count": entries},
                                      runtime={"workers": workers},
                                      **{section: {"enabled": True} for section in
                                         ("opening_balances", "document_flows", "subledgers",
                                          "period_close", "anomaly_injection")})


def _phases(manifest: dict) -> dict[str, float]:
    return {p["name"]: p["seconds"] for p in manifest["phases"]}


def _output_bytes(root: Path) -> int:
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file())


def case_generate(entries: int) -> dict:
    from datasynth.runtime.executors import SerialExecutor
    from datasynth.runtime.progress import ProgressTracker
    from datasynth.runtime.runner import run
    from datasynth.sinks.memory import MemoryStore
    from datasynth.sinks.spec import SinkSpec

    store = MemoryStore(keep=False)
    started = time.perf_counter()
    outcome = run(journal_config(entries, 1), SinkSpec("<memory>", memory=store),
                  SerialExecutor(pipeline=1), ProgressTracker())
    return {"run_s": time.perf_counter() - started, "phase_s": _phases(outcome.manifest),
            "timed_s": _phases(outcome.manifest)["journal_entries"], "entries": entries,
            "lines": store.rows["journal_entries"]}


def case_write(entries: int, workers: int, fmt: str, out: Path) -> dict:
    from datasynth.runtime.orchestrator import GenerationOrchestrator

    started = time.perf_counter()
    result = GenerationOrchestrator(journal_config(entries, workers, fmt), output_dir=out,
                                    workers=workers).run()
    phases = _phases(result.manifest)
    return {"run_s": time.perf_counter() - started, "phase_s": phases,
            "timed_s": phases["journal_entries"], "entries": entries,
            "lines": result.rows["journal_entries"], "output_bytes": _output_bytes(out),
            "journal_bytes": sum(f["bytes"] for f in
                                 result.manifest["tables"]["journal_entries"]["files"])}


def write_as_the_sink(table, target: Path) -> None:
    """pyarrow alone writes ``table`` with the Parquet sink's own options, in batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from datasynth.schemas.journal_entries import JOURNAL_ENTRIES
    from datasynth.sinks.parquet import writer_options

    with pq.ParquetWriter(target, table.schema, **writer_options(JOURNAL_ENTRIES)) as writer:
        for batch in table.to_batches(max_chunksize=200_000):
            writer.write_table(pa.Table.from_batches([batch]))


def case_pyarrow(threads: int, out: Path) -> dict:
    import threading

    import pyarrow as pa
    import pyarrow.parquet as pq

    files = sorted(Path(out, "journal_entries").glob("part-*.parquet"))
    table = pa.concat_tables(pq.read_table(f) for f in files).combine_chunks()
    pieces = [table.slice(i * table.num_rows // threads,
                          (i + 1) * table.num_rows // threads - i * table.num_rows // threads)
              for i in range(threads)]
    targets = [Path(out.parent, f"pyarrow-alone-{i}.parquet") for i in range(threads)]
    pa.set_cpu_count(1)       # each writer thread encodes its own file: ``threads`` cores
    workers = [threading.Thread(target=write_as_the_sink, args=pair)
               for pair in zip(pieces, targets)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    size = sum(t.stat().st_size for t in targets)
    for target in targets:
        target.unlink()
    return {"timed_s": seconds, "lines": table.num_rows, "journal_bytes": size,
            "threads": threads}


def count_entries(out: Path) -> dict:
    """Distinct entries by origin (opening, close, business) and lines, read back with DuckDB."""
    import duckdb

    glob = str(Path(out, "journal_entries", "*.parquet"))
    row = duckdb.connect().execute(f"""
        with e as (
            select document_id, any_value(document_type) as document_type,
                   cast(split_part(document_id, '-', 3) as bigint) >= {CLOSE_SEQUENCE_BASE}
                       as close_range,
                   count(*) as lines
            from read_parquet('{glob}') group by document_id)
        select count(*), sum(lines),
               count(*) filter (where document_type = 'OB'),
               count(*) filter (where close_range),
               sum(lines) filter (where document_type <> 'OB' and not close_range)
        from e""").fetchall()[0]
    total, lines, opening, close, business_lines = (int(v or 0) for v in row)
    return {"entries_total": total, "lines": lines, "opening_entries": opening,
            "close_entries": close, "business_entries": total - opening - close,
            "business_lines": business_lines}


def case_books(entries: int, workers: int, out: Path) -> dict:
    from datasynth.runtime.orchestrator import GenerationOrchestrator

    started = time.perf_counter()
    result = GenerationOrchestrator(books_config(entries, workers), output_dir=out,
                                    workers=workers).run()
    run_s = time.perf_counter() - started
    return {"run_s": run_s, "timed_s": run_s, "phase_s": _phases(result.manifest),
            "entries_target": entries, "output_bytes": _output_bytes(out)}


def case_verify(out: Path) -> dict:
    exe = Path(sys.executable).with_name("datasynth-data")
    command = [str(exe) if exe.exists() else "datasynth-data", "verify", str(out), "--json"]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    try:
        report = json.loads(completed.stdout)
    except ValueError:
        return {"timed_s": seconds, "exit": completed.returncode,
                "error": completed.stderr[-2000:]}
    failing = [f"{c['name']}: {c['status']}: {c.get('detail')}"
               for c in report["checks"] if c["status"] not in ("pass", "skip")]
    return {"timed_s": seconds, "exit": completed.returncode, "ok": report["ok"],
            "summary": report["summary"], "failing": failing}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("case", choices=["generate", "write", "pyarrow", "books", "verify"])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])
    parser.add_argument("--out", type=Path)
    parser.add_argument("--one-core", action="store_true",
                        help="pin this process (and so its threads and workers) to one core")
    args = parser.parse_args()
    if args.one_core:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    result = {"generate": lambda: case_generate(args.entries),
              "write": lambda: case_write(args.entries, args.workers, args.format, args.out),
              "pyarrow": lambda: case_pyarrow(args.workers, args.out),
              "books": lambda: case_books(args.entries, args.workers, args.out),
              "verify": lambda: case_verify(args.out)}[args.case]()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
