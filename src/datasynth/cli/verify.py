"""``datasynth-data verify DIR``: check that a generated output is complete and coherent.

Exit 0 when every check passes (skipped checks do not fail), 1 when any fails, 2 when DIR is
not a datasynth output.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from datasynth.cli.errors import handle_errors
from datasynth.verify import verify as run_verify
from datasynth.verify.report import render, to_json
from datasynth.verify.source import DEFAULT_MEMORY_LIMIT_MB


@click.command("verify")
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--memory-limit", type=click.IntRange(128), default=DEFAULT_MEMORY_LIMIT_MB,
              show_default=True, metavar="MB",
              help="Working memory for the checks' queries; beyond it they spill to disk.")
@handle_errors
def verify(directory: Path, as_json: bool, memory_limit: int) -> None:
    """Check a generated output: manifest, balances, subledgers, keys, document chains."""
    report = run_verify(directory, memory_limit_mb=memory_limit)
    if as_json:
        click.echo(to_json(report))
    else:
        # wide enough that check names and counts never wrap when piped to a file
        console = Console(width=None if sys.stdout.isatty() else 160)
        render(report, console)
    sys.exit(0 if report.ok else 1)
