"""The offline answerer: pick the sentences of the top paragraphs that answer the
question, each cited. Never a dump of whole paragraphs."""
from __future__ import annotations

from dataclasses import dataclass

import re

import numpy as np

from index.arabic import tokens
from index.embed import EmbeddingCache
from index.model import Hit
from index.sentences import split_sentences

PARAGRAPHS_READ = 3        # sentences are taken from the top paragraphs only
MAX_SENTENCES = 2
MIN_SENTENCE_CHARS = 12    # fragments shorter than this carry no answer on their own
SHORT_BLOCK_CHARS = 300    # a short front-matter block (date, author, "لا شيء.") is read whole
ANSWER_TYPE_BONUS = 0.02   # about the gap between the best and the third-best sentence

_MONTH = ("يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر|"
          "January|February|March|April|May|June|July|August|September|October|November|December")
# What the question asks for, and what a sentence holding that answer must contain.
ANSWER_TYPES = [
    (re.compile(r"\b(when|what date|which year|what year)\b|متى|تاريخ|موعد|في أي عام", re.I),
     re.compile(rf"\b(1[89]|20)\d\d\b|{_MONTH}")),
    (re.compile(r"\bhow (many|much)\b|\bnumber of\b|كم |عدد", re.I), re.compile(r"\d")),
    (re.compile(r"\bresolution\b|القرار|قرار", re.I), re.compile(r"\d+/\d+|القرار \d+")),
]


@dataclass
class Sentence:
    hit_index: int
    text: str
    similarity: float          # e5 cosine, question vs sentence
    overlap: float             # share of the question's lexical tokens the sentence has
    score: float = 0.0


def score_sentences(question: str, question_vector: list[float], hits: list[Hit],
                    cache: EmbeddingCache) -> list[Sentence]:
    """Every sentence of the top paragraphs, scored against the question, best first."""
    candidates = [(i, s) for i, hit in enumerate(hits[:PARAGRAPHS_READ]) for s in _units(hit)]
    if not candidates:
        return []
    read = [_as_read(hits[i], s) for i, s in candidates]
    vectors, _ = cache.embed(read)
    similarities = np.asarray(vectors) @ np.asarray(question_vector)
    wanted = set(tokens(question))
    sentences = []
    for (i, text), as_read, similarity in zip(candidates, read, similarities):
        overlap = len(wanted & set(tokens(as_read))) / len(wanted) if wanted else 0.0
        # The paragraph's rank is evidence too: retrieval already weighed the whole paragraph.
        score = float(similarity) + 0.05 * overlap - 0.01 * i + _answer_type_bonus(question, text)
        sentences.append(Sentence(i, text, float(similarity), overlap, score))
    return sorted(sentences, key=lambda s: s.score, reverse=True)


def _units(hit: Hit) -> list[str]:
    """The sentences of a paragraph; a short front-matter block is one unit, since
    its lines (a date, an author, "none") mean little apart from their label."""
    if hit.paragraph.startswith("front.") and len(hit.text) <= SHORT_BLOCK_CHARS:
        return [" · ".join(line for line in hit.text.splitlines() if line.strip())]
    return [s for s in split_sentences(hit.text) if len(s) >= MIN_SENTENCE_CHARS]


def _as_read(hit: Hit, unit: str) -> str:
    """A front-matter block is read with its label: "لا شيء." alone answers nothing,
    "الآثار المالية: لا شيء." answers a question about financial implications."""
    return f"{hit.section_title}: {unit}" if hit.paragraph.startswith("front.") else unit


def _answer_type_bonus(question: str, sentence: str) -> float:
    """A "when" question is answered by a sentence with a date, "how many" by a number."""
    return sum(ANSWER_TYPE_BONUS for asks, holds in ANSWER_TYPES
               if asks.search(question) and holds.search(sentence))


def pick(sentences: list[Sentence]) -> list[Sentence]:
    """The best sentence, plus a runner-up that scores nearly as well."""
    if not sentences:
        return []
    best = sentences[0]
    chosen = [best] + [s for s in sentences[1:] if s.score >= best.score - 0.01][: MAX_SENTENCES - 1]
    return chosen
