"""The domain, from a document on disk to a ranked hit."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Paragraph:
    """One citable unit of a document: the smallest provision it numbers.

    `id` is the number the document prints, in a language-neutral form, unique
    within the document ("2.3", "Article 63.1", "4.b", "CS 173", "front.purpose");
    it is the same in every language version of the document. `label` is the
    number as printed when it differs ("3.2" when the digits came out mirrored,
    "المادة 12"). `headings` is the heading path above it, outermost first.
    """

    id: str
    text: str
    label: str = ""
    headings: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    def is_of(self, documents: frozenset[str]) -> bool:
        """Whether the hit is from one of `documents`, or is a provision one of them holds in
        another language version."""
        return self.document in documents or not documents.isdisjoint(self.versions.values())

    @property
    def section_title(self) -> str:
        return self.headings[-1] if self.headings else ""

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
    order: int                 # the paragraph's position in its document
    part: int
    text: str                  # the paragraph text of this part
    embed_text: str            # heading path + text: what the embedder and BM25 see


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
    headings: list[str] = field(default_factory=list)
    order: int = 0
    versions: dict[str, str] = field(default_factory=dict)  # language -> document: the same provision there
    dense_rank: int | None = None
    lexical_rank: int | None = None
    exact_match: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return self.document, self.paragraph

    def is_of(self, documents: frozenset[str]) -> bool:
        """Whether the hit is from one of `documents`, or is a provision one of them holds in
        another language version."""
        return self.document in documents or not documents.isdisjoint(self.versions.values())

    @property
    def section_title(self) -> str:
        return self.headings[-1] if self.headings else ""

    def to_json(self) -> dict:
        return {
            "document": self.document, "paragraph": self.paragraph, "label": self.label,
            "language": self.language, "title": self.title, "date": self.date,
            "symbol": self.symbol, "headings": self.headings, "text": self.text, "score": round(self.score, 6),
            "versions": self.versions,
            "dense_rank": self.dense_rank, "lexical_rank": self.lexical_rank,
        }


@dataclass
class DocumentInfo:
    """One row of the catalog: an indexed document and the file it came from."""

    id: str
    path: str
    title: str = ""
    symbol: str = ""
    language: str = ""
    date: str = ""
    paragraphs: int = 0
    indexed_at: str = ""
    chunks: int = 0            # its records in the store
    sentences: int = 0

    @property
    def year(self) -> str:
        return self.date[:4]

    def to_json(self) -> dict:
        return {"document": self.id, "path": self.path, "title": self.title, "symbol": self.symbol,
                "language": self.language, "date": self.date, "paragraphs": self.paragraphs,
                "indexed_at": self.indexed_at}
