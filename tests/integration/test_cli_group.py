"""A three-company group through the real CLI: same bytes on one or two workers, the group
tables present, and each invalid group configuration refused with its field named."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import manifest, part_hashes, run_cli, write_config

GROUP = {
    "companies": [
        {"code": "US01", "name": "Atlas Holdings Inc.", "currency": "USD", "country": "US"},
        {"code": "DE01", "name": "Atlas GmbH", "currency": "EUR", "country": "DE",
         "volume_weight": 0.6},
        {"code": "GB01", "name": "Atlas UK Ltd", "currency": "GBP", "country": "GB",
         "volume_weight": 0.5}],
    "intercompany": {"enabled": True, "relationships": [
        {"parent": "US01", "subsidiary": "DE01"},
        {"parent": "US01", "subsidiary": "GB01", "ownership": 0.8}]},
}


@pytest.fixture(scope="module")
def group_outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("group")
    config = write_config(root / "group.yaml", small_config_dict(**GROUP))
    outputs = []
    for workers in (1, 2):
        out = root / f"out{workers}"
        done = run_cli("generate", "--config", config, "--output", out, "-w", workers)
        assert done.returncode == 0, done.stderr
        outputs.append(out)
    return outputs


def test_the_group_is_the_same_bytes_on_one_or_two_workers(group_outputs):
    one, two = group_outputs
    hashes = part_hashes(one)
    assert any("intercompany_pairs" in name for name in hashes)
    assert hashes == part_hashes(two)


def test_the_group_writes_its_tables_and_passes_verify(group_outputs):
    out = group_outputs[0]
    tables = manifest(out)["tables"]
    for name in ("intercompany_pairs", "intercompany_open_items"):
        assert name in tables and tables[name]["rows"] > 0
    pairs = pq.read_table(out / "intercompany_pairs").to_pylist()
    assert {p["seller_company"] for p in pairs} == {"US01"}
    assert {p["buyer_company"] for p in pairs} == {"DE01", "GB01"}
    done = run_cli("verify", out)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("change, fragments", [
    ({"relationships": [{"parent": "US01", "subsidiary": "XX"}]},
     ["intercompany.relationships[0].subsidiary", "unknown company code"]),
    ({"relationships": [{"parent": "US01", "subsidiary": "DE01", "ownership": 0.4}]},
     ["intercompany.relationships[0].ownership", "0.4"]),
    ({"relationships": [{"parent": "US01", "subsidiary": "DE01"},
                        {"parent": "GB01", "subsidiary": "DE01"}]},
     ["intercompany.relationships[1].subsidiary", "already owned by US01"]),
    ({"relationships": [{"parent": "US01", "subsidiary": "DE01"},
                        {"parent": "DE01", "subsidiary": "GB01"}]},
     ["intercompany.relationships", "one level"]),
    ({"relationships": [{"parent": "US01", "subsidiary": "US01"}]},
     ["intercompany.relationships[0].subsidiary", "cannot own itself"]),
])
def test_an_invalid_group_is_refused_with_its_field(tmp_path, change, fragments):
    data = small_config_dict(**{**GROUP, "intercompany": {"enabled": True, **change}})
    out = tmp_path / "out"
    done = run_cli("generate", "--config", write_config(tmp_path / "c.yaml", data),
                   "--output", out)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr
    assert not (out / "manifest.json").exists()
