"""Every registered phase through the same checks: schema match, determinism, and only the
tables it declares."""

from __future__ import annotations

import pytest

from datasynth.config import Config
from datasynth.errors import GenerationError
from datasynth.runtime.orchestrator import GenerationOrchestrator
from datasynth.runtime.phase import BasePhase, Shard, TableBatch
from datasynth.runtime.registry import registered_phases
from datasynth.runtime.worker import ShardTask, run_shard_task
from datasynth.schemas.registry import table_spec
from datasynth.sinks.memory import MemoryStore
from datasynth.sinks.spec import SinkSpec
from tests.conftest import small_config_dict

PHASES = [p.name for p in registered_phases()]


@pytest.fixture(scope="module")
def two_runs():
    config = Config.from_dict(small_config_dict(transactions={"target_count": 1500},
                                                document_flows={"enabled": True},
                                                data_quality={"enabled": True},
                                                anomaly_injection={"enabled": True,
                                                                   "total_rate": 0.05},
                                                intercompany={"enabled": True}))
    runs = []
    for _ in range(2):
        store = MemoryStore()
        GenerationOrchestrator(config, memory=store, workers=1).run()
        runs.append(store)
    return config, runs


@pytest.mark.parametrize("phase_name", PHASES)
def test_phase_output_matches_schemas_and_repeats(two_runs, phase_name):
    config, (first, second) = two_runs
    phase = next(p for p in registered_phases() if p.name == phase_name)
    for table in phase.provides:
        spec = table_spec(table)
        if not spec.exported:
            continue
        a = first.table(table, spec.schema)
        b = second.table(table, spec.schema)
        assert a.schema.equals(spec.schema), table
        assert a.num_rows > 0, table
        assert a.equals(b), f"{table} differs between two runs with the same seed"
        if spec.key:
            keys = a.select(list(spec.key)).to_pylist()
            assert len({tuple(k.values()) for k in keys}) == len(keys), f"{table} key repeats"


@pytest.mark.parametrize("phase_name", PHASES)
def test_shards_depend_only_on_the_configuration(phase_name):
    config = Config.from_dict(small_config_dict())
    phase = next(p for p in registered_phases() if p.name == phase_name)
    shards = phase.shards(config)
    assert shards == phase.shards(config.replace(runtime={"workers": 7}))
    assert [s.index for s in shards] == list(range(len(shards)))


def test_a_phase_emitting_an_undeclared_table_fails(tmp_path, monkeypatch):
    import datasynth.runtime.worker as worker

    class Rogue(BasePhase):
        name = "rogue"
        provides = ("accounts",)

        def run_shard(self, ctx):
            yield TableBatch("vendors", table_spec("vendors").schema.empty_table())

    monkeypatch.setitem(worker._PHASES, "rogue", Rogue())
    config = Config.from_dict(small_config_dict())
    task = ShardTask("run", config, "rogue", Shard(0, "all"), SinkSpec(str(tmp_path)),
                     str(tmp_path), frozenset({"accounts"}), frozenset())
    with pytest.raises(GenerationError, match="does not declare"):
        run_shard_task(task)
