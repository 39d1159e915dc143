"""Does a paragraph support a sentence? Used to check an LLM's [n] markers.

Support is lexical (shared tokens after Arabic normalization and stemming) or
semantic (e5 similarity to the paragraph's closest sentence), so an English
sentence citing an Arabic paragraph can be supported too.
"""
from __future__ import annotations

import re

import numpy as np

from index.arabic import tokens
from index.embed import EmbeddingCache
from index.model import Hit
from index.sentences import reading_units

LEXICAL_SUPPORT = 0.5      # share of the sentence's tokens found in the paragraph sentence
SEMANTIC_SUPPORT = 0.86    # e5 cosine between the sentence and a paragraph sentence
MARKER = re.compile(r"\s*\[(\d+)\]")


def supporting_sentence(sentence: str, hit: Hit, embedder, cache: EmbeddingCache) -> str:
    """The paragraph sentence that best supports `sentence`, or "" if none does."""
    claim = set(tokens(sentence))
    units = reading_units(hit.paragraph, hit.section_title, hit.text)
    if not units or not claim:
        return ""
    candidates = [unit.text for unit in units]
    lexical = [len(claim & set(tokens(u.as_read))) / len(claim) for u in units]
    vectors, _ = cache.embed([u.as_read for u in units] + [sentence])
    vectors = np.asarray(vectors)
    semantic = vectors[:-1] @ vectors[-1]
    best = int(np.argmax(np.maximum(np.asarray(lexical), semantic - SEMANTIC_SUPPORT + LEXICAL_SUPPORT)))
    if lexical[best] >= LEXICAL_SUPPORT or semantic[best] >= SEMANTIC_SUPPORT:
        return candidates[best]
    return ""
