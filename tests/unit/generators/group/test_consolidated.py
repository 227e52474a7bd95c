"""The consolidated trial balance, determinism, and the phase wired through a ShardContext
on a fake intercompany_activity."""

from __future__ import annotations

import pyarrow as pa
import pytest

from datasynth.config import Config
from datasynth.generators.group import GroupStructure, Subsidiary
from datasynth.phases.consolidation import ConsolidationPhase, group_structure
from datasynth.runtime.phase import ShardContext
from datasynth.schemas.group import CONSOLIDATED_TRIAL_BALANCES
from tests.conftest import small_config_dict
from tests.unit.generators.group.books import ACCOUNTS, balances, fx_table
from tests.unit.generators.group.group_books import RATES, START, group_ledger, run


def test_the_consolidated_trial_balance_sums_to_zero():
    result = run()
    table = result.consolidated
    assert table.schema.equals(CONSOLIDATED_TRIAL_BALANCES.schema)
    b = balances(table)
    for period in (1, 2):
        rows = [v for (p, _), v in b.items() if p == period]
        assert sum(v[2] for v in rows) == 0 and sum(v[0] for v in rows) == 0
        assert all(v[0] + v[1] == v[2] for v in rows)
        # the intercompany accounts and the investment are gone
        for account in ("119000", "219000", "119100", "219100", "140000", "460000",
                        "460100", "460200", "495000", "745500", "805000"):
            assert b[(period, account)][2] == 0, (period, account)
    # only the parent's share capital is left; NCI 42.56 (20 % of 212.80)
    assert b[(1, "300000")] == (-1_066_000, 66_000, -1_000_000)
    assert b[(1, "340000")] == (0, -4256, -4256)
    # stock 448.00 less the margin 33.19; cost of sales: the seller's 1,000.00 less the
    # transfer price 1,080.00 plus the margin 33.19
    assert b[(1, "125000")] == (44800, -3319, 41481)
    assert b[(1, "560000")] == (100000, -108000 + 3319, -4681)
    # January's differences: 48.20 + 40.00 + 0.20 credited
    assert b[(1, "829500")] == (0, -8840, -8840)
    # the translated rows the consolidation adds up are every member's
    translated = pa.concat_tables(result.translated)
    assert set(translated["company_code"].cast(pa.string()).to_pylist()) == {"1000", "2000"}


def test_the_same_inputs_give_the_same_tables():
    first, second = run(), run()
    for a, b in ((first.eliminations, second.eliminations),
                 (first.consolidated, second.consolidated),
                 *zip(first.translated, second.translated)):
        assert a.equals(b)


def _config(**intercompany) -> Config:
    relationships = [{"parent": "1000", "subsidiary": "2000", "ownership": 0.8}]
    return Config.from_dict(small_config_dict(
        document_flows={"enabled": True},
        intercompany={"enabled": True, "relationships": relationships, **intercompany},
        **{"global": {"seed": 7, "industry": "manufacturing", "start_date": "2024-01-01",
                      "period_months": 2, "group_currency": "USD"}}))


def test_the_phase_on_a_fake_intercompany_activity():
    config = _config()
    activity, ic = group_ledger().tables()
    tables = {"accounts": ACCOUNTS, "ledger_activity": activity, "intercompany_activity": ic,
              "fx_rates": fx_table(START, 2, "EUR", "1.10", RATES)}
    phase = ConsolidationPhase()
    assert phase.enabled(config)
    assert {"fx_rates", "intercompany_pairs"} <= set(phase.requires_for(config))
    (shard,) = phase.shards(config)
    out = list(phase.run_shard(ShardContext(config, phase.name, shard, tables.get, {})))
    produced = {name for name, _ in out}
    assert produced == set(phase.provides)
    consolidated = next(data for name, data in out if name == "consolidated_trial_balances")
    assert consolidated.equals(run().consolidated)


def test_the_group_structure_from_the_configuration():
    group = group_structure(_config(markup=0.125))
    assert group == GroupStructure("1000", (Subsidiary("2000", 800_000),), 1250)


@pytest.mark.parametrize("enabled", [False, True])
def test_exchange_rates_are_read_only_when_needed(enabled):
    data = small_config_dict(document_flows={"enabled": True, "foreign_currency_share": 0},
                             intercompany={"enabled": True})
    if not enabled:
        data["companies"][1]["currency"] = "USD"          # every book in the group currency
    phase = ConsolidationPhase()
    assert ("fx_rates" in phase.requires_for(Config.from_dict(data))) == enabled


def test_disabled_without_intercompany():
    assert not ConsolidationPhase().enabled(Config.from_dict(small_config_dict()))
