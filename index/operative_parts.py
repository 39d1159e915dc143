"""Which operative parts of an ITU resolution a question is about, by their verb and whom
they address: "What does Resolution 140 resolve?", "What tasks does Resolution 140 give the
Secretary-General?", "ما الذي يطلبه القرار 140 من المجلس؟". The parser names each part by
its verb and addressee ("resolves 3", "instructs the Secretary-General 3", "requests the ITU
Council 1": index.numbering.verb), so a question naming either points at those units of
the resolution it names, not at the preamble that recalls the resolution's earlier version.
Written by hand: the verbs and addressees are ITU's own, in both languages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.arabic import normalize
from index.numbering import ARABIC_ADDRESSEES

# Each verb as the parser's part names print it, and the words a question may use for it.
VERBS = {
    "resolves": ("resolve", "resolves", "resolved", "يقرر", "قرر"),
    "decides": ("decide", "decides", "decided", "يقرر", "قرر"),
    "instructs": ("instruct", "instructs", "instructed", "task", "tasks", "يكلف", "كلف"),
    "requests": ("request", "requests", "requested", "ask", "asks", "asked", "يطلب", "طلب", "يطلبه", "طلبه"),
    "invites": ("invite", "invites", "invited", "يدعو", "دعا"),
    "encourages": ("encourage", "encourages", "يشجع"),
    "urges": ("urge", "urges", "يحث"),
}
# Each addressee likewise.
ADDRESSEES = {
    "secretary-general": ("secretary-general", "secretary general"),
    "council": ("council",),
    "member states": ("member states",),
    "sector members": ("sector members",),
    "telecommunication development bureau": ("telecommunication development bureau", "bdt"),
    "telecommunication standardization bureau": ("telecommunication standardization bureau", "tsb"),
    "radiocommunication bureau": ("radiocommunication bureau",),
}
_OPERATIVE = re.compile(r"^(?:" + "|".join(VERBS) + r")\b")
_NUMBER = re.compile(r"\s+\d+\w*(?:\([^)]*\))*$")   # "instructs the Secretary-General 3(i)" -> its part


def _english(arabic: str) -> str:
    return next((a for a in ADDRESSEES if a in arabic.casefold()), "")


_ARABIC = {normalize(phrase): _english(english) for phrase, english in ARABIC_ADDRESSEES.items()}
_ARABIC |= {normalize("الأمينة العامة"): "secretary-general"}


@dataclass(frozen=True)
class PartsAsked:
    verbs: frozenset[str]        # keys of VERBS
    addressees: frozenset[str]   # keys of ADDRESSEES

    def __bool__(self) -> bool:
        return bool(self.verbs or self.addressees)

    def holds(self, paragraph: str) -> bool:
        """Whether the unit with this id is in an operative part addressed to an asked addressee
        or, when none is asked, with an asked verb. With an addressee the verb is not held to:
        "ask" and "يطلب من" stand for instructs, requests and invites alike."""
        part = _NUMBER.sub("", paragraph).casefold()
        if not _OPERATIVE.match(part):
            return False
        if self.addressees:
            return any(a in part for a in self.addressees)
        return part.startswith(tuple(self.verbs))


def _named(text: str, words: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(normalize(w))}(?!\w)", text) for w in words)


def asked(question: str) -> PartsAsked:
    """The verbs and addressees of operative parts a question names, in English or Arabic."""
    text = normalize(question).casefold()
    addressees = {a for a, words in ADDRESSEES.items() if _named(text, words)}
    addressees |= {english for arabic, english in _ARABIC.items() if english and arabic in text}
    return PartsAsked(frozenset(v for v, words in VERBS.items() if _named(text, words)), frozenset(addressees))
