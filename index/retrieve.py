"""Query -> ranked paragraph Hits: dense (e5) and lexical (BM25) fused by score.

Both lists are scaled to [0, 1] and added with equal shares. Score fusion beats
reciprocal-rank fusion here because ranks throw away how sure each retriever is:
a BM25 list whose top hit scores twice the next one and an e5 list whose top
five sit within 0.01 cosine of each other count the same under RRF
(README.md, "How it works").

An English question's BM25 ranking over Arabic text is noise, so the lexical
share is weighted by how much of the question the corpus vocabulary covers
(LexicalIndex.coverage): near 0 across scripts, near 1 within one. In a corpus of
both, a paragraph BM25 cannot read (another script than the question's) has its
dense score stand in for the lexical one: an Arabic question about the English
Constitution must not lose to every Arabic paragraph sharing one of its words.
Part of that stand-in is BM25 over the question's words translated by a bilingual
dictionary (index.bilingual), the exact-word evidence the script change hides. Quoted
identifiers that hold a digit (76/307, C23/INF/9, CSW67) put the paragraphs that
contain them first, and so do provisions cited by number ("Article 19", "target 4.b":
index.provision_refs), in the documents the question names when it names any.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass

import numpy as np

from index.arabic import identifiers
from index.bilingual import translated
from index.document_names import NOTHING_NAMED, Named
from index.language import language_script, script
from index.lexical import LexicalIndex
from index.model import DocumentInfo
from index.named_blocks import blocks_asked
from index.operative_parts import asked
from index.provision_refs import ProvisionRef, references
from index.schema import paragraph_key, sentence_id
from index.store import Store, partition

CANDIDATES = 50          # per retriever; XQuAD R@1 is flat from 20 to 100
SENTENCE_CANDIDATES = 150
LEXICAL_SHARE = 0.5      # equal shares: no tuning to one benchmark (0.4-0.55 all within 0.004 R@1 on XQuAD)
# Of the dense score of a paragraph in the other script than the question's, the share given
# to BM25 over the question's words translated (index.bilingual), by the question's script.
# XQuAD fusion R@1 with e5-ranked translations: en->ar 0.849 at 0.3, 0.829 at 0.4; ar->en 0.808
# at 0.3, 0.803 at 0.4, 0.782 at 0.5. Dev intergov Arabic questions, on English texts: hit@1 /
# hit@5 0.667 / 0.848 at 0.3, 0.727 / 0.970 at 0.4; English ones and council alike at 0.3-0.5.
# The two directions peak apart, so each has its own. (Both had been 0.3 before e5 ranked the
# translations; 0.25-0.3 had answered an unanswerable question until a cited provision's own
# sentences were required to hold the kind asked: assistant.abstain.)
TRANSLATED_SHARE = {"ar": 0.4, "latin": 0.3}
ACROSS_MIX = {"ar": 0.3}  # QueryVectors, by the question's script
EXACT_BONUS = 2.0        # more than any fused score (at most 1.0) can reach: an identifier match wins outright
MAX_IDENTIFIERS = 20     # a pasted list of codes is not a question; each costs one index lookup
NAMED_WEIGHT = 0.5
NAMED_DOCUMENT_BONUS = 0.15  # a named document's paragraphs rise, without outranking a much better answer
SYMBOL_BONUS = 0.5         # "Decision 11", "القرار 80/16": the question is about that text; its paragraphs lead
PART_BONUS = 1.0           # "What does Resolution 140 resolve?": its "resolves" part (dev: 0.15-1.0 alike);
                           # "the purpose of this report": its Purpose block
HEADER = "front.header"
_HAS_DIGIT = re.compile(r"\d")  # only identifiers with a digit are exact enough to win outright
# Filtered dense search (Retriever.nearest_chunks, nearest_sentences). Chroma's `where`
# costs the size of the whole database and its search among given ids is slow for a few
# hundred of them, so a filter admitting at most EXACT_AT_MOST records of a partition has
# them read and compared one by one; one admitting more is applied to an unfiltered search
# asked for OVERFETCH candidates per one it expects to pass (judged from the catalog),
# OVERFETCH_GROWTH times more when too few pass, up to MAX_OVERFETCH.
EXACT_AT_MOST = 600
OVERFETCH = 1.5
OVERFETCH_GROWTH = 4
MAX_OVERFETCH = 5000


@dataclass(frozen=True)
class QueryVectors:
    """The question's e5 vector, and the one it is searched with among texts in the other
    script: the question's vector plus ACROSS_MIX times that of its words translated
    (index.bilingual.rendered), renormalized. e5-small ranks across languages well below
    within one; the translated words pull the question toward the passage's language.
    XQuAD Arabic->English dense R@1 0.718 -> 0.753, fusion 0.806 -> 0.812; English
    questions are not mixed (fusion 0.850 without, 0.845-0.849 with: README.md)."""

    own: np.ndarray
    script: str
    across: np.ndarray | None = None

    def of(self, part: str) -> np.ndarray:
        """The vector to search partition `part` (a language) with."""
        return self.across if self.across is not None and language_script(part) != self.script else self.own


@dataclass(frozen=True)
class Filters:
    document: str = ""
    symbol: str = ""
    language: str = ""
    year: int = 0

    def fields(self) -> dict:
        return asdict(self)

    def __bool__(self) -> bool:
        return any(self.fields().values())

    def admits(self, document: DocumentInfo) -> bool:
        return ((not self.document or document.id == self.document)
                and (not self.symbol or document.symbol == self.symbol)
                and (not self.language or document.language == self.language)
                and (not self.year or document.year == str(self.year)))


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

    def rank(self, query: str, vectors: QueryVectors, filters: Filters, depth: int, catalog: dict[str, DocumentInfo],
             named: Named = NOTHING_NAMED) -> list[Ranked]:
        """Up to `depth` paragraphs, best first; ties go to the smaller chunk id. Paragraphs
        of the documents the question names get a bonus; the identifier that named one
        ("80/16") is not looked for as a passage."""
        dense = self.dense(vectors, filters, catalog)
        lexical = self.lexical.search(query, CANDIDATES, filters.fields())
        across = self.lexical.search_tokens(translated(query), CANDIDATES, filters.fields())
        exact = {cid for needle in exact_identifiers(query) if needle.casefold() not in named.identifiers
                 for cid in self.lexical.containing(needle, filters.fields())}
        exact |= {cid for ref, chunks in self.cited(query, filters, named).items() if ref.ranks_first for cid in chunks}
        parts = self.addressed_parts(query, filters, named) | self.named_blocks(query, filters, named, catalog)
        asked_in = script(query)
        unreadable = frozenset(cid for cid, _ in dense
                               if (info := catalog.get(paragraph_key(cid)[0])) and language_script(info.language) != asked_in)
        return fuse(dense, lexical, self.lexical_weight(query), exact, depth, named, unreadable, parts, across,
                    TRANSLATED_SHARE.get(asked_in, TRANSLATED_SHARE["latin"]))

    def addressed_parts(self, query: str, filters: Filters, named: Named) -> frozenset[str]:
        """Chunks of the operative parts, in the resolutions the question names by number, with
        the verb and addressee it names (index.operative_parts)."""
        wanted = asked(query) if named.by_symbol else None
        return frozenset(cid for cid, _ in self.lexical.chunks(filters.fields(), set(named.by_symbol))
                         if wanted.holds(paragraph_key(cid)[1])) if wanted else frozenset()

    def named_blocks(self, query: str, filters: Filters, named: Named, catalog: dict[str, DocumentInfo]) -> frozenset[str]:
        """Chunks of the front-page blocks the question names ("the purpose of this report":
        index.named_blocks), in the documents it names, else in all admitted."""
        wanted = blocks_asked(query)
        if not wanted:
            return frozenset()
        documents = set(named.documents | named.by_symbol) or set(catalog)
        return frozenset(cid for cid, _ in self.lexical.chunks(filters.fields(), documents)
                         if paragraph_key(cid)[1] in wanted)

    def cited(self, query: str, filters: Filters, named: Named = NOTHING_NAMED) -> dict[ProvisionRef, list[str]]:
        """Each provision the question cites by number -> its chunks (none when no admitted
        document has it), looked for in the documents the question names, else in all."""
        scope = set(named.documents | named.by_symbol) or None
        return {ref: self.lexical.numbered(ref, scope, filters.fields()) for ref in references(query)}

    def lexical_weight(self, query: str) -> float:
        """How far to trust BM25 for this query: the share of its words the corpus knows, but
        at least NAMED_WEIGHT when it names an acronym the corpus holds (GDC, OSET): an
        English question over Arabic text shares few words with it, yet those are exact."""
        coverage = self.lexical.coverage(query)
        named = [a for a in identifiers(query) if not _HAS_DIGIT.search(a)]
        if named and any(self.lexical.containing(a, None, n=1) for a in named[:MAX_IDENTIFIERS]):
            return max(coverage, NAMED_WEIGHT)
        return coverage

    def dense(self, vectors: QueryVectors, filters: Filters, catalog: dict[str, DocumentInfo]) -> list[tuple[str, float]]:
        """(chunk id, paragraph cosine + best cosine among its paragraph's sentences), best
        first. A long paragraph's one answering sentence is diluted in the paragraph vector;
        the sentence vector keeps it (README.md, "How it works"). When several languages
        answer, each one's scores are measured against its own background (how far above the
        mean of the question's nearest sentences in that language, in standard deviations):
        e5 scores a question higher against any text in its own language, so raw cosines
        would bury an Arabic paragraph under English ones."""
        paragraphs = self.nearest_chunks(vectors, filters, catalog)
        sentences = self.nearest_sentences(vectors, filters, catalog)
        scored = {}
        for part, chunks in paragraphs.items():
            found, floor = sentences.get(part, ([], 0.0))
            best: dict[tuple[str, str], float] = {}
            for sentence_id, similarity in found:  # nearest first
                best.setdefault(paragraph_key(sentence_id), similarity)
            scored[part] = [(cid, similarity + best.get(paragraph_key(cid), floor)) for cid, similarity in chunks]
        if len(scored) > 1:
            for part in scored:
                background = [similarity for _, similarity in sentences.get(part, ([], 0.0))[0]]
                mean, spread = (float(np.mean(background)), float(np.std(background)) or 1.0) if background else (0, 1)
                scored[part] = [(cid, (score - 2 * mean) / spread) for cid, score in scored[part]]
        return _best([item for part in scored.values() for item in part], CANDIDATES * len(scored))

    def nearest_chunks(self, vectors: QueryVectors, filters: Filters, catalog: dict[str, DocumentInfo]) -> dict[str, list]:
        """Per partition (language) holding admitted documents, the CANDIDATES chunks nearest
        to the question's vector for that partition that pass `filters`. Within a partition, a
        filter admitting few chunks has them compared one by one; one admitting more is applied
        to an unfiltered search asked for enough more candidates; when too few of those pass,
        Chroma filters."""
        n = CANDIDATES
        if not filters:
            return {part: self.store.nearest("chunks", vectors.of(part), n, part) for part in self.store.partitions()}
        found = {}
        for part, records, total, admitted in _shares(filters, catalog, lambda d: d.chunks):
            vector = vectors.of(part)
            if records == total:   # the whole partition (a language filter): nothing to filter
                found[part] = self.store.nearest("chunks", vector, n, part)
                continue
            if records <= EXACT_AT_MOST:
                found[part] = self.store.nearest_among("chunks", vector, n, part, self._ids(filters, admitted))
                continue
            wanted, passed = math.ceil(n * total / records * OVERFETCH), []
            while wanted < total and wanted <= MAX_OVERFETCH and len(passed) < n:
                candidates = self.store.nearest("chunks", vector, wanted, part)
                passed = [(i, s) for i, s in candidates if paragraph_key(i)[0] in admitted]
                wanted *= OVERFETCH_GROWTH  # the filter selects against the question's neighbourhood
            found[part] = passed[:n] if len(passed) >= n else self.store.nearest("chunks", vector, n, part, admitted)
        return found

    def nearest_sentences(self, vectors: QueryVectors, filters: Filters,
                          catalog: dict[str, DocumentInfo]) -> dict[str, tuple[list, float]]:
        """Per partition, the nearest sentences that pass `filters` (up to SENTENCE_CANDIDATES),
        and a bound on the similarity of any admitted sentence not among them. They only add
        to the candidate paragraphs' scores, so where a filter admits many sentences of a
        partition, its own nearest sentences are read and the admitted kept, the bound
        being the last one read; a filter admitting few has them compared one by one."""
        n = SENTENCE_CANDIDATES
        if not filters:
            nearest = {part: self.store.nearest("sentences", vectors.of(part), n, part) for part in self.store.partitions()}
            return {part: (found, found[-1][1] if found else 0.0) for part, found in nearest.items()}
        sentences = {}
        for part, records, total, admitted in _shares(filters, catalog, lambda d: d.sentences):
            vector = vectors.of(part)
            bound = 0.0
            if records == total:
                found = self.store.nearest("sentences", vector, n, part)
            elif records <= EXACT_AT_MOST:
                ids = [sentence_id(*paragraph_key(chunk), k) for chunk, count in
                       self.lexical.chunks(filters.fields(), admitted) for k in range(count)]
                found = self.store.nearest_among("sentences", vector, n, part, ids)
            else:
                nearest = self.store.nearest("sentences", vector, n, part)
                found = [(i, s) for i, s in nearest if paragraph_key(i)[0] in admitted]
                bound = nearest[-1][1] if nearest else 0.0
            sentences[part] = (found, max(bound, found[-1][1] if found else 0.0))
        return sentences

    def _ids(self, filters: Filters, admitted: set[str]) -> list[str]:
        return [chunk for chunk, _ in self.lexical.chunks(filters.fields(), admitted)]


def _shares(filters: Filters, catalog: dict[str, DocumentInfo], count) -> list[tuple[str, int, int, set[str]]]:
    """(partition, records admitted, records in all, documents admitted) for each partition
    holding an admitted document, counted from the catalog."""
    total: dict[str, int] = {}
    admitted: dict[str, set[str]] = {}
    records: dict[str, int] = {}
    for document, info in catalog.items():
        part = partition(info.language)
        total[part] = total.get(part, 0) + count(info)
        if filters.admits(info):
            admitted.setdefault(part, set()).add(document)
            records[part] = records.get(part, 0) + count(info)
    return [(part, records[part], total[part], documents) for part, documents in admitted.items()]


def _best(found: list[tuple[str, float]], n: int) -> list[tuple[str, float]]:
    return sorted(found, key=lambda item: (-item[1], item[0]))[:n]


def fuse(dense: list[tuple[str, float]], lexical: list[tuple[str, float]], lexical_weight: float,
         exact: set[str], depth: int, named: Named = NOTHING_NAMED, unreadable: frozenset[str] = frozenset(),
         parts: frozenset[str] = frozenset(), across: list[tuple[str, float]] = (),
         across_share: float = TRANSLATED_SHARE["latin"]) -> list[Ranked]:
    """`unreadable`: chunks in another script than the question's, which BM25 cannot match:
    their dense score stands in for the lexical one, or every same-script paragraph the
    question's words touch would outrank them; `across` (BM25 of the question's words
    translated) takes `across_share` of it. `parts`: chunks of the operative parts
    addressed to whom the question names."""
    scores: dict[str, float] = {}
    # scaled among the unreadable only: an Arabic paragraph can hold the English word "ITU"
    across_scores = _scaled_bm25([(cid, value) for cid, value in across if cid in unreadable])
    for cid, value in _scaled_cosines(dense).items():
        if cid in unreadable:
            value = (1 - across_share) * value + across_share * across_scores.get(cid, 0.0)
        scores[cid] = (1 - LEXICAL_SHARE + (LEXICAL_SHARE * lexical_weight if cid in unreadable else 0)) * value
    for cid, value in _scaled_bm25(lexical).items():
        scores[cid] = scores.get(cid, 0.0) + LEXICAL_SHARE * lexical_weight * value
    for cid in exact:
        scores[cid] = scores.get(cid, 0.0) + EXACT_BONUS
    for cid in parts:
        scores[cid] = scores.get(cid, 0.0) + PART_BONUS
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
