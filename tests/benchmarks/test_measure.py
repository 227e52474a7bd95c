"""The suite's memory sampler sums the whole process tree, counting shared pages once."""

from __future__ import annotations

import subprocess
import sys

from benchmarks.measure import TreeSampler

MiB = 2**20

# a parent that touches 150 MiB of its own, then forks a child that touches another 150 MiB;
# both hold their memory for a second. The child's copy of the parent's 150 MiB is shared
# (copy-on-write, never written), so the tree holds about 300 MiB, not 450.
SCRIPT = """
import os, time
own = bytearray(150 * 2**20)
for i in range(0, len(own), 4096): own[i] = 1
pid = os.fork()
if pid == 0:
    mine = bytearray(150 * 2**20)
    for i in range(0, len(mine), 4096): mine[i] = 1
    time.sleep(1.5)
    os._exit(0)
time.sleep(1.5)
os.waitpid(pid, 0)
"""


def test_the_sampler_sums_the_tree_and_counts_shared_pages_once():
    process = subprocess.Popen([sys.executable, "-c", SCRIPT])
    sampler = TreeSampler(process.pid, interval=0.02)
    sampler.start()
    process.wait(timeout=30)
    sampler.stop()
    assert sampler.peak_processes == 2
    assert 290 * MiB < sampler.peak_pss < 380 * MiB          # parent's 150 + child's 150
    assert sampler.peak_rss > 430 * MiB                      # the shared 150 counted twice
