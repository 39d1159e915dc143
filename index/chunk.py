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
    return " > ".join(part for part in (document.title, paragraph.section_title) if part)


def chunk_document(document: Document, count_tokens: Callable[[str], int]) -> list[Chunk]:
    chunks = []
    for paragraph in document.paragraphs:
        head = heading(document, paragraph)
        budget = MAX_TOKENS - count_tokens(head)
        for part, text in enumerate(_pack(paragraph.full_text, budget, count_tokens)):
            chunks.append(Chunk(document, paragraph, part, text, f"{head}\n{text}" if head else text))
    return chunks


def _pack(text: str, budget: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Greedily pack whole sentences into parts of at most `budget` tokens."""
    if count_tokens(text) <= budget:
        return [text]
    parts, current = [], ""
    for sentence in split_sentences(text):
        candidate = f"{current} {sentence}".strip()
        if current and count_tokens(candidate) > budget:
            parts.append(current)
            candidate = sentence  # a single over-long sentence stays whole; the embedder truncates it
        current = candidate
    return parts + [current] if current else parts
