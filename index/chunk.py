"""Paragraph -> Chunks: one per paragraph, split at sentence ends only when the
paragraph exceeds the embedder's input limit (at clause ends inside a sentence
that is longer than the limit by itself). A chunk never spans two paragraphs."""
from __future__ import annotations

import re
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


# Where a sentence too long for the embedder is cut: after a clause, else between words.
_CLAUSE_END = re.compile(r"(?<=[,;:،؛])\s+")
_WORD_GAP = re.compile(r"\s+")


def _pack(text: str, budget: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Greedily pack whole sentences into parts of at most `budget` tokens. Each
    sentence is counted once (with its special tokens, so the sum errs on the safe
    side): recounting the growing part would cost the square of a long paragraph.
    A sentence longer than the budget by itself (a treaty preamble is one sentence
    of clauses) is packed the same way from its clauses, and a clause from its words."""
    if count_tokens(text) <= budget:
        return [text]
    return _greedy(split_sentences(text), budget, count_tokens, [_CLAUSE_END, _WORD_GAP])


def _greedy(pieces: list[str], budget: int, count_tokens: Callable[[str], int], finer: list[re.Pattern]) -> list[str]:
    """Pack pieces into parts of at most `budget` tokens; a piece over the budget by
    itself is first cut with the next finer pattern (a single word stays whole)."""
    parts, current, used = [], [], 0
    for piece in pieces:
        cost = count_tokens(piece)
        if cost > budget and finer:
            sized = [(part, count_tokens(part)) for part in _greedy(finer[0].split(piece), budget, count_tokens, finer[1:])]
        else:
            sized = [(piece, cost)]
        for part, part_cost in sized:
            if current and used + part_cost > budget:
                parts.append(" ".join(current))
                current, used = [], 0
            current.append(part)
            used += part_cost
    return parts + [" ".join(current)] if current else parts
