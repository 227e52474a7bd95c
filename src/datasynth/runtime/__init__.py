"""The runtime: phases, plan, run loop, executors, seeding, progress and the Python API."""

from datasynth.runtime.memory import MemoryGuardConfig
from datasynth.runtime.orchestrator import (
    EnhancedOrchestrator,
    GenerationOrchestrator,
    ParallelExecutor,
)
from datasynth.runtime.phase import BasePhase, Phase, Shard, ShardContext, TableBatch
from datasynth.runtime.progress import Progress, ProgressTracker
from datasynth.runtime.registry import register
from datasynth.runtime.result import GenerationResult

__all__ = ["BasePhase", "EnhancedOrchestrator", "GenerationOrchestrator", "GenerationResult",
           "MemoryGuardConfig", "ParallelExecutor", "Phase", "Progress", "ProgressTracker", "Shard", "ShardContext",
           "TableBatch", "register"]
