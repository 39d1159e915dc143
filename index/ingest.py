"""Files on disk -> Documents: find them, read them, apply metadata sidecars."""
from __future__ import annotations

import json
from pathlib import Path

from index.formats import SUPPORTED, DocumentError, read_lines
from index.model import Document
from index.parse_council import parse_document

SIDECAR_SUFFIX = ".meta.json"
_OVERRIDABLE = {"symbol", "title", "date", "language", "original_language", "author", "session"}


def find_documents(paths: list[Path]) -> list[Path]:
    """Documents under the given files and folders, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED
                            and not p.name.startswith("."))
        else:
            found.append(path)
    return found


def load_document(path: Path) -> Document:
    """Read, parse and apply the sidecar `<name>.meta.json`, which wins over what
    the text says. Raises DocumentError naming the file and the reason."""
    if not path.exists():
        raise DocumentError(path, "no such file")
    meta = _sidecar(path)
    document = parse_document(read_lines(path), doc_id=path.stem, path=str(path))
    for name in _OVERRIDABLE & meta.keys():
        setattr(document, name, str(meta[name]))
    if document.symbol:
        # One symbol names all six language versions; the id tells them apart.
        document.id = f"{document.symbol}@{document.language}" if document.language else document.symbol
    if not document.paragraphs:
        raise DocumentError(path, "no paragraphs found")
    return document


def _sidecar(path: Path) -> dict:
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise DocumentError(sidecar, f"metadata sidecar is not valid JSON: {error}") from error
    unknown = set(meta) - _OVERRIDABLE
    if unknown:
        raise DocumentError(sidecar, f"unknown metadata keys {sorted(unknown)}; allowed: {sorted(_OVERRIDABLE)}")
    return meta


