"""The web chat in a real browser, against the real app (`council chat`) on a
temporary copy of docs_corpus/ and a temporary index.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright. Each test leaves
a screenshot in test-artifacts/<test name>.png.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright import sync_api as playwright_api

PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
STARTUP_SECONDS = 300      # indexes the corpus before it listens: about a minute on a busy 2-core machine
ANSWER_MS = 60_000         # the first answer may still be loading models
UPLOAD_MS = 120_000

ZEPHYRINE = """\t15 March 2024
\tOriginal: English
\tReport by the Secretary-General
\tZephyrine Orbital Beacon Programme: progress report
Purpose
This report describes progress on the Zephyrine Orbital Beacon Programme.
Action required by the Council
The Council is invited to take note of this report.
___________
References
Document C24/99

1\tBackground
1.1\tThe Zephyrine Orbital Beacon Programme places forty-two solar-powered relay beacons in lunar orbit to carry emergency telecommunications for crewed deep-space missions.
1.2\tThe programme is financed by a voluntary trust fund of 3.5 million Swiss francs established by the Council in 2024.
2\tNext steps
2.1\tThe first eleven beacons will be launched in November 2025.
"""

KELPWAVE = """\t2 April 2024
\tOriginal: English
\tKelpwave <img src=x onerror="window.__xss=2"> Tidal Telemetry Network
Purpose
This note describes the Kelpwave Tidal Telemetry Network.
Action required by the Council
The Council is invited to take note of this document.

1\tThe network
1.1\tThe Kelpwave Tidal Telemetry Network links seventeen ocean buoys near Tuvalu <script>window.__xss=1</script> that report sea-level rise every ten minutes. <img src=x onerror="window.__xss=2">
1.2\tThe buoys are maintained by a regional consortium of island administrations.
"""


# --- the app and the browser ------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_http(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`council chat` exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"`council chat` did not answer on {url} within {STARTUP_SECONDS} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def app(tmp_path_factory, pytestconfig):
    """`council chat` on a free loopback port, over a copy of docs_corpus/ in a fresh index.

    Embedding vectors are cached by text hash (index.embed.EmbeddingCache); the cache
    is carried between test runs in pytest's cache folder so a re-run does not
    re-embed the corpus. The index itself is built from scratch every time."""
    root = tmp_path_factory.mktemp("chat-ui")
    corpus, data = root / "corpus", root / "data"
    shutil.copytree(PROJECT / "docs_corpus", corpus)
    data.mkdir()
    vectors = Path(pytestconfig.cache.mkdir("council-chat-ui")) / "embeddings.sqlite"
    if vectors.exists():
        shutil.copyfile(vectors, data / "embeddings.sqlite")

    port = _free_port()
    env = {**os.environ, "COUNCIL_DATA_DIR": str(data), "COUNCIL_CORPUS_DIR": str(corpus),
           "COUNCIL_EMBEDDER": "e5", "COUNCIL_LLM": "", "COUNCIL_CHROMA_URL": "",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    log = root / "chat.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "chat", "--host", "127.0.0.1",
                                    "--port", str(port)], cwd=PROJECT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_http(url, process, log)
        yield SimpleNamespace(url=url, corpus=corpus, data=data, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if (data / "embeddings.sqlite").exists():
            shutil.copyfile(data / "embeddings.sqlite", vectors)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(app, browser, request):
    """A fresh page on the chat; its screenshot is saved when the test ends, pass or fail."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(app.url, wait_until="domcontentloaded")
    page.wait_for_selector("#question textarea", timeout=30_000)
    yield page
    snapshot(page, request.node.name)
    context.close()


def snapshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)  # let the last update paint
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# --- what a user does ---------------------------------------------------------------------------

def ask(page, question: str, see_it_stream: bool = False):
    """Type a question, send it, wait for the final (cited or abstaining) answer."""
    before = page.locator("#chat .answer-final").count()
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    if see_it_stream:  # the words arrive before the final rendering with its citations
        page.locator("#chat .answer-streaming").last.wait_for(timeout=ANSWER_MS)
    page.wait_for_function("n => document.querySelectorAll('#chat .answer-final').length > n",
                           arg=before, timeout=ANSWER_MS)
    return page.locator("#chat .answer-final").last


