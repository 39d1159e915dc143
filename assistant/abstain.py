"""Whether the retrieved paragraphs can answer at all. e5 cosines bunch between
0.7 and 0.9, so no single raw threshold works across corpora: the best sentence's
similarity is weighed together with its margin over the corpus background (the
median similarity of the question's 150 nearest sentences). Below a hard floor
the assistant abstains; between the hard and the soft floor it answers only if
the best sentence stands out from the background.

Floors from evals/calibrate_abstention.py on the calibration questions, checked
on XQuAD (Wikipedia): for English questions over Arabic text, against a
similarity-only floor of 0.79, the pair cut wrong abstentions on XQuAD from 38%
to 25% of 300 questions, with the same abstention figures on the Council gold set. The margin is inflated in a tiny corpus (the seed has 91 sentences,
so its "background" is the whole corpus): the hard floor guards that case.
"""
from __future__ import annotations

import re
import statistics
from typing import NamedTuple

from assistant.extractive import Sentence
from index.arabic import identifiers, script
from index.model import Hit
from index.retrieve import Retriever

class Floors(NamedTuple):
    hard: float      # best-sentence similarity below which the assistant abstains
    soft: float      # below this, it answers only with a margin of at least `margin`
    margin: float


# Within one script the margin helped nowhere measurable and cost XQuAD answers
# (Arabic->Arabic wrong abstentions 3% -> 9%): a question and its answer in one
# script score high enough for the similarity alone to decide.
SAME_SCRIPT = Floors(0.82, 0.82, 0.050)
CROSS_SCRIPT = Floors(0.77, 0.80, 0.045)   # an English question against Arabic text scores lower throughout
BACKGROUND = 150


def missing_identifiers(question: str, retriever: Retriever) -> list[str]:
    """Identifiers with a digit (COP27, CSW66, 47/23) that no indexed paragraph contains:
    a question about COP27 is not answered by a paragraph about COP28."""
    wanted = [i for i in identifiers(question) if re.search(r"\d", i)]
    return [i for i in wanted if not retriever.store.containing([i, i.upper()], None)]


def margin(vector: list[float], best: float, retriever: Retriever) -> float:
    """How far the best sentence stands above the question's background in this corpus."""
    background = [similarity for _, similarity in retriever.store.query_sentences(vector, BACKGROUND, None)]
    return best - statistics.median(background) if background else 0.0


def _named_in(question: str, text: str) -> bool:
    return any(i.casefold() in text.casefold() for i in identifiers(question))


def should_abstain(question: str, vector: list[float], hits: list[Hit], sentences: list[Sentence],
                   retriever: Retriever) -> bool:
    if not hits or not sentences:
        return True
    if missing_identifiers(question, retriever):
        return True
    if _named_in(question, hits[0].text):
        return False  # the question names an identifier or acronym the top paragraph holds
    best = sentences[0]
    floors = SAME_SCRIPT if script(question) == script(hits[best.hit_index].text) else CROSS_SCRIPT
    if best.similarity < floors.hard:
        return True
    return best.similarity < floors.soft and margin(vector, best.similarity, retriever) < floors.margin
