"""Whether the retrieved paragraphs can answer at all.

e5 cosines bunch between 0.7 and 0.9, so no single raw threshold works across
corpora: the best sentence's similarity is weighed together with its margin
over the corpus background (the median similarity of the question's nearest
sentences). Below a hard floor the assistant abstains; between the hard and the
soft floor it answers only if the best sentence stands out from the background.
The floors are calibrated per embedder (assistant/calibration.py) with
evals/calibrate_abstention.py on questions kept apart from the gold set.
"""
from __future__ import annotations

import re
import statistics

from assistant.calibration import calibration
from assistant.extractive import MAX_SENTENCES, PARAGRAPHS_READ, Scored
from assistant.question import Question
from index.api import Index
from index.arabic import identifiers, normalize
from index.language import script
from index.model import Hit
from index.named_blocks import blocks_asked
from index.provision_refs import references


def margin(vector, best: float, index: Index) -> float:
    """How far the best sentence stands above the question's background in this corpus."""
    background = index.background(vector)
    return best - statistics.median(background) if background else 0.0


def _cited_numbers(question: Question) -> frozenset[str]:
    """The key terms that number a provision the question cites ("16.1" in "target 16.1"): ids,
    which the provision's text does not repeat."""
    cited = [ref.written.casefold() for ref in references(question.text)]
    return frozenset(term.casefold() for term in question.key_terms if any(term.casefold() in c for c in cited))


def _named_in(question: str, text: str) -> bool:
    return any(i.casefold() in text.casefold() for i in identifiers(question))


# ITU names a conference by its year after a hyphen (WTDC-22, PP-18, WRC-23); a text may write the year out.
_YEAR_CODE = re.compile(r"^[A-Za-z]+-(\d\d)$")


def missing_key_terms(question: Question, hits: list[Hit], naming: frozenset[str] = frozenset()) -> list[str]:
    """Figures, years and identifiers of the question that no paragraph read for the answer
    holds: a question about COP27 or HLPF 2022 is not answered by a paragraph about COP28
    or HLPF 2023, however alike their other words are. A number that names a document
    ("Decision 11", "80/16": `naming`) is not sought in its paragraphs."""
    texts = [normalize(hit.text).casefold() for hit in hits[:PARAGRAPHS_READ]]

    def held(term: str) -> bool:
        return any(re.search(rf"(?<![\w/]){re.escape(term.casefold())}(?![\w/])", t) for t in texts)

    return [term for term in question.key_terms if term.casefold() not in naming
            and not held(term) and not ((m := _YEAR_CODE.match(term)) and held("20" + m.group(1)))]


# Kinds of answer that fact extraction finds reliably in either language: when none of the
# sentences an answer could quote holds one, the documents do not say (a date for "when", a
# figure for "how many"). Any sentence of the paragraphs read was too lenient: "how many Member
# States" was answered because a sentence about something else held a number.
RELIABLE_KINDS = ("days", "day", "date", "money", "percentage", "number")


def no_answer_of_the_kind(question: Question, scored: list[Scored]) -> bool:
    return question.asks in RELIABLE_KINDS and not any(s.answers for s in scored[:MAX_SENTENCES])


def ruled_out(question: Question, hits: list[Hit], scored: list[Scored], index: Index) -> bool:
    """Declined whatever the similarities: a key term no paragraph read holds, or no answer
    of a kind the documents would print. A question citing a provision by number ("What
    share does target 9.5 set?") is answered by that provision, so the kind asked for is
    looked for in its sentences only: a neighbour's figure is no answer to it."""
    naming = index.named(question.text).identifiers | _cited_numbers(question)
    if references(question.text) and hits and hits[0].exact_match:
        scored = [s for s in scored if hits[s.hit_index].exact_match]
    return bool(missing_key_terms(question, hits, naming)) or no_answer_of_the_kind(question, scored)


def decided(question: Question, hits: list[Hit], scored: list[Scored], index: Index) -> bool | None:
    """True: abstain, False: answer, whatever the similarities; None: the floors decide."""
    if not hits or not scored or ruled_out(question, hits, scored, index):
        return True
    if (_named_in(question.text, hits[0].text) or (hits[0].exact_match and references(question.text))
            or hits[0].paragraph in blocks_asked(question.text, of_one_document=True)):
        # The question names an identifier or acronym the top paragraph holds, cites it by
        # number, or names its block ("...listed as references"): "What does Article 19 say?"
        # is as far from any sentence as it is answerable.
        return False
    return None


def should_abstain(question: Question, vector, hits: list[Hit], scored: list[Scored], index: Index) -> bool:
    verdict = decided(question, hits, scored, index)
    if verdict is not None:
        return verdict
    best = scored[0]
    calibrated = calibration(index.embedder.model_name)
    same = script(question.text) == script(hits[best.hit_index].text)
    floors = calibrated.same_script if same else calibrated.cross_script
    if best.similarity < floors.hard:
        return True
    return best.similarity < floors.soft and margin(vector, best.similarity, index) < floors.margin
