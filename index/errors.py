"""The one error a document reader raises: a file that cannot be indexed, and why."""
from __future__ import annotations

from pathlib import Path


class DocumentError(Exception):
    """A file that cannot be read as a document; names the file and the reason."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason
