"""What a front page says about its document: symbol, date, title, author, original language.

Read from the header lines only (above the first named block or the body): a
symbol quoted further down, in References for instance, names another document.
A sidecar NAME.meta.json still wins; index.ingest applies it after parsing.
"""
from __future__ import annotations

import re

from index.arabic import normalize
from index.model import Document
from index.numbering import lead_in

_MONTHS = {
    "يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3, "أبريل": 4, "ابريل": 4,
    "نيسان": 4, "مايو": 5, "أيار": 5, "يونيو": 6, "حزيران": 6, "يوليو": 7, "تموز": 7, "أغسطس": 8,
    "آب": 8, "سبتمبر": 9, "أيلول": 9, "أكتوبر": 10, "تشرين الأول": 10, "نوفمبر": 11,
    "تشرين الثاني": 11, "ديسمبر": 12, "كانون الأول": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_MONTHS = {normalize(name): number for name, number in _MONTHS.items()}
# "12 June 2023", "12 يونيو 2023", "1 كانون الأول/ديسمبر 2025" (UN Arabic prints both month names).
_DATE = re.compile(r"(\d{1,2})\s+([^\d\s]{2,20}(?:\s[^\d\s]{2,20})?)\s+(\d{4})")
# The date a resolution was adopted is its date; "Distr.: General 5 December 2025" is only when it was issued.
_ADOPTED = re.compile(r"adopted|اتخذته|اعتمدته", re.I)
_ORIGINAL = re.compile(r"^(?:الاصل|Original|Оригинал|原文)\s*[:：]\s*(.+)$", re.I)  # matched on normalized text
_LANGUAGE_NAMES = {"en": ["إنكليزية", "انكليزية", "إنجليزية", "english", "anglais", "inglés", "английский"],
                   "fr": ["فرنسية", "french", "français", "francés"], "es": ["إسبانية", "spanish", "espagnol", "español"],
                   "ar": ["عربية", "arabic", "arabe", "árabe"], "ru": ["روسية", "russian", "russe", "ruso"],
                   "zh": ["صينية", "chinese", "chinois", "chino"]}
_AUTHOR = re.compile(r"^(?:تقرير من|مذكرة من|Report by|Note by|Rapport d[eu]|Informe d[eel]+)\b", re.I)
# C23/INF/9, A/RES/70/1, A/HRC/53/42, WSIS-03/GENEVA/DOC/4; "-E" after it names the language version.
_SYMBOL = r"[A-Z][A-Z0-9]{0,9}(?:-\d{2})?(?:/[A-Z0-9][A-Za-z0-9.()]{0,20}){1,6}"
_SYMBOL_LINE = re.compile(rf"(?:(?:Document|الوثيقة)\s+)?({_SYMBOL})(?:-[AEFSRC])?")
_SYMBOL_IN_LINE = re.compile(rf"(?:Document|الوثيقة)\s+({_SYMBOL})(?:-[AEFSRC])?(?![\w/])")
# "80/16. Open-ended working group..." heads a General Assembly resolution.
_RESOLUTION_TITLE = re.compile(r"(\d{1,3}/\d{1,4})(?:\.|\s+[-–])\s+(\S.*)")
_GENERAL_ASSEMBLY = re.compile(r"General Assembly|الجمعية العامة")
# Lines of a masthead: the issuing body, session, agenda item, distribution, meeting place.
_MASTHEAD = re.compile(
    r"^(?:United Nations|الامم المتحدة|Nations Unies|General Assembly|الجمعية العامة|Council \d{4}|المجلس \d{4}"
    r"|Geneva\b|جنيف|Agenda item|البند|Distr\.|التوزيع|Resolution adopted by|قرار اتخذته|\[on the report|\[بناء على"
    r"|RESOLUTION\s+\d|Resolution\s+\d|القرار\s+\d)|Distr\.|Agenda item", re.I)
_SESSION = re.compile(r"(C\d{2})/")


def read_header(lines: list[str], document: Document) -> None:
    """Fill the document's metadata from its header lines; what no rule claims is the title."""
    title: list[str] = []
    dates: dict[int, str] = {}        # by preference: 0 adopted on, 1 a line that is only a date, 2 any other
    resolution_title = ""
    general_assembly = any(_GENERAL_ASSEMBLY.search(normalize(line)) for line in lines)
    for line in lines:
        flat = " ".join(normalize(line).split())
        if not flat:
            continue
        if m := _RESOLUTION_TITLE.fullmatch(flat):
            resolution_title = line.split(None, 1)[1].strip()
            if general_assembly:
                document.symbol = document.symbol or f"A/RES/{m.group(1)}"
            continue
        date = _find_date(flat)
        if date:
            rank = 0 if _ADOPTED.search(flat) else 1 if _DATE.fullmatch(flat) else 2
            dates.setdefault(rank, date)
            if rank == 1:
                continue
        if symbol := _symbol(flat):
            document.symbol = document.symbol or symbol
            if _SYMBOL_LINE.fullmatch(flat):
                continue
        if m := _ORIGINAL.match(flat):
            document.original_language = _language_named(m.group(1))
            continue
        if _AUTHOR.match(flat):
            document.author = line.strip()
            continue
        if not _MASTHEAD.search(flat) and not lead_in(line):   # "The Plenipotentiary Conference ...," is no title
            title.append(line.strip())
    if dates:
        document.date = dates[min(dates)]
    document.title = resolution_title or " ".join(title).replace("\u00a0", " ").strip()
    if m := _SESSION.match(document.symbol):
        document.session = m.group(1)


def is_metadata(line: str) -> bool:
    """A line only a front page prints: a date, the original language, an author, a
    symbol, a masthead line, a resolution's number."""
    flat = " ".join(normalize(line).split())
    return bool(_DATE.fullmatch(flat) and _find_date(flat) or _ORIGINAL.match(flat) or _AUTHOR.match(flat)
                or _SYMBOL_LINE.fullmatch(flat) or _SYMBOL_IN_LINE.search(flat) or _MASTHEAD.search(flat)
                or _RESOLUTION_TITLE.fullmatch(flat))


def _find_date(flat: str) -> str:
    for m in _DATE.finditer(flat):
        day, month, year = m.groups()
        for name in (month, *month.split("/"), month.split()[-1]):
            number = _MONTHS.get(name.casefold())
            if number and 1 <= int(day) <= 31:
                return f"{year}-{number:02d}-{int(day):02d}"
    return ""


def _symbol(flat: str) -> str:
    m = _SYMBOL_LINE.fullmatch(flat) or _SYMBOL_IN_LINE.search(flat)
    return m.group(1) if m else ""


def _language_named(name: str) -> str:
    name = normalize(name).casefold()
    for code, names in _LANGUAGE_NAMES.items():
        if any(normalize(n).casefold() in name for n in names):
            return code
    return ""
