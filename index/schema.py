"""How paragraphs, sentences and documents are recorded in the store: record ids
and metadata, written and read in this one module.

Record ids:  chunk     "<document>#<paragraph>#<part>"
             sentence  "<document>#<paragraph>#s<n>"
A paragraph's key is its (document id, paragraph id) pair; both kinds of record
id start with "<document>#<paragraph>#".
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from index.model import Chunk, Document, DocumentInfo, Hit
from index.sentences import Unit

SEPARATOR = "#"
# Metadata every record carries, so that Chroma's `where` can filter dense search.
FILTER_FIELDS = ("document", "symbol", "language", "year")


def clean_id(document_id: str) -> str:
    """A document id never holds the record-id separator."""
    return document_id.replace(SEPARATOR, "-")


def chunk_id(document: str, paragraph: str, part: int) -> str:
    return f"{document}{SEPARATOR}{paragraph}{SEPARATOR}{part}"


def sentence_id(document: str, paragraph: str, n: int) -> str:
    return f"{document}{SEPARATOR}{paragraph}{SEPARATOR}s{n}"


def paragraph_key(record_id: str) -> tuple[str, str]:
    """(document, paragraph) of a chunk or sentence record id."""
    document, paragraph, _ = record_id.rsplit(SEPARATOR, 2)
    return document, paragraph


def digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:24]


def _filter_fields(document: Document) -> dict:
    return {"document": document.id, "symbol": document.symbol, "language": document.language,
            "year": int(document.year) if document.year.isdigit() else 0}


@dataclass
class Record:
    """One row for a Chroma collection: what is embedded, what is stored, and how."""

    id: str
    embed_text: str            # what the embedder reads (and, for chunks, what BM25 indexes)
    metadata: dict

    @property
    def hash(self) -> str:
        return self.metadata["hash"]


def chunk_record(chunk: Chunk, sentences: int) -> Record:
    """`sentences`: how many sentence records the paragraph has (ids s0 to s<sentences-1>)."""
    document, paragraph = chunk.document, chunk.paragraph
    meta = {**_filter_fields(document), "paragraph": paragraph.id, "label": paragraph.label,
            "headings": "\n".join(paragraph.headings), "order": chunk.order, "part": chunk.part}
    if chunk.part == 0:  # the paragraph's text and sentence count are stored once, with its first part
        meta["paragraph_text"] = paragraph.full_text
        meta["sentences"] = sentences
    meta["hash"] = digest(chunk.embed_text, meta)
    return Record(chunk_id(document.id, paragraph.id, chunk.part), chunk.embed_text, meta)


def sentence_record(document: Document, paragraph_id: str, n: int, unit: Unit) -> Record:
    meta = {**_filter_fields(document), "paragraph": paragraph_id, "n": n}
    if unit.text != unit.as_read:
        meta["quote"] = unit.text
    meta["hash"] = digest(unit.as_read, meta)
    return Record(sentence_id(document.id, paragraph_id, n), unit.as_read, meta)


def sentence_quote(text: str, metadata: dict) -> str:
    """The sentence as printed (what an answer quotes), from a stored sentence record."""
    return metadata.get("quote", text)


@dataclass(frozen=True)
class FileState:
    """What the catalog remembers of a file, to skip it when it has not changed."""

    path: str
    root: str                  # the folder it was indexed from
    stamp: str                 # sizes and modification times of the file and its sidecar
    sha256: str                # of their bytes


def document_record(document: Document, file: FileState, parser: str, content: str, indexed_at: str,
                    chunks: int, sentences: int) -> dict:
    """Catalog metadata of an indexed document. `content` digests its chunk hashes:
    a derived index (BM25) is up to date for the document when it holds this digest.
    The record counts let a search judge how much of the store a filter selects."""
    return {**_filter_fields(document), "title": document.title, "date": document.date,
            "original_language": document.original_language, "author": document.author,
            "session": document.session, "paragraphs": len(document.paragraphs),
            "chunks": chunks, "sentences": sentences,
            "path": file.path, "root": file.root, "stamp": file.stamp, "sha256": file.sha256, "parser": parser, "content": content, "indexed_at": indexed_at}


def file_state(metadata: dict) -> FileState:
    return FileState(metadata.get("path", ""), metadata.get("root", ""), metadata.get("stamp", ""),
                     metadata.get("sha256", ""))


def document_info(document_id: str, metadata: dict) -> DocumentInfo:
    return DocumentInfo(id=document_id, path=metadata.get("path", ""), title=metadata.get("title", ""),
                        symbol=metadata.get("symbol", ""), language=metadata.get("language", ""),
                        date=metadata.get("date", ""), paragraphs=int(metadata.get("paragraphs", 0)),
                        indexed_at=metadata.get("indexed_at", ""), chunks=int(metadata.get("chunks", 0)),
                        sentences=int(metadata.get("sentences", 0)))


def hit(record_id: str, metadata: dict, text: str, info: DocumentInfo | None, score: float = 0.0) -> Hit:
    """A Hit from a chunk's metadata, its paragraph's text and its document's catalog row."""
    return Hit(chunk_id=record_id, document=metadata["document"], paragraph=metadata["paragraph"],
               label=metadata.get("label", ""), language=metadata.get("language", ""),
               title=info.title if info else "", date=info.date if info else "", text=text, score=score,
               symbol=metadata.get("symbol", ""), order=int(metadata.get("order", 0)),
               headings=[h for h in metadata.get("headings", "").split("\n") if h])
