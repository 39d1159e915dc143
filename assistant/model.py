"""What the assistant says: an Answer whose [n] markers resolve to Citations."""
from __future__ import annotations

from dataclasses import dataclass, field

from index.model import Hit


@dataclass
class Citation:
    n: int                     # the marker [n] in the answer text
    hit: Hit                   # the cited paragraph, with its full text
    quote: str = ""            # the sentence of the paragraph that supports the answer

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
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "question": self.question, "answer": self.text, "abstained": self.abstained,
            "citations": [c.to_json() for c in self.citations],
            "retrieved": [h.to_json() for h in self.retrieved],
            "mode": self.mode, "language": self.language, "search_query": self.search_query,
            "unsupported": self.unsupported, "timings_ms": self.timings_ms,
        }
