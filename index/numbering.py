"""The numbering a document prints at the start of a line, recognised in Arabic and English.

Each recogniser reads one stripped line and says which numbering opens it, in a
language-neutral canonical form: Arabic-Indic digits become 0-9, Arabic letters
become a, b, c in abjad order, Arabic ordinal words become numbers. That is what
gives the Arabic and the English version of a document the same unit ids.

Every pattern is anchored at the start of the line and its repeats are bounded,
so a line costs time linear in its length whatever it holds.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.arabic import normalize

# Heading kinds, and how deep each sits: a heading closes every open heading at
# its depth or deeper. A treaty's Preamble sits at an article's depth, so that
# the first article (or chapter) closes it.
INSTRUMENT, ANNEX, APPENDIX, PART, CHAPTER, SECTION, GOAL, NUMBERED_SECTION, ARTICLE, PREAMBLE, VERB = (
    "instrument", "annex", "appendix", "part", "chapter", "section", "goal", "numbered section", "article",
    "preamble", "verb")
SUBHEADING = "subheading"   # an unnumbered title ("COMPOSITION", "The Council"); its depth depends on what follows
DEPTH = {INSTRUMENT: 0, ANNEX: 0, APPENDIX: 1, PART: 2, CHAPTER: 3, SECTION: 4, GOAL: 5, NUMBERED_SECTION: 5,
         ARTICLE: 6, PREAMBLE: 6, VERB: 7}
# Kinds whose name qualifies a number that starts again inside them ("Annex 2, 1.1").
PART_KINDS = (INSTRUMENT, ANNEX, APPENDIX, PART, CHAPTER, SECTION, GOAL, NUMBERED_SECTION)
# Kinds that number their own sub-paragraphs: "Article 12.1", "resolves 2".
CONTAINER_KINDS = (ARTICLE, VERB)

TITLE_MAX_CHARS = 200      # a heading's title; longer is body text
HEADING_MAX_CHARS = 250    # a whole heading line: keyword, number and title
MARKER_SCAN_CHARS = 24     # a list or paragraph number sits within the first few characters
LEAD_IN_SCAN_CHARS = 300   # "The Plenipotentiary Conference of ... (Bucharest, 2022)," fits in this
# Punctuation that ends a sentence or a clause: a line ending so is text, not a title.
CLAUSE_END = (".", "!", "?", "؟", ";", "؛", ":", ",", "،")
SENTENCE_END = (".", "!", "?", "؟", ";", "؛", ":")

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# Arabic list letters in abjad order, as UN and ITU Arabic texts letter sub-items.
_ABJAD = "ابجدهوزحطيكلمنسعفصقرشتثخذض"
_ABJAD_LATIN = {letter: chr(ord("a") + n) for n, letter in enumerate(_ABJAD)} | {"أ": "a", "إ": "a"}


def western_digits(text: str) -> str:
    return text.translate(_DIGITS)


def first_word(text: str) -> str:
    """The line's first word, normalized and case-folded: what tells most recognisers at
    once that a line is not theirs (a paragraph of prose costs them next to nothing)."""
    prefix = text[:MARKER_SCAN_CHARS]
    words = (prefix if prefix.isascii() else western_digits(normalize(prefix))).split(None, 1)
    return words[0].casefold() if words else ""


def starts_lowercase(text: str) -> bool:
    """A Latin lower-case first letter: the line carries on a sentence."""
    return text[:1].isascii() and text[:1].islower()


def title_like(text: str, limit: int = TITLE_MAX_CHARS) -> bool:
    """Short, not ending a clause, not carrying on a sentence: what a title looks like."""
    text = text.strip()
    return 0 < len(text) <= limit and not text.endswith(CLAUSE_END) and not starts_lowercase(text)


# --- numbers: roman, Arabic ordinal words -----------------------------------

_ROMAN = re.compile(r"(?=[ivxlc])(xc|l?x{0,3})(ix|iv|v?i{0,3})", re.I)
_ROMAN_VALUES = [(90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def roman_value(text: str) -> int | None:
    if not _ROMAN.fullmatch(text):
        return None
    value, rest = 0, text.lower()
    for number, letters in _ROMAN_VALUES:
        while rest.startswith(letters):
            value, rest = value + number, rest[len(letters):]
    return value


def to_roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN_VALUES:
        while number >= value:
            out, number = out + letters, number - value
    return out


# Keys are as index.arabic.normalize writes them (hamza on alef folded, no tatweel).
_ORDINAL_UNITS = {word: n for n, words in enumerate([
    ("الاول", "الاولى", "الحادي", "الحادية"), ("الثاني", "الثانية"), ("الثالث", "الثالثة"),
    ("الرابع", "الرابعة"), ("الخامس", "الخامسة"), ("السادس", "السادسة"), ("السابع", "السابعة"),
    ("الثامن", "الثامنة"), ("التاسع", "التاسعة"), ("العاشر", "العاشرة")], 1) for word in words}
_ORDINAL_TENS = {word: 10 * n for n, words in enumerate([
    ("العشرون", "العشرين"), ("الثلاثون", "الثلاثين"), ("الاربعون", "الاربعين"), ("الخمسون", "الخمسين"),
    ("الستون", "الستين"), ("السبعون", "السبعين"), ("الثمانون", "الثمانين"), ("التسعون", "التسعين")], 2)
    for word in words}
_TEEN = ("عشر", "عشرة")
# "أولاً - مقدمة": UN Arabic prints these where English prints "I. Introduction".
_ORDINAL_ADVERBS = {word: n for n, word in enumerate(
    ["اولا", "ثانيا", "ثالثا", "رابعا", "خامسا", "سادسا", "سابعا", "ثامنا", "تاسعا", "عاشرا"], 1)}
# "ألف - الرؤية": UN Arabic names the letters where English prints "A. Our vision".
_LETTER_NAMES = {word: chr(ord("A") + n) for n, word in enumerate(
    ["الف", "باء", "جيم", "دال", "هاء", "واو", "زاي", "حاء", "طاء", "ياء"])}


def arabic_ordinal(words: list[str]) -> tuple[int, int] | None:
    """(number, words read) of an ordinal such as التاسع, الحادي عشر, الخامسة والعشرون."""
    if not words:
        return None
    if words[0] in _ORDINAL_TENS:
        return _ORDINAL_TENS[words[0]], 1
    if words[0] not in _ORDINAL_UNITS:
        return None
    unit = _ORDINAL_UNITS[words[0]]
    if len(words) > 1 and words[1] in _TEEN:
        return unit + 10, 2
    if len(words) > 1 and words[1][:1] == "و" and words[1][1:] in _ORDINAL_TENS:
        return unit + _ORDINAL_TENS[words[1][1:]], 2
    return unit, 1


# --- headings ---------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    kind: str
    name: str       # canonical, the same in every language: "Article 12", "Chapter 9", "Annex A", "resolves"
    label: str      # as printed: "المادة 12", "CHAPTER I", "Annex"
    title: str = ""

    @property
    def text(self) -> str:
        """What a reader sees in the heading path. A numbered section ("2<TAB>Our Common
        Agenda") shows its title alone: its number opens every paragraph id under it."""
        if self.kind == NUMBERED_SECTION:
            return self.title or self.label
        return f"{self.label}: {self.title}" if self.title else self.label

    def titled(self, title: str) -> Heading:
        return Heading(self.kind, self.name, self.label, title)


_KEYWORDS = {  # first word of the line, normalized and case-folded -> (kind, canonical word)
    "annex": (ANNEX, "Annex"), "الملحق": (ANNEX, "Annex"), "ملحق": (ANNEX, "Annex"),
    "المرفق": (ANNEX, "Annex"), "مرفق": (ANNEX, "Annex"),
    "appendix": (APPENDIX, "Appendix"), "التذييل": (APPENDIX, "Appendix"), "تذييل": (APPENDIX, "Appendix"),
    "part": (PART, "Part"), "الجزء": (PART, "Part"),
    "chapter": (CHAPTER, "Chapter"), "الفصل": (CHAPTER, "Chapter"),
    "section": (SECTION, "Section"), "القسم": (SECTION, "Section"),
    "article": (ARTICLE, "Article"), "art.": (ARTICLE, "Article"), "المادة": (ARTICLE, "Article"),
    "goal": (GOAL, "Goal"), "الهدف": (GOAL, "Goal"),
}
_UNNUMBERED_OK = (ANNEX, APPENDIX)   # "Annex" alone is a heading; "Article" alone is not
_PREAMBLES = {"preamble", "الديباجة", "préambule", "preámbulo"}
_ROMAN_OR_LETTER_DOT = re.compile(r"(?:[IVXLC]{1,7}|[A-Z])\.")
_NUMBER = re.compile(r"(\d{1,3}[A-Z]?(?:\s?(?:bis|ter|quater))?|[IVXLC]{1,7}|[A-Z])(?![\w/])(.*)", re.S)
_SEPARATOR = re.compile(r"\s*[:：.\-–—]?\s*")
_ROMAN_HEADING = re.compile(r"([IVXLC]{1,7})\.\s+(\S.*)")
_LETTER_HEADING = re.compile(r"([A-Z])\.\s+(\S.*)")
_ARABIC_DASH_HEADING = re.compile(r"(\S+)\s*[-–—]\s*(\S.*)")
_INSTRUMENTS = {"constitution": "CS", "دستور": "CS", "convention": "CV", "اتفاقية": "CV"}
_INSTRUMENT = re.compile(r"(Constitution|Convention|دستور|اتفاقية)\s+(?:of\s+the\s+International\s+Telecommunication"
                         r"\s+Union|الاتحاد\s+الدولي\s+للاتصالات)", re.I)


def instrument(text: str) -> str:
    """"CS" or "CV" for a line naming the ITU Constitution or Convention, else ""."""
    m = _INSTRUMENT.fullmatch(normalize(text).strip())
    return _INSTRUMENTS[m.group(1).lower()] if m else ""


def heading(text: str) -> Heading | None:
    """A structural heading: Article 12, المادة 19, Chapter IX: title, الفصل التاسع, Section 1,
    Part II, Annex 2, Appendix 1, Goal 4: title, الهدف 4: title, Preamble, I. title,
    A. title, أولاً - title, the ITU Constitution or Convention."""
    if len(text) > HEADING_MAX_CHARS:
        return None
    first = first_word(text)
    if first not in _HEADING_WORDS and first.rstrip(":：.-–—") not in _HEADING_WORDS \
            and not _ROMAN_OR_LETTER_DOT.fullmatch(first.upper()):
        return None
    flat = western_digits(normalize(text)).strip()
    if flat.casefold() in _PREAMBLES:
        return Heading(PREAMBLE, "Preamble", text)
    if code := instrument(text):
        return Heading(INSTRUMENT, code, text)
    keyword, _, rest = flat.partition(" ")
    if kind_word := _KEYWORDS.get(keyword.casefold()):
        return _keyword_heading(text, rest.strip(), *kind_word)
    # "C. Title", "L. Title": a section letter; only I, V, X alone read as roman numerals.
    if (m := _ROMAN_HEADING.fullmatch(flat)) and (len(m[1]) > 1 or m[1] in "IVX") and roman_value(m[1]):
        return Heading(CHAPTER, m[1], f"{m[1]}.", _title_after(text, 1)) if title_like(m[2]) else None
    if m := _LETTER_HEADING.fullmatch(flat):
        return Heading(SECTION, m[1], f"{m[1]}.", _title_after(text, 1)) if title_like(m[2]) else None
    if (m := _ARABIC_DASH_HEADING.fullmatch(flat)) and title_like(m[2]):
        printed = text.split()[0].rstrip("-–—")
        if m[1] in _ORDINAL_ADVERBS:
            return Heading(CHAPTER, to_roman(_ORDINAL_ADVERBS[m[1]]).upper(), printed, _title_after(text, 1))
        if m[1] in _LETTER_NAMES:
            return Heading(SECTION, _LETTER_NAMES[m[1]], printed, _title_after(text, 1))
    return None


_HEADING_WORDS = {*_KEYWORDS, *_PREAMBLES, *_INSTRUMENTS, *_ORDINAL_ADVERBS, *_LETTER_NAMES}


def _keyword_heading(text: str, rest: str, kind: str, word: str) -> Heading | None:
    """"Article 12: title", "الفصل التاسع", "Annex": `rest` is what follows the keyword, normalized."""
    number, used = _heading_number(rest)
    if number is None:
        if kind not in _UNNUMBERED_OK or (rest and not title_like(rest)):
            return None
        return Heading(kind, word, text.strip())
    title = _title_after(text, 1 + used)
    if title and not title_like(title):
        return None
    label = " ".join(text.split()[:1 + used]).rstrip(":：.-–—")
    return Heading(kind, f"{word} {number}", label, title)


def _heading_number(rest: str) -> tuple[str | None, int]:
    """The canonical number that opens `rest`, and how many words it took."""
    words = re.findall(r"[^\s:：.\-–—]+", rest)
    if not words:
        return None, 0
    if ordinal := arabic_ordinal(words):
        return str(ordinal[0]), ordinal[1]
    m = _NUMBER.match(rest)
    if not m or (m.group(2) and not re.match(r"\s|[:：.\-–—]", m.group(2))):
        return None, 0
    token = m.group(1)
    used = len(token.split())
    # Roman numerals become numbers ("Chapter IX" is "الفصل التاسع"); "Annex A", "Annex C" keep their letter.
    if token.isalpha() and (len(token) > 1 or token in "IVX") and roman_value(token):
        return str(roman_value(token)), used
    return token.replace(" ", ""), used


def _title_after(text: str, words: int) -> str:
    """The printed text after the first `words` words, its separator stripped."""
    parts = text.strip().split(None, words)
    return _SEPARATOR.sub("", parts[words], count=1).strip() if len(parts) > words else ""


# --- ITU resolution parts: "resolves", "instructs the Secretary-General" --------

_VERB = re.compile(
    r"(?:(?:further|also)\s+)?(?:considering|recogni[sz]ing|noting|recalling|bearing in mind|taking into account"
    r"|having regard|aware|convinced|emphasi[sz]ing|stressing|welcoming|mindful|concerned|acknowledging"
    r"|reaffirming|observing|resolves|decides|instructs|invites|requests|encourages|urges|calls upon"
    r"|endorses|approves|adopts|appeals|expresses)\b[^.;:؛]{0,100}")
# The common verbs of ITU's Arabic resolutions, normalized, with the English they stand for.
_ARABIC_VERBS = {
    "اذ يضع في اعتباره": "considering", "اذ ياخذ في الاعتبار": "taking into account",
    "اذ يدرك": "recognizing", "اذ يعترف": "recognizing", "اذ يقر": "recognizing", "اذ يلاحظ": "noting",
    "اذ يشير الى": "recalling", "اذ يذكر": "recalling", "اذ يرحب": "welcoming", "اذ يؤكد": "emphasizing",
    "يقرر": "resolves", "يكلف": "instructs", "يدعو": "invites", "يطلب الى": "requests", "يطلب": "requests",
    "يشجع": "encourages", "يحث": "urges",
}
ARABIC_ADDRESSEES = {
    "الامين العام": "the Secretary-General", "المجلس": "the Council", "الدول الاعضاء": "Member States",
    "اعضاء القطاعات": "Sector Members", "مديري المكاتب الثلاثة": "the Directors of the three Bureaux",
    "مدير مكتب الاتصالات الراديوية": "the Director of the Radiocommunication Bureau",
    "مدير مكتب تقييس الاتصالات": "the Director of the Telecommunication Standardization Bureau",
    "مدير مكتب تنمية الاتصالات": "the Director of the Telecommunication Development Bureau",
}
VERB_MAX_CHARS = 120


def verb(text: str) -> Heading | None:
    """A line that is only an ITU resolution's verb ("resolves", "instructs the
    Secretary-General", "يكلف الأمين العام"): the items under it restart at 1."""
    if len(text) > VERB_MAX_CHARS or text.endswith(SENTENCE_END):
        return None
    text = " ".join(text.split())
    if starts_lowercase(text):
        return Heading(VERB, text, text) if _VERB.fullmatch(text) else None
    if first_word(text) not in _ARABIC_VERB_WORDS:
        return None
    name = _arabic_verb(normalize(text).rstrip(",،: "))
    return Heading(VERB, name, text) if name else None


_ARABIC_VERBS_LONGEST_FIRST = sorted(_ARABIC_VERBS.items(), key=lambda item: -len(item[0]))
_ARABIC_VERB_WORDS = {prefix + phrase.split()[0] for phrase in _ARABIC_VERBS for prefix in ("", "و")}


def _arabic_verb(flat: str) -> str:
    if flat.startswith("و"):
        flat = flat[1:]
    for phrase, english in _ARABIC_VERBS_LONGEST_FIRST:
        if flat == phrase:
            return english
        if flat.startswith(phrase + " ") and english not in ("considering", "noting", "recalling"):
            names = [ARABIC_ADDRESSEES.get(part.strip()) for part in re.split(r"\sو", flat[len(phrase) + 1:])]
            return f"{english} {' and '.join(names)}" if all(names) else ""
    return ""


# --- a resolution's opening: "The General Assembly," ------------------------

_LEAD_IN = re.compile(
    r"(?:The\s+(?:General Assembly|Security Council|Economic and Social Council|Human Rights Council|Council"
    r"|Plenipotentiary Conference|World Summit on the Information Society|States Parties|High Contracting Parties"
    r"|Parties|World [A-Za-z -]{1,60}?(?:Conference|Assembly))"
    r"|ان\s+(?:الجمعية العامة|مجلس|المجلس|مؤتمر|الدول الاطراف))"   # إن, as normalize writes it
    r"(?:[^,،()\n]|\([^()\n]{0,80}\)){0,160}[,،]")   # "(Bucharest, 2022)" inside is not its end


LEAD_IN_ALONE, LEAD_IN_OPENS = "alone", "opens"


def lead_in(text: str) -> str:
    """Whether a resolution's or treaty's opening ("The General Assembly,", "The States
    Parties to this Convention,") is the whole line (LEAD_IN_ALONE), opens it
    (LEAD_IN_OPENS), or is not there ("")."""
    if first_word(text) not in ("the", "ان"):
        return ""
    flat = normalize(text[:LEAD_IN_SCAN_CHARS])
    m = _LEAD_IN.match(flat)
    if not m:
        return ""
    return LEAD_IN_ALONE if len(text) <= LEAD_IN_SCAN_CHARS and not flat[m.end():].strip() else LEAD_IN_OPENS


# --- numbered items ---------------------------------------------------------

DECIMAL, NUMBER, PAREN_NUMBER, LETTER, CAPITAL, ROMAN, MARGIN = (
    "decimal", "number", "paren_number", "letter", "capital", "roman", "margin")
# Styles that carry the whole number: nothing above them adds to it.
ABSOLUTE_STYLES = (DECIMAL, MARGIN)


@dataclass(frozen=True)
class Marker:
    style: str
    value: str      # canonical: "2.3", "4.b", "1", "a", "iii", "73bis"
    label: str      # as printed: "3.2", "1.", "(a)", "أ)", "47 PP-98"
    rest: str       # the text after it
    amended: bool = False   # an ITU margin number carrying amendment marks (PP-98)

    @property
    def parts(self) -> list[str]:
        return self.value.split(".")

    def as_letter(self) -> Marker:
        return Marker(LETTER, self.value, self.label, self.rest)


_ITEMS = [
    (DECIMAL, re.compile(r"(\d{1,3}(?:\.(?:\d{1,3}|[a-z])){1,4})\.?(?:\s*\t|\s+)(?=\S)")),   # 2.3  4.b  4.1.1
    (NUMBER, re.compile(r"(\d{1,3})(?:\.\s+|\.?\s*\t\s*|\s+[-–]\s+)(?=\S)")),               # 1.  1<TAB>  1 -
    (PAREN_NUMBER, re.compile(r"\(?(\d{1,2})\)\s*(?=\S)")),                                # (1)  1)
    (ROMAN, re.compile(r"\(?([ivxlc]{1,7})\)\s*(?=\S)|([ivxlc]{2,7})\.\s+(?=\S)")),          # (iii)  iii)  iii.
    (ROMAN, re.compile(r"[‘’'`]\s?(\d{1,2})\s?[‘’'`]\s*(?=\S)")),                          # Arabic ‘3’ for (iii)
    (LETTER, re.compile(r"\(?([a-z](?:\s?(?:bis|ter))?)\)\s*(?=\S)|([a-z])\.\s+(?=\S)")),    # (a)  a)  a bis)  a.
    (LETTER, re.compile(r"\(?([" + _ABJAD + r"أإ])\u0640?\s?\)\s*(?=\S)")),                 # (أ)  أ)  هـ)
    (CAPITAL, re.compile(r"\(?([A-Z])\)\s*(?=\S)")),                                       # (A)  A)
]
# Cheap test that a line may open with one of the above: a digit, a bracket, a quote, or one character then ")" or ".".
_MAYBE_ITEM = re.compile(r"[\d٠-٩۰-۹(\[‘’'`]|\S\u0640?\s?[).]|[a-z]\s?(?:bis|ter)\)")
# ITU treaty margin numbers: "47 PP-98<TAB>", "[65 PP-98]", "73bis<TAB>", "60A PP-98", "No. 173<TAB>".
_MARGIN = re.compile(r"(\[)?(No\.\s?)?(\d{1,4}[A-Z]{0,2}(?:\s?(?:bis|ter|quater))?)((?:\s+PP-\d{2}){0,6})"
                     r"(\]\s*|\s*\t\s*|\s+)(?=\S)")


def item(text: str) -> Marker | None:
    """The list or paragraph number that opens a line, if any."""
    if not _MAYBE_ITEM.match(text):
        return None
    probe = western_digits(text[:MARKER_SCAN_CHARS])
    for style, pattern in _ITEMS:
        m = pattern.match(probe)
        if not m:
            continue
        token = next(g for g in m.groups() if g)
        value = token
        if style == ROMAN:
            value = to_roman(int(token)) if token.isdigit() else token
            # "c)", "l)": letters; "i)", "v)", "x)" stay roman until the list around them says otherwise
            if not token.isdigit() and (not roman_value(token) or (len(token) == 1 and token not in "ivx")):
                continue
        elif style == LETTER:
            value = _ABJAD_LATIN.get(token, token).replace(" ", "")
        return Marker(style, value, text[:m.end()].strip(), text[m.end():].strip())
    return None


def margin(text: str) -> Marker | None:
    """An ITU Constitution or Convention provision number, with its amendment marks."""
    m = _MARGIN.match(text)
    if not m:
        return None
    bracket, no, number, marks, separator = m.groups()
    if bool(bracket) != separator.startswith("]") or not (bracket or no or marks or "\t" in separator):
        return None   # "1 United Nations, Treaty Series": a bare number and a space is not a margin number
    label = text[:m.end()].strip()
    return Marker(MARGIN, number.replace(" ", ""), label, text[m.end():].strip(), amended=bool(marks or bracket or no))


def is_ambiguous_roman(marker: Marker) -> bool:
    """(i), (v), (x): a roman numeral, or the letter after (h), (u), (w)."""
    return marker.style == ROMAN and marker.value in ("i", "v", "x") and not marker.label.strip("‘’'` ").isdigit()
