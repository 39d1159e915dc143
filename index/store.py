"""The Chroma store: the one source of truth for what is indexed, and the only
module that touches a Chroma collection.

Paragraph chunks and their sentences (with vectors), one pair of collections per
language (`council_paragraphs-ar`, `council_paragraphs_sentences-ar`, ...), and a
catalog of documents (one record each: the file it came from, its metadata, a
digest of its content). Languages are kept apart because a language filter is the
one filter a vector search cannot apply cheaply: Chroma's filtered query costs the
size of the whole collection, and an unfiltered one asked for more candidates
finds few in the other language, since a question's nearest sentences are mostly
in its own. A search in one language reads that language's collections; an
unfiltered search reads each and merges. The catalog lives in Chroma beside the vectors so that
every process using one Chroma server sees the same one. A version number in
the catalog's collection metadata goes up with every change: readers compare it
instead of scanning anything.

Embedded (PersistentClient under the data dir) by default; a Chroma server when
COUNCIL_CHROMA_URL is set. Vectors are always passed in: Chroma's default
embedding function would try to download a model.

An embedded client loads a collection's vector index into memory on first use
(about 2 s for 200,000 vectors) and never sees what another process adds to it
afterwards: `Store.fresh()` opens a store of its own on the same folder, and
`close()` gives the old one's memory back.

Chroma's `where` costs time in proportion to the whole database, whatever it
selects (80 ms for one document among 190,000 sentences, against 2 ms for an
unfiltered query), and its search among given ids is slow for a few hundred
ids: searches filter otherwise (index.retrieve), with `where` as the last resort.
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlparse

import chromadb
from chromadb.api.client import SharedSystemClient
from chromadb.errors import InternalError, NotFoundError

from index.config import Config
import numpy as np

from index.schema import Record, paragraph_key, sentence_id

# Chroma binds every id of a call as an SQL variable and fails past 32,766 of them.
PAGE = 5000
WRITE_BATCH = 1000
SENTENCE_PROBE = 32        # sentence ids of a paragraph asked for at once: s0, s1, ... (they are dense)
# HNSW's breadth of search. Chroma's default (the number of results asked for) missed 1% of the
# true 150 nearest sentences (159 of 16,000 on 40 gold questions), and different ones in two
# builds of the same corpus, so figures moved between machines; 400 missed none there.
SEARCH_EF = 400
# One thread builds the graph: several insert in an order that varies from run to run, so two
# builds of one corpus had different graphs, hence different near misses.
BUILD_THREADS = 1
_CATALOG_VECTOR = [1.0]  # catalog records carry no meaning in a vector, but Chroma needs one


class EmbedderMismatch(Exception):
    """The store cannot be used as it is: built with another embedder, or by an earlier
    version of this program with another layout. `council index --rebuild` remakes it."""


@dataclass
class Stored:
    id: str
    text: str
    metadata: dict
    vector: np.ndarray | list[float] | None = None


def partition(language: str) -> str:
    """The partition a document's records live in: its language (see the module docstring)."""
    return re.sub(r"[^a-z0-9]", "", (language or "").lower())[:16] or "xx"


