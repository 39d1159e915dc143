"""Lines of a document -> a Document whose Paragraphs are the smallest provisions it numbers.

One parser for every layout users bring, Arabic or English: Council reports
(front page blocks, `N<TAB>title` sections, `N.k` paragraphs that Arabic exports
print mirrored), treaties (chapters, articles, numbered and lettered paragraphs,
ITU margin numbers), SDG goals with targets and indicators, resolutions
(preambular and operative paragraphs, ITU parts whose numbering restarts under
each verb), and plain text.

Four passes, each linear in the number of lines:
1. classify each line on its own (index.numbering): heading, numbered item,
   verb, bullet, note, or text; then the few decisions that need the document:
   margin numbers or not, mirrored numbers or not, wrapped lines or not;
2. split off the front page (index.front_matter, index.doc_metadata);
3. walk the body keeping the open headings and the numbering under the innermost
   one, making a unit per numbered provision and per unnumbered paragraph;
4. merge unnumbered fragments into a neighbour and give every unit its id.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from index import numbering
from index.doc_metadata import is_metadata, read_header
from index.front_matter import HEADER_TITLES, RULE_LINE, front_blocks, label_of
from index.language import SAMPLE, language_of
from index.model import Document, Paragraph
from index.numbering import (ABSOLUTE_STYLES, ANNEX, APPENDIX, ARTICLE, CLAUSE_END, CONTAINER_KINDS, DECIMAL, DEPTH,
                             GOAL, INSTRUMENT, LETTER, MARGIN, NUMBER, NUMBERED_SECTION, PART_KINDS, PREAMBLE,
                             SENTENCE_END, SUBHEADING, Heading, Marker, starts_lowercase, title_like)

# Bump when parsing changes what it makes of a file: every file is then parsed again.
PARSER_VERSION = "3"

# What a line is, once classified.
TEXT, HEADING, VERB, ITEM, BULLET, NOTE, RULE = "text", "heading", "verb", "item", "bullet", "note", "rule"
# What a unit of the body is: a numbered provision, or an unnumbered paragraph of a
# preamble or of plain text (those two are counted: PP1, PP2...; ¶1, ¶2...).
NUMBERED, PREAMBULAR, PLAIN = "numbered", "preambular", "plain"
COUNTED = {PREAMBULAR: "PP", PLAIN: "¶"}

MIN_UNIT_CHARS = 20            # an unnumbered unit shorter than this is a fragment, not a sentence
LEAD_IN_MAX_CHARS = 120        # an unpunctuated line this short leads into the next ("AND FOR THESE ENDS")
SUBHEADING_MAX_CHARS = 100     # an unnumbered title ("COMPOSITION", "Elected officials")
ARTICLE_TITLE_MAX_CHARS = 100  # "Article 1" / "Purposes of the Union"; longer is the article's first sentence
SECTION_TITLE_MAX_CHARS = 150  # "2<TAB>Our Common Agenda"
SECTION_LOOKAHEAD = 3          # a "N<TAB>title" line heads a section when N.k paragraphs follow this closely
WRAPPED_LINE_MAX_CHARS = 150   # text wrapped at a width has shorter lines than this
HEADER_LINE_MAX_CHARS = 200    # front-page lines are short; a longer line starts the body
FRONT_LINES_MAX = 40           # header lines above the first label: a front page is one page
TITLE_LINES_MAX = 3            # lines above a treaty's first heading that make its title
INSTRUMENT_LOOKUP_LINES = 5    # where a treaty names itself (its title)
BARE_CALL_LOOKAHEAD = 20       # paragraphs searched for a footnote number left bare in the text
# Headings whose title may be printed on the line after them ("CHAPTER I" / "BASIC PROVISIONS").
TITLED_ON_NEXT_LINE = {ANNEX: numbering.TITLE_MAX_CHARS, APPENDIX: numbering.TITLE_MAX_CHARS,
                       numbering.PART: numbering.TITLE_MAX_CHARS, numbering.CHAPTER: numbering.TITLE_MAX_CHARS,
                       numbering.SECTION: numbering.TITLE_MAX_CHARS, ARTICLE: ARTICLE_TITLE_MAX_CHARS}

_BULLET = re.compile(r"[•·▪◦‣⁃–—-]\s+")
_NOTE = re.compile(r"\*{1,3}\s*(\S.*)")                 # "* Note by the General Secretariat: ..."
# A page's footnotes pasted into the text at a page break: "... international ---" then "1 United Nations, ...".
_TRAILING_RULE = re.compile(r"\s*(?:-{3,}|_{3,})$")
_RULE_ENDS = ("---", "___")
_PAGE_NOTE = re.compile(r"\d{1,3}\s+(\S.*)")
# A footnote body may hold bracketed text but never another "[n:": so an unclosed "[1:"
# is given up at the next one, and possessive repeats never backtrack.
_FOOTNOTE_TEXT = re.compile(r"\[(\d+):\s*((?:[^\[\]]++|\[(?!\d+:)[^\[\]]*+\])*+)\]")
_FOOTNOTE_REF = re.compile(r"\[footnoteRef:(\d+)\]")


@dataclass
class _Line:
    text: str
    indented: bool
    block: int                  # lines of one block have no blank line between them
    kind: str = TEXT
    heading: Heading | None = None
    marker: Marker | None = None


@dataclass
class _Unit:
    kind: str
    key: str                    # numbered: its id before any qualification
    label: str
    headings: list[str]
    parts: list[str]            # names of the open parts (annexes, chapters...), outermost first
    annexes: list[str]          # the annexes and appendices it sits in: they number afresh
    container: int              # serial of the innermost open heading
    last: _Line                 # the last line it took
    pieces: list[str] = field(default_factory=list)   # text pieces, each with the separator before it
    bullets: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.pieces).strip()

    def add(self, text: str, separator: str) -> None:
        self.pieces.append(separator + text if self.pieces else text)


@dataclass
class _Open:
    heading: Heading
    depth: float
    has_chapeau: bool = False   # an article's unnumbered text took its id already


def parse_document(lines: list[str], doc_id: str, path: str = "") -> Document:
    """Parse extracted lines (see index.formats) into a Document."""
    lines, footnotes = _lift_footnotes(lines)
    rows = _rows(lines)
    instrument = _instrument(rows)
    _classify(rows, margin_numbered=_is_margin_numbered(rows, instrument))
    front_end, is_page = _front(rows)

    document = Document(id=doc_id, paragraphs=[], path=path)
    header, front_units = front_blocks([row.text for row in rows[:front_end]])
    read_header(header, document)
    body = rows[front_end:]
    _mark_sections(body)
    _mark_page_notes(body)
    wrapped = _is_wrapped(body)
    if wrapped:
        _unmark_wrapped_verbs(body)
    walk = _Walk(mirrored=_is_mirrored(body), wrapped=wrapped, instrument=instrument,
                 running_title=document.title, preamble=any(_is_article(row) for row in body))
    units = _merge_fragments(walk.run(body))
    # A title alone is no unit; a front page that also says who adopted the text ("The
    # Plenipotentiary Conference ... (Dubai, 2018),") is one: it answers "who adopted it?".
    opening = any(numbering.lead_in(line) for line in header)
    document.paragraphs = (front_units if is_page or opening else []) + _paragraphs(units)
    _attach_footnotes(document.paragraphs, footnotes)
    document.language = language_of(_sample(document.paragraphs))
    for paragraph in document.paragraphs:
        if paragraph.id == "front.header":
            paragraph.label = HEADER_TITLES.get(document.language, HEADER_TITLES["en"])
            paragraph.headings = [paragraph.label]
    return document


# --- pass 1: lines -----------------------------------------------------------

def _lift_footnotes(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Cut `[n: text]` footnote bodies out of the lines; the refs stay as anchors."""
    footnotes: dict[str, str] = {}

    def keep(match: re.Match) -> str:
        footnotes[match.group(1)] = match.group(2).strip()
        return ""

    return [_FOOTNOTE_TEXT.sub(keep, line).rstrip() for line in lines], footnotes


