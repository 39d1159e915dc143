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
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path

from index.arabic import tokens
from index.language import script

DICTIONARY = Path(__file__).parent / "data" / "freedict_ar_en.tsv.gz"
GLOSSARY = Path(__file__).parent / "data" / "un_itu_glossary.tsv"
PER_WORD = 3  # translations kept per word, commonest first: a dictionary lists rare senses too
LONGEST_TERM = 8  # words, after stopwords: "instructs the director of the telecommunication ... bureau"
_LOADING = threading.Lock()


def tables() -> dict[str, dict[tuple[str, ...], list[str]]]:
    """{"ar": Arabic tokens -> English tokens, "en": English tokens -> Arabic tokens}, loaded
    once: a question that comes while the chat's warm-up loads them waits for it."""
    with _LOADING:
        return _load()


@lru_cache(maxsize=1)
def _load() -> dict[str, dict[tuple[str, ...], list[str]]]:
    """The glossary's terms (one or more words) with all their words, then FreeDict's single words
    with their PER_WORD commonest translations, where the glossary has none."""
    found: dict[str, dict[tuple[str, ...], list[str]]] = {"ar": {}, "en": {}}
    for english, arabic in _pairs(GLOSSARY):
        en, ar = tuple(tokens(english)), tuple(tokens(arabic))
        if en and ar:
            found["en"][en] = list(dict.fromkeys(found["en"].get(en, []) + list(ar)))
            found["ar"][ar] = list(dict.fromkeys(found["ar"].get(ar, []) + list(en)))
    words: dict[str, dict[str, Counter]] = {"ar": defaultdict(Counter), "en": defaultdict(Counter)}
    for english, arabic in _pairs(DICTIONARY):
        for en in tokens(english):
            for ar in tokens(arabic):
                words["en"][en][ar] += 1
                words["ar"][ar][en] += 1
    for side, table in words.items():
        for word, senses in table.items():
            found[side].setdefault((word,), [t for t, _ in senses.most_common(PER_WORD)])
    return found


def _pairs(path: Path) -> list[tuple[str, str]]:
    if not path.exists():  # the dictionary may be removed where GPL data may not ship (index/data/NOTICE.md)
        print(f"note: {path} is missing: fewer words are matched across Arabic and English", file=sys.stderr)
        return []
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")) as lines:
        return [tuple(line.rstrip("\n").split("\t")[:2]) for line in lines if "\t" in line]


# "How many", "how long": the word after "how" says what kind of answer is asked for, not what
# about; translated, "many" matched "أكثر من 500" in a paragraph on something else.
_HOW = re.compile(r"\bhow\s+(?:many|much|long|often|far|old|soon|large|big)\b", re.I)


def translated(query: str) -> list[str]:
    """The query's words in the other script, as lexical tokens: the longest glossary term
    at each word first, else the word's own translations."""
    table = tables()["ar" if script(query) == "ar" else "en"]
    words, out, i = tokens(_HOW.sub(" ", query)), [], 0
    while i < len(words):
        span = next((n for n in range(min(LONGEST_TERM, len(words) - i), 0, -1)
                     if tuple(words[i:i + n]) in table), 1)
        out += table.get(tuple(words[i:i + span]), [])
        i += span
    return list(dict.fromkeys(out))
