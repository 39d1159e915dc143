"""The named blocks of a front page: Purpose, Summary, Action required, References...

Council documents print labelled blocks before their numbered body, the same in
every language's template. Each block is one unit, `front.<key>`, headed by its
label as printed (a question about "الآثار المالية" echoes the label). What comes
before the first label (date, original language, author, title) is the header
block, `front.header`.
"""
from __future__ import annotations

import re

from index.arabic import normalize
from index.model import Paragraph

# Front-matter block labels as printed in the six UN languages' Council templates.
FRONT_LABELS = {
    "purpose": ["الغرض", "Purpose", "Objet", "Objeto", "Назначение", "Цель", "目的"],
    "summary": ["ملخص", "الملخص", "Summary", "Executive summary", "Résumé", "Resumen", "Резюме", "摘要"],
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
    "header": "Header", "purpose": "Purpose", "summary": "Summary", "action": "Action required by the Council",
    "relevance": "Relevance to the Strategic Plan", "financial": "Financial implications",
    "references": "References",
}
# The header block has no printed label; this names it in the document's language.
HEADER_TITLES = {"en": "Date, original language, author and title",
                 "ar": "التاريخ واللغة الأصلية ومقدم التقرير والعنوان",
                 "fr": "Date, langue originale, auteur et titre", "es": "Fecha, idioma original, autor y título"}
_LABEL_OF = {normalize(label).casefold(): key for key, labels in FRONT_LABELS.items() for label in labels}
RULE_LINE = re.compile(r"[_\-–—]{3,}")   # "___________" between Financial implications and References
_LABEL_PUNCTUATION = ":： "
LABEL_MAX_CHARS = 60       # the longest label, "Необходимые действия со стороны Совета", with room


def label_of(line: str) -> tuple[str, str] | None:
    """(block key, text printed after the label on the same line) when a line opens a
    named block: "Purpose", "الآثار المالية:", "Summary: This report..."."""
    if len(line) <= LABEL_MAX_CHARS and (key := _key(line)):
        return key, ""
    colon = line.find(":", 0, LABEL_MAX_CHARS)
    if colon > 0 and (key := _key(line[:colon])):
        return key, line[colon + 1:].strip()
    return None


def _key(text: str) -> str | None:
    return _LABEL_OF.get(normalize(text).rstrip(_LABEL_PUNCTUATION).strip().casefold())


def front_blocks(lines: list[str]) -> tuple[list[str], list[Paragraph]]:
    """The header lines, and the blocks as units (the header block first)."""
    blocks: dict[str, list[str]] = {"header": []}
    printed = {"header": ""}
    current = "header"
    for line in lines:
        if not line or RULE_LINE.fullmatch(line):
            continue
        if labelled := label_of(line):
            current, rest = labelled
            blocks.setdefault(current, [])
            printed[current] = line.partition(":")[0].strip() if rest else line.rstrip(_LABEL_PUNCTUATION)
            if rest:
                blocks[current].append(rest)
        else:
            blocks[current].append(line)
    units = [Paragraph(id=f"front.{key}", label=printed[key] or FRONT_TITLES[key], text="\n".join(texts),
                       headings=[printed[key] or FRONT_TITLES[key]])
             for key, texts in blocks.items() if texts]
    return blocks["header"], units
