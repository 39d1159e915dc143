"""Hits -> hits: for a question asking a date, an amount, a share, a count or who, a paragraph
among the first few that holds one goes first when the first holds none.

Retrieval weighs what a paragraph is about; "When was the policy brief released?" is
answered by the paragraph that dates it, which often ranks just below one about the
same brief that gives no date. Only the kinds fact extraction finds reliably in either
language are used (assistant.abstain.RELIABLE_KINDS), and who; a provision cited by number keeps
its place (dev: council hit@1 +0.021, the same within the first 2, 3 or 5 hits). Whether
to answer at all is judged before, on the search's order: a paragraph moved up for holding
any figure would make "How many languages does ITU work in?" look answerable.
"""
from __future__ import annotations

from assistant.abstain import RELIABLE_KINDS
from assistant.facts import facts
from assistant.question import Question
from index.model import Hit

LOOKED_AT = 3   # how far down a paragraph holding the asked kind may come from
# "Who ...?" too: a paragraph naming a person or an office ("the Secretary-General", "الأمينة
# العامة") or a body in Latin script is evidence; none found is not (a body named in Arabic words
# is no fact found), so "who" never declines a question (assistant.abstain). Dev: council hit@1
# +0.021 in each language, nothing else moved.
REORDERED_KINDS = RELIABLE_KINDS + ("name",)


def holds_asked_kind(question: Question, hit: Hit) -> bool:
    return any(question.answered_by(fact) for fact in facts(hit.text))


def asked_kind_first(question: Question, hits: list[Hit]) -> list[Hit]:
    if question.asks not in REORDERED_KINDS or not hits or hits[0].exact_match or holds_asked_kind(question, hits[0]):
        return hits
    for n, hit in enumerate(hits[1:LOOKED_AT], 1):
        if not hit.exact_match and holds_asked_kind(question, hit):
            return [hit] + hits[:n] + hits[n + 1:]
    return hits
