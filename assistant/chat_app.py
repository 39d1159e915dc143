"""The work behind the web chat, without the page: answering, listing and reading
documents, adding uploads. One ChatApp per server, shared by every request; the
Index and the Assistant are safe to share between threads."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answer import Assistant
from assistant.model import Answer
from assistant.uploads import Refusal, check_upload, place_upload
from index import bilingual
from index.config import Config
from index.model import DocumentInfo, Hit
from index.retrieve import Filters
from index.sync import Summary

SYNC_POLL_SECONDS = 0.2    # how often an upload's indexing progress is reported


@dataclass
class UploadOutcome:
    """What became of a batch of uploads."""

    summary: Summary | None = None                                # None when no file was accepted
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (uploaded as, stored as)
    failed: list[tuple[str, Refusal | str]] = field(default_factory=list)  # refused, or the indexer's reason


class ChatApp:
    def __init__(self, config: Config):
        self.config = config
        self.assistant = Assistant(config)
        self.index = self.assistant.index
        # The word lists that translate questions across scripts take 1-2 s to load: loaded
        # while the server starts, not when the first question waits for them.
        threading.Thread(target=bilingual.tables, name="council-bilingual", daemon=True).start()

    @property
    def mode(self) -> str:
        return self.assistant.mode

    def ask(self, question: str, filters: Filters = Filters(), history: list[tuple[str, str]] | None = None,
            k: int | None = None) -> Answer:
        return self.assistant.ask(question, k or self.config.k, filters, history or [])

    def catalog(self) -> list[DocumentInfo]:
        return self.index.catalog()

    def document(self, document: str) -> tuple[list[Hit], list[DocumentInfo]]:
        """A document's paragraphs in order (none when it is not indexed) and its other
        language versions."""
        paragraphs = self.index.document_paragraphs(document)
        return paragraphs, self.index.versions(document) if paragraphs else []

    def sync(self, paths: list[Path], progress=lambda done, total: None) -> Summary:
        """Index.sync on a thread of its own; progress(done, total) is called on the
        caller's thread (Gradio's progress tracker belongs to the request)."""
        state = {"done": 0, "total": 0, "summary": None, "error": None}

        def run() -> None:
            try:
                state["summary"] = self.index.sync(paths, lambda done, total: state.update(done=done, total=total))
            except Exception as error:  # raised again on the caller's thread
                state["error"] = error

        worker = threading.Thread(target=run, name="council-sync", daemon=True)
        worker.start()
        while worker.is_alive():
            progress(state["done"], state["total"])
            worker.join(SYNC_POLL_SECONDS)
        if state["error"] is not None:
            raise state["error"]
        return state["summary"]

    def index_corpus(self) -> Summary | None:
        """Bring the index in line with config.corpus_dir (cheap when nothing changed)."""
        if not self.config.corpus_dir.is_dir():
            return None
        return self.sync([self.config.corpus_dir])

    def add_uploads(self, uploads: list[tuple[Path, str]], progress=lambda done, total: None) -> UploadOutcome:
        """Check each (file, name it was uploaded as), copy the accepted ones into the corpus
        and index them. A refused file is never copied; a copy the indexer cannot read is
        removed again (it would fail at every start)."""
        outcome, placed = UploadOutcome(), {}
        taken = {d.id for d in self.catalog()}
        for source, name in uploads:
            refusal = check_upload(source, name, self.config.upload_max_mb)
            if refusal is not None:
                outcome.failed.append((name, refusal))
                continue
            target, written = place_upload(source, name, self.config.corpus_dir, taken)
            taken.add(target.stem)
            placed[str(target.resolve())] = (target, written)
            if target.name != name:
                outcome.renamed.append((name, target.name))
        if not placed:
            return outcome
        outcome.summary = self.sync([target for target, _ in placed.values()], progress)
        for error in outcome.summary.errors:
            target, written = placed.get(str(Path(error["path"]).resolve()), (Path(error["path"]), False))
            outcome.failed.append((target.name, error["error"]))
            if written:
                target.unlink(missing_ok=True)
        return outcome
