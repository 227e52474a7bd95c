"""datasynth: synthetic, statistically realistic, interconnected enterprise financial data.

    import datasynth
    config = datasynth.load_config("config.yaml")
    result = datasynth.generate(config, "out", workers=2)
    result.table("journal_entries")
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from datasynth.config import Config, load_config
from datasynth.errors import (
    ConfigurationError,
    DataSynthError,
    GenerationError,
    Interrupted,
    MemoryExceeded,
    OutputError,
)

if TYPE_CHECKING:
    from datasynth.runtime.result import GenerationResult

__all__ = ["Config", "ConfigurationError", "DataSynthError", "GenerationError", "Interrupted",
           "MemoryExceeded", "OutputError", "generate", "load_config"]


def generate(config: Config, output_dir: str | Path, workers: int | None = None) -> GenerationResult:
    """Generate ``config`` into ``output_dir`` and return the result."""
    from datasynth.runtime.orchestrator import GenerationOrchestrator

    return GenerationOrchestrator(config, output_dir=output_dir, workers=workers).run()
