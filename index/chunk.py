"""Paragraph -> Chunks: one per paragraph, split at sentence ends only when the
paragraph exceeds the embedder's input limit. A chunk never spans two paragraphs."""
from __future__ import annotations

from typing import Callable

from index.model import Chunk, Document, Paragraph
from index.sentences import split_sentences

# multilingual-e5 reads 512 tokens; leave room for the "passage: " prefix and the heading.
MAX_TOKENS = 480


def heading(document: Document, paragraph: Paragraph) -> str:
    """The heading path the embedder sees in front of the text."""
    return " > ".join(part for part in (document.title, *paragraph.headings) if part)


def chunk_document(document: Document, count_tokens: Callable[[str], int]) -> list[Chunk]:
    chunks = []
    for order, paragraph in enumerate(document.paragraphs):
        head = heading(document, paragraph)
        budget = MAX_TOKENS - count_tokens(head)
        for part, text in enumerate(_pack(paragraph.full_text, budget, count_tokens)):
            chunks.append(Chunk(document, paragraph, order, part, text, f"{head}\n{text}" if head else text))
    return chunks


def _pack(text: str, budget: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Greedily pack whole sentences into parts of at most `budget` tokens. Each
    sentence is counted once (with its special tokens, so the sum errs on the safe
    side): recounting the growing part would cost the square of a long paragraph."""
    if count_tokens(text) <= budget:
        return [text]
    parts, current, used = [], [], 0
    for sentence in split_sentences(text):
        cost = count_tokens(sentence)
        if current and used + cost > budget:
            parts.append(" ".join(current))
            current, used = [], 0
        current.append(sentence)  # a single over-long sentence stays whole; the embedder truncates it
        used += cost
    return parts + [" ".join(current)] if current else parts
