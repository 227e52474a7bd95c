"""The opening_balances phase through the real orchestrator, runner and worker on the small
configuration: per-company shards, company filtering of the inputs, A = L + E, control
accounts equal to their items, determinism and the start-up case.

Only the phases up to opening_balances are planned (the later ones read tables of phases
outside this test's scope), plus a probe phase that reads ``opening_items`` (an internal table
the memory sink never sees) from the state store as the transactions phase will.
"""

from __future__ import annotations

from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from datasynth.config import Config
from datasynth.config.currencies import CURRENCIES
from datasynth.money import to_minor_units
from datasynth.runtime import runner, worker
from datasynth.runtime.orchestrator import GenerationOrchestrator
from datasynth.runtime.phase import BasePhase
from datasynth.runtime.registry import registered_phases
from datasynth.schemas.registry import table_spec
from datasynth.sinks.memory import MemoryStore
from tests.conftest import small_config_dict

UPSTREAM = {"calendar", "chart_of_accounts", "master_data", "opening_balances"}
SEEN: dict[str, pa.Table] = {}


class Probe(BasePhase):
    name = "opening_probe"
    requires = ("opening_balances", "opening_items", "customers", "vendors", "materials",
                "accounts")

    def run_shard(self, ctx):
        SEEN.update({name: ctx.table(name) for name in self.requires})
        return iter(())


def small(**overrides) -> Config:
    """The small configuration with document flows on (the phase serves them)."""
    return Config.from_dict(small_config_dict(document_flows={"enabled": True}, **overrides))


def run(**overrides) -> tuple[MemoryStore, dict[str, pa.Table], list[str]]:
    config = small(**overrides)
    with pytest.MonkeyPatch.context() as patch:
        phases = [p for p in registered_phases() if p.name in UPSTREAM] + [Probe()]
        patch.setattr(runner, "registered_phases", lambda: phases)
        worker._phase("master_data")            # fill the worker's phase table first
        patch.setitem(worker._PHASES, Probe.name, Probe())
        SEEN.clear()
        store = MemoryStore()
        orchestrator = GenerationOrchestrator(config, memory=store, workers=1)
        names = orchestrator.plan().names
        orchestrator.run()
    return store, dict(SEEN), names


def strings(table: pa.Table, column: str) -> list:
    return table[column].cast(pa.string()).to_pylist()


@pytest.fixture(scope="module")
def runs():
    return run(), run()


def test_balances_and_items_per_company(runs):
    (store, seen, names), _ = runs
    assert "opening_balances" in names and "journal_entries" not in names
    config = small()
    balances = store.table("opening_balances", table_spec("opening_balances").schema)
    items = seen["opening_items"]
    assert balances.schema.equals(table_spec("opening_balances").schema)
    assert items.schema.equals(table_spec("opening_items").schema)
    assert set(balances["balance_date"].to_pylist()) == {config.global_.start_date}
    for company in config.companies:
        exponent = CURRENCIES[company.currency].exponent
        mine = balances.filter(pc.equal(balances["company_code"].cast(pa.string()),
                                                company.code))
        by_account = dict(zip(strings(mine, "gl_account"),
                              to_minor_units(mine["balance"], exponent).tolist()))
        assert len(by_account) == mine.num_rows > 10
        assert sum(by_account.values()) == 0, company.code          # A = L + E exactly
        own = items.filter(pc.equal(items["company_code"].cast(pa.string()),
                                            company.code))
        sums: dict[str, int] = defaultdict(int)
        for kind, account, amount in zip(strings(own, "kind"), strings(own, "control_account"),
                                         to_minor_units(own["amount"], exponent).tolist()):
            assert amount > 0
            sums[account] += -amount if kind == "ap" else amount
        for account, total in sums.items():
            assert by_account[account] == total, (company.code, account)
        # partners and materials are the company's own
        for kind, table, column in (("ar", seen["customers"], "customer_id"),
                                    ("ap", seen["vendors"], "vendor_id"),
                                    ("inventory", seen["materials"], "material_id")):
            theirs = {i for i, c in zip(table[column].to_pylist(), strings(table, "company_code"))
                      if c == company.code}
            keys = "item_id" if kind == "inventory" else "partner_id"
            rows = [k for k, t in zip(own[keys].to_pylist(), strings(own, "kind")) if t == kind]
            assert rows and set(rows) <= theirs, (company.code, kind)
    ids = list(zip(strings(items, "kind"), items["item_id"].to_pylist()))
    assert len(set(ids)) == len(ids)


def test_two_runs_with_the_same_seed_are_identical(runs):
    (first, first_seen, _), (second, second_seen, _) = runs
    schema = table_spec("opening_balances").schema
    assert first.table("opening_balances", schema).equals(
        second.table("opening_balances", schema))
    assert first_seen["opening_items"].equals(second_seen["opening_items"])


def test_start_up_books_hold_only_paid_in_capital():
    store, seen, _ = run(opening_balances={"enabled": False})
    balances = store.table("opening_balances", table_spec("opening_balances").schema)
    assert seen["opening_items"].num_rows == 0
    assert balances.num_rows == 4            # cash and share capital of two companies
    assert set(strings(balances, "gl_account")) == {"100000", "300000"}
    assert sum(to_minor_units(balances["balance"], 2).tolist()) == 0


def test_phase_is_skipped_without_document_flows():
    phase = next(p for p in registered_phases() if p.name == "opening_balances")
    config = small()
    assert phase.enabled(config)
    assert not phase.enabled(config.replace(document_flows={"enabled": False}))
    assert not phase.enabled(config.replace(transactions={"target_count": 0}))
    assert [s.params for s in phase.shards(config)] == [{"company": 0}, {"company": 1}]
