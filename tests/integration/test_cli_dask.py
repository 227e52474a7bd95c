"""``--executor dask``: a local Dask cluster, or an existing one by its scheduler address,
writes the same bytes as the process executor."""

from __future__ import annotations

import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import part_hashes, run_cli, write_config

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    base = tmp_path_factory.mktemp("dask")
    config = write_config(base / "c.yaml", small_config_dict(
        transactions={"target_count": 20_000}, **{"global": {"period_months": 12}}))
    out = base / "process"
    done = run_cli("generate", "-c", config, "-o", out, "--executor", "process",
                   "--workers", "2", "--progress", "none")
    assert done.returncode == 0, done.stderr
    return config, part_hashes(out)


def test_a_local_dask_cluster_writes_the_process_executors_bytes(reference, tmp_path):
    config, expected = reference
    done = run_cli("generate", "-c", config, "-o", tmp_path / "o", "--executor", "dask",
                   "--workers", "2", "--progress", "none")
    assert done.returncode == 0, done.stderr
    assert part_hashes(tmp_path / "o") == expected


def test_an_existing_cluster_by_its_scheduler_address(reference, tmp_path):
    config, expected = reference
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        done = run_cli("generate", "-c", config, "-o", tmp_path / "o", "--scheduler",
                       cluster.scheduler_address, "--progress", "none")
    assert done.returncode == 0, done.stderr
    assert part_hashes(tmp_path / "o") == expected


def test_scheduler_with_another_executor_is_refused(reference, tmp_path):
    config, _ = reference
    done = run_cli("generate", "-c", config, "-o", tmp_path / "o", "--executor", "process",
                   "--scheduler", "tcp://127.0.0.1:1")
    assert done.returncode == 2 and "--scheduler needs --executor dask" in done.stderr
