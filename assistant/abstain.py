"""Whether the retrieved paragraphs can answer at all. e5 cosines bunch between
0.7 and 0.9, so no single raw threshold works; the decision combines signals
calibrated on unanswerable questions (evals/calibration/)."""
from __future__ import annotations

import re

from assistant.extractive import Sentence
from index.arabic import identifiers, script
from index.model import Hit
from index.retrieve import Retriever

# Calibrated on evals/calibration/abstention.jsonl (see evals/calibrate_abstention.py).
SAME_SCRIPT_FLOOR = 0.82     # best sentence cosine when question and paragraph share a script
CROSS_SCRIPT_FLOOR = 0.79    # an English question against Arabic text scores lower throughout


def missing_identifiers(question: str, retriever: Retriever) -> list[str]:
    """Identifiers with a digit (COP27, CSW66, 47/23) that no indexed paragraph contains:
    a question about COP27 is not answered by a paragraph about COP28."""
    wanted = [i for i in identifiers(question) if re.search(r"\d", i)]
    return [i for i in wanted if not retriever.store.containing([i, i.upper()], None)]


def _named_in(question: str, text: str) -> bool:
    return any(i.casefold() in text.casefold() for i in identifiers(question))


def should_abstain(question: str, hits: list[Hit], sentences: list[Sentence], retriever: Retriever) -> bool:
    if not hits or not sentences:
        return True
    if missing_identifiers(question, retriever):
        return True
    if _named_in(question, hits[0].text):
        return False  # the question names an identifier or acronym the top paragraph holds
    best = sentences[0]
    same_script = script(question) == script(hits[best.hit_index].text)
    return best.similarity < (SAME_SCRIPT_FLOOR if same_script else CROSS_SCRIPT_FLOOR)
