"""Every format reader feeds the structure parser the same lines.

The .docx, .pdf and .html fixtures are built at test time from the seed
document's text with real libraries (python-docx with a real Word footnote,
fpdf2 + HarfBuzz for a shaped right-to-left PDF, and a "legacy" PDF drawn as
pre-shaped presentation forms in visual order, as old Arabic PDF makers did),
then read back through index.formats; all must parse to the seed's paragraphs.
"""
from __future__ import annotations

import codecs
import html
import itertools
import re
from pathlib import Path

import arabic_reshaper
import docx
import pdfplumber
import pypdf
import pytest
from bidi import get_display
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF

from index.arabic import normalize
from index.formats import DocumentError, _fix_brackets, read_lines
from index.ingest import find_documents, load_document
from index.structure import parse_document

SEED = Path(__file__).resolve().parents[1] / "docs_corpus" / "council-2023-un-cooperation-report-ar.txt"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian: fonts-dejavu-core
_REF = re.compile(r"\[footnoteRef:(\d+)\]")
_NOTE = re.compile(r"\s*\[(\d+):\s*(.*?)\]")


# --- the seed as blocks: (kind, number, text) --------------------------------

def seed_blocks() -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """Kinds: front, heading, numbered, bullet. Footnote calls stay in the text
    as `[footnoteRef:n]`; footnote bodies are returned apart."""
    lines = SEED.read_text(encoding="utf-8-sig").split("\n")
    body = next(i for i, line in enumerate(lines) if re.match(r"\d{1,2}\t", line))
    blocks, notes = [], {}
    for i, line in enumerate(lines):
        for n, note in _NOTE.findall(line):
            notes[n] = note.strip()
        line = _NOTE.sub("", line)
        if not line.strip():
            continue
        if i < body:
            blocks.append(("front", "", line.strip()))
        elif m := re.match(r"(\d{1,2}\.\d{1,2})\s*\t(.*)", line):
            blocks.append(("numbered", m[1], m[2].strip()))
        elif m := re.match(r"(\d{1,2})\t(.*)", line):
            blocks.append(("heading", m[1], m[2].strip()))
        else:
            assert line.startswith("\t"), line
            blocks.append(("bullet", "", line.strip()))
    return blocks, notes


# --- builders ---------------------------------------------------------------

def build_docx(path: Path) -> Path:
    blocks, notes = seed_blocks()
    document = docx.Document()
    bullet_numbering = document.styles["List Bullet"].element.pPr.numPr.numId.val
    bullets = 0
    for kind, number, text in blocks:
        paragraph = document.add_paragraph()
        p_pr = paragraph._p.get_or_add_pPr()
        p_pr.append(OxmlElement("w:bidi"))  # right-to-left paragraph
        if kind == "bullet":
            # Half the bullets by List style, half by numbering on the paragraph itself.
            bullets += 1
            if bullets % 2:
                paragraph.style = document.styles["List Bullet"]
            else:
                num_pr = p_pr.get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = bullet_numbering
        pieces = re.split(r"(\[footnoteRef:\d+\])", f"{number}\t{text}" if number else text)
        for piece in pieces:
            if m := _REF.fullmatch(piece):
                run = paragraph.add_run()
                run.font.superscript = True
                reference = OxmlElement("w:footnoteReference")
                reference.set(qn("w:id"), m[1])
                run._r.append(reference)
            elif piece:
                paragraph.add_run(piece)  # "\t" becomes a real <w:tab/>
    # python-docx has no footnote API: add word/footnotes.xml through its OPC layer.
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    xml = (f'<w:footnotes xmlns:w="{w}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
           '</w:r></w:p></w:footnote>')
    for n, note in notes.items():
        xml += (f'<w:footnote w:id="{n}"><w:p><w:pPr><w:bidi/></w:pPr>'
                '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:tab/><w:t xml:space="preserve">{html.escape(note)}</w:t></w:r></w:p></w:footnote>')
    xml += "</w:footnotes>"
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    document.save(path)
    return path


