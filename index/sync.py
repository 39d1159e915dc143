"""Bring the store in line with the documents on disk, embedding only what changed.

Three steps:
  plan   which files changed (a file whose stamp or bytes match the catalog is not
         read or parsed again), and for each changed document which records to
         write and which to delete, judged against what the store holds for it;
  embed  the records whose content is new (vectors come from a cache keyed by text
         hash, so nothing is ever embedded twice);
  apply  per document: sentences, then chunks, then deletions, then its catalog
         record, then the store's version. A run killed anywhere leaves every
         document either done or with a stale catalog record, which the next run
         sees and finishes.
Work grows with what changed, not with the corpus: nothing here reads a whole
collection, only the catalog (one record per document) and the changed documents.
"""
from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from index.chunk import chunk_document
from index.embed import EmbeddingCache
from index.formats import DocumentError
from index.ingest import file_state, find_documents, load_document, stamp_of
from index.model import Document
from index.schema import FileState, Record, chunk_record, digest, document_record, paragraph_key, sentence_record
from index.sentences import reading_units
from index.store import Store, partition
from index.structure import PARSER_VERSION

EMBED_BATCH = 32           # texts per embedder call: progress moves, a kill loses little

Progress = Callable[[int, int], None]


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

    def error(self, error: DocumentError) -> None:
        self.errors.append({"path": error.path, "error": error.reason})


@dataclass
class DocumentPlan:
    """What one changed document needs: records to write (with those to embed), ids to delete."""

    id: str
    catalog: dict
    chunks: list[Record]
    sentences: list[Record]
    pending: set[str]          # ids of the records whose content the store does not have yet
    stale_chunks: list[str]
    stale_sentences: list[str]
    old_partition: str | None  # the partition its records were in, when its language changed


@dataclass
class Plan:
    documents: list[DocumentPlan] = field(default_factory=list)
    catalog_only: dict[str, dict] = field(default_factory=dict)   # moved or touched files: new catalog records
    removed: list[str] = field(default_factory=list)


def sync(store: Store, cache: EmbeddingCache, count_tokens: Callable[[str], int], paths: list[Path],
         progress: Progress = lambda done, total: None) -> Summary:
    """Index the documents under `paths`; what was indexed from under them and is gone
    now is removed. Documents indexed from elsewhere are left alone."""
    started = time.monotonic()
    summary = Summary()
    plan = make_plan(store, count_tokens, paths, summary)
    total = sum(len(p.pending) for p in plan.documents)
    done = 0
    progress(0, total)
    for document in plan.documents:
        vectors = embed(document, cache, summary, lambda n: progress(done + n, total))
        done += len(document.pending)
        apply(store, document, vectors)
    for document_id, record in plan.catalog_only.items():
        store.put_document(document_id, record)
    for document_id in plan.removed:
        store.delete_document(document_id)
    if plan.documents or plan.catalog_only or plan.removed:
        store.bump_version()
    summary.seconds = round(time.monotonic() - started, 2)
    return summary


# --- plan --------------------------------------------------------------------------

def make_plan(store: Store, count_tokens: Callable[[str], int], paths: list[Path], summary: Summary) -> Plan:
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    catalog = store.documents()
    by_path = {meta.get("path"): document_id for document_id, meta in catalog.items()}
    found = find_documents(paths)
    for error in found.errors:
        summary.error(error)
    plan = Plan()
    seen: dict[str, str] = {}                 # document id -> path, in this run
    kept_paths = {str(Path(e.path).absolute()) for e in found.errors}
    for path, root in found.files:
        resolved = str(path.resolve())
        kept_paths.add(resolved)
        old_id = by_path.get(resolved)
        old = catalog.get(old_id) if old_id else None
        try:
            if old and old.get("stamp") == stamp_of(path) and old.get("parser") == PARSER_VERSION:
                _count_unchanged(summary, old)          # not read at all
                seen[old_id] = resolved
                continue
            state = file_state(path, root)
            moved = old_id or _moved_from(catalog, state)
            if moved and catalog[moved].get("sha256") == state.sha256 and catalog[moved].get("parser") == PARSER_VERSION:
                plan.catalog_only[moved] = {**catalog[moved], "path": state.path, "root": state.root,
                                            "stamp": state.stamp}
                _count_unchanged(summary, catalog[moved])
                seen[moved] = resolved
                continue
            document = load_document(path)
            document.id = _free_id(document, path, catalog, seen)
        except DocumentError as error:
            summary.error(error)
            continue
        except OSError as error:
            summary.error(DocumentError(path, f"cannot read: {error.strerror or error}"))
            continue
        seen[document.id] = resolved
        if old_id and old_id != document.id:
            plan.removed.append(old_id)       # the file now names another document (a sidecar changed)
        plan.documents.append(_plan_document(store, document, state, catalog.get(document.id), count_tokens,
                                             now, summary))
        summary.documents += 1
        summary.paragraphs += len(document.paragraphs)
    for document_id, meta in catalog.items():
        if _vanished(meta, paths, kept_paths) and document_id not in seen and document_id not in plan.removed:
            plan.removed.append(document_id)
            summary.removed += int(meta.get("paragraphs", 0))
    return plan


def _count_unchanged(summary: Summary, meta: dict) -> None:
    summary.documents += 1
    summary.paragraphs += int(meta.get("paragraphs", 0))
    summary.unchanged += int(meta.get("paragraphs", 0))


