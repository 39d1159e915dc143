"""The Chroma collection: the one source of truth for what is indexed.

Embedded (PersistentClient under the data dir) by default; a Chroma server when
COUNCIL_CHROMA_URL is set. Vectors are always passed in: Chroma's default
embedding function would try to download a model.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlparse

import chromadb

from index.config import Config


class EmbedderMismatch(Exception):
    pass


@dataclass
class Record:
    id: str
    text: str
    metadata: dict


class ParagraphStore:
    def __init__(self, config: Config, embedder_id: str, dim: int, rebuild: bool = False):
        if config.chroma_url:
            url = urlparse(config.chroma_url)
            self.client = chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https")
            where = config.chroma_url
        else:
            (config.data_dir / "chroma").mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(config.data_dir / "chroma"))
            where = str(config.data_dir)
        # Paragraph chunks, and their sentences: a question often matches one sentence
        # of a long paragraph better than the whole (XQuAD en->ar R@1 +0.02, seed ar +0.19).
        self.collection, self.sentences = (
            self._open(name, embedder_id, dim, where, rebuild)
            for name in (config.collection, config.collection + "_sentences"))

    def _open(self, name: str, embedder_id: str, dim: int, where: str, rebuild: bool):
        if rebuild and name in [c.name for c in self.client.list_collections()]:
            self.client.delete_collection(name)
        collection = self.client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": embedder_id, "dim": dim})
        built_with = (collection.metadata or {}).get("embedder")
        if built_with != embedder_id or (collection.metadata or {}).get("dim") != dim:
            raise EmbedderMismatch(
                f"the index at {where} was built with embedder {built_with!r} "
                f"(dim {(collection.metadata or {}).get('dim')}), not {embedder_id!r} (dim {dim}). "
                f"Rebuild it with `council index --rebuild`, or point --data-dir at another folder.")
        return collection

    def count(self) -> int:
        return self.collection.count()

    def manifest(self) -> dict[str, dict]:
        """Chunk id -> metadata (content hash, path, ...) of everything stored."""
        result = self.collection.get(include=["metadatas"])
        return dict(zip(result["ids"], result["metadatas"]))

    def records(self) -> list[Record]:
        result = self.collection.get(include=["documents", "metadatas"])
        return [Record(i, t, m) for i, t, m in zip(result["ids"], result["documents"], result["metadatas"])]

    def fingerprint(self, manifest: dict[str, dict] | None = None) -> str:
        """Changes whenever any chunk is added, removed or changed."""
        manifest = self.manifest() if manifest is None else manifest
        digest = hashlib.sha256()
        for chunk_id in sorted(manifest):
            digest.update(f"{chunk_id}\0{manifest[chunk_id].get('hash')}\n".encode())
        return digest.hexdigest()[:16]

    def upsert(self, ids: list[str], texts: list[str], vectors: list[list[float]], metadatas: list[dict]) -> None:
        _upsert(self.collection, ids, texts, vectors, metadatas)

    def delete(self, ids: list[str]) -> None:
        _delete(self.collection, ids)

    def query(self, vector: list[float], n: int, where: dict | None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) nearest first."""
        return _nearest(self.collection, vector, n, where)

    def query_sentences(self, vector: list[float], n: int, where: dict | None) -> list[tuple[str, float]]:
        """(paragraph key "document#paragraph", cosine similarity) of the nearest sentences."""
        return [(sid.rsplit("#", 1)[0], sim) for sid, sim in _nearest(self.sentences, vector, n, where)]

    def sentence_manifest(self) -> dict[str, dict]:
        result = self.sentences.get(include=["metadatas"])
        return dict(zip(result["ids"], result["metadatas"]))

    def upsert_sentences(self, ids: list[str], texts: list[str], vectors: list[list[float]], metadatas: list[dict]) -> None:
        _upsert(self.sentences, ids, texts, vectors, metadatas)

    def delete_sentences(self, ids: list[str]) -> None:
        _delete(self.sentences, ids)

    def containing(self, needles: list[str], where: dict | None) -> set[str]:
        """Ids of chunks whose text contains any needle verbatim (Chroma's full-text filter)."""
        if not needles:
            return set()
        clause = {"$contains": needles[0]} if len(needles) == 1 else {"$or": [{"$contains": s} for s in needles]}
        return set(self.collection.get(where=where, where_document=clause, include=[])["ids"])


def _nearest(collection, vector: list[float], n: int, where: dict | None) -> list[tuple[str, float]]:
    n = min(n, collection.count())
    if n == 0:
        return []
    result = collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
    return [(i, 1.0 - d) for i, d in zip(result["ids"][0], result["distances"][0])]


def _upsert(collection, ids: list[str], texts: list[str], vectors: list[list[float]], metadatas: list[dict]) -> None:
    if ids:
        collection.upsert(ids=ids, documents=texts, embeddings=vectors, metadatas=metadatas)


def _delete(collection, ids: list[str]) -> None:
    for start in range(0, len(ids), 1000):  # Chroma caps the ids of one call
        collection.delete(ids=ids[start:start + 1000])