def _rows(lines: list[str]) -> list[_Line]:
    rows, block = [], 0
    for line in lines:
        text = line.strip()
        if text:
            rows.append(_Line(text, line[:1] == "\t", block))
        else:
            block += 1
    return rows


def _instrument(rows: list[_Line]) -> str:
    """CS or CV: the ITU instrument a treaty text names in its title, else ""."""
    return next((code for row in rows[:INSTRUMENT_LOOKUP_LINES] if (code := numbering.instrument(row.text))), "")


def _is_margin_numbered(rows: list[_Line], instrument: str) -> bool:
    """ITU treaty texts number every provision in the margin ("47 PP-98<TAB>1. ..."):
    an amendment mark or a bracketed number says so, or the title names the instrument."""
    found = False
    for row in rows:
        if marker := numbering.margin(row.text):
            if marker.amended:
                return True
            found = True
    return found and bool(instrument)


def _classify(rows: list[_Line], margin_numbered: bool) -> None:
    for row in rows:
        text = row.text
        if RULE_LINE.fullmatch(text):
            row.kind = RULE
        elif m := _NOTE.fullmatch(text):
            row.kind, row.text = NOTE, m.group(1)
        elif margin_numbered and (marker := numbering.margin(text)):
            row.kind, row.marker = ITEM, marker
        elif heading := numbering.heading(text) or numbering.verb(text):
            row.kind, row.heading = (VERB if heading.kind == numbering.VERB else HEADING), heading
        elif marker := numbering.item(text):
            row.kind, row.marker = ITEM, marker
        elif row.indented or _BULLET.match(text):
            row.kind, row.text = BULLET, _BULLET.sub("", text, count=1)


