"""Load test of a running web chat through its public `/ask` API.

    python -m evals.load_chat [--url http://127.0.0.1:7860/] [--users 20] [--seconds 60] [--think 0]
                              [--add-document FILE [--probe QUESTION]] [--json OUT]

First one user asks every question once, alone: the single-user latency and the
reference answer to each question. Then `--users` conversations ask the same
questions in a loop, each from its own gradio_client, for `--seconds`, pausing
`--think` seconds after each answer (0: back to back, the heaviest load; a
reader takes several seconds per answer, so a few seconds is closer to how
delegates use it). With
`--add-document`, half way through the file is copied into the corpus and
`council index FILE` runs in a subprocess against the same data folder (the
chat picks the change up by itself); `--probe` is then asked until an answer
cites the new document, and after the load one user asks every question alone
again: the reference answers for the grown corpus.

Reported: requests served, errors, p50/p95 latency under load, the single-user
p50 and the ratio, and whether each answer under load equals the single-user
answer to the same question on the same corpus (text, abstention, cited
paragraphs and quotes): before the document was added, and after it was indexed.
Answers given while it was being indexed are counted as served, not compared.

Only a chat on this machine (a loopback address) is driven; the run stops by
itself: no new request after --seconds, and none waits longer than
REQUEST_TIMEOUT. The corpus and data folders default to the configured ones
(COUNCIL_CORPUS_DIR, COUNCIL_DATA_DIR): they must be the running chat's.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from assistant.access import is_loopback
from index.config import PROJECT_DIR, Config

GOLD = PROJECT_DIR / "evals" / "gold" / "council_seed.jsonl"
QUESTIONS = 24               # from the gold set, both languages, in file order
REQUEST_TIMEOUT = 60.0       # seconds one /ask may take before it counts as an error
INDEX_TIMEOUT = 600.0        # seconds `council index FILE` may take
PROBE_SECONDS = 30.0         # how long the probe question is retried after indexing
PROBE_PAUSE = 0.5
SHOWN_PROBLEMS = 5           # errors and differing answers listed in the report


@dataclass
class Request:
    question: str
    started: float           # seconds since the load phase began
    seconds: float
    error: str = ""
    answer: tuple = ()       # its signature()


@dataclass
class DocumentAdded:
    path: str
    at: float = 0.0          # seconds since the load phase began, when indexing finished
    index_seconds: float = 0.0
    returncode: int | None = None
    visible_after: float | None = None   # seconds from indexed to the probe citing it
    last_line: str = ""      # of `council index`'s output (its summary, or its error)


@dataclass
class Run:
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, request: Request) -> None:
        with self.lock:
            self.requests.append(request)


def gold_questions(path: Path = GOLD, n: int = QUESTIONS) -> list[str]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["question"] for row in rows][:n]


def signature(answer: dict) -> tuple:
    """What must not change between two answers to one question (not the timings)."""
    return (answer["answer"], answer["abstained"],
            tuple((c["document"], c["paragraph"], c["quote"]) for c in answer["citations"]))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def client_for(url: str):
    from gradio_client import Client
    return Client(url, verbose=False)


def ask(client, question: str) -> dict:
    return client.submit(question, api_name="/ask").result(timeout=REQUEST_TIMEOUT)


def single_user(url: str, questions: list[str]) -> tuple[list[float], dict[str, tuple]]:
    """Each question once, alone: latencies and reference answers."""
    client, latencies, reference = client_for(url), [], {}
    ask(client, questions[0])  # warm-up: models and caches, not part of the figures
    for question in questions:
        started = time.perf_counter()
        reference[question] = signature(ask(client, question))
        latencies.append(time.perf_counter() - started)
    return latencies, reference


def conversation(url: str, user: int, questions: list[str], begin: float, deadline: float, run: Run,
                 think: float) -> None:
    """One user's loop until the deadline, starting at its own question."""
    try:
        client = client_for(url)
    except Exception as error:  # counted, the others go on
        run.add(Request("(connect)", time.monotonic() - begin, 0.0, f"{type(error).__name__}: {error}"))
        return
    n = user
    while time.monotonic() < deadline:
        question = questions[n % len(questions)]
        n += 1
        started = time.monotonic()
        try:
            answer = signature(ask(client, question))
            run.add(Request(question, started - begin, time.monotonic() - started, answer=answer))
        except Exception as error:
            run.add(Request(question, started - begin, time.monotonic() - started, f"{type(error).__name__}: {error}"))
        time.sleep(think)


def add_document(source: Path, corpus: Path, data: Path, url: str, probe: str, begin: float) -> DocumentAdded:
    """Copy `source` into the corpus, index it in another process, then wait for the
    running chat to cite it in its answer to `probe`."""
    target = corpus / source.name
    shutil.copyfile(source, target)
    added = DocumentAdded(str(target))
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "--data-dir", str(data), "index", str(target)],
                            cwd=PROJECT_DIR, capture_output=True, text=True, timeout=INDEX_TIMEOUT)
    added.index_seconds, added.returncode = time.monotonic() - started, result.returncode
    added.at = time.monotonic() - begin
    added.last_line = ((result.stdout.strip() or result.stderr.strip()).splitlines() or [""])[-1]  # the summary
    if probe and result.returncode == 0:
        client, indexed = client_for(url), time.monotonic()
        while time.monotonic() - indexed < PROBE_SECONDS:
            # without a metadata sidecar, a document's id is its file name without extension
            if any(c["document"] == target.stem for c in ask(client, probe)["citations"]):
                added.visible_after = time.monotonic() - indexed
                break
            time.sleep(PROBE_PAUSE)
    return added


