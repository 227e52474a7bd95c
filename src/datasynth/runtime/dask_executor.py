"""Shards on a Dask distributed cluster (``--executor dask``; optional extra ``distributed``).

Without a scheduler address a local cluster of ``workers`` processes is started for the run;
with ``--scheduler tcp://host:8786`` an existing cluster runs the shards. Workers write their
part files and run state straight to the output directory, which must therefore be storage
every worker reaches at the same path (a shared file system); the driver only collects the
small shard results and writes the manifest. Shards and their random streams do not depend
on where they run, so the output is byte-identical to the process executor's.

The bounded submission loop is the one every executor uses (the client's executor interface
returns ``concurrent.futures`` futures). Pause (SIGUSR1) reaches only workers forked by this
process, so it does not pause a Dask cluster's workers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from datasynth.errors import ConfigurationError, GenerationError
from datasynth.runtime.memory import MemoryGuard
from datasynth.runtime.worker import ShardTask


class DaskExecutor:
    name = "dask"

    def __init__(self, workers: int, scheduler: str | None = None,
                 in_flight_per_worker: int = 2) -> None:
        self.workers = workers
        self.scheduler = scheduler
        self._in_flight = max(1, workers * in_flight_per_worker)
        self._client: Any = None
        self._cluster: Any = None

    def start(self) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ConfigurationError("--executor dask needs the optional Dask extra: "
                                     "pip install 'datasynth[distributed]'") from None
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout="10s")
                self._in_flight = max(1, 2 * len(self._client.scheduler_info()["workers"]))
            else:
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1,
                                             processes=True, dashboard_address=None)
                self._client = Client(self._cluster)
        except OSError as exc:
            raise GenerationError(f"cannot reach the Dask scheduler {self.scheduler!r}: "
                                  f"{exc}") from None

    def run(self, tasks: Iterable[ShardTask], on_result, guard: MemoryGuard | None = None
            ) -> None:
        from datasynth.runtime.executors import _bounded

        _bounded(self._client.get_executor(pure=False), tasks, on_result, self._in_flight,
                 guard)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
