"""Every industry preset generates an output that ``verify`` passes in full, through the real
CLI: five small but whole years of three companies each, plus the shapes that found bugs
before (a mid-month start with a run that is not whole years, in USD, EUR and zero-decimal
JPY; a company without cost centers). Each with 5 % injected anomalies, which must leave the
books coherent and be labelled exactly."""

from __future__ import annotations

import json

import pytest

from datasynth.config.presets import GROUPS, preset_dict
from tests.integration.cli import run_cli, write_config

TARGET_COUNT = 3000


def _preset(industry: str, **global_) -> dict:
    data = preset_dict(industry, "small", companies=3, target_count=TARGET_COUNT)
    data["global"].update(global_)
    data["anomaly_injection"] = {"enabled": True, "total_rate": 0.05}
    # a group: the first company owns the second outright and 80 % of the third, so the
    # intercompany and consolidation checks run too
    parent, full, partial = (c["code"] for c in data["companies"])
    data["intercompany"] = {"enabled": True, "relationships": [
        {"parent": parent, "subsidiary": full},
        {"parent": parent, "subsidiary": partial, "ownership": 0.8}]}
    return data


def _without_cost_centers() -> dict:
    data = _preset("manufacturing")
    data["master_data"]["cost_centers"] = 0
    return data


CASES = {
    **{industry: _preset(industry) for industry in GROUPS},
    # healthcare's group is USD, EUR and JPY (exponent 0): 20 Nov 2023 + 14 months touches
    # three fiscal years, with partial first and last months and two year-end closes.
    "mid_month_14_months_jpy": _preset("healthcare", start_date="2023-11-20",
                                       period_months=14),
    "no_cost_centers": _without_cost_centers(),
}


def _failures(report: dict) -> str:
    return "\n".join(f"  {c['name']}: {c['status']}, {c.get('violations')} violations: "
                     f"{c.get('detail')}" for c in report["checks"]
                     if c["status"] != "pass")


@pytest.mark.parametrize("name", list(CASES))
def test_a_preset_output_verifies(name, tmp_path):
    out = tmp_path / "out"
    done = run_cli("generate", "--config", write_config(tmp_path / "config.yaml", CASES[name]),
                   "--output", out, "--workers", "1", "--progress", "none")
    assert done.returncode == 0, done.stderr
    done = run_cli("verify", out, "--json")
    assert "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    assert done.returncode == 0 and report["ok"], f"{name}:\n{_failures(report)}"
    # every check ran and passed: nothing skipped for want of data
    assert report["summary"]["pass"] == len(report["checks"]), f"{name}:\n{_failures(report)}"
