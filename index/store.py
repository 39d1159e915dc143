"""The Chroma store: the one source of truth for what is indexed, and the only
module that touches a Chroma collection.

Three collections: paragraph chunks and their sentences (with vectors), and a
catalog of documents (one record each: the file it came from, its metadata, a
digest of its content). The catalog lives in Chroma beside the vectors so that
every process using one Chroma server sees the same one. A version number in
the catalog's collection metadata goes up with every change: readers compare it
instead of scanning anything.

Embedded (PersistentClient under the data dir) by default; a Chroma server when
COUNCIL_CHROMA_URL is set. Vectors are always passed in: Chroma's default
embedding function would try to download a model.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Iterator
from urllib.parse import urlparse

import chromadb
from chromadb.api.client import SharedSystemClient

from index.config import Config
from index.schema import Record

# Chroma binds every id of a call as an SQL variable and fails past 32,766 of them.
PAGE = 5000
WRITE_BATCH = 1000
_CATALOG_VECTOR = [1.0]  # catalog records carry no meaning in a vector, but Chroma needs one


class EmbedderMismatch(Exception):
    pass


@dataclass
class Stored:
    id: str
    text: str
    metadata: dict
    vector: list[float] | None = None


def where_clause(filters: dict) -> dict | None:
    """Chroma `where` for equality filters; empty values are no filter."""
    clauses = [{name: value} for name, value in filters.items() if value not in ("", None, 0)]
    if len(clauses) > 1:
        return {"$and": clauses}
    return clauses[0] if clauses else None


class Store:
    def __init__(self, config: Config, embedder_id: str, dim: int, rebuild: bool = False):
        self.config = config
        self.embedder_id, self.dim = embedder_id, dim
        self.names = {"chunks": config.collection, "sentences": config.collection + "_sentences",
                      "documents": config.collection + "_documents"}
        self._lock = threading.Lock()
        self._open(rebuild)

    # --- connection -------------------------------------------------------------------

    @property
    def where(self) -> str:
        return self.config.chroma_url or str(self.config.data_dir)

    def _client(self):
        if self.config.chroma_url:
            url = urlparse(self.config.chroma_url)
            return chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https")
        (self.config.data_dir / "chroma").mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(self.config.data_dir / "chroma"))

    def _open(self, rebuild: bool = False) -> None:
        client = self._client()
        if rebuild:
            existing = {c.name for c in client.list_collections()}
            for name in self.names.values():
                if name in existing:
                    client.delete_collection(name)
        self.client = client
        self._chunks = self._collection(self.names["chunks"])
        self._sentences = self._collection(self.names["sentences"])
        self._documents = client.get_or_create_collection(
            self.names["documents"], embedding_function=None, metadata={"version": 0})

    def _collection(self, name: str):
        collection = self.client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": self.embedder_id, "dim": self.dim})
        meta = collection.metadata or {}
        if meta.get("embedder") != self.embedder_id or meta.get("dim") != self.dim:
            raise EmbedderMismatch(
                f"the index at {self.where} was built with embedder {meta.get('embedder')!r} "
                f"(dim {meta.get('dim')}), not {self.embedder_id!r} (dim {self.dim}). "
                f"Rebuild it with `council index --rebuild`, or point --data-dir at another folder.")
        return collection

    def reopen(self) -> None:
        """See what another process wrote. An embedded client keeps its vector index
        in memory as it was loaded; only a fresh client reads the new one."""
        if self.config.chroma_url:
            return
        with self._lock:
            SharedSystemClient.clear_system_cache()
            self._open()

    # --- the change counter ----------------------------------------------------------------

    def version(self) -> int:
        """Goes up with every change any process makes. One small read: the catalog
        collection's own metadata."""
        return int((self.client.get_collection(self.names["documents"]).metadata or {}).get("version", 0))

    def bump_version(self) -> int:
        collection = self.client.get_collection(self.names["documents"])
        version = int((collection.metadata or {}).get("version", 0)) + 1
        collection.modify(metadata={"version": version})
        return version

    # --- reads ----------------------------------------------------------------------

    def nearest_chunks(self, vector, n: int, where: dict | None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), nearest first."""
        return _nearest(self._chunks, vector, n, where)

    def nearest_sentences(self, vector, n: int, where: dict | None) -> list[tuple[str, float]]:
        return _nearest(self._sentences, vector, n, where)

    def chunks(self, ids: list[str]) -> dict[str, Stored]:
        """The chunks that still exist among `ids` (another process may have removed some)."""
        return {s.id: s for s in _get(self._chunks, ids=ids)}

    def chunks_where(self, where: dict, vectors: bool = False) -> Iterator[Stored]:
        return _scan(self._chunks, where, vectors)

    def sentences_where(self, where: dict, vectors: bool = False) -> Iterator[Stored]:
        return _scan(self._sentences, where, vectors)

    def documents(self) -> dict[str, dict]:
        """The catalog: document id -> metadata. It has a record per document, not per
        paragraph, so reading it whole stays small."""
        return {s.id: s.metadata for s in _scan(self._documents, None, False)}

    def document(self, document_id: str) -> dict | None:
        found = _get(self._documents, ids=[document_id])
        return found[0].metadata if found else None

    def count_chunks(self) -> int:
        return self._chunks.count()

    def count_documents(self) -> int:
        return self._documents.count()

    # --- writes ---------------------------------------------------------------------

    def upsert_chunks(self, records: list[Record], vectors: list) -> None:
        _upsert(self._chunks, records, vectors)

    def upsert_sentences(self, records: list[Record], vectors: list) -> None:
        _upsert(self._sentences, records, vectors)

    def delete_chunks(self, ids: list[str]) -> None:
        _delete(self._chunks, ids)

    def delete_sentences(self, ids: list[str]) -> None:
        _delete(self._sentences, ids)

    def put_document(self, document_id: str, metadata: dict) -> None:
        self._documents.upsert(ids=[document_id], documents=[metadata.get("title", "")],
                               embeddings=[_CATALOG_VECTOR], metadatas=[metadata])

    def delete_document(self, document_id: str) -> None:
        """The document's chunks and sentences, then its catalog record."""
        for collection in (self._sentences, self._chunks):
            ids = [s.id for s in _scan(collection, {"document": document_id}, False, include_text=False)]
            _delete(collection, ids)
        self._documents.delete(ids=[document_id])


