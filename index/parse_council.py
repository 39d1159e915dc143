"""Lines of a Council document -> Document with logically numbered Paragraphs.

Council documents share one layout in every language: front matter (date,
original language, author, title, then labelled blocks), section headings
`N<TAB>Title`, numbered paragraphs `N.k<TAB>text`, bulleted sub-items on
lines that start with a TAB, and footnotes `[footnoteRef:n]` / `[n: text]`.
Text extracted from right-to-left documents prints `N.k` mirrored as `k.N`;
the parser detects that per document and ids every paragraph by its logical
number, the one that is the same in all six language versions.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from index.arabic import normalize
from index.language import language_of
from index.model import Document, Paragraph

# Bump when parsing changes what it makes of a file: every file is then parsed again.
PARSER_VERSION = "1"

_SECTION = re.compile(r"^\s*(\d{1,2})\s*\t\s*(\S.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.?\s*\t\s*(.*)$")
_FOOTNOTE_TEXT = re.compile(r"\[(\d+):\s*(.*?)\]", re.S)
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d+)\]")
_RULE = re.compile(r"^\s*_{3,}\s*$")

# Front-matter block labels as printed in the six UN languages' Council templates.
FRONT_LABELS = {
    "purpose": ["الغرض", "Purpose", "Objet", "Objeto", "Назначение", "Цель", "目的"],
    "action": ["الإجراء المطلوب من المجلس", "Action required by the Council", "Action required",
               "Suite à donner par le Conseil", "Decisión solicitada al Consejo",
               "Необходимые действия со стороны Совета", "需要理事会采取的行动"],
    "relevance": ["الصلة بالخطة الاستراتيجية", "Relevance to the Strategic Plan",
                  "Pertinence pour le Plan stratégique", "Relación con el Plan Estratégico",
                  "Связь со Стратегическим планом", "与战略规划的关联"],
    "financial": ["الآثار المالية", "Financial implications", "Incidences financières",
                  "Repercusiones financieras", "Финансовые последствия", "财务影响"],
    "references": ["المراجع", "References", "Références", "Referencias", "Справочные материалы", "参考文件"],
}
FRONT_TITLES = {
    "header": "Header", "purpose": "Purpose", "action": "Action required by the Council",
    "relevance": "Relevance to the Strategic Plan", "financial": "Financial implications",
    "references": "References",
}
# The header block has no printed label; this names it in the document's language.
HEADER_TITLES = {"en": "Date, original language, author and title",
                 "ar": "التاريخ واللغة الأصلية ومقدم التقرير والعنوان",
                 "fr": "Date, langue originale, auteur et titre", "es": "Fecha, idioma original, autor y título"}
_LABEL_OF = {normalize(label).casefold(): key for key, labels in FRONT_LABELS.items() for label in labels}

_MONTHS = {
    "يناير": 1, "كانون الثاني": 1, "فبراير": 2, "شباط": 2, "مارس": 3, "آذار": 3, "أبريل": 4, "ابريل": 4,
    "نيسان": 4, "مايو": 5, "أيار": 5, "يونيو": 6, "حزيران": 6, "يوليو": 7, "تموز": 7, "أغسطس": 8,
    "آب": 8, "سبتمبر": 9, "أيلول": 9, "أكتوبر": 10, "تشرين الأول": 10, "نوفمبر": 11,
    "تشرين الثاني": 11, "ديسمبر": 12, "كانون الأول": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_MONTHS = {normalize(name): number for name, number in _MONTHS.items()}
_DATE = re.compile(r"^(\d{1,2})\s+(\S+(?:\s\S+)?)\s+(\d{4})$")
_ORIGINAL = re.compile(r"^(?:الاصل|Original|Оригинал|原文)\s*[:：]\s*(.+)$", re.I)  # matched on normalized text
_LANGUAGE_NAMES = {"en": ["إنكليزية", "انكليزية", "إنجليزية", "english", "anglais", "inglés", "английский"],
                   "fr": ["فرنسية", "french", "français", "francés"], "es": ["إسبانية", "spanish", "espagnol", "español"],
                   "ar": ["عربية", "arabic", "arabe", "árabe"], "ru": ["روسية", "russian", "russe", "ruso"],
                   "zh": ["صينية", "chinese", "chinois", "chino"]}
_AUTHOR = re.compile(r"^(?:تقرير من|مذكرة من|Report by|Note by|Rapport d[eu]|Informe d[eel]+)\b", re.I)


@dataclass
class _Line:
    text: str
    indented: bool


def parse_document(lines: list[str], doc_id: str, path: str = "") -> Document:
    """Parse extracted lines (see index.formats) into a Document."""
    lines, footnotes = _lift_footnotes(lines)
    rows = [_Line(line.strip(), line[:1] == "\t") for line in lines]
    first_section = next((i for i, row in enumerate(rows) if _SECTION.match(row.text) and
                          _is_body_start(rows, i)), None)
    numbered = first_section is not None
    front_rows = rows[:first_section] if numbered else []
    body_rows = rows[first_section:] if numbered else rows

    document = Document(id=doc_id, paragraphs=[], path=path)
    document.paragraphs += _front_matter(front_rows, document)
    if numbered:
        document.paragraphs += _numbered_body(body_rows, _is_mirrored(body_rows))
    else:
        document.paragraphs += _plain_body(body_rows)
    _attach_footnotes(document.paragraphs, footnotes)
    document.language = language_of(" ".join(p.text for p in document.paragraphs))
    for paragraph in document.paragraphs:
        if paragraph.id == "front.header":
            paragraph.label = HEADER_TITLES.get(document.language, HEADER_TITLES["en"])
            paragraph.headings = [paragraph.label]
    return document


def _lift_footnotes(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Cut `[n: text]` footnote bodies out of the lines; the refs stay as anchors."""
    footnotes: dict[str, str] = {}

    def keep(match: re.Match) -> str:
        footnotes[match.group(1)] = match.group(2).strip()
        return ""

    return [_FOOTNOTE_TEXT.sub(keep, line).rstrip() for line in lines], footnotes


