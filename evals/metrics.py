"""Evaluation metrics: pure functions over per-question result records.

A record is a plain dict (it goes into report.json as is):

    id, language, answerable, gold [[document, paragraph], ...], keys [...],
    ranking [[document, paragraph], ...]   best first, up to RANK_DEPTH
    cited [[document, paragraph], ...], cited_relevant [bool, ...]
    abstained, answer, keys_found [...], sentences, unsupported, llm_error, latency_ms

`summarize(records)` turns a list of records into the figures of one group
(all questions, one language, one split). A figure whose denominator is empty
is None, never 0: "no unanswerable questions" is not "abstention recall 0".
"""
from __future__ import annotations

import math
from typing import Callable, Iterable

from evals.datasets import ANY_PARAGRAPH
from index.arabic import normalize

RANK_DEPTH = 10
Ref = tuple[str, str]  # (document id, paragraph id)

# Which way each figure should move. Thresholds are minima for "higher" and maxima for "lower".
HIGHER_IS_BETTER = ("hit@1", "hit@5", "mrr@10", "ndcg@10", "citation_precision", "citation_recall",
                    "key_containment", "key_containment_all", "abstention_precision", "abstention_recall")
LOWER_IS_BETTER = ("wrong_abstention_rate", "unsupported_rate", "llm_failure_rate", "latency_p50_ms", "latency_p95_ms")
METRICS = HIGHER_IS_BETTER + LOWER_IS_BETTER
# Latency is reported, never gated: it measures the machine. Unsupported sentences and LLM failures
# (answers that fell back to the extractive one) exist only with an LLM.
GATED = HIGHER_IS_BETTER + ("wrong_abstention_rate",)


# --- answer keys ---------------------------------------------------------------

def normalize_for_match(text: str) -> str:
    """index.arabic.normalize (NFKC, NBSP -> space, tashkeel/tatweel removed, alef
    forms -> ا), then casefolded and with runs of whitespace collapsed to one space."""
    return " ".join(normalize(text).casefold().split())


def contains_key(text: str, key: str) -> bool:
    needle = normalize_for_match(key)
    return bool(needle) and needle in normalize_for_match(text)


def keys_found(text: str, keys: Iterable[str]) -> list[str]:
    """The keys that occur in text, in the order given."""
    haystack = normalize_for_match(text)
    return [k for k in keys if (needle := normalize_for_match(k)) and needle in haystack]


# --- paragraph references -------------------------------------------------------



def _refs(values: Iterable) -> list[Ref]:
    return [(str(d), str(p)) for d, p in values]


def _is_gold(ref: Ref, gold: set[Ref]) -> bool:
    return ref in gold or (ref[0], ANY_PARAGRAPH) in gold


def citation_relevance(cited: list[Ref], gold: list[Ref]) -> list[bool]:
    """Per cited paragraph: is it a gold paragraph? Judged by paragraph id only: an
    answer key found in another paragraph is no evidence that it is the right one."""
    gold_set = set(_refs(gold))
    return [_is_gold(ref, gold_set) for ref in _refs(cited)]


# --- ranking --------------------------------------------------------------------

def first_relevant_rank(ranking: list[Ref], gold: list[Ref], depth: int = RANK_DEPTH) -> int | None:
    """1-based rank of the first gold paragraph within `depth`, or None."""
    gold_set = set(_refs(gold))
    for rank, ref in enumerate(_refs(ranking)[:depth], 1):
        if _is_gold(ref, gold_set):
            return rank
    return None


def hit_at(ranking: list[Ref], gold: list[Ref], k: int) -> float:
    return 1.0 if first_relevant_rank(ranking, gold, k) is not None else 0.0


def reciprocal_rank(ranking: list[Ref], gold: list[Ref], depth: int = RANK_DEPTH) -> float:
    rank = first_relevant_rank(ranking, gold, depth)
    return 1.0 / rank if rank else 0.0


