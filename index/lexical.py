"""BM25 over the store's texts, with the Arabic-aware analyzer of index.arabic.

Derived from the Chroma collection, never from what an indexing run intended,
and cached on disk under the collection's fingerprint: whatever a killed run
left in the store, the next reader rebuilds a lexical side that agrees with it.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import bm25s
import numpy as np

from index.arabic import tokens
from index.store import Record


class LexicalIndex:
    def __init__(self, ids: list[str], bm25: bm25s.BM25 | None):
        self.ids = ids
        self.position = {chunk_id: i for i, chunk_id in enumerate(ids)}
        self.bm25 = bm25

    @classmethod
    def build(cls, records: list[Record]) -> "LexicalIndex":
        if not records:
            return cls([], None)
        bm25 = bm25s.BM25()
        # Tokens are produced by our analyzer; bm25s only counts them.
        bm25.index([tokens(r.text) for r in records], show_progress=False)
        return cls([r.id for r in records], bm25)

    @classmethod
    def load_or_build(cls, folder: Path, fingerprint: str, records_fn) -> "LexicalIndex":
        """The cached index for this fingerprint, else a fresh one (cached for next time)."""
        cached = folder / fingerprint
        if (cached / "ids.json").exists():
            ids = json.loads((cached / "ids.json").read_text())
            return cls(ids, bm25s.BM25.load(str(cached)) if ids else None)
        index = cls.build(records_fn())
        if folder.exists():
            shutil.rmtree(folder)  # older fingerprints describe a store that is gone
        tmp = folder / (fingerprint + ".tmp")
        tmp.mkdir(parents=True)
        if index.bm25 is not None:
            index.bm25.save(str(tmp))
        (tmp / "ids.json").write_text(json.dumps(index.ids))
        tmp.rename(cached)
        return index

    def coverage(self, query: str) -> float:
        """Share of the query's tokens that occur anywhere in the corpus: near 0 for
        an English question over Arabic text, whose BM25 ranking would be noise."""
        query_tokens = tokens(query)
        if not query_tokens or self.bm25 is None:
            return 0.0
        vocab = self.bm25.vocab_dict
        return sum(t in vocab for t in query_tokens) / len(query_tokens)

    def search(self, query: str, n: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) best first; zero-score padding dropped."""
        query_tokens = [t for t in tokens(query) if self.bm25 is not None and t in self.bm25.vocab_dict]
        if not query_tokens:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=np.float32)
            mask[[self.position[i] for i in allowed if i in self.position]] = 1
        n = min(n, len(self.ids))
        docs, scores = self.bm25.retrieve([query_tokens], k=n, show_progress=False, weight_mask=mask)
        return [(self.ids[d], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]
