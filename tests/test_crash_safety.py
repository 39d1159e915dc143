"""Indexing survives being killed: real SIGKILLs of `council index` at seeded random
moments, each followed by a complete run that must leave the index exactly right,
and nothing embedded twice."""
from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time

from index.api import Index
from index.config import Config
from tests.conftest import PROJECT

KILLS = 10
SEED = 20261128
DOCUMENTS = 4
PARAGRAPHS = 8             # per document


def paragraph(doc: int, n: int, round_: int) -> str:
    return (f"The Tessaract working group number {doc} held session {n} on spectrum item {doc}-{n} in round "
            f"{round_}. It agreed on the filing number KX{doc}{n}R{round_} for the record. "
            f"Delegates asked for a follow-up note on item {doc}-{n}.")


def write_corpus(folder, round_: int) -> dict[str, str]:
    """Council-layout documents; each round changes a few paragraphs, so every run has work.
    Returns the exact phrase of every paragraph by its (document, paragraph) key."""
    phrases = {}
    for doc in range(DOCUMENTS):
        lines = [f"\t{1 + doc} March 2025", "\tReport by the Secretary-General", f"\tWorking group {doc}", "1\tSessions"]
        for n in range(1, PARAGRAPHS + 1):
            changed = round_ if (n + doc) % 4 == round_ % 4 else 0
            lines.append(f"1.{n}\t{paragraph(doc, n, changed)}")
            phrases[(f"group-{doc}", f"1.{n}")] = f"KX{doc}{n}R{changed}"
        (folder / f"group-{doc}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return phrases


def cached_vectors(data_dir) -> int:
    with sqlite3.connect(data_dir / "embeddings.sqlite") as db:
        return db.execute("SELECT count(*) FROM vectors").fetchone()[0]


def index(corpus, data_dir) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant.cli", "--data-dir", str(data_dir), "index", "--json",
                             str(corpus)], cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def test_killed_index_runs_lose_nothing_and_embed_nothing_twice(tmp_path):
    corpus, data_dir = tmp_path / "corpus", tmp_path / "data"
    corpus.mkdir()
    write_corpus(corpus, 0)
    first = index(corpus, data_dir)
    assert first.wait(timeout=600) == 0
    # How long a run with work to do takes here: kills land anywhere within it.
    write_corpus(corpus, KILLS + 1)
    started = time.monotonic()
    assert index(corpus, data_dir).wait(timeout=600) == 0
    span = time.monotonic() - started
    clock = random.Random(SEED)
    mid_work = 0
    for round_ in range(1, KILLS + 1):
        phrases = write_corpus(corpus, round_)
        at_start = cached_vectors(data_dir)
        victim = index(corpus, data_dir)
        if round_ % 3 == 0:  # the moment it has embedded something: mid-work, however fast this machine is
            deadline = time.monotonic() + span
            while cached_vectors(data_dir) == at_start and victim.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
        else:
            time.sleep(clock.uniform(0.1, 0.95) * span)   # imports, planning, embedding or writing: anywhere
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        cached_before = cached_vectors(data_dir)
        rerun = index(corpus, data_dir)
        out, _ = rerun.communicate(timeout=600)
        assert rerun.returncode == 0
        summary = json.loads(out)
        mid_work += cached_before > at_start and summary["updated"] + summary["added"] > 0
        # What the killed run embedded is in the cache: the rerun embeds only what it had not.
        assert summary["embedded"] == cached_vectors(data_dir) - cached_before
        check_index(Config.from_env(data_dir=data_dir), phrases)
    assert mid_work >= 3, "too few kills landed while the run was embedding and writing"
    again = index(corpus, data_dir)
    out, _ = again.communicate(timeout=600)
    assert json.loads(out)["embedded"] == 0


def check_index(config: Config, phrases: dict[tuple[str, str], str]) -> None:
    idx = Index(config)
    stored = [hit.key for doc in idx.catalog() for hit in idx.document_paragraphs(doc.id)]
    numbered = [key for key in stored if not key[1].startswith("front.")]   # the front page is a unit too
    assert len(stored) == len(set(stored)) == idx.count_paragraphs()
    assert sorted(numbered) == sorted(phrases)
    for key, phrase in phrases.items():
        # The exact filing code is found by both sides: lexically, and the hit carries today's text.
        assert [h.key for h in idx.search(phrase, k=1)] == [key]
        assert phrase in idx.paragraph(*key).text
        lexical = [chunk_id.rsplit("#", 1)[0] for chunk_id, _ in idx.lexical.search(phrase, 3)]
        assert lexical[0] == "#".join(key)
