"""The web chat's parts, without a browser: what an upload may be and where it goes,
the copied text of an answer, the document view's markup, the logins and the gate
in front of the page's events."""
from __future__ import annotations

import io
import zipfile

import pytest
from starlette.testclient import TestClient

from assistant.access import PAGE_COOKIE, AccessError, PageGate, chat_logins, is_loopback
from assistant.model import Answer, Citation
from assistant.reader import document_html
from assistant.render import answer_html, upload_summary_html
from assistant.sources import plain_text
from assistant.uploads import check_upload, place_upload, safe_name
from index.model import DocumentInfo, Hit

MB = 1024 * 1024


# --- uploads ----------------------------------------------------------------------------------

def _docx_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, refusal", [
    ("report.pdf", b"%PDF-1.7\n...", None),
    ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "refused_pdf"),           # an executable
    ("report.pdf", bytes(range(256)) * 4, "refused_pdf"),                 # random bytes
    ("report.docx", _docx_bytes({"word/document.xml": b"<w:document/>"}), None),
    ("report.docx", _docx_bytes({"xl/workbook.xml": b"<workbook/>"}), "refused_docx"),  # a spreadsheet
    ("report.docx", b"PK\x03\x04 not really a zip", "refused_docx"),
    ("note.txt", "الوثيقة C24/INF/7 بالعربية\nand English.".encode("utf-8"), None),
    ("note.txt", "نص عربي قديم".encode("cp1256"), None),                     # Windows-1256
    ("note.txt", "\ufeffUTF-16 text".encode("utf-16"), None),
    ("note.txt", bytes((i * 97 + 13) % 256 for i in range(4096)), "refused_text"),  # binary
    ("page.HTML", b"<html><body><p>1.1\tText</p></body></html>", None),
    ("setup.exe", b"MZ\x90\x00", "refused_type"),
    ("notes", b"no extension", "refused_type"),
    ("empty.txt", b"", "refused_empty"),
])
def test_an_upload_is_what_its_name_says(tmp_path, name, content, refusal):
    path = tmp_path / "upload"
    path.write_bytes(content)
    found = check_upload(path, name, max_mb=20)
    assert (found.key if found else None) == refusal


def test_upload_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (MB + 1))
    assert check_upload(path, "big.txt", max_mb=1).key == "refused_size"
    assert check_upload(path, "big.txt", max_mb=2) is None


def test_a_word_file_that_unpacks_into_too_much_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("COUNCIL_MAX_DOCX_UNPACKED_MB", "1")
    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx_bytes({"word/document.xml": b"<w:document/>", "word/media/x.bin": b"\0" * (2 * MB)}))
    refusal = check_upload(path, "bomb.docx", max_mb=20)
    assert refusal.key == "refused_docx" and "unpacks to 2 MB" in refusal.values["reason"]


@pytest.mark.parametrize("name, stored", [
    ("report.TXT", "report.txt"),
    ("../../etc/passwd.txt", "passwd.txt"),
    ("..\\..\\evil.pdf", "evil.pdf"),
    (".hidden.txt", "hidden.txt"),
    ("...txt", "document.txt"),
    ("two\nlines\r.txt", "two-lines.txt"),
    ('<img src=x onerror="alert(1)">.pdf', "img-src-x-onerror-alert-1.pdf"),
    ("تقرير المجلس 2023.docx", "تقرير-المجلس-2023.docx"),
    ("a" * 300 + ".txt", "a" * 100 + ".txt"),
])
def test_uploads_get_safe_names(name, stored):
    assert safe_name(name) == stored


