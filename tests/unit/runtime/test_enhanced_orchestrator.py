"""EnhancedOrchestrator: builder methods that switch the optional phases on."""

from __future__ import annotations

import pytest

from datasynth.config import Config
from datasynth.errors import ConfigurationError
from datasynth.runtime import EnhancedOrchestrator, GenerationOrchestrator
from tests.conftest import small_config_dict

BASE = ["calendar", "chart_of_accounts", "master_data"]
BOOKS = [*BASE, "opening_balances", "transactions"]


@pytest.fixture
def everything_on() -> Config:
    on = {"enabled": True}
    return Config.from_dict(small_config_dict(document_flows=on, subledgers=on, period_close=on))


@pytest.fixture
def tiny() -> Config:
    data = small_config_dict(transactions={"target_count": 300},
                             runtime={"workers": 1, "executor": "serial",
                                      "rows_per_shard": 400})
    data["companies"] = data["companies"][:1]
    data["global"]["period_months"] = 2
    return Config.from_dict(data)


def test_is_a_generation_orchestrator(everything_on):
    orchestrator = EnhancedOrchestrator(everything_on, workers=1, executor="serial")
    assert isinstance(orchestrator, GenerationOrchestrator)
    assert orchestrator.config is everything_on
    assert orchestrator.workers == 1 and orchestrator.executor_name == "serial"


def test_minimal_switches_optional_phases_off(everything_on):
    orchestrator = EnhancedOrchestrator.minimal(everything_on, workers=1)
    config = orchestrator.config
    assert not config.document_flows.enabled
    assert not config.subledgers.enabled
    assert not config.period_close.enabled
    assert orchestrator.plan().names == [*BASE, "journal_entries"]
    assert orchestrator.workers == 1
    assert everything_on.document_flows.enabled  # the caller's config is untouched


@pytest.mark.parametrize(("builders", "expected"), [
    ((), [*BASE, "journal_entries"]),
    (("with_document_flows",), [*BOOKS, "trial_balances"]),
    (("with_subledgers",), [*BOOKS, "subledgers", "trial_balances"]),
    (("with_period_close",), [*BOOKS, "period_close", "trial_balances"]),
    (("with_document_flows", "with_subledgers"), [*BOOKS, "subledgers", "trial_balances"]),
    (("with_subledgers", "with_period_close"),
     [*BOOKS, "subledgers", "period_close", "trial_balances"]),
    (("with_period_close", "with_subledgers", "with_document_flows"),
     [*BOOKS, "subledgers", "period_close", "trial_balances"]),
    (("with_anomaly_injection",), [*BOOKS, "trial_balances"]),
    (("with_data_quality",), [*BASE, "journal_entries", "data_quality"]),
    (("with_anomaly_injection", "with_data_quality"),
     [*BOOKS, "trial_balances", "data_quality"]),
    (("with_fx",), ["calendar", "chart_of_accounts", "fx_rates", "master_data",
                    "journal_entries"]),
])
def test_plan_after_builders(everything_on, builders, expected):
    orchestrator = EnhancedOrchestrator.minimal(everything_on)
    for name in builders:
        assert getattr(orchestrator, name)() is orchestrator
    assert orchestrator.plan().names == expected


def test_builders_set_sections_and_overrides(everything_on):
    orchestrator = EnhancedOrchestrator.minimal(everything_on)
    orchestrator.with_document_flows(partial_payment_rate=0.1, return_rate=0.0)
    config = orchestrator.config
    assert config.document_flows.enabled
    assert config.document_flows.partial_payment_rate == 0.1
    assert config.document_flows.return_rate == 0.0
    assert not config.subledgers.enabled and not config.period_close.enabled

    orchestrator.with_period_close(accruals=False, tax_provision=False)
    config = orchestrator.config
    assert config.period_close.enabled
    assert not config.period_close.accruals and not config.period_close.tax_provision
    assert config.period_close.year_end_close
    # switching a dependent phase on keeps the document-flow settings made before
    assert config.document_flows.partial_payment_rate == 0.1

    assert orchestrator.with_subledgers().config.subledgers.enabled


def test_anomaly_and_quality_builders_set_their_sections(everything_on):
    orchestrator = EnhancedOrchestrator.minimal(everything_on)
    assert not orchestrator.config.anomaly_injection.enabled
    orchestrator.with_anomaly_injection(total_rate=0.05, families={"fraud": 1, "error": 0,
                                                                    "process": 0,
                                                                    "statistical": 0,
                                                                    "relational": 0})
    config = orchestrator.config
    assert config.anomaly_injection.enabled and config.document_flows.enabled
    assert config.anomaly_injection.total_rate == 0.05
    assert config.anomaly_injection.families.error == 0
    orchestrator.with_data_quality(typo_rate=0.02)
    assert orchestrator.config.data_quality.enabled
    assert orchestrator.config.data_quality.typo_rate == 0.02
    with pytest.raises(ConfigurationError, match=r"with_anomaly_injection\(\).*'rate'"):
        orchestrator.with_anomaly_injection(rate=0.1)
    with pytest.raises(ConfigurationError, match="anomaly_injection.total_rate"):
        orchestrator.with_anomaly_injection(total_rate=0.9)


