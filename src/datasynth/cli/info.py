"""``datasynth-data info``: presets, sizes, formats and the phase plan."""

from __future__ import annotations

from pathlib import Path

import click

from datasynth.cli.errors import handle_errors
from datasynth.config import COMPLEXITIES, FORMATS, INDUSTRIES, demo_config, load_config
from datasynth.generators.accounts import TARGET_SIZE
from datasynth.runtime.manifest import library_versions
from datasynth.runtime.runner import make_plan


@click.command("info")
@click.option("--plan", "show_plan", is_flag=True, help="Print the phase plan.")
@click.option("--config", "-c", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Configuration for --plan (default: the demo).")
@handle_errors
def info(show_plan: bool, config_path: Path | None) -> None:
    """Describe what datasynth can generate."""
    if show_plan:
        config = load_config(config_path) if config_path else demo_config()
        rows = make_plan(config).describe(config)
        click.echo(f"plan for {config_path or 'the demo configuration'}:")
        for i, row in enumerate(rows):
            requires = ", ".join(row["requires"]) or "-"
            provides = ", ".join(row["provides"]) or "-"
            click.echo(f"  {i}. {row['step']:<18} shards {row['shards']!s:>4}  "
                       f"requires [{requires}]  provides [{provides}]")
            click.echo(f"     {row['description']}")
        return
    versions = library_versions()
    click.echo(f"datasynth {versions['datasynth']} (python {versions['python']}, "
               f"pyarrow {versions['pyarrow']}, numpy {versions['numpy']})")
    click.echo(f"industries:   {', '.join(INDUSTRIES)}")
    click.echo("complexities: " + ", ".join(f"{c} (~{TARGET_SIZE[c]:,} accounts)"
                                           for c in COMPLEXITIES))
    click.echo(f"formats:      {', '.join(FORMATS)}")
    click.echo("commands:     generate, validate, init, info (run with --help for options)")
