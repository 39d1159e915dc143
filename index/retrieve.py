"""Query -> ranked paragraph Hits: dense (e5) and lexical (BM25) fused by score.

Both lists are scaled to [0, 1] and added with equal shares. Score fusion beats
reciprocal-rank fusion here because ranks throw away how sure each retriever is:
a BM25 list whose top hit scores twice the next one and an e5 list whose top
five sit within 0.01 cosine of each other count the same under RRF
(evals/README.md, "Retrieval").

An English question's BM25 ranking over Arabic text is noise, so the lexical
share is weighted by how much of the question the corpus vocabulary covers
(LexicalIndex.coverage): near 0 across scripts, near 1 within one. Quoted
identifiers that hold a digit (76/307, C23/INF/9, CSW67) put the paragraphs that
contain them first.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np

from index.arabic import identifiers
from index.document_names import NOTHING_NAMED, Named
from index.lexical import LexicalIndex
from index.schema import paragraph_key
from index.store import Store, where_clause

CANDIDATES = 50          # per retriever; XQuAD R@1 is flat from 20 to 100
SENTENCE_CANDIDATES = 150
LEXICAL_SHARE = 0.5      # equal shares: no tuning to one benchmark (0.4-0.55 all within 0.004 R@1 on XQuAD)
EXACT_BONUS = 2.0        # more than any fused score (at most 1.0) can reach: an identifier match wins outright
MAX_IDENTIFIERS = 20     # a pasted list of codes is not a question; each costs one index lookup
NAMED_WEIGHT = 0.5
NAMED_DOCUMENT_BONUS = 0.15  # a named document's paragraphs rise, without outranking a much better answer
SYMBOL_BONUS = 0.5         # "Decision 11", "القرار 80/16": the question is about that text; its paragraphs lead
HEADER = "front.header"
_HAS_DIGIT = re.compile(r"\d")  # only identifiers with a digit are exact enough to win outright


@dataclass(frozen=True)
class Filters:
    document: str = ""
    symbol: str = ""
    language: str = ""
    year: int = 0

    def fields(self) -> dict:
        return asdict(self)

    def where(self) -> dict | None:
        return where_clause(self.fields())


@dataclass(frozen=True)
class Ranked:
    """A paragraph's best chunk and the evidence that ranked it."""

    chunk_id: str
    score: float
    dense_rank: int | None
    lexical_rank: int | None
    exact: bool


def exact_identifiers(query: str) -> list[str]:
    return [i for i in identifiers(query) if _HAS_DIGIT.search(i)][:MAX_IDENTIFIERS]


