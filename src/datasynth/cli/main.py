"""Entry point of ``datasynth-data``.

Exit codes: 0 success, 1 verify found violations (or a generation failure), 2 bad
configuration or usage, 3 memory limit exceeded, 4 output error, 130 interrupted.
"""

from __future__ import annotations

import click

from datasynth.cli.generate import generate
from datasynth.cli.info import info
from datasynth.cli.init import init
from datasynth.cli.validate import validate
from datasynth.cli.verify import verify


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="datasynth")
def cli() -> None:
    """datasynth: synthetic, interconnected enterprise financial data."""


cli.add_command(generate)
cli.add_command(validate)
cli.add_command(init)
cli.add_command(info)
cli.add_command(verify)


def main() -> None:
    cli(prog_name="datasynth-data")


if __name__ == "__main__":
    main()
