"""datasynth: synthetic, statistically realistic, interconnected enterprise financial data.

    import datasynth
    config = datasynth.load_config("config.yaml")
    result = datasynth.generate(config, "out", workers=2)
    result.table("journal_entries")
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

# Arrow picks its allocator once, when pyarrow is first imported, so this comes before any
# import of it. Generation allocates and frees journal batches of tens of megabytes many
# times a second; jemalloc (in pyarrow's Linux wheels) returns those pages to the system
# sooner than the default mimalloc: peak memory 10-20 % lower at the same speed, the output
# unchanged (BENCHMARKS.md, "What changed in this issue"). A pool the user chose is kept; a
# process that imported pyarrow before datasynth keeps the pool it has.
if sys.platform.startswith("linux"):
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")

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
