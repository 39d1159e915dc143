"""Provisions a question cites by number: "Article 19 of the Charter", "target 4.b",
"الغاية 16.1", "indicator 9.c.1", "CS 173", "المادة 31", "Goal 4".

A reader who cites a number wants that provision, whatever the wording around it,
and when the indexed text has no such provision the honest answer says so. The
ids the parser gives units are the numbers documents print ("Article 16.2",
"4.b", "CS 173"), and the heading path holds the numbers of the divisions above
them ("Article 4: The Council" over CV 50A), so a reference is matched against
both. Written by hand: numbering is the documents' convention, not a language one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.arabic import normalize

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_NUMBERED = r"(?:(?:is\s+)?(?:numbered|number|no\.?)\s+|رقم\s+)?"   # "target numbered 4.d", "الغاية رقم 4.b"
# (kind, pattern): the number is the last group.
_PATTERNS = [
    ("article", re.compile(r"\b(?:article|art\.)\s*" + _NUMBERED + r"(\d{1,3}[a-z]?(?:\.\d{1,2})?)(?![\w.]*\d)"
                           r"|(?<!\w)[وفبل]?(?:ال)?ماد[ةه]\s*" + _NUMBERED + r"(\d{1,3}(?:\.\d{1,2})?)(?!\d)", re.I)),
    ("indicator", re.compile(r"\bindicators?\s*" + _NUMBERED + r"(\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2})\b"
                             r"|(?<!\w)[وفبل]?(?:ال)?مؤشر\s*" + _NUMBERED + r"(\d{1,2}\.[0-9a-z]{1,2}\.\d{1,2})\b", re.I)),
    ("target", re.compile(r"\b(?:targets?|sdg)\s*" + _NUMBERED + r"(\d{1,2}\.[0-9a-z]{1,2})\b(?!\.\w)"
                          r"|(?<!\w)[وفبل]?(?:ال)?غاي[ةه]\s*" + _NUMBERED + r"(\d{1,2}\.[0-9a-z]{1,2})\b(?!\.\w)", re.I)),
    ("goal", re.compile(r"\b(?:goal|sdg)\s*" + _NUMBERED + r"(\d{1,2})\b(?![.\d])"
                        r"|(?<!\w)[وفبل]?(?:ال)?هدف\s*" + _NUMBERED + r"(\d{1,2})\b(?![.\d])", re.I)),
    ("margin", re.compile(r"\b(CS|CV)\s*(\d{1,4}[A-Z]?)\b|\bNo\.\s*(\d{1,4}[A-Z]?)\b")),
]
# "No. 5" cites a margin number only in a question about the treaty texts that print them.
_TREATY = re.compile(r"constitution|convention|دستور|اتفاقي", re.I)
_HEADING_NUMBER = {"article": r"(?:article|(?:ال)?ماد[ةه])", "goal": r"(?:goal|(?:ال)?هدف)"}


@dataclass(frozen=True)
class ProvisionRef:
    kind: str       # "article", "indicator", "target", "goal" or "margin"
    number: str     # "19", "16.2", "4.b", "9.c.1", "CS 173" ("173" for a bare "No. 173")
    written: str    # the question's word for it and the number: "Article 27", "الغاية 18.2", "target 4.d"

    @property
    def ranks_first(self) -> bool:
        """Whether the provision's units go first. Not a goal's: "Is SDG 11 part of the HLPF
        review?" asks about a subject the documents discuss by name, not for its targets."""
        return self.kind != "goal"

    def matches(self, paragraph: str, headings: str) -> bool:
        """Whether the unit with this id, under these headings (one per line), is the
        provision cited or part of it (Article 16 holds "Article 16.2")."""
        unit, number = paragraph.casefold(), self.number.casefold()
        if self.kind == "margin":
            return unit == number if " " in number else unit in (f"cs {number}", f"cv {number}")
        if self.kind in ("target", "indicator"):
            return unit == number
        if self.kind == "goal":
            return unit.startswith(number + ".") and _heading_holds(self.kind, number, headings)
        return (unit == f"article {number}" or unit.startswith((f"article {number}.", f"article {number}("))
                or ("." not in number and _heading_holds(self.kind, number, headings)))


def _heading_holds(kind: str, number: str, headings: str) -> bool:
    """A heading line that opens with the kind and number: "Article 4: The Council", "الهدف 4: ..."."""
    pattern = rf"^\s*{_HEADING_NUMBER[kind]}\s+{re.escape(number)}(?![\w.])"
    return any(re.match(pattern, normalize(line).translate(_DIGITS), re.I) for line in headings.split("\n"))


def references(question: str) -> list[ProvisionRef]:
    """The provisions `question` cites by number, in the order it cites them."""
    text = normalize(question).translate(_DIGITS)
    found: list[tuple[int, ProvisionRef]] = []
    taken: list[range] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() in span for span in taken):
                continue  # "indicator 9.c.1" is not also "target 9.c"
            groups = [g for g in match.groups() if g]
            if kind == "margin" and len(groups) == 1 and not _TREATY.search(text):
                continue
            number = f"{groups[0].upper()} {groups[1]}" if kind == "margin" and len(groups) == 2 else groups[-1]
            written = number if kind == "margin" and len(groups) == 2 else f"{match.group(0).split()[0]} {number}"
            found.append((match.start(), ProvisionRef(kind, number, written)))
            taken.append(range(match.start(), match.end()))
    return [ref for _, ref in sorted(found, key=lambda item: item[0])]
