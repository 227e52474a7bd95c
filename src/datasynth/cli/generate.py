"""``datasynth-data generate``: build the configuration, run it, summarise the output."""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from datasynth.cli.errors import handle_errors
from datasynth.cli.progress_display import make_display
from datasynth.config import FORMATS, INDUSTRIES, Config, demo_config, load_config
from datasynth.errors import ConfigurationError
from datasynth.runtime.orchestrator import GenerationOrchestrator


@click.command("generate")
@click.option("--config", "-c", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML configuration file.")
@click.option("--demo", is_flag=True, help="Use the built-in demo configuration.")
@click.option("--preset", type=click.Choice(INDUSTRIES), default=None,
              help="Industry of the demo configuration (with --demo).")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path),
              required=True, help="Output directory (empty, new, or an earlier output).")
@click.option("--workers", "-w", type=click.IntRange(1, 512), default=None,
              help="Parallel worker processes (default: config, else the available cores).")
@click.option("--executor", type=click.Choice(["serial", "process", "dask"]), default=None,
              help="How shards run (default: serial for one worker, else process; dask: a "
                   "Dask cluster, local unless --scheduler).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler of an existing cluster (implies --executor dask).")
@click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
              help="Output format; repeat for several (overrides the config).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None,
              help="Random seed (overrides global.seed).")
@click.option("--progress", "progress_mode", type=click.Choice(["bar", "json", "none"]),
              default=None, help="Progress display (default: bar on a terminal, else none).")
@click.option("--memory-limit", type=click.IntRange(64), default=None, metavar="MB",
              help="Hard limit on the run's resident memory (main process and workers).")
@click.option("--memory-soft-limit", type=click.IntRange(32), default=None, metavar="MB",
              help="Throttle from here on (default: 80 % of --memory-limit).")
@click.option("--resume", is_flag=True,
              help="Continue an unfinished run into OUTPUT (same configuration).")
@handle_errors
def generate(config_path: Path | None, demo: bool, preset: str | None, output: Path,
             workers: int | None, executor: str | None, scheduler: str | None,
             formats: tuple[str, ...],
             seed: int | None, progress_mode: str | None, memory_limit: int | None,
             memory_soft_limit: int | None, resume: bool) -> None:
    """Generate a dataset into an output directory."""
    config = _resolve_config(config_path, demo, preset, formats, seed)
    if memory_soft_limit is not None and memory_limit is None:
        raise ConfigurationError("--memory-soft-limit goes with --memory-limit")
    if memory_limit is not None:
        config = config.replace(runtime={"memory": {"hard_limit_mb": memory_limit,
                                                     "soft_limit_mb": memory_soft_limit}})
    if scheduler and executor not in (None, "dask"):
        raise ConfigurationError(f"--scheduler needs --executor dask (got {executor})")
    orchestrator = GenerationOrchestrator(config, output_dir=output, workers=workers,
                                          executor=executor, scheduler=scheduler)
    started = time.perf_counter()
    with make_display(progress_mode) as display, _signals(orchestrator):
        result = orchestrator.run_with_progress(display, resume=resume)
    _summary(result.manifest, output, time.perf_counter() - started)


@contextlib.contextmanager
def _signals(orchestrator: GenerationOrchestrator) -> Iterator[None]:
    """SIGUSR1 toggles pause; SIGTERM stops the run like Ctrl-C (Unix)."""
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    wanted = {getattr(signal, "SIGUSR1", None): lambda s, f: orchestrator.toggle_pause(),
              getattr(signal, "SIGTERM", None): stop}
    previous = {sig: signal.signal(sig, handler) for sig, handler in wanted.items()
                if sig is not None}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _resolve_config(config_path: Path | None, demo: bool, preset: str | None,
                    formats: tuple[str, ...], seed: int | None) -> Config:
    if demo == (config_path is not None):
        raise ConfigurationError("give exactly one of --config FILE or --demo")
    if preset and not demo:
        raise ConfigurationError("--preset goes with --demo")
    config = demo_config(preset or "manufacturing") if demo else load_config(config_path)
    overrides: dict[str, Any] = {}
    if formats:
        overrides["output"] = {"format": list(formats)}
    if seed is not None:
        overrides["global"] = {"seed": seed}
    return config.replace(**overrides) if overrides else config


def _summary(manifest: dict[str, Any], output: Path, seconds: float) -> None:
    tables = manifest.get("tables", {})
    click.echo(f"datasynth: {manifest['status']} in {seconds:.1f}s -> {output}")
    width = max((len(t) for t in tables), default=10)
    for name, table in tables.items():
        click.echo(f"  {name:<{width}}  {table['rows']:>12,} rows  {len(table['files'])} files")
