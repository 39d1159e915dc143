"""Which documents a question names: "according to the Tampere Convention", "Res. 140",
"القرار 80/16", "في الميثاق". A named document's paragraphs are preferred, and the
identifier that named it ("80/16") is not taken for a passage to quote.

A document is named by
- its symbol, or the number its symbol gives it with a kind of document ("Resolution 140",
  "القرار 140", "Decision 11", "80/16": a number with a slash needs no kind word);
- two consecutive words of its title that at most two titles hold ("Universal Declaration");
- a kind of document, in either language, that at most two titles hold ("the Charter",
  "الاتفاقية" for the two conventions).
Written by hand: no library maps "الاتفاقية" to a title that says "Convention".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.arabic import normalize, tokens

NAME_HOLDERS = 2           # a title word or pair names a document when at most this many titles hold it
# Kinds of document, each with the words that name it in English and Arabic.
KINDS = {
    "charter": "charter ميثاق الميثاق",
    "declaration": "declaration إعلان الإعلان",
    "convention": "convention اتفاقية الاتفاقية",
    "constitution": "constitution دستور الدستور",
    "agenda": "agenda خطة",
    "resolution": "resolution res قرار القرار",
    "decision": "decision مقرر المقرر",
    "report": "report تقرير التقرير",
    "protocol": "protocol بروتوكول",
    "treaty": "treaty معاهدة المعاهدة",
    "goals": "goals targets أهداف الأهداف غايات",
    "indicators": "indicators framework مؤشرات المؤشرات",
}
_KIND_OF = {stem: kind for kind, words in KINDS.items() for stem in tokens(words)}
_SYMBOL_NUMBER = re.compile(r"(\d+(?:/\d+)*)")


@dataclass(frozen=True)
class Named:
    documents: frozenset[str]     # named by a title's words or a kind of document
    by_symbol: frozenset[str]     # named by symbol or number: the question asks about that very text
    identifiers: frozenset[str]   # what named them: not a passage's identifier
    names: frozenset[tuple[str, ...]] = frozenset()  # the token pairs and kind words that named them

    def unnamed(self, query: str) -> str:
        """The question without the words that named a document: they were spent on finding
        the document, and would favour the sentence that repeats its title over the answer."""
        words = query.split()
        held = [(i, t) for i, word in enumerate(words) for t in tokens(word)]
        named = {i for i, t in held if (t,) in self.names}
        for (i, first), (j, second) in zip(held, held[1:]):
            if (first, second) in self.names:
                named.update((i, j))
        kept = [w for i, w in enumerate(words) if i not in named]
        return " ".join(kept) if kept and named else query


NOTHING_NAMED = Named(frozenset(), frozenset(), frozenset())


def _kinds(text: str) -> set[str]:
    return {_KIND_OF[t] for t in tokens(text) if t in _KIND_OF}


def named_documents(query: str, titles: dict[str, str], symbols: dict[str, str]) -> Named:
    text = normalize(query).casefold()
    asked = tokens(query)
    asked_kinds = _kinds(query)
    pairs = set(zip(asked, asked[1:]))
    title_words = {d: tokens(t) for d, t in titles.items()}
    title_pairs = {d: set(zip(w, w[1:])) for d, w in title_words.items()}
    title_kinds = {d: _kinds(t) | _kinds(symbols.get(d, "")) for d, t in titles.items()}
    holders: dict = {}  # how many titles hold each word, pair of words and kind: a name is rare
    for document in titles:
        for term in set(title_words[document]) | title_pairs[document] | title_kinds[document]:
            holders[term] = holders.get(term, 0) + 1
    named, by_symbol, used, names = set(), set(), set(), set()
    for document in titles:
        symbol = normalize(symbols.get(document, "")).casefold()
        number = next(iter(_SYMBOL_NUMBER.findall(symbol.split("(")[0])[-1:]), "")
        said = re.search(rf"(?<![\w/]){re.escape(number)}(?![\w/])", text) if number else None
        if (symbol and symbol in text) or (said and ("/" in number or title_kinds[document] & _kinds(
                text[max(0, said.start() - 30):said.start()]))):
            by_symbol.add(document)
            used.add(number)
        elif naming := [p for p in pairs & title_pairs[document] if holders[p] <= NAME_HOLDERS]:
            named.add(document)
            names.update(naming)
        elif kinds := {k for k in asked_kinds & title_kinds[document] if holders[k] <= NAME_HOLDERS}:
            named.add(document)
            names.update((w,) for w in asked if _KIND_OF.get(w) in kinds)
    return Named(frozenset(named - by_symbol), frozenset(by_symbol), frozenset(used), frozenset(names))
