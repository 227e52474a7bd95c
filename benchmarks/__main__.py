"""The benchmark suite: ``python -m benchmarks`` (or ``make bench``).

    python -m benchmarks [--entries 1000000] [--large-entries 10000000] [--cases 1,2,3,4,5,6]
                         [--json FILE] [--no-markdown] [--work DIR]

Runs the six cases of issue 7, each step in a fresh process measured from outside
(measure.py: wall, CPU, peak PSS and RSS of the whole process tree), prints a table, writes
the results as JSON (default benchmarks/results/suite.json) and rewrites the suite's section
of BENCHMARKS.md with the machine, the command and the table. It also records the smoke
guard's ratios (guard.py), which tests/benchmarks/test_throughput_guard.py compares with.

  1  journal entries only, --entries, 1 worker: generation alone (memory sink, one thread);
     end to end to Parquet; pyarrow alone writing the same final table (one thread)
  2  the same end to end with 2 workers; pyarrow alone with two threads, two files; and
     1 worker pinned to one core (Linux), the baseline of scaling from one core to two
  3  the full books pipeline (document flows, subledgers, period close, 2 % anomalies),
     --entries business entries, 1 and 2 workers
  4  journal entries only, --large-entries, 2 workers
  5  case 1 end to end to CSV
  6  datasynth-data verify over case 4's output
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.cases import count_entries
from benchmarks.guard import measure_ratios
from benchmarks.measure import ROOT, describe, machine, run_measured
from benchmarks.report import render_markdown, render_table, targets, update_markdown

ALL_CASES = (1, 2, 3, 4, 5, 6)


def _journal_row(label: str, case: int, result: dict) -> dict:
    return {"case": case, "label": label, **result,
            "entries_per_s": result["entries"] / result["timed_s"],
            "lines_per_s": result["lines"] / result["timed_s"]}


def run_suite(entries: int, large: int, cases: set[int], work: Path) -> list[dict]:
    rows: list[dict] = []

    def add(row: dict) -> dict:
        rows.append(row)
        print(f"  done: {row['label']} ({row['process_wall_s']:.1f} s)", file=sys.stderr)
        return row

    def journal(label: str, case: int, out: Path, workers: int, fmt: str = "parquet",
                n: int = entries, one_core: bool = False) -> dict:
        shutil.rmtree(out, ignore_errors=True)
        return add(_journal_row(label, case, run_measured(
            ["write", "--entries", str(n), "--workers", str(workers), "--format", fmt,
             "--out", str(out), *(["--one-core"] if one_core else [])], label)))

    def pyarrow(label: str, case: int, out: Path, threads: int, lines: int, n: int) -> dict:
        result = run_measured(["pyarrow", "--workers", str(threads), "--out", str(out)], label)
        return add({"case": case, "label": label, **result, "entries": n,
                    "entries_per_s": n * result["lines"] / lines / result["timed_s"],
                    "lines_per_s": result["lines"] / result["timed_s"]})

    if 1 in cases or 2 in cases:
        add(_journal_row("1a generation alone, 1 thread, memory sink", 1,
                         run_measured(["generate", "--entries", str(entries)], "1a")))
        one = journal("1b end to end to Parquet, 1 worker", 1, work / "je-1w", 1)
        pyarrow("1c pyarrow alone writes the same table, 1 thread", 1, work / "je-1w", 1,
                one["lines"], entries)
    if 2 in cases:
        two = journal("2a end to end to Parquet, 2 workers", 2, work / "je-2w", 2)
        pyarrow("2b pyarrow alone, 2 threads writing 2 files", 2, work / "je-2w", 2,
                two["lines"], entries)
        if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
            journal("2c end to end to Parquet, 1 worker pinned to one core", 2,
                    work / "je-1core", 1, one_core=True)
            shutil.rmtree(work / "je-1core", ignore_errors=True)
    if 3 in cases:
        for workers in (1, 2):
            out = work / f"books-{workers}w"
            shutil.rmtree(out, ignore_errors=True)
            label = f"3{'ab'[workers - 1]} full pipeline, {workers} worker{'s' * (workers > 1)}"
            result = run_measured(["books", "--entries", str(entries), "--workers",
                                   str(workers), "--out", str(out)], label)
            counts = count_entries(out)         # read back afterwards: not timed
            add({"case": 3, "label": label, **result, **counts,
                 "entries": counts["business_entries"],
                 "entries_per_s": counts["business_entries"] / result["timed_s"],
                 "lines_per_s": counts["lines"] / result["timed_s"]})
            shutil.rmtree(out, ignore_errors=True)
    if 4 in cases or 6 in cases:
        journal(f"4 journal entries only, {large:,} entries, 2 workers", 4, work / "je-large",
                2, n=large)
    if 6 in cases:
        result = run_measured(["verify", "--out", str(work / "je-large")], "6")
        add({"case": 6, "label": "6 datasynth-data verify over case 4", **result})
    if 5 in cases:
        journal("5 end to end to CSV, 1 worker", 5, work / "je-csv", 1, fmt="csv")
        shutil.rmtree(work / "je-csv", ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--large-entries", type=int, default=None,
                        help="entries of case 4 (default: 10 x --entries)")
    parser.add_argument("--cases", default=",".join(map(str, ALL_CASES)),
                        help="which cases to run, e.g. 1,2 (default: all)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks/results/suite.json")
    parser.add_argument("--no-markdown", action="store_true",
                        help="do not rewrite the suite's section of BENCHMARKS.md")
    parser.add_argument("--work", type=Path, default=None,
                        help="where the outputs go (default: a temporary directory)")
    args = parser.parse_args()
    try:
        cases = {int(c) for c in args.cases.split(",") if c.strip()}
    except ValueError:
        parser.error(f"--cases: expected numbers from 1 to 6 separated by commas, "
                     f"got {args.cases!r}")
    if not cases <= set(ALL_CASES):
        parser.error(f"--cases: no case {sorted(cases - set(ALL_CASES))}; the cases are 1 to 6")
    large = args.large_entries or 10 * args.entries
    command = "python -m benchmarks " + " ".join(shlex.quote(a) for a in sys.argv[1:])

    with tempfile.TemporaryDirectory(prefix="datasynth-bench-",
                                     dir=args.work) as tmp:
        rows = run_suite(args.entries, large, cases, Path(tmp))
        # the smoke guard's reference, at the guard's own scale (benchmarks/guard.py)
        guard_work = Path(tmp, "guard")
        guard_work.mkdir()
        guard = measure_ratios(guard_work)
    host = machine()
    results = {"machine": host, "command": command.strip(), "entries": args.entries,
               "large_entries": large, "cases": rows, "guard": guard}
    results["targets"] = targets(results)
    print(f"machine: {describe(host)}")
    print(f"command: {results['command']}")
    print(render_table(results))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"results: {args.json}")
    if not args.no_markdown:
        update_markdown(ROOT / "BENCHMARKS.md", render_markdown(results))
        print("BENCHMARKS.md: suite section rewritten")


if __name__ == "__main__":
    main()
