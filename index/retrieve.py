"""Query -> ranked paragraph Hits: dense (e5) and lexical (BM25) fused by score.

Both lists are scaled to [0, 1] and added with equal shares. Score fusion beats
reciprocal-rank fusion here because ranks throw away how sure each retriever is:
a BM25 list whose top hit scores twice the next one and an e5 list whose top
five sit within 0.01 cosine of each other count the same under RRF (XQuAD,
evals/bench_retrieval.py: ar->ar R@1 0.894 with RRF, 0.930 with score fusion).

An English question's BM25 ranking over Arabic text is noise, so the lexical
share is weighted by how much of the question the corpus vocabulary covers
(index.lexical.coverage): near 0 across scripts, near 1 within one. Quoted
identifiers (76/307, C23/INF/9, CSW67) put the paragraphs that contain them first.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

from index.arabic import identifiers
from index.config import Config
from index.embed import load_embedder
from index.lexical import LexicalIndex
from index.model import Hit
from index.store import ParagraphStore

CANDIDATES = 50      # per retriever; XQuAD R@1 is flat from 20 to 100
SENTENCE_CANDIDATES = 150
FINGERPRINT_TTL = 10.0   # seconds
LEXICAL_SHARE = 0.5  # equal shares: no tuning to one benchmark (0.4-0.55 all within 0.004 R@1 on XQuAD)
EXACT_BONUS = 2.0    # more than any fused score (at most 1.0) can reach: an identifier match wins outright
_EXACT = re.compile(r"\d")  # only identifiers with a digit or slash are exact enough to win outright


@dataclass(frozen=True)
class Filters:
    document: str = ""
    language: str = ""
    year: str = ""

    def where(self) -> dict | None:
        clauses = [{"document": self.document}] if self.document else []
        clauses += [{"language": self.language}] if self.language else []
        clauses += [{"year": int(self.year)}] if self.year else []
        if len(clauses) > 1:
            return {"$and": clauses}
        return clauses[0] if clauses else None


class Retriever:
    def __init__(self, config: Config, rebuild: bool = False):
        self.config = config
        self.embedder = load_embedder(config.embedder)
        self.store = ParagraphStore(config, self.embedder.model_name, self.embedder.dim, rebuild=rebuild)
        self._lexical: tuple[str, LexicalIndex] | None = None
        self._checked_at = 0.0

    @property
    def lexical(self) -> LexicalIndex:
        """Rebuilt when the collection's fingerprint changed since it was loaded. The
        fingerprint reads every chunk's metadata, so a query checks it at most every
        FINGERPRINT_TTL seconds (another process may be indexing); an index run in
        this process calls refresh() and is seen at once."""
        now = time.monotonic()
        if self._lexical is None or now - self._checked_at > FINGERPRINT_TTL:
            fingerprint = self.store.fingerprint()
            if self._lexical is None or self._lexical[0] != fingerprint:
                index = LexicalIndex.load_or_build(self.config.data_dir / "lexical", fingerprint, self.store.records)
                self._lexical = (fingerprint, index)
            self._checked_at = now
        return self._lexical[1]

    def refresh(self) -> None:
        self._checked_at = 0.0

    def search(self, query: str, k: int = 5, filters: Filters = Filters()) -> list[Hit]:
        where = filters.where()
        dense = self.dense(self.embedder.get_query_embedding(query), where)
        lexical_index = self.lexical
        allowed = None if where is None else set(self.store.collection.get(where=where, include=[])["ids"])
        lexical = lexical_index.search(query, CANDIDATES, allowed)
        exact = self.store.containing(self._exact_needles(query), where)
        return self.fuse(dense, lexical, lexical_index.coverage(query), exact, k)

    def dense(self, vector: list[float], where: dict | None) -> list[tuple[str, float]]:
        """(chunk id, paragraph cosine + best cosine among its paragraph's sentences),
        best first. A long paragraph's one answering sentence is diluted in the
        paragraph vector; the sentence vector keeps it (XQuAD en->ar R@1 +0.02)."""
        paragraphs = self.store.query(vector, CANDIDATES, where)
        sentences = self.store.query_sentences(vector, SENTENCE_CANDIDATES, where)
        best: dict[str, float] = {}
        for key, similarity in sentences:  # nearest first
            best.setdefault(key, similarity)
        floor = sentences[-1][1] if sentences else 0.0  # not among the nearest sentences: at most this
        combined = [(cid, similarity + best.get(cid.rsplit("#", 1)[0], floor)) for cid, similarity in paragraphs]
        return sorted(combined, key=lambda item: item[1], reverse=True)

    @staticmethod
    def _exact_needles(query: str) -> list[str]:
        found = [i for i in identifiers(query) if _EXACT.search(i)]
        return list(dict.fromkeys(found + [i.upper() for i in found]))

    def fuse(self, dense: list[tuple[str, float]], lexical: list[tuple[str, float]],
             lexical_weight: float, exact: set[str], k: int) -> list[Hit]:
        scores: dict[str, float] = {}
        dense_rank = {cid: r for r, (cid, _) in enumerate(dense, 1)}
        lexical_rank = {cid: r for r, (cid, _) in enumerate(lexical, 1)}
        for cid, value in _scaled_cosines(dense).items():
            scores[cid] = (1 - LEXICAL_SHARE) * value
        for cid, value in _scaled_bm25(lexical).items():
            scores[cid] = scores.get(cid, 0.0) + LEXICAL_SHARE * lexical_weight * value
        for cid in exact:
            scores[cid] = scores.get(cid, 0.0) + EXACT_BONUS
        ranked = sorted(scores, key=scores.get, reverse=True)
        if not ranked:
            return []
        records = self.store.collection.get(ids=ranked[: k * 4], include=["metadatas"])
        metadata = dict(zip(records["ids"], records["metadatas"]))
        hits: dict[tuple[str, str], Hit] = {}
        for cid in ranked[: k * 4]:
            meta = metadata[cid]
            key = (meta["document"], meta["paragraph"])
            if key in hits:  # another part of a paragraph already ranked higher
                continue
            hits[key] = Hit(
                chunk_id=cid, document=meta["document"], paragraph=meta["paragraph"], label=meta["label"],
                language=meta["language"], title=meta["title"], date=meta["date"], symbol=meta["symbol"],
                section_title=meta["section_title"], text=meta["paragraph_text"], score=scores[cid],
                dense_rank=dense_rank.get(cid), lexical_rank=lexical_rank.get(cid), exact_match=cid in exact)
            if len(hits) == k:
                break
        return list(hits.values())


def _scaled_cosines(dense: list[tuple[str, float]]) -> dict[str, float]:
    """Min-max over the candidates. e5 cosines have no meaningful zero (they bunch
    between 0.7 and 0.9), so the weakest candidate is the zero; a paragraph outside
    the candidates, found only by BM25, is below it and gets no dense score."""
    if not dense:
        return {}
    values = [v for _, v in dense]
    low, span = min(values), max(values) - min(values)
    return {cid: (v - low) / span if span > 0 else 1.0 for cid, v in dense}


def _scaled_bm25(lexical: list[tuple[str, float]]) -> dict[str, float]:
    """Divided by the best score. A BM25 score of 0 does mean "no query term
    matched", so it stays the zero (and zero-score padding is already dropped)."""
    if not lexical:
        return {}
    top = max(v for _, v in lexical)
    return {cid: v / top for cid, v in lexical}
