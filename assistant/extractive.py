"""The offline answerer: pick the sentences of the top paragraphs that answer the
question, each cited. Never a dump of whole paragraphs."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index.api import Sentence
from index.arabic import tokens
from index.model import Hit

PARAGRAPHS_READ = 3        # sentences are taken from the top paragraphs only
MAX_SENTENCES = 2
OVERLAP_WEIGHT = 0.05      # a sentence sharing every question word gains about the gap between 1st and 3rd
RANK_PENALTY = 0.01        # per paragraph rank: retrieval already weighed the whole paragraph
ANSWER_TYPE_BONUS = 0.02   # about the gap between the best and the third-best sentence
RUNNER_UP_WITHIN = 0.01    # a second sentence is quoted only when it scores nearly as well

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
class Scored:
    hit_index: int             # which retrieved paragraph the sentence is from
    n: int                     # its position in that paragraph
    text: str                  # as printed
    similarity: float          # e5 cosine, question vs sentence
    overlap: float             # share of the question's lexical tokens the sentence has
    score: float = 0.0


def score_sentences(question: str, vector, hits: list[Hit], sentences: dict) -> list[Scored]:
    """Every sentence of the top paragraphs, scored against the question, best first."""
    candidates = [(i, s) for i, hit in enumerate(hits[:PARAGRAPHS_READ]) for s in sentences.get(hit.key, [])]
    if not candidates:
        return []
    similarities = np.stack([s.vector for _, s in candidates]) @ np.asarray(vector, dtype=np.float32)
    wanted = set(tokens(question))
    scored = []
    for (i, sentence), similarity in zip(candidates, similarities):
        overlap = len(wanted & set(tokens(sentence.as_read))) / len(wanted) if wanted else 0.0
        score = float(similarity) + OVERLAP_WEIGHT * overlap - RANK_PENALTY * i + _answer_type_bonus(question, sentence)
        scored.append(Scored(i, sentence.n, sentence.text, float(similarity), overlap, score))
    return sorted(scored, key=lambda s: (-s.score, s.hit_index, s.n))


def _answer_type_bonus(question: str, sentence: Sentence) -> float:
    """A "when" question is answered by a sentence with a date, "how many" by a number."""
    return sum(ANSWER_TYPE_BONUS for asks, holds in ANSWER_TYPES
               if asks.search(question) and holds.search(sentence.text))


def pick(scored: list[Scored]) -> list[Scored]:
    """The best sentence, plus a runner-up that scores nearly as well."""
    if not scored:
        return []
    best = scored[0]
    return [best] + [s for s in scored[1:] if s.score >= best.score - RUNNER_UP_WITHIN][: MAX_SENTENCES - 1]
