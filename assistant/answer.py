"""Question -> Answer with citations: retrieve, then answer extractively (the
offline default) or with a configured LLM whose citations are checked."""
from __future__ import annotations

import time
from functools import cached_property

from assistant.abstain import should_abstain
from assistant.extractive import pick, score_sentences
from assistant.followup import resolve_followup
from assistant.model import Answer, Citation
from assistant.phrases import language_of_question, phrase
from index.config import Config
from index.embed import EmbeddingCache
from index.model import Hit
from index.retrieve import Filters, Retriever

Turn = tuple[str, str]  # (question, search query it was resolved to)


class Assistant:
    def __init__(self, config: Config, retriever: Retriever | None = None):
        self.config = config
        self.retriever = retriever or Retriever(config)
        self.cache = EmbeddingCache(config.data_dir / "embeddings.sqlite", self.retriever.embedder)

    @cached_property
    def llm(self):
        """The configured LLM, or None for extractive answers."""
        if not self.config.llm:
            return None
        from assistant.llm import load_llm
        return load_llm(self.config)

    @property
    def mode(self) -> str:
        return f"llm:{self.config.llm}:{self.config.llm_model}" if self.config.llm else "extractive"

    def ask(self, question: str, k: int = 5, filters: Filters = Filters(),
            history: list[Turn] | None = None) -> Answer:
        started = time.perf_counter()
        language = language_of_question(question)
        query = resolve_followup(question, history or [], self.llm)
        hits = self.retriever.search(query, k=k, filters=filters)
        retrieved_at = time.perf_counter()
        answer = Answer(question=question, text="", citations=[], retrieved=hits, mode=self.mode,
                        language=language, search_query=query)
        if not hits:
            empty = self.retriever.store.count() == 0
            answer.text, answer.abstained = phrase("no_index" if empty else "no_match", language), True
        elif self.llm is not None:
            from assistant.llm import answer_with_llm
            answer_with_llm(answer, self.llm, self._supports)
        else:
            self._answer_extractively(answer, query)
        done = time.perf_counter()
        answer.timings_ms = {"retrieve": round((retrieved_at - started) * 1000, 1),
                             "answer": round((done - retrieved_at) * 1000, 1),
                             "total": round((done - started) * 1000, 1)}
        return answer

    def _answer_extractively(self, answer: Answer, query: str) -> None:
        vector = self.retriever.embedder.get_query_embedding(query)
        sentences = score_sentences(query, vector, answer.retrieved, self.cache)
        if should_abstain(query, vector, answer.retrieved, sentences, self.retriever):
            answer.text, answer.abstained = phrase("abstain", answer.language), True
            return
        chosen = pick(sentences)
        numbers: dict[int, int] = {}
        lines = []
        for sentence in sorted(chosen, key=lambda s: s.hit_index):
            n = numbers.setdefault(sentence.hit_index, len(numbers) + 1)
            if n > len(answer.citations):
                answer.citations.append(Citation(n, answer.retrieved[sentence.hit_index], sentence.text))
            else:
                answer.citations[n - 1].quote += " " + sentence.text
            lines.append(f"{sentence.text} [{n}]")
        answer.text = phrase("intro", answer.language) + "\n" + "\n".join(lines)

    def _supports(self, sentence: str, hit: Hit) -> str:
        """The paragraph sentence that supports `sentence`, or "" (see assistant.cite)."""
        from assistant.cite import supporting_sentence
        return supporting_sentence(sentence, hit, self.retriever.embedder, self.cache)