def upload(page, path: Path) -> str:
    """Add a document in the Documents tab; the upload summary's text."""
    page.get_by_role("tab", name="Documents").click()
    page.set_input_files("#upload input[type=file]", str(path))
    status = page.locator("#upload-status .upload-summary")
    status.wait_for(timeout=UPLOAD_MS)
    return status.inner_text()


def go_to_chat(page) -> None:
    page.get_by_role("tab", name="Chat").click()
    page.wait_for_selector("#question textarea", state="visible")


def citation_summaries(answer) -> list[str]:
    return answer.locator("details.citation > summary").all_inner_texts()


# --- the tests -------------------------------------------------------------------------------------

def test_arabic_question_gets_cited_right_to_left_answer(page):
    answer = ask(page, "ما هو CSW67؟")
    assert answer.evaluate("e => getComputedStyle(e).direction") == "rtl"
    first_line = answer.locator(".answer-line").first
    assert first_line.evaluate("e => getComputedStyle(e).direction") == "rtl"
    text = answer.inner_text()
    assert "[1]" in text and "CSW67" in text
    summaries = citation_summaries(answer)
    assert summaries and summaries[0].startswith("[1]")
    assert "4.1" in summaries[0]
    # the user's own question is a block of its own, right to left too
    assert page.locator("#chat .question").last.evaluate("e => getComputedStyle(e).direction") == "rtl"


def test_english_question_cites_the_arabic_paragraph(page):
    answer = ask(page, "What does resolution 76/307 decide?", see_it_stream=True)
    assert answer.evaluate("e => getComputedStyle(e).direction") == "ltr"
    assert "According to the documents" in answer.inner_text()
    summaries = citation_summaries(answer)
    assert summaries and "paragraph 2.2" in summaries[0]
    # the quoted Arabic sentence reads right to left inside the English answer
    quoted = answer.locator(".answer-line", has_text="76/307").first
    assert quoted.evaluate("e => getComputedStyle(e).direction") == "rtl"


def test_expanding_a_citation_shows_the_paragraph(page):
    answer = ask(page, "What is CSW67?")
    citation = answer.locator("details.citation").first
    body = citation.locator(".paragraph-text")
    assert not body.is_visible()
    citation.locator("summary").click()
    body.wait_for(state="visible", timeout=5_000)
    # the whole paragraph, not only the quoted sentence, with the quote marked
    assert "والجدير بالذكر أنها كانت المرة الأولى" in body.inner_text()
    assert "CSW67" in body.locator("mark").first.inner_text()
    assert body.evaluate("e => getComputedStyle(e).direction") == "rtl"


def test_unanswerable_question_abstains_with_closest_paragraphs(page):
    answer = ask(page, "What is the capital of Peru?")
    assert "do not answer this question" in answer.inner_text()
    closest = answer.locator("details.closest-paragraph")
    assert closest.count() >= 1
    closest.first.locator("summary").click()
    closest.first.locator(".paragraph-text").wait_for(state="visible", timeout=5_000)


def test_follow_up_question_keeps_the_topic(page):
    ask(page, "What is CSW67?")
    answer = ask(page, "And where was it held?")
    assert any("paragraph 4.1" in s for s in citation_summaries(answer))
    assert page.locator("#chat .answer-final").count() == 2
    page.locator("#clear").click()
    page.wait_for_function("() => document.querySelectorAll('#chat .answer-final').length === 0", timeout=10_000)


def test_uploaded_document_becomes_answerable(page, tmp_path):
    path = tmp_path / "zephyrine-beacons.txt"
    path.write_text(ZEPHYRINE, encoding="utf-8")
    status = upload(page, path)
    assert "added" in status and "Not indexed" not in status, status
    page.locator("#documents", has_text="zephyrine-beacons").wait_for(timeout=10_000)
    snapshot(page, "test_uploaded_document_becomes_answerable-documents-tab")

    go_to_chat(page)
    answer = ask(page, "How many beacons does the Zephyrine Orbital Beacon Programme place in lunar orbit?")
    summaries = citation_summaries(answer)
    assert summaries and "Zephyrine Orbital Beacon Programme: progress report" in summaries[0]
    assert "paragraph 1.1" in summaries[0]
    assert "forty-two" in answer.inner_text()