def build_html(path: Path) -> Path:
    """Pandoc-style footnotes; front matter in <div>s, numbers in the text of <p>s."""
    blocks, notes = seed_blocks()

    def markup(text: str) -> str:
        return _REF.sub(lambda m: f'<sup><a href="#fn{m[1]}" id="fnref{m[1]}">{m[1]}</a></sup>', html.escape(text))

    body = []
    for is_list, group in itertools.groupby(blocks, key=lambda block: block[0] == "bullet"):
        if is_list:
            body.append("<ul>" + "".join(f"<li>{markup(text)}</li>" for _, _, text in group) + "</ul>")
            continue
        for kind, number, text in group:
            if kind == "heading":
                body.append(f"<h2>{number} {markup(text)}</h2>")
            else:
                body.append(f"<p>{number} {markup(text)}</p>" if number else f"<div>{markup(text)}</div>")
    body.append('<section class="footnotes"><hr><ol>'
                + "".join(f'<li id="fn{n}"><p>{html.escape(note)} <a href="#fnref{n}">↩</a></p></li>'
                          for n, note in notes.items())
                + "</ol></section>")
    page = ('<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>C23/INF/9</title>'
            '<style>p { margin: 0 }</style></head><body><!-- exported -->'
            '<script>var label = "9.9\tnot a paragraph";</script>\n' + "\n".join(body) + "</body></html>")
    path.write_text(page, encoding="utf-8")
    return path


class _CouncilPdf(FPDF):
    """A4 in points, right-to-left layout as Word prints Council documents:
    numbers and bullets hang at the right margin with the text indented,
    footnotes in small type at the page foot, a running header and page number."""

    SIZE, LEADING, AFTER, INDENT = 11, 16, 8, 36
    LEFT, RIGHT, TOP, BOTTOM = 56, 539, 90, 730

    def __init__(self, legacy: bool):
        super().__init__(unit="pt", format="A4")
        self.legacy = legacy  # pre-shaped presentation forms in visual order, as old PDF makers wrote
        self.add_font("dejavu", fname=str(FONT))
        self.set_font("dejavu", size=self.SIZE)
        self.set_text_shaping(not legacy, direction="rtl")  # RTL paragraphs, as Word's w:bidi
        self.set_auto_page_break(False)
        self.notes: list[tuple[str, str]] = []
        self.space = self.get_string_width(" ")
        self.widths: dict[str, float] = {}
        self.new_page()

    def word_width(self, word: str) -> float:
        if word not in self.widths:
            self.widths[word] = self.get_string_width(self.shape(word))
        return self.widths[word]

    def shape(self, text: str) -> str:
        if not self.legacy:
            return text
        return get_display(arabic_reshaper.reshape(text), base_dir="R")

    def new_page(self):
        if self.page:
            self.finish_page()
        self.add_page()
        self.y_pos = self.TOP
        if self.page > 1:
            self.text_at(self.RIGHT, 40, "C23/INF/9-A")
        self.text_at(315, 815, f"- {self.page} -")

    def finish_page(self):
        y = self.BOTTOM + 20
        for number, note in self.notes:
            self.set_font_size(7)
            self.text_at(self.RIGHT, y - 2, number)
            self.set_font_size(9)
            self.text_at(self.RIGHT - 14, y, note)
            y += 12
        self.set_font_size(self.SIZE)
        self.notes = []

    def text_at(self, right: float, y: float, text: str) -> float:
        """Draw text ending at x=right (its logical start, in Arabic); return its left edge."""
        shaped = self.shape(text)
        width = self.get_string_width(shaped)
        self.set_xy(right - width, y)
        self.cell(width, self.LEADING, shaped)
        return right - width

    def paragraph(self, marker: str, text: str, notes: dict[str, str]):
        right = self.RIGHT - (self.INDENT if marker else 0)
        for i, line in enumerate(self.wrap(text, right - self.LEFT)):
            if self.y_pos + self.LEADING > self.BOTTOM:
                self.new_page()
            if i == 0 and marker:
                self.text_at(self.RIGHT, self.y_pos, marker)
            x = right
            for piece in re.split(r"(\[footnoteRef:\d+\])", line):
                if m := _REF.fullmatch(piece):
                    self.set_font_size(7)
                    x = self.text_at(x, self.y_pos - 4, m[1])
                    self.set_font_size(self.SIZE)
                    self.notes.append((m[1], notes[m[1]]))
                elif piece.strip():
                    x = self.text_at(x, self.y_pos, piece.strip())
            self.y_pos += self.LEADING
        self.y_pos += self.AFTER

    def wrap(self, text: str, width: float) -> list[str]:
        """Greedy line breaking; Arabic words shape independently, so a line is as
        wide as its words and spaces."""
        lines: list[list[str]] = [[]]
        used = 0.0
        for word in text.split():
            needed = self.word_width(_REF.sub("1", word)) + (self.space if lines[-1] else 0)
            if lines[-1] and used + needed > width:
                lines.append([])
                needed -= self.space
                used = 0.0
            lines[-1].append(word)
            used += needed
        return [" ".join(line) for line in lines]


