"""Industry presets x complexity levels, and the demo configuration.

An industry shapes the business-process mix and the companies of a group; a complexity level
sizes the chart of accounts and the master data. Figures follow the reference study's presets
(``shared/reference/runtime.md`` §9) where it has them.
"""

from __future__ import annotations

from typing import Any

from datasynth.config.config import Config

PROCESS_MIX: dict[str, dict[str, float]] = {
    "manufacturing": {"O2C": 0.32, "P2P": 0.34, "R2R": 0.18, "H2R": 0.10, "A2R": 0.06},
    "retail": {"O2C": 0.45, "P2P": 0.30, "R2R": 0.12, "H2R": 0.10, "A2R": 0.03},
    "financial_services": {"O2C": 0.20, "P2P": 0.15, "R2R": 0.45, "H2R": 0.15, "A2R": 0.05},
    "healthcare": {"O2C": 0.35, "P2P": 0.30, "R2R": 0.15, "H2R": 0.17, "A2R": 0.03},
    "technology": {"O2C": 0.35, "P2P": 0.20, "R2R": 0.20, "H2R": 0.20, "A2R": 0.05},
}

# (code, name, currency, country) of the group companies an industry preset starts with.
GROUPS: dict[str, list[tuple[str, str, str, str]]] = {
    "manufacturing": [("1000", "Northwind Manufacturing Inc.", "USD", "US"),
                      ("2000", "Northwind Fertigung GmbH", "EUR", "DE"),
                      ("3000", "Northwind Manufacturing (Suzhou) Co., Ltd.", "CNY", "CN")],
    "retail": [("1000", "Harbor Retail Corp.", "USD", "US"),
               ("2000", "Harbor Retail UK Ltd", "GBP", "GB"),
               ("3000", "Harbor Retail Canada Inc.", "CAD", "CA")],
    "financial_services": [("1000", "Meridian Financial Group Inc.", "USD", "US"),
                           ("2000", "Meridian Financial Services Ltd", "GBP", "GB"),
                           ("3000", "Meridian Finanz AG", "CHF", "CH")],
    "healthcare": [("1000", "Crescent Health Systems Inc.", "USD", "US"),
                   ("2000", "Crescent Health GmbH", "EUR", "DE"),
                   ("3000", "Crescent Health Japan K.K.", "JPY", "JP")],
    "technology": [("1000", "Lumen Software Inc.", "USD", "US"),
                   ("2000", "Lumen Software Ireland Ltd", "EUR", "IE"),
                   ("3000", "Lumen Software India Pvt Ltd", "INR", "IN")],
}

MASTER_DATA: dict[str, dict[str, int]] = {
    "small": {"vendors": 200, "customers": 400, "materials": 300, "fixed_assets": 100,
              "employees": 100, "cost_centers": 20},
    "medium": {"vendors": 1000, "customers": 2500, "materials": 1500, "fixed_assets": 500,
               "employees": 400, "cost_centers": 40},
    "large": {"vendors": 5000, "customers": 10000, "materials": 5000, "fixed_assets": 2000,
              "employees": 1500, "cost_centers": 80},
}

TARGET_COUNT = {"small": 10_000, "medium": 100_000, "large": 1_000_000}


def preset_dict(industry: str, complexity: str, companies: int = 2,
                target_count: int | None = None) -> dict[str, Any]:
    """The configuration mapping of a preset (raises ``KeyError`` for an unknown name)."""
    group = GROUPS[industry][:max(1, min(companies, len(GROUPS[industry])))]
    return {
        "global": {"seed": 42, "industry": industry, "start_date": "2024-01-01",
                   "period_months": 12, "group_currency": "USD"},
        "companies": [{"code": code, "name": name, "currency": currency, "country": country,
                       "volume_weight": round(1.0 / (1 + i), 3)}
                      for i, (code, name, currency, country) in enumerate(group)],
        "chart_of_accounts": {"complexity": complexity},
        "transactions": {"target_count": target_count or TARGET_COUNT[complexity],
                         "business_processes": dict(PROCESS_MIX[industry])},
        "master_data": dict(MASTER_DATA[complexity]),
        "output": {"format": "parquet", "compression": "zstd"},
    }


def preset_config(industry: str, complexity: str = "small", **kwargs: Any) -> Config:
    return Config.from_dict(preset_dict(industry, complexity, **kwargs),
                            source=f"preset {industry}/{complexity}")


def demo_config(industry: str = "manufacturing") -> Config:
    """A three-company group's year of 100,000 entries, 2 % of them carrying labelled
    anomalies, with intercompany trading and the consolidation (the third company 80 %
    owned): big enough to show the runtime, the labels and the group, done in seconds."""
    data = preset_dict(industry, "small", companies=3, target_count=100_000)
    data["anomaly_injection"] = {"enabled": True, "total_rate": 0.02}
    parent, *subsidiaries = [c["code"] for c in data["companies"]]
    data["intercompany"] = {"enabled": True, "relationships": [
        {"parent": parent, "subsidiary": code, "ownership": 1.0 if i == 0 else 0.8}
        for i, code in enumerate(subsidiaries)]}
    return Config.from_dict(data, source=f"demo {industry}")


def benchmark_config(target_count: int = 100_000) -> Config:
    """The configuration the benchmarks measure (BENCHMARKS.md): the two-company
    manufacturing year of the first demo, 2 % anomalies, no group."""
    data = preset_dict("manufacturing", "small", companies=2, target_count=target_count)
    data["anomaly_injection"] = {"enabled": True, "total_rate": 0.02}
    return Config.from_dict(data, source="benchmark configuration")
