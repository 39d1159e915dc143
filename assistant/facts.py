"""Facts that need no translation, found in a sentence of either language: dates,
numbers, identifiers and Latin-script names, and the places the Council's
documents name most. An English question answered from an Arabic sentence leads
with these, written in English, before the Arabic quote; and the LLM's citations
are checked with them (stated(): a claim may not state a date, figure, place or
identifier that its cited sentence does not).

Written by hand because no library here reads Arabic dates or knows the English
names of Arabic place names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.arabic import identifiers, normalize
from index.language import script

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
MONTHS_AR = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
             "نوفمبر", "ديسمبر"]
# Arabic month names: the Egyptian/Gulf names UN documents use, and the Levantine ones.
_MONTHS_AR = {"يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3, "أبريل": 4,
              "ابريل": 4, "نيسان": 4, "مايو": 5, "أيار": 5, "يونيو": 6, "حزيران": 6, "يوليو": 7, "تموز": 7,
              "أغسطس": 8, "آب": 8, "سبتمبر": 9, "أيلول": 9, "أكتوبر": 10, "تشرين الأول": 10, "نوفمبر": 11,
              "تشرين الثاني": 11, "ديسمبر": 12, "كانون الأول": 12}
_MONTH_OF = {normalize(name): number for name, number in _MONTHS_AR.items()}
_MONTH_OF.update({name.lower(): n for n, name in enumerate(MONTHS_EN, 1)})
_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in _MONTH_OF), key=len, reverse=True))
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_RANGE = r"(?:\s*[-‐‑–—]\s*|\s+(?:إلى|الى|to|and|و)\s+)"  # 18-19, "5 to 9", "من 5 إلى 9"

# "24 مايو 2023", "5 يونيو", "18-19 سبتمبر", "6-17 مارس 2023", "سبتمبر 2024", "June 2023", "12 June 2023"
DATE = re.compile(
    rf"(?:(?P<d1>\d{{1,2}})(?:{_RANGE}(?P<d2>\d{{1,2}}))?\s+)?(?:(?:من|في)\s+)?(?P<month>{_MONTH_NAMES})"
    rf"(?:\s+(?:عام|سنة)?\s*(?P<year>(?:1[5-9]|20)\d\d))?", re.I)
YEAR = re.compile(r"(?<![\d/.])(?:1[5-9]|20)\d\d(?![\d/])")
NUMBER = re.compile(r"(?<![\w/.])\d+(?:[.,]\d+)?(?![\w/])")
# A figure with its scale word: "1,2 مليار" is 1.2 billion, not the figure 1,2 and the word "billion".
_SCALES = {"million": "million", "billion": "billion", "thousand": "thousand", "مليون": "million",
           "ملايين": "million", "مليار": "billion", "مليارات": "billion", "ألف": "thousand", "آلاف": "thousand"}
SCALED = re.compile(r"(?<![\w/.])(?P<figure>\d+(?:[.,]\d+)?)\s+(?P<scale>" + "|".join(_SCALES) + r")(?!\w)", re.I)
# An amount of money: a figure with its currency before or after it ("CHF 2.5 million", "50 000 فرنك
# سويسري", "$1.2 billion"). Its own kind: "what budget" is not answered by any figure.
_CURRENCY = (r"(?:CHF|USD|EUR|US\$|\$|€|£|Swiss francs?|francs?|dollars?|euros?|فرنكا?(?:ت)?(?:\s+سويسريا?)?"
             r"|دولارا?(?:ت)?(?:\s+أمريكيا?)?|يورو)")
_AMOUNT = r"\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?(?:\s+(?:million|billion|thousand|مليون|ملايين|مليار|مليارات|ألف|آلاف))?"
MONEY = re.compile(rf"(?<![\w/.]){_CURRENCY}\s*{_AMOUNT}(?!\w)|(?<![\w/.]){_AMOUNT}\s*{_CURRENCY}(?!\w)", re.I)
# A share: "25%", "7 في المائة", "0.7 per cent". Its own kind: "what percentage" is not answered by a count.
PERCENT = re.compile(r"(?<![\w/.])(?P<figure>\d+(?:[.,]\d+)?)\s*(?:%|٪|per\s?cent\b|في\s+الما?ئة|بالما?ئة)", re.I)
# Figures written as words, which reports use for small counts: "forty-two beacons", "ثلاث محطات",
# and how many times: "twice in our lifetime", "مرتين".
_UNITS_EN = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
             "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|"
             "million|billion|dozen|once|twice|thrice")
_UNITS_AR = ("مرتين|مرتان|واحد|اثن|ثلاث|اربع|خمس|ست|سبع|ثمان|ثماني|تسع|عشر|مائة|مئة|مئتا|مئتين|الف|الفا|الاف|مليون|"
             "ملايين|مليار|مليارات")
_WORD_AR = rf"(?:(?:احدى?|اثنتا|اثنتي|اثني)(?=\s+عشر)|(?:{_UNITS_AR})(?:ة|ه|ون|ين|ان|تان|تين|ا)?)"  # "احد" alone is "one of"
NUMBER_WORDS = re.compile(rf"\b(?:{_UNITS_EN})(?:[- ](?:{_UNITS_EN}))*\b"
                          rf"|(?<!\S)و?{_WORD_AR}(?:\s+و?{_WORD_AR})*(?!\S)", re.I)
# What Arabic number words say in figures, for a reader of the other language: "خمسة عشر" 15,
# "خمسة وعشرون" 25, "ثلاثة الاف" 3000. A phrase not read this way is shown as printed.
_AR_UNITS = {"واحد": 1, "احد": 1, "احدى": 1, "اثن": 2, "ثلاث": 3, "اربع": 4, "خمس": 5, "ست": 6, "سبع": 7,
             "ثمان": 8, "ثماني": 8, "تسع": 9, "عشر": 10}
_AR_STEMS = sorted(_AR_UNITS, key=len, reverse=True)  # longest first: "ثماني" before "ثمان"
_AR_SCALES = {"مائة": 100, "مئة": 100, "الف": 1000, "الاف": 1000, "مليون": 10**6, "ملايين": 10**6,
              "مليار": 10**9, "مليارات": 10**9}
_AR_WHOLE = {"مئتا": 200, "مئتين": 200, "مائتين": 200, "مائتان": 200, "الفا": 2000, "الفين": 2000, "الفان": 2000}

# A length of time: "ninety (90) days", "30 days", "four years", "ستة أشهر", "90 يوما". It answers
# "when" where treaties date an event from another ("ninety (90) days following the deposit").
_PERIOD_UNITS = {"day": "days", "days": "days", "week": "weeks", "weeks": "weeks", "month": "months",
                 "months": "months", "year": "years", "years": "years", "يوما": "days", "ايام": "days",
                 "يوم": "days", "اسبوع": "weeks", "اسابيع": "weeks", "شهرا": "months", "اشهر": "months",
                 "شهور": "months", "شهر": "months", "سنة": "years", "سنوات": "years", "سنين": "years",
                 "عاما": "years", "اعوام": "years"}
_UNIT_AR = {"days": "يوماً", "weeks": "أسابيع", "months": "أشهر", "years": "سنوات"}
PERIOD = re.compile(
    rf"(?<![\w/.])(?P<figure>\d+(?:[.,]\d+)?|(?:{_UNITS_EN})(?:(?:[- ]|\s+and\s+)(?:{_UNITS_EN}))*(?:\s*\((?P<digits>\d+)\))?"
    rf"|و?(?:{_UNITS_AR})(?:ة|ه|ون|ين|ان|تان|تين|ا)?)\s+(?P<unit>{'|'.join(sorted(_PERIOD_UNITS, key=len, reverse=True))})"
    rf"(?!\w)", re.I)
# Two of a unit in one word, Arabic's dual: "لمدة سنتين" (the Charter's two-year term), "خلال
# شهرين". "عامين" is left out: unvowelled, it is also "general" in the plural ("المديرين العامين").
_DUAL_UNITS = {"يوم": "days", "اسبوع": "weeks", "شهر": "months", "سنت": "years"}
DUAL_PERIOD = re.compile(rf"(?<!\w)(?:[وبل]|لل|[وبل]?ال)?(?P<unit>{'|'.join(_DUAL_UNITS)})(?:ين|ان)(?!\w)")

# A provision, part or item named by its number ("Article 50", "Nos. 269B and 269C", "paragraph 14",
# "المادة 19", "الفقرتين 3 و4") and a list item's own number ("14) be responsible..."): identifiers,
# not counts. Taken as figures, they answered "how many States are parties?".
_REFERENCE = re.compile(
    r"(?:\b(?:Articles?|Nos?\.|numbers?|paragraphs?|subparagraphs?|sections?|chapters?|annex(?:es)?|"
    r"appendix|appendices|resolutions?|decisions?|recommendations?|rules?|items?|targets?|goals?|indicators?|"
    r"CS|CV)|(?<!\S)(?:ال|و|ب|ل|لل)?(?:مادة|مادتين|مادتان|مواد|فقرة|فقرتين|فقرات|بند|بنود|قرار|مقرر|رقم|هدف|غاية|مؤشر|فصل|مرفق))"
    r"\s+\d+[A-Za-z]*(?![/\w])(?:\s*(?:,|and|to|or|و|إلى|أو|-)\s*\d+[A-Za-z]*(?![/\w]))*"
    r"|^\s*\(?\d+(?:\)|\.(?=\s))", re.I)

# A goal or target of the 2030 Agenda named by its number ("SDG 9", "Goals 6 and 17", "target 4.b",
# "للهدف 6"): what "Which SDGs will the HLPF review?" asks for, which a count does not answer.
_GOAL_NUMBER = r"\d{1,2}(?:\.(?:\d{1,2}|[a-z]))?(?![\w/]|\.\d)"
GOAL = re.compile(
    rf"(?:\b(?P<en>SDGs?|Goals?|[Tt]argets?)\s+|(?<!\S)(?:و|ل|ب)?(?:لل|ال)?(?P<ar>هدف|غاية)\s+)"
    rf"(?P<numbers>{_GOAL_NUMBER}(?:\s*(?:,|and|or|و)\s*{_GOAL_NUMBER})*)")


# Venues and places that Council and UN documents name, with their English names.
PLACES = {"نيويورك": "New York", "جنيف": "Geneva", "الدوحة": "Doha", "دبي": "Dubai", "كيغالي": "Kigali",
          "بوخارست": "Bucharest", "باريس": "Paris", "فيينا": "Vienna", "نيروبي": "Nairobi", "تونس": "Tunis",
          "شرم الشيخ": "Sharm el-Sheikh", "غلاسكو": "Glasgow", "بون": "Bonn", "روما": "Rome",
          "أديس أبابا": "Addis Ababa", "بانكوك": "Bangkok", "الرياض": "Riyadh", "القاهرة": "Cairo",
          "مراكش": "Marrakesh", "بوينس آيرس": "Buenos Aires", "كيوتو": "Kyoto", "إسطنبول": "Istanbul",
          "أنتيغوا وبربودا": "Antigua and Barbuda", "ألمانيا": "Germany", "ناميبيا": "Namibia",
          "رواندا": "Rwanda", "السويد": "Sweden", "الإمارات العربية المتحدة": "United Arab Emirates",
          "قطر": "Qatar", "سويسرا": "Switzerland", "الولايات المتحدة": "United States"}
_PLACE_OF = {normalize(name): english for name, english in PLACES.items()}
_ARABIC_PLACE = {english: name for name, english in PLACES.items()}
_PLACE = re.compile("|".join(sorted((re.escape(p) for p in _PLACE_OF), key=len, reverse=True)))
_ENGLISH_PLACE = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(set(PLACES.values()), key=len,
                                                                            reverse=True)) + r")\b")
# Latin-script names: inside Arabic text every Latin word is one (GDC, Giga, Partner2Connect); inside
# English text only acronyms, words with a digit or an inner capital are (UN-OHRLLS, P2C, iGov).
_LATIN_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9]*(?:[-+][A-Za-z0-9]+)*(?![\w-])")
_NAME_SHAPE = re.compile(r"[A-Z].*[A-Z]|\d|^[a-z]+[A-Z]")
# A title or name in quotation marks: "من الإمكانات إلى الرخاء", «...», “...”.
_QUOTED = re.compile(r"[\"“«]([^\"”»\n]{3,120})[\"”»]")
# A person named with a title ("Mr. Volker Türk", "السيد فولكر تورك"), or by an office, the way
# UN documents name who did something ("the Deputy Secretary-General", "نائب الأمينة العامة").
_PERSON = re.compile(r"\b(?:Mr|Ms|Mrs|Dr|H\.E)\.?\s+[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?"
                     r"|(?:السيد|السيدة|الدكتور|الدكتورة|معالي)\s+[\u0621-\u064A]+(?:\s+[\u0621-\u064A]+)?"
                     r"|\b(?:Deputy |Assistant )?Secretary-General\b|\b(?:High Commissioner|Special Envoy|Director|Chair)\b"
                     r"|(?:نائب |مساعد )?الامينة? العامة?|المفوض السامي|مبعوث الامين العام|مدير مكتب")


@dataclass(frozen=True)
class Fact:
    kind: str                  # "date", "period", "number", "percentage", "money", "place", "name", "title", "goal"
    text: str                  # as printed
    english: str               # written for an English reader
    arabic: str                # written for an Arabic reader

    def written_for(self, language: str) -> str:
        return self.arabic if language == "ar" else self.english


def _date(match: re.Match, months: list[str]) -> str:
    month = months[_MONTH_OF[normalize(match.group("month")).lower()] - 1]
    days = match.group("d1") or ""
    if days and match.group("d2"):
        first, second = sorted((int(days), int(match.group("d2"))))  # mirrored "17-6 مارس" reads 6-17
        days = f"{first}-{second}"
    return " ".join(part for part in (days, month, match.group("year") or "") if part)


def facts(sentence: str) -> list[Fact]:
    """Every language-neutral fact of a sentence, in order of appearance."""
    text = normalize(sentence).translate(_DIGITS)
    found: list[tuple[int, Fact]] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    for match in GOAL.finditer(text):
        taken.append(match.span())
        target = (match.group("en") or "").lower().startswith("target") or match.group("ar") == "غاية"
        for number in re.findall(_GOAL_NUMBER, match.group("numbers")):
            found.append((match.start(), Fact("goal", f"{match.group('en') or match.group('ar')} {number}",
                                              f"{'target' if target else 'Goal'} {number}",
                                              f"{'الغاية' if target else 'الهدف'} {number}")))
    taken += [match.span() for match in _REFERENCE.finditer(text)]
    for match in DATE.finditer(text):
        if match.group("d1") or match.group("year"):
            taken.append(match.span())
            found.append((match.start(), Fact("date", match.group(0), _date(match, MONTHS_EN), _date(match, MONTHS_AR))))
    for match in MONEY.finditer(text):
        if free(match.span()):
            taken.append(match.span())
            found.append((match.start(), Fact("money", match.group(0), match.group(0), match.group(0))))
    for match in _QUOTED.finditer(text):
        found.append((match.start(), Fact("title", match.group(1), match.group(1), match.group(1))))
    for match in _PERSON.finditer(text):
        taken.append(match.span())
        found.append((match.start(), Fact("name", match.group(0), match.group(0), match.group(0))))
    for match in _PLACE.finditer(text):
        found.append((match.start(), Fact("place", match.group(0), _PLACE_OF[match.group(0)], match.group(0))))
    for match in _ENGLISH_PLACE.finditer(text):
        taken.append(match.span())
        found.append((match.start(), Fact("place", match.group(0), match.group(0), _ARABIC_PLACE[match.group(0)])))
    for code in identifiers(text):
        position = text.find(code)
        if position >= 0 and free((position, position + len(code))):
            taken.append((position, position + len(code)))
            found.append((position, Fact("name", code, code, code)))
    in_arabic = script(text) == "ar"
    for match in _LATIN_WORD.finditer(text):
        word = match.group(0)
        if free(match.span()) and len(word) > 1 and (in_arabic and word[0].isupper() or _NAME_SHAPE.search(word)):
            taken.append(match.span())
            found.append((match.start(), Fact("name", match.group(0), match.group(0), match.group(0))))
    for match in PERCENT.finditer(text):
        if free(match.span()):
            taken.append(match.span())
            english = f"{_english_figure(match.group('figure'))}%"
            found.append((match.start(), Fact("percentage", match.group(0), english, match.group(0))))
    for match in PERIOD.finditer(text):
        if free(match.span()):
            taken.append(match.span())
            figure = match.group("digits") or match.group("figure")
            unit = _PERIOD_UNITS[match.group("unit").lower()]
            english, arabic = (f"{figure} {unit}", f"{figure} {_UNIT_AR[unit]}") if figure.isdigit() \
                else (match.group(0), match.group(0))  # a figure in words stays as printed
            found.append((match.start(), Fact("period", match.group(0), english, arabic)))
    for match in DUAL_PERIOD.finditer(text):
        if free(match.span()):
            taken.append(match.span())
            found.append((match.start(), Fact("period", match.group(0), f"2 {_DUAL_UNITS[match.group('unit')]}",
                                              match.group(0))))
    for match in SCALED.finditer(text):
        if free(match.span()):
            taken.append(match.span())
            english = f"{_english_figure(match.group('figure'))} {_SCALES[match.group('scale').lower()]}"
            found.append((match.start(), Fact("number", match.group(0), english, match.group(0))))
    for match in NUMBER_WORDS.finditer(text):
        if free(match.span()):
            taken.append(match.span())
            english = _arabic_figure(match.group(0)) or match.group(0)
            found.append((match.start(), Fact("number", match.group(0), english, match.group(0))))
    for match in NUMBER.finditer(text):
        if free(match.span()):
            kind = "date" if YEAR.fullmatch(match.group(0)) else "number"
            found.append((match.start(), Fact(kind, match.group(0), _english_figure(match.group(0)), match.group(0))))
    return [fact for _, fact in sorted(found, key=lambda item: item[0])]


def goals_listed(found: list[Fact]) -> list[Fact]:
    """The goals among `found` as one fact, where the first of them was ("Goals 6, 7, 9, 11 and
    17"): an answer's first line names every goal a sentence lists, not the first few."""
    goals = list(dict.fromkeys(f for f in found if f.kind == "goal"))
    if len(goals) < 2:
        return found
    numbers = [f.english.split(" ", 1)[1] for f in goals]
    english = f"Goals {', '.join(numbers[:-1])} and {numbers[-1]}"
    arabic = "الأهداف " + " و".join(numbers)
    listed = Fact("goal", "; ".join(f.text for f in goals), english, arabic)
    first = found.index(goals[0])
    return [f for f in found[:first] if f.kind != "goal"] + [listed] + [f for f in found[first:] if f.kind != "goal"]


# --- what a sentence states, for comparing a claim with its cited sentence ----------------

@dataclass(frozen=True)
class When:
    """A date as stated; any part may be left out ("September 2024", "5 June", "6-17 March")."""
    first_day: int | None
    last_day: int | None       # = first_day for one day
    month: int | None
    year: int | None

    def within(self, other: "When") -> bool:
        """Whether `other` states this date or a span holding it. A year that `other`
        leaves out ("5 June" after "24 May 2023") is not held against it."""
        days = self.first_day is None or (other.first_day is not None
                                          and other.first_day <= self.first_day <= self.last_day <= other.last_day)
        return (days and (self.month is None or self.month == other.month)
                and (self.year is None or other.year in (None, self.year)))

    def __str__(self) -> str:
        days = f"{self.first_day}-{self.last_day}" if self.first_day != self.last_day else self.first_day
        return "/".join(str(part) for part in (days, self.month, self.year) if part is not None)


@dataclass(frozen=True)
class Stated:
    """The parts of a sentence no paraphrase may change, in language-neutral form."""
    dates: tuple[When, ...]    # dates with a day or a year
    years: frozenset[int]      # every year named, alone or in a date
    numbers: frozenset[str]    # figures that are not part of a date or an identifier ("1.2", "46")
    numerals: frozenset[str]   # every figure, those of dates included
    places: frozenset[str]     # English names
    codes: frozenset[str]      # identifiers with a digit, upper case ("76/307", "CSW67")


def _english_figure(text: str) -> str:
    """A figure as English writes it: Arabic texts write decimals with a comma ("1,2" = 1.2),
    and thousands with a comma as English does ("1,000")."""
    if "," in text and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return text.replace(",", ".")
    return text


def _figure(text: str) -> str:
    """One spelling per figure: "1,2" (Arabic decimal comma) = "1.2"; "1,000" = "1000"; "05" = "5"."""
    text = text.replace("٫", ".").replace("٬", ",")
    text = text.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text) else text.replace(",", ".")
    whole, _, fraction = text.partition(".")
    fraction = fraction.rstrip("0")
    return str(int(whole)) + (f".{fraction}" if fraction else "")