def build_pdf(path: Path, legacy: bool = False) -> Path:
    blocks, notes = seed_blocks()
    pdf = _CouncilPdf(legacy)
    for kind, number, text in blocks:
        pdf.paragraph("•" if kind == "bullet" else number, text, notes)
    pdf.finish_page()
    pdf.output(str(path))
    return path


# --- comparison -------------------------------------------------------------

def parse(path: Path):
    return parse_document(read_lines(path), doc_id=path.stem, path=str(path))


def flat(text: str) -> str:
    return " ".join(normalize(text).split())


def signature(document) -> dict[str, str]:
    """Paragraph id -> normalized text, bullets and footnotes."""
    return {p.id: flat(" | ".join([p.text, *p.bullets, *p.footnotes])) for p in document.paragraphs}


@pytest.fixture(scope="module")
def expected():
    return signature(parse(SEED))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    return {"docx": build_docx(folder / "seed.docx"), "html": build_html(folder / "seed.html"),
            "pdf": build_pdf(folder / "seed.pdf"), "legacy pdf": build_pdf(folder / "legacy.pdf", legacy=True)}


@pytest.fixture(scope="module")
def read(built):
    """Lines of each built file, read once: PDF reading is the slow part."""
    return {kind: read_lines(path) for kind, path in built.items()}


@pytest.mark.parametrize("kind", ["docx", "html", "pdf", "legacy pdf"])
def test_every_format_parses_to_the_seed_paragraphs(kind, read, expected):
    document = parse_document(read[kind], doc_id=kind)
    got = signature(document)
    assert list(got) == list(expected)
    # Texts compare exactly after normalization (NFKC, hamza/tashkeel folding,
    # whitespace): line joining and bidi reordering of the PDFs lose nothing.
    paragraph_62 = next(p for p in document.paragraphs if p.id == "6.2")
    assert len(paragraph_62.bullets) == 5
    assert paragraph_62.footnotes == ["هذا هو عنوان مؤقت فقط؛ العنوان النهائي لم يتحدد بعد."]
    assert {k: v for k, v in got.items() if v != expected[k]} == {}


def test_docx_marks_list_items_and_keeps_footnotes(read):
    lines = read["docx"]
    bullets = [line for line in lines if line.startswith("\t")]
    assert len(bullets) == 5
    assert "[footnoteRef:1]" in bullets[0] and bullets[0].endswith("[1: هذا هو عنوان مؤقت فقط؛ العنوان النهائي لم يتحدد بعد.]")
    assert "3.2\tالاتفاق الرقمي العالمي: في إطار" in "\n".join(lines)


def test_pdf_drops_running_header_and_page_numbers(built, read):
    lines = read["pdf"]
    assert len(pypdf.PdfReader(built["pdf"]).pages) > 2
    assert not [line for line in lines if "C23/INF/9-A" in line or re.fullmatch(r"- \d+ -", line)]


def test_legacy_pdf_exercises_presentation_forms_and_visual_order(built, read):
    with pdfplumber.open(built["legacy pdf"]) as pdf:
        raw = pdf.pages[0].extract_text()
    drawn = get_display(arabic_reshaper.reshape("التعاون"), base_dir="R")  # presentation forms, reversed
    assert re.fullmatch("[\uFE70-\uFEFC]+", drawn) and drawn in raw
    lines = "\n".join(read["legacy pdf"])
    assert not re.search("[\uFB50-\uFDFF\uFE70-\uFEFC]", lines) and "التعاون مع منظومة الأمم المتحدة" in lines


def test_html_blocks_entities_and_scripts(tmp_path):
    page = tmp_path / "table.htm"
    page.write_text("<html><body><div>Front &amp; centre<p>1.2\u00a0Text of 1.2</p>own text</div>"
                    "<h3>2. Heading</h3><table><tr><td>cell A</td><td><p>cell B</p></td></tr></table>"
                    "<ul><li><p>item</p></li></ul><style>x{}</style></body></html>", encoding="utf-8")
    assert read_lines(page) == ["Front & centre", "1.2\tText of 1.2", "own text", "2\tHeading",
                                "cell A", "cell B", "\titem"]


def test_html_word_style_footnotes(tmp_path):
    page = tmp_path / "word.html"
    page.write_text('<p>1.1 Body text<a href="#_ftn1" name="_ftnref1"><span>[1]</span></a> goes on.</p>'
                    '<div id="ftn1"><p><a href="#_ftnref1" name="_ftn1">[1]</a> The note.</p></div>',
                    encoding="utf-8")
    assert read_lines(page) == ["1.1\tBody text[footnoteRef:1] goes on.", "[1: The note.]"]


