"""The offline answerer: pick the sentences of the top paragraphs that answer the
question, each cited. Never a dump of whole paragraphs."""
from __future__ import annotations

from dataclasses import dataclass

import re

import numpy as np

from index.arabic import tokens
from index.embed import EmbeddingCache
from index.model import Hit
from index.sentences import reading_units

PARAGRAPHS_READ = 3        # sentences are taken from the top paragraphs only
MAX_SENTENCES = 2
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
    candidates = [(i, unit) for i, hit in enumerate(hits[:PARAGRAPHS_READ])
                  for unit in reading_units(hit.paragraph, hit.section_title, hit.text)]
    if not candidates:
        return []
    # Indexing embedded these very texts (index.sync), so this is a cache lookup.
    vectors, _ = cache.embed([unit.as_read for _, unit in candidates])
    similarities = np.asarray(vectors) @ np.asarray(question_vector)
    wanted = set(tokens(question))
    sentences = []
    for (i, unit), similarity in zip(candidates, similarities):
        overlap = len(wanted & set(tokens(unit.as_read))) / len(wanted) if wanted else 0.0
        # The paragraph's rank is evidence too: retrieval already weighed the whole paragraph.
        score = float(similarity) + 0.05 * overlap - 0.01 * i + _answer_type_bonus(question, unit.text)
        sentences.append(Sentence(i, unit.text, float(similarity), overlap, score))
    return sorted(sentences, key=lambda s: s.score, reverse=True)


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