def _arabic_word_value(word: str) -> tuple[int, bool] | None:
    """(value, is a scale) of one Arabic number word: "خمسة" 5, "ثلاثين" 30, "الاف" a scale."""
    if word in _AR_WHOLE:
        return _AR_WHOLE[word], False
    if word in _AR_SCALES:
        return _AR_SCALES[word], True
    for stem in _AR_STEMS:
        if not word.startswith(stem):
            continue
        suffix, value = word[len(stem):], _AR_UNITS[stem]
        if stem == "اثن":                                   # اثنان، اثنين، اثنتا، اثنتين
            return (2, False) if suffix in ("ان", "ين", "ا", "ي", "تان", "تين", "تا", "تي") else None
        if suffix in ("ون", "ين") and value >= 3:              # tens: ثلاثون، عشرين
            return (20 if value == 10 else value * 10), False
        if suffix in ("", "ة", "ه", "ى"):
            return value, False
    return None


def _arabic_figure(phrase: str) -> str | None:
    """The figure an Arabic number phrase says, or None when it is not read."""
    if script(phrase) != "ar":
        return None
    if phrase in ("مرتين", "مرتان"):
        return "twice"
    total = current = 0
    for raw in phrase.split():
        joined = raw.startswith("و") and _arabic_word_value(raw) is None
        read = _arabic_word_value(raw[1:] if joined else raw)
        if read is None:
            return None
        value, scale = read
        if scale:
            current = (current or 1) * value
            if value >= 1000:
                total, current = total + current, 0
        elif value == 10 and not joined and 0 < current < 10:   # خمسة عشر
            current += 10
        else:
            current += value
    return str(total + current)


def _when(date_text: str) -> When:
    match = DATE.fullmatch(date_text)
    days = sorted(int(d) for d in (match.group("d1"), match.group("d2")) if d)
    year = match.group("year")
    return When(days[0] if days else None, days[-1] if days else None,
                _MONTH_OF[normalize(match.group("month")).lower()], int(year) if year else None)


def stated(sentence: str) -> Stated:
    found = facts(sentence)
    dates = [f for f in found if f.kind == "date"]
    text = normalize(sentence).translate(_DIGITS)
    return Stated(
        dates=tuple(_when(f.text) for f in dates if not YEAR.fullmatch(f.text)),
        years=frozenset(int(y) for f in dates for y in YEAR.findall(f.text)),
        numbers=frozenset(_figure(NUMBER.search(f.text).group(0)) for f in found  # "1,2 مليار": its figure
                          if f.kind in ("number", "period", "percentage", "money") and NUMBER.search(f.text)),
        numerals=frozenset(_figure(n) for n in re.findall(r"\d+(?:[.,٫٬]\d+)*", text)),
        places=frozenset(f.english for f in found if f.kind == "place"),
        codes=frozenset(f.text.upper() for f in found if f.kind == "name" and re.search(r"\d", f.text)))
