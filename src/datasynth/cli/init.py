"""``datasynth-data init``: write a starter configuration from an industry preset."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from datasynth.cli.errors import handle_errors
from datasynth.config import COMPLEXITIES, INDUSTRIES, preset_config
from datasynth.errors import OutputError

_HEADER = """\
# datasynth configuration ({industry}, {complexity}).
# Check it with: datasynth-data validate --config {name}
# Generate with: datasynth-data generate --config {name} --output out
"""


@click.command("init")
@click.option("--industry", type=click.Choice(INDUSTRIES), required=True)
@click.option("--complexity", type=click.Choice(COMPLEXITIES), default="small", show_default=True)
@click.option("--output", "-o", "path", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="Configuration file to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@handle_errors
def init(industry: str, complexity: str, path: Path, force: bool) -> None:
    """Write a configuration for an industry preset and complexity level."""
    if path.exists() and not force:
        raise OutputError(f"{path} already exists (use --force to overwrite)")
    config = preset_config(industry, complexity)
    text = _HEADER.format(industry=industry, complexity=complexity, name=path.name)
    text += yaml.safe_dump(config.to_dict(), sort_keys=False, default_flow_style=False)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    click.echo(f"wrote {path} ({industry}, {complexity})")