def _mark_sections(rows: list[_Line]) -> None:
    """A numbered title followed closely by paragraphs that extend its number
    ("2<TAB>Our Common Agenda", then 2.1, 2.2) heads a section; it is not a unit."""
    for i, row in enumerate(rows):
        marker = row.marker
        if row.kind != ITEM or marker.style not in (NUMBER, DECIMAL) or \
                not title_like(marker.rest, SECTION_TITLE_MAX_CHARS):
            continue
        head = marker.parts
        for after in rows[i + 1:i + 1 + SECTION_LOOKAHEAD]:
            if after.kind == ITEM and after.marker.style == DECIMAL and len(after.marker.parts) > len(head) and \
                    head in (after.marker.parts[:len(head)], after.marker.parts[-len(head):]):
                row.kind, row.heading = HEADING, Heading(NUMBERED_SECTION, marker.value, marker.label, marker.rest)
                break


def _mark_page_notes(rows: list[_Line]) -> None:
    """A page's footnotes pasted into the text at a page break ("... international ---",
    "1 United Nations, Treaty Series...", "levels, on the role...") become footnotes."""
    for i, row in enumerate(rows[:-1]):
        if row.kind not in (TEXT, ITEM) or not row.text.endswith(_RULE_ENDS) or not _TRAILING_RULE.search(row.text) \
                or not _PAGE_NOTE.fullmatch(rows[i + 1].text):
            continue
        row.text = _TRAILING_RULE.sub("", row.text)
        if row.marker:
            row.marker = Marker(row.marker.style, row.marker.value, row.marker.label,
                                _TRAILING_RULE.sub("", row.marker.rest), row.marker.amended)
        for note in rows[i + 1:]:
            if note.kind not in (TEXT, ITEM) or not (m := _PAGE_NOTE.fullmatch(note.text)):
                break
            note.kind, note.text = NOTE, m.group(1)


def _is_mirrored(rows: list[_Line]) -> bool:
    """Arabic exports print 2.3 as 3.2. Vote over paragraph numbers whose ends differ:
    mirrored when the last part is the number of the section they sit in."""
    votes: Counter[bool] = Counter()
    section = None
    for row in rows:
        if row.kind == HEADING and row.heading.kind in (NUMBERED_SECTION, GOAL):
            section = row.heading.name.split()[-1]
        elif row.kind == ITEM and row.marker.style == DECIMAL and section:
            parts = row.marker.parts
            if parts[0] != parts[-1] and section in (parts[0], parts[-1]):
                votes[parts[-1] == section] += 1
    return votes[True] > votes[False]


