"""Retrieval benchmark on XQuAD: does the product's fusion beat its parts?

    python -m evals.bench_retrieval XQUAD_DIR [--data-dir DIR] [--out FILE] [--limit N]

XQUAD_DIR holds xquad.ar.json and xquad.en.json (SQuAD format, 240 parallel
paragraphs, 1190 parallel questions). Each context is written as one .txt file
(evals.datasets, as `council eval --squad` does) and indexed through the
product's own path (Index.sync): the Arabic contexts in one store, the English
ones in another. Four pairs are scored - ar->ar, en->ar (English questions over
the Arabic contexts), ar->en and en->en - with R@1, R@5 and MRR@10 for dense only, dense
with sentence vectors, lexical only (BM25), BM25 of the question's words translated
(index.bilingual), plain RRF and the product's fusion (Index.search). A question
is answered by the context it was written for.

Passage vectors are cached under --data-dir (index.embed's EmbeddingCache), so a
rerun with the same --data-dir embeds no passage. Search latency is timed end to
end (query embedding included) on the first --timed questions of each pair, and
without the query embedding on all of them. Without --data-dir a temporary
folder is used and removed.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from evals.datasets import load_squad, write_squad_corpus
from index.api import Index
from index.config import Config
from index.retrieve import CANDIDATES

PAIRS = (("ar->ar", "ar", "ar"), ("en->ar", "en", "ar"), ("ar->en", "ar", "en"), ("en->en", "en", "en"))
METHODS = ("dense", "dense+sent", "lexical", "translated", "rrf", "fusion")
PLAIN_RRF_K = 60  # the textbook constant (Cormack et al. 2009): the baseline, not the product's choice
DEPTH = 10        # ranks looked at: MRR@10


def build_index(data_dir: Path, language: str, contexts: list[str]) -> Index:
    """The product's own indexing path; a rerun re-embeds nothing."""
    docs = data_dir / "docs" / language
    write_squad_corpus(docs, contexts)
    # Config built directly, not from the environment: a COUNCIL_CHROMA_URL or
    # COUNCIL_EMBEDDER set in the shell must not change what is measured.
    index = Index(Config(data_dir=data_dir / language, corpus_dir=docs))
    summary = index.sync([docs])
    print(f"[{language}] {summary.documents} documents, {summary.embedded} embedded, {summary.seconds:.1f}s",
          file=sys.stderr)
    if summary.errors or summary.documents != len(contexts):
        raise SystemExit(f"indexing {language} failed: {summary.errors}")
    return index


def documents(ranked_chunk_ids: list[str]) -> list[str]:
    """Chunk ids -> document ids in order, first occurrence kept (a long context has several chunks)."""
    return list(dict.fromkeys(cid.split("#", 1)[0] for cid in ranked_chunk_ids))


def plain_rrf(dense: list[tuple[str, float]], lexical: list[tuple[str, float]]) -> list[str]:
    scores: dict[str, float] = {}
    for ranking in (dense, lexical):
        for rank, (cid, _) in enumerate(ranking, 1):
            scores[cid] = scores.get(cid, 0.0) + 1.0 / (PLAIN_RRF_K + rank)
    return sorted(scores, key=scores.get, reverse=True)


def rank_of(gold: str, ranked_docs: list[str]) -> int | None:
    try:
        position = ranked_docs.index(gold) + 1
    except ValueError:
        return None
    return position if position <= DEPTH else None


def score(ranks: list[int | None]) -> dict:
    n = len(ranks)
    return {"R@1": sum(r == 1 for r in ranks) / n,
            "R@5": sum(r is not None and r <= 5 for r in ranks) / n,
            "MRR@10": sum(1.0 / r for r in ranks if r is not None) / n,
            "n": n}


