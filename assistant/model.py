"""What the assistant says: an Answer whose [n] markers resolve to Citations."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.model import Hit

MARKER = re.compile(r"\[(\d+)\]")  # a citation marker in answer text: [1], [2]
_MARKER_AND_SPACE = re.compile(r"\s*" + MARKER.pattern)


def strip_markers(text: str) -> str:
    """The text without its citation markers (and the space before them)."""
    return _MARKER_AND_SPACE.sub("", text)


@dataclass
class Citation:
    n: int                     # the marker [n] in the answer text
    hit: Hit                   # the cited paragraph, with its full text
    quote: str = ""            # the sentences of the paragraph that support the answer

    def to_json(self) -> dict:
        return {"n": self.n, **self.hit.to_json(), "quote": self.quote}


@dataclass
class Answer:
    question: str
    text: str                  # the answer, with [n] markers
    citations: list[Citation]
    retrieved: list[Hit]
    abstained: bool = False
    mode: str = "extractive"
    language: str = "en"       # the question's language, which the answer's own words use
    search_query: str = ""     # the question as retrieval saw it (follow-ups carry earlier terms)
    unsupported: list[str] = field(default_factory=list)  # LLM sentences no paragraph supports
    llm_error: str = ""        # why the configured LLM did not answer (the answer is then extractive)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def cite(self, hit: Hit, quote: str) -> int:
        """The marker number for `hit`: a new one in order of first citation, or the one
        it already has (its quote then grows by `quote`)."""
        for citation in self.citations:
            if citation.hit.key == hit.key:
                if quote and quote not in citation.quote:
                    citation.quote = f"{citation.quote} {quote}".strip()
                return citation.n
        self.citations.append(Citation(len(self.citations) + 1, hit, quote))
        return len(self.citations)

    def to_json(self) -> dict:
        return {
            "question": self.question, "answer": self.text, "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [h.to_json() for h in self.retrieved],
            "mode": self.mode, "language": self.language, "search_query": self.search_query,
            "unsupported": self.unsupported, "llm_error": self.llm_error, "timings_ms": self.timings_ms,
        }
