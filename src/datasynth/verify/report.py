"""Showing a verification report: a rich table for people, JSON for machines."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table
from rich.text import Text

from datasynth.verify import ERROR, FAIL, PASS, SKIP, Report

_LABELS = {PASS: ("pass", "green"), FAIL: ("FAIL", "bold red"), SKIP: ("skipped", "dim"),
           ERROR: ("ERROR", "bold red")}


def render(report: Report, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title=f"datasynth verify {report.root}", title_justify="left",
                  show_lines=False)
    table.add_column("check", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("checked", justify="right", no_wrap=True)
    table.add_column("violations", justify="right", no_wrap=True)
    table.add_column("detail", overflow="fold")
    for r in report.results:
        label, style = _LABELS[r.status]
        skip = r.status == SKIP
        table.add_row(r.name, Text(label, style=style), "" if skip else f"{r.checked:,}",
                      "" if skip else f"{r.violations:,}", r.detail)
    console.print(table)
    failed = report.count(FAIL) + report.count(ERROR)
    summary = (f"{report.count(PASS)} passed, {failed} failed, {report.count(SKIP)} skipped "
               f"in {report.seconds:.1f}s")
    console.print(Text(summary, style="bold red" if failed else "bold green"))


def to_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, default=str)
