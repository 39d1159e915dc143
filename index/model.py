"""The domain, from a document on disk to a ranked hit."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    """One citable unit of a document.

    `id` is the document's own logical number ("2.3") or a front-matter block
    name ("front.purpose"); `label` is the number as printed ("3.2" when the
    digits came out mirrored), shown next to the id so a reader can find it.
    """

    id: str
    text: str
    label: str = ""
    section: str = ""          # "2" for numbered paragraphs, "front" for front matter
    section_title: str = ""
    bullets: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    @property
    def full_text(self) -> str:
        """Text as a reader sees it: body, bullets, then footnotes."""
        parts = [self.text, *("• " + b for b in self.bullets)]
        parts += [f"[{n}] {f}" for n, f in enumerate(self.footnotes, 1)]
        return "\n".join(p for p in parts if p)


@dataclass
class Document:
    id: str
    paragraphs: list[Paragraph]
    path: str = ""
    symbol: str = ""
    title: str = ""
    date: str = ""             # ISO yyyy-mm-dd when known
    language: str = ""         # ISO 639-1 of the text: "ar", "en", ...
    original_language: str = ""
    author: str = ""
    session: str = ""          # council session, e.g. "C23"

    @property
    def year(self) -> str:
        return self.date[:4]


@dataclass
class Chunk:
    """What gets embedded: a paragraph, or one sentence-aligned part of a long one."""

    document: Document
    paragraph: Paragraph
    part: int
    text: str                  # the paragraph text of this part
    embed_text: str            # heading path + text: what the embedder sees

    @property
    def id(self) -> str:
        return f"{self.document.id}#{self.paragraph.id}#{self.part}"


@dataclass
class Hit:
    """A retrieved paragraph with the evidence that ranked it."""

    chunk_id: str
    document: str
    paragraph: str
    label: str
    language: str
    title: str
    date: str
    text: str
    score: float
    symbol: str = ""
    section_title: str = ""
    dense_rank: int | None = None
    lexical_rank: int | None = None
    exact_match: bool = False

    def to_json(self) -> dict:
        return {
            "document": self.document, "paragraph": self.paragraph, "label": self.label,
            "language": self.language, "title": self.title, "date": self.date,
            "symbol": self.symbol, "text": self.text, "score": round(self.score, 6),
            "dense_rank": self.dense_rank, "lexical_rank": self.lexical_rank,
        }