def test_upload_never_overwrites_another_file(tmp_path):
    corpus, incoming = tmp_path / "corpus", tmp_path / "incoming"
    corpus.mkdir(), incoming.mkdir()
    (corpus / "report.txt").write_text("first")
    (incoming / "report.txt").write_text("second")
    target, written = place_upload(incoming / "report.txt", "report.txt", corpus)
    assert (target.name, written) == ("report-2.txt", True)
    assert (corpus / "report.txt").read_text() == "first"
    assert place_upload(incoming / "report.txt", "report.txt", corpus) == (target, False)  # the same file: reused
    (incoming / "report.docx").write_bytes(b"third")  # same stem, so the same document id
    assert place_upload(incoming / "report.docx", "report.docx", corpus)[0].name == "report-3.docx"
    (incoming / "memo.txt").write_text("fourth")  # "memo" is already indexed from elsewhere
    assert place_upload(incoming / "memo.txt", "memo.txt", corpus, taken_ids={"memo"})[0].name == "memo-2.txt"
    assert place_upload(incoming / "memo.txt", "../../memo.txt", corpus)[0].parent == corpus
    assert not [p for p in corpus.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_failed_copy_leaves_nothing(tmp_path, monkeypatch):
    corpus, source = tmp_path / "corpus", tmp_path / "report.txt"
    corpus.mkdir()
    source.write_text("text")

    def broken_copy(src, dst):
        open(dst, "w").write("half")
        raise OSError("disk full")
    monkeypatch.setattr("assistant.uploads.shutil.copyfile", broken_copy)
    with pytest.raises(OSError):
        place_upload(source, "report.txt", corpus)
    assert list(corpus.iterdir()) == []


# --- an answer as text, and as HTML ------------------------------------------------------------

def _hit(paragraph="2.1", label="2.1", text="In its first year the pilot logged 4,300 transmissions. It grew.",
         document="C24/INF/77@en", language="en", title="Sargasso Spectrum Monitoring Pilot", headings=None):
    return Hit(chunk_id=f"{document}#{paragraph}#0", document=document, paragraph=paragraph, label=label,
               language=language, title=title, date="2024-03-04", text=text, score=1.0, symbol="C24/INF/77",
               headings=headings or ["Results"])


def test_an_answer_copies_as_plain_text_with_its_sources():
    answer = Answer(question="How many transmissions?", text="According to the documents:\nIt logged 4,300. [1]",
                    citations=[Citation(1, _hit(), "In its first year the pilot\n logged 4,300 transmissions.")],
                    retrieved=[])
    assert plain_text(answer) == (
        "Question: How many transmissions?\n\nAnswer:\nAccording to the documents:\nIt logged 4,300. [1]\n\n"
        "Sources:\n[1] C24/INF/77: Sargasso Spectrum Monitoring Pilot, paragraph 2.1, 2024-03-04, en\n"
        "    “In its first year the pilot logged 4,300 transmissions.”")


def test_an_arabic_answer_copies_with_arabic_labels_and_printed_numbers():
    hit = _hit(paragraph="4.1", label="1.4", text="عُقدت الدورة (CSW67) في نيويورك.", document="report-ar",
               language="ar", title="التعاون مع منظومة الأمم المتحدة")
    hit.symbol = ""
    answer = Answer(question="ما هو CSW67؟", text="بحسب الوثائق: عُقدت الدورة. [1]",
                    citations=[Citation(1, hit, "عُقدت الدورة (CSW67) في نيويورك.")], retrieved=[], language="ar")
    text = plain_text(answer)
    assert text.startswith("السؤال: ما هو CSW67؟")
    assert "[1] التعاون مع منظومة الأمم المتحدة, الفقرة 4.1 (كما طُبعت 1.4), 2024-03-04, ar" in text


def test_answer_html_escapes_the_copied_text_and_links_the_document_view():
    hit = _hit(text='Buoys <script>window.x=1</script> report.', title='Kelpwave <img src=x onerror="y()">')
    answer = Answer(question="<b>q</b>", text="Buoys report. [1]", citations=[Citation(1, hit, "Buoys")], retrieved=[])
    html = answer_html(answer)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;q&lt;/b&gt;" in html
    assert '<a class="open-document" href="?doc=C24%2FINF%2F77%40en&amp;p=2.1">' in html
    assert '<button type="button" class="copy-answer">' in html


def test_upload_errors_show_file_names_and_reasons_as_text():
    html = upload_summary_html(["Not indexed:"], [('<img src=x onerror="y()">.pdf', "<b>bad</b>")], "en")
    assert "<img" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=&quot;y()&quot;&gt;.pdf" in html and "&lt;b&gt;bad&lt;/b&gt;" in html


# --- the document view -------------------------------------------------------------------------

def test_document_view_marks_the_cited_paragraph_under_its_headings():
    paragraphs = [_hit("front.purpose", "Purpose", "This note describes the pilot.", headings=["Purpose"]),
                  _hit("1.1", "1.1", "Nine platforms.", headings=["Scope <of> the pilot"]),
                  _hit("2.1", "2.1", "4,300 transmissions <script>x()</script>.", headings=["Results"]),
                  _hit("2.2", "3.2", "Extended in 2025.", headings=["Results"])]
    versions = [DocumentInfo(id="C24/INF/77@ar", path="", title="المشروع", symbol="C24/INF/77", language="ar")]
    html = document_html(paragraphs, "2.1", versions, "en")
    assert html.count('class="reader-paragraph cited"') == 1
    assert 'data-key="C24/INF/77@en#2.1" tabindex="-1">' in html.split('class="reader-paragraph cited"')[1][:60]
    assert html.count("<h3") == 3  # Purpose, Scope, Results: a heading once per run of paragraphs
    assert "Scope &lt;of&gt; the pilot" in html and "&lt;script&gt;" in html and "<script>" not in html
    assert "(printed 3.2)" in html
    assert '<a class="open-document" href="?doc=C24%2FINF%2F77%40ar&amp;p=2.1">Arabic</a>' in html
    assert 'class="reader-document" dir="ltr" lang="en"' in html


def test_an_arabic_document_reads_right_to_left_in_the_english_interface():
    html = document_html([_hit("1.1", "1.1", "نص", document="x-ar", language="ar", title="عنوان")], "1.1", [], "en")
    assert '<div class="reader" dir="ltr"' in html and 'class="reader-document" dir="rtl" lang="ar"' in html


def test_a_document_no_longer_indexed_says_so():
    assert "not indexed any more" in document_html([], "1.1", [], "en")


# --- logins -------------------------------------------------------------------------------------

def test_loopback_needs_no_login_and_any_other_address_does(tmp_path):
    assert chat_logins("127.0.0.1", {}) is None and chat_logins("localhost", {}) is None
    assert is_loopback("::1") and not is_loopback("0.0.0.0") and not is_loopback("chat.example.org")
    with pytest.raises(AccessError, match="COUNCIL_CHAT_AUTH"):
        chat_logins("0.0.0.0", {})
    assert chat_logins("0.0.0.0", {"COUNCIL_CHAT_AUTH": "delegate:pass:word"}) == [("delegate", "pass:word")]
    logins = tmp_path / "logins"
    logins.write_text("# delegates\nalice:one\n\nbob:two\n", encoding="utf-8")
    assert chat_logins("10.0.0.5", {"COUNCIL_CHAT_AUTH_FILE": str(logins)}) == [("alice", "one"), ("bob", "two")]
    assert chat_logins("127.0.0.1", {"COUNCIL_CHAT_AUTH": "me:secret"}) == [("me", "secret")]  # used on loopback too


@pytest.mark.parametrize("env", [{"COUNCIL_CHAT_AUTH": "no-colon"}, {"COUNCIL_CHAT_AUTH": "user:"},
                                 {"COUNCIL_CHAT_AUTH_FILE": "/nonexistent/logins"}])
def test_bad_logins_stop_the_chat_without_echoing_a_password(env):
    with pytest.raises(AccessError) as error:
        chat_logins("0.0.0.0", env)
    assert "user:password" in str(error.value) or "cannot read" in str(error.value)


# --- the gate in front of the page's events -------------------------------------------------------

def _request(gate: PageGate, method: str, path: str, body: bytes = b"", host: str = "127.0.0.1:7860",
             cookie: str = ""):
    """One request through `gate` (Starlette's test client runs it on a loop of its own)."""
    client = TestClient(gate, base_url=f"http://{host}")
    return client.request(method, path, content=body, headers={"cookie": cookie} if cookie else {})


def _status(gate: PageGate, method: str, path: str, body: bytes = b"", **headers) -> int:
    return _request(gate, method, path, body, **headers).status_code


async def _ok(scope, receive, send):
    await receive()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_the_gate_lets_the_page_and_the_public_api_through_and_nothing_else():
    gate = PageGate(_ok, public={12: "ask"}, token="t0ken", hosts=frozenset({"127.0.0.1", "localhost"}))
    page = _request(gate, "GET", "/")
    assert page.status_code == 200
    assert page.headers["set-cookie"] == "council_page=t0ken; Path=/; HttpOnly; SameSite=Strict"
    assert _status(gate, "POST", "/gradio_api/queue/join", b'{"fn_index": 12, "data": []}') == 200
    assert _status(gate, "POST", "/gradio_api/call/ask", b'{"data": []}') == 200
    assert _status(gate, "POST", "/gradio_api/queue/join", b'{"fn_index": 4, "data": []}') == 403
    assert _status(gate, "POST", "/gradio_api/queue/join", b'{"fn_index": [12]}') == 403
    assert _status(gate, "POST", "/gradio_api/run/ask", b'{"fn_index": 4}') == 403
    assert _status(gate, "POST", "/gradio_api/upload", b"--multipart--") == 403
    assert _status(gate, "POST", "/gradio_api/upload", cookie=f"{PAGE_COOKIE}=wrong") == 403
    assert _status(gate, "POST", "/gradio_api/upload", cookie=f"{PAGE_COOKIE}=t0ken") == 200  # the page
    assert _status(gate, "GET", "/config", host="attacker.example:7860") == 421  # DNS rebinding
    assert _status(gate, "GET", "/config", host="localhost:7860") == 200
