"""Front-page blocks named in a question ("the purpose of this report", "قائمة المراجع") are
what it asks for: they rank first and the question is answered from them."""
from __future__ import annotations

import pytest

from index.named_blocks import blocks_asked
from index.retrieve import Filters


@pytest.mark.parametrize("question, blocks", [
    ("What is the purpose of this report?", {"front.purpose"}),
    ("ما الغرض من هذا التقرير؟", {"front.purpose"}),
    ("Which earlier Council documents are listed as references?", {"front.references"}),
    ("ما أحدث وثيقة مذكورة في قائمة المراجع؟", {"front.references"}),
    ("هل تترتب على هذا التقرير أي آثار مالية؟", {"front.financial"}),
    ("What action is required by the Council in this document?", {"front.action"}),
    # labels are everyday words unless a report or document is spoken of
    ("What is the purpose of the WSIS Forum?", set()),
    ("ما الغرض من القمة؟", set()),
    ("What does the Declaration say with reference to education?", set()),
    ("Which countries led the consultations?", set()),
])
def test_the_blocks_a_question_names(question, blocks):
    assert blocks_asked(question) == blocks


REPORT = Filters(document="council-2023-un-cooperation-report-ar")


def test_the_purpose_of_a_report_is_its_purpose_block(corpus_assistant):
    answer = corpus_assistant.ask("What is this report for? Tell me its purpose.", filters=REPORT)
    assert answer.retrieved[0].paragraph == "front.purpose"


def test_a_question_naming_the_references_is_answered_from_them(corpus_assistant):
    # An English question against the Arabic list of symbols scores under the similarity floor;
    # naming the block is enough, as citing an article by number is.
    answer = corpus_assistant.ask("Which Council documents does the reference list give?", filters=REPORT)
    assert not answer.abstained, answer.text
    assert answer.citations[0].hit.paragraph == "front.references"
    assert "C23/INF/9" in answer.text


def test_a_label_word_in_its_everyday_sense_does_not_lift_the_block(corpus_assistant):
    # even asked of the report alone: "for what purpose do the standards bodies work with OHCHR?"
    answer = corpus_assistant.ask("لأي غرض تتعاون منظمات وضع المعايير مع مكتب حقوق الإنسان؟", filters=REPORT)
    assert answer.retrieved[0].paragraph != "front.purpose"
