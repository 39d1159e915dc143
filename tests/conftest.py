"""Shared fixtures: the real seed document, a real e5 model, a real Chroma store."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.api import Index
from index.config import Config

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
    summary = Index(config).sync([corpus])
    assert summary.errors == [] and summary.paragraphs > 30
    return config


@pytest.fixture(scope="session")
def seed_index(seed_config) -> Index:
    return Index(seed_config)
