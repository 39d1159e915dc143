"""The LLM path end to end with a real model: SmolLM2-135M-Instruct served by llama.cpp
(xllamacpp) on loopback, reached by the product's own OpenAI-compatible client over
HTTP (COUNCIL_LLM=openai, COUNCIL_LLM_URL=http://127.0.0.1:PORT/v1).

A 135M-parameter model answers badly, in Arabic worst of all, and cites at random:
that is the point. What is asserted is the plumbing and the structure every answer
must have whatever the model writes, never its wisdom or its speed: an answer
comes back, every kept [n] opens a paragraph whose quote is a sentence of it, every
other sentence is flagged in the asker's language, and the mode says llm.
"""
from __future__ import annotations

import re

import pytest

from assistant.answer import Assistant
from assistant.model import MARKER
from assistant.strings import text
from evals.serve_local_llm import ServerProcess, bundled_smollm2
from index.config import Config, LLMEndpoint


MODEL = "smollm2"
PARAGRAPHS = 2             # k: ~1,000 prompt tokens, read in seconds when idle, ~20 s on two busy cores
MAX_TOKENS = 64            # per answer: enough for a sentence or two
# Generous: this tests that an answer comes back, not how fast; a busy machine
# made one 1,500-token prompt take 35 s.
TIMEOUT = 300.0
QUESTIONS = ["متى ستعقد قمة المستقبل؟", "Where and when will COP28 be held?"]


@pytest.fixture(scope="module")
def local_llm():
    try:
        model = bundled_smollm2()
    except FileNotFoundError as error:  # fail, never skip: a missing model is a broken setup
        pytest.fail(f"{error} (make setup installs it)")
    server = ServerProcess(model, max_tokens=MAX_TOKENS, alias=MODEL)
    yield server
    server.close()


@pytest.fixture(scope="module")
def answers(seed_config, seed_index, local_llm):
    config = Config.from_env(data_dir=seed_config.data_dir, llm=LLMEndpoint("openai", local_llm.url, MODEL,
                                                                                  timeout=TIMEOUT))
    assistant = Assistant(config, seed_index)
    return {question: assistant.ask(question, k=PARAGRAPHS) for question in QUESTIONS}


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_real_model_answers_through_the_http_client(answers, question):
    answer = answers[question]
    assert answer.mode == f"llm:openai:{MODEL}"
    assert not answer.llm_error, f"the LLM path failed: {answer.llm_error}"
    assert answer.text.strip()
    assert answer.language == ("ar" if question == QUESTIONS[0] else "en")


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_kept_marker_opens_a_paragraph_whose_quote_is_one_of_its_sentences(answers, seed_index, question):
    answer = answers[question]
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1)), "kept markers are renumbered 1..m"
    assert {int(n) for n in MARKER.findall(answer.text)} == set(numbers), "every [n] has its citation, and back"
    for citation in answer.citations:
        assert citation.hit.key in {h.key for h in answer.retrieved}
        quote = citation.quote
        for sentence in seed_index.sentences([citation.hit])[citation.hit.key]:
            quote = quote.replace(sentence.text, "")
        assert not quote.strip(), f"quote is not made of sentences of ¶{citation.hit.paragraph}: {citation.quote}"


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_other_sentence_is_flagged_in_the_askers_language(answers, question):
    answer = answers[question]
    if answer.abstained and not answer.unsupported:  # the model said NO_ANSWER, or nothing
        assert answer.text == text("abstain", answer.language)
        return
    flag = f"⚠ ({text('unsupported', answer.language)})"
    flagged = [line for line in answer.text.splitlines() if line.endswith(flag)]
    cited = [line for line in answer.text.splitlines() if MARKER.search(line)]
    assert len(flagged) + len(cited) == len(answer.text.splitlines()), "each line is either cited or flagged"
    assert [line[: -len(flag)].strip() for line in flagged] == answer.unsupported
    assert all(re.search(r"\S (?:\[\d+\])+$", line) for line in cited), "markers close a cited sentence"
    assert answer.abstained == (not answer.citations)
