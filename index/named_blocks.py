"""Which front-page blocks a question names: "What is the purpose of this report?" asks for
the Purpose block, "ما الوثائق المذكورة في المراجع؟" for References.

A block is named when the question holds every word of one of its labels, in any of the
template's languages (index.front_matter). Labels are also everyday words ("the purpose of
the WSIS Forum", "with reference to education", "لأي غرض"), so they are taken only in a
question that speaks of a report or document, even one asked of a single document.
"""
from __future__ import annotations

import re

from index.arabic import tokens
from index.front_matter import FRONT_LABELS

_LABEL_WORDS = {key: [frozenset(tokens(label)) for label in labels] for key, labels in FRONT_LABELS.items()}
_OF_A_DOCUMENT = re.compile(r"\b(report|document|paper)s?\b|(?<![\u0621-\u064A])(?:[ولب]?ال)?(?:تقرير|وثيقة|ورقة)", re.I)


def blocks_asked(question: str, of_one_document: bool = False) -> frozenset[str]:
    """The ids (`front.<key>`) of the blocks the question names; `of_one_document`: whether or
    not it speaks of a document (its top paragraph is already the block)."""
    if not (of_one_document or _OF_A_DOCUMENT.search(question)):
        return frozenset()
    words = set(tokens(question))
    return frozenset(f"front.{key}" for key, labels in _LABEL_WORDS.items()
                     if any(label and label <= words for label in labels))
