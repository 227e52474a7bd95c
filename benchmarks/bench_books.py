"""Books pipeline throughput: the benchmark configuration end to end to zstd Parquet with every books phase on.

    python benchmarks/bench_books.py [--entries 1000000] [--workers 1] [--json FILE] [--keep DIR]
                                     [--no-verify] [--profile FILE]

The benchmark configuration (config/presets.benchmark_config: manufacturing, two
companies, 12 months) with
``transactions.target_count = --entries`` runs opening_balances -> transactions (P2P, O2C,
H2R, A2R, R2R document flows, one shard per company) -> subledgers -> period_close ->
trial_balances in a fresh subprocess. Its peak resident memory is that of the whole process
tree (main process and workers, summed), sampled every 20 ms.

Reported: business journal entries written (distinct ``document_id`` in ``journal_entries``
less the opening entries, document type OB, and the period-close entries, numbered from
9000000001 per company and year: depreciation, accruals, tax provision, year-end close),
journal lines, per-phase seconds from the manifest, wall seconds, and business entries/s over
the whole run and over the transactions phase alone. Counting and ``datasynth-data verify``
run after the timed run and are not timed.

``--profile FILE`` runs once more under cProfile with the serial executor on one thread (so
that all generation is on the profiled thread; Parquet encoding stays on the writer thread)
and writes the top functions by cumulative and by self time to FILE.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from tree_memory import TreeMemorySampler, machine  # noqa: E402  (a sibling script)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.cases import books_config as _config  # noqa: E402  (the suite's)
from benchmarks.cases import case_verify, count_entries  # noqa: E402

TARGET_PER_S = 100_000      # business journal entries per second on one worker
BOOKS_PHASES = ("opening_balances", "transactions", "subledgers", "period_close",
                "trial_balances")


def case_books(entries: int, workers: int, out: str) -> dict:
    from datasynth.runtime.orchestrator import GenerationOrchestrator

    config = _config(entries, workers)
    sampler = TreeMemorySampler()
    started = time.perf_counter()
    result = GenerationOrchestrator(config, output_dir=out, workers=workers).run()
    wall = time.perf_counter() - started
    peak = sampler.stop()
    manifest = result.manifest
    phases = {p["name"]: p["seconds"] for p in manifest["phases"]}
    size = sum(f["bytes"] for t in manifest["tables"].values() for f in t["files"])
    return {"entries_target": entries, "workers": workers, "status": manifest["status"],
            "wall_s": wall, "phase_s": phases, "rows": dict(result.rows),
            "output_bytes": size, "peak_rss_bytes": peak, **count_entries(out)}


def case_profile(entries: int, out: str, report: str) -> dict:
    import cProfile
    import io
    import pstats

    from datasynth.runtime.executors import SerialExecutor
    from datasynth.runtime.progress import ProgressTracker
    from datasynth.runtime.runner import run
    from datasynth.sinks.spec import SinkSpec

    config = _config(entries, 1)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    outcome = run(config, SinkSpec(out, config.output.formats, config.output.compression),
                  SerialExecutor(pipeline=1), ProgressTracker())
    profiler.disable()
    wall = time.perf_counter() - started
    text = io.StringIO()
    text.write(f"cProfile, {entries:,} target entries, serial executor, 1 thread, "
               f"wall {wall:.2f} s (with profiler overhead)\n")
    text.write(f"phases: {json.dumps({p['name']: p['seconds'] for p in outcome.manifest['phases']})}\n")
    for order in ("cumulative", "tottime"):
        text.write(f"\n==== by {order} ====\n")
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats(order).print_stats(60)
        text.write(f"\n==== by {order}, datasynth only ====\n")
        stats.sort_stats(order).print_stats("datasynth", 40)
    text.write("\n==== callers of the top 12 functions by self time ====\n")
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_callers(12)
    Path(report).write_text(text.getvalue())
    profiler.dump_stats(f"{report}.prof")
    return {"wall_s": wall, "profile": report}


def _run_case(args: list[str]) -> dict:
    command = [sys.executable, __file__, *args]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"benchmark subprocess failed (exit {completed.returncode}): "
                         f"{' '.join(command)}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _verify(out: str) -> dict:
    """``datasynth-data verify`` on the output, untimed (the suite's verify case)."""
    result = case_verify(Path(out))
    result["seconds"] = result.pop("timed_s")
    return result


def _print(row: dict, command: str) -> None:
    print(f"machine: {machine()}")
    print(f"command: {command}")
    print(f"status: {row['status']}; target_count {row['entries_target']:,}; "
          f"journal entries written {row['entries_total']:,} = business "
          f"{row['business_entries']:,} + opening {row['opening_entries']:,} + close "
          f"{row['close_entries']:,}; lines {row['lines']:,} "
          f"(business {row['business_lines']:,})")
    print(f"{'phase':<20} {'seconds':>9}")
    for name, seconds in row["phase_s"].items():
        print(f"{name:<20} {seconds:>9.2f}")
    print(f"{'wall':<20} {row['wall_s']:>9.2f}")
    print(f"business entries/s, whole run:        {row['entries_per_s_wall']:>12,.0f}")
    print(f"business entries/s, transactions:     {row['entries_per_s_transactions']:>12,.0f}")
    print(f"journal lines/s, whole run:           {row['lines_per_s_wall']:>12,.0f}")
    print(f"business lines/s, transactions:       {row['lines_per_s_transactions']:>12,.0f}")
    print(f"peak RSS (process tree):              {row['peak_rss_bytes'] / 2**20:>10,.0f} MB")
    print(f"output size:                          {row['output_bytes'] / 2**20:>10,.0f} MB")
    met = row["entries_per_s_wall"] >= TARGET_PER_S
    print(f"target >= {TARGET_PER_S:,} business entries/s on one worker (whole run): "
          f"{'met' if met else 'NOT met'}")
    if "verify" in row:
        v = row["verify"]
        print(f"verify (untimed, {v['seconds']:.1f} s): exit {v['exit']}, "
              f"{v.get('summary') or v.get('error')}")
        for check in v.get("failing", []):
            print(f"  {check}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the output here (emptied first) and keep it")
    parser.add_argument("--no-verify", action="store_true", help="skip datasynth-data verify")
    parser.add_argument("--profile", default=None,
                        help="also profile a run with cProfile and write the report here")
    parser.add_argument("--case", choices=["books", "profile"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.case:
        result = (case_books(args.entries, args.workers, args.out) if args.case == "books"
                  else case_profile(args.entries, args.out, args.profile))
        print(json.dumps(result))
        return

    command = (f"python benchmarks/bench_books.py --entries {args.entries} "
               f"--workers {args.workers}")
    with tempfile.TemporaryDirectory(prefix="datasynth-bench-") as tmp:
        out = Path(args.keep) if args.keep else Path(tmp, "out")
        if out.exists():
            shutil.rmtree(out)
        row = _run_case(["--case", "books", "--entries", str(args.entries),
                         "--workers", str(args.workers), "--out", str(out)])
        if not args.no_verify:
            row["verify"] = _verify(str(out))
        if args.profile:
            profile_out = Path(tmp, "profile")
            row["profile"] = _run_case(["--case", "profile", "--entries", str(args.entries),
                                        "--profile", args.profile, "--out", str(profile_out)])
    transactions = row["phase_s"].get("transactions") or float("nan")
    row["entries_per_s_wall"] = row["business_entries"] / row["wall_s"]
    row["entries_per_s_transactions"] = row["business_entries"] / transactions
    row["lines_per_s_wall"] = row["lines"] / row["wall_s"]
    row["lines_per_s_transactions"] = row["business_lines"] / transactions
    row["target_entries_per_s"] = TARGET_PER_S
    row["target_met"] = row["entries_per_s_wall"] >= TARGET_PER_S
    _print(row, command)
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "command": command, **row},
                                        indent=2) + "\n")


if __name__ == "__main__":
    main()
