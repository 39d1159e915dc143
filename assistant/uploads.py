"""Files uploaded on the chat's Documents tab: what is accepted, and where it goes.

A file is checked before anything is written to the corpus: its type (by name),
its size, and its content, with the indexer's own checks (a PDF starts with
%PDF; a Word document is a zip holding word/document.xml that unpacks within the
limits, index.guards; text and HTML decode as text, index.encodings), so an
executable or random bytes under a document's name are refused. An accepted
file is written under the corpus folder with a safe name (no folders, no leading
dot, no control characters), through a hidden temporary file renamed into place,
so an indexer never sees half a file and a failed copy leaves nothing behind.
"""
from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from index.config import Limits
from index.encodings import decode_html, decode_text
from index.errors import DocumentError
from index.guards import MEGABYTE, check_docx_package

UPLOAD_TYPES = (".txt", ".docx", ".pdf", ".html", ".htm")
MAX_STEM_CHARS = 100           # of a stored file name, before its extension
NAME_PUNCTUATION = set("-_.")  # kept in stored names with letters, digits and combining marks


@dataclass(frozen=True)
class Refusal:
    """Why a file was not accepted: a key of assistant.strings and its values."""

    key: str
    values: dict = field(default_factory=dict)


def check_upload(path: Path, name: str, max_mb: int) -> Refusal | None:
    """None when the file at `path`, uploaded as `name`, may be indexed."""
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        return Refusal("refused_type", {"types": " ".join(UPLOAD_TYPES)})
    size = path.stat().st_size
    if size == 0:
        return Refusal("refused_empty")
    if size > max_mb * MEGABYTE:
        return Refusal("refused_size", {"limit": max_mb})
    if suffix == ".pdf":
        with path.open("rb") as handle:
            return None if handle.read(5) == b"%PDF-" else Refusal("refused_pdf")
    try:
        if suffix == ".docx":
            check_docx_package(path, Limits.from_env())
        else:
            (decode_text if suffix == ".txt" else decode_html)(path.read_bytes())
    except DocumentError as error:
        return Refusal("refused_docx" if suffix == ".docx" else "refused_text", {"reason": error.reason})
    return None


def safe_name(name: str) -> str:
    """A file name to store an upload under: the last part of `name` only, letters,
    digits, combining marks and - _ . kept (Arabic names stay Arabic), anything else
    (spaces, slashes, newlines, markup) a dash; no leading dot; a lower-case extension."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    suffix = Path(name).suffix  # as check_upload reads it
    stem = name[:len(name) - len(suffix)]
    kept = "".join(ch if ch.isalnum() or unicodedata.category(ch).startswith("M") or ch in NAME_PUNCTUATION
                   else "-" for ch in stem)
    while "--" in kept:
        kept = kept.replace("--", "-")
    kept = kept.strip("-_. ")[:MAX_STEM_CHARS].strip("-_. ") or "document"
    return kept + suffix.lower()


def place_upload(source: Path, name: str, corpus_dir: Path, taken_ids: set[str] = frozenset()) -> tuple[Path, bool]:
    """Copy an accepted upload into the corpus under safe_name(name), without overwriting or
    shadowing another file. Returns (where it is, whether a new file was written). The
    same bytes under the same name reuse the existing file. Otherwise a name whose stem
    is taken (report.txt when report.txt or report.docx exists, or a document with id
    "report" is indexed: a file's stem is its document id) becomes report-2.txt, ..."""
    stored = safe_name(name)
    stem, suffix = Path(stored).stem, Path(stored).suffix
    candidate, n = stem, 2
    while True:
        target = corpus_dir / f"{candidate}{suffix}"
        if target.is_file() and filecmp.cmp(source, target, shallow=False):
            return target, False
        if candidate not in taken_ids and not _stem_in_use(corpus_dir, candidate):
            break
        candidate, n = f"{stem}-{n}", n + 1
    corpus_dir.mkdir(parents=True, exist_ok=True)
    _copy_into_place(source, target)
    return target, True


def _stem_in_use(folder: Path, stem: str) -> bool:
    return folder.is_dir() and any(p.stem == stem for p in folder.iterdir() if p.suffix.lower() in UPLOAD_TYPES)


def _copy_into_place(source: Path, target: Path) -> None:
    """Copy to a dotfile next to `target` (the indexer skips dotfiles), then rename it
    into place; on any failure the partial copy is removed."""
    handle, partial = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def discard(path: Path, temp_root: Path) -> None:
    """Remove the web server's own copy of an upload (and its folder when empty) once it
    has been handled; only inside `temp_root`."""
    try:
        path.resolve().relative_to(temp_root.resolve())
    except ValueError:
        return
    path.unlink(missing_ok=True)
    if path.parent.resolve() != temp_root.resolve():
        try:
            path.parent.rmdir()
        except OSError:  # not empty, or already gone
            pass
