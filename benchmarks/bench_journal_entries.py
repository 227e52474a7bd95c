"""Journal-entry throughput: generation alone, end to end to Parquet, and pyarrow's floor.

    python benchmarks/bench_journal_entries.py [--entries 1000000] [--workers 1] [--json FILE]

Each case runs in a fresh subprocess; its peak resident memory is that of the whole process
tree (main process and workers, summed), sampled every 20 ms. Cases:

  a  generation alone into an in-memory sink that counts rows and drops them
  b  end to end into zstd Parquet
  c  pyarrow alone writing the final journal table of (b) again, from memory, one thread

and the ratio (b)/(c) of the journal-entry phase time to pyarrow's write time: how close
generation gets to the cost of I/O. Always read lines/s beside entries/s: the empirical
line-count table has a heavy tail, about 11.5 lines per entry on average.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from tree_memory import TreeMemorySampler, machine  # noqa: E402  (a sibling script)


def _config(entries: int, workers: int):
    from datasynth.config import demo_config

    # the standalone journal-entry generator (the books pipeline has bench_books.py)
    return demo_config().replace(transactions={"target_count": entries},
                                 runtime={"workers": workers},
                                 document_flows={"enabled": False})


def _phase_seconds(manifest: dict, name: str) -> float:
    return next(p["seconds"] for p in manifest["phases"] if p["name"] == name)


def case_generate(entries: int, workers: int) -> dict:
    """One thread: the serial executor without its shard pipelining."""
    from datasynth.runtime.executors import SerialExecutor
    from datasynth.runtime.progress import ProgressTracker
    from datasynth.runtime.runner import run
    from datasynth.sinks.memory import MemoryStore
    from datasynth.sinks.spec import SinkSpec

    store = MemoryStore(keep=False)
    started = time.perf_counter()
    outcome = run(_config(entries, 1), SinkSpec("<memory>", memory=store),
                  SerialExecutor(pipeline=1), ProgressTracker())
    wall = time.perf_counter() - started
    return {"case": "a: generation alone, 1 thread (memory sink)", "wall_s": wall,
            "je_s": _phase_seconds(outcome.manifest, "journal_entries"),
            "entries": entries, "lines": store.rows["journal_entries"]}


def case_parquet(entries: int, workers: int, out: str) -> dict:
    from datasynth.runtime.orchestrator import GenerationOrchestrator

    started = time.perf_counter()
    result = GenerationOrchestrator(_config(entries, workers), output_dir=out,
                                    workers=workers).run()
    wall = time.perf_counter() - started
    size = sum(f["bytes"] for f in result.manifest["tables"]["journal_entries"]["files"])
    return {"case": f"b: end to end to Parquet ({workers} worker{'s' * (workers > 1)})",
            "wall_s": wall, "je_s": _phase_seconds(result.manifest, "journal_entries"),
            "entries": entries, "lines": result.rows["journal_entries"], "bytes": size}


def case_pyarrow(entries: int, out: str) -> dict:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from datasynth.schemas.journal_entries import JOURNAL_ENTRIES

    files = sorted(Path(out, "journal_entries").glob("part-*.parquet"))
    table = pa.concat_tables(pq.read_table(f) for f in files).combine_chunks()
    dictionary_columns = [f.name for f in JOURNAL_ENTRIES.schema
                          if pa.types.is_dictionary(f.type)]
    target = Path(out, "pyarrow-alone.parquet")
    pa.set_cpu_count(1)
    started = time.perf_counter()
    with pq.ParquetWriter(target, table.schema, compression="zstd",   # the sink's settings
                          use_dictionary=dictionary_columns,
                          store_decimal_as_integer=True) as writer:
        for batch in table.to_batches(max_chunksize=200_000):
            writer.write_table(pa.Table.from_batches([batch]))
    seconds = time.perf_counter() - started
    return {"case": "c: pyarrow alone writes the same table", "wall_s": seconds, "je_s": seconds,
            "entries": entries, "lines": table.num_rows, "bytes": target.stat().st_size}


def _run_case(name: str, entries: int, workers: int, out: str) -> dict:
    command = [sys.executable, __file__, "--case", name, "--entries", str(entries),
               "--workers", str(workers), "--out", out]
    completed = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--case", choices=["a", "b", "c"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.case:
        sampler = TreeMemorySampler()
        result = {"a": lambda: case_generate(args.entries, args.workers),
                  "b": lambda: case_parquet(args.entries, args.workers, args.out),
                  "c": lambda: case_pyarrow(args.entries, args.out)}[args.case]()
        result["peak_rss_bytes"] = sampler.stop()
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory(prefix="datasynth-bench-") as tmp:
        out = str(Path(tmp, "out"))
        rows = [_run_case("a", args.entries, 1, out), _run_case("b", args.entries, args.workers, out),
                _run_case("c", args.entries, args.workers, out)]
    print(f"machine: {machine()}")
    print(f"command: python benchmarks/bench_journal_entries.py --entries {args.entries} "
          f"--workers {args.workers}")
    print(f"{'case':<44} {'JE phase s':>10} {'entries/s':>12} {'lines/s':>12} "
          f"{'wall s':>8} {'peak RSS':>9}")
    for row in rows:
        row["entries_per_s"] = row["entries"] / row["je_s"]
        row["lines_per_s"] = row["lines"] / row["je_s"]
        print(f"{row['case']:<44} {row['je_s']:>10.2f} {row['entries_per_s']:>12,.0f} "
              f"{row['lines_per_s']:>12,.0f} {row['wall_s']:>8.2f} "
              f"{row['peak_rss_bytes'] / 2**20:>7.0f}MB")
    ratio = rows[1]["je_s"] / rows[2]["je_s"]
    print(f"ratio (b)/(c): {ratio:.2f}  (end to end vs pyarrow alone; target <= 1.5)")
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "entries": args.entries,
                                         "workers": args.workers, "cases": rows,
                                         "ratio_b_over_c": ratio}, indent=2) + "\n")


if __name__ == "__main__":
    main()
