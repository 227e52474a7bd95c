"""Shared fixtures: small, fast configurations."""

from __future__ import annotations

import pytest

from datasynth.config import Config


def small_config_dict(**overrides) -> dict:
    data = {
        "global": {"seed": 7, "industry": "manufacturing", "start_date": "2024-01-01",
                   "period_months": 3, "group_currency": "USD"},
        "companies": [{"code": "1000", "name": "Alpha Inc.", "currency": "USD", "country": "US"},
                      {"code": "2000", "name": "Beta GmbH", "currency": "EUR", "country": "DE",
                       "volume_weight": 0.5}],
        "transactions": {"target_count": 3000},
        "master_data": {"vendors": 30, "customers": 40, "materials": 25, "fixed_assets": 10,
                        "employees": 25, "cost_centers": 10},
        "runtime": {"rows_per_shard": 400},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


@pytest.fixture
def small_config() -> Config:
    return Config.from_dict(small_config_dict())
