"""The assistant's own words, in the question's language."""
from __future__ import annotations

from index.arabic import script

PHRASES = {
    "en": {
        "intro": "According to the documents:",
        "abstain": "The indexed documents do not answer this question. The closest paragraphs are listed below.",
        "unsupported": "Not supported by the cited paragraphs",
        "no_index": "Nothing is indexed yet. Add documents first.",
        "no_match": "No indexed paragraph matches the chosen filters (document, language, year).",
    },
    "ar": {
        "intro": "بحسب الوثائق:",
        "abstain": "لا تجيب الوثائق المفهرسة عن هذا السؤال. ترد أدناه أقرب الفقرات إليه.",
        "unsupported": "غير مدعوم بالفقرات المستشهد بها",
        "no_index": "لم تُفهرس أي وثيقة بعد. أضف وثائق أولاً.",
        "no_match": "لا توجد فقرة مفهرسة تطابق عوامل التصفية المختارة (الوثيقة، اللغة، السنة).",
    },
}


def language_of_question(question: str) -> str:
    return "ar" if script(question) == "ar" else "en"


def phrase(key: str, language: str) -> str:
    return PHRASES.get(language, PHRASES["en"])[key]
