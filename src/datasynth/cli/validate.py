"""``datasynth-data validate``: check a configuration without generating anything."""

from __future__ import annotations

from pathlib import Path

import click

from datasynth.cli.errors import handle_errors
from datasynth.config import load_config
from datasynth.runtime.runner import make_plan


@click.command("validate")
@click.option("--config", "-c", "config_path", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="YAML configuration file.")
@handle_errors
def validate(config_path: Path) -> None:
    """Validate a configuration file (exit 0 if valid, 2 if not)."""
    config = load_config(config_path)
    plan = make_plan(config)
    companies = len(config.companies)
    click.echo(f"{config_path}: valid — {companies} compan{'y' if companies == 1 else 'ies'}, "
               f"{config.global_.period_months} months from {config.global_.start_date}, "
               f"{config.transactions.target_count:,} journal entries, "
               f"{len(plan.phases)} phases, output {', '.join(config.output.formats)}")
