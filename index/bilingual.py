"""A question's words in the other script, for a lexical match across Arabic and English.

e5 alone ranks an English question over Arabic text (and an Arabic one over English
text): BM25 cannot read across scripts, so the one signal that finds the exact word
("withdrawal", "deposit") is missing there. Each question word is translated, and BM25
over the translations adds that signal back (evals.bench_retrieval, README.md). Two word
lists, both in index/data/ (NOTICE.md): a glossary of UN and ITU terms, matched as whole
terms first ("Plenipotentiary Conference" is مؤتمر المندوبين المفوضين, which no word by
word translation gives), then FreeDict's Arabic-English and English-Arabic dictionaries
(GPL-2.0-or-later) for single words. Both sides of every pair go through the lexical
analyzer, so a translation matches what the index holds. Loaded once, on the first search
(1-2 s).
"""
from __future__ import annotations

import gzip
import re
import sys
import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from index.arabic import tokens
from index.language import script

DICTIONARY = Path(__file__).parent / "data" / "freedict_ar_en.tsv.gz"
GLOSSARY = Path(__file__).parent / "data" / "un_itu_glossary.tsv"
# A word's translations kept, most alike first: e5's similarity of each dictionary pair's two
# sides (index/data/make_freedict_lexicon.py). XQuAD, BM25 of the translated words alone, R@1
# ar->en 0.392 -> 0.544, en->ar 0.497 -> 0.512 against keeping the senses most pairs share
# ("العالم" had been "universal, apocalypse, ecumenical"; it is "world, global, universal").
PER_WORD = 3
# A phrase translating a word ("غير منسق" for "uncoordinated") scores as a word pair but
# gives each of its words a sense they lack alone: "منسق" was "uncoordinated" (XQuAD ar->en
# translated R@1 0.505 without the cost, 0.544 at 0.05, 0.533 at 0.1).
PHRASE_COST = 0.05
LONGEST_TERM = 8  # words, after stopwords: "instructs the director of the telecommunication ... bureau"
_LOADING = threading.Lock()


@dataclass(frozen=True)
class Tables:
    """One direction (Arabic -> English or English -> Arabic), as lexical tokens."""

    words: dict[tuple[str, ...], list[str]]          # a term or word -> the tokens of its translations
    terms: dict[tuple[str, ...], list[tuple[str, ...]]]  # a glossary term -> each rendering, in order
    written: dict[tuple[str, ...], str]              # a term or word -> its likeliest translation, as written


def tables() -> dict[str, Tables]:
    """{"ar": from Arabic, "en": from English}, loaded once: a question that comes while the
    chat's warm-up loads them waits for it."""
    with _LOADING:
        return _load()


@lru_cache(maxsize=1)
def _load() -> dict[str, Tables]:
    """The glossary's terms (one or more words) with all their words, then FreeDict's single words
    with their PER_WORD most alike translations, where the glossary has none."""
    found = {"ar": Tables({}, {}, {}), "en": Tables({}, {}, {})}
    for english, arabic, *_ in _pairs(GLOSSARY):
        en, ar = tuple(tokens(english)), tuple(tokens(arabic))
        for side, source, target, rendering in (("en", en, ar, arabic), ("ar", ar, en, english)):
            if source and target:
                found[side].words[source] = list(dict.fromkeys(found[side].words.get(source, []) + list(target)))
                found[side].terms.setdefault(source, []).append(target)
                found[side].written.setdefault(source, rendering)
    words: dict[str, dict[str, dict[str, float]]] = {"ar": defaultdict(dict), "en": defaultdict(dict)}
    written: dict[str, dict[str, tuple[float, str]]] = {"ar": {}, "en": {}}
    for english, arabic, similarity in _pairs(DICTIONARY):
        alike = float(similarity) - (PHRASE_COST if len(english.split()) != len(arabic.split()) else 0.0)
        en_words, ar_words = tokens(english), tokens(arabic)
        for en in en_words:
            for ar in ar_words:
                words["en"][en][ar] = max(words["en"][en].get(ar, alike), alike)
                words["ar"][ar][en] = max(words["ar"][ar].get(en, alike), alike)
        for side, source, rendering in (("en", en_words, arabic), ("ar", ar_words, english)):
            if len(source) == 1 and alike > written[side].get(source[0], (-1.0, ""))[0]:
                written[side][source[0]] = (alike, rendering)
    for side, table in words.items():
        for word, senses in table.items():
            best = sorted(senses, key=lambda t: (-senses[t], t))[:PER_WORD]
            found[side].words.setdefault((word,), best)
        for word, (_, rendering) in written[side].items():
            found[side].written.setdefault((word,), rendering)
    return found