class Store:
    def __init__(self, config: Config, embedder_id: str, dim: int, rebuild: bool = False, own_client: bool = False):
        self.config = config
        self.embedder_id, self.dim = embedder_id, dim
        self.base = {"chunks": config.collection, "sentences": config.collection + "_sentences"}
        self.catalog_name = config.collection + "_documents"
        self._partitions: dict[str, dict[str, object]] = {}   # partition -> kind -> collection
        self._partition_of: dict[str, str] = {}                # document -> partition, from the catalog
        self._open(rebuild, own_client)

    # --- connection -------------------------------------------------------------------

    @property
    def where(self) -> str:
        return self.config.chroma_url or str(self.config.data_dir)

    @property
    def embedded(self) -> bool:
        return not self.config.chroma_url

    def _client(self, own: bool):
        if self.config.chroma_url:
            url = urlparse(self.config.chroma_url)
            return chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https")
        folder = self.config.data_dir / "chroma"
        folder.mkdir(parents=True, exist_ok=True)
        if own:  # not the client this process already has on the folder: one that loads the index anew
            settings = chromadb.Settings(is_persistent=True, persist_directory=str(folder))
            SharedSystemClient._identifier_to_system.pop(SharedSystemClient._get_identifier_from_settings(settings), None)
        return chromadb.PersistentClient(path=str(folder))

    def _ours(self, name: str) -> str | None:
        """The partition a collection name holds, or None when it is not one of ours."""
        for base in self.base.values():
            if name.startswith(base + "-"):
                return name[len(base) + 1:]
        return None

    def _open(self, rebuild: bool, own_client: bool) -> None:
        client = self._client(own_client)
        self.client = client
        self._system = client._system
        names = {c.name for c in client.list_collections()}
        if rebuild:
            for name in names:
                if name in (*self.base.values(), self.catalog_name) or self._ours(name) is not None:
                    client.delete_collection(name)
            names = set()
        elif set(self.base.values()) & names:
            raise EmbedderMismatch(
                f"the index at {self.where} was built by an earlier version of council, with one collection "
                f"for all languages. Rebuild it with `council index --rebuild` (vectors come from the "
                f"embedding cache: nothing is embedded again), or point --data-dir at another folder.")
        self._documents = client.get_or_create_collection(
            self.catalog_name, embedding_function=None, metadata={"version": 0})
        for name in sorted(names):
            part = self._ours(name)
            if part is not None and part not in self._partitions:
                self._open_partition(part, create=False)

    def _open_partition(self, part: str, create: bool) -> bool:
        """Open (or, to write, create) both collections of a partition; False if absent."""
        collections = {}
        for kind, base in self.base.items():
            name = f"{base}-{part}"
            if create:
                collection = self.client.get_or_create_collection(
                    name, embedding_function=None, configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF,
                                                                "num_threads": BUILD_THREADS}},
                    metadata={"embedder": self.embedder_id, "dim": self.dim})
                if (collection.configuration.get("hnsw") or {}).get("ef_search") != SEARCH_EF:  # built before
                    collection.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})
            else:
                try:
                    collection = self.client.get_collection(name)
                except NotFoundError:  # not there (yet): partitions are made as documents are written
                    return False
            meta = collection.metadata or {}
            if meta.get("embedder") != self.embedder_id or meta.get("dim") != self.dim:
                raise EmbedderMismatch(
                    f"the index at {self.where} was built with embedder {meta.get('embedder')!r} "
                    f"(dim {meta.get('dim')}), not {self.embedder_id!r} (dim {self.dim}). "
                    f"Rebuild it with `council index --rebuild`, or point --data-dir at another folder.")
            collections[kind] = collection
        self._partitions[part] = collections
        return True

    def _collection(self, kind: str, part: str, create: bool = False):
        if part not in self._partitions and not self._open_partition(part, create):
            return None
        return self._partitions[part][kind]

    def partitions(self) -> list[str]:
        return sorted(self._partitions)

    def fresh(self) -> "Store":
        """A store that sees everything written so far, by any process, its vector indexes
        loaded: an embedded client keeps them in memory as they were when it loaded them."""
        store = Store(self.config, self.embedder_id, self.dim, own_client=True)
        store._partition_of = dict(self._partition_of)
        store.warm()
        return store

    def warm(self) -> None:
        """Load the collections now rather than on the next search: the first read of a
        collection loads its vector index, the catalog's included (70 ms for 450 records)."""
        for collections in self._partitions.values():
            for collection in collections.values():
                collection.query(query_embeddings=[[0.0] * self.dim], n_results=1, include=[])
        self._documents.get(limit=1, include=[])

    def close(self) -> None:
        """Free an embedded client's vector indexes (nothing may use this store afterwards).
        glibc keeps freed memory for reuse; it is handed back to the system at once."""
        if self.embedded:
            self._system.stop()
            try:
                ctypes.CDLL("libc.so.6").malloc_trim(0)
            except (OSError, AttributeError):
                pass

    # --- the change counter ----------------------------------------------------------------

    def version(self) -> int:
        """Goes up with every change any process makes. One small read: the catalog
        collection's own metadata."""
        return int((self.client.get_collection(self.catalog_name).metadata or {}).get("version", 0))

    def bump_version(self) -> int:
        collection = self.client.get_collection(self.catalog_name)
        version = int((collection.metadata or {}).get("version", 0)) + 1
        collection.modify(metadata={"version": version})
        return version

    # --- reads ----------------------------------------------------------------------

    def nearest(self, kind: str, vector, n: int, part: str, documents: set[str] | None = None) -> list[tuple[str, float]]:
        """(record id, cosine similarity) of one partition, nearest first; of `documents`
        only when given (Chroma's `where`: the last resort, see the module docstring)."""
        collection = self._collection(kind, part)
        if collection is None or documents == set():
            return []
        where = None if documents is None else {"document": {"$in": sorted(documents)}}
        return _nearest(collection, vector, n, where)

    def nearest_among(self, kind: str, vector, n: int, part: str, ids: list[str]) -> list[tuple[str, float]]:
        """nearest() among a few `ids`: their vectors read and compared one by one."""
        collection = self._collection(kind, part)
        if collection is None or not ids:
            return []
        # a record another process just wrote is searched once this reader's vector index has it
        found = [s for s in _get(collection, ids, vectors=True, text=False, metadata=False) if s.vector is not None]
        if not found:
            return []
        similarities = np.asarray([s.vector for s in found], dtype=np.float32) @ np.asarray(vector, dtype=np.float32)
        best = sorted(range(len(found)), key=lambda i: (-similarities[i], found[i].id))[:n]
        return [(found[i].id, float(similarities[i])) for i in best]

    def nearest_everywhere(self, kind: str, vector, n: int) -> list[tuple[str, float]]:
        """nearest() over every partition."""
        found = [item for part in self.partitions() for item in self.nearest(kind, vector, n, part)]
        return sorted(found, key=lambda item: (-item[1], item[0]))[:n]

    def _routed(self, kind: str, ids: list[str]) -> list[tuple[object, list[str]]]:
        """(collection, ids) pairs: each id in its document's partition when the catalog
        says which, else in every partition."""
        groups: dict[str | None, list[str]] = {}
        for record_id in ids:
            groups.setdefault(self._partition_of.get(paragraph_key(record_id)[0]), []).append(record_id)
        routed = []
        for part, group in groups.items():
            for name in ([part] if part is not None else self.partitions()):
                collection = self._collection(kind, name)
                if collection is not None:
                    routed.append((collection, group))
        return routed

    def chunks(self, ids: list[str]) -> dict[str, Stored]:
        """The chunks that still exist among `ids` (another process may have removed some)."""
        return {s.id: s for collection, group in self._routed("chunks", ids) for s in _get(collection, ids=group)}

    def paragraph_sentences(self, keys: list[tuple[str, str]]) -> list[Stored]:
        """The sentences, with vectors, of the paragraphs (document, paragraph). By id, never
        by `where`: a paragraph's sentence ids run s0, s1, ... without a gap."""
        found: list[Stored] = []
        start, open_keys = 0, list(dict.fromkeys(keys))
        while open_keys:
            ids = [sentence_id(d, p, n) for d, p in open_keys for n in range(start, start + SENTENCE_PROBE)]
            page = [s for collection, group in self._routed("sentences", ids)
                    for s in _get(collection, ids=group, vectors=True)]
            found += page
            counts: dict[tuple[str, str], int] = {}
            for stored in page:
                key = paragraph_key(stored.id)
                counts[key] = counts.get(key, 0) + 1
            open_keys = [k for k in open_keys if counts.get(k, 0) == SENTENCE_PROBE]
            start += SENTENCE_PROBE
        return found

    def chunks_where(self, where: dict, vectors: bool = False, text: bool = True,
                     part: str | None = None) -> Iterator[Stored]:
        """The chunks matching `where`, in one partition or in all."""
        return self._where("chunks", where, vectors, text, part)

    def sentences_where(self, where: dict, vectors: bool = False, text: bool = True,
                        part: str | None = None) -> Iterator[Stored]:
        return self._where("sentences", where, vectors, text, part)

    def _where(self, kind: str, where: dict, vectors: bool, text: bool, part: str | None) -> Iterator[Stored]:
        for name in [part] if part else self.partitions():
            collection = self._collection(kind, name)
            if collection is not None:
                yield from _scan(collection, where, vectors, text)

    def documents(self, known: dict[str, dict] | None = None, since: int = 0) -> dict[str, dict]:
        """The catalog: document id -> metadata, a record per document. Given the catalog
        as it was at version `since`, only the records written after it are read (with
        the ids of all, to see which went): a few hundred records take 100 ms to read."""
        if known is None:
            catalog = {s.id: s.metadata for s in _scan(self._documents, None, False, include_text=False)}
        else:
            ids = {s.id for s in _scan(self._documents, None, False, include_text=False, metadata=False)}
            catalog = {d: meta for d, meta in known.items() if d in ids}
            catalog.update((s.id, s.metadata) for s in _scan(self._documents, {"version": {"$gt": since}}, False,
                                                              include_text=False))
            catalog.update((s.id, s.metadata) for s in _get(self._documents, list(ids - catalog.keys())))
        self._partition_of = {d: partition(meta.get("language", "")) for d, meta in catalog.items()}
        for part in set(self._partition_of.values()) - set(self._partitions):
            self._open_partition(part, create=False)
        return catalog

    def document(self, document_id: str) -> dict | None:
        found = _get(self._documents, ids=[document_id])
        return found[0].metadata if found else None

    # --- writes ---------------------------------------------------------------------

    def upsert_chunks(self, records: list[Record], vectors: list) -> None:
        self._upsert("chunks", records, vectors)

    def upsert_sentences(self, records: list[Record], vectors: list) -> None:
        self._upsert("sentences", records, vectors)

    def _upsert(self, kind: str, records: list[Record], vectors: list) -> None:
        by_part: dict[str, list[int]] = {}
        for i, record in enumerate(records):
            by_part.setdefault(partition(record.metadata.get("language", "")), []).append(i)
        for part, positions in by_part.items():
            _upsert(self._collection(kind, part, create=True), [records[i] for i in positions],
                    [vectors[i] for i in positions])

    def delete_chunks(self, ids: list[str]) -> None:
        """Deleted in every partition: a document that changed language left its old records in another."""
        for part in self.partitions():
            _delete(self._partitions[part]["chunks"], ids)

    def delete_sentences(self, ids: list[str]) -> None:
        for part in self.partitions():
            _delete(self._partitions[part]["sentences"], ids)

    def put_document(self, document_id: str, metadata: dict) -> None:
        """The document's catalog record, marked with the version the next bump makes."""
        self._documents.upsert(ids=[document_id], documents=[metadata.get("title", "")],
                               embeddings=[_CATALOG_VECTOR], metadatas=[{**metadata, "version": self.version() + 1}])

    def delete_records(self, document_id: str, part: str) -> None:
        """The document's chunks and sentences in one partition."""
        for kind in ("sentences", "chunks"):
            collection = self._collection(kind, part)
            if collection is not None:
                _delete(collection, [s.id for s in _scan(collection, {"document": document_id}, False,
                                                          include_text=False, metadata=False)])

    def delete_document(self, document_id: str) -> None:
        """The document's chunks and sentences, then its catalog record."""
        for part in self.partitions():
            self.delete_records(document_id, part)
        self._documents.delete(ids=[document_id])


