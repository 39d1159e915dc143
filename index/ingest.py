"""Files on disk -> Documents: find them, read them, apply metadata sidecars."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from index.config import Limits
from index.formats import SUPPORTED, DocumentError, read_lines
from index.guards import check_paragraphs
from index.model import Document
from index.schema import FileState, clean_id
from index.structure import parse_document

SIDECAR_SUFFIX = ".meta.json"
HASH_BLOCK = 1024 * 1024     # bytes of a file hashed at a time
_OVERRIDABLE = {"symbol", "title", "date", "language", "original_language", "author", "session"}


@dataclass
class Found:
    files: list[tuple[Path, Path]] = field(default_factory=list)   # (file, the folder it was found under)
    errors: list[DocumentError] = field(default_factory=list)


def find_documents(paths: list[Path]) -> Found:
    """Documents under the given files and folders, in a stable order. Broken and
    looping links are reported, not followed."""
    found = Found()
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            for folder, dirs, names in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    candidate = Path(folder) / name
                    if name.startswith(".") or candidate.suffix.lower() not in SUPPORTED:
                        continue
                    if candidate.is_symlink() and not candidate.exists():
                        found.errors.append(DocumentError(candidate, _broken_link(candidate)))
                    elif candidate.is_file():
                        found.files.append((candidate, root))
        elif path.is_symlink() and not path.exists():
            found.errors.append(DocumentError(path, _broken_link(path)))
        elif path.exists():
            found.files.append((path, path.resolve().parent))
        else:
            found.errors.append(DocumentError(path, "no such file or folder"))
    return found


def _broken_link(path: Path) -> str:
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return "symbolic link loop"
    except OSError:
        pass
    return f"symbolic link to a missing file ({os.readlink(path)})"


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def file_state(path: Path, root: Path) -> FileState:
    """The file and its sidecar: their stamp and a hash of their bytes."""
    digest = hashlib.sha256()
    for part in _parts(path):
        with part.open("rb") as handle:  # in blocks: an oversized file is refused later, never held in memory here
            while block := handle.read(HASH_BLOCK):
                digest.update(block)
        digest.update(b"\0")
    return FileState(str(path.resolve()), str(root), stamp_of(path), digest.hexdigest())


def stamp_of(path: Path) -> str:
    """Size and modification time of the file and its sidecar: unchanged means not read again."""
    return ";".join(f"{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in _parts(path))


def _parts(path: Path) -> list[Path]:
    sidecar = sidecar_path(path)
    return [path] + ([sidecar] if sidecar.exists() else [])


def load_document(path: Path) -> Document:
    """Read, parse and apply the sidecar `<name>.meta.json`, which wins over what
    the text says. Raises DocumentError naming the file and the reason."""
    if not path.exists():
        raise DocumentError(path, "no such file")
    meta = _sidecar(path)
    document = parse_document(read_lines(path), doc_id=path.stem, path=str(path))
    for name, value in meta.items():
        setattr(document, name, value)
    if document.symbol:
        # One symbol names all six language versions; the id tells them apart.
        document.id = f"{document.symbol}@{document.language}" if document.language else document.symbol
    document.id = clean_id(document.id)
    if not document.paragraphs:
        raise DocumentError(path, "no paragraphs found")
    check_paragraphs(document, path, Limits.from_env())
    _unique_ids(document)
    return document


def _unique_ids(document: Document) -> None:
    """A paragraph id the parser could not make unique gets a counter, so no paragraph
    silently replaces another in the index."""
    seen: dict[str, int] = {}
    for paragraph in document.paragraphs:
        n = seen[paragraph.id] = seen.get(paragraph.id, 0) + 1
        if n > 1:
            paragraph.id = f"{paragraph.id} ({n})"


def _sidecar(path: Path) -> dict[str, str]:
    sidecar = sidecar_path(path)
    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, OSError) as error:
        raise DocumentError(sidecar, f"metadata sidecar is not readable JSON: {error}") from error
    if not isinstance(meta, dict):
        raise DocumentError(sidecar, f"metadata sidecar must be a JSON object, not {type(meta).__name__}")
    unknown = set(meta) - _OVERRIDABLE
    if unknown:
        raise DocumentError(sidecar, f"unknown metadata keys {sorted(unknown)}; allowed: {sorted(_OVERRIDABLE)}")
    wrong = sorted(k for k, v in meta.items() if not isinstance(v, str))
    if wrong:
        raise DocumentError(sidecar, f"metadata values must be strings: {', '.join(wrong)}")
    return {k: v.strip() for k, v in meta.items() if v.strip()}

