"""Which documents a question names: "according to the Tampere Convention", "Res. 140",
"القرار 80/16", "في الميثاق". A named document's paragraphs are preferred, and the
identifier that named it ("80/16") is not taken for a passage to quote.

A document is named by
- its symbol, or the number its symbol gives it with a kind of document ("Resolution 140",
  "القرار 140", "Decision 11", "80/16": a number with a slash needs no kind word);
- two consecutive words of its title that at most two titles hold ("Universal Declaration"),
  or of a glossary term's translation when the title is in the other language ("اتفاقية
  تامبيري" -> "Tampere Convention": index.bilingual);
- a kind of document, in either language, that at most two titles hold ("the Charter",
  "الاتفاقية" for the two conventions);
- the initials of its title's capitalised words ("UDHR" for the Universal Declaration of
  Human Rights), when at most two titles have them;
- of the documents a name holds, those of the kind of instrument the question says: "the ITU
  Convention" (the initials of a run of the title's words, which name nothing alone: "ITU"
  is the organisation), "اتفاقية الاتحاد الدولي للاتصالات" is the Convention, not also the
  Constitution.
Written by hand: no library maps "الاتفاقية" to a title that says "Convention".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.arabic import normalize, tokens
from index.bilingual import terms

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
# Kinds that name an instrument the way a title does ("the Charter", "الدستور"); the others are
# also common nouns ("a GA agenda item", "which SDG target", "the indicator framework").
INSTRUMENTS = {"charter", "declaration", "convention", "constitution", "protocol", "treaty"}
_SYMBOL_NUMBER = re.compile(r"(\d+(?:/\d+)*)")
_TITLE_WORD = re.compile(r"\b[A-Z][A-Za-z]*")     # initials are taken from these: "of", "the" are skipped
_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")
# What joins two things asked about: "and", "both", "compare", "بين", "كل من", "وكيف", "والميثاق".
_JOINED = re.compile(r"\b(?:and|both|compared?|versus|vs|between)\b|(?<!\S)(?:بين|كل من|مقارنة)(?!\S)"
                     r"|(?<!\S)و(?:كيف|ما|ماذا|هل|متى|أين|ال|دستور|ميثاق|اتفاقي|إعلان|اعلان|معاهد)", re.I)
# "و" or "ف" joined to a word that starts with alef ("واتفاقية تامبيري", "والميثاق"): the Arabic
# stemmer keeps it there (it strips it in "ودستور"), so the word would name nothing.
_CONJUNCTION = re.compile(r"(?<!\S)[وف](?=[اأإآ])")
_SAID_NUMBER = re.compile(r"(?<![\w/])\d+(?:/\d+)*(?![\w/])")   # a number as a question writes it: 140, 80/16


def _unjoined(text: str) -> str:
    return _CONJUNCTION.sub("", text)


@dataclass(frozen=True)
class Named:
    documents: frozenset[str]     # named by a title's words or a kind of document
    by_symbol: frozenset[str]     # named by symbol or number: the question asks about that very text
    identifiers: frozenset[str]   # what named them: not a passage's identifier
    names: frozenset[tuple[str, ...]] = frozenset()  # the token pairs and kind words that named them
    # Two or more texts the question asks of, each (the ids of its language versions): named by
    # what names one text only (its symbol, initials, a title pair or an instrument's kind no
    # other text holds), in a question that joins them ("Do the Tampere Convention and the
    # Constitution define ...?", "كيف يربط الميثاق ... وكيف يصف دستور الاتحاد ...؟").
    compared: frozenset[frozenset[str]] = frozenset()

    def unnamed(self, query: str) -> str:
        """The question without the words that named a document: they were spent on finding
        the document, and would favour the sentence that repeats its title over the answer."""
        words = query.split()
        held = [(i, t) for i, word in enumerate(words) for t in tokens(_unjoined(word))]
        named = {i for i, t in held if (t,) in self.names}
        for (i, first), (j, second) in zip(held, held[1:]):
            if (first, second) in self.names:
                named.update((i, j))
        kept = [w for i, w in enumerate(words) if i not in named]
        return " ".join(kept) if kept and named else query


NOTHING_NAMED = Named(frozenset(), frozenset(), frozenset())


def _kinds(text: str) -> set[str]:
    return {_KIND_OF[t] for t in tokens(text) if t in _KIND_OF}


class DocumentNames:
    """The catalog's titles and symbols, read once per change of the catalog: a question is
    matched by lookups, plus one substring test per symbol (0.02 ms at 443 documents, against
    4 ms when every title was tokenized per question)."""

    def __init__(self, titles: dict[str, str], symbols: dict[str, str]):
        words = {d: tokens(t) for d, t in titles.items()}
        self._kinds = {d: _kinds(t) | _kinds(symbols.get(d, "")) for d, t in titles.items()}
        pairs = {d: set(zip(w, w[1:])) for d, w in words.items()}
        holders: dict = {}  # how many titles hold each word, pair of words and kind: a name is rare
        for document in titles:
            for term in set(words[document]) | pairs[document] | self._kinds[document]:
                holders[term] = holders.get(term, 0) + 1
        self._by_term: dict = {}  # a rare pair or kind -> the documents it names
        for document in titles:
            for term in pairs[document] | self._kinds[document]:
                if holders[term] <= NAME_HOLDERS:
                    self._by_term.setdefault(term, set()).add(document)
        self._work = {d: symbols.get(d) or d for d in titles}  # language versions share a symbol
        self._versions: dict[str, set[str]] = {}
        for document, work in self._work.items():
            self._versions.setdefault(work, set()).add(document)
        initials: dict[str, set[str]] = {}
        runs: dict[str, set[str]] = {}  # initials of a run of a title's words: "ITU" in "Convention of the ITU"
        for document, title in titles.items():
            letters = "".join(w[0] for w in _TITLE_WORD.findall(title))
            if len(letters) >= 3:
                initials.setdefault(letters, set()).add(document)
            for start in range(len(letters)):
                for end in range(start + 3, len(letters) + 1):
                    runs.setdefault(letters[start:end], set()).add(document)
        self._by_initials = {a: ds for a, ds in initials.items() if len(ds) <= NAME_HOLDERS}
        self._by_run = {a: ds for a, ds in runs.items() if len(ds) <= NAME_HOLDERS}
        self._symbols = {d: normalize(symbols.get(d, "")).casefold() for d in titles}
        self._numbers = {d: next(iter(_SYMBOL_NUMBER.findall(s.split("(")[0])[-1:]), "") for d, s in self._symbols.items()}
        self._by_number: dict[str, set[str]] = {}
        for document, number in self._numbers.items():
            if number:
                self._by_number.setdefault(number, set()).add(document)

    def named(self, query: str) -> Named:
        text = normalize(query).casefold()
        separated = _unjoined(query)
        asked = tokens(separated)
        by_symbol = {d for d, symbol in self._symbols.items() if symbol and symbol in text}
        used = {self._numbers[d] for d in by_symbol if self._numbers[d]}
        for said in _SAID_NUMBER.finditer(text):
            for document in self._by_number.get(said.group(0), ()):
                if "/" in said.group(0) or self._kinds[document] & _kinds(text[max(0, said.start() - 30):said.start()]):
                    by_symbol.add(document)
                    used.add(said.group(0))
        by_kind, names = set(), set()
        # The documents each title pair, glossary term or acronym named, with the kinds of
        # instrument its own words say ("convention" in "اتفاقية الاتحاد الدولي للاتصالات").
        groups: list[tuple[set[str], set[str]]] = []
        qualifiers: list[tuple[set[str], str]] = []  # "ITU" in "the ITU Convention": names only with a kind
        works = {self._work[d] for d in by_symbol}
        spent = set()  # positions of the words a title's pair named: "Convention" in "Tampere Convention"
        for at, pair in enumerate(zip(asked, asked[1:])):
            if self._by_term.get(pair, set()) - by_symbol:
                groups.append((self._by_term[pair] - by_symbol, _kinds(" ".join(pair))))
                names.add(pair)
                spent.update((at, at + 1))
            works |= self._one_work(self._by_term.get(pair, set()))
        for start, end, rendering in terms(separated):  # a title in the other language: "اتفاقية تامبيري"
            for pair in zip(rendering, rendering[1:]):
                if self._by_term.get(pair, set()) - by_symbol:
                    groups.append((self._by_term[pair] - by_symbol, _kinds(" ".join(rendering))))
                    spent.update(range(start, end))
                works |= self._one_work(self._by_term.get(pair, set()))
        for acronym in _ACRONYM.findall(query):
            if self._by_initials.get(acronym, set()) - by_symbol:
                groups.append((self._by_initials[acronym] - by_symbol, set()))
                names.update((t,) for t in tokens(acronym))
            elif self._by_run.get(acronym, set()) - by_symbol:
                qualifiers.append((self._by_run[acronym] - by_symbol, acronym))
            works |= self._one_work(self._by_initials.get(acronym, set()))
        unspent = [w for at, w in enumerate(asked) if at not in spent]
        said = {_KIND_OF[w] for w in unspent if w in _KIND_OF} & INSTRUMENTS
        # Of the documents a name holds, those of the kind of instrument it or the question says:
        # "اتفاقية الاتحاد الدولي للاتصالات" is the Convention, "the ITU Constitution" the Constitution.
        by_pair = {d for group, kinds in groups for d in ({d for d in group if self._kinds[d] & (kinds | said)} or group)}
        for group, acronym in qualifiers:
            qualified = {d for d in group if self._kinds[d] & said}
            by_pair |= qualified
            if qualified:
                names.update((t,) for t in tokens(acronym))
        narrowing = {kind for kind in said if any(kind in self._kinds[d] for d in by_pair)}
        for kind in narrowing:  # the kind said names those documents, no other
            names.update((w,) for w in unspent if _KIND_OF.get(w) == kind)
            works |= self._one_work({d for d in by_pair if kind in self._kinds[d]})
        for kind in {_KIND_OF[w] for w in unspent if w in _KIND_OF} - narrowing:  # a kind names a document only when no pair of its title did
            for document in self._by_term.get(kind, set()) - by_symbol - by_pair:
                by_kind.add(document)
                names.update((w,) for w in unspent if _KIND_OF.get(w) == kind)
            if kind in INSTRUMENTS:
                works |= self._one_work(self._by_term.get(kind, set()))
        compared = frozenset(frozenset(self._versions[w]) for w in works) if len(works) > 1 and _JOINED.search(query) \
            else frozenset()
        return Named(frozenset(by_pair | by_kind), frozenset(by_symbol), frozenset(used), frozenset(names), compared)

    def _one_work(self, documents: set[str]) -> set[str]:
        """The text `documents` are versions of, when they are all of one."""
        works = {self._work[d] for d in documents}
        return works if len(works) == 1 else set()
