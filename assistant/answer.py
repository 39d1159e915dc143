"""Question -> Answer with citations: retrieve, then answer extractively (the
offline default) or with a configured LLM whose citations are checked."""
from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import replace
from functools import cached_property

import numpy as np

from assistant.abstain import should_abstain
from assistant.calibration import calibration
from assistant.cite import supporting_sentence
from assistant.extractive import PARAGRAPHS_READ, Scored, choose, score_sentences
from assistant.facts import facts, goals_listed
from assistant.followup import resolve_followup
from assistant.model import Answer
from assistant.question import Question, analyse, parts
from assistant.rerank import asked_kind_first
from assistant.strings import language_name, text
from index.api import Index
from index.arabic import tokens
from index.config import Config
from index.language import question_language
from index.model import DocumentInfo, Hit
from index.named_blocks import blocks_asked
from index.provision_refs import ProvisionRef, references
from index.retrieve import Filters

Turn = tuple[str, str]  # (question, search query it was resolved to)

MAX_QUESTION_CHARS = 2000  # a question, not a pasted document: longer ones are refused with a message
PART_LIMIT = 4             # sentences quoted for a question asking several things
# A further question is answered already when a quoted sentence scores this close to its best
# (dev: 0.01 quoted the answer to two second questions and no other sentence; 0.02-0.04 one).
PART_COVERED = 0.01
LEAD_FACTS = 4             # language-neutral facts put first when the quote is in another language
WHOLE_PROVISION_SENTENCES = 10  # "What does Article 26 say?" is answered by the article, from its start
# The words of a question that asks for a provision's text, not about it.
_ASKING_FOR_TEXT = frozenset(tokens("say says provide provides state states stipulate stipulates mean means contain "
                                    "contains read text content set out establish ينص تنص يقول تقول نص مضمون "
                                    "تقضي يقضي ماذا الذي عليه عليها"))
MAX_REASON_CHARS = 200     # of an LLM error shown to the user: enough to name it, short of a stack dump
# Control characters and bidi overrides change how a question displays, never what it asks.
_INVISIBLE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _reason(error: Exception) -> str:
    """An LLM failure in a few words for the user: the first line of its message."""
    return str(error).splitlines()[0][:MAX_REASON_CHARS] if str(error) else type(error).__name__


def clean_question(question: str) -> str:
    return " ".join(_INVISIBLE.sub(" ", unicodedata.normalize("NFC", question or "")).split())


def unnamed_wording(index: Index, query: str, hits: list[Hit]) -> str:
    """The question less the words naming a document, when the top paragraph is from it; else "".
    "What does the Universal Declaration say about education?", answered from the Declaration:
    the words naming it were spent on finding it. The sentence repeating its title is not the
    answer, and what the rest asks may be answered however far the whole is from every
    sentence: sentences, and whether to abstain, are judged by the other words as well."""
    named = index.named(query)
    wording = named.unnamed(query)
    return wording if hits and wording != query and hits[0].document in named.documents else ""


def declined_by_name(index: Index, query: str, filters: Filters = Filters()) -> list[ProvisionRef]:
    """The provisions the question cites by number when no admitted document has any of them."""
    cited = references(query)
    uncited = index.uncited(query, filters) if cited else []
    return uncited if cited and len(uncited) == len(cited) else []


