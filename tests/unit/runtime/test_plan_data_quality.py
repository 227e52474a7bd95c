"""The plan with the data-quality phase: after every writer of the tables it reads (the
period close extends the journal), and reading only the tables the configuration picks."""

from __future__ import annotations

from datasynth.config import Config
from datasynth.runtime.phase import BasePhase
from datasynth.runtime.plan import build_plan, requires_of
from datasynth.runtime.registry import registered_phases
from tests.conftest import small_config_dict


def _plan(**overrides):
    config = Config.from_dict(small_config_dict(**overrides))
    return build_plan(registered_phases(), config), config


def test_off_by_default():
    plan, _ = _plan(document_flows={"enabled": True})
    assert "data_quality" not in plan.names


def test_runs_after_the_period_close_that_extends_the_journal():
    plan, _ = _plan(document_flows={"enabled": True}, data_quality={"enabled": True})
    names = plan.names
    assert names.index("data_quality") > names.index("period_close") > names.index(
        "transactions")
    assert {"journal_entries", "vendors", "employees"} <= plan.retained
    assert "quality_labels" in plan.exported and "journal_entries_degraded" in plan.exported


def test_reads_the_standalone_journal_when_flows_are_off():
    plan, _ = _plan(document_flows={"enabled": False}, data_quality={"enabled": True})
    assert plan.names.index("data_quality") > plan.names.index("journal_entries")


def test_without_entries_it_reads_only_master_data():
    plan, config = _plan(transactions={"target_count": 0}, data_quality={"enabled": True})
    phase = next(p for p in plan.phases if p.name == "data_quality")
    assert requires_of(phase, config) == ("vendors", "customers", "materials", "employees")
    assert "journal_entries" not in plan.retained


def test_reads_only_the_listed_tables_in_a_fixed_order():
    plan, config = _plan(data_quality={"enabled": True,
                                       "tables": ["journal_entries", "vendors"]})
    phase = next(p for p in plan.phases if p.name == "data_quality")
    assert requires_of(phase, config) == ("vendors", "journal_entries")


def test_requires_of_defaults_to_requires(small_config):
    class Plain(BasePhase):
        name = "plain"
        requires = ("accounts",)

    assert requires_of(Plain(), small_config) == ("accounts",)