def ndcg(ranking: list[Ref], gold: list[Ref], depth: int = RANK_DEPTH) -> float:
    """Binary-relevance nDCG@depth: DCG = sum of 1/log2(rank+1) over gold paragraphs
    in the top `depth` (each counted once), divided by the DCG of a ranking that
    puts every gold paragraph first."""
    gold_set = set(_refs(gold))
    if not gold_set:
        return 0.0
    seen: set[Ref] = set()
    dcg = 0.0
    for rank, ref in enumerate(_refs(ranking)[:depth], 1):
        if _is_gold(ref, gold_set) and ref not in seen:
            seen.add(ref)
            dcg += 1.0 / math.log2(rank + 1)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(gold_set), depth) + 1))
    return dcg / ideal


# --- latency --------------------------------------------------------------------

def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); q in [0, 100]."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# --- one group of records -------------------------------------------------------

def _share(numerator: float, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def summarize(records: list[dict]) -> dict:
    """All figures for one group of records.

    Retrieval (hit@k, MRR@10, nDCG@10), citation recall and key containment are
    over answerable questions; abstention precision/recall are about the
    unanswerable ones; the wrong-abstention rate is over answerable questions.
    Citation precision pools every paragraph cited in answers to answerable
    questions (micro average). Latency is over all questions."""
    answerable = [r for r in records if r["answerable"]]
    unanswerable = [r for r in records if not r["answerable"]]
    ranked = [r for r in answerable if r["gold"]]
    abstained = [r for r in records if r["abstained"]]
    cited_flags = [flag for r in answerable for flag in r["cited_relevant"]]
    latencies = [r["latency_ms"] for r in records if r.get("latency_ms") is not None]
    gold_of = {id(r): _refs(r["gold"]) for r in answerable}
    return {
        "questions": len(records),
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "hit@1": _share(sum(hit_at(r["ranking"], gold_of[id(r)], 1) for r in ranked), len(ranked)),
        "hit@5": _share(sum(hit_at(r["ranking"], gold_of[id(r)], 5) for r in ranked), len(ranked)),
        "mrr@10": _share(sum(reciprocal_rank(r["ranking"], gold_of[id(r)]) for r in ranked), len(ranked)),
        "ndcg@10": _share(sum(ndcg(r["ranking"], gold_of[id(r)]) for r in ranked), len(ranked)),
        "citation_precision": _share(sum(cited_flags), len(cited_flags)),
        "citation_recall": _share(sum(any(citation_relevance(r["cited"], gold_of[id(r)])) for r in answerable),
                                  len(answerable)),
        "key_containment": _share(sum(bool(r["keys_found"]) for r in answerable if r["keys"]),
                                  sum(1 for r in answerable if r["keys"])),
        "key_containment_all": _share(sum(len(r["keys_found"]) == len(r["keys"]) for r in answerable if r["keys"]),
                                      sum(1 for r in answerable if r["keys"])),
        "abstention_precision": _share(sum(not r["answerable"] for r in abstained), len(abstained)),
        "abstention_recall": _share(sum(r["abstained"] for r in unanswerable), len(unanswerable)),
        "wrong_abstention_rate": _share(sum(r["abstained"] for r in answerable), len(answerable)),
        "unsupported_rate": _share(sum(r.get("unsupported", 0) for r in records),
                                   sum(r.get("sentences", 0) for r in records)),
        "llm_failure_rate": _share(sum(bool(r.get("llm_error")) for r in records),
                                   sum(r.get("mode", "extractive") != "extractive" for r in records)),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        # How many observations each figure rests on: the gate's margins are counted in them.
        "counted": {"hit@1": len(ranked), "hit@5": len(ranked), "mrr@10": len(ranked), "ndcg@10": len(ranked),
                    "citation_precision": len(cited_flags), "citation_recall": len(answerable),
                    "key_containment": sum(1 for r in answerable if r["keys"]),
                    "key_containment_all": sum(1 for r in answerable if r["keys"]),
                    "abstention_precision": len(abstained), "abstention_recall": len(unanswerable),
                    "wrong_abstention_rate": len(answerable)},
    }


def by_group(records: list[dict], key: Callable[[dict], str]) -> dict[str, dict]:
    """summarize() per value of key(record), groups in sorted order."""
    groups: dict[str, list[dict]] = {}
    for record in records:
        groups.setdefault(key(record), []).append(record)
    return {name: summarize(groups[name]) for name in sorted(groups)}
