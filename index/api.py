"""The index as the rest of the product sees it: search, paragraphs by id, the
catalog of documents, counts and sync. Nothing outside index/ touches the store,
the lexical index or a Chroma collection; the assistant, the UI and the evals
go through this class.

Another process may re-index the same data at any time. Every read first checks
the store's version number (one small read, at most every VERSION_TTL seconds);
when it moved, the lexical index catches up with the changed documents and the
vector index is reloaded, so a running chat sees added, changed and removed
paragraphs within seconds.
"""
from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.config import Config
from index.embed import Embedder, EmbeddingCache, load_embedder
from index.lexical import LexicalIndex
from index.model import DocumentInfo, Hit
from index.document_names import named_documents
from index.retrieve import CANDIDATES, SENTENCE_CANDIDATES, Filters, Ranked, Retriever
from index import schema
from index.schema import document_info, hit, paragraph_key, sentence_quote
from index.store import Store
from index.sync import Progress, Summary, sync

VERSION_TTL = 1.0          # seconds between two checks of the store's version


@dataclass
class Sentence:
    """A stored sentence of a paragraph, with its vector (for answers and citation checks)."""

    n: int
    text: str                  # as printed: what an answer quotes
    as_read: str               # what was embedded
    vector: np.ndarray


class Index:
    def __init__(self, config: Config, rebuild: bool = False, embedder: Embedder | None = None):
        self.config = config
        self.embedder = embedder or load_embedder(config.embedder)
        self.store = Store(config, self.embedder.model_name, self.embedder.dim, rebuild=rebuild)
        self.lexical = LexicalIndex(config.data_dir / "lexical.sqlite")
        self.retriever = Retriever(self.store, self.lexical)
        self.cache = EmbeddingCache(config.data_dir / "embeddings.sqlite", self.embedder)
        self._lock = threading.Lock()
        self._version: int | None = None
        self._checked_at = 0.0
        self._catalog: dict[str, DocumentInfo] = {}

    # --- keeping up with other processes ------------------------------------------------

    def fresh(self) -> None:
        """Catch up with changes made since the last look (by any process)."""
        if time.monotonic() - self._checked_at < VERSION_TTL and self._version is not None:
            return
        with self._lock:
            version = self.store.version()
            if version != self._version:
                if self._version is not None:
                    self.store.reopen()
                self._follow(version)
            self._checked_at = time.monotonic()

    def _follow(self, version: int) -> None:
        self.lexical.catch_up(self.store)
        self._catalog = {d: document_info(d, meta) for d, meta in self.store.documents().items()}
        self._version = version

    # --- writing ----------------------------------------------------------------------

    def sync(self, paths: list[Path], progress: Progress = lambda done, total: None) -> Summary:
        """Index the documents under `paths` (see index.sync). One indexer at a time per
        data folder: a second one waits for the first."""
        with self._indexer_lock():
            self.fresh()
            if self.store.version() != self._version:  # another process wrote since the last look
                self.store.reopen()
            # Searches go on meanwhile, on the store as it is at each moment.
            summary = sync(self.store, self.cache, self.embedder.token_count, paths, progress)
            with self._lock:
                self._follow(self.store.version())
        return summary

    @contextmanager
    def _indexer_lock(self):
        self.config.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.config.data_dir / "index.lock", "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                print(f"waiting for the index lock on {self.config.data_dir} (held by {holder})", file=sys.stderr)
                fcntl.flock(handle, fcntl.LOCK_EX)
            handle.seek(0)
            handle.truncate()
            handle.write(f"process {os.getpid()}")
            handle.flush()
            try:
                yield
            finally:
                handle.truncate(0)
                fcntl.flock(handle, fcntl.LOCK_UN)

    # --- reading ----------------------------------------------------------------------

    def embed_query(self, text: str) -> np.ndarray:
        return self.embedder.query(text)

    def embed_passage(self, text: str) -> np.ndarray:
        return self.embedder.passages([text])[0]

    def search(self, query: str, k: int = 5, filters: Filters = Filters(), vector=None, language: str = "") -> list[Hit]:
        """The k best paragraphs for `query`; pass `vector` when the query is already embedded.
        With `language` (the asker's), a provision indexed in several language versions is
        shown once, in that language when it has it, with the other versions linked."""
        self.fresh()
        vector = self.embed_query(query) if vector is None else vector
        named = named_documents(query, {d.id: d.title for d in self._catalog.values()},
                                {d.id: d.symbol for d in self._catalog.values()})
        languages = tuple(sorted({d.language for d in self._catalog.values() if d.language}))
        hits = self._hits(self.retriever.rank(query, vector, filters, k * 3, named, languages), k * 3)
        swap = language if not (filters.language or filters.document) else ""
        return self._link_versions(hits, swap)[:k]

    def _link_versions(self, hits: list[Hit], language: str) -> list[Hit]:
        """One hit per provision: the first-ranked version, or the one in `language` when the
        provision has it; `Hit.versions` names the other language versions of the provision."""
        out, seen = [], set()
        for found in hits:
            info = self._catalog.get(found.document)
            provision = (info.symbol if info and info.symbol else found.document, found.paragraph)
            if provision in seen:
                continue
            seen.add(provision)
            versions = {v.language: v.id for v in self.versions(found.document)}
            existing = self.store.chunks([schema.chunk_id(d, found.paragraph, 0) for d in versions.values()])
            versions = {lang: d for lang, d in versions.items() if schema.chunk_id(d, found.paragraph, 0) in existing}
            if language and found.language != language and language in versions:
                swapped = self.paragraph(versions.pop(language), found.paragraph)
                swapped.score, swapped.dense_rank, swapped.lexical_rank = found.score, found.dense_rank, found.lexical_rank
                versions[found.language] = found.document
                found = swapped
            found.versions = versions
            out.append(found)
        return out

    def rankings(self, query: str, vector) -> dict[str, list[tuple[str, float]]]:
        """Each retriever's own ranking of chunks, before fusion (for benchmarks)."""
        self.fresh()
        return {"dense": self.store.nearest_chunks(vector, CANDIDATES, None),
                "dense+sent": self.retriever.dense(vector, None),  # one language in a benchmark
                "lexical": self.lexical.search(query, CANDIDATES)}

    def _hits(self, ranked: list[Ranked], k: int) -> list[Hit]:
        """Hits for ranked chunks that still exist (another process may have just removed one)."""
        stored = self.store.chunks([r.chunk_id for r in ranked])
        first_parts = {r.chunk_id: _first_part(r.chunk_id) for r in ranked if r.chunk_id in stored}
        texts = {i: s.metadata.get("paragraph_text", s.text) for i, s in
                 self.store.chunks([p for p in first_parts.values() if p not in stored]).items()}
        texts.update({i: s.metadata.get("paragraph_text", s.text) for i, s in stored.items()})
        hits = []
        for r in ranked:
            if r.chunk_id not in stored or first_parts[r.chunk_id] not in texts:
                continue
            meta = stored[r.chunk_id].metadata
            found = hit(r.chunk_id, meta, texts[first_parts[r.chunk_id]], self._catalog.get(meta["document"]), r.score)
            found.dense_rank, found.lexical_rank, found.exact_match = r.dense_rank, r.lexical_rank, r.exact
            hits.append(found)
            if len(hits) == k:
                break
        return hits

    def document_paragraphs(self, document: str) -> list[Hit]:
        """Every paragraph of a document, in document order (for reading it whole)."""
        self.fresh()
        parts = sorted(self.store.chunks_where({"document": document}),
                       key=lambda s: (int(s.metadata.get("order", 0)), int(s.metadata.get("part", 0))))
        return [hit(s.id, s.metadata, s.metadata["paragraph_text"], self._catalog.get(document))
                for s in parts if int(s.metadata.get("part", 0)) == 0]

    def paragraph(self, document: str, paragraph: str) -> Hit | None:
        self.fresh()
        chunk_id = schema.chunk_id(document, paragraph, 0)
        stored = self.store.chunks([chunk_id]).get(chunk_id)
        if stored is None:
            return None
        return hit(chunk_id, stored.metadata, stored.metadata["paragraph_text"], self._catalog.get(document))

    def sentences(self, hits: list[Hit]) -> dict[tuple[str, str], list[Sentence]]:
        """The stored sentences (with vectors) of each hit's paragraph, in order. Read from
        the store, so every process sharing it answers from the same vectors."""
        found: dict[tuple[str, str], list[Sentence]] = {h.key: [] for h in hits}
        if not hits:
            return found
        clauses = [{"$and": [{"document": h.document}, {"paragraph": h.paragraph}]} for h in hits]
        where = clauses[0] if len(clauses) == 1 else {"$or": clauses}
        for stored in self.store.sentences_where(where, vectors=True):
            key = paragraph_key(stored.id)
            if key in found:
                found[key].append(Sentence(int(stored.metadata.get("n", 0)), sentence_quote(stored.text, stored.metadata),
                                           stored.text, np.asarray(stored.vector, dtype=np.float32)))
        for sentences in found.values():
            sentences.sort(key=lambda s: s.n)
        return found

    def background(self, vector, n: int = SENTENCE_CANDIDATES) -> list[float]:
        """Similarities of the question's nearest sentences in the whole corpus."""
        return [similarity for _, similarity in self.store.nearest_sentences(vector, n, None)]

    def versions(self, document: str) -> list[DocumentInfo]:
        """The other language versions of a document: the documents sharing its symbol."""
        self.fresh()
        symbol = self._catalog[document].symbol if document in self._catalog else ""
        return sorted((d for d in self._catalog.values() if symbol and d.symbol == symbol and d.id != document),
                      key=lambda d: d.language)

    def catalog(self) -> list[DocumentInfo]:
        self.fresh()
        return sorted(self._catalog.values(), key=lambda d: d.id)

    def count_paragraphs(self) -> int:
        self.fresh()
        return sum(d.paragraphs for d in self._catalog.values())


def _first_part(chunk_id: str) -> str:
    return schema.chunk_id(*paragraph_key(chunk_id), 0)
