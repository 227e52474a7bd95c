"""The plan: topological order with declaration tie-break; bad plans rejected up front."""

from __future__ import annotations

import pytest

from datasynth.runtime.phase import BasePhase
from datasynth.runtime.plan import PlanError, build_plan
from datasynth.runtime.registry import registered_phases


def _phase(name, requires=(), provides=(), enabled=True):
    cls = type(name, (BasePhase,), {"name": name, "requires": tuple(requires),
                                    "provides": tuple(provides),
                                    "enabled": lambda self, config: enabled})
    return cls()


def test_requires_before_declaration_order(small_config):
    phases = [_phase("je", ["accounts", "employees"], ["journal_entries"]),
              _phase("md", ["accounts"], ["employees"]),
              _phase("coa", [], ["accounts"])]
    plan = build_plan(phases, small_config)
    assert plan.names == ["coa", "md", "je"]
    assert plan.retained == {"accounts", "employees"}
    assert plan.exported == ("accounts", "employees", "journal_entries")


def test_declaration_order_breaks_ties(small_config):
    phases = [_phase("b", [], ["vendors"]), _phase("a", [], ["customers"])]
    assert build_plan(phases, small_config).names == ["b", "a"]


def test_duplicate_provider_is_rejected(small_config):
    with pytest.raises(PlanError, match="provided by both"):
        build_plan([_phase("a", [], ["accounts"]), _phase("b", [], ["accounts"])], small_config)


def test_missing_input_is_rejected(small_config):
    with pytest.raises(PlanError, match="requires 'accounts'"):
        build_plan([_phase("a", ["accounts"], ["vendors"])], small_config)


def test_disabled_provider_counts_as_missing(small_config):
    phases = [_phase("coa", [], ["accounts"], enabled=False), _phase("md", ["accounts"],
                                                                       ["vendors"])]
    with pytest.raises(PlanError, match="no enabled phase"):
        build_plan(phases, small_config)


def test_cycle_is_rejected(small_config):
    phases = [_phase("a", ["customers"], ["vendors"]), _phase("b", ["vendors"], ["customers"])]
    with pytest.raises(PlanError, match="cycle"):
        build_plan(phases, small_config)


def test_unknown_table_is_rejected(small_config):
    with pytest.raises(KeyError, match="unknown table"):
        build_plan([_phase("a", [], ["no_such_table"])], small_config)


def test_registered_phases_follow_the_workflow(small_config):
    plan = build_plan(registered_phases(), small_config)
    names = plan.names
    # the runtime's documented workflow: master data, opening balances, transactions,
    # period close, then the balances computed from the entries as finally written
    assert names.index("chart_of_accounts") < names.index("master_data") \
        < names.index("opening_balances") < names.index("transactions") \
        < names.index("period_close") < names.index("trial_balances")
    assert names.index("subledgers") > names.index("transactions")
    assert "journal_entries" not in names        # the standalone generator is off
    rows = plan.describe(small_config)
    assert rows[0]["step"] == "initialize" and rows[-1]["step"] == "export"
