"""Bytes on disk -> text lines, one reader per format.

Every reader returns lines in the conventions of Council text exports, which
index.structure understands: a TAB between a paragraph number and its text,
a leading TAB on bulleted sub-items, `[footnoteRef:n]` where a footnote is
called and `[n: text]` holding its text. A number that only list markup
draws (an HTML <ol>) is written out in front of its item's first line, so
that "1.<TAB>text" reads the same whichever way the number was made.

Before a reader runs, index.guards checks what the file would cost to read (its
size; zip, XML and markup bombs); text and HTML bytes are decoded by
index.encodings, which refuses binary data and damaged text rather than guess.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
import zipfile
from pathlib import Path

import docx
import pdfplumber
from bidi import get_display
from bs4 import BeautifulSoup, NavigableString
from bs4.element import PreformattedString
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from lxml import etree
from pdfplumber.utils.exceptions import PdfminerException

from index.config import Limits
from index.encodings import decode_html, decode_text
from index.errors import DocumentError
from index.guards import NOT_A_DOCX, check_docx_package, check_file_size, check_html_depth, check_html_tags
from index.language import script
from index.numbering import to_roman


def read_txt(path: Path) -> list[str]:
    return decode_text(path.read_bytes(), path).replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --- .docx -----------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Runs of the paragraph itself: not deleted tracked changes, not text boxes anchored in it.
_RUN_CONTENT = etree.XPath(
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:txbxContent)]/*[self::w:t or self::w:tab"
    " or self::w:br or self::w:cr or self::w:noBreakHyphen or self::w:footnoteReference]",
    namespaces={"w": _W})
_RUN_TEXT = {"tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "\u2011"}
_TYPED_BULLET = re.compile("^[•–—·▪◦-]\t")  # ITU's enumlev styles: "–<TAB>text" typed by hand
# As python-docx parses the rest: entities are never expanded, no network, no huge text nodes.
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read_docx(path: Path) -> list[str]:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as error:
        raise DocumentError(path, f"{NOT_A_DOCX}: {error}") from error
    notes = _docx_footnotes(document)
    list_style = _list_styles(document)
    numbers: dict[str, int] = {}  # footnote id -> number as Word prints it: order of first call
    lines = []
    for paragraph in _docx_paragraphs(document):
        text, called = _docx_text(paragraph._p, numbers)
        text += "".join(f" [{numbers[id_]}: {notes.get(id_, '')}]" for id_ in called)
        if _is_list_item(paragraph, list_style) or _TYPED_BULLET.match(text):
            text = "\t" + _TYPED_BULLET.sub("", text).lstrip("\t")
        lines += text.split("\n")  # a manual line break inside a paragraph
    return lines


def _docx_paragraphs(container):
    """Paragraphs in reading order, table cells included (merged cells once)."""
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            seen = set()
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc not in seen:
                        seen.add(cell._tc)
                        yield from _docx_paragraphs(cell)
        else:
            yield block


def _docx_text(element, numbers: dict[str, int]) -> tuple[str, list[str]]:
    """Text of a w:p; python-docx's Paragraph.text drops footnote calls."""
    parts, called = [], []
    for node in _RUN_CONTENT(element):
        tag = etree.QName(node).localname
        if tag == "t":
            parts.append(node.text or "")
        elif tag == "footnoteReference":
            id_ = node.get(f"{{{_W}}}id")
            numbers.setdefault(id_, len(numbers) + 1)
            called.append(id_)
            parts.append(f"[footnoteRef:{numbers[id_]}]")
        else:
            parts.append(_RUN_TEXT[tag])
    return "".join(parts), called


def _docx_footnotes(document) -> dict[str, str]:
    try:
        part = document.part.part_related_by(RT.FOOTNOTES)
    except KeyError:
        return {}
    notes = {}
    for note in etree.fromstring(part.blob, _XML_PARSER).iterfind(f"{{{_W}}}footnote"):
        if note.get(f"{{{_W}}}type") in (None, "normal"):  # not the separator lines
            texts = [_docx_text(p, {})[0] for p in note.iterfind(f"{{{_W}}}p")]
            notes[note.get(f"{{{_W}}}id")] = " ".join(t.strip() for t in texts if t.strip())
    return notes


