"""BM25 over the chunks' texts, with the Arabic-aware analyzer of index.arabic.

SQLite's FTS5 does the counting and the BM25 ranking. bm25s, which this
replaced, rebuilds its whole index for any change; FTS5 adds and removes one
document's rows in place, filters in SQL, and stays on disk instead of in memory.
Our analyzer produces the tokens (normalized, stemmed, identifiers kept whole);
FTS5 only splits them on spaces.

The index is derived from the store, never from what an indexing run intended:
`catch_up` compares each document's content digest in the store's catalog with
the one it indexed, and re-reads only the documents that differ. Every process
that searches calls it when the store's version moves, so a killed run, another
process's run, or a corrupt file on disk all end in the same state.
"""
from __future__ import annotations

import json
import re
import sqlite3
import threading
from pathlib import Path

from index.arabic import tokens
from index.provision_refs import ProvisionRef
from index.schema import FILTER_FIELDS

# Bump when index.arabic.tokens changes what it produces, or the tables change: the index is
# then rebuilt.
ANALYZER_VERSION = "4"
# A token in more than this share of chunks has a BM25 weight near zero and costs
# a scan of most of the index: it is left out of the query.
MAX_DOCUMENT_FREQUENCY = 0.5
# Ranking costs about a microsecond per posting read, so a query's words are taken rarest
# first until their postings pass this many: on a large corpus the commonest words of a
# question (the lowest BM25 weights) are left out rather than make every search slower.
# Below some 2,000 paragraphs no query reaches it.
POSTINGS_BUDGET = 2000

_SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS chunk_text USING fts5(
    tokens, tokenize = "unicode61 remove_diacritics 0 tokenchars '/.-'");
CREATE VIRTUAL TABLE IF NOT EXISTS vocabulary USING fts5vocab(chunk_text, 'row');
CREATE TABLE IF NOT EXISTS chunk (
    rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, document TEXT, symbol TEXT, language TEXT, year INTEGER,
    sentences INTEGER, paragraph TEXT, headings TEXT);
CREATE INDEX IF NOT EXISTS chunk_document ON chunk(document);
CREATE TABLE IF NOT EXISTS document (id TEXT PRIMARY KEY, content TEXT);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT);
"""


class LexicalError(Exception):
    pass


def _match(words: list[str]) -> str:
    """An FTS5 query: any of the words, each quoted so no word is read as an operator."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in dict.fromkeys(words))


