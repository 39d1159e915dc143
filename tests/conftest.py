"""Shared fixtures: the real seed document, the real bundled corpus, a real e5 model,
a real Chroma store."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.api import Index
from index.config import Config

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "docs_corpus"
SEED = CORPUS / "council-2023-un-cooperation-report-ar.txt"
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


@pytest.fixture(scope="session")
def corpus_vectors(tmp_path_factory) -> Path:
    """An embedding cache holding every text of the bundled corpus, embedded once per
    session. Tests that build an index of docs_corpus/ from scratch start from a copy of
    it, as a rebuild does (index.embed.EmbeddingCache): the index is new, no text is
    embedded twice."""
    data = tmp_path_factory.mktemp("corpus-vectors")
    summary = Index(Config.from_env(data_dir=data, corpus_dir=CORPUS)).sync([CORPUS])
    assert summary.errors == [], summary.errors
    return data / "embeddings.sqlite"


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, corpus_vectors) -> Index:
    """The whole bundled corpus, indexed once per session from the session's vectors."""
    data = tmp_path_factory.mktemp("corpus-index")
    shutil.copyfile(corpus_vectors, data / "embeddings.sqlite")
    index = Index(Config.from_env(data_dir=data, corpus_dir=CORPUS))
    summary = index.sync([CORPUS])
    assert summary.errors == [] and summary.embedded == 0
    return index


@pytest.fixture(scope="session")
def corpus_assistant(corpus_index):
    """The assistant over the whole bundled corpus."""
    from assistant.answer import Assistant
    return Assistant(corpus_index.config, corpus_index)
