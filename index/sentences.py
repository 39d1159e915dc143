"""Sentences: the units the answerer quotes and the sentence index embeds.

Splitting knows Arabic punctuation (llama-index's splitters end sentences on
Latin punctuation only). Chunking, the sentence index and the extractive
answerer all cut a paragraph the same way, so a sentence embedded at index time
is found in the embedding cache at answer time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? ؟ ؛ followed by space, or at a line break. A full stop
# inside 1.2, C23/INF/9 or 1(Rev.1) has no space after it, so it never splits.
_SENTENCE_END = re.compile(r"(?<=[.!?؟؛])[\"'”»)]*\s+|\n+")
MIN_SENTENCE_CHARS = 12    # fragments shorter than this carry no answer on their own
SHORT_BLOCK_CHARS = 300    # a short front-matter block (date, author, "لا شيء.") is read whole


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


@dataclass(frozen=True)
class Unit:
    text: str                  # as printed: what an answer quotes
    as_read: str               # what the embedder reads


def reading_units(paragraph_id: str, section_title: str, text: str) -> list[Unit]:
    """The sentences of a paragraph. A short front-matter block is one unit, read
    with its label: "لا شيء." alone answers nothing, "الآثار المالية: لا شيء." answers
    a question about financial implications."""
    if paragraph_id.startswith("front."):
        if len(text) <= SHORT_BLOCK_CHARS:
            whole = " · ".join(line for line in text.splitlines() if line.strip())
            return [Unit(whole, f"{section_title}: {whole}")]
        return [Unit(s, f"{section_title}: {s}") for s in split_sentences(text) if len(s) >= MIN_SENTENCE_CHARS]
    return [Unit(s, s) for s in split_sentences(text) if len(s) >= MIN_SENTENCE_CHARS]
