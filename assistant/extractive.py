"""The offline answerer: pick the sentences of the top paragraphs that answer the
question, each cited. Never a dump of whole paragraphs."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.arabic import tokens
from index.embed import EmbeddingCache
from index.model import Hit
from index.sentences import split_sentences

PARAGRAPHS_READ = 3        # sentences are taken from the top paragraphs only
MAX_SENTENCES = 2
MIN_SENTENCE_CHARS = 12    # labels like "الغرض" or a lone date line carry no answer on their own


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
    candidates = [(i, s) for i, hit in enumerate(hits[:PARAGRAPHS_READ])
                  for s in split_sentences(hit.text) if len(s) >= MIN_SENTENCE_CHARS]
    if not candidates:
        return []
    vectors, _ = cache.embed([s for _, s in candidates])
    similarities = np.asarray(vectors) @ np.asarray(question_vector)
    wanted = set(tokens(question))
    sentences = []
    for (i, text), similarity in zip(candidates, similarities):
        overlap = len(wanted & set(tokens(text))) / len(wanted) if wanted else 0.0
        # The paragraph's rank is evidence too: retrieval already weighed the whole paragraph.
        score = float(similarity) + 0.05 * overlap - 0.01 * i
        sentences.append(Sentence(i, text, float(similarity), overlap, score))
    return sorted(sentences, key=lambda s: s.score, reverse=True)


def pick(sentences: list[Sentence]) -> list[Sentence]:
    """The best sentence, plus a runner-up that scores nearly as well."""
    if not sentences:
        return []
    best = sentences[0]
    chosen = [best] + [s for s in sentences[1:] if s.score >= best.score - 0.01][: MAX_SENTENCES - 1]
    return chosen
