"""Which operative parts of an ITU resolution a question is about, by whom they address:
"What tasks does Resolution 140 give the Secretary-General?", "ما الذي يطلبه القرار 140 من
المجلس؟". The parser names each part by its verb and addressee ("instructs the
Secretary-General 3", "requests the ITU Council 1": index.numbering.verb), so a question
naming the addressee points at those units of the resolution it names.
Written by hand: the addressees are ITU's own offices, in both languages.
"""
from __future__ import annotations

import re

from index.arabic import normalize
from index.numbering import ARABIC_ADDRESSEES

# Each addressee as the parser's part names print it, and the words a question may use for it.
ADDRESSEES = {
    "secretary-general": ("secretary-general", "secretary general"),
    "council": ("council",),
    "member states": ("member states",),
    "sector members": ("sector members",),
    "telecommunication development bureau": ("telecommunication development bureau", "bdt"),
    "telecommunication standardization bureau": ("telecommunication standardization bureau", "tsb"),
    "radiocommunication bureau": ("radiocommunication bureau",),
}
_OPERATIVE = re.compile(r"^(?:instructs|requests|invites|encourages|urges|calls upon|resolves|decides)\b", re.I)
_NUMBER = re.compile(r"\s+\d+\w*(?:\([^)]*\))*$")   # "instructs the Secretary-General 3(i)" -> its part


def _english(arabic: str) -> str:
    return next((a for a in ADDRESSEES if a in arabic.casefold()), "")


_ARABIC = {normalize(phrase): _english(english) for phrase, english in ARABIC_ADDRESSEES.items()}
_ARABIC |= {normalize("الأمينة العامة"): "secretary-general"}


def addressed(question: str) -> set[str]:
    """The addressees (keys of ADDRESSEES) a question names, in English or Arabic."""
    text = normalize(question).casefold()
    found = {a for a, words in ADDRESSEES.items() if any(re.search(rf"\b{re.escape(w)}\b", text) for w in words)}
    return found | {english for arabic, english in _ARABIC.items() if english and arabic in text}


def addresses(paragraph: str, wanted: set[str]) -> bool:
    """Whether the unit with this id is in an operative part addressed to one of `wanted`."""
    part = _NUMBER.sub("", paragraph).casefold()
    return bool(_OPERATIVE.match(part)) and any(a in part for a in wanted)
