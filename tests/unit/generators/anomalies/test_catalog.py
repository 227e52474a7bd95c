"""The taxonomy, its injectors and its documentation agree."""

from pathlib import Path

import pytest

from datasynth.config import Config
from datasynth.generators.anomalies.catalog import DIFFICULTIES, FAMILIES, TYPES
from datasynth.generators.anomalies.engine import INJECTORS
from datasynth.generators.anomalies.plan import type_quotas
from tests.conftest import small_config_dict

DOCS = Path(__file__).resolve().parents[4] / "docs" / "anomalies.md"


def test_every_type_has_an_injector_and_a_valid_record():
    assert set(INJECTORS) == set(TYPES)
    for t in TYPES.values():
        assert t.family in FAMILIES and t.difficulty in DIFFICULTIES
        assert 1 <= t.severity <= 5 and t.entries > 0 and t.weight >= 0


def test_every_family_has_at_least_four_types():
    for family in FAMILIES:
        assert sum(t.family == family for t in TYPES.values()) >= 4, family


@pytest.mark.parametrize("name", sorted(TYPES))
def test_every_type_is_documented(name):
    assert f"`{name}`" in DOCS.read_text(), f"{name} missing from docs/anomalies.md"


def test_quotas_follow_rate_family_shares_and_rows_per_instance():
    config = Config.from_dict(small_config_dict(
        transactions={"target_count": 100_000}, document_flows={"enabled": True},
        anomaly_injection={"enabled": True, "total_rate": 0.02}))
    entries = config.entries_per_company()[0]
    quotas = type_quotas(config, 0)
    shares = config.anomaly_injection.families.model_dump()
    for family in FAMILIES:
        rows = sum(quotas.get(t.name, 0) * t.entries for t in TYPES.values()
                   if t.family == family)
        expected = 0.02 * entries * shares[family] / sum(shares.values())
        assert rows == pytest.approx(expected, rel=0.1), family


def test_a_zero_weight_turns_a_type_off():
    config = Config.from_dict(small_config_dict(
        transactions={"target_count": 100_000}, document_flows={"enabled": True},
        anomaly_injection={"enabled": True, "type_weights": {"duplicate_payment": 0}}))
    assert "duplicate_payment" not in type_quotas(config, 0)
    assert type_quotas(config, 0).get("split_purchase", 0) > 0


def test_injection_off_means_no_quotas():
    config = Config.from_dict(small_config_dict(document_flows={"enabled": True}))
    assert type_quotas(config, 0) == {}
