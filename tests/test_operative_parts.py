"""A question naming an operative part of a resolution by its verb ("What does Resolution 140
resolve?") or by whom it addresses ("...give the Secretary-General") points at that part, not
at the preamble that recalls the resolution's earlier version."""
from __future__ import annotations

import pytest

from index.operative_parts import PartsAsked, asked


@pytest.mark.parametrize("question, verbs, addressees", [
    ("What tasks does Resolution 140 give ITU's Secretary-General?", {"instructs"}, {"secretary-general"}),
    ("ما الذي يطلبه القرار 140 من المجلس؟", {"requests"}, {"council"}),
    ("ماذا يطلب القرار 102 من مدير مكتب تنمية الاتصالات؟", {"requests"}, {"telecommunication development bureau"}),
    ("What does Resolution 102 want from the BDT Director?", set(), {"telecommunication development bureau"}),
    ("What does Resolution 140 resolve?", {"resolves"}, set()),
    ("ماذا يقرر القرار 200؟", {"resolves", "decides"}, set()),
    ("What does Resolution 140 say about WSIS?", set(), set()),
])
def test_verbs_and_addressees_are_read_in_both_languages(question, verbs, addressees):
    assert asked(question) == PartsAsked(frozenset(verbs), frozenset(addressees))


def test_only_operative_parts_with_the_asked_verb_or_addressee_are_meant():
    to_the_sg = PartsAsked(frozenset({"requests"}), frozenset({"secretary-general"}))
    assert to_the_sg.holds("instructs the Secretary-General 3(i)")      # "asks the SG" means any directive
    assert not to_the_sg.holds("recalling (f)")                          # a preambular part
    assert not to_the_sg.holds("requests the ITU Council 3")
    resolving = PartsAsked(frozenset({"resolves"}), frozenset())
    assert resolving.holds("resolves 6(i)") and not resolving.holds("instructs the Secretary-General 1")
    assert not PartsAsked(frozenset(), frozenset({"council"})).holds("considering the Council's role 1")


@pytest.mark.parametrize("question, resolution, part", [
    ("Which tasks does Resolution 140 assign to the Secretary-General?", "Resolution 140", "instructs the Secretary-General"),
    ("What does Resolution 140 resolve?", "Resolution 140", "resolves"),
    # Resolution 140's preamble, which mentions Resolution 200, was first.
    ("ماذا يقرر القرار 200؟", "Resolution 200", "resolves"),
])
def test_a_question_naming_the_part_gets_it_first(corpus_index, question, resolution, part):
    top = corpus_index.search(question, k=1)[0]
    assert top.document.startswith(resolution) and top.paragraph.startswith(part), (top.document, top.paragraph)
