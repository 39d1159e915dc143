"""Arabic-aware text handling for lexical search and answer checking.

Library analyzers fall short here: bm25s has no Arabic stopword list, and no
Snowball stemmer knows to leave Latin identifiers alone inside Arabic text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_TASHKEEL_TATWEEL = re.compile("[\u064B-\u0652\u0640\u0670]")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})
_FOLD_ENDINGS = str.maketrans({"ة": "ه", "ى": "ي"})
_ARABIC_LETTER = re.compile("[\u0600-\u06FF]")
# Identifiers keep their inner punctuation: 76/307, C23/INF/9, LDC5, 1(Rev.1).
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[/.\-][A-Za-z0-9]+)*|[\u0621-\u064A\u0660-\u0669]+")
# Codes with a digit match in any case (csw67 = CSW67); bare acronyms only in capitals.
_CODE = re.compile(r"\b(?:[A-Z]+\+\d+|[A-Z]+\d+[A-Z0-9]*(?:/[A-Z0-9]+)*(?:\(Rev\.\d+\))?|\d+/\d+(?:/\d+)?"
                   r"|[A-Z]+\d*/[A-Z]+/\d+(?:\(Rev\.\d+\))?)(?![\w/])", re.I)
_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")

# Short function words; stemming handles the rest. NLTK's Arabic list would
# drop content words such as "بين" that questions hinge on.
STOPWORDS = frozenset("""
في من على الى إلى عن مع هذا هذه ذلك تلك التي الذي الذين او أو ثم قد لقد كان كانت هو هي هم
ما ماذا متى اين أين كيف لماذا هل كم اي أي وما وفي ومن وعلى به بها له لها فيه فيها عند بعد قبل
the a an of to in on for and or is are was were be been by with at as from that this these those
what which who whom when where why how does did do it its their there than into about
itu
""".split())  # "ITU" names the organisation every Council document is about: it is evidence of nothing


def normalize(text: str) -> str:
    """Fold the spelling variants of one Arabic word onto one form; NFKC also
    turns PDF presentation forms back into letters and no-break spaces into spaces."""
    if text.isascii():  # nothing to fold; the parser and BM25 call this on every line and token
        return text
    text = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    return _TASHKEEL_TATWEEL.sub("", text).translate(_ALEF)


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


@lru_cache(maxsize=200_000)
def _stem(token: str) -> str:
    if _ARABIC_LETTER.match(token):
        # Stem first, fold endings after: folding first stops the stemmer
        # from stripping ة/ى suffixes (measured +0.013 MRR on XQuAD).
        return _stemmer("arabic").stemWord(token).translate(_FOLD_ENDINGS)
    if token.isalpha():
        return _stemmer("english").stemWord(token)
    return token  # identifiers and numbers match exactly


def tokens(text: str) -> list[str]:
    """Lexical tokens: normalized, lower-cased, stopwords dropped, each stemmed by its own script."""
    out = []
    for raw in _TOKEN.findall(normalize(text).lower()):
        if raw in STOPWORDS or (len(raw) < 2 and not raw.isdigit()):
            continue
        out.append(_stem(raw))
    return out


def identifiers(text: str) -> list[str]:
    """Exact identifiers a user may quote: resolutions (76/307), symbols
    (C23/INF/9), event codes (CSW67, COP28, LDC5), acronyms (OSET)."""
    text = normalize(text)
    codes = _CODE.findall(text)
    acronyms = [a for a in _ACRONYM.findall(text)
                if a.lower() not in STOPWORDS and not any(a in c.upper() for c in codes)]
    return list(dict.fromkeys(codes + acronyms))
