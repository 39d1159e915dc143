"""What a file may cost to read: each check runs before the expensive step it guards
and refuses with the limit and the variable that raises it (index.config.Limits).

  file size                  before anything is read
  .docx unpacked size, XML   before python-docx unpacks every part into memory and
    tags, DTDs               parses it (zip bombs, entity bombs)
  .html tags, nesting depth  before BeautifulSoup builds the tree / before the
                             reader walks it recursively
  paragraphs, their length   after parsing, before chunking and embedding
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from bs4 import Tag

from index.config import MAX_HTML_DEPTH, Limits
from index.errors import DocumentError
from index.model import Document

MEGABYTE = 1024 * 1024
SCAN_BLOCK = MEGABYTE          # bytes of a zip member unpacked at a time while scanning it
# Word never writes a DTD; its entities are how an XML bomb expands. XML may be UTF-16.
_DTDS = tuple("<!DOCTYPE".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be"))
_XML_PARTS = (".xml", ".rels")
# What zipfile raises for a damaged archive: no zip at all or a bad CRC, a compression
# method it does not know, data cut short, corrupt deflate data.
_DAMAGED_ZIP = (zipfile.BadZipFile, NotImplementedError, EOFError, zlib.error)
NOT_A_DOCX = "not a Word .docx file (corrupt, or an old .doc renamed)"


def check_file_size(path: Path, limits: Limits) -> None:
    size = path.stat().st_size
    if size > limits.max_file_mb * MEGABYTE:
        raise DocumentError(path, f"file is {size / MEGABYTE:,.1f} MB, over the limit of {limits.max_file_mb} MB "
                                  "(COUNCIL_MAX_FILE_MB)")


def check_docx_package(path: Path, limits: Limits) -> None:
    """A zip holding word/document.xml, whose parts unpack within the limit and whose XML
    declares no DTD and stays within the tag limit. The sizes a zip declares can be
    trusted: Python's zipfile never unpacks more than a member declares."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if "word/document.xml" not in {m.filename for m in members}:
                raise DocumentError(path, "not a Word .docx file: the zip archive holds no word/document.xml")
            unpacked = sum(m.file_size for m in members)
            if unpacked > limits.max_docx_unpacked_mb * MEGABYTE:
                raise DocumentError(path, f"Word document unpacks to {unpacked / MEGABYTE:,.0f} MB, over the limit of "
                                          f"{limits.max_docx_unpacked_mb} MB (COUNCIL_MAX_DOCX_UNPACKED_MB): "
                                          "a zip bomb, or not a document")
            _scan_xml(archive, [m for m in members if m.filename.endswith(_XML_PARTS)], path, limits)
    except _DAMAGED_ZIP as error:
        raise DocumentError(path, f"{NOT_A_DOCX}: {error}") from error


def _scan_xml(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], path: Path, limits: Limits) -> None:
    """Read the XML parts a block at a time, counting tags and looking for a DTD."""
    tags = 0
    for member in members:
        tail = b""
        with archive.open(member) as part:
            while block := part.read(SCAN_BLOCK):
                if any(dtd in tail + block for dtd in _DTDS):
                    raise DocumentError(path, f"{member.filename} declares a DTD (<!DOCTYPE>), which Word never "
                                              "writes and whose entities can expand without bound (an XML bomb)")
                tags += block.count(b"<")
                _check_tags(path, tags, limits.max_docx_tags, "the Word document's XML", "COUNCIL_MAX_DOCX_TAGS")
                tail = block[-len(_DTDS[-1]):]


def check_html_tags(path: Path, limits: Limits) -> None:
    _check_tags(path, path.read_bytes().count(b"<"), limits.max_html_tags, "the page", "COUNCIL_MAX_HTML_TAGS")


def _check_tags(path: Path, tags: int, limit: int, what: str, variable: str) -> None:
    """Tags counted as "<" characters, opening and closing: what the parse tree grows with."""
    if tags > limit:
        raise DocumentError(path, f"{what} has more than {limit:,} tags ({variable}): too large to parse safely")


def check_html_depth(root: Tag, path: Path) -> None:
    """Walks the tree without recursion, so that it can measure what recursion could not."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_HTML_DEPTH:
            raise DocumentError(path, f"HTML elements nested more than {MAX_HTML_DEPTH} levels deep: "
                                      "not a page the reader can walk")
        stack.extend((child, depth + 1) for child in node.contents if isinstance(child, Tag))


def check_paragraphs(document: Document, path: Path, limits: Limits) -> None:
    count = len(document.paragraphs)
    if count > limits.max_paragraphs:
        raise DocumentError(path, f"{count:,} paragraphs, over the limit of {limits.max_paragraphs:,} per file "
                                  "(COUNCIL_MAX_PARAGRAPHS): split the file")
    longest = max(document.paragraphs, key=lambda p: len(p.full_text))
    if len(longest.full_text) > limits.max_paragraph_chars:
        raise DocumentError(path, f"paragraph {longest.id} has {len(longest.full_text):,} characters, over the limit "
                                  f"of {limits.max_paragraph_chars:,} (COUNCIL_MAX_PARAGRAPH_CHARS): the reader found "
                                  "no paragraph breaks in it; separate paragraphs with blank lines or numbers")