def test_run_with_anomalies_writes_labels(tiny, tmp_path):
    result = (EnhancedOrchestrator.minimal(tiny, output_dir=tmp_path / "labelled")
              .with_anomaly_injection(total_rate=0.1).run())
    labels = result.table("anomaly_labels").to_pylist()
    assert labels
    entries = result.table("journal_entries").select(["document_id", "is_anomaly"])
    flagged = {row["document_id"] for row in entries.to_pylist() if row["is_anomaly"]}
    assert flagged == {row["document_id"] for row in labels
                       if row["table_name"] == "journal_entries"}


def test_dependent_builders_switch_document_flows_on(everything_on):
    for name in ("with_subledgers", "with_period_close", "with_anomaly_injection"):
        orchestrator = getattr(EnhancedOrchestrator.minimal(everything_on), name)()
        assert orchestrator.config.document_flows.enabled, name
        # and keep the other section's defaults-off state from minimal()
        other = "period_close" if name == "with_subledgers" else "subledgers"
        assert not getattr(orchestrator.config, other).enabled, name


def test_chaining_returns_the_same_object(everything_on):
    orchestrator = EnhancedOrchestrator.minimal(everything_on)
    chained = (orchestrator.with_document_flows()
               .with_subledgers()
               .with_period_close(year_end_close=False))
    assert chained is orchestrator
    assert not orchestrator.config.period_close.year_end_close


def test_unknown_keyword_names_section_and_key(everything_on):
    orchestrator = EnhancedOrchestrator.minimal(everything_on)
    before = orchestrator.config
    with pytest.raises(ConfigurationError, match=r"with_period_close\(\).*period_close.*"
                                                 r"'bogus_flag'.*accruals") as info:
        orchestrator.with_period_close(bogus_flag=True)
    assert info.value.problems[0][0] == "period_close.bogus_flag"
    with pytest.raises(ConfigurationError, match="document_flows.*'partial_paymnt_rate'"):
        orchestrator.with_document_flows(partial_paymnt_rate=0.1)
    with pytest.raises(ConfigurationError, match="subledgers.*'aging'"):
        orchestrator.with_subledgers(aging=True)
    assert orchestrator.config is before  # a failed builder changes nothing


def test_invalid_value_surfaces_as_configuration_error(everything_on):
    orchestrator = EnhancedOrchestrator.minimal(everything_on)
    before = orchestrator.config
    with pytest.raises(ConfigurationError,
                       match=r"with_document_flows\(\).*document_flows\.partial_payment_rate"
                       ) as info:
        orchestrator.with_document_flows(partial_payment_rate=3)
    assert info.value.problems[0][0] == "document_flows.partial_payment_rate"
    assert orchestrator.config is before


def test_enabled_is_not_a_builder_setting(everything_on):
    with pytest.raises(ConfigurationError, match="enabled"):
        EnhancedOrchestrator.minimal(everything_on).with_subledgers(enabled=False)


def test_run_with_all_builders_produces_the_books(tiny, tmp_path):
    result = (EnhancedOrchestrator.minimal(tiny, output_dir=tmp_path / "full")
              .with_document_flows().with_subledgers().with_period_close().run())
    assert result.status == "complete"
    assert result.table("trial_balances").num_rows > 0
    assert result.table("ar_open_items").num_rows > 0
    assert result.table("fixed_asset_balances").num_rows > 0
    assert result.table("journal_entries").num_rows > 0


def test_run_minimal_produces_only_journal_entries(tiny, tmp_path):
    result = EnhancedOrchestrator.minimal(tiny, output_dir=tmp_path / "min").run()
    assert result.status == "complete"
    assert result.table("journal_entries").num_rows > 0
    for name in ("trial_balances", "ar_open_items", "fixed_asset_balances"):
        assert name not in result.tables
        with pytest.raises(KeyError, match="was not generated"):
            result.table(name)


def test_the_intercompany_builder_plans_the_group(everything_on):
    orchestrator = EnhancedOrchestrator.minimal(everything_on)
    orchestrator.with_intercompany(markup=0.05, relationships=[
        {"parent": "1000", "subsidiary": "2000", "ownership": 0.8}])
    config = orchestrator.config
    assert config.intercompany.enabled and config.intercompany.markup == 0.05
    assert config.document_flows.enabled and config.fx_enabled
    assert config.group_relationships()[0].ownership == 0.8
    assert orchestrator.plan().names == [
        "calendar", "chart_of_accounts", "fx_rates", "master_data", "opening_balances",
        "group_structure", "transactions", "intercompany", "trial_balances",
        "consolidation"]
    with pytest.raises(ConfigurationError, match=r"with_intercompany\(\): invalid "
                                                 r"intercompany setting.*unknown company"):
        orchestrator.with_intercompany(relationships=[{"parent": "1000",
                                                       "subsidiary": "9999"}])


def test_the_fx_builder_sets_its_section(everything_on):
    orchestrator = EnhancedOrchestrator.minimal(everything_on)
    assert not orchestrator.config.fx_enabled          # minimal() switches the rates off
    orchestrator.with_fx(half_life_days=250, volatility={"EUR": 0.12})
    config = orchestrator.config
    assert config.fx_enabled and config.fx.half_life_days == 250
    assert config.fx.volatility == {"EUR": 0.12}
    with pytest.raises(ConfigurationError, match=r"with_fx\(\): invalid fx setting.*pegged"):
        orchestrator.with_fx(levels={"HKD": 0.2})
