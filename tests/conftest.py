"""Shared fixtures: the real seed document, a real e5 model, a real Chroma store."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.config import Config
from index.retrieve import Retriever
from index.sync import sync

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT / "docs_corpus" / "council-2023-un-cooperation-report-ar.txt"
SEED_ID = "council-2023-un-cooperation-report-ar"


@pytest.fixture(scope="session")
def seed_config(tmp_path_factory) -> Config:
    """A corpus holding the seed document and its sidecar, indexed once per session."""
    root = tmp_path_factory.mktemp("seed")
    corpus = root / "corpus"
    corpus.mkdir()
    for path in SEED.parent.glob(SEED.stem + "*"):
        shutil.copy(path, corpus / path.name)
    config = Config.from_env(data_dir=root / "data", corpus_dir=corpus)
    summary = sync(Retriever(config), [corpus])
    assert summary.errors == [] and summary.paragraphs > 30
    return config


@pytest.fixture(scope="session")
def seed_retriever(seed_config) -> Retriever:
    return Retriever(seed_config)