def _is_wrapped(rows: list[_Line]) -> bool:
    """Hard-wrapped text (a .txt file's lines broken at a width): blank lines part its
    paragraphs, and the lines of a block mostly stop mid-clause, none longer than a
    wrapped line can be. Otherwise every line is a paragraph, as .docx and .html give them."""
    votes: Counter[bool] = Counter()
    for row, after in zip(rows, rows[1:]):
        if row.block == after.block and row.kind == after.kind == TEXT:
            votes[len(row.text) <= WRAPPED_LINE_MAX_CHARS and not row.text.endswith(CLAUSE_END)] += 1
    has_blank_lines = bool(rows) and rows[0].block != rows[-1].block
    return has_blank_lines and votes[True] > votes[False]


def _unmark_wrapped_verbs(rows: list[_Line]) -> None:
    """In hard-wrapped text a line that reads "noting the work of the" is the middle of
    a paragraph, not an ITU resolution's verb: those stand alone."""
    sizes = Counter(row.block for row in rows)
    for row in rows:
        if row.kind == VERB and sizes[row.block] > 1:
            row.kind, row.heading = TEXT, None


def _is_article(row: _Line) -> bool:
    return row.kind == HEADING and row.heading.kind == ARTICLE


# --- pass 2: the front page ----------------------------------------------------

def _front(rows: list[_Line]) -> tuple[int, bool]:
    """Where the body starts, and whether what is above it is a front page (named
    blocks, or header lines a front page prints) rather than a title alone.
    Unnumbered text above the first heading that is neither stays in the body."""
    labelled = False
    end = len(rows)
    for i, row in enumerate(rows):
        if not labelled and i == FRONT_LINES_MAX:
            return 0, False
        if _starts_body(row, rows[i + 1] if i + 1 < len(rows) else None):
            end = i
            break
        if label_of(row.text):
            labelled = True
        elif not labelled and not _header_like(row):
            end = i
            break
    front = rows[:end]
    if labelled or any(is_metadata(row.text) for row in front):
        return end, True
    if front and len(front) <= TITLE_LINES_MAX and end < len(rows) and \
            _starts_body(rows[end], rows[end + 1] if end + 1 < len(rows) else None):
        return end, False
    return 0, False


def _starts_body(row: _Line, after: _Line | None) -> bool:
    """Headings, numbered items and verbs start the body; so does a resolution's opening
    ("The General Assembly,") over the preambular paragraphs it leads into. Over ITU
    verb parts ("considering", "resolves") the opening alone closes the front page."""
    opening = numbering.lead_in(row.text)
    if opening == numbering.LEAD_IN_ALONE:
        return after is None or after.kind == TEXT
    if row.kind in (ITEM, VERB) or opening:
        return True
    return row.kind == HEADING and row.heading.kind != INSTRUMENT   # a treaty's name is its title


def _header_like(row: _Line) -> bool:
    """A short line that ends no clause, or a resolution's opening left on the front page."""
    text = row.text
    return (len(text) <= HEADER_LINE_MAX_CHARS and not starts_lowercase(text) and not text.endswith(CLAUSE_END)) \
        or numbering.lead_in(text) == numbering.LEAD_IN_ALONE


# --- pass 3: the body ----------------------------------------------------------

