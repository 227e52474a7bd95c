"""Statistical anomalies: amounts and activity that break an account's or a user's usual
pattern (domain study §8.1 StatisticalType)."""

from __future__ import annotations

INJECTORS: dict = {}
