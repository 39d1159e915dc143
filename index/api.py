"""The index as the rest of the product sees it: search, paragraphs by id, the
catalog of documents, counts and sync. Nothing outside index/ touches the store,
the lexical index or a Chroma collection; the assistant, the UI and the evals
go through this class.

Another process may re-index the same data at any time. Every read first checks
the store's version number (one small read, at most every VERSION_TTL seconds);
when it moved, the catalog and the lexical index catch up with the changed
documents at once (work in proportion to the change), and an embedded store's
vector indexes are loaded anew on a thread of their own while searches go on with
the ones already in memory; the new ones replace them when loaded, and the old
ones' memory is freed as soon as no search uses them. So a running chat sees
added, changed and removed paragraphs within seconds, and no search waits for a
vector index to load.
"""
from __future__ import annotations

import fcntl
import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

from index.bilingual import rendered, translated
from index.config import Config
from index.embed import Embedder, EmbeddingCache, load_embedder
from index.lexical import LexicalIndex
from index.model import DocumentInfo, Hit
from index.document_names import DocumentNames, Named
from index.provision_refs import ProvisionRef
from index.language import language_script, script
from index.retrieve import ACROSS_MIX, CANDIDATES, SENTENCE_CANDIDATES, Filters, QueryVectors, Ranked, Retriever
from index import schema
from index.schema import document_info, hit, paragraph_key, sentence_quote
from index.store import Store

if TYPE_CHECKING:  # indexing (parsers, file formats) loads only when an index run starts
    from index.sync import Progress, Summary

VERSION_TTL = 1.0          # seconds between two checks of the store's version


@dataclass
class Sentence:
    """A stored sentence of a paragraph, with its vector (for answers and citation checks)."""

    n: int
    text: str                  # as printed: what an answer quotes
    as_read: str               # what was embedded
    vector: np.ndarray


class _Generation:
    """A store and the retriever over it; closed once replaced and no reader holds it."""

    def __init__(self, store: Store, lexical: LexicalIndex, version: int):
        self.store, self.version = store, version
        self.retriever = Retriever(store, lexical)
        self.readers = 0


