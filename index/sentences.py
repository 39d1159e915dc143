"""Sentence splitting that knows Arabic punctuation.

Shared by chunking (long paragraphs split at sentence ends) and the extractive
answerer. llama-index's splitters end sentences on Latin punctuation only.
"""
from __future__ import annotations

import re

# A sentence ends at . ! ? ؟ ؛ followed by space, or at a line break. A full stop
# inside 1.2, C23/INF/9 or 1(Rev.1) has no space after it, so it never splits.
_SENTENCE_END = re.compile(r"(?<=[.!?؟؛])[\"'”»)]*\s+|\n+")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]