def load(url: str, users: int, seconds: float, questions: list[str], document: Path | None, corpus: Path,
         data: Path, probe: str, think: float = 0.0) -> tuple[Run, DocumentAdded | None, float]:
    run, added = Run(), None
    begin = time.monotonic()
    deadline = begin + seconds
    threads = [threading.Thread(target=conversation, args=(url, u, questions, begin, deadline, run, think),
                                name=f"user-{u}", daemon=True) for u in range(users)]
    for thread in threads:
        thread.start()
    if document is not None:
        time.sleep(max(0.0, seconds / 2 - (time.monotonic() - begin)))
        added = add_document(document, corpus, data, url, probe, begin)
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + REQUEST_TIMEOUT)
    return run, added, time.monotonic() - begin


def report(users: int, seconds: float, single: list[float], run: Run, elapsed: float, before: dict,
           added: DocumentAdded | None = None, after: dict | None = None) -> dict:
    """`before` and `after` are the single-user answers to each question on the corpus
    before the document was added and after it was indexed."""
    served = [r for r in run.requests if not r.error]
    errors = [r for r in run.requests if r.error]
    p50, single_p50 = percentile([r.seconds for r in served], 0.5), percentile(single, 0.5)
    compared = [(r, before) for r in served]
    if added is not None:
        copied = added.at - added.index_seconds
        compared = [(r, before) for r in served if r.started + r.seconds < copied]
        compared += [(r, after) for r in served if r.started > added.at]
    differing = [r for r, reference in compared if r.answer != reference[r.question]]
    return {
        "users": users, "seconds": seconds, "elapsed_seconds": round(elapsed, 1),
        "single_user": {"requests": len(single), "p50_ms": round(single_p50 * 1000),
                        "p95_ms": round(percentile(single, 0.95) * 1000)},
        "load": {"served": len(served), "errors": len(errors), "per_second": round(len(served) / elapsed, 2),
                 "p50_ms": round(p50 * 1000), "p95_ms": round(percentile([r.seconds for r in served], 0.95) * 1000),
                 "p50_ratio_to_single_user": round(p50 / single_p50, 2) if single_p50 else None},
        "same_answers": {"same": len(compared) - len(differing), "of": len(compared)},
        "differing": sorted({r.question for r in differing})[:SHOWN_PROBLEMS],
        "changed_by_the_document": sorted(q for q in before if after and after[q] != before[q]),
        "error_examples": [r.error for r in errors[:SHOWN_PROBLEMS]],
        "document": None if added is None else {
            "path": added.path, "indexed_at_second": round(added.at, 1),
            "index_seconds": round(added.index_seconds, 1), "returncode": added.returncode,
            "visible_after_seconds": None if added.visible_after is None else round(added.visible_after, 1),
            "index_output": added.last_line},
    }


def print_report(figures: dict) -> None:
    single, under = figures["single_user"], figures["load"]
    print(f"single user: {single['requests']} requests, p50 {single['p50_ms']} ms, p95 {single['p95_ms']} ms")
    print(f"{figures['users']} users for {figures['seconds']:.0f} s ({figures['elapsed_seconds']} s with the last "
          f"answers): {under['served']} served ({under['per_second']}/s), {under['errors']} errors, "
          f"p50 {under['p50_ms']} ms, p95 {under['p95_ms']} ms, "
          f"p50 = {under['p50_ratio_to_single_user']} x single user")
    same = figures["same_answers"]
    print(f"answers equal to the single-user answer on the same corpus: {same['same']} of {same['of']}")
    for question in figures["differing"]:
        print(f"  differs: {question}")
    for error in figures["error_examples"]:
        print(f"  error: {error}")
    if figures["document"]:
        d = figures["document"]
        print(f"document {d['path']}: indexed in {d['index_seconds']} s (exit {d['returncode']}), done at second "
              f"{d['indexed_at_second']}; cited by the chat {d['visible_after_seconds']} s after indexing")
        for question in figures["changed_by_the_document"]:
            print(f"  its addition changed the single-user answer to: {question}")


def main(argv: list[str] | None = None) -> int:
    config = Config.from_env()
    parser = argparse.ArgumentParser(prog="python -m evals.load_chat", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:7860/")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.0, help="seconds each user reads an answer before the next")
    parser.add_argument("--questions", type=Path, default=GOLD, help="gold-set JSONL whose questions are asked")
    parser.add_argument("--add-document", type=Path, help="a document to add half way through")
    parser.add_argument("--probe", default="", help="a question the added document answers")
    parser.add_argument("--corpus-dir", type=Path, default=config.corpus_dir)
    parser.add_argument("--data-dir", type=Path, default=config.data_dir)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    host = urlparse(args.url).hostname or ""
    if not is_loopback(host):
        parser.error(f"drives a chat on this machine only (a loopback address), not {host!r}")
    if args.users < 1 or args.seconds <= 0 or args.think < 0:
        parser.error("--users and --seconds must be positive, --think not negative")
    if args.add_document is not None and not args.add_document.is_file():
        parser.error(f"no such file: {args.add_document}")

    questions = gold_questions(args.questions)
    single, before = single_user(args.url, questions)
    run, added, elapsed = load(args.url, args.users, args.seconds, questions, args.add_document,
                               args.corpus_dir, args.data_dir, args.probe, args.think)
    after = single_user(args.url, questions)[1] if added is not None else None
    figures = {"think_seconds": args.think, **report(args.users, args.seconds, single, run, elapsed, before, added,
                                                     after)}
    print(f"each user read every answer for {args.think:g} s before the next question")
    print_report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
