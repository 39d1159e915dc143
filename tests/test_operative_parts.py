"""A question naming whom a resolution's operative part addresses ("What tasks does
Resolution 140 give the Secretary-General?") points at that part."""
from __future__ import annotations

import pytest

from index.operative_parts import addressed, addresses


@pytest.mark.parametrize("question, wanted", [
    ("What tasks does Resolution 140 give ITU's Secretary-General?", {"secretary-general"}),
    ("ما الذي يطلبه القرار 140 من المجلس؟", {"council"}),
    ("ماذا يطلب القرار 102 من مدير مكتب تنمية الاتصالات؟", {"telecommunication development bureau"}),
    ("What does Resolution 102 ask the BDT Director to do?", {"telecommunication development bureau"}),
    ("What does Resolution 140 say about WSIS?", set()),
])
def test_addressees_are_read_in_both_languages(question, wanted):
    assert addressed(question) == wanted


def test_only_operative_parts_addressed_to_them_are_meant():
    assert addresses("instructs the Secretary-General 3(i)", {"secretary-general"})
    assert addresses("requests the ITU Council 3", {"council"})
    assert not addresses("recalling (f)", {"secretary-general"})              # a preambular part
    assert not addresses("instructs the Secretary-General 3", {"council"})
    assert not addresses("considering the Council's role 1", {"council"})


def test_a_question_naming_the_addressee_gets_that_part_first(corpus_index):
    top = corpus_index.search("Which tasks does Resolution 140 assign to the Secretary-General?", k=1)[0]
    assert top.paragraph.startswith("instructs the Secretary-General"), top.paragraph