class Assistant:
    def __init__(self, config: Config, index: Index | None = None):
        self.config = config
        self.index = index or Index(config)

    @cached_property
    def llm(self):
        """The configured LLM, or None for extractive answers."""
        if not self.config.llm.kind:
            return None
        from assistant.llm import load_llm
        return load_llm(self.config)

    @property
    def mode(self) -> str:
        llm = self.config.llm
        return f"llm:{llm.kind}:{llm.model}" if llm.kind else "extractive"

    def ask(self, question: str, k: int = 5, filters: Filters = Filters(),
            history: list[Turn] | None = None) -> Answer:
        started = time.perf_counter()
        question = clean_question(question)
        language = question_language(question)
        answer = Answer(question=question, text="", citations=[], retrieved=[], mode=self.mode, language=language)
        refusal = self._refusal(question)
        if refusal:
            answer.text, answer.abstained = refusal, True
            answer.timings_ms = {"retrieve": 0.0, "answer": 0.0, "total": round((time.perf_counter() - started) * 1000, 1)}
            return answer
        answer.search_query = query = self._resolve_followup(answer, history or [])
        vector = self.index.embed_query(query)
        answer.retrieved = hits = self.index.search(query, k=k, filters=filters, vector=vector, language=language)
        retrieved_at = time.perf_counter()
        uncited = declined_by_name(self.index, query, filters)
        if not hits:
            empty = self.index.count_paragraphs() == 0
            answer.text, answer.abstained = text("no_index" if empty else "no_match", language), True
        elif uncited:
            # "What does Article 112 of the Charter say?": the Charter has 111 articles. Any
            # paragraph quoted would answer another question.
            answer.text, answer.abstained = text("no_provision", language, provision=", ".join(
                r.written for r in uncited), where=self._where(query, language)), True
        elif not answer.llm_error and self.llm is not None:
            self._answer_with_llm(answer, query, vector)
        else:
            self._answer_extractively(answer, query, vector)
        if answer.llm_error:
            answer.text = text("llm_failed", language, reason=answer.llm_error) + "\n" + answer.text
        done = time.perf_counter()
        answer.timings_ms = {"retrieve": round((retrieved_at - started) * 1000, 1),
                             "answer": round((done - retrieved_at) * 1000, 1),
                             "total": round((done - started) * 1000, 1)}
        return answer

    def _asked_beyond_citation(self, query: str) -> bool:
        """Whether the question asks something of the provisions it cites ("What does Article 27
        say about recruiting staff?") rather than for them ("What does Article 19 of the Charter
        say?"): a word left after the citations, the names of the documents and the asking."""
        naming = {t for info in self._named_documents(query) for t in tokens(f"{info.title} {info.symbol}")}
        naming |= {t for name in self.index.named(query).names for t in name}
        cited = {t for ref in references(query) for t in tokens(ref.written)}
        return bool(set(tokens(query)) - naming - cited - _ASKING_FOR_TEXT)

    def _where(self, query: str, language: str) -> str:
        """The documents a provision was looked for in, when the question named them."""
        titles = sorted({info.title or info.id for info in self._named_documents(query)})
        return text("searched_in", language, titles="; ".join(titles)) if titles else ""

    def _named_documents(self, query: str) -> list[DocumentInfo]:
        named = self.index.named(query)
        return [info for info in self.index.catalog() if info.id in named.documents | named.by_symbol]

    @staticmethod
    def _refusal(question: str) -> str:
        """Why a question cannot be searched at all, in its language; "" when it can."""
        language = question_language(question)
        if not question:
            return text("empty_question", language)
        if len(question) > MAX_QUESTION_CHARS:
            return text("too_long", language, length=len(question), limit=MAX_QUESTION_CHARS)
        if not tokens(question) and not any(ch.isalnum() for ch in question):
            return text("no_words", language)
        return ""

    def _answer_extractively(self, answer: Answer, query: str, vector: np.ndarray) -> None:
        question = analyse(query)
        hits = answer.retrieved
        sentences = self.index.sentences(hits[:PARAGRAPHS_READ])
        scored = score_sentences(question, vector, hits, sentences)
        abstain = should_abstain(question, vector, hits, scored, self.index)
        wording = unnamed_wording(self.index, query, hits)
        if wording:
            question, vector = analyse(query, wording), self.index.embed_query(wording)
            scored = score_sentences(question, vector, hits, sentences)
            abstain = abstain and should_abstain(question, vector, hits, scored, self.index)
        if abstain:
            answer.text, answer.abstained = text("abstain", answer.language), True
            return
        # Whether to answer was judged on the search's order (see assistant.rerank).
        reordered = asked_kind_first(question, hits)
        if reordered is not hits:
            answer.retrieved = hits = reordered
            scored = score_sentences(question, vector, hits, sentences)
        if references(query) and hits[0].exact_match:
            chosen = self._cited_provisions(answer, query, question, vector)
        else:
            chosen = (self._from_named(hits, query, question, vector)
                      or self._each_part(query, hits, sentences, choose(question, vector, scored, sentences, hits)))
        hits = answer.retrieved
        chosen = sorted(chosen, key=lambda s: (s.hit_index, s.n))
        lines = [f"{s.text} [{answer.cite(hits[s.hit_index], s.text)}]" for s in chosen]
        answer.text = "\n".join([self._lead(answer, question, chosen)] + lines)

    def _each_part(self, query: str, hits: list[Hit], sentences: dict, chosen: list[Scored]) -> list[Scored]:
        """`chosen`, and for each question a question asks ("Since when ..., and is Brazil one of
        them?"), the sentence of the cited paragraphs that answers it best, when no quoted one
        nearly does: the sentence chosen for the whole question answers one part. Each part is
        embedded on its own (one e5 query more per part, only for such questions)."""
        asked = parts(query)
        if len(asked) < 2:
            return chosen
        quoted = {(s.hit_index, s.n) for s in chosen}
        cited = {s.hit_index for s in chosen}
        for part in asked:
            scored = [s for s in score_sentences(analyse(part), self.index.embed_query(part), hits, sentences)
                      if s.hit_index in cited]
            covered = max((s.score for s in scored if (s.hit_index, s.n) in quoted), default=-1.0)
            if scored and covered < scored[0].score - PART_COVERED and len(chosen) < PART_LIMIT:
                chosen = chosen + [scored[0]]
                quoted.add((scored[0].hit_index, scored[0].n))
        return chosen

    def _from_named(self, hits: list[Hit], query: str, question: Question, vector) -> list[Scored]:
        """The sentences of what the question names: each text of a question asked of several,
        or the top paragraph when it is the block the question names ("...listed as
        references"). None otherwise, or when a filter left none of them."""
        compared = self.index.named(query).compared
        if len(compared) > 1:
            return self._from_each(hits, question, vector, compared)
        if hits[0].paragraph in blocks_asked(query, of_one_document=True):
            return self._from_hit(hits, 0, question, vector)
        return []

    def _from_each(self, hits: list[Hit], question: Question, vector, compared: frozenset[frozenset[str]]) -> list[Scored]:
        """The answer to a question asked of several texts: the best sentence (or pair) of each
        text's first paragraph among the hits (Index.search puts one of each there). Their
        sentences are not compared with one another: they may be in two languages."""
        chosen = []
        for work in compared:
            n = next((n for n, hit in enumerate(hits) if hit.is_of(work)), None)
            if n is not None:
                chosen += self._from_hit(hits, n, question, vector)[:2]
        return chosen

    def _from_hit(self, hits: list[Hit], n: int, question: Question, vector) -> list[Scored]:
        """The sentences that answer from hit `n` alone."""
        sentences = self.index.sentences([hits[n]])
        scored = score_sentences(question, vector, [hits[n]], sentences)
        return [replace(s, hit_index=n) for s in choose(question, vector, scored, sentences, [hits[n]])]

    def _cited_provisions(self, answer: Answer, query: str, question: Question, vector) -> list[Scored]:
        """The sentences answering a question that cites provisions by number ("What does
        target 16.1 say?"): those of the cited provisions only, however alike a neighbour's
        are (they rank first, so they are a prefix of the hits). A question asking for the
        provision itself gets it whole, in reading order, as the document prints it."""
        cited = answer.retrieved[:next((n for n, h in enumerate(answer.retrieved) if not h.exact_match),
                                       len(answer.retrieved))]
        whole = not self._asked_beyond_citation(query)
        if whole:
            answer.retrieved[:len(cited)] = cited = sorted(cited, key=lambda h: (h.document, h.order))
        sentences = self.index.sentences(cited[:PARAGRAPHS_READ])
        scored = score_sentences(question, vector, cited, sentences)
        if whole:
            return sorted(scored, key=lambda s: (s.hit_index, s.n))[:WHOLE_PROVISION_SENTENCES]
        return choose(question, vector, scored, sentences, cited)

    @staticmethod
    def _lead(answer: Answer, question: Question, chosen: list[Scored]) -> str:
        """The first line. When quotes are in another language than the question, it says so
        and leads with what needs no translation: the dates, numbers, places and names of
        those quotes, written for the asker (the kind asked for first)."""
        foreign = [s for s in chosen if answer.retrieved[s.hit_index].language not in ("", answer.language)]
        if not foreign:
            return text("intro", answer.language)
        first = answer.retrieved[foreign[0].hit_index]
        found = [f for s in foreign for f in facts(s.text) if f.written_for(answer.language) not in question.given]
        if question.kinds:  # a fact of another kind than asked for would read as the answer: leave it out
            found = [f for f in found if any(question.answered_by(f, kind) for kind in question.kinds)]
        lead = list(dict.fromkeys(f.written_for(answer.language) for f in goals_listed(found)))[:LEAD_FACTS]
        # Some quotes in the asker's language, some not: a question asked of two texts.
        intro = text("intro_quoting" if len(foreign) == len(chosen) else "intro_quoting_some", answer.language,
                     source=language_name(first.language, answer.language))
        cited = next(c.n for c in answer.citations if c.hit.key == first.key)
        return f"{intro} {'; '.join(lead)} [{cited}]" if lead else intro

    def _resolve_followup(self, answer: Answer, history: list[Turn]) -> str:
        """The question to search with. When the LLM fails to condense a follow-up, the
        rules do it and the answer is extractive: one timeout per question, not two."""
        try:
            return resolve_followup(answer.question, history, self.llm)
        except Exception as error:  # an endpoint that fails or times out must not cost the user an answer
            answer.llm_error = _reason(error)
            return resolve_followup(answer.question, history)

    def _answer_with_llm(self, answer: Answer, query: str, vector) -> None:
        from assistant.llm import answer_with_llm
        answer.retrieved = asked_kind_first(analyse(query), answer.retrieved)
        try:
            answer_with_llm(answer, self.llm, self._supports)
        except Exception as error:  # an endpoint that fails or times out must not cost the user an answer
            answer.llm_error = _reason(error)
            answer.citations, answer.unsupported = [], []
            self._answer_extractively(answer, query, vector)

    def _supports(self, claim: str, hit: Hit) -> str:
        """The paragraph sentence that supports `claim`, or "" (see assistant.cite)."""
        claim_vector = self.index.embed_passage(claim)  # compared with passage vectors: embedded as one
        return supporting_sentence(claim, claim_vector, self.index.sentences([hit])[hit.key],
                                   calibration(self.index.embedder.model_name).semantic_support)
