"""Scale benchmark: does the index stay fast from 1k to 50k paragraphs?

    python -m evals.bench_scale [--sizes 1000,10000,50000] [--data-dir DIR] [--xquad DIR] [--repeats N]
                                [--skip-real] [--out FILE]

For each size it writes a corpus of Council-layout documents (section headings
`N<TAB>Title`, paragraphs `N.k<TAB>text`, front matter with a date line), 20-200
paragraphs each, Arabic and English, dated 2015-2024, recombined from real
sentences (docs_corpus/ and, for English and for variety, the XQuAD contexts).
It indexes them through Index.sync and measures re-indexing, a one-document change,
search, ask and memory, each in processes of their own as the product runs them
(an indexer process and a serving process on the same data dir).

Vectors at scale come from a STAND-IN embedder ("standin-e5-pool"): every pool
sentence is embedded once with the real e5 (cached under the data dir), and a
text's vector is the normalized, length-weighted sum of its sentences' vectors
(a pool sentence gets its own real vector; any other sentence two pool vectors
picked by hashing it). Similarities between corpus sentences are thus real e5
similarities, and embedding costs next to nothing, so the figures are those of
the index, not of the model. The bundled-corpus figures (cold `council ask`,
`council chat` first answer, warm ask, two chat workers on one Chroma server) use
the real e5 embedder.

Every speed figure is a median (p95 where named) over repeated runs, and every
ratio compares figures taken side by side in one run (interleaved where the two
sides can be). The data dir keeps the pool, the corpora and the indexes: a rerun
rebuilds nothing that exists and reports the recorded from-scratch time.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from assistant.calibration import CALIBRATED, E5
from index.config import PROJECT_DIR, Config
from index.embed import Embedder
from index.sentences import split_sentences

STANDIN_NAME = "standin-e5-pool"
CALIBRATED[STANDIN_NAME] = E5   # its similarities are e5's (pooled e5 vectors), so are its thresholds
DIM = 384
SIZES = (1000, 10000, 50000)
YEARS = tuple(range(2015, 2025))
QUERIES = 60                 # searches per kind (unfiltered, by year, by language), interleaved
ASKS = 30
CHANGES = 3                  # one-document changes, each followed by a first query
MONTHS = {"en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"],
          "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
                 "نوفمبر", "ديسمبر"]}
FRONT = {"en": ("Original: English", "Report by the Secretary-General", "Purpose", "Action required by the Council",
                "Financial implications", "None."),
         "ar": ("الأصل: بالإنكليزية", "تقرير من الأمينة العامة", "الغرض", "الإجراء المطلوب من المجلس",
                "الآثار المالية", "لا شيء.")}


# --- the sentence pool and the stand-in embedder ------------------------------------------------

def pool_sentences(xquad: Path | None) -> dict[str, list[str]]:
    """Real sentences by language: the bundled corpus, then the XQuAD contexts (ar, en)."""
    pool: dict[str, list[str]] = {"ar": [], "en": []}
    for path in sorted((PROJECT_DIR / "docs_corpus").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.split("\t", 1)[-1].strip()
            for sentence in split_sentences(text):
                if 40 <= len(sentence) <= 400:
                    pool["ar" if re.search("[\u0600-\u06FF]", sentence) else "en"].append(sentence)
    if xquad and xquad.is_dir():
        for language in ("ar", "en"):
            data = json.loads((xquad / f"xquad.{language}.json").read_text(encoding="utf-8"))
            for article in data["data"]:
                for paragraph in article["paragraphs"]:
                    pool[language] += [s for s in split_sentences(" ".join(paragraph["context"].split()))
                                       if 40 <= len(s) <= 400]
    return {language: list(dict.fromkeys(sentences)) for language, sentences in pool.items()}


def load_pool(data_dir: Path, xquad: Path | None) -> tuple[list[str], dict[str, list[str]], np.ndarray]:
    """(texts, texts by language, real e5 passage vectors of the texts), embedded once and kept."""
    folder = data_dir / "pool"
    if not (folder / "vectors.npy").exists():
        by_language = pool_sentences(xquad)
        texts = by_language["ar"] + by_language["en"]
        print(f"embedding the pool: {len(texts)} real sentences with e5 (once)", file=sys.stderr)
        from index.embed import load_embedder
        e5 = load_embedder("e5")
        vectors = np.concatenate([e5.passages(texts[i:i + 64]) for i in range(0, len(texts), 64)])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "sentences.json").write_text(json.dumps(by_language, ensure_ascii=False))
        np.save(folder / "vectors.npy", vectors.astype(np.float32))
    by_language = json.loads((folder / "sentences.json").read_text(encoding="utf-8"))
    return by_language["ar"] + by_language["en"], by_language, np.load(folder / "vectors.npy")


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


class StandInEmbedder(Embedder):
    """Vectors built from real e5 vectors of a sentence pool (see the module docstring)."""

    model_name = STANDIN_NAME
    dim = DIM

    def __init__(self, texts: list[str], vectors: np.ndarray):
        super().__init__()
        self._vectors = vectors
        self._exact = {t: i for i, t in enumerate(texts)}
        self._prefix = {_prefix(t): i for i, t in enumerate(texts)}
        self.passage_seconds = 0.0
        self.passages_embedded = 0

    def _sentence(self, sentence: str) -> np.ndarray:
        i = self._exact.get(sentence)
        if i is None:
            i = self._prefix.get(_prefix(sentence))  # a question cut from a pool sentence
        if i is not None:
            return self._vectors[i]
        h = _hash(sentence)
        a, b = self._vectors[h % len(self._vectors)], self._vectors[(h >> 24) % len(self._vectors)]
        return a + 0.5 * b

    def _one(self, text: str) -> np.ndarray:
        parts = [s for s in split_sentences(text)] or [text]
        vector = sum(len(s) * self._sentence(s) for s in parts)
        return (vector / (np.linalg.norm(vector) or 1.0)).astype(np.float32)

    def token_count(self, text: str) -> int:
        return len(text) // 4 + 2

    def _encode_query(self, text: str) -> np.ndarray:
        return self._one(text)

    def _encode_passages(self, texts: list[str]) -> np.ndarray:
        started = time.perf_counter()
        vectors = np.stack([self._one(t) for t in texts])
        self.passage_seconds += time.perf_counter() - started
        self.passages_embedded += len(texts)
        return vectors


def _prefix(text: str) -> str:
    return " ".join(text.split()[:6])


# --- corpora ----------------------------------------------------------------------------------

def write_corpus(folder: Path, size: int, by_language: dict[str, list[str]]) -> dict:
    """Documents until `size` paragraphs (numbered ones and front-matter blocks). Deterministic:
    the same size gives the same files. Returns a manifest (documents, paragraphs)."""
    manifest_path = folder / "manifest.json"
    if manifest_path.exists():
        return json.loads(manifest_path.read_text())
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    total, documents = 0, []
    n = 0
    while total < size:
        rng = random.Random(f"doc-{n}")
        language = "ar" if n % 2 == 0 else "en"
        year = YEARS[rng.randrange(len(YEARS))]
        wanted = min(rng.randint(20, 200), max(size - total - 3, 1))
        text, paragraphs = council_document(rng, language, year, wanted, by_language[language])
        name = f"doc-{n:05d}-{language}-{year}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        documents.append({"file": name, "language": language, "year": year, "paragraphs": paragraphs})
        total += paragraphs
        n += 1
    manifest = {"documents": documents, "paragraphs": total}
    manifest_path.write_text(json.dumps(manifest))
    return manifest


def council_document(rng: random.Random, language: str, year: int, numbered: int,
                     sentences: list[str]) -> tuple[str, int]:
    """One document in Council layout with `numbered` numbered paragraphs (+3 front blocks)."""
    original, author, purpose, action, financial, none = FRONT[language]
    title = " ".join(rng.choice(sentences).split()[:8]).rstrip(".,،")
    lines = [f"\t{rng.randint(1, 28)} {MONTHS[language][rng.randrange(12)]} {year}", f"\t{original}",
             f"\t{author}", f"\t{title}", purpose, rng.choice(sentences), action, rng.choice(sentences),
             financial, none, ""]
    section, k, left = 0, 0, numbered
    while left:
        if k == 0:
            section += 1
            per_section = min(rng.randint(5, 15), left)
            lines.append(f"{section}\t{' '.join(rng.choice(sentences).split()[:5]).rstrip('.,،')}")
        k += 1
        body = " ".join(rng.choice(sentences) for _ in range(rng.choice((1, 2, 3, 3, 4, 4, 5, 6, 7))))
        lines.append(f"{section}.{k}\t{body}")
        left -= 1
        if k == per_section:
            k = 0
    return "\n".join(lines) + "\n", numbered + 3


def queries(by_language: dict[str, list[str]], n: int, salt: str) -> list[str]:
    """Questions cut from pool sentences (their first 6-12 words), alternating languages."""
    rng = random.Random(salt)
    out = []
    for i in range(n):
        sentence = rng.choice(by_language["ar" if i % 2 else "en"]).split()
        out.append(" ".join(sentence[:rng.randint(6, 12)]).rstrip(".,،"))
    return out


# --- workers: the product's processes, driven over stdin/stdout -------------------------------

def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker(args) -> int:
    """Serve JSON commands on stdin, one reply line each, with one Index (and Assistant)."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    sys.stdout = sys.stderr  # nothing else may write to the reply channel
    started = time.perf_counter()
    from index.api import Index
    from index.retrieve import Filters
    config = Config(data_dir=Path(args.index_dir), corpus_dir=Path(args.corpus or "."),
                    chroma_url=args.chroma_url or "")
    if args.embedder == "standin":
        texts, _, vectors = load_pool(Path(args.data_dir), None)
        embedder = StandInEmbedder(texts, vectors)
    else:
        from index.embed import load_embedder
        embedder = load_embedder("e5")
        embedder.passages_embedded = 0
        original = embedder._encode_passages

        def counted(texts):
            embedder.passages_embedded += len(texts)
            return original(texts)
        embedder._encode_passages = counted
    opening = time.perf_counter()
    index = Index(config, embedder=embedder)
    assistant = None
    reply = {"ready_s": time.perf_counter() - started, "open_s": time.perf_counter() - opening, "rss_mb": rss_mb()}
    out.write(json.dumps(reply) + "\n")
    for line in sys.stdin:
        command = json.loads(line)
        op = command["op"]
        t0 = time.perf_counter()
        if op == "sync":
            before = getattr(embedder, "passage_seconds", 0.0)
            summary = index.sync([Path(p) for p in command["paths"]])
            reply = {"summary": summary.to_json(),
                     "embed_s": getattr(embedder, "passage_seconds", 0.0) - before}
        elif op == "search":
            hits = index.search(command["query"], k=5, filters=Filters(**command.get("filters", {})))
            reply = {"hits": [h.chunk_id for h in hits]}
        elif op == "ask":
            if assistant is None:
                from assistant.answer import Assistant
                assistant = Assistant(config, index)
            answer = assistant.ask(command["question"])
            reply = {"answer": answer.text, "abstained": answer.abstained,
                     "cited": [c.hit.chunk_id for c in answer.citations]}
        elif op == "rss":
            reply = {}
        elif op == "settle":  # wait for a vector index load started by a change (the bench may peek)
            while index._loading is not None and index._loading.is_alive():
                index._loading.join(0.05)
            reply = {}
        elif op == "quit":
            return 0
        else:
            reply = {"error": f"unknown op {op}"}
        reply["ms"] = (time.perf_counter() - t0) * 1000
        reply["rss_mb"] = rss_mb()
        reply["embedded"] = getattr(embedder, "passages_embedded", 0)
        out.write(json.dumps(reply, ensure_ascii=False) + "\n")
    return 0