class Index:
    def __init__(self, config: Config, rebuild: bool = False, embedder: Embedder | None = None):
        self.config = config
        self.embedder = embedder or load_embedder(config.embedder)
        self.lexical = LexicalIndex(config.data_dir / "lexical.sqlite")
        store = Store(config, self.embedder.model_name, self.embedder.dim, rebuild=rebuild)
        self._generation = _Generation(store, self.lexical, store.version())
        self.cache = EmbeddingCache(config.data_dir / "embeddings.sqlite", self.embedder)
        self._lock = threading.Lock()          # one catch-up at a time
        self._swap = threading.Condition()     # guards the generation and its reader counts
        self._loading: threading.Thread | None = None
        self._version: int | None = None       # what the catalog and the lexical index reflect
        self._checked_at = 0.0
        self._catalog: dict[str, DocumentInfo] = {}
        self._names = DocumentNames({}, {})
        self._records: dict[str, dict] = {}    # the catalog as stored

    @property
    def store(self) -> Store:
        return self._generation.store

    # --- keeping up with other processes ------------------------------------------------

    def fresh(self) -> None:
        """Catch up with changes made since the last look (by any process)."""
        if time.monotonic() - self._checked_at < VERSION_TTL and self._version is not None:
            return
        with self._lock, self._reading() as generation:
            version = generation.store.version()
            if version != self._version:
                self._follow(generation.store, version)
            if generation.store.embedded and version > generation.version:
                self._load_in_background()
            self._checked_at = time.monotonic()

    def _follow(self, store: Store, version: int) -> None:
        """The catalog (reading only the records changed since the last look) and the
        lexical index caught up with the store."""
        catalog = store.documents(self._records, self._version or 0) if self._version is not None \
            else store.documents()
        self.lexical.catch_up(store, catalog)
        self._records = catalog
        self._catalog = {d: document_info(d, meta) for d, meta in catalog.items()}
        self._names = DocumentNames({d.id: d.title for d in self._catalog.values()},
                                    {d.id: d.symbol for d in self._catalog.values()})
        self._version = version

    def _load_in_background(self) -> None:
        if self._loading is None or not self._loading.is_alive():
            self._loading = threading.Thread(target=self._load, name="council-index-load", daemon=True)
            self._loading.start()

    def _load(self) -> None:
        """Open the store anew (loading its vector indexes) until it is as new as the
        version on disk, then put it in place of the one searches use. It starts when no
        search is running (the one that noticed the change included): on two cores a
        load beside a search slows it down."""
        while True:
            with self._swap:
                self._swap.wait_for(lambda: self._generation.readers == 0)
            with self._reading() as current:
                version = current.store.version()
                if version <= current.version:
                    return
                store = current.store.fresh()
            self._replace(store, version)

    def _replace(self, store: Store, version: int) -> None:
        """Put `store` in place of the one searches use, then free the old one once the
        searches still reading it are done (here, not in a search's own time)."""
        with self._swap:
            old = self._generation
            if old.version >= version:   # an index run in this process got there first
                retired = _Generation(store, self.lexical, version)
            else:
                self._generation, retired = _Generation(store, self.lexical, version), old
            self._swap.wait_for(lambda: retired.readers == 0)
        retired.store.close()

    @contextmanager
    def _reading(self) -> Iterator[_Generation]:
        """The generation to read from; it stays open until the reader is done."""
        with self._swap:
            generation = self._generation
            generation.readers += 1
        try:
            yield generation
        finally:
            with self._swap:
                generation.readers -= 1
                self._swap.notify_all()

    # --- writing ----------------------------------------------------------------------

    def sync(self, paths: list[Path], progress: Progress = lambda done, total: None) -> Summary:
        """Index the documents under `paths` (see index.sync). One indexer at a time per
        data folder: a second one waits for the first."""
        from index.sync import sync
        with self._indexer_lock():
            store = self.store
            version = store.version()
            if store.embedded and version != self._generation.version:
                # Writing into vector indexes older than the store's would lose what another
                # process wrote since they were loaded.
                self._replace(store.fresh(), version)
            with self._reading() as generation:
                # Searches go on meanwhile, on the store as it is at each moment.
                summary = sync(generation.store, self.cache, self.embedder.token_count, paths, progress)
                version = generation.store.version()
                generation.version = version   # it holds every write up to its own
                with self._lock:
                    self._follow(generation.store, version)
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

    def query_vectors(self, query: str, vector: np.ndarray, filters: Filters = Filters()) -> QueryVectors:
        """`vector` for the question's own script; when `filters` admit texts in the other
        script (English for an Arabic question: ACROSS_MIX), the question's translated words
        embedded and mixed in (QueryVectors). Otherwise no second embedding is paid for."""
        asked_in = script(query)
        across = {"ar": "latin", "latin": "ar"}.get(asked_in)
        mix = ACROSS_MIX.get(asked_in, 0.0)
        admitted = mix > 0 and any(language_script(d.language) == across and filters.admits(d) for d in self._catalog.values())
        words = rendered(query) if admitted else ""
        if not words:
            return QueryVectors(vector, asked_in)
        mixed = vector + mix * self.embed_query(words)
        return QueryVectors(vector, asked_in, mixed / np.linalg.norm(mixed))

    def search(self, query: str, k: int = 5, filters: Filters = Filters(), vector=None, language: str = "") -> list[Hit]:
        """The k best paragraphs for `query`; pass `vector` when the query is already embedded.
        With `language` (the asker's), a provision indexed in several language versions is
        shown once, in that language when it has it, with the other versions linked."""
        vector = self.embed_query(query) if vector is None else vector
        with self._reading() as generation:
            self.fresh()
            named = self.named(query)
            ranked = generation.retriever.rank(query, self.query_vectors(query, vector, filters), filters, k * 3, self._catalog, named)
            hits = self._hits(generation.store, ranked, k * 3)
            swap = language if not (filters.language or filters.document) else ""
            hits = self._link_versions(generation.store, hits, swap)[:k]
            return self._each_compared(generation, query, vector, filters, named, hits, swap)

    def _each_compared(self, generation: "_Generation", query: str, vector, filters: Filters, named: Named,
                       hits: list[Hit], language: str) -> list[Hit]:
        """For a question asked of several texts (Named.compared), each text's best paragraph
        first, searched within it for what the question asks with the names left out (within
        one text, the other's name only misleads), then the other hits. "Do the Tampere
        Convention and the Constitution define 'telecommunication' alike?" had the Convention's
        definition of itself first and no definition of telecommunication from either."""
        if not named.compared:
            return hits
        unnamed = named.unnamed(query)
        unnamed_vector = self.embed_query(unnamed) if unnamed != query else vector
        first_seen = {work: next((n for n, h in enumerate(hits) if h.is_of(work)), len(hits)) for work in named.compared}
        best = []
        for work in sorted(named.compared, key=lambda w: (first_seen[w], sorted(w))):
            admitted = sorted(d for d in work if d in self._catalog and filters.admits(self._catalog[d]))
            if not admitted:
                continue
            version = next((d for d in admitted if self._catalog[d].language == language), admitted[0])
            within = replace(filters, document=version)
            ranked = generation.retriever.rank(unnamed, self.query_vectors(unnamed, unnamed_vector, within),
                                               within, 1, self._catalog)
            best += self._link_versions(generation.store, self._hits(generation.store, ranked, 1), language)
        return (best + [h for h in hits if all(h.key != b.key for b in best)])[:len(hits)]

    def _link_versions(self, store: Store, hits: list[Hit], language: str) -> list[Hit]:
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
            existing = store.chunks([schema.chunk_id(d, found.paragraph, 0) for d in versions.values()])
            versions = {lang: d for lang, d in versions.items() if schema.chunk_id(d, found.paragraph, 0) in existing}
            if language and found.language != language and language in versions:
                first_part = existing[schema.chunk_id(versions[language], found.paragraph, 0)]
                swapped = hit(first_part.id, first_part.metadata, first_part.metadata["paragraph_text"],
                              self._catalog.get(versions.pop(language)), found.score)
                swapped.dense_rank, swapped.lexical_rank, swapped.exact_match = found.dense_rank, found.lexical_rank, found.exact_match
                versions[found.language] = found.document
                found = swapped
            found.versions = versions
            out.append(found)
        return out

    def rankings(self, query: str, vector) -> dict[str, list[tuple[str, float]]]:
        """Each retriever's own ranking of chunks, before fusion (for benchmarks)."""
        with self._reading() as generation:
            self.fresh()
            return {"dense": generation.store.nearest_everywhere("chunks", vector, CANDIDATES),
                    "dense+sent": generation.retriever.dense(self.query_vectors(query, vector), Filters(), self._catalog),
                    "lexical": self.lexical.search(query, CANDIDATES),
                    "translated": self.lexical.search_tokens(translated(query), CANDIDATES)}

    def _hits(self, store: Store, ranked: list[Ranked], k: int) -> list[Hit]:
        """Hits for ranked chunks that still exist (another process may have just removed one)."""
        stored = store.chunks([r.chunk_id for r in ranked])
        first_parts = {r.chunk_id: _first_part(r.chunk_id) for r in ranked if r.chunk_id in stored}
        texts = {i: s.metadata.get("paragraph_text", s.text) for i, s in
                 store.chunks([p for p in first_parts.values() if p not in stored]).items()}
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
        with self._reading() as generation:
            self.fresh()
            parts = sorted(generation.store.chunks_where({"document": document}),
                           key=lambda s: (int(s.metadata.get("order", 0)), int(s.metadata.get("part", 0))))
        return [hit(s.id, s.metadata, s.metadata["paragraph_text"], self._catalog.get(document))
                for s in parts if int(s.metadata.get("part", 0)) == 0]

    def paragraph(self, document: str, paragraph: str) -> Hit | None:
        chunk_id = schema.chunk_id(document, paragraph, 0)
        with self._reading() as generation:
            self.fresh()
            stored = generation.store.chunks([chunk_id]).get(chunk_id)
        if stored is None:
            return None
        return hit(chunk_id, stored.metadata, stored.metadata["paragraph_text"], self._catalog.get(document))

    def sentences(self, hits: list[Hit]) -> dict[tuple[str, str], list[Sentence]]:
        """The stored sentences (with vectors) of each hit's paragraph, in order. Read from
        the store, so every process sharing it answers from the same vectors."""
        found: dict[tuple[str, str], list[Sentence]] = {h.key: [] for h in hits}
        with self._reading() as generation:
            stored_sentences = generation.store.paragraph_sentences(list(found))
        # Just written by another process, not yet in this reader's vector index: the vectors
        # its indexer put in the shared embedding cache (computed here only with a remote store).
        late = [s for s in stored_sentences if s.vector is None]
        late_vectors = dict(zip((s.id for s in late), self.cache.embed([s.text for s in late])[0]))
        for stored in stored_sentences:
            key = paragraph_key(stored.id)
            if key in found:
                vector = stored.vector if stored.vector is not None else late_vectors[stored.id]
                found[key].append(Sentence(int(stored.metadata.get("n", 0)), sentence_quote(stored.text, stored.metadata),
                                           stored.text, np.asarray(vector, dtype=np.float32)))
        for sentences in found.values():
            sentences.sort(key=lambda s: s.n)
        return found

    def background(self, vector, n: int = SENTENCE_CANDIDATES) -> list[float]:
        """Similarities of the question's nearest sentences in the whole corpus."""
        with self._reading() as generation:
            return [similarity for _, similarity in generation.store.nearest_everywhere("sentences", vector, n)]

    def uncited(self, query: str, filters: Filters = Filters()) -> list[ProvisionRef]:
        """The provisions the question cites by number that no admitted document has."""
        with self._reading() as generation:
            self.fresh()
            return [ref for ref, chunks in generation.retriever.cited(query, filters, self.named(query)).items()
                    if not chunks]

    def named(self, query: str) -> Named:
        """The documents the question names (index.document_names)."""
        self.fresh()
        return self._names.named(query)

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
