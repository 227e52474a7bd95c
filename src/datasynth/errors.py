"""The error tree of datasynth.

Every error a user can meet derives from :class:`DataSynthError`, and each maps to one
documented exit code of the command line::

    DataSynthError                        (exit 1 unless a subclass says otherwise)
    ├─ ConfigurationError (ValueError)    bad or inconsistent configuration        exit 2
    ├─ GenerationError                    a phase failed; .phase, .shard, __cause__  exit 1
    ├─ MemoryExceeded                     .limit, .current in bytes                  exit 3
    ├─ OutputError (OSError)              cannot write, disk full, output locked     exit 4
    └─ Interrupted                        stopped by a signal or a request           exit 130

No class is called ``RuntimeError``: it would shadow the builtin.
"""

from __future__ import annotations

__all__ = [
    "ConfigurationError",
    "DataSynthError",
    "GenerationError",
    "Interrupted",
    "MemoryExceeded",
    "OutputError",
]


class DataSynthError(Exception):
    """Base class of every error datasynth raises on purpose."""

    exit_code: int = 1


class ConfigurationError(DataSynthError, ValueError):
    """The configuration is invalid; ``problems`` lists ``(field_path, message)`` pairs."""

    exit_code = 2

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None,
                 source: str | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.source = source

    def __reduce__(self):  # keep the fields when crossing a process boundary
        return (type(self), (str(self), self.problems, self.source))


class GenerationError(DataSynthError):
    """A phase failed while generating; the original exception is ``__cause__``."""

    exit_code = 1

    def __init__(self, message: str, phase: str | None = None, shard: int | None = None,
                 worker: int | None = None) -> None:
        super().__init__(message)
        self.phase = phase
        self.shard = shard
        self.worker = worker

    def __reduce__(self):
        return (type(self), (str(self), self.phase, self.shard, self.worker))


class MemoryExceeded(DataSynthError):
    """The run needed more memory than its hard limit allows."""

    exit_code = 3

    def __init__(self, limit: int, current: int, message: str | None = None) -> None:
        super().__init__(message or f"memory limit exceeded: {current} bytes in use, limit {limit}")
        self.limit = limit
        self.current = current

    def __reduce__(self):
        return (type(self), (self.limit, self.current, str(self)))


class OutputError(DataSynthError, OSError):
    """The output location cannot be written (unwritable, full, vanished or locked)."""

    exit_code = 4


class Interrupted(DataSynthError):
    """The run was stopped by a signal or a request before it finished."""

    exit_code = 130
