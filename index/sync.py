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
from index.sentences import reading_units

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

    # The stored text is what was embedded (heading path + text): lexical search sees the headings too.
    pending = [Pending(store.upsert, c.id, c.embed_text, c.embed_text, m) for c, m in (wanted[cid] for cid in changed)]
    sentences = _sentences(wanted, store.upsert_sentences)
    stored_sentences = store.sentence_manifest()
    pending += [item for item in sentences.values()
                if stored_sentences.get(item.id, {}).get("hash") != item.metadata["hash"]]
    progress(0, len(pending))
    for start in range(0, len(pending), BATCH):
        batch = pending[start:start + BATCH]
        vectors, computed = cache.embed([item.embed_text for item in batch])
        summary.embedded += computed
        for write in (store.upsert_sentences, store.upsert):  # sentences first: a chunk marks its paragraph done
            items = [(item, vector) for item, vector in zip(batch, vectors) if item.write == write]
            write([i.id for i, _ in items], [i.text for i, _ in items], [v for _, v in items], [i.metadata for i, _ in items])
        progress(min(start + BATCH, len(pending)), len(pending))

    # Deletions last, judged against what the store now holds, so a killed run's leftovers go too.
    store.delete(stale)
    live = {cid.rsplit("#", 1)[0] for cid in set(stored) - set(stale) | set(wanted)}
    store.delete_sentences([sid for sid in stored_sentences if sid not in sentences
                            and (sid.rsplit("#", 1)[0] not in live or sid.rsplit("#", 1)[0] in _keys(wanted))])
    retriever.refresh()
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


@dataclass
class Pending:
    """A text to embed and the write that stores it."""
    write: Callable
    id: str
    embed_text: str
    text: str
    metadata: dict


def _keys(wanted: dict[str, tuple[Chunk, dict]]) -> set[str]:
    return {cid.rsplit("#", 1)[0] for cid in wanted}


def _sentences(wanted: dict[str, tuple[Chunk, dict]], write: Callable) -> dict[str, Pending]:
    """The sentence records every wanted paragraph should have, by id "<doc>#<paragraph>#s<n>"."""
    records: dict[str, Pending] = {}
    for chunk, meta in wanted.values():
        if chunk.part:
            continue  # sentences are per paragraph: its first chunk speaks for it
        paragraph = chunk.paragraph
        key = chunk.id.rsplit("#", 1)[0]
        for n, unit in enumerate(reading_units(paragraph.id, paragraph.section_title, paragraph.full_text)):
            sentence_meta = {name: meta[name] for name in ("document", "language", "year", "paragraph")}
            sentence_meta["hash"] = hashlib.sha256(unit.as_read.encode()).hexdigest()[:24]
            records[f"{key}#s{n}"] = Pending(write, f"{key}#s{n}", unit.as_read, unit.text, sentence_meta)
    return records


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