def test_html_meta_charset_windows_1256(tmp_path):
    page = tmp_path / "legacy.html"
    page.write_bytes('<html><head><meta charset="windows-1256"></head><body><p>2.3 نص الفقرة</p>'
                     '</body></html>'.encode("cp1256"))
    assert read_lines(page) == ["2.3\tنص الفقرة"]


def test_docx_tables_and_typed_bullets_keep_their_text(tmp_path):
    document = docx.Document()
    document.add_paragraph("Before")
    document.add_paragraph("–\tA bullet typed by hand")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "A1", "B1"
    merged = table.cell(1, 0).merge(table.cell(1, 1))
    merged.text = "merged"
    document.add_paragraph("After")
    document.save(tmp_path / "table.docx")
    assert [line for line in read_lines(tmp_path / "table.docx") if line] == [
        "Before", "\tA bullet typed by hand", "A1", "B1", "merged", "After"]


# --- .txt encodings ---------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le-bom", "cp1256"])
def test_txt_encodings_decode_to_the_same_paragraphs(encoding, tmp_path):
    text = SEED.read_text(encoding="utf-8-sig").replace("\u2011", "-")  # no U+2011 in Windows-1256
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le") if encoding == "utf-16-le-bom" else text.encode(encoding)
    (tmp_path / "other.txt").write_bytes(data)
    assert signature(parse(tmp_path / "other.txt")) == signature(parse(tmp_path / "utf8.txt"))


def test_unnumbered_text_is_split_at_blank_lines_into_counted_paragraphs(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("The first paragraph of the note,\nwrapped over two lines.\n\nThe second paragraph stands alone."
                    "\n\n\nSee above.\n", encoding="utf-8")
    document = parse(path)
    # Nothing is printed, so a counter ids them; "See above." is less than a sentence and closes ¶2.
    assert [(p.id, p.text) for p in document.paragraphs] == [
        ("¶1", "The first paragraph of the note, wrapped over two lines."),
        ("¶2", "The second paragraph stands alone.\nSee above.")]


# --- bad input --------------------------------------------------------------

def _encrypted_pdf(path: Path) -> None:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner")
    writer.write(path)


def _scanned_pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")  # a picture of text has no text layer
    pdf.output(str(path))


@pytest.mark.parametrize("name, make, reason", [
    ("corrupt.docx", lambda p: p.write_bytes(b"PK\x03\x04 not really a zip"), "not a Word .docx file"),
    ("old.docx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)), "not a Word .docx file"),
    ("renamed.pdf", lambda p: p.write_text("just text, not a PDF", encoding="utf-8"), "not a PDF file"),
    ("locked.pdf", _encrypted_pdf, "encrypted PDF"),
    ("scan.pdf", _scanned_pdf, "no text layer"),
    ("empty.txt", lambda p: p.write_bytes(b""), "empty file"),
    ("empty.docx", lambda p: p.write_bytes(b""), "empty file"),
    ("blank.txt", lambda p: p.write_text("\n \n\t\n", encoding="utf-8"), "no text found"),
    ("notes.odt", lambda p: p.write_bytes(b"PK whatever"), "unsupported format .odt"),
])
def test_bad_input_raises_document_error_naming_file_and_reason(name, make, reason, tmp_path):
    path = tmp_path / name
    make(path)
    with pytest.raises(DocumentError) as caught:
        read_lines(path)
    assert str(path) in str(caught.value) and reason in caught.value.reason


def test_ingest_finds_and_loads_the_new_formats(built, tmp_path):
    (tmp_path / "page.htm").write_text("<p>Hello.</p>", encoding="utf-8")
    (tmp_path / "notes.odt").write_bytes(b"skipped")
    found = find_documents([built["docx"].parent, tmp_path])
    assert sorted(p.suffix for p, _ in found.files) == [".docx", ".htm", ".html", ".pdf", ".pdf"]
    assert [p.id for p in load_document(built["docx"]).paragraphs][-1] == "8.1"


def test_mirrored_brackets_are_swapped_only_when_that_balances_them():
    assert _fix_brackets("الاتفاق )GDC( العالمي") == "الاتفاق (GDC) العالمي"
    assert _fix_brackets("(a) و (b)") == "(a) و (b)"
    assert _fix_brackets("نص (مفتوح") == "نص (مفتوح"
