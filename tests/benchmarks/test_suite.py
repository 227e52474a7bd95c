"""The benchmark entry point runs end to end (at a toy scale), and its report logic is right."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.report import BEGIN, END, render_markdown, targets, update_markdown

ROOT = Path(__file__).resolve().parents[2]
MACHINE = {"cores": 2, "cpu": "test cpu", "memory_gib": 8, "system": "Linux", "python": "3.11",
           "numpy": "2", "pyarrow": "26"}


def test_entry_point_runs_every_case_and_writes_json(tmp_path):
    out = tmp_path / "suite.json"
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--entries", "3000", "--large-entries", "6000",
         "--json", str(out), "--no-markdown", "--work", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads(out.read_text())
    labels = [row["label"].split()[0] for row in results["cases"]]
    assert labels == ["1a", "1b", "1c", "2a", "2b", "2c", "3a", "3b", "4", "6", "5"]
    rows = {row["label"].split()[0]: row for row in results["cases"]}
    assert rows["1a"]["entries"] == 3000 and rows["4"]["entries"] == 6000
    # the same journal lines reach pyarrow alone as the generator wrote
    assert rows["1c"]["lines"] == rows["1b"]["lines"] > 3000
    assert rows["3a"]["business_entries"] > 0
    assert rows["6"]["ok"] is True and rows["6"]["exit"] == 0
    for row in results["cases"]:
        assert row["peak_pss_bytes"] > 20 * 2**20 and row["cpu_s"] > 0
    assert all(t["value"] is not None for t in results["targets"])
    assert "targets:" in completed.stdout and "1a generation alone" in completed.stdout
    assert not list(tmp_path.glob("datasynth-bench-*")), "the work directory is left behind"


def test_entry_point_rejects_an_unknown_case():
    completed = subprocess.run([sys.executable, "-m", "benchmarks", "--cases", "1,9"],
                               cwd=ROOT, capture_output=True, text=True)
    assert completed.returncode == 2
    assert "no case [9]; the cases are 1 to 6" in completed.stderr


def _row(label: str, **values) -> dict:
    base = {"label": label, "timed_s": 1.0, "process_wall_s": 1.0, "cores_busy": 1.0,
            "peak_pss_bytes": 2**29, "peak_rss_sum_bytes": 2**29}
    return {**base, **values}


def _results(*rows: dict) -> dict:
    results = {"machine": MACHINE, "command": "python -m benchmarks", "cases": list(rows)}
    results["targets"] = targets(results)
    return results


def test_targets_compare_each_figure_with_its_bound():
    results = _results(_row("1a x", entries_per_s=300_000.0), _row("1b x", timed_s=5.0),
                       _row("1c x", timed_s=4.0), _row("2a x", timed_s=4.0),
                       _row("4 x", peak_pss_bytes=int(1.2 * 2**30)))
    by_name = {t["target"]: t for t in results["targets"]}
    assert by_name["1 generation alone"]["met"] is True
    assert by_name["1 end to end / pyarrow alone"]["value"] == 5.0 / 4.0
    assert by_name["1 end to end / pyarrow alone"]["met"] is True          # 1.25 <= 1.3
    assert by_name["2 speed-up of 2 workers over 1"]["met"] is False       # 1.25 < 1.8
    assert by_name["4 peak memory"]["met"] is False                        # 1.2 GiB > 1
    assert by_name["4 peak memory / case 1 end to end"]["value"] == pytest.approx(2.4)
    assert by_name["3 full pipeline, 1 worker"]["met"] is None             # not run
    assert "not run" in by_name["6 verify time"]["text"]


def test_markdown_section_is_replaced_in_place(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\nIntro.\n\n## Older figures\n\nKept.\n")
    update_markdown(path, render_markdown(_results(_row("1a x", entries_per_s=1.0,
                                                        lines_per_s=2.0))))
    first = path.read_text()
    assert first.index("Intro.") < first.index(BEGIN) < first.index(END) < first.index("Kept.")
    update_markdown(path, render_markdown(_results(_row("1a y", entries_per_s=1.0,
                                                        lines_per_s=2.0))))
    second = path.read_text()
    assert second.count(BEGIN) == 1 and "1a y" in second and "1a x" not in second
    assert second.endswith("Kept.\n")