def test_markup_in_a_document_is_shown_as_text(page, tmp_path):
    path = tmp_path / "kelpwave-network.txt"
    path.write_text(KELPWAVE, encoding="utf-8")
    status = upload(page, path)
    assert "added" in status, status
    page.locator("#documents", has_text="kelpwave-network").wait_for(timeout=10_000)

    go_to_chat(page)
    answer = ask(page, "How many ocean buoys does the Kelpwave Tidal Telemetry Network link?")
    citation = answer.locator("details.citation").first
    citation.locator("summary").click()
    body = citation.locator(".paragraph-text")
    body.wait_for(state="visible", timeout=5_000)
    assert "<script>window.__xss=1</script>" in body.inner_text()
    assert '<img src=x onerror="window.__xss=2">' in body.inner_text()
    assert '<img src=x onerror="window.__xss=2">' in citation.locator("summary").inner_text()  # the title
    assert page.locator("#chat script, #chat img[src='x'], #documents img[src='x']").count() == 0
    page.wait_for_timeout(500)  # an <img onerror> would have fired by now
    assert page.evaluate("() => window.__xss") is None


def test_failed_upload_names_the_file_and_why(page, app, tmp_path):
    path = tmp_path / "broken-report.pdf"
    path.write_bytes(b"%PDF-1.7 this is not really a PDF \x00\x01\x02")
    status = upload(page, path)
    assert "Not indexed" in status and "broken-report.pdf" in status, status
    reason = page.locator("#upload-status .upload-errors li").first.inner_text()
    assert len(reason.split(":", 1)[1].strip()) > 5, reason  # a reason, not only the name
    assert not (app.corpus / "broken-report.pdf").exists()  # a file that cannot be indexed is not kept


def test_interface_language_switch(page):
    page.get_by_label("العربية").check()
    page.wait_for_function("() => document.querySelector('#send').innerText.includes('اسأل')", timeout=10_000)
    page.get_by_role("tab", name="الوثائق").wait_for(timeout=10_000)
    page.wait_for_function("() => document.querySelector('#filter-document input').value === 'كل الوثائق'",
                           timeout=10_000)
    answer = ask(page, "متى ستعقد قمة المستقبل؟")
    assert "بحسب الوثائق" in answer.inner_text()


def test_api_serves_answer_json(app):
    from gradio_client import Client
    client = Client(app.url, verbose=False)
    result = client.predict("What is CSW67?", api_name="/ask")
    assert result["citations"][0]["paragraph"] == "4.1"
    assert result["mode"] == "extractive" and not result["abstained"]
    follow_up = client.predict("And where was it held?", history=[["What is CSW67?", result["search_query"]]],
                               api_name="/ask")
    assert "CSW67" in follow_up["search_query"]


def test_upload_never_overwrites_another_file(tmp_path):
    from assistant.chat_ui import place_upload
    corpus, incoming = tmp_path / "corpus", tmp_path / "incoming"
    corpus.mkdir(), incoming.mkdir()
    (corpus / "report.txt").write_text("first")
    (incoming / "report.txt").write_text("second")
    target, written = place_upload(incoming / "report.txt", corpus)
    assert (target.name, written) == ("report-2.txt", True)
    assert (corpus / "report.txt").read_text() == "first"
    assert place_upload(incoming / "report.txt", corpus) == (target, False)  # the same file again: reused
    (incoming / "report.docx").write_bytes(b"third")  # same stem, so the same document id
    assert place_upload(incoming / "report.docx", corpus)[0].name == "report-3.docx"
    (incoming / "memo.txt").write_text("fourth")  # "memo" is already indexed from elsewhere
    assert place_upload(incoming / "memo.txt", corpus, taken_ids={"memo"})[0].name == "memo-2.txt"