def _nearest(collection, vector, n: int, where: dict | None) -> list[tuple[str, float]]:
    n = min(n, collection.count())
    if n <= 0:
        return []
    result = collection.query(query_embeddings=[list(map(float, vector))], n_results=n, where=where,
                              include=["distances"])
    return [(i, 1.0 - d) for i, d in zip(result["ids"][0], result["distances"][0])]


def _include(vectors: bool, text: bool = True) -> list[str]:
    return ["metadatas"] + (["documents"] if text else []) + (["embeddings"] if vectors else [])


def _stored(result: dict) -> list[Stored]:
    texts = result.get("documents") or [""] * len(result["ids"])
    vectors = result.get("embeddings")
    if vectors is None:
        vectors = [None] * len(result["ids"])
    return [Stored(i, t or "", m or {}, None if v is None else list(v))
            for i, t, m, v in zip(result["ids"], texts, result["metadatas"], vectors)]


def _get(collection, ids: list[str], vectors: bool = False) -> list[Stored]:
    found: list[Stored] = []
    for start in range(0, len(ids), PAGE):
        found += _stored(collection.get(ids=ids[start:start + PAGE], include=_include(vectors)))
    return found


def _scan(collection, where: dict | None, vectors: bool, include_text: bool = True) -> Iterator[Stored]:
    """Every record matching `where`, a page at a time."""
    offset = 0
    while True:
        page = _stored(collection.get(where=where, limit=PAGE, offset=offset, include=_include(vectors, include_text)))
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