def _is_list_item(paragraph, list_style) -> bool:
    """Word numbering on the paragraph itself, or a List style (whose numbering
    lives in the style)."""
    p_pr = paragraph._p.pPr
    if p_pr is not None and p_pr.numPr is not None and p_pr.numPr.numId is not None:
        return p_pr.numPr.numId.val != 0  # numId 0 switches inherited numbering off
    return list_style(paragraph)


def _list_styles(document):
    """paragraph -> whether its style, or a style it is based on, is a List style.
    Looked up once per style id: python-docx's Paragraph.style scans every style of
    the document each time, which made a 30,000-paragraph file take minutes."""
    known: dict[str | None, bool] = {}

    def is_list(paragraph) -> bool:
        style_id = paragraph._p.style
        if style_id not in known:
            style = paragraph.style
            while style is not None and not style.name.startswith("List"):
                style = style.base_style
            known[style_id] = style is not None
        return known[style_id]
    return is_list


# --- .pdf ------------------------------------------------------------------

_BULLETS = "•◦▪▫■□●○‣⁃∙·–—*\uf0a7\uf0b7\uf0d8\uf076\uf0fc-"  # \uf0xx: Symbol/Wingdings bullets
_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2})*\.?")
_PRESENTATION_FORMS = re.compile("[\uFB50-\uFDFF\uFE70-\uFEFE]+")
_PAGE_NUMBER = re.compile(r"[\s\-–—]*(?:page|p\.|صفحة|الصفحة)?\s*\d+(?:\s*(?:/|of|من)\s*\d+)?[\s\-–—]*", re.I)
_BRACKET_SWAP = str.maketrans("()[]", ")(][")
_EDGE = 0.1  # top/bottom share of a page where running headers, footers and page numbers sit
PDF_MARKER_BYTES = 1024  # %PDF- opens the first 1 KB of a PDF and %%EOF ends its last (as Acrobat accepts)


def read_pdf(path: Path) -> list[str]:
    with path.open("rb") as file:
        head = file.read(PDF_MARKER_BYTES)
        file.seek(max(0, path.stat().st_size - PDF_MARKER_BYTES))
        tail = file.read()
    if b"%PDF-" not in head:
        raise DocumentError(path, "not a PDF file (no %PDF header)")
    if b"%%EOF" not in tail:
        raise DocumentError(path, "truncated PDF (no %%EOF at its end): it was not saved or copied completely")
    try:
        with pdfplumber.open(path) as pdf:
            pages = [(_pdf_page_lines(page), page.height) for page in pdf.pages]
    except PdfminerException as error:
        cause = type(error.args[0]).__name__ if error.args else ""
        if "Password" in cause or "Encrypt" in cause:
            raise DocumentError(path, "encrypted PDF: it needs a password to open") from error
        raise DocumentError(path, f"corrupt PDF: {error}") from error
    words = [w for lines, _ in pages for line in lines for w in line]
    if not words:
        raise DocumentError(path, "PDF has no text layer (a scan?): OCR it first")
    body_size = statistics.median(w["size"] for w in words for _ in w["text"])
    # Paragraph direction is the document's: an Arabic line made mostly of
    # symbols (C21/INF/2؛ C22/INF/2) or a lone "2024." still reads right to left.
    rtl = _is_arabic(" ".join(w["text"] for w in words))
    paragraphs, notes = _pdf_paragraphs(_drop_running_lines(pages), body_size, rtl)
    return [line for paragraph in paragraphs for line in (paragraph, "")] + notes


def _pdf_page_lines(page) -> list[list[dict]]:
    """Words grouped into lines top to bottom, each line in visual (left to right)
    order. Lines are grouped by vertical overlap rather than baseline so that a
    raised footnote call stays on its line."""
    # Splitting words on a font-size change isolates superscript footnote calls.
    words = page.extract_words(keep_blank_chars=False, extra_attrs=["size"], return_chars=True)
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: w["top"]):
        if lines:
            top, bottom = min(w["top"] for w in lines[-1]), max(w["bottom"] for w in lines[-1])
            overlap = min(bottom, word["bottom"]) - max(top, word["top"])
            if overlap > 0.5 * min(bottom - top, word["bottom"] - word["top"]):
                lines[-1].append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _drop_running_lines(pages: list[tuple[list, float]]) -> list[list[list[dict]]]:
    """Drop page numbers, and text repeated on several pages, in the top or bottom band."""
    def key(line):
        return re.sub(r"\d+", "#", " ".join(w["text"] for w in line))

    def at_edge(line, height):
        return line[0]["bottom"] < _EDGE * height or line[0]["top"] > (1 - _EDGE) * height

    edge_keys = [key(line) for lines, height in pages for line in lines if at_edge(line, height)]
    running = {k for k in edge_keys if edge_keys.count(k) > 1}
    return [[line for line in lines
             if not (at_edge(line, height) and (key(line) in running
                                               or _PAGE_NUMBER.fullmatch(" ".join(w["text"] for w in line))))]
            for lines, height in pages]


