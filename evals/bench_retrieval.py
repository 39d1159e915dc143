"""Retrieval benchmark on XQuAD: does the product's fusion beat its parts?

    python -m evals.bench_retrieval XQUAD_DIR [--data-dir DIR] [--out FILE] [--limit N]

XQUAD_DIR holds xquad.ar.json and xquad.en.json (SQuAD format, 240 parallel
paragraphs, 1190 parallel questions). Each context is written as one .txt file
and indexed through the product's own path (index.sync.sync with a Retriever):
the Arabic contexts in one store, the English ones in another. Three pairs are
scored - ar->ar, en->ar (English questions over the Arabic contexts) and en->en -
with R@1, R@5 and MRR@10 for dense only, lexical only (BM25), plain RRF and the
product's fusion (Retriever.search). A question is answered by the paragraph it
was written for; a hit counts at the rank of the first chunk of that paragraph.

Passage and query vectors are cached under --data-dir (index.embed's
EmbeddingCache), so a second run with the same --data-dir embeds nothing except
the queries the product's search embeds itself (that is what latency measures).
Without --data-dir a temporary folder is used and removed.
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

from index.config import Config
from index.embed import EmbeddingCache
from index.retrieve import CANDIDATES, Retriever
from index.sync import sync

PAIRS = (("ar->ar", "ar", "ar"), ("en->ar", "en", "ar"), ("en->en", "en", "en"))
METHODS = ("dense", "lexical", "rrf", "fusion")
PLAIN_RRF_K = 60  # the textbook constant (Cormack et al. 2009): the baseline, not the product's choice
DEPTH = 10        # ranks looked at: MRR@10


def load_xquad(folder: Path, language: str) -> tuple[list[str], list[tuple[str, str, int]]]:
    """Contexts in file order, and (question id, question, context index)."""
    data = json.loads((folder / f"xquad.{language}.json").read_text(encoding="utf-8"))
    contexts, questions = [], []
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                questions.append((qa["id"], qa["question"], len(contexts)))
            contexts.append(paragraph["context"])
    return contexts, questions


def doc_id(index: int) -> str:
    return f"ctx-{index:03d}"


def write_corpus(folder: Path, contexts: list[str]) -> None:
    """One .txt per context, on one line: no numbering and no blank line, so the
    Council parser makes it a single paragraph ("1") of document ctx-NNN."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"{doc_id(i)}.txt": " ".join(c.split()) for i, c in enumerate(contexts)}
    for stale in set(p.name for p in folder.glob("*.txt")) - wanted.keys():
        (folder / stale).unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text + "\n":
            path.write_text(text + "\n", encoding="utf-8")


def build_index(data_dir: Path, language: str, contexts: list[str]) -> Retriever:
    """The product's own indexing path; a rerun re-embeds nothing."""
    docs = data_dir / "docs" / language
    write_corpus(docs, contexts)
    # Config built directly, not from the environment: a COUNCIL_CHROMA_URL or
    # COUNCIL_EMBEDDER set in the shell must not change what is measured.
    retriever = Retriever(Config(data_dir=data_dir / language, corpus_dir=docs))
    started = time.monotonic()
    summary = sync(retriever, [docs])
    print(f"[{language}] {summary.documents} documents, {retriever.store.count()} chunks, "
          f"{summary.embedded} embedded, {time.monotonic() - started:.1f}s", file=sys.stderr)
    if summary.errors or summary.documents != len(contexts):
        raise SystemExit(f"indexing {language} failed: {summary.errors}")
    return retriever


class _QueryEmbedder:
    """EmbeddingCache stores passage vectors; this adapter lets it store e5 query
    vectors (a different prefix, hence a different id) for the dense-only runs."""

    def __init__(self, embedder):
        self.model_name = embedder.model_name + "|query"
        self._embedder = embedder

    def get_text_embedding_batch(self, texts: list[str]) -> list[list[float]]:
        return [self._embedder.get_query_embedding(t) for t in texts]


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


def run_pair(retriever: Retriever, questions: list[tuple[str, str, int]]) -> tuple[dict, list[float]]:
    query_cache = EmbeddingCache(retriever.config.data_dir / "query_embeddings.sqlite",
                                 _QueryEmbedder(retriever.embedder))
    vectors, _ = query_cache.embed([q for _, q, _ in questions])
    retriever.search(questions[0][1], k=DEPTH)  # warm-up: loads the lexical index, first Chroma query
    ranks: dict[str, list[int | None]] = {m: [] for m in METHODS}
    latencies = []
    lexical_index = retriever.lexical
    for (_, question, context), vector in zip(questions, vectors):
        gold = doc_id(context)
        dense = retriever.store.query(vector, CANDIDATES, None)
        lexical = lexical_index.search(question, CANDIDATES)
        started = time.perf_counter()
        hits = retriever.search(question, k=DEPTH)  # the product, end to end: embeds the query itself
        latencies.append((time.perf_counter() - started) * 1000)
        ranks["dense"].append(rank_of(gold, documents([c for c, _ in dense])))
        ranks["lexical"].append(rank_of(gold, documents([c for c, _ in lexical])))
        ranks["rrf"].append(rank_of(gold, documents(plain_rrf(dense, lexical))))
        ranks["fusion"].append(rank_of(gold, [h.document for h in hits]))
    return {m: score(r) for m, r in ranks.items()}, latencies


def print_table(results: dict, latency: dict) -> None:
    print(f"{'pair':<8}{'method':<9}{'R@1':>7}{'R@5':>7}{'MRR@10':>8}   ratio vs dense (R@1 R@5 MRR)")
    for pair, methods in results.items():
        base = methods["dense"]
        for method, s in methods.items():
            ratios = " ".join(f"{s[m] / base[m]:.3f}" if base[m] else "-" for m in ("R@1", "R@5", "MRR@10"))
            print(f"{pair:<8}{method:<9}{s['R@1']:>7.3f}{s['R@5']:>7.3f}{s['MRR@10']:>8.3f}   {ratios}")
        print()
    print("fusion latency, median ms/query: " + ", ".join(f"{p} {v:.1f}" for p, v in latency.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("xquad_dir", type=Path, help="folder with xquad.ar.json and xquad.en.json")
    parser.add_argument("--data-dir", type=Path, help="index + embedding caches, reused by reruns (default: a temp dir)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--limit", type=int, help="score only the first N questions of each pair (all contexts are indexed)")
    args = parser.parse_args(argv)

    contexts, questions = {}, {}
    for language in ("ar", "en"):
        contexts[language], questions[language] = load_xquad(args.xquad_dir, language)
    # The files are parallel: the same question ids on the same context positions.
    assert [(i, c) for i, _, c in questions["ar"]] == [(i, c) for i, _, c in questions["en"]], "ar/en not parallel"

    temporary = args.data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="xquad-bench-")) if temporary else args.data_dir
    try:
        retrievers = {language: build_index(data_dir, language, contexts[language]) for language in ("ar", "en")}
        results, latency, all_latencies = {}, {}, []
        for pair, query_language, context_language in PAIRS:
            asked = questions[query_language][: args.limit]
            started = time.monotonic()
            results[pair], latencies = run_pair(retrievers[context_language], asked)
            latency[pair] = statistics.median(latencies)
            all_latencies += latencies
            print(f"[{pair}] {len(asked)} questions, {time.monotonic() - started:.1f}s", file=sys.stderr)
        latency["all"] = statistics.median(all_latencies)
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