class _Walk:
    """Keeps the open headings and the numbering under the innermost one, and makes the units."""

    def __init__(self, mirrored: bool, wrapped: bool, instrument: str, running_title: str, preamble: bool):
        self.mirrored, self.wrapped, self.instrument = mirrored, wrapped, instrument
        self.running_title = running_title   # a page header repeating the title, left in the text
        self.preamble = preamble             # unnumbered text before a treaty's first article is its preamble
        self.open: list[_Open] = []
        self.items: list[Marker] = []        # the numbering under the innermost heading, outermost first
        self.units: list[_Unit] = []
        self.current: _Unit | None = None    # the unit that unnumbered lines carry on
        self.notes: list[str] = []           # footnotes waiting for the next unit
        self.serial = 0

    def run(self, rows: list[_Line]) -> list[_Unit]:
        i = 0
        while i < len(rows):
            row = rows[i]
            after = rows[i + 1] if i + 1 < len(rows) else None
            i += 1
            if row.kind in (HEADING, VERB):
                heading = row.heading
                if self._is_title(heading, after, rows[i + 1] if i + 1 < len(rows) else None):
                    heading, i = heading.titled(after.text), i + 1
                self._open(heading, DEPTH[heading.kind])
            elif row.kind == ITEM:
                self._item(row)
            elif row.kind == NOTE:
                (self.current.footnotes if self.current else self.notes).append(row.text)
            elif row.kind == BULLET and self.current:
                self.current.bullets.append(row.text)
            elif row.kind == RULE or (self.running_title and row.text == self.running_title):
                continue
            elif self._wraps_on(row):
                self._text(row)
            elif (depth := self._subheading_depth(row, after)) is not None:
                self._open(Heading(SUBHEADING, row.text, row.text), depth)
            else:
                self._text(row)
        return self.units

    # headings

    def _is_title(self, heading: Heading, after: _Line | None, next_after: _Line | None) -> bool:
        """"Article 1" / "Purposes of the Union": the line after a heading is its title
        when it reads as one and no sentence runs on from it."""
        limit = TITLED_ON_NEXT_LINE.get(heading.kind)
        return bool(limit and not heading.title and after and after.kind == TEXT
                    and title_like(after.text, limit) and not numbering.lead_in(after.text)
                    and not (next_after and next_after.kind == TEXT and starts_lowercase(next_after.text)))

    def _subheading_depth(self, row: _Line, after: _Line | None) -> float | None:
        """An unnumbered title over what follows: over the next heading it sits just above
        it ("COMPOSITION" / "Article 9"); over items or paragraphs, just inside the innermost
        heading ("The Council" inside Article 2). A preamble has no titles."""
        if row.kind != TEXT or self.preamble or after is None or not title_like(row.text, SUBHEADING_MAX_CHARS) \
                or numbering.lead_in(row.text):
            return None
        if after.kind in (HEADING, VERB):
            return DEPTH[after.heading.kind] - 0.5
        inner = next((o.depth for o in reversed(self.open) if o.heading.kind != SUBHEADING), 0) + 0.5
        if after.kind == ITEM:
            return inner
        over_paragraphs = after.kind == TEXT and not title_like(after.text) and not starts_lowercase(after.text)
        if over_paragraphs and (self.current is None or self.current.kind == PLAIN) and not self._chapeau():
            return inner
        return None

    def _open(self, heading: Heading, depth: float) -> None:
        while self.open and self.open[-1].depth >= depth:
            self.open.pop()
        self.open.append(_Open(heading, depth))
        self.serial += 1
        self.current = None
        if heading.kind != SUBHEADING:      # a title inside an article does not restart its numbering
            self.items = []
            self.preamble = heading.kind == PREAMBLE
        if heading.kind == INSTRUMENT:
            self.instrument = heading.name

    # numbered provisions

    def _item(self, row: _Line) -> None:
        marker = row.marker
        if numbering.is_ambiguous_roman(marker) and self._letter_follows(marker):
            marker = marker.as_letter()
        if marker.style in ABSOLUTE_STYLES:
            self.items = [marker]
        else:
            styles = [m.style for m in self.items]
            if marker.style in styles:      # a sibling: back to its level
                del self.items[styles.index(marker.style):]
            self.items.append(marker)
        label = marker.label
        if marker.style == DECIMAL and self.mirrored:
            marker = Marker(DECIMAL, ".".join(reversed(marker.parts)), label, marker.rest)
            self.items[-1] = marker
        self._new(NUMBERED, self._key(), label.rstrip(" -–"), marker.rest, row, restarts=marker.style != MARGIN)
        self.preamble = False

    def _letter_follows(self, marker: Marker) -> bool:
        """(i) after (h) is a letter; (i) after (a) opens roman sub-items."""
        letters = [m for m in self.items if m.style == LETTER]
        return bool(letters) and ord(letters[-1].value[0]) == ord(marker.value) - 1

    def _key(self) -> str:
        first, rest = self.items[0], self.items[1:]
        if first.style == MARGIN:
            return f"{self.instrument or 'No.'} {first.value}"
        path = (first.value if first.style in (DECIMAL, NUMBER) else f"({first.value})") + \
            "".join(f"({m.value})" for m in rest)
        container = self._container()
        if container is None or first.style == DECIMAL:
            return path
        if container.kind == ARTICLE:
            return f"{container.name}.{path}" if first.style == NUMBER else container.name + path
        return f"{container.name} {path}"

    def _container(self) -> Heading | None:
        return next((o.heading for o in reversed(self.open) if o.heading.kind in CONTAINER_KINDS), None)

    # unnumbered text

    def _text(self, row: _Line) -> None:
        unit = self.current
        if unit is not None and (unit.kind == NUMBERED or self._carries_on(unit, row)):
            unit.add(row.text, self._separator(unit, row))
            unit.last = row
            return
        if chapeau := self._chapeau():
            chapeau.has_chapeau = True      # an article's own text is cited as the article
            self._new(NUMBERED, chapeau.heading.name, chapeau.heading.label, row.text, row, restarts=True)
            return
        # "The General Assembly," opens a resolution's preamble: on a line of its own anywhere
        # (an annexed resolution), or opening the body ("The States Parties to this Convention, Recognizing").
        if (opening := numbering.lead_in(row.text)) and (opening == numbering.LEAD_IN_ALONE or not self.units):
            self.preamble = True
        self._new(PREAMBULAR if self.preamble else PLAIN, "", "", row.text, row)

    def _chapeau(self) -> _Open | None:
        inner = self.open[-1] if self.open else None
        return inner if inner and inner.heading.kind in CONTAINER_KINDS and not inner.has_chapeau else None

    def _wraps_on(self, row: _Line) -> bool:
        """A line of hard-wrapped text inside the current paragraph's block: never a title."""
        return self.wrapped and self.current is not None and row.block == self.current.last.block

    def _carries_on(self, unit: _Unit, row: _Line) -> bool:
        """An unnumbered paragraph goes on over a wrapped line, or over a break in mid-sentence."""
        return (self.wrapped and row.block == unit.last.block) or self._mid_sentence(unit, row)

    def _separator(self, unit: _Unit, row: _Line) -> str:
        return " " if (self.wrapped and row.block == unit.last.block) or self._mid_sentence(unit, row) else "\n"

    @staticmethod
    def _mid_sentence(unit: _Unit, row: _Line) -> bool:
        """A break inside a sentence (a page break in extracted text): the line goes on in
        lower case, or the text before stops on a word ("Production and" / "Stockpiling of")."""
        before = unit.pieces[-1]
        return (starts_lowercase(row.text) and not before.endswith(SENTENCE_END)) or \
            (not before.endswith(CLAUSE_END) and before[-1:].isascii() and before[-1:].islower())

    def _new(self, kind: str, key: str, label: str, text: str, row: _Line, restarts: bool = False) -> None:
        """`restarts`: the number starts again in an annex (margin numbers run through the treaty)."""
        annexes = [o.heading.name for o in self.open if o.heading.kind in (ANNEX, APPENDIX)] if restarts else []
        unit = _Unit(kind, key, label, [o.heading.text for o in self.open],
                     [o.heading.name for o in self.open if o.heading.kind in PART_KINDS], annexes, self.serial, row)
        unit.add(text, "")
        unit.footnotes, self.notes = self.notes, []
        self.units.append(unit)
        self.current = unit


