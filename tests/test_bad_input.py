"""Bad input, as files made here (no committed blobs): scans, broken exports, legacy
encodings, bombs, links, names and sidecars.

One corpus is indexed twice by `council index --json`: first with a good document at
every path, then with the bad files written over them and beside them. Every bad file
must be named with its reason, once; the good newcomers of the same run are indexed;
the exit code is 1; what each path held before answers exactly as before; memory and
time stay bounded. Decoding and the limits are also checked in-process, file by file.
"""
from __future__ import annotations

import codecs
import io
import json
import os
import random
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import docx
import pypdf
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw

from assistant.uploads import check_upload
from index.api import Index
from index.config import MAX_HTML_DEPTH, Config, Limits
from index.encodings import decode_html, decode_text
from index.errors import DocumentError
from index.formats import read_lines
from index.retrieve import Filters
from tests.conftest import PROJECT

MB = 1024 * 1024
MAX_RSS_MB = 1536          # peak memory of an index run over all of it, bombs included
MAX_RUN_SECONDS = 120      # and its time: refusing early, not working for an hour
RANDOM = random.Random(20261128)  # the same "random" files every run


# --- the content of good documents: one short paragraph naming a codename --------------

def english(codename: str) -> str:
    return f"The {codename} coastal station relays distress calls from fishing boats to the rescue centre.\n"


def arabic(codename: str) -> str:
    return f"تنقل محطة {codename} الساحلية نداءات الاستغاثة من قوارب الصيد إلى مركز الإنقاذ.\n"


def write_docx(path: Path, text: str) -> None:
    document = docx.Document()
    document.add_paragraph(text.strip())
    document.save(path)


def write_pdf(path: Path, text: str) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.set_y(60)  # below the band where running headers are dropped
    pdf.multi_cell(0, 8, text.strip())
    pdf.output(str(path))


def write_html(path: Path, text: str) -> None:
    path.write_text(f"<html><body><p>{text.strip()}</p></body></html>", encoding="utf-8")


def write_txt(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


GOOD = {".txt": write_txt, ".docx": write_docx, ".pdf": write_pdf, ".html": write_html}


# --- bad files --------------------------------------------------------------------------

def random_bytes(path: Path) -> None:
    path.write_bytes(RANDOM.randbytes(8192))


def cut_in_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def encrypted_pdf(path: Path, password: str) -> None:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(path.read_bytes()))
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-256")
    writer.write(path)


