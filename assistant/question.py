"""What a question asks for: the kind of answer (a date, a number, a place, a name)
and its key terms (figures, years, identifiers) that an answering paragraph must hold."""
from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.facts import DATE, NUMBER, YEAR, Fact, facts
from index.arabic import identifiers, normalize

# "When" asks for a date where it opens the question or a part of it ("..., and when did it
# end?"), not in a clause: "Who was the leader when the Franks entered...?" asks for a name,
# "How many seconds were left when...?" for a number (XQuAD: such questions were declined for
# want of a date).
_ASKING_WHEN = r"(?:^\s*|[,;:?؟]\s*|\b(?:and|or|since|until|till|by|from)\s+)when\b"
# "موعد" asks for a date when asked about ("ما الموعد", "وما موعد", "في أي موعد"); in "كيف أحجز
# موعداً" (how do I book an appointment) it is what is being booked.
_ASKING_APPOINTED = r"(?<!\S)و?(?:ما|في أي|أي)\s+(?:هو\s+|هي\s+)?(?:ال)?موعد"

# The kind of answer a question asks for, from its wording (English, then Arabic).
ASKS = [
    # more than one day: "On which days...", "في أي يومين" (a meeting's span, "18-19 سبتمبر")
    ("days", re.compile(r"\b(which|what) (two |three )?(days|dates)\b|يومين|(أي|اي) أيام", re.I)),
    # a day, not only a year or a month: "On what date...", "في أي يوم" ("when" may be a year)
    ("day", re.compile(r"\b(what|which) (date|day|days)\b|\bon what day\b|ما تاريخ|في أي (يوم|يومين|تاريخ)|أي يوم|أي يومين", re.I)),
    ("date", re.compile(rf"{_ASKING_WHEN}|\b(what date|which (year|month|day|days)|what (year|month|day)|how long ago)\b"
                        rf"|متى|ما تاريخ|في أي (يوم|عام|شهر|سنة|تاريخ)|أي يوم|أي يومين|{_ASKING_APPOINTED}", re.I)),
    ("money", re.compile(r"\bhow much\b.*\b(spen[dt]|cost|pa(y|id)|fund|budget|allocat|contribut)"
                         r"|\bwhat (?:was|is|were|are) (?:the )?(?:\w+ )?(budget|cost|price|fee|funding)s?\b"
                         r"|ما (?:ال)?(?:ميزانية|تكلفة|كلفة|مبلغ|قيمة)|ما حجم (?:ال)?تمويل|كم (?:أنفق|انفق|كلف|تكلف|بلغت (?:ال)?(?:ميزانية|تكلفة|قيمة))", re.I)),
    ("percentage", re.compile(r"\b(what|which) (percentage|share|proportion)\b|\bhow much of\b|\bper ?cent\b"
                              r"|ما (ال)?نسبة|النسبة المئوية|كم في الما?ئة", re.I)),
    ("number", re.compile(r"\bhow (many|much)\b|\bnumber of\b|\bwhat amount\b"
                          r"|\bكم\b|\bعدد\b|\bما مقدار", re.I)),
    ("resolution", re.compile(r"\b(which|what)\b(\s+[\w-]+){0,3}\s+(resolution|decision)\b"
                              r"|أي قرار|ما القرار|ما رقم", re.I)),
    # "What is the goal of civil disobedience?" asks for a purpose, not a goal's number
    ("goal", re.compile(r"\b(which|what)\s+(?!(?:is|was)\s+the\s+(?:goal|target)\s+of\b)(\w+\s+){0,2}?(SDGs?|goals?|targets?)\b"
                        r"|(ما|أي|اي)\s+(ال)?([أا]هداف|هدف|غاية|غايات)\s+(ال)?تنمية|(أي|اي)\s+(ال)?([أا]هداف|هدف|غاية|غايات)\b", re.I)),
    ("place", re.compile(r"\bwhere\b|\b(in )?which (\w+ )?(city|cities|country|countries|place|venue)\b"
                         r"|\bأين\b|في أي (مدينة|بلد|دولة|مكان)|أي (مدينة|دولة|دولتين|بلد|بلدين)", re.I)),
    ("title", re.compile(r"\b(theme|title|slogan|motto)\b|\bcalled\b|\bentitled\b|\b(which|what) (document|report|plan)\b"
                         r"|موضوع|عنوان|شعار|بعنوان|ما الوثيقة|أي وثيقة|ما التقرير|ما الخطة", re.I)),
    ("name", re.compile(r"\bwho\b|\bwhich (body|organi[sz]ation|office|agency|entity|partner|platform|"
                        r"initiative|official|person)\b|\bwhat (body|organi[sz]ation|office|agency)\b"
                        r"|^\s*من\s|أي جهة|ما الجهة|ما المنصة|أي منصة|ما اسم", re.I)),
]