# --- pass 4: fragments and ids -------------------------------------------------

def _is_fragment(unit: _Unit) -> bool:
    """Less than a sentence: too short, a lead-in with no end ("AND FOR THESE ENDS",
    "Now, therefore,"), or a resolution's opening alone ("The General Assembly,")."""
    if unit.kind not in COUNTED:
        return False
    text = unit.text
    return len(text) < MIN_UNIT_CHARS or (len(text) < LEAD_IN_MAX_CHARS and not text.endswith(CLAUSE_END)) \
        or numbering.lead_in(text) == numbering.LEAD_IN_ALONE


def _merge_fragments(units: list[_Unit]) -> list[_Unit]:
    """A fragment leads into the next paragraph under the same heading; failing
    that it closes the previous unit, whatever that is."""
    kept: list[_Unit] = []
    carried: list[_Unit] = []
    for i, unit in enumerate(units):
        if carried:
            unit.pieces[0:0] = [" ".join(f.text for f in carried) + " "]
            unit.bullets[0:0] = [b for f in carried for b in f.bullets]
            unit.footnotes[0:0] = [n for f in carried for n in f.footnotes]
            carried = []
        if _is_fragment(unit):
            after = units[i + 1] if i + 1 < len(units) else None
            if after and after.kind in COUNTED and after.container == unit.container:
                carried.append(unit)
                continue
            if kept:
                kept[-1].add(unit.text, "\n")
                kept[-1].bullets += unit.bullets
                kept[-1].footnotes += unit.footnotes
                continue
            if after:
                carried.append(unit)
                continue
        kept.append(unit)
    return kept


