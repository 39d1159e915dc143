"""The CI gate: the real eval on the bundled corpus passes its committed thresholds,
and the same command fails, naming the figure, once a threshold is raised.

Both runs ask every gold set through `council eval --check`. The first starts from
a data dir holding only the session's embedding cache, so it builds the index of
docs_corpus/ itself; the second reuses that index with a thresholds file whose
hit@1 floor is raised 0.05 above what the first run measured.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.conftest import PROJECT

THRESHOLDS = PROJECT / "evals" / "thresholds.json"
GOLD_DIR = PROJECT / "evals" / "gold"
GROUP = "council_seed/dev/all"


def council_eval(*args, data_dir, timeout=900):
    env = {k: v for k, v in os.environ.items()
           if k not in ("COUNCIL_LLM", "COUNCIL_CHROMA_URL", "COUNCIL_EMBEDDER")}  # the committed configuration
    env.update(COUNCIL_DATA_DIR=str(data_dir), COUNCIL_CORPUS_DIR=str(PROJECT / "docs_corpus"))
    return subprocess.run([sys.executable, "-m", "assistant.cli", "eval", *args], capture_output=True, text=True,
                          cwd=PROJECT, env=env, timeout=timeout)


def test_eval_passes_its_thresholds_and_fails_raised_ones(tmp_path, corpus_vectors):
    data, out = tmp_path / "data", tmp_path / "out"
    data.mkdir()
    shutil.copyfile(corpus_vectors, data / "embeddings.sqlite")  # a new index; no text embedded twice
    passed = council_eval("--out", str(out), "--check", data_dir=data)
    assert passed.returncode == 0, passed.stdout + passed.stderr[-3000:]
    assert "check passed" in passed.stdout
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["check"]["failures"] == []
    questions = sum(1 for gold in GOLD_DIR.glob("*.jsonl")
                    for line in gold.read_text(encoding="utf-8").splitlines() if line.strip())
    assert len(report["results"]) == questions >= 100
    assert (out / "report.md").exists() and (out / "chart.png").stat().st_size > 10_000

    measured = report["metrics"]["groups"][GROUP]["hit@1"]
    raised = json.loads(THRESHOLDS.read_text(encoding="utf-8"))
    raised["groups"][GROUP]["hit@1"]["min"] = min(round(measured + 0.05, 2), 1.01)
    raised_file = tmp_path / "raised.json"
    raised_file.write_text(json.dumps(raised), encoding="utf-8")
    failed = council_eval("--out", str(out), "--check", "--thresholds", str(raised_file), data_dir=data)
    assert failed.returncode == 1, failed.stdout + failed.stderr[-3000:]
    assert "CHECK FAILED" in failed.stdout
    assert f"{GROUP} hit@1 = {measured:.4g} is below its floor" in failed.stdout
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["check"]["failures"]
    # The second report in the same folder is compared with the first.
    assert "are against the previous report in this folder" in (out / "report.md").read_text(encoding="utf-8")