_WHEN = re.compile(rf"{_ASKING_WHEN}|متى|{_ASKING_APPOINTED}", re.I)
_DAY_SPAN = re.compile(r"\d+-\d+ ")


@dataclass(frozen=True)
class Question:
    text: str
    asks: str                  # "days", "day", "date", "money", "percentage", "number", "goal", "place", "name"; "" for an explanation
    key_terms: tuple[str, ...]  # figures, years and identifiers an answering paragraph must hold
    given: frozenset[str]      # facts the question itself states: not an answer to it
    wording: str = ""          # what sentences are matched against: the text less the words naming a document
    kinds: tuple[str, ...] = ()  # every kind asked for ("When and where...": date, place); asks is the first

    def answered_by(self, fact: Fact, kind: str = "") -> bool:
        """Whether a fact of a sentence is of the kind asked for (`kind`, or the first
        kind asked), and new to the question."""
        kind = kind or self.asks
        if fact.english.lower() in self.given or fact.text in self.given:
            return False
        if kind == "resolution":  # answered by a number or a code: 76/307, "القرار 71"
            return any(ch.isdigit() for ch in fact.text)
        if kind == "title":  # a quoted title, or a document's symbol
            return fact.kind == "title" or (fact.kind == "name" and any(ch.isdigit() for ch in fact.text))
        if kind == "day":  # "24 May 2023", "18-19 سبتمبر"; not "2026" or "May 2023"
            return fact.kind == "date" and fact.english[:1].isdigit() and not YEAR.fullmatch(fact.text)
        if kind == "days":  # "18-19 سبتمبر", "6 to 17 March"; not "21 سبتمبر"
            return fact.kind == "date" and bool(_DAY_SPAN.match(fact.english))
        if kind == "number":  # "how many Member States": "25% of the total number" answers it
            return fact.kind in ("number", "period", "percentage", "money")
        if kind == "date":  # "when does it take effect?": "ninety (90) days following the deposit";
            # "in which year" wants a year, and "a term of two years" is none
            return fact.kind == "date" or (fact.kind == "period" and bool(_WHEN.search(self.text)))
        return fact.kind == kind


def analyse(question: str, wording: str = "") -> Question:
    kinds = tuple(kind for kind, pattern in ASKS if pattern.search(question))
    stated = facts(question)
    given = frozenset({f.english.lower() for f in stated} | {f.text for f in stated})
    return Question(question, kinds[0] if kinds else "", tuple(key_terms(question)), given, wording or question, kinds)


# Written many ways, so no key term: a decade ("the 1970's", "1990s", "التسعينيات") and a
# season's second year ("2001-02", "2001-2002"). "1990s" had made "1990" a term the text
# "in the 1990s" did not hold as a word, and the question was declined (XQuAD).
_NO_TERM = re.compile(r"(?<![\w/.])(?:\d\d)?\d0'?s\b|(?<=\d{4})[-–/]\d\d(?!\d)")


def key_terms(question: str) -> list[str]:
    """Figures, years and identifiers with a digit (COP27, 47/23, 2022): terms no
    paraphrase can stand in for, in any language."""
    text = _NO_TERM.sub(" ", normalize(question))
    found = [i for i in identifiers(text) if re.search(r"\d", i)]
    found += [m.group(0) for m in YEAR.finditer(text) if not any(m.group(0) in i for i in found)]
    found += [m.group(0) for m in NUMBER.finditer(text)
              if len(m.group(0)) > 1 and not any(m.group(0) in t for t in found) and not DATE.search(m.group(0))]
    return list(dict.fromkeys(found))


# Where a question asks a second thing: "..., and how long do they serve?", "... وما المهلة ...؟",
# or a second question after the first one's mark.
_SECOND_PART = re.compile(
    r",?\s+and\s+(?=(?:what|which|how|when|where|who|whom|whose|for what|by when|in what|does|do|did|is|are|can|should)\b)"
    r"|[،,]?\s+و(?=(?:ما|ماذا|كيف|متى|أين|هل|لمن|أي|كم)\s)|[؟?]\s+(?=\S)", re.I)
PART_WORDS = 3  # "When and where ...": a part of fewer words is a kind asked, not a question (Question.kinds)


def parts(question: str) -> list[str]:
    """The questions a question asks, when it asks more than one; else [question]."""
    found = [p.strip() for p in _SECOND_PART.split(question) if p.strip()]
    return found if len(found) > 1 and all(len(p.split()) >= PART_WORDS for p in found) else [question]