class LexicalIndex:
    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        self._write = threading.Lock()
        self._size: int | None = None
        self._open()

    # --- the SQLite file ------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None or getattr(self._local, "generation", None) != self._generation:
            db = sqlite3.connect(self.path, timeout=60, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            self._local.db, self._local.generation = db, self._generation
        return db

    def _open(self) -> None:
        self._generation = getattr(self, "_generation", 0) + 1
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = self._db()
            db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM state WHERE key = 'analyzer'").fetchone()
            if row is None or row[0] != ANALYZER_VERSION:
                with db:
                    db.executescript("DROP TABLE vocabulary; DROP TABLE chunk_text; DROP TABLE chunk; DELETE FROM document;")
                    db.executescript(_SCHEMA)
                    db.execute("INSERT OR REPLACE INTO state VALUES ('analyzer', ?)", (ANALYZER_VERSION,))
        except sqlite3.DatabaseError as error:
            if "full" in str(error).lower():
                raise LexicalError(f"the disk holding {self.path} is full: {error}") from error
            self._discard()  # derived data: a damaged file is rebuilt from the store

    def _discard(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(str(self.path) + suffix).unlink(missing_ok=True)
        self._open()

    # --- keeping up with the store -------------------------------------------------------

    def catch_up(self, store, catalog: dict[str, dict]) -> int:
        """Re-derive the documents whose content changed in the store (`catalog` is its
        catalog, read by the caller); drop the ones it no longer has. Returns how many
        documents were re-read."""
        with self._write:
            try:
                return self._catch_up(store, catalog)
            except sqlite3.DatabaseError as error:
                if "full" in str(error).lower():
                    raise LexicalError(f"the disk holding {self.path} is full: {error}") from error
                self._discard()
                return self._catch_up(store, catalog)
            finally:
                self._size = None

    def _catch_up(self, store, catalog: dict[str, dict]) -> int:
        db = self._db()
        mine = dict(db.execute("SELECT id, content FROM document"))
        stale = [d for d, meta in catalog.items() if mine.get(d) != meta.get("content")]
        for document in (d for d in mine if d not in catalog):
            with db:
                self._remove(db, document)
        for document in stale:
            rows = [(s.id, " ".join(tokens(s.text)), *(s.metadata.get(f) for f in FILTER_FIELDS),
                     s.metadata.get("sentences", 0), s.metadata.get("paragraph", ""), s.metadata.get("headings", ""))
                    for s in store.chunks_where({"document": document})]
            with db:  # one transaction per document: a reader sees all of it or none
                self._remove(db, document)
                for chunk_id, text, *fields in rows:
                    rowid = db.execute("INSERT INTO chunk (id, document, symbol, language, year, sentences, paragraph, "
                                       "headings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (chunk_id, *fields)).lastrowid
                    db.execute("INSERT INTO chunk_text (rowid, tokens) VALUES (?, ?)", (rowid, text))
                db.execute("INSERT OR REPLACE INTO document VALUES (?, ?)", (document, catalog[document].get("content")))
        return len(stale)

    @staticmethod
    def _remove(db: sqlite3.Connection, document: str) -> None:
        db.execute("DELETE FROM chunk_text WHERE rowid IN (SELECT rowid FROM chunk WHERE document = ?)", (document,))
        db.execute("DELETE FROM chunk WHERE document = ?", (document,))
        db.execute("DELETE FROM document WHERE id = ?", (document,))

    # --- queries --------------------------------------------------------------------

    def _known(self, words: list[str]) -> dict[str, int]:
        """Document frequency of each word the index holds."""
        if not words:
            return {}
        marks = ",".join("?" * len(words))
        return dict(self._db().execute(f"SELECT term, doc FROM vocabulary WHERE term IN ({marks})", words))

    def size(self) -> int:
        """Chunks indexed (counted again after each catch-up)."""
        if self._size is None:
            self._size = self._db().execute("SELECT count(*) FROM chunk").fetchone()[0]
        return self._size

    def coverage(self, query: str) -> float:
        """Share of the query's tokens that occur anywhere in the corpus: near 0 for
        an English question over Arabic text, whose BM25 ranking would be noise."""
        words = tokens(query)
        if not words:
            return 0.0
        known = self._known(list(dict.fromkeys(words)))
        return sum(w in known for w in words) / len(words)

    def search(self, query: str, n: int, filters: dict | None = None) -> list[tuple[str, float]]:
        """(chunk id, BM25 score) best first."""
        return self.search_tokens(tokens(query), n, filters)

    def search_tokens(self, analyzed: list[str], n: int, filters: dict | None = None) -> list[tuple[str, float]]:
        """`search` for tokens the analyzer already produced (index.bilingual's translations)."""
        words = list(dict.fromkeys(analyzed))
        known = self._known(words)
        limit = max(1, int(MAX_DOCUMENT_FREQUENCY * self.size()))
        useful = [w for w in words if 0 < known.get(w, 0) <= limit] or [w for w in words if w in known]
        if not useful:
            return []
        chosen, postings = [], 0
        for word in sorted(useful, key=lambda w: (known[w], w)):
            if chosen and postings + known[word] > POSTINGS_BUDGET:
                break
            chosen.append(word)
            postings += known[word]
        return self._ranked(_match(sorted(chosen, key=useful.index)), n, filters)

    def containing(self, phrase: str, filters: dict | None = None, n: int = 1000) -> list[str]:
        """Chunks holding `phrase` as consecutive tokens (an identifier such as C23/INF/9 or WSIS+20)."""
        words = tokens(phrase)
        if not words:
            return []
        quoted = '"' + " ".join(w.replace('"', '""') for w in words) + '"'
        return [chunk_id for chunk_id, _ in self._ranked(quoted, n, filters)]

    def chunks(self, filters: dict, documents: set[str]) -> list[tuple[str, int]]:
        """(chunk id, its paragraph's sentence count; 0 past a paragraph's first part) of
        the chunks of `documents` that pass `filters`: the records a filtered search
        compares one by one (index.retrieve)."""
        where, values = _conditions(filters)
        sql = f"SELECT c.id, c.sentences FROM chunk c WHERE c.document IN (SELECT value FROM json_each(?)){where}"
        return list(self._db().execute(sql, (json.dumps(sorted(documents)), *values)))

    def numbered(self, ref: ProvisionRef, documents: set[str] | None, filters: dict | None = None) -> list[str]:
        """Chunks of the provision `ref` cites, in `documents` (None: in all) or their other
        language versions, passing `filters`.
        SQL narrows to the units whose id or headings hold its digits; ProvisionRef.matches decides."""
        where, values = _conditions(filters)
        digits = "%" + "%".join(re.findall(r"\d+", ref.number)) + "%"   # "9.5" -> %9%5%
        sql = f"SELECT c.id, c.paragraph, c.headings FROM chunk c WHERE (c.paragraph LIKE ? OR c.headings LIKE ?){where}"
        values = [digits, digits, *values]
        if documents is not None:  # and their other language versions, which share their symbol
            sql += (" AND (c.document IN (SELECT value FROM json_each(?)) OR c.symbol IN (SELECT symbol FROM chunk"
                    " WHERE document IN (SELECT value FROM json_each(?)) AND symbol != ''))")
            values += [json.dumps(sorted(documents))] * 2
        return [chunk for chunk, paragraph, headings in self._db().execute(sql, values)
                if ref.matches(paragraph or "", headings or "")]

    def _ranked(self, match: str, n: int, filters: dict | None) -> list[tuple[str, float]]:
        where, values = _conditions(filters)
        sql = (f"SELECT c.id, -bm25(chunk_text) FROM chunk_text JOIN chunk c ON c.rowid = chunk_text.rowid "
               f"WHERE chunk_text MATCH ?{where} ORDER BY bm25(chunk_text), c.id LIMIT ?")
        return [(chunk_id, float(score)) for chunk_id, score in self._db().execute(sql, (match, *values, n))]


def _conditions(filters: dict | None) -> tuple[str, list]:
    """SQL conditions on the chunk table `c` for equality filters; empty values are no filter."""
    conditions = [(name, value) for name, value in (filters or {}).items() if value not in ("", None, 0)]
    return "".join(f" AND c.{name} = ?" for name, _ in conditions), [value for _, value in conditions]
