"""Bring the store in line with the documents on disk, embedding only what changed.

Order makes a killed run harmless: vectors come from a cache keyed by text hash,
upserts go in batches as they are embedded, and deletions come last. A re-run
reads the store's true state and converges; the lexical side is derived from
the store (index.lexical), so it cannot disagree with it.
"""
from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from index.chunk import chunk_document
from index.embed import EmbeddingCache
from index.formats import DocumentError
from index.ingest import find_documents, load_document
from index.model import Chunk
from index.retrieve import Retriever

BATCH = 32


@dataclass
class Summary:
    documents: int = 0
    paragraphs: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0
    seconds: float = 0.0
    errors: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def metadata(chunk: Chunk, indexed_at: str) -> dict:
    doc, para = chunk.document, chunk.paragraph
    meta = {
        "document": doc.id, "symbol": doc.symbol, "title": doc.title, "date": doc.date,
        "year": int(doc.year) if doc.year.isdigit() else 0, "language": doc.language,
        "session": doc.session, "path": str(Path(doc.path).resolve()), "paragraph": para.id,
        "label": para.label, "section": para.section, "section_title": para.section_title,
        "part": chunk.part, "paragraph_text": para.full_text,
    }
    meta["hash"] = hashlib.sha256(json.dumps([chunk.embed_text, meta], ensure_ascii=False).encode()).hexdigest()[:24]
    meta["indexed_at"] = indexed_at
    return meta


def sync(retriever: Retriever, paths: list[Path], progress: Callable[[int, int], None] = lambda done, total: None) -> Summary:
    """Index the documents under `paths`; what was indexed from under them and is
    gone now is removed. Documents elsewhere in the store are left alone."""
    started = time.monotonic()
    summary = Summary()
    store, embedder = retriever.store, retriever.embedder
    cache = EmbeddingCache(retriever.config.data_dir / "embeddings.sqlite", embedder)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")

    wanted: dict[str, tuple[Chunk, dict]] = {}
    failed_paths: set[str] = set()
    source_of: dict[str, Path] = {}
    for path in find_documents(paths):
        try:
            document = load_document(path)
            if document.id in source_of:
                raise DocumentError(path, f"document id {document.id!r} is already taken by {source_of[document.id]}; "
                                          "give one of them a distinct name or symbol")
            source_of[document.id] = path
        except DocumentError as error:
            summary.errors.append({"path": error.path, "error": error.reason})
            failed_paths.add(str(path.resolve()))
            continue
        summary.documents += 1
        summary.paragraphs += len(document.paragraphs)
        for chunk in chunk_document(document, embedder.token_count):
            wanted[chunk.id] = (chunk, metadata(chunk, now))

    stored = store.manifest()
    roots = [str(p.resolve()) for p in paths]
    in_scope = {cid: m for cid, m in stored.items()
                if any(m.get("path", "") == r or m.get("path", "").startswith(r.rstrip("/") + "/") for r in roots)
                and m.get("path") not in failed_paths}  # a file that failed to parse keeps what it had

    changed = [cid for cid, (_, meta) in wanted.items() if stored.get(cid, {}).get("hash") != meta["hash"]]
    stale = [cid for cid in in_scope if cid not in wanted]
    _count_paragraphs(summary, wanted, stored, changed, stale, in_scope)

    progress(0, len(changed))
    for start in range(0, len(changed), BATCH):
        batch = [wanted[cid] for cid in changed[start:start + BATCH]]
        vectors, computed = cache.embed([chunk.embed_text for chunk, _ in batch])
        summary.embedded += computed
        # The stored text is what was embedded (heading path + text): lexical search sees the headings too.
        store.upsert([c.id for c, _ in batch], [c.embed_text for c, _ in batch], vectors, [m for _, m in batch])
        progress(min(start + BATCH, len(changed)), len(changed))
    store.delete(stale)
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


def _count_paragraphs(summary: Summary, wanted, stored, changed, stale, in_scope) -> None:
    """Paragraph-level counts: a paragraph is added, updated, unchanged or removed."""
    def paragraph(cid: str) -> str:
        return cid.rsplit("#", 1)[0]

    stored_paragraphs = {paragraph(c) for c in stored}
    wanted_paragraphs = {paragraph(c) for c in wanted}
    touched = {paragraph(c) for c in changed} | {paragraph(c) for c in stale}
    summary.added = len(wanted_paragraphs - stored_paragraphs)
    summary.updated = len((wanted_paragraphs & stored_paragraphs) & touched)
    summary.unchanged = len(wanted_paragraphs - touched)
    summary.removed = len({paragraph(c) for c in in_scope} - wanted_paragraphs)
