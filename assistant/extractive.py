"""The offline answerer: pick the sentence (or two adjacent sentences) of the top
paragraphs that answers the question, cited. Never a dump of whole paragraphs.

A sentence is scored by its e5 similarity to the question, by how much of the
question's distinctive wording it holds (words that every candidate sentence
shares were spent on finding the paragraph and tell sentences apart no more),
and by whether it holds an answer of the kind asked for (a date for "when", a
number for "how many"...). Two adjacent sentences compete as one candidate: a
paragraph often names an event in one sentence and gives its place and date in
the next.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from assistant.facts import facts
from assistant.question import Question
from index.api import Sentence
from index.arabic import tokens
from index.bilingual import translated
from index.language import script
from index.model import Hit

PARAGRAPHS_READ = 3        # sentences are taken from the top paragraphs only
OVERLAP_WEIGHT = 0.05      # a sentence holding all the question's distinctive words gains about 1st-3rd's gap
ANSWER_TYPE_BONUS = 0.03   # holding an answer of the asked kind outweighs a near tie in similarity
RANK_PENALTY = 0.01        # per paragraph rank: retrieval already weighed the whole paragraph
PAIR_COST = 0.012          # a pair must earn its extra length: a single sentence wins a tie
RUNNER_UP_WITHIN = 0.005   # another sentence this close to the best is quoted too (dev: 0.01 -> 0.005 kept every key, citation P +0.03-0.04)
# An English question's e5 similarity to Arabic sentences favours the one restating its subject
# (a meeting's date and place) over the one answering: another sentence of the same paragraph
# this close is quoted too (dev: council English key containment 0.735 -> 0.796, citation
# precision unchanged; 0.02: 0.755; 0.06 and 0.1: no more).
CROSS_SCRIPT_WITHIN = 0.04
MAX_SENTENCES = 3


@dataclass
class Scored:
    hit_index: int             # which retrieved paragraph the sentence is from
    n: int                     # its position in that paragraph
    text: str                  # as printed
    similarity: float          # e5 cosine, question vs sentence
    overlap: float             # weighted share of the question's distinctive words it holds
    answers: bool              # holds an answer of the kind asked for
    score: float = 0.0


def score_sentences(question: Question, vector, hits: list[Hit], sentences: dict) -> list[Scored]:
    """Every sentence of the top paragraphs, scored against the question, best first."""
    # e5 scores a question higher against any text in its own language, so sentences of two
    # languages are not compared: those of the paragraph retrieval put first, and its language's.
    candidates = [(i, s) for i, hit in enumerate(hits[:PARAGRAPHS_READ]) if hit.language == hits[0].language
                  for s in sentences.get(hit.key, [])]
    if not candidates:
        return []
    similarities = np.stack([s.vector for _, s in candidates]) @ np.asarray(vector, dtype=np.float32)
    weigh = _distinctive_weights(question.wording, [s.as_read for _, s in candidates])
    scored = []
    for (i, sentence), similarity in zip(candidates, similarities):
        overlap = weigh(set(tokens(sentence.as_read)))
        answers = bool(question.asks) and any(question.answered_by(f) for f in facts(sentence.text))
        score = float(similarity) + OVERLAP_WEIGHT * overlap + ANSWER_TYPE_BONUS * answers - RANK_PENALTY * i
        scored.append(Scored(i, sentence.n, sentence.text, float(similarity), overlap, answers, score))
    return sorted(scored, key=lambda s: (-s.score, s.hit_index, s.n))


def _distinctive_weights(question: str, texts: list[str]):
    """A function giving the weighted share of the question's words a sentence holds;
    a word's weight is its inverse frequency among the candidate sentences. Sentences in
    the other script are looked at for the question's words translated (index.bilingual),
    and for the ones no script changes (figures, acronyms)."""
    wanted = set(tokens(question))
    if texts and script(question) != script(" ".join(texts)):
        wanted |= set(translated(question))
    held = [set(tokens(t)) for t in texts]
    weight = {w: math.log(1 + len(held) / (1 + sum(w in h for h in held))) for w in wanted}
    total = sum(weight.values())

    def share(words: set[str]) -> float:
        return sum(weight[w] for w in wanted & words) / total if total else 0.0
    return share


def choose(question: Question, vector, scored: list[Scored], sentences: dict, hits: list[Hit]) -> list[Scored]:
    """The best sentence, or the best pair of adjacent sentences when the pair scores higher;
    then a runner-up that scores nearly as well as the best sentence (often from another
    paragraph, when retrieval put the answering one second). Dev: dropping a third paragraph's
    runner-up beside a sentence that holds the kind asked for raised citation precision
    (intergov 0.623 -> 0.652, council 0.899 -> 0.908) and lost no key."""
    if not scored:
        return []
    best = [scored[0]]
    best_score = scored[0].score
    by_position = {(s.hit_index, s.n): s for s in scored}
    vectors = {(i, s.n): s.vector for i, hit in enumerate(hits[:PARAGRAPHS_READ]) for s in sentences.get(hit.key, [])}
    query = np.asarray(vector, dtype=np.float32)
    weigh = _distinctive_weights(question.wording, [s.text for s in scored])
    for (i, n), first in by_position.items():
        second = by_position.get((i, n + 1))
        if second is None:
            continue
        joined = vectors[(i, n)] + vectors[(i, n + 1)]
        similarity = float(joined @ query / (np.linalg.norm(joined) or 1.0))
        overlap = weigh(set(tokens(first.text)) | set(tokens(second.text)))
        answers = first.answers or second.answers
        score = (similarity + OVERLAP_WEIGHT * overlap + ANSWER_TYPE_BONUS * answers - RANK_PENALTY * i
                 - PAIR_COST)
        if score > best_score:
            best, best_score = [first, second], score
    # Across scripts the similarities guide less: more of the best paragraph is quoted.
    same_paragraph_within = CROSS_SCRIPT_WITHIN if script(question.text) != script(scored[0].text) else RUNNER_UP_WITHIN
    # A sentence that holds the one kind of answer asked for needs no third paragraph beside it:
    # only its own, or the one retrieval put first.
    answered = len(question.kinds) == 1 and any(s.answers for s in best)
    runner_up = [s for s in scored[1:] if s not in best and (s.hit_index in (best[0].hit_index, 0) or not answered)
                 and s.score >= scored[0].score - (
                     same_paragraph_within if s.hit_index == best[0].hit_index else RUNNER_UP_WITHIN)]
    return (best + runner_up)[:MAX_SENTENCES]
