"""Output faults during a run: the directory vanishing gives exit 4 and one message."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import small_config_dict
from tests.integration.cli import write_config


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_output_directory_that_vanishes_mid_run(tmp_path, workers):
    config = write_config(tmp_path / "c.yaml", small_config_dict(
        transactions={"target_count": 2_000_000}, runtime={"rows_per_shard": 50_000},
        document_flows={"enabled": False}))
    out = tmp_path / "o"
    proc = subprocess.Popen([sys.executable, "-m", "datasynth.cli.main", "generate", "-c",
                             str(config), "-o", str(out), "--progress", "json", "--workers",
                             workers], stderr=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    for line in proc.stderr:
        if line.startswith("{") and json.loads(line)["phase"] == "journal_entries" \
                and json.loads(line)["current"] > 0:
            break
    shutil.rmtree(out)
    _, rest = proc.communicate(timeout=120)
    assert proc.returncode == 4, rest
    assert "the directory no longer exists" in rest and "Traceback" not in rest
    assert not out.exists(), "the run recreated part of a directory that was removed"
