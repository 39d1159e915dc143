"""Does a paragraph support a sentence? Used to check an LLM's [n] markers.

Resemblance is lexical (shared tokens after Arabic normalization and stemming) or
semantic (e5 similarity to one of the paragraph's sentences), so an English
sentence citing an Arabic paragraph can be supported too. Neither notices a
contradiction: e5 puts "held in 2025" next to "held in 2024", and "will not be
held" shares every word with "will be held". So a resembling sentence supports
the claim only if it also states every date, year, figure, place and identifier
the claim states, with the same polarity, and is not an instruction planted in
the document (see assistant.injection). Identifiers alone may come from another
sentence of the paragraph: they name what the paragraph is about ("LDC5 was held
in two parts. The second part was held in Doha..."), and sentences after the first
refer to it without repeating them.
"""
from __future__ import annotations

import numpy as np

from assistant.facts import Stated, stated
from assistant.injection import is_instruction
from assistant.negation import negated
from index.api import Sentence
from index.arabic import tokens

LEXICAL_SUPPORT = 0.5      # share of the claim's tokens found in one paragraph sentence


def supporting_sentence(claim: str, claim_vector, sentences: list[Sentence], semantic_support: float) -> str:
    """The paragraph sentence that best supports `claim`, or "" if none does.
    `semantic_support`: the embedder's cosine at which a sentence resembles the claim
    (assistant.calibration)."""
    words = set(tokens(claim))
    if not sentences or not words:
        return ""
    lexical = np.asarray([len(words & set(tokens(s.as_read))) / len(words) for s in sentences])
    semantic = np.stack([s.vector for s in sentences]) @ np.asarray(claim_vector, dtype=np.float32)
    # Put both on one scale (how far past its own bar each signal is) to rank the sentences;
    # the best resembling one may contradict the claim where a lesser one does not.
    margin = np.maximum(lexical - LEXICAL_SUPPORT, semantic - semantic_support)
    paragraph_codes = stated(" ".join(s.text for s in sentences)).codes
    for best in np.argsort(-margin, kind="stable"):
        if margin[best] < 0:
            break
        if not conflict(claim, sentences[best].text, paragraph_codes):
            return sentences[best].text
    return ""


def conflict(claim: str, sentence: str, paragraph_codes: frozenset[str] = frozenset()) -> str:
    """Why `sentence` cannot support `claim` however much it resembles it, or "".
    `paragraph_codes`: the identifiers of the sentence's paragraph (see above)."""
    if is_instruction(sentence):
        return "the sentence is an instruction, not a statement"
    if negated(claim) != negated(sentence):
        return "one of them is negated"
    return missing(stated(claim), stated(sentence), paragraph_codes)


def missing(claim: Stated, sentence: Stated, paragraph_codes: frozenset[str] = frozenset()) -> str:
    """What the claim states that the sentence does not ("" when nothing)."""
    codes = sentence.codes | paragraph_codes
    absent = ([f"identifier {code}" for code in sorted(claim.codes)
               if not any(c == code or c.endswith("/" + code) for c in codes)]  # 76/307 in A/RES/76/307
              + [f"place {place}" for place in sorted(claim.places - sentence.places)]
              + [f"year {year}" for year in sorted(claim.years - sentence.years)]
              + [f"date {date}" for date in claim.dates if not any(date.within(d) for d in sentence.dates)]
              + [f"figure {number}" for number in sorted(claim.numbers - sentence.numerals)])
    return "; ".join(absent)
