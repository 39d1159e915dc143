"""The eval's figures cannot depend on the thread count: e5 gives bit-identical vectors
with 1, 2 and 4 OpenMP threads (evals/stability.py runs the whole eval that way)."""
from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import PROJECT, SEED

PROBE = """
import hashlib, sys
import numpy as np
from index.embed import load_embedder
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\\n") if len(l) > 30][:24]
e5 = load_embedder("e5")
vectors = np.concatenate([e5.passages(lines), np.stack([e5.query(l) for l in lines[:8]])])
print(hashlib.sha256(vectors.tobytes()).hexdigest())
"""


def test_e5_vectors_are_identical_with_one_two_and_four_threads():
    digests = set()
    for threads in ("1", "2", "4"):
        done = subprocess.run([sys.executable, "-c", PROBE, str(SEED)], capture_output=True, text=True, cwd=PROJECT,
                              env={**os.environ, "OMP_NUM_THREADS": threads}, timeout=300)
        assert done.returncode == 0, done.stderr
        digests.add(done.stdout.strip())
    assert len(digests) == 1
