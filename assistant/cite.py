"""Does a paragraph support a sentence? Used to check an LLM's [n] markers.

Support is lexical (shared tokens after Arabic normalization and stemming) or
semantic (e5 similarity to the paragraph's closest sentence), so an English
sentence citing an Arabic paragraph can be supported too.
"""
from __future__ import annotations

import numpy as np

from index.api import Sentence
from index.arabic import tokens

LEXICAL_SUPPORT = 0.5      # share of the claim's tokens found in one paragraph sentence
SEMANTIC_SUPPORT = 0.86    # e5 cosine between the claim and one paragraph sentence


def supporting_sentence(claim: str, claim_vector, sentences: list[Sentence]) -> str:
    """The paragraph sentence that best supports `claim`, or "" if none does."""
    words = set(tokens(claim))
    if not sentences or not words:
        return ""
    lexical = np.asarray([len(words & set(tokens(s.as_read))) / len(words) for s in sentences])
    semantic = np.stack([s.vector for s in sentences]) @ np.asarray(claim_vector, dtype=np.float32)
    # Put both on one scale (how far past its own bar each signal is) to choose the sentence.
    best = int(np.argmax(np.maximum(lexical - LEXICAL_SUPPORT, semantic - SEMANTIC_SUPPORT)))
    if lexical[best] >= LEXICAL_SUPPORT or semantic[best] >= SEMANTIC_SUPPORT:
        return sentences[best].text
    return ""