def _pdf_paragraphs(pages: list[list[list[dict]]], body_size: float,
                    document_rtl: bool) -> tuple[list[str], list[str]]:
    """Join wrapped lines back into paragraphs: a PDF line break is not a paragraph
    break. A paragraph starts at a number or bullet set off by a tab-like gap,
    after a vertical gap wider than the usual line spacing, or at the top of a
    page when the previous page's last line stopped short of the margin.
    Footnote bodies (small type at the page foot, opening with their number)
    come back as `[n: text]` lines."""
    gaps = [_gap(a, b) for lines in pages for a, b in zip(lines, lines[1:])]
    paragraph_gap = (sorted(gaps)[len(gaps) // 5] if gaps else 0) + 0.4 * body_size
    paragraphs: list[str] = []
    rtl: list[bool] = []
    notes: list[str] = []
    last = None  # the previous page's last body line, with its direction and margins
    for lines in pages:
        if not lines:
            continue
        left, right = min(w["x0"] for line in lines for w in line), max(w["x1"] for line in lines for w in line)
        body, foot = _split_footnotes(lines, body_size, document_rtl)
        for line in foot:
            marker, text, _ = _pdf_line(line, left, right, document_rtl, footnote=True)
            if marker or not notes:
                notes.append(f"[{marker or len(notes) + 1}: {text}]")
            else:
                notes[-1] = f"{notes[-1][:-1]} {text}]"
        for i, line in enumerate(body):
            marker, text, line_rtl = _pdf_line(line, left, right, document_rtl)
            if marker:
                new = True
                text = f"{marker}\t{text}" if marker[0].isdigit() else f"\t{text}"
            elif i:
                new = _gap(body[i - 1], line) > paragraph_gap
            else:
                new = last is None or not _ran_to_margin(*last)
            if new or not paragraphs:
                paragraphs.append(text)
                rtl.append(line_rtl)
            else:
                paragraphs[-1] += " " + text
        if body:
            last = (body[-1], line_rtl, left, right)
    return [_fix_brackets(p) if r else p for p, r in zip(paragraphs, rtl)], notes


def _gap(above: list[dict], below: list[dict]) -> float:
    return min(w["top"] for w in below) - max(w["bottom"] for w in above)


def _ran_to_margin(line: list[dict], rtl: bool, left: float, right: float) -> bool:
    """Whether a page's last line was full, so that its paragraph goes on overleaf."""
    slack = 0.15 * (right - left)
    return line[0]["x0"] < left + slack if rtl else line[-1]["x1"] > right - slack


def _split_footnotes(lines: list[list[dict]], body_size: float, document_rtl: bool) -> tuple[list, list]:
    """Footnotes: the page's last run of small-type lines, starting with a number."""
    small = [statistics.median(w["size"] for w in line) < 0.85 * body_size for line in lines]
    start = len(lines)
    while start > 0 and small[start - 1]:
        start -= 1
    while start < len(lines) and not _NUMBER.fullmatch(_first_word(lines[start], document_rtl)["text"]):
        start += 1
    return lines[:start], lines[start:]


def _first_word(line: list[dict], document_rtl: bool) -> dict:
    return line[-1] if _line_rtl(line, document_rtl) else line[0]


def _line_rtl(line: list[dict], document_rtl: bool) -> bool:
    return document_rtl or _is_arabic(" ".join(w["text"] for w in line))


def _is_arabic(text: str) -> bool:
    return script(_fold_presentation_forms(text)) == "ar"


def _fold_presentation_forms(text: str) -> str:
    return _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _pdf_line(line: list[dict], left: float, right: float, document_rtl: bool,
              footnote: bool = False) -> tuple[str, str, bool]:
    """One visual line -> (number or bullet that opens it, logical text, is_rtl)."""
    rtl = _line_rtl(line, document_rtl)
    words = line[::-1] if rtl else line  # logical word order, first word first
    marker = ""
    if len(words) > 1:
        first, second = words[0], words[1]
        gap = first["x0"] - second["x1"] if rtl else second["x0"] - first["x1"]
        at_margin = first["x1"] > right - first["size"] if rtl else first["x0"] < left + first["size"]
        if footnote and _NUMBER.fullmatch(first["text"]):
            marker = first["text"].rstrip(".")
        elif gap > 0.6 * first["size"] and (len(first["text"]) == 1 and first["text"] in _BULLETS or
                                            at_margin and _NUMBER.fullmatch(first["text"])):
            marker = first["text"]
    if marker:
        line = [w for w in line if w is not words[0]]
    size = statistics.median(w["size"] for w in line)
    bottom = max(w["bottom"] for w in line)
    # Runs of words between superscript footnote calls, in visual order.
    runs: list[list[dict] | str] = [[]]
    for word in line:
        if word["size"] < 0.85 * size and word["bottom"] < bottom - 0.15 * size and word["text"].isdigit():
            runs += [f"[footnoteRef:{word['text']}]", []]
        else:
            runs[-1].append(word)
    parts = [run if isinstance(run, str) else _visual_to_logical(run, rtl) for run in (runs[::-1] if rtl else runs)]
    text = " ".join(p for p in parts if p).replace(" [footnoteRef", "[footnoteRef")
    return marker, text, rtl


def _visual_to_logical(words: list[dict], rtl: bool) -> str:
    """Text of words in visual order, in reading order. Glyphs come ordered by
    position, i.e. as drawn left to right, whatever order the PDF stored them
    in, so Arabic always arrives reversed; bidi reordering of the drawn line restores it,
    keeping Latin and digit runs as they read. A ligature glyph maps to several
    letters already in reading order (lam-alef -> "لا"), so they are flipped
    first to survive the line's reversal. Presentation forms fold to letters
    after reordering, since folding a ligature yields letters in reading order."""
    def glyphs(word):
        return "".join(c["text"][::-1] if rtl else c["text"] for c in word["chars"])

    text = " ".join(glyphs(w) for w in words)
    if rtl:
        text = get_display(text, base_dir="R")
    return _fold_presentation_forms(text)


def _fix_brackets(text: str) -> str:
    """Some PDFs map a mirrored bracket glyph to its mirror image, so reordered
    Arabic text reads `)GDC(`; swap brackets when that is what balances them."""
    swapped = text.translate(_BRACKET_SWAP)
    return swapped if not _balanced(text) and _balanced(swapped) else text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


# --- .html -----------------------------------------------------------------

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = _HEADINGS | {
    "p", "div", "li", "td", "th", "tr", "table", "thead", "tbody", "tfoot", "caption", "ul", "ol",
    "dl", "dt", "dd", "blockquote", "pre", "section", "article", "header", "footer", "main", "nav",
    "aside", "figure", "figcaption", "address", "hr", "body"}
_DROPPED = ["script", "style", "noscript", "template", "head"]
_HEADING_NUMBER = re.compile(r"(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)")
_PARAGRAPH_NUMBER = re.compile(r"(\d{1,2}\.\d{1,2})\.?\s+(\S.*)")


def read_html(path: Path) -> list[str]:
    soup = BeautifulSoup(decode_html(path.read_bytes(), path), "html.parser")
    check_html_depth(soup, path)
    for tag in soup(_DROPPED):
        tag.decompose()
    notes = _html_footnotes(soup)
    lines: list[str] = []
    buffer: list[str] = []
    number: list[str] = []
    _html_walk(soup, "", buffer, lines, number)
    _html_flush(buffer, "", lines, number)  # text of a fragment with no block around it
    return lines + [f"[{n}: {text}]" for n, text in notes]


def _html_walk(node, kind: str, buffer: list[str], lines: list[str], number: list[str]) -> None:
    """Text of each block element (the innermost one) becomes lines; text outside
    any block (a div's own text between child blocks) is a line of its own.
    `number` holds an ordered-list item's number until its first line takes it."""
    position = 0
    for child in node.children:
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA
            continue
        if isinstance(child, NavigableString):
            buffer.append(str(child))
        elif child.name == "br":
            buffer.append("\n")
        elif child.name in _BLOCKS:
            inner = "li" if "li" in (child.name, kind) else child.name
            _html_flush(buffer, kind, lines, number)
            if child.name == "li" and node.name == "ol":
                position = int(child["value"]) if str(child.get("value", "")).isdigit() else position + 1
                number[:] = [_ol_number(node, position)]
            _html_walk(child, inner, buffer, lines, number)
            _html_flush(buffer, inner, lines, number)
            if child.name == "li":
                number.clear()
        else:
            _html_walk(child, kind, buffer, lines, number)


def _ol_number(ol, position: int) -> str:
    """The number an <ol> draws for its item: 3., c), (iii), as its type attribute asks."""
    start = str(ol.get("start", ""))
    n = position + (int(start) - 1 if start.isdigit() else 0)
    kind = ol.get("type", "1")
    if kind in ("a", "A") and n <= 26:
        letter = chr(ord("a") + n - 1)
        return f"{letter.upper() if kind == 'A' else letter})"
    if kind in ("i", "I"):
        roman = to_roman(n)
        return f"({roman.upper() if kind == 'I' else roman})"
    return f"{n}."


def _html_flush(buffer: list[str], kind: str, lines: list[str], number: list[str]) -> None:
    for raw in "".join(buffer).split("\n"):
        text = re.sub(r"[ \t\r\f]+", " ", raw).strip()  # HTML whitespace; a no-break space stays
        if not text:
            continue
        if kind == "li":
            text = f"{number.pop()}\t{text}" if number else "\t" + text
        elif kind in _HEADINGS and (m := _HEADING_NUMBER.fullmatch(text)):
            text = f"{m[1]}\t{m[2]}"
        elif kind in ("p", "div") and (m := _PARAGRAPH_NUMBER.fullmatch(text)):
            text = f"{m[1]}\t{m[2]}"
        lines.append(text)
    buffer.clear()


def _html_footnotes(soup) -> list[tuple[int, str]]:
    """Footnotes as Word ("#_ftn1") and pandoc ("#fn1") write them: a link whose text
    is a number, pointing forward to the note. The call becomes `[footnoteRef:n]`,
    the note leaves the body and comes back as (n, text)."""
    order = {id(tag): i for i, tag in enumerate(soup.find_all(True))}
    notes = []
    for link in soup.find_all("a", href=re.compile(r"^#.")):
        if link.parent is None or not re.fullmatch(r"\[?\d{1,3}\]?", link.get_text(strip=True)):
            continue
        name = link["href"][1:]
        target = soup.find(id=name) or soup.find("a", attrs={"name": name})
        if target is None or order[id(target)] < order[id(link)]:  # a back-link from the note
            continue
        note = target if target.name in _BLOCKS else target.find_parent(_BLOCKS)
        if note is None or note.name == "body" or link in note.descendants:
            continue  # no block of its own to lift out
        for back in note.find_all("a", href=True):
            if back["href"][1:] in (link.get("id"), link.get("name")):
                back.decompose()
        n = len(notes) + 1
        notes.append((n, " ".join(note.get_text(" ").split())))
        note.decompose()
        call = link.parent if link.parent.name == "sup" else link
        call.replace_with(f"[footnoteRef:{n}]")
    return notes


READERS = {".txt": read_txt, ".docx": read_docx, ".pdf": read_pdf, ".html": read_html, ".htm": read_html}
SUPPORTED = tuple(READERS)
# What is checked before a format's reader runs (index.guards): what its parser would cost.
BEFORE_READING = {".docx": check_docx_package, ".html": check_html_tags, ".htm": check_html_tags}


def read_lines(path: Path) -> list[str]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(path, f"unsupported format {path.suffix or '(none)'}; "
                                  f"supported: {', '.join(SUPPORTED)}")
    limits = Limits.from_env()
    try:
        if path.stat().st_size == 0:
            raise DocumentError(path, "empty file")
        check_file_size(path, limits)
        if check := BEFORE_READING.get(path.suffix.lower()):
            check(path, limits)
        lines = reader(path)
    except DocumentError:
        raise
    except Exception as error:  # a corrupt file of any format: name it and go on
        raise DocumentError(path, f"cannot read {path.suffix} file: {error}") from error
    if not any(line.strip() for line in lines):
        raise DocumentError(path, "no text found")
    return lines