def _paragraphs(units: list[_Unit]) -> list[Paragraph]:
    """Ids as printed; the unnumbered counted in document order. A number printed
    twice (numbering that starts again in a new part) is qualified by its part."""
    counts: Counter[str] = Counter()
    used: set[str] = set()
    paragraphs = []
    for unit in units:
        key, label = ", ".join(unit.annexes + [unit.key]), unit.label
        if unit.kind in COUNTED:
            counts[unit.kind] += 1
            key = label = f"{COUNTED[unit.kind]}{counts[unit.kind]}"
        if key in used:
            qualified = (", ".join(unit.parts[:n] + [unit.key]) for n in range(1, len(unit.parts) + 1))
            key = next((q for q in qualified if q not in used), key)
        used.add(key)
        paragraphs.append(Paragraph(id=key, text=unit.text, label=label or key, headings=unit.headings,
                                    bullets=unit.bullets, footnotes=unit.footnotes))
    return paragraphs


def _attach_footnotes(paragraphs: list[Paragraph], footnotes: dict[str, str]) -> None:
    """A note goes to the paragraph that calls it. A call that text extraction left
    as a bare number ("outer space,1") is looked for after the previous note's
    paragraph; a note no paragraph calls stays with the previous note, never lost."""
    where: dict[int, int] = {}          # note number -> index of its paragraph
    for i, paragraph in enumerate(paragraphs):
        for ref in _FOOTNOTE_REF.findall("\n".join([paragraph.text, *paragraph.bullets])):
            if ref in footnotes:
                paragraph.footnotes.append(footnotes.pop(ref))
                where[int(ref)] = i
        paragraph.text = _FOOTNOTE_REF.sub("", paragraph.text).strip()
        paragraph.bullets = [_FOOTNOTE_REF.sub("", b).strip() for b in paragraph.bullets]
    if not paragraphs:
        return
    body = next((i for i, p in enumerate(paragraphs) if not p.id.startswith("front.")), 0)
    for number in sorted(footnotes, key=int):
        after = where.get(int(number) - 1, body)
        # glued to a word or a comma ("space,1", "objects, 4 and"), not a date ("on 1 December")
        call = re.compile(rf"(?:(?<=[^\W\d_])|(?<=[,;:”’)]))\s?{number}(?=[\s,.;:]|$)(?!\s+[A-Z])")
        found = next((i for i in range(after, min(after + BARE_CALL_LOOKAHEAD, len(paragraphs)))
                      if call.search(paragraphs[i].text)), after)
        paragraphs[found].footnotes.append(footnotes[number])
        where[int(number)] = found


def _sample(paragraphs: list[Paragraph]) -> str:
    """Enough text to tell the language, without joining a whole long document."""
    sample, size = [], 0
    for paragraph in paragraphs:
        sample.append(paragraph.text)
        size += len(paragraph.text)
        if size >= SAMPLE:
            break
    return " ".join(sample)
