"""Relational anomalies: unusual links between accounts, partners and users (domain study
§8.1 RelationalType)."""

from __future__ import annotations

INJECTORS: dict = {}