def run_pair(index: Index, questions: list[tuple[str, str]], timed: int) -> tuple[dict, dict]:
    """Scores of the methods, and the product's latency: end to end (it embeds the
    query itself) on the first `timed` questions, and without the query embedding on all."""
    index.search(questions[0][0], k=DEPTH)  # warm-up: loads the lexical index, first Chroma query
    end_to_end = []
    for question, _ in questions[:timed]:
        index.embedder.query.cache_clear()
        started = time.perf_counter()
        index.search(question, k=DEPTH)
        end_to_end.append((time.perf_counter() - started) * 1000)

    ranks: dict[str, list[int | None]] = {m: [] for m in METHODS}
    without_embedding = []
    for question, gold in questions:
        vector = index.embed_query(question)
        parts = index.rankings(question, vector)
        started = time.perf_counter()
        hits = index.search(question, k=DEPTH, vector=vector)
        without_embedding.append((time.perf_counter() - started) * 1000)
        ranks["dense"].append(rank_of(gold, documents([c for c, _ in parts["dense"]])))
        ranks["dense+sent"].append(rank_of(gold, documents([c for c, _ in parts["dense+sent"]])))
        ranks["lexical"].append(rank_of(gold, documents([c for c, _ in parts["lexical"]])))
        ranks["translated"].append(rank_of(gold, documents([c for c, _ in parts["translated"]])))
        ranks["rrf"].append(rank_of(gold, documents(plain_rrf(parts["dense"], parts["lexical"]))))
        ranks["fusion"].append(rank_of(gold, [h.document for h in hits]))
    latency = {"end_to_end_ms": statistics.median(end_to_end) if end_to_end else None, "timed_queries": len(end_to_end),
               "without_query_embedding_ms": statistics.median(without_embedding)}
    return {m: score(r) for m, r in ranks.items()}, latency


def print_table(results: dict, latency: dict) -> None:
    print(f"{'pair':<8}{'method':<9}{'R@1':>7}{'R@5':>7}{'MRR@10':>8}   ratio vs dense (R@1 R@5 MRR)")
    for pair, methods in results.items():
        base = methods["dense"]
        for method, s in methods.items():
            ratios = " ".join(f"{s[m] / base[m]:.3f}" if base[m] else "-" for m in ("R@1", "R@5", "MRR@10"))
            print(f"{pair:<8}{method:<9}{s['R@1']:>7.3f}{s['R@5']:>7.3f}{s['MRR@10']:>8.3f}   {ratios}")
        print()
    for pair, figures in latency.items():
        end_to_end = figures["end_to_end_ms"]
        print(f"{pair} Retriever.search median latency: "
              + (f"{end_to_end:.1f} ms end to end ({figures['timed_queries']} queries), " if end_to_end else "")
              + f"{figures['without_query_embedding_ms']:.1f} ms without the query embedding")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("xquad_dir", type=Path, help="folder with xquad.ar.json and xquad.en.json")
    parser.add_argument("--data-dir", type=Path, help="index + embedding caches, reused by reruns (default: a temp dir)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--limit", type=int, help="score only the first N questions of each pair (all contexts are indexed)")
    parser.add_argument("--timed", type=int, default=100,
                        help="questions per pair whose search is timed end to end, query embedding included (default 100)")
    args = parser.parse_args(argv)

    contexts, questions = {}, {}
    for language in ("ar", "en"):
        contexts[language], items = load_squad(args.xquad_dir / f"xquad.{language}.json")
        questions[language] = [(item.id, item.question, item.gold[0][0]) for item in items]
    # The files are parallel: the same question ids on the same context positions.
    assert [(i, c) for i, _, c in questions["ar"]] == [(i, c) for i, _, c in questions["en"]], "ar/en not parallel"

    temporary = args.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="xquad-bench-")) if temporary else args.data_dir
    try:
        indexes = {language: build_index(data_dir, language, contexts[language]) for language in ("ar", "en")}
        results, latency = {}, {}
        for pair, query_language, context_language in PAIRS:
            asked = [(q, c) for _, q, c in questions[query_language][: args.limit]]
            started = time.monotonic()
            results[pair], latency[pair] = run_pair(indexes[context_language], asked, args.timed)
            print(f"[{pair}] {len(asked)} questions, {time.monotonic() - started:.1f}s", file=sys.stderr)
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)

    print_table(results, latency)
    if args.out:
        ratios = {pair: {method: {m: (s[m] / methods["dense"][m] if methods["dense"][m] else None)
                                  for m in ("R@1", "R@5", "MRR@10")} for method, s in methods.items()}
                  for pair, methods in results.items()}
        report = {"results": results, "ratio_vs_dense": ratios, "latency_ms_median": latency,
                  "contexts": len(contexts["ar"]), "candidates": CANDIDATES, "plain_rrf_k": PLAIN_RRF_K,
                  "limit": args.limit}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