def _attach_footnotes(paragraphs: list[Paragraph], footnotes: dict[str, str]) -> None:
    for paragraph in paragraphs:
        for attr in ("text", "bullets"):
            value = getattr(paragraph, attr)
            joined = value if isinstance(value, str) else "\n".join(value)
            for ref in _FOOTNOTE_REF.findall(joined):
                if ref in footnotes:
                    paragraph.footnotes.append(footnotes.pop(ref))
        paragraph.text = _FOOTNOTE_REF.sub("", paragraph.text).strip()
        paragraph.bullets = [_FOOTNOTE_REF.sub("", b).strip() for b in paragraph.bullets]


def _is_body_start(rows: list[_Line], i: int) -> bool:
    """A heading starts the body only if numbered paragraphs follow it."""
    return any(_NUMBERED.match(row.text) for row in rows[i + 1:i + 4])


def _is_mirrored(rows: list[_Line]) -> bool:
    """Vote over labels k.N where k != N: mirrored when N is the current section."""
    votes: Counter[bool] = Counter()
    section = None
    for row in rows:
        if m := _SECTION.match(row.text):
            section = m.group(1)
        elif (m := _NUMBERED.match(row.text)) and m.group(1) != m.group(2):
            if m.group(2) == section:
                votes[True] += 1
            elif m.group(1) == section:
                votes[False] += 1
    return votes[True] > votes[False]


def _numbered_body(rows: list[_Line], mirrored: bool) -> list[Paragraph]:
    paragraphs: list[Paragraph] = []
    section, section_title, last_section = "", "", None
    for row in rows:
        if not row.text:
            continue
        if (m := _NUMBERED.match(row.text)):
            first, second, text = m.groups()
            number = f"{second}.{first}" if mirrored else f"{first}.{second}"
            paragraphs.append(Paragraph(id=number, label=f"{first}.{second}", text=text,
                                        headings=[section_title] if section_title else []))
            last_section = section
        elif (m := _SECTION.match(row.text)):
            section, section_title = m.group(1), m.group(2).strip()
        elif paragraphs and last_section == section:
            if row.indented:
                paragraphs[-1].bullets.append(row.text)
            else:
                paragraphs[-1].text += "\n" + row.text
    return paragraphs


def _plain_body(rows: list[_Line]) -> list[Paragraph]:
    """No numbering: blank-line separated blocks, numbered in order."""
    blocks, current = [], []
    for row in rows + [_Line("", False)]:
        if row.text:
            current.append(row.text)
        elif current:
            blocks.append(" ".join(current))
            current = []
    return [Paragraph(id=str(n), label=str(n), text=text) for n, text in enumerate(blocks, 1)]


def _front_matter(rows: list[_Line], document: Document) -> list[Paragraph]:
    blocks: dict[str, list[str]] = {"header": []}
    printed = {"header": ""}
    current = "header"
    for row in rows:
        if not row.text or _RULE.match(row.text):
            continue
        key = _LABEL_OF.get(normalize(row.text).rstrip(":： ").strip().casefold())
        if key:
            current = key
            blocks.setdefault(key, [])
            printed[key] = row.text.rstrip(":： ")
        else:
            blocks[current].append(row.text)
    _read_header(blocks["header"], document)
    # The printed label ("الآثار المالية") heads the block: it is what a question about it echoes.
    return [Paragraph(id=f"front.{key}", label=printed[key] or FRONT_TITLES[key], text="\n".join(texts),
                      headings=[printed[key] or FRONT_TITLES[key]])
            for key, texts in blocks.items() if texts]


def _read_header(lines: list[str], document: Document) -> None:
    """Date, original language and author lines; what remains is the title."""
    title = []
    for line in lines:
        flat = normalize(line).strip()
        if not document.date and (m := _DATE.match(flat)):
            month = _MONTHS.get(m.group(2).casefold())
            if month:
                document.date = f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
                continue
        if m := _ORIGINAL.match(flat):
            document.original_language = _language_named(m.group(1))
            continue
        if _AUTHOR.match(flat):
            document.author = line
            continue
        title.append(line)
    document.title = " ".join(title).replace("\u00a0", " ").strip()


def _language_named(name: str) -> str:
    name = normalize(name).casefold()
    for code, names in _LANGUAGE_NAMES.items():
        if any(normalize(n).casefold() in name for n in names):
            return code
    return ""