def _moved_from(catalog: dict[str, dict], state: FileState) -> str | None:
    """A catalogued document with these very bytes whose file is gone: the file moved."""
    for document_id, meta in catalog.items():
        if meta.get("sha256") == state.sha256 and not os.path.exists(meta.get("path", "")):
            return document_id
    return None


def _free_id(document: Document, path: Path, catalog: dict[str, dict], seen: dict[str, str]) -> str:
    """The document's id, unless another existing file holds it: then a file named like
    another in a different folder is qualified by its folder, and a second file claiming
    one symbol and language is refused."""
    resolved = str(path.resolve())

    def holder(document_id: str) -> str | None:
        other = seen.get(document_id) or catalog.get(document_id, {}).get("path")
        return other if other and other != resolved and os.path.exists(other) else None

    taken_by = holder(document.id)
    if not taken_by:
        return document.id
    if document.symbol:
        raise DocumentError(path, f"{document.symbol} in language {document.language or '?'} is already "
                                  f"indexed from {taken_by}; give one of them another symbol or language")
    candidate, n = f"{path.parent.name}/{document.id}", 2
    while holder(candidate):
        candidate, n = f"{path.parent.name}/{document.id}-{n}", n + 1
    return candidate


def _vanished(meta: dict, paths: list[Path], kept_paths: set[str]) -> bool:
    """Indexed from under one of `paths` (or from a folder that no longer exists) and
    no file there any more. A file that failed to read keeps what it had."""
    path = meta.get("path", "")
    if path in kept_paths or os.path.exists(path):
        return False
    roots = [str(p.resolve()) for p in paths]
    under = any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)
    return under or not os.path.isdir(meta.get("root", ""))


def _plan_document(store: Store, document: Document, state: FileState, old: dict | None, count_tokens,
                   now: str, summary: Summary) -> DocumentPlan:
    units = {p.id: reading_units(p.id, p.section_title, p.full_text) for p in document.paragraphs}
    sentences = [sentence_record(document, p.id, n, unit) for p in document.paragraphs
                 for n, unit in enumerate(units[p.id])]
    chunks = [chunk_record(c, len(units[c.paragraph.id])) for c in chunk_document(document, count_tokens)]
    part = partition(document.language)
    old_partition = partition(old.get("language", "")) if old else None
    old_partition = old_partition if old_partition != part else None
    where = {"document": document.id}
    stored_chunks = {s.id: s.metadata.get("hash") for s in store.chunks_where(where, text=False, part=part)}
    stored_sentences = {s.id: s.metadata.get("hash") for s in store.sentences_where(where, text=False, part=part)}
    wanted = {r.id for r in chunks}
    pending = {r.id for r in chunks if stored_chunks.get(r.id) != r.hash}
    pending |= {r.id for r in sentences if stored_sentences.get(r.id) != r.hash}
    stale_chunks = [i for i in stored_chunks if i not in wanted]
    stale_sentences = [i for i in stored_sentences if i not in {r.id for r in sentences}]

    stored_paragraphs = {paragraph_key(i) for i in stored_chunks}
    wanted_paragraphs = {paragraph_key(i) for i in wanted}
    touched = {paragraph_key(i) for i in pending | set(stale_chunks) | set(stale_sentences)}
    summary.added += len(wanted_paragraphs - stored_paragraphs)
    summary.updated += len((wanted_paragraphs & stored_paragraphs) & touched)
    summary.unchanged += len(wanted_paragraphs - touched)
    summary.removed += len(stored_paragraphs - wanted_paragraphs)

    content = digest(sorted(r.hash for r in chunks), sorted(r.hash for r in sentences))
    catalog = document_record(document, state, PARSER_VERSION, content, now, len(chunks), len(sentences))
    return DocumentPlan(document.id, catalog, chunks, sentences, pending, stale_chunks, stale_sentences, old_partition)


# --- embed -------------------------------------------------------------------------

def embed(plan: DocumentPlan, cache: EmbeddingCache, summary: Summary, progress: Callable[[int], None]) -> dict:
    """Vectors of the document's pending records, by record id."""
    todo = [r for r in plan.sentences + plan.chunks if r.id in plan.pending]
    vectors = {}
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start:start + EMBED_BATCH]
        batch_vectors, computed = cache.embed([r.embed_text for r in batch])
        summary.embedded += computed
        vectors.update(zip((r.id for r in batch), batch_vectors))
        progress(min(start + EMBED_BATCH, len(todo)))
    return vectors


# --- apply -------------------------------------------------------------------------

def apply(store: Store, plan: DocumentPlan, vectors: dict) -> None:
    if plan.old_partition:  # its language changed: what it had in the other partition goes first
        store.delete_records(plan.id, plan.old_partition)
    # Sentences first: a paragraph whose chunk is stored has its sentences stored too.
    sentences = [r for r in plan.sentences if r.id in vectors]
    store.upsert_sentences(sentences, [vectors[r.id] for r in sentences])
    chunks = [r for r in plan.chunks if r.id in vectors]
    store.upsert_chunks(chunks, [vectors[r.id] for r in chunks])
    store.delete_chunks(plan.stale_chunks)
    store.delete_sentences(plan.stale_sentences)
    store.put_document(plan.id, plan.catalog)
    store.bump_version()