def _pairs(path: Path) -> list[tuple[str, ...]]:
    if not path.exists():  # the dictionary may be removed where GPL data may not ship (index/data/NOTICE.md)
        print(f"note: {path} is missing: fewer words are matched across Arabic and English", file=sys.stderr)
        return []
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")) as lines:
        return [tuple(line.rstrip("\n").split("\t")) for line in lines if "\t" in line]


# "How many", "how long": the word after "how" says what kind of answer is asked for, not what
# about; translated, "many" matched "أكثر من 500" in a paragraph on something else.
_HOW = re.compile(r"\bhow\s+(?:many|much|long|often|far|old|soon|large|big)\b", re.I)


def _spans(words: list[str], known: dict) -> list[tuple[int, int]]:
    """The words cut into the longest runs `known` holds, else single words, left to right."""
    spans, i = [], 0
    while i < len(words):
        n = next((n for n in range(min(LONGEST_TERM, len(words) - i), 1, -1) if tuple(words[i:i + n]) in known), 1)
        spans.append((i, i + n))
        i += n
    return spans


# What the Arabic stemmer leaves on a word the dictionary holds without it: a joined
# preposition or conjunction with the article ("والمجلس", "بالتصنيع", "للمرأة"), "ل" ("لتحديد",
# "لحقوق") and the accusative's alif ("انتخابا"). Only tried on a word the dictionary lacks, and
# "و" or "ب" only before the article: names start with them ("وارسو", "بروكسل").
_CLITIC = re.compile(r"^(?:[وفب]ال|لل|ل)(?=\w{3})")


def _unattached(word: str, table: dict) -> tuple[str, ...]:
    bare = _CLITIC.sub("", word)
    for candidate in (bare, bare[:-1] if bare.endswith("ا") else bare):
        if candidate != word and (candidate,) in table:
            return (candidate,)
    return (word,)


def _from(query: str) -> Tables:
    """The tables that translate from the query's language."""
    return tables()["ar" if script(query) == "ar" else "en"]


def _translations(query: str, table: dict) -> list:
    """What `table` holds for each span of the query: the longest glossary term at each word
    first, else the word itself."""
    words = tokens(_HOW.sub(" ", query))
    found = []
    for i, j in _spans(words, table):
        key = tuple(words[i:j])
        if key not in table and len(key) == 1 and script(key[0]) == "ar":
            key = _unattached(key[0], table)
        if key in table:
            found.append(table[key])
    return found


def translated(query: str) -> list[str]:
    """The query's words in the other script, as lexical tokens."""
    found = _translations(query, _from(query).words)
    return list(dict.fromkeys(token for senses in found for token in senses))


def rendered(query: str) -> str:
    """The query word by word in the other language, each word's likeliest translation as
    written ("من يمثل الاتحاد الدولي للاتصالات بحسب دستوره" -> "represents international
    telecommunication union constitution"), for e5 to embed: a bag of the right words in
    the passage's language is nearer that passage than the question is across languages
    (index.retrieve.QueryVectors)."""
    found = _translations(query, _from(query).written)
    return " ".join(dict.fromkeys(found))


def terms(query: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """The glossary terms of the query: (first word, past its last word, in tokens(query)) and
    each rendering in the other script, its words in order ("اتفاقية تامبيري" -> tampere
    convention), for naming a document whose title is in the other language."""
    table = _from(query).terms
    words = tokens(query)
    return [(i, j, rendering) for i, j in _spans(words, table) for rendering in table.get(tuple(words[i:j]), [])]
