"""Bytes on disk -> text lines, one reader per format.

Every reader returns lines in the conventions of Council text exports, which
index.parse_council understands: a TAB between a paragraph number and its text,
a leading TAB on bulleted sub-items, `[footnoteRef:n]` where a footnote is
called and `[n: text]` holding its text.
"""
from __future__ import annotations

import codecs
from pathlib import Path


class DocumentError(Exception):
    """A file that cannot be read as a document; names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason


def decode_text(data: bytes, path: Path | str = "") -> str:
    """UTF-8 (with or without BOM), UTF-16 (with BOM), else Windows-1256, the
    usual legacy encoding of Arabic text files."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    if data[:200].count(b"\x00") > 20:  # UTF-16 without a BOM: every other byte is zero
        return data.decode("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1256")
    except UnicodeDecodeError as error:
        raise DocumentError(path, f"not UTF-8, UTF-16 or Windows-1256 text ({error.reason})") from error


def read_txt(path: Path) -> list[str]:
    return decode_text(path.read_bytes(), path).replace("\r\n", "\n").replace("\r", "\n").split("\n")


READERS = {".txt": read_txt}
SUPPORTED = tuple(READERS)


def read_lines(path: Path) -> list[str]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(path, f"unsupported format {path.suffix or '(none)'}; "
                                  f"supported: {', '.join(SUPPORTED)}")
    try:
        lines = reader(path)
    except DocumentError:
        raise
    except Exception as error:  # a corrupt file of any format: name it and go on
        raise DocumentError(path, f"cannot read {path.suffix} file: {error}") from error
    if not any(line.strip() for line in lines):
        raise DocumentError(path, "no text found")
    return lines