class Worker:
    """A worker process (see worker()); call() sends one command and waits for its reply."""

    def __init__(self, data_dir: Path, index_dir: Path, embedder: str = "standin", chroma_url: str = "",
                 corpus: Path | None = None):
        command = [sys.executable, "-m", "evals.bench_scale", "--worker", "--data-dir", str(data_dir),
                   "--index-dir", str(index_dir), "--embedder", embedder]
        if chroma_url:
            command += ["--chroma-url", chroma_url]
        if corpus:
            command += ["--corpus", str(corpus)]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        cwd=PROJECT_DIR, env=_env())
        self.ready = self._read()
        self.start_s = time.perf_counter() - self.started

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"worker exited with {self.process.wait()}")
        return json.loads(line)

    def call(self, op: str, **fields) -> dict:
        self.process.stdin.write(json.dumps({"op": op, **fields}, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        try:
            self.call("quit")
        except (BrokenPipeError, SystemExit, ValueError):
            pass
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _env() -> dict:
    return {**os.environ, "OMP_WAIT_POLICY": "passive", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
            "GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False", "PYTHONUNBUFFERED": "1"}


# --- figures ----------------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    position = (len(values) - 1) * q
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def change_document(corpus: Path, manifest: dict, n: int) -> Path:
    """Edit one paragraph of one document: its text gets a sentence appended (n-th edit)."""
    entry = manifest["documents"][len(manifest["documents"]) // 2]
    path = corpus / entry["file"]
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if re.match(r"^1\.2\t", line))
    base = lines[target].split(" [edit ", 1)[0]
    lines[target] = f"{base} [edit {n}] The Council took note of this change number {n} on {time.time():.0f}."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def measure_size(size: int, data_dir: Path, by_language: dict, repeats: int) -> dict:
    corpus = data_dir / f"corpus-{size}"
    index_dir = data_dir / f"index-{size}"
    manifest = write_corpus(corpus, size, by_language)
    result: dict = {"size": size, "paragraphs": manifest["paragraphs"], "documents": len(manifest["documents"])}
    print(f"\n[{size}] corpus: {len(manifest['documents'])} documents, {manifest['paragraphs']} paragraphs",
          file=sys.stderr)

    # From scratch (once per data dir: the figure is kept for reruns).
    built = index_dir / "bench-build.json"
    if not built.exists():
        if index_dir.exists():
            shutil.rmtree(index_dir)
        indexer = Worker(data_dir, index_dir, corpus=corpus)
        reply = indexer.call("sync", paths=[str(corpus)])
        indexer.close()
        if reply["summary"]["errors"]:
            raise SystemExit(f"indexing failed: {reply['summary']['errors'][:3]}")
        record = {"seconds": reply["summary"]["seconds"], "embed_s": reply["embed_s"],
                  "embedded": reply["summary"]["embedded"], "paragraphs": reply["summary"]["paragraphs"]}
        built.write_text(json.dumps(record))
        print(f"[{size}] indexed from scratch in {record['seconds']:.1f} s", file=sys.stderr)
    result["scratch"] = json.loads(built.read_text())

    # The serving process, up before any change.
    server = Worker(data_dir, index_dir)
    server.call("search", query="warm up", filters={})
    result["rss_start_mb"] = server.call("rss")["rss_mb"]

    # Search and ask: unfiltered, by year, by language, interleaved question by question.
    timings: dict[str, list[float]] = {"unfiltered": [], "year": [], "language": [], "ask": []}
    for i, query in enumerate(queries(by_language, QUERIES, f"search-{size}")):
        year, language = YEARS[i % len(YEARS)], ("ar", "en")[i % 2]
        timings["unfiltered"].append(server.call("search", query=query, filters={})["ms"])
        timings["year"].append(server.call("search", query=query + " ", filters={"year": year})["ms"])
        timings["language"].append(server.call("search", query=query + "  ", filters={"language": language})["ms"])
    for question in queries(by_language, ASKS, f"ask-{size}"):
        timings["ask"].append(server.call("ask", question=question)["ms"])
    result["timings_ms"] = timings

    # No-change re-index, and one-document changes, each in a fresh indexer process
    # (as `council index` runs); after each change the serving process's first query.
    reindex, change, first, normal = [], [], [], []
    for _ in range(repeats):
        indexer = Worker(data_dir, index_dir, corpus=corpus)
        reply = indexer.call("sync", paths=[str(corpus)])
        indexer.close()
        assert reply["summary"]["embedded"] == 0 and reply["summary"]["added"] == 0, reply["summary"]
        reindex.append(indexer.ready["open_s"] + reply["ms"] / 1000)  # opening the index, then the sync
    change_queries = queries(by_language, CHANGES * 4, f"change-{size}")
    for n in range(CHANGES):
        # A normal query: the median of three in the steady state just before the change.
        normal.append(median([server.call("search", query=q, filters={})["ms"]
                              for q in change_queries[4 * n + 1:4 * n + 4]]))
        change_document(corpus, manifest, n)
        indexer = Worker(data_dir, index_dir, corpus=corpus)
        reply = indexer.call("sync", paths=[str(corpus)])
        indexer.close()
        assert reply["summary"]["updated"] == 1, reply["summary"]
        change.append(indexer.ready["open_s"] + reply["ms"] / 1000 - reply["embed_s"])
        time.sleep(1.2)  # past the serving process's version check interval
        first.append(server.call("search", query=change_queries[4 * n], filters={})["ms"])
        server.call("settle")
    result.update(reindex_s=reindex, change_s=change, first_after_change_ms=first, normal_ms=normal)
    result["rss_after_changes_mb"] = server.call("rss")["rss_mb"]
    server.close()
    return result


# --- the bundled corpus, real e5 ----------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def council(*args: str, data_dir: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, cwd=PROJECT_DIR, env={**_env(), **(env or {})}, timeout=900)


def gold_questions() -> list[str]:
    lines = (PROJECT_DIR / "evals" / "gold" / "council_seed.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def measure_real(data_dir: Path, repeats: int) -> dict:
    real = data_dir / "real"
    indexed = council("index", str(PROJECT_DIR / "docs_corpus"), "--json", data_dir=real)
    if indexed.returncode != 0:
        raise SystemExit(f"council index failed: {indexed.stderr[-2000:]}")
    result: dict = {}
    question = "When was the policy brief on the Global Digital Compact released?"

    cold = []
    for _ in range(max(repeats, 3)):
        started = time.perf_counter()
        asked = council("ask", question, data_dir=real)
        cold.append(time.perf_counter() - started)
        if asked.returncode != 0:
            raise SystemExit(f"council ask failed: {asked.stderr[-2000:]}")
    result["cold_ask_s"] = cold

    from gradio_client import Client  # imported before any clock starts
    chat = []
    for _ in range(max(repeats, 3)):
        port = free_port()
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "--data-dir", str(real), "chat",
                                    "--port", str(port)], cwd=PROJECT_DIR, env=_env(),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            answer = None
            while answer is None and time.perf_counter() - started < 120:
                try:
                    client = Client(f"http://127.0.0.1:{port}/", verbose=False)
                    answer = client.predict(question, api_name="/ask")
                except Exception:
                    if process.poll() is not None:
                        raise SystemExit("council chat exited")
                    time.sleep(0.1)
            chat.append(time.perf_counter() - started)
            assert answer and answer["citations"], answer
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    result["chat_first_answer_s"] = chat

    # Warm ask on the gold questions, and two workers on one Chroma server.
    questions = gold_questions()
    local = Worker(data_dir, real, embedder="e5")
    local.call("ask", question=question)
    result["warm_ask_ms"] = [local.call("ask", question=q)["ms"] for q in questions]
    local.close()
    result["two_workers"] = two_workers(data_dir, questions)
    return result


def two_workers(data_dir: Path, questions: list[str]) -> dict:
    """Two serving processes (separate data dirs: no shared caches) on one `chroma run`."""
    port = free_port()
    server_dir = data_dir / "chroma-server"
    shutil.rmtree(server_dir, ignore_errors=True)
    chroma = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(server_dir),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("chroma run did not start")
                time.sleep(0.3)
        first_dir, second_dir = data_dir / "served-1", data_dir / "served-2"
        for folder in (first_dir, second_dir):
            shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(data_dir / "real", first_dir, ignore=shutil.ignore_patterns("chroma", "lexical*"))
        indexed = council("index", str(PROJECT_DIR / "docs_corpus"), "--json", data_dir=first_dir,
                          env={"COUNCIL_CHROMA_URL": url})
        if indexed.returncode != 0:
            raise SystemExit(f"council index on the server failed: {indexed.stderr[-2000:]}")
        workers = [Worker(data_dir, folder, embedder="e5", chroma_url=url) for folder in (first_dir, second_dir)]
        for w in workers:
            w.call("ask", question="warm up")
        answers: list[list[dict]] = [[], []]
        for question in questions:
            for n, w in enumerate(workers):
                answers[n].append(w.call("ask", question=question))
        same = sum(a["answer"] == b["answer"] and a["cited"] == b["cited"] for a, b in zip(*answers))
        result = {"questions": len(questions), "same_answers": same,
                  "ms": [[a["ms"] for a in side] for side in answers],
                  "embedded": [side[-1]["embedded"] - side[0]["embedded"] for side in answers]}
        for w in workers:
            w.close()
        return result
    finally:
        chroma.terminate()
        chroma.wait(timeout=30)


def scaling(data_dir: Path, sizes: list[int], by_language: dict) -> dict[int, list[float]]:
    """Search latency of every size side by side: one serving process per size, queries interleaved."""
    servers = {size: Worker(data_dir, data_dir / f"index-{size}") for size in sizes}
    for server in servers.values():
        server.call("search", query="warm up", filters={})
    timings: dict[int, list[float]] = {size: [] for size in sizes}
    for query in queries(by_language, QUERIES, "scaling"):
        for size, server in servers.items():
            timings[size].append(server.call("search", query=query, filters={})["ms"])
    for server in servers.values():
        server.close()
    return timings


# --- the table ----------------------------------------------------------------------------------

def table(results: list[dict], scale: dict[int, list[float]], real: dict | None) -> str:
    def f(value: float, digits: int = 2) -> str:
        return f"{value:.{digits}f}"

    base = min(scale) if scale else None
    rows = [("paragraphs (documents)", lambda r: f"{r['paragraphs']:,} ({r['documents']})", ""),
            ("index from scratch, s (texts embedded)", lambda r: f"{r['scratch']['seconds']:.0f} ({r['scratch']['embedded']:,})", ""),
            ("no-change re-index, s (min / median)", lambda r: f"{f(min(r['reindex_s']))} / {f(median(r['reindex_s']))}", "< 10"),
            ("one-document change excl. embedding, s (min / median)", lambda r: f"{f(min(r['change_s']))} / {f(median(r['change_s']))}", "< 3"),
            ("first query after a change / normal (median)", lambda r: f(median([a / b for a, b in zip(r['first_after_change_ms'], r['normal_ms'])])), "≤ 2"),
            ("search p50 / p95 unfiltered, ms", lambda r: _p(r['timings_ms']['unfiltered']), ""),
            ("search p50 / p95 by year, ms", lambda r: _p(r['timings_ms']['year']), ""),
            ("search p50 / p95 by language, ms", lambda r: _p(r['timings_ms']['language']), ""),
            ("filtered / unfiltered p50 (year, language)", lambda r: f"{f(_ratio(r, 'year'))}, {f(_ratio(r, 'language'))}", "≤ 2"),
            ("ask p50 / p95, ms", lambda r: _p(r['timings_ms']['ask']), ""),
            ("serving RSS after start / after 2 changes, MB", lambda r: f"{r['rss_start_mb']:.0f} / {r['rss_after_changes_mb']:.0f}", "< 1536, flat"),
            (f"search p50 side by side, ms (ratio to {base:,})" if base else "search p50 side by side",
             lambda r: f"{median(scale[r['size']]):.1f} ({median(scale[r['size']]) / median(scale[base]):.2f})" if r['size'] in scale else "–", "≤ 2 at 50k")]
    out = ["| stand-in embedder (real e5 pool vectors) | " + " | ".join(f"{r['size']:,}" for r in results) + " | target |",
           "|---|" + "---:|" * len(results) + "---|"]
    out += [f"| {name} | " + " | ".join(fn(r) for r in results) + f" | {target} |" for name, fn, target in rows]
    if real:
        two = real["two_workers"]
        ratio = median(two["ms"][1]) / median(two["ms"][0])
        out += ["", "| bundled corpus, real e5 | min / median | target |", "|---|---:|---|",
                f"| cold `council ask` (process start to answer), s | {f(min(real['cold_ask_s']))} / {f(median(real['cold_ask_s']))} | < 2 |",
                f"| `council chat` start to first `/ask` answer, s | {f(min(real['chat_first_answer_s']))} / {f(median(real['chat_first_answer_s']))} | < 8 |",
                f"| warm ask p50 / p95, ms ({len(real['warm_ask_ms'])} gold questions) | {_p(real['warm_ask_ms'])} | p50 ≤ 60 |",
                f"| two chat workers on one Chroma server: same answers | {two['same_answers']} / {two['questions']} | all |",
                f"| second / first worker ask p50 (texts embedded by each) | {f(ratio)} ({two['embedded'][0]}, {two['embedded'][1]}) | ≤ 1.2 (0, 0) |"]
    return "\n".join(out)


def _p(values: list[float]) -> str:
    return f"{pct(values, 0.5):.1f} / {pct(values, 0.95):.1f}"


def _ratio(result: dict, kind: str) -> float:
    return median(result["timings_ms"][kind]) / median(result["timings_ms"]["unfiltered"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="paragraph counts (default 1000,10000,50000)")
    parser.add_argument("--data-dir", type=Path, default=PROJECT_DIR / ".data" / "bench-scale",
                        help="pool, corpora and indexes, reused by reruns (default .data/bench-scale)")
    parser.add_argument("--xquad", type=Path,
                        help="XQuAD folder: its contexts add English (and more Arabic) sentences to the pool")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each process-level measurement")
    parser.add_argument("--skip-real", action="store_true", help="skip the bundled-corpus (real e5) figures")
    parser.add_argument("--out", type=Path, help="also write every measurement as JSON here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index-dir", help=argparse.SUPPRESS)
    parser.add_argument("--embedder", default="standin", help=argparse.SUPPRESS)
    parser.add_argument("--chroma-url", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)

    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    args.data_dir.mkdir(parents=True, exist_ok=True)
    texts, by_language, _ = load_pool(args.data_dir, args.xquad)
    print(f"pool: {len(by_language['ar'])} Arabic and {len(by_language['en'])} English real sentences",
          file=sys.stderr)
    results = [measure_size(size, args.data_dir, by_language, args.repeats) for size in sizes]
    scale = scaling(args.data_dir, sizes, by_language)
    real = None if args.skip_real else measure_real(args.data_dir, args.repeats)
    print(f"\nStand-in embedder \"{STANDIN_NAME}\": vectors combined from real e5 vectors of {len(texts)} "
          f"sentences (docs_corpus/ and XQuAD contexts); each figure from its own processes.\n")
    print(table(results, scale, real))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"sizes": results, "scaling_ms": scale, "real": real}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