def scanned_pdf(path: Path) -> None:
    """A page that is a picture of text, as a scanner makes it: no text layer."""
    picture = Image.new("L", (1200, 300), 255)
    ImageDraw.Draw(picture).text((40, 120), "1.1 The council decided to meet in Geneva.", fill=0)
    png = io.BytesIO()
    picture.save(png, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(png, x=10, y=40, w=190)
    pdf.output(str(path))


def docx_with_body(path: Path, write_body: Callable, level: int) -> None:
    """The real .docx at `path` with its word/document.xml replaced by what write_body
    streams into it (never held in memory)."""
    source = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(source) as original, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as bomb:
        for member in original.infolist():
            if member.filename == "word/document.xml":
                with bomb.open(member.filename, "w") as out:
                    write_body(out)
            else:
                bomb.writestr(member, original.read(member))


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ZIP_BOMB_BYTES = 10 ** 9       # of whitespace, deflated below 1 MB
TAG_BOMB_BYTES = 190 * MB      # of empty paragraphs: under the unpacked limit, 33 million tags


def repeat_into(out, unit: bytes, total: int) -> None:
    block = unit * (MB // len(unit))
    for _ in range(total // len(block)):
        out.write(block)


def docx_bomb(path: Path, unit: bytes, total: int, level: int) -> None:
    """A .docx whose body repeats `unit` to `total` bytes, compressed at `level`."""
    def body(out):
        out.write(f'<?xml version="1.0"?><w:document {W}><w:body>'.encode())
        repeat_into(out, unit, total)
        out.write(b"<w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>")
    docx_with_body(path, body, level=level)


def zip_bomb(path: Path) -> None:
    docx_bomb(path, b" ", ZIP_BOMB_BYTES, level=9)      # small zip, a gigabyte of XML


def tag_bomb(path: Path) -> None:
    docx_bomb(path, b"<w:p/>", TAG_BOMB_BYTES, level=1)  # millions of empty paragraphs


def entity_bomb(path: Path, encoding: str = "utf-8") -> None:
    """Billion laughs: nine levels of ten references to 30 bytes, 30 GB once expanded."""
    entities = '<!ENTITY lol0 "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0" encoding="{encoding}"?><!DOCTYPE w:document [{entities}]><w:document {W}>'
           '<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    docx_with_body(path, lambda out: out.write(xml.encode(encoding)), level=9)


def big_text(path: Path) -> None:
    line = "1.1\tThe Council noted the report of the Secretary-General on the activities of the Union.\n\n"
    with path.open("w", encoding="utf-8") as out:
        block = line * (MB // len(line))
        for _ in range(50):
            out.write(block)


def long_paragraph(path: Path) -> None:
    path.write_text("word " * 200_000, encoding="utf-8")  # 1 MB with no sentence or paragraph end


def many_paragraphs(path: Path) -> None:
    path.write_text("".join(f"The station reported call number {n} to the centre.\n\n" for n in range(25_000)),
                    encoding="utf-8")


def html_tag_bomb(path: Path) -> None:
    path.write_text("<html><body>" + "<p>x" * 4_000_000 + "</body></html>", encoding="utf-8")  # 16 MB


def deep_html(path: Path) -> None:
    path.write_text("<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>",
                    encoding="utf-8")


def nul_bytes(path: Path) -> None:
    path.write_bytes(english("Nulla").encode() + b"\x00\x00\x00" + english("Nullb").encode())


INVALID_AT = 62  # the byte of an Arabic UTF-8 file replaced by 0xFF: the first of a letter's two


def invalid_utf8(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[INVALID_AT] = 0xFF
    path.write_bytes(bytes(data))


def dangling_link(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.with_name("gone-away.txt"))


def link_loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)


def bad_json_sidecar(path: Path) -> None:
    path.with_name(path.stem + ".meta.json").write_text('{"title": "unclosed', encoding="utf-8")


def wrong_type_sidecar(path: Path) -> None:
    path.with_name(path.stem + ".meta.json").write_text('{"symbol": 5, "title": ["a list"]}', encoding="utf-8")


# --- the corpus -------------------------------------------------------------------------

@dataclass
class Case:
    name: str                        # file name in the corpus
    spoil: Callable[[Path], None]    # turns the good document at that path into the bad file
    reason: str                      # what its error must say
    error_name: str = ""             # the file the error names, when not `name` (a sidecar)
    good: str = "en"                 # the language of the good document first indexed there


CASES = [
    Case("empty.txt", lambda p: p.write_bytes(b""), "empty file"),
    Case("random-txt.txt", random_bytes, "binary data, not text"),
    Case("random-pdf.pdf", random_bytes, "not a PDF file"),
    Case("random-docx.docx", random_bytes, "not a Word .docx file"),
    Case("random-html.html", random_bytes, "binary data, not text"),
    Case("truncated-docx.docx", cut_in_half, "not a Word .docx file (corrupt"),
    Case("truncated-pdf.pdf", cut_in_half, "truncated PDF"),
    Case("locked.pdf", lambda p: encrypted_pdf(p, "secret"), "encrypted PDF: it needs a password"),
    Case("scan.pdf", scanned_pdf, "no text layer"),
    Case("zip-bomb.docx", zip_bomb, "unpacks to 954 MB, over the limit of 200 MB (COUNCIL_MAX_DOCX_UNPACKED_MB)"),
    Case("tag-bomb.docx", tag_bomb, "more than 2,000,000 tags (COUNCIL_MAX_DOCX_TAGS)"),
    Case("entity-bomb.docx", entity_bomb, "word/document.xml declares a DTD"),
    Case("huge.txt", big_text, "file is 50.0 MB, over the limit of 20 MB (COUNCIL_MAX_FILE_MB)"),
    Case("one-paragraph.txt", long_paragraph,
         "paragraph ¶1 has 999,999 characters, over the limit of 50,000 (COUNCIL_MAX_PARAGRAPH_CHARS)"),
    Case("many-paragraphs.txt", many_paragraphs, "25,000 paragraphs, over the limit of 20,000"),
    Case("deep.html", deep_html, f"nested more than {MAX_HTML_DEPTH} levels deep"),
    Case("markup-bomb.html", html_tag_bomb, "the page has more than 500,000 tags (COUNCIL_MAX_HTML_TAGS)"),
    Case("nul.txt", nul_bytes, f"binary data, not text (a zero byte at byte {len(english('Nulla').encode())})"),
    Case("broken\nname.txt", nul_bytes, "binary data, not text"),
    Case("invalid-utf8.txt", invalid_utf8, f"invalid UTF-8 at byte {INVALID_AT}", good="ar"),
    Case("link.txt", dangling_link, "symbolic link to a missing file"),
    Case("loop.txt", link_loop, "symbolic link loop"),
    Case("meta-json.txt", bad_json_sidecar, "metadata sidecar is not readable JSON", "meta-json.meta.json"),
    Case("meta-types.txt", wrong_type_sidecar, "metadata values must be strings: symbol, title",
         "meta-types.meta.json"),
]
# Good files added beside the bad ones: each must be indexed, its text decoded exactly.
NEWCOMERS = {  # name: (text, its bytes)
    "cp1256.txt": (arabic("Wind101"), lambda text: text.encode("cp1256")),
    "utf16-bom.txt": (arabic("Wind102"), lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
    "utf16-le.txt": (arabic("Wind103"), lambda text: text.encode("utf-16-le")),
    "utf16-be.txt": (arabic("Wind104"), lambda text: text.encode("utf-16-be")),
    "with spaces in it.txt": (english("Wind105"), str.encode),
    "تقرير المحطة.txt": (arabic("Wind106"), str.encode),
    "new\nline.txt": (english("Wind107"), str.encode),
}
OPEN_PDF = "open.pdf"          # encrypted with an empty user password: opens without asking, so it is read
UNREADABLE = "unreadable.txt"  # changed, then chmod 000


def codename(n: int) -> str:
    return f"Velm{n:03d}"


# Root reads a chmod 000 file anyway: as root, the indexer runs without the two
# capabilities that let it (util-linux's setpriv), as any other user would.
AS_A_USER = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []


# A child's peak RSS on Linux starts at its parent's size when forked, so the indexer's own
# is read by a small Python parent (RUSAGE_CHILDREN: the most any waited-for child used).
_PEAK_RSS = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[2:]); "
             "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
             "sys.exit(code)")


def council_index(corpus: Path, data: Path) -> tuple[int, dict, str, float, float]:
    """`council index --json` in a subprocess: (exit code, summary, stderr, its peak RSS in
    MB, seconds)."""
    out, err, rss = data.parent / "out.json", data.parent / "err.txt", data.parent / "rss.txt"
    started = time.monotonic()
    with out.open("w") as stdout, err.open("w") as stderr:
        code = subprocess.call([sys.executable, "-c", _PEAK_RSS, str(rss), *AS_A_USER, sys.executable, "-m",
                                "assistant.cli", "--data-dir", str(data), "index", "--json", str(corpus)],
                               cwd=PROJECT, stdout=stdout, stderr=stderr)
    seconds = time.monotonic() - started
    return code, json.loads(out.read_text()), err.read_text(), int(rss.read_text()) / 1024, seconds


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-input")
    corpus, data = root / "corpus", root / "data"
    (corpus / "one").mkdir(parents=True)
    (corpus / "two").mkdir()
    assert len({Path(case.name).stem for case in CASES}) == len(CASES)  # one document id each
    good = {}  # file name -> codename of the good document first indexed there
    for n, case in enumerate(CASES):
        good[case.name] = codename(n)
        text = arabic(codename(n)) if case.good == "ar" else english(codename(n))
        GOOD[Path(case.name).suffix](corpus / case.name, text)
        if case.error_name:
            (corpus / case.error_name).write_text('{"title": "A valid sidecar"}', encoding="utf-8")
    for name, n in ((UNREADABLE, 90), ("dup-a.txt", 91), ("one/report.txt", 92), ("two/report.txt", 93)):
        good[name] = codename(n)
        write_txt(corpus / name, english(codename(n)))
    (corpus / "dup-a.meta.json").write_text('{"symbol": "C99/DUP", "language": "en"}', encoding="utf-8")
    first = council_index(corpus, data)
    # One reader for both looks, as a running chat is: it follows the store's version.
    index = Index(Config.from_env(data_dir=data))
    before = _paragraphs(index)

    for case in CASES:
        case.spoil(corpus / case.name)
    write_txt(corpus / "dup-b.txt", english("Velm094"))
    (corpus / "dup-b.meta.json").write_text('{"symbol": "C99/DUP", "language": "en"}', encoding="utf-8")
    for name, (text, encode) in NEWCOMERS.items():
        (corpus / name).write_bytes(encode(text))
    write_pdf(corpus / OPEN_PDF, english("Wind108"))
    encrypted_pdf(corpus / OPEN_PDF, "")
    write_txt(corpus / UNREADABLE, english("Wind109"))
    (corpus / UNREADABLE).chmod(0)
    # The premise, checked as the indexer will run: it cannot read the file.
    assert subprocess.run([*AS_A_USER, "test", "-r", str(corpus / UNREADABLE)]).returncode != 0
    second = council_index(corpus, data)
    (corpus / UNREADABLE).chmod(0o644)
    return {"first": first, "second": second, "before": before, "after": _paragraphs(index), "good": good,
            "index": index}


def _paragraphs(index: Index) -> dict[str, list[tuple[str, str]]]:
    """Every indexed document's (paragraph, text), read from the store."""
    return {d.id: [(h.paragraph, h.text) for h in index.document_paragraphs(d.id)] for d in index.catalog()}


def _errors(summary: dict) -> dict[str, str]:
    names = [Path(e["path"]).name for e in summary["errors"]]
    assert len(names) == len(set(names)), f"a file named twice: {summary['errors']}"
    return {Path(e["path"]).name: e["error"] for e in summary["errors"]}


def test_the_good_corpus_indexes_cleanly(runs):
    code, summary, err, _, _ = runs["first"]
    assert code == 0 and summary["errors"] == [], err
    assert summary["documents"] == len(runs["good"]) == len(runs["before"])
    # the same file name in two folders stays two documents
    assert {"report", "two/report"} <= set(runs["before"])


def test_every_bad_file_is_named_once_with_its_reason_and_the_exit_code_is_1(runs):
    code, summary, err, _, _ = runs["second"]
    assert code == 1
    errors = _errors(summary)
    expected = {case.error_name or case.name: case.reason for case in CASES}
    expected["dup-b.txt"] = "C99/DUP in language en is already indexed from"
    expected[UNREADABLE] = "cannot read: Permission denied"
    assert set(errors) == set(expected), errors
    for name, reason in expected.items():
        assert reason in errors[name], (name, errors[name])
    # stderr: one line per error, a newline in a file name escaped
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == len(errors) and any("broken\\x0aname.txt" in line for line in lines)


def test_what_was_indexed_from_a_path_that_went_bad_answers_as_before(runs):
    before, after, index = runs["before"], runs["after"], runs["index"]
    for case in CASES:
        document = Path(case.name).stem
        assert after[document] == before[document], case.name
        hits = index.search(f"{runs['good'][case.name]} coastal station", k=1, filters=Filters(document=document))
        assert hits and runs["good"][case.name] in hits[0].text, case.name
    for document in ("unreadable", "C99/DUP@en", "report", "two/report"):
        assert after[document] == before[document], document


def test_good_newcomers_in_the_same_run_are_indexed_and_decoded_exactly(runs):
    after = runs["after"]
    for name, (text, _) in NEWCOMERS.items():
        assert [t for _, t in after[Path(name).stem]] == [text.strip()], name
    assert "Wind108" in after["open"][0][1]  # the PDF encrypted with an empty password
    hit = runs["index"].search("محطة Wind101 الساحلية", k=1)[0]
    assert hit.document == "cp1256"


def test_nothing_from_a_bad_file_is_indexed(runs):
    """No mojibake, no half documents: the catalog holds the good documents only."""
    after = runs["after"]
    assert set(after) == set(runs["before"]) | {Path(name).stem for name in NEWCOMERS} | {"open"}
    texts = [text for paragraphs in after.values() for _, text in paragraphs]
    assert not [t for t in texts if "\ufffd" in t or "ط§" in t or "\x00" in t]


def test_memory_and_time_stay_bounded(runs):
    _, _, _, rss_mb, seconds = runs["second"]
    assert rss_mb < MAX_RSS_MB and seconds < MAX_RUN_SECONDS, (rss_mb, seconds)


# --- decoding, file by file -------------------------------------------------------------

ARABIC = "1.1\tقرر المجلس أن يعقد دورته القادمة في جنيف، وأن يدعو الدول الأعضاء إلى المشاركة.\n" * 20


@pytest.mark.parametrize("data", [
    ARABIC.encode(), codecs.BOM_UTF8 + ARABIC.encode(), ARABIC.encode("cp1256"),
    codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le"), codecs.BOM_UTF16_BE + ARABIC.encode("utf-16-be"),
    ARABIC.encode("utf-16-le"), ARABIC.encode("utf-16-be"),
], ids=["utf-8", "utf-8 bom", "cp1256", "utf-16-le bom", "utf-16-be bom", "utf-16-le", "utf-16-be"])
def test_arabic_text_decodes_exactly_in_every_supported_encoding(data):
    assert decode_text(data) == ARABIC


BAD_BYTE_AT = len(ARABIC[:500].encode())  # between two letters


def _bad_byte(data: bytes) -> bytes:
    return data[:BAD_BYTE_AT] + b"\xff" + data[BAD_BYTE_AT:]


@pytest.mark.parametrize("data, reason", [
    (_bad_byte(ARABIC.encode()), f"invalid UTF-8 at byte {BAD_BYTE_AT} (1 damaged place(s)"),
    (ARABIC.encode() + ARABIC.encode("cp1256"), "invalid UTF-8 at byte"),           # two encodings in one file
    (RANDOM.randbytes(4096), "binary data, not text (a zero byte at byte"),
    (bytes(RANDOM.randrange(128, 256) for _ in range(4096)), "not Arabic Windows-1256 text"),
    ("Le Conseil a décidé à Genève.".encode("latin-1"), "not UTF-8 (byte 0xE9 at byte 14)"),
    (b"English text with one stray \xff byte", "not UTF-8 (byte 0xFF at byte 28) and not Arabic"),  # 0xFF: ے
    (b"text\x00with a zero byte", "binary data, not text (a zero byte at byte 4)"),
    (ARABIC.encode("utf-32"), "binary data, not text"),
    (codecs.BOM_UTF16_LE + ARABIC.encode("utf-16-le") + b"x", "invalid UTF-16 at byte"),
    ("text\x01\x02\x03\x04 control".encode(), "binary data, not text (4 control characters"),
], ids=["one bad byte", "mixed", "random", "random high bytes", "latin-1", "stray byte", "nul", "utf-32",
        "odd utf-16", "controls"])
def test_damaged_or_binary_bytes_are_refused_with_the_place(data, reason):
    with pytest.raises(DocumentError) as caught:
        decode_text(data)
    assert reason in caught.value.reason


def test_html_declared_encoding_is_used_and_a_wrong_declaration_does_not_make_mojibake():
    page = "<html><head><meta charset='{}'></head><body><p>نص الفقرة</p></body></html>"
    assert "نص الفقرة" in decode_html(page.format("windows-1256").encode("cp1256"))
    assert "نص الفقرة" in decode_html(page.format("utf-8").encode("cp1256"))   # wrong: the bytes decide
    assert "نص الفقرة" in decode_html(page.replace("<meta charset='{}'>", "").encode("cp1256"))
    assert "نص الفقرة" in decode_html(page.format("windows-1256").encode("utf-8"))   # converted, charset kept


# --- limits -----------------------------------------------------------------------------

def test_html_nested_up_to_the_limit_is_read(tmp_path):
    page = tmp_path / "nested.html"
    depth = MAX_HTML_DEPTH - 5
    page.write_text("<html><body>" + "<div>" * depth + "1.1 Deep text." + "</div>" * depth + "</body></html>",
                    encoding="utf-8")
    assert read_lines(page) == ["1.1\tDeep text."]


def test_limits_come_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "three.txt"
    path.write_text("First paragraph of the note.\n\nSecond paragraph of it.\n\nThird paragraph here.\n",
                    encoding="utf-8")
    monkeypatch.setenv("COUNCIL_MAX_PARAGRAPHS", "2")
    from index.ingest import load_document
    with pytest.raises(DocumentError, match="3 paragraphs, over the limit of 2 per file"):
        load_document(path)
    monkeypatch.setenv("COUNCIL_MAX_FILE_MB", "many")
    with pytest.raises(ValueError, match="COUNCIL_MAX_FILE_MB must be a positive whole number"):
        Limits.from_env()
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "--data-dir", str(tmp_path / "data"), "index",
                           str(tmp_path)], cwd=PROJECT, capture_output=True, text=True)
    assert done.returncode == 2 and "COUNCIL_MAX_FILE_MB must be" in done.stderr and "Traceback" not in done.stderr


def test_an_entity_bomb_in_utf16_xml_is_refused_too(tmp_path):
    bomb = tmp_path / "bomb16.docx"
    write_docx(bomb, english("Upl002"))
    entity_bomb(bomb, "utf-16")
    with pytest.raises(DocumentError, match="declares a DTD"):
        read_lines(bomb)


def test_an_upload_gets_the_indexers_checks(tmp_path):
    """The chat's upload check and `council index` refuse a bomb for the same reason."""
    bomb = tmp_path / "bomb.docx"
    write_docx(bomb, english("Upl001"))
    entity_bomb(bomb)
    refusal = check_upload(bomb, "bomb.docx", max_mb=20)
    assert refusal.key == "refused_docx" and "declares a DTD" in refusal.values["reason"]
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(_bad_byte(ARABIC.encode()))
    refusal = check_upload(damaged, "damaged.txt", max_mb=20)
    assert refusal.key == "refused_text" and f"invalid UTF-8 at byte {BAD_BYTE_AT}" in refusal.values["reason"]
