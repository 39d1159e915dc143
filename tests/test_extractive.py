"""Which sentences an extractive answer quotes: a sentence holding the one kind of answer
asked for is not padded with a near-tie from a third paragraph."""
from __future__ import annotations

import numpy as np

from assistant.extractive import RUNNER_UP_WITHIN, Scored, choose
from assistant.question import analyse
from index.model import Hit


def _hit(paragraph: str, text: str) -> Hit:
    return Hit(f"convention#{paragraph}#0", "convention", paragraph, paragraph, "en", "A convention", "", text, 1.0)


FIRST = "Denunciation shall take effect ninety (90) days following the deposit of the notification."
ANSWERING = "The Convention shall enter into force upon ratification by thirty (30) States."
THIRD = "Any State may make reservations to this Convention when ratifying it."
HITS = [_hit("15.2", FIRST), _hit("12.3", ANSWERING), _hit("14.1", THIRD)]


def _scored(hit_index: int, score: float, answers: bool) -> Scored:
    return Scored(hit_index, 0, HITS[hit_index].text, score, 0.0, answers, score)


def _quoted(question: str) -> list[str]:
    best = _scored(1, 0.900, answers=True)
    near = [_scored(0, 0.900 - RUNNER_UP_WITHIN / 2, answers=True), _scored(2, 0.900 - RUNNER_UP_WITHIN / 2, answers=False)]
    chosen = choose(analyse(question), np.zeros(2, dtype=np.float32), [best] + near, {}, HITS)
    return [HITS[s.hit_index].paragraph for s in chosen]


def test_a_count_found_is_not_padded_with_a_third_paragraph():
    # The top paragraph stays quoted beside it: retrieval judged it best as a whole.
    assert _quoted("How many States must ratify the Convention before it enters into force?") == ["12.3", "15.2"]


def test_near_ties_are_quoted_when_no_kind_of_answer_is_asked():
    assert _quoted("What does the Convention say about ratification?") == ["12.3", "15.2", "14.1"]


def test_near_ties_are_quoted_when_two_kinds_are_asked():
    # "when ... and how many": the count found does not answer the date
    assert analyse("When and by how many States must the Convention be ratified?").kinds == ("date", "number")
    assert _quoted("When and by how many States must the Convention be ratified?") == ["12.3", "15.2", "14.1"]


def test_the_questions_a_question_asks():
    from assistant.question import parts
    assert parts("How many seats does the Council have, and how long do its members serve?") == [
        "How many seats does the Council have", "how long do its members serve?"]
    assert parts("كيف يجري تعديل الاتفاقية؟ وما المهلة المتاحة للدول الأطراف؟") == [
        "كيف يجري تعديل الاتفاقية", "وما المهلة المتاحة للدول الأطراف؟"]
    # "when and where" asks two kinds of one thing (Question.kinds), not two questions
    assert parts("When and where was CSW67 held?") == ["When and where was CSW67 held?"]
