"""Which language a text is in: the one place that decides it, for documents and questions."""
from __future__ import annotations

import re
from collections import Counter

_ARABIC_LETTER = re.compile("[\u0600-\u06FF]")
_LATIN_LETTER = re.compile("[A-Za-z]")
_CJK = re.compile("[\u4e00-\u9fff]")
_CYRILLIC = re.compile("[\u0400-\u04FF]")
_LATIN_MARKERS = {"en": {"the", "and", "of", "to", "is"}, "fr": {"le", "la", "les", "et", "des"},
                  "es": {"el", "los", "las", "y", "del"}}
SAMPLE = 5000              # characters read: enough to tell, cheap on a long document


def script(text: str) -> str:
    """"ar" when Arabic letters dominate, else "latin"."""
    arabic = len(_ARABIC_LETTER.findall(text))
    latin = len(_LATIN_LETTER.findall(text))
    return "ar" if arabic >= latin and arabic > 0 else "latin"


def language_script(language: str) -> str:
    """The script (as `script` names it) a document in `language` is written in."""
    return {"ar": "ar", "ru": "cyrillic", "zh": "cjk"}.get(language, "latin")


def language_of(text: str) -> str:
    """The six UN languages by script; Latin-script ones by their commonest words."""
    sample = text[:SAMPLE]
    if _CJK.search(sample):
        return "zh"
    if len(_CYRILLIC.findall(sample)) > 50:
        return "ru"
    if script(sample) == "ar":
        return "ar"
    words = Counter(re.findall(r"[a-zà-ÿ]+", sample.lower()))
    return max(_LATIN_MARKERS, key=lambda lang: sum(words[w] for w in _LATIN_MARKERS[lang]))


def question_language(question: str) -> str:
    """The language the assistant answers in: Arabic or English."""
    return "ar" if script(question) == "ar" else "en"