def _nearest(collection, vector, n: int, where: dict | None) -> list[tuple[str, float]]:
    # No count() first: it costs more than the query on a large collection, and Chroma
    # returns what there is when asked for more.
    if n <= 0:
        return []
    result = collection.query(query_embeddings=[list(map(float, vector))], n_results=n, where=where,
                              include=["distances"])
    return [(i, 1.0 - d) for i, d in zip(result["ids"][0], result["distances"][0])]


def _include(vectors: bool, text: bool = True, metadata: bool = True) -> list[str]:
    return (["metadatas"] if metadata else []) + (["documents"] if text else []) + (["embeddings"] if vectors else [])


def _stored(result: dict) -> list[Stored]:
    texts = result.get("documents") or [""] * len(result["ids"])
    metadatas = result.get("metadatas") or [{}] * len(result["ids"])
    vectors = result.get("embeddings")
    if vectors is None:
        vectors = [None] * len(result["ids"])
    return [Stored(i, t or "", m or {}, v) for i, t, m, v in zip(result["ids"], texts, metadatas, vectors)]


def _get(collection, ids: list[str], vectors: bool = False, text: bool = True, metadata: bool = True) -> list[Stored]:
    """Records by id. A reader whose vector index was loaded before another process wrote
    has the new records' text but not yet their vectors: Chroma then fails the whole read
    ("Error finding id"), so the records come back without vectors (vector None)."""
    found: list[Stored] = []
    for start in range(0, len(ids), PAGE):
        page = ids[start:start + PAGE]
        try:
            found += _stored(collection.get(ids=page, include=_include(vectors, text, metadata)))
        except InternalError:
            if not vectors:
                raise
            found += _stored(collection.get(ids=page, include=_include(False, text, metadata)))
    return found


def _scan(collection, where: dict | None, vectors: bool, include_text: bool = True,
          metadata: bool = True) -> Iterator[Stored]:
    """Every record matching `where`, a page at a time."""
    offset = 0
    while True:
        page = _stored(collection.get(where=where, limit=PAGE, offset=offset,
                                      include=_include(vectors, include_text, metadata)))
        yield from page
        if len(page) < PAGE:
            return
        offset += PAGE


def _upsert(collection, records: list[Record], vectors: list) -> None:
    for start in range(0, len(records), WRITE_BATCH):
        batch = records[start:start + WRITE_BATCH]
        collection.upsert(ids=[r.id for r in batch], documents=[r.embed_text for r in batch],
                          embeddings=[list(map(float, v)) for v in vectors[start:start + WRITE_BATCH]],
                          metadatas=[r.metadata for r in batch])


def _delete(collection, ids: list[str]) -> None:
    for start in range(0, len(ids), WRITE_BATCH):
        collection.delete(ids=ids[start:start + WRITE_BATCH])