class Retriever:
    def __init__(self, store: Store, lexical: LexicalIndex):
        self.store, self.lexical = store, lexical

    def rank(self, query: str, vector, filters: Filters, depth: int, named: Named = NOTHING_NAMED,
             languages: tuple[str, ...] = ()) -> list[Ranked]:
        """Up to `depth` paragraphs, best first; ties go to the smaller chunk id. Paragraphs
        of the documents the question names get a bonus; the identifier that named one
        ("80/16") is not looked for as a passage. `languages`: those of the indexed documents."""
        where = filters.where()
        dense = self.dense(vector, where, () if filters.language or filters.document else languages)
        lexical = self.lexical.search(query, CANDIDATES, filters.fields())
        exact = {cid for needle in exact_identifiers(query) if needle.casefold() not in named.identifiers
                 for cid in self.lexical.containing(needle, filters.fields())}
        return fuse(dense, lexical, self.lexical_weight(query), exact, depth, named)

    def lexical_weight(self, query: str) -> float:
        """How far to trust BM25 for this query: the share of its words the corpus knows, but
        at least NAMED_WEIGHT when it names an acronym the corpus holds (GDC, OSET): an
        English question over Arabic text shares few words with it, yet those are exact."""
        coverage = self.lexical.coverage(query)
        named = [a for a in identifiers(query) if not _HAS_DIGIT.search(a)]
        if named and any(self.lexical.containing(a, None, n=1) for a in named[:MAX_IDENTIFIERS]):
            return max(coverage, NAMED_WEIGHT)
        return coverage

    def dense(self, vector, where: dict | None, languages: tuple[str, ...] = ()) -> list[tuple[str, float]]:
        """(chunk id, score) best first. In a corpus of several languages each language is
        searched on its own and its scores are measured against its own background (how
        far above the mean of the question's nearest sentences in that language, in
        standard deviations): e5 scores a question higher against any text in its own
        language, so raw cosines would bury an Arabic paragraph under English ones."""
        if len(languages) < 2:
            return self._dense(vector, where)[0]
        merged = []
        for language in languages:
            scored, background = self._dense(vector, where_clause({**(_equalities(where)), "language": language}))
            if len(background) < 2:
                continue
            mean, spread = float(np.mean(background)), float(np.std(background)) or 1.0
            merged += [(cid, (score - 2 * mean) / spread) for cid, score in scored]
        return sorted(merged, key=lambda item: (-item[1], item[0]))

    def _dense(self, vector, where: dict | None) -> tuple[list[tuple[str, float]], list[float]]:
        """(chunk id, paragraph cosine + best cosine among its paragraph's sentences) best
        first, and the similarities of the nearest sentences. A long paragraph's one
        answering sentence is diluted in the paragraph vector; the sentence vector keeps it
        (evals/README.md, "Retrieval")."""
        paragraphs = self.store.nearest_chunks(vector, CANDIDATES, where)
        sentences = self.store.nearest_sentences(vector, SENTENCE_CANDIDATES, where)
        best: dict[tuple[str, str], float] = {}
        for sentence_id, similarity in sentences:  # nearest first
            best.setdefault(paragraph_key(sentence_id), similarity)
        floor = sentences[-1][1] if sentences else 0.0  # not among the nearest sentences: at most this
        combined = [(cid, similarity + best.get(paragraph_key(cid), floor)) for cid, similarity in paragraphs]
        return sorted(combined, key=lambda item: (-item[1], item[0])), [similarity for _, similarity in sentences]


def _equalities(where: dict | None) -> dict:
    """The field = value pairs of a `where` built by where_clause."""
    if not where:
        return {}
    clauses = where.get("$and", [where])
    return {name: value for clause in clauses for name, value in clause.items()}


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], lexical_weight: float,
         exact: set[str], depth: int, named: Named = NOTHING_NAMED) -> list[Ranked]:
    scores: dict[str, float] = {}
    for cid, value in _scaled_cosines(dense).items():
        scores[cid] = (1 - LEXICAL_SHARE) * value
    for cid, value in _scaled_bm25(lexical).items():
        scores[cid] = scores.get(cid, 0.0) + LEXICAL_SHARE * lexical_weight * value
    for cid in exact:
        scores[cid] = scores.get(cid, 0.0) + EXACT_BONUS
    for cid in scores:
        document, paragraph = paragraph_key(cid)
        if paragraph == HEADER:
            continue  # the header holds the name that named the document: no evidence of an answer
        scores[cid] += SYMBOL_BONUS if document in named.by_symbol else NAMED_DOCUMENT_BONUS if document in named.documents else 0
    dense_rank = {cid: r for r, (cid, _) in enumerate(dense, 1)}
    lexical_rank = {cid: r for r, (cid, _) in enumerate(lexical, 1)}
    ranked: dict[tuple[str, str], Ranked] = {}
    for cid in sorted(scores, key=lambda c: (-scores[c], c)):
        key = paragraph_key(cid)
        if key not in ranked:  # another part of the paragraph already ranked higher
            ranked[key] = Ranked(cid, scores[cid], dense_rank.get(cid), lexical_rank.get(cid), cid in exact)
            if len(ranked) == depth:
                break
    return list(ranked.values())


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
    """Divided by the best score: a BM25 score of 0 does mean "no query term matched"."""
    if not lexical:
        return {}
    top = max(v for _, v in lexical)
    return {cid: v / top for cid, v in lexical} if top > 0 else {}
