"""The web chat in a real browser, against the real app (`council chat`) on a
temporary copy of docs_corpus/ (plus a short note in English and Arabic, two
language versions of one symbol) and a temporary index.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright. Each test leaves
a screenshot in test-artifacts/<test name>.png; the layout tests leave
layout-<width>-<language>-chat.png, -document.png and -documents.png.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright import sync_api as playwright_api

from assistant.strings import EXAMPLES

PROJECT = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
STARTUP_SECONDS = 300      # indexes the corpus before it listens: about a minute on a busy 2-core machine
ANSWER_MS = 60_000         # the first answer may still be loading models
UPLOAD_MS = 120_000
VIEW_MS = 20_000           # the document view opening, a language switch
TOUCH_PX = 44              # the smallest touch target

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

1\tThe <b>network</b> <img src=x onerror="window.__xss=3">
1.1\tThe Kelpwave Tidal Telemetry Network links seventeen ocean buoys near Tuvalu <script>window.__xss=1</script> that report sea-level rise every ten minutes. <img src=x onerror="window.__xss=2">
1.2\tThe buoys are maintained by a regional consortium of island administrations.
"""


# One symbol, two language versions: the document view switches between them.
SARGASSO = {
    "en": """\t4 March 2024
\tOriginal: English
\tNote by the Secretary-General
\tSargasso Spectrum Monitoring Pilot
Purpose
This note describes the Sargasso Spectrum Monitoring Pilot.
Action required by the Council
The Council is invited to take note of this note.

1\tScope of the pilot
1.1\tThe Sargasso Spectrum Monitoring Pilot measures maritime radio occupancy from nine drifting platforms.
1.2\tThe platforms report every six hours to a monitoring centre in Bermuda.
2\tResults
2.1\tIn its first year the pilot logged 4,300 unlicensed transmissions in the maritime bands.
2.2\tThe pilot will be extended to the Caribbean Sea in 2025.
3\tNext steps
3.1\tThe Secretary-General will report to the Council at its 2025 session.
""",
    "ar": """\t4 مارس 2024
\tالأصل: بالإنكليزية
\tمذكرة من الأمين العام
\tالمشروع التجريبي لرصد الطيف في بحر سارجاسو
الغرض
تصف هذه المذكرة المشروع التجريبي لرصد الطيف في بحر سارجاسو.
الإجراء المطلوب من المجلس
يُدعى المجلس إلى الإحاطة علماً بهذه المذكرة.

1\tنطاق المشروع التجريبي
1.1\tيقيس المشروع التجريبي لرصد الطيف في بحر سارجاسو شغل الترددات الراديوية البحرية من تسع منصات عائمة.
1.2\tترسل المنصات تقاريرها كل ست ساعات إلى مركز رصد في برمودا.
2\tالنتائج
2.1\tسجّل المشروع التجريبي في عامه الأول 4300 إرسال غير مرخص في النطاقات البحرية.
2.2\tسيُمدَّد المشروع التجريبي ليشمل البحر الكاريبي في عام 2025.
3\tالخطوات التالية
3.1\tسيقدم الأمين العام تقريراً إلى المجلس في دورته لعام 2025.
""",
}
SARGASSO_SYMBOL = "C24/INF/77"
SARGASSO_QUESTION = "How many unlicensed transmissions did the Sargasso pilot log?"


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


def chat_env(corpus: Path, data: Path, **extra: str) -> dict:
    return {**os.environ, "COUNCIL_DATA_DIR": str(data), "COUNCIL_CORPUS_DIR": str(corpus),
            "COUNCIL_EMBEDDER": "e5", "COUNCIL_LLM": "", "COUNCIL_CHROMA_URL": "", "COUNCIL_CHAT_AUTH": "",
            "COUNCIL_CHAT_AUTH_FILE": "", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
            "GRADIO_ANALYTICS_ENABLED": "False", **extra}


@contextmanager
def running_chat(corpus: Path, data: Path, log: Path, **extra_env: str):
    """`council chat` on a free loopback port until the block ends; yields its URL."""
    port = _free_port()
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "chat", "--host", "127.0.0.1",
                                    "--port", str(port)], cwd=PROJECT, env=chat_env(corpus, data, **extra_env),
                                   stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_http(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def app(tmp_path_factory, corpus_vectors):
    """`council chat` on a free loopback port, over a copy of docs_corpus/ and the Sargasso
    note in two languages, in a fresh index whose embedding cache starts from the
    session's (tests/conftest.py): the corpus is not embedded again."""
    root = tmp_path_factory.mktemp("chat-ui")
    corpus, data = root / "corpus", root / "data"
    shutil.copytree(PROJECT / "docs_corpus", corpus)
    for language, text in SARGASSO.items():
        (corpus / f"sargasso-pilot-{language}.txt").write_text(text, encoding="utf-8")
        (corpus / f"sargasso-pilot-{language}.meta.json").write_text(
            json.dumps({"symbol": SARGASSO_SYMBOL, "language": language}), encoding="utf-8")
    data.mkdir()
    shutil.copyfile(corpus_vectors, data / "embeddings.sqlite")
    log = root / "chat.log"
    with running_chat(corpus, data, log) as url:
        yield SimpleNamespace(url=url, corpus=corpus, data=data, log=log, root=root)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, url: str, width: int = 1280, height: int = 1000):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("#question textarea", state="attached", timeout=30_000)
    return page


@pytest.fixture
def page(app, browser, request):
    """A fresh page on the chat; its screenshot is saved when the test ends, pass or fail."""
    page = open_page(browser, app.url)
    yield page
    snapshot(page, request.node.name)
    page.context.close()


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
    """Add a document in the Documents tab; the text of the upload summary it brings."""
    page.get_by_role("tab", name="Documents").click()
    status = page.locator("#upload-status")
    before = status.inner_text()
    page.set_input_files("#upload input[type=file]", str(path))
    page.wait_for_function("before => { const s = document.querySelector('#upload-status .upload-summary');"
                           " return s && s.innerText !== before; }", arg=before, timeout=UPLOAD_MS)
    return status.locator(".upload-summary").inner_text()


def go_to_chat(page) -> None:
    page.get_by_role("tab", name="Chat").click()
    page.wait_for_selector("#question textarea", state="visible")


def citation_summaries(answer) -> list[str]:
    return answer.locator("details.citation > summary").all_inner_texts()


def open_document_from(answer, n: int = 0):
    """Expand citation n, follow its "Read in the document" link; the cited paragraph in
    the document view, once it is shown there."""
    citation = answer.locator("details.citation").nth(n)
    if not citation.evaluate("e => e.open"):
        citation.locator("summary").click()
    citation.locator(".source > a.open-document").click()  # not an "Also in" link
    cited = answer.page.locator("#reader .reader-paragraph.cited")
    cited.wait_for(timeout=VIEW_MS)
    return cited


def in_view(locator) -> bool:
    """Inside the viewport and inside every scrolling box around it."""
    return locator.evaluate("""e => {
        const r = e.getBoundingClientRect();
        if (r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) return false;
        for (let box = e.parentElement; box; box = box.parentElement) {
            const b = box.getBoundingClientRect(), style = getComputedStyle(box);
            if (/(auto|scroll|hidden)/.test(style.overflowY) && (r.bottom <= b.top || r.top >= b.bottom)) return false;
        }
        return true; }""")


def highlighted(locator) -> bool:
    return locator.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")


# What a layout must never do: text wider than the screen (a word broken out of its
# box, or a line that does not wrap), or a page that scrolls sideways.
WIDE_TEXT = """() => {
    const width = document.documentElement.clientWidth, range = document.createRange(), wide = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim() || !node.parentElement.checkVisibility({visibilityProperty: true})) continue;
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (box.width > width) wide.push(`${Math.round(box.width)} px: ${node.textContent.trim().slice(0, 60)}`);
    }
    if (document.documentElement.scrollWidth > width) wide.push(`page scrolls sideways: ${document.documentElement.scrollWidth} px`);
    return wide; }"""

TITLE_LINES = """() => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('#title h1'));
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }"""

# The controls a finger uses, on the chat tab and in the document view.
TOUCH_TARGETS = ["#ui-language label", "#tabs [role=tab]", "#filters > button.label-wrap", "#send", "#clear",
                 "#examples .gallery-item", "#chat details.citation > summary", "#chat a.open-document",
                 "#chat .copy-answer"]
READER_TOUCH_TARGETS = ["#back-to-chat", "#reader .reader-versions a"]


def small_targets(page, selectors: list[str]) -> list[str]:
    small = []
    for selector in selectors:
        for box in page.locator(selector).evaluate_all("es => es.filter(e => e.getClientRects().length)"
                                                       ".map(e => e.getBoundingClientRect().toJSON())"):
            if box["height"] < TOUCH_PX - 0.5 or box["width"] < TOUCH_PX - 0.5:
                small.append(f"{selector}: {box['width']:.0f}x{box['height']:.0f}")
    return small


def examples_shown(page, questions: list[str]) -> bool:
    """The example buttons show these questions (Gradio cuts a long one short with "...")."""
    shown = [text.removesuffix("...") for text in page.locator("#examples .gallery-item").all_inner_texts()]
    return len(shown) == len(questions) and all(q.startswith(s) for s, q in zip(shown, questions))


def x_of(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["x"]


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


def test_an_english_answer_from_arabic_text_gives_its_date_and_place_in_english_first(page):
    answer = ask(page, "When and where was the first part of LDC5 held?")
    first = answer.locator(".answer-line").first.inner_text()
    assert first.startswith("According to the documents (quoted below in Arabic):"), first
    assert "March 2023" in first and "New York" in first, first
    assert "نيويورك" in "\n".join(answer.locator(".answer-line").all_inner_texts()[1:])  # then the Arabic quote


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


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["en", "ar"])
def test_layout(app, browser, width, language):
    """From a phone to a wide screen, in both interface languages: nothing wider than the
    screen, a short title, touch-sized controls, the page mirrored in Arabic, the filters
    folded above the conversation on a phone and beside it otherwise; a citation opens
    the document view at its paragraph, highlighted."""
    page = open_page(browser, f"{app.url}?lang={language}", width=width, height=900)
    name = f"layout-{width}-{language}"
    try:
        page.wait_for_function("l => document.querySelector('#send').innerText === l",
                               arg={"en": "Ask", "ar": "اسأل"}[language], timeout=VIEW_MS)
        root = page.evaluate("() => [document.documentElement.dir, getComputedStyle(document.body).direction]")
        assert root == [{"en": "ltr", "ar": "rtl"}[language]] * 2
        assert examples_shown(page, EXAMPLES[language])
        answer = ask(page, SARGASSO_QUESTION)
        answer.locator("details.citation > summary").first.click()
        snapshot(page, f"{name}-chat")
        assert page.evaluate(WIDE_TEXT) == []
        assert small_targets(page, TOUCH_TARGETS) == []
        if width < 768:
            assert page.evaluate(TITLE_LINES) <= 2
            assert not page.locator("#filter-document").is_visible()  # folded
            assert page.locator("#sidebar").bounding_box()["y"] < page.locator("#chat").bounding_box()["y"]
        else:
            assert page.locator("#filter-document").is_visible()
            sidebar_first = x_of(page, "#sidebar") < x_of(page, "#conversation")
            assert sidebar_first == (language == "ar")  # the sidebar is on the left in Arabic
        # tabs, and the question box and its button, run in the page's direction
        tabs_forward = x_of(page, "#chat-tab-button") < x_of(page, "#docs-tab-button")
        input_forward = x_of(page, "#question") < x_of(page, "#send")
        assert tabs_forward == input_forward == (language == "en")

        page.evaluate("window.__same_page = true")
        cited = open_document_from(answer)
        assert "4,300 unlicensed transmissions" in cited.inner_text()
        page.wait_for_function("() => document.activeElement?.classList.contains('cited')", timeout=VIEW_MS)
        assert in_view(cited) and highlighted(cited)
        assert page.evaluate("() => window.__same_page") is True  # opened in place, no reload
        assert page.locator("#reader .reader-heading", has_text="Results").count() == 1
        snapshot(page, f"{name}-document")
        assert page.evaluate(WIDE_TEXT) == []
        assert small_targets(page, READER_TOUCH_TARGETS) == []
        page.locator("#docs-tab-button").click()  # the list of documents scrolls sideways, whole words
        page.locator("#documents td", has_text="C24/INF/77@en").wait_for(timeout=VIEW_MS)
        snapshot(page, f"{name}-documents")
        assert page.evaluate(WIDE_TEXT) == []
    finally:
        page.context.close()


def test_document_view_follows_a_citation_into_each_language_version(page):
    answer = ask(page, "What is CSW67?")
    cited = open_document_from(answer)
    # an Arabic document, right to left, at the cited paragraph with its heading and neighbours
    assert "CSW67" in cited.inner_text() and in_view(cited) and highlighted(cited)
    assert page.locator("#reader .reader-document").evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator("#reader .reader-heading", has_text="اللجنة المعنية بوضع المرأة").count() == 1
    assert page.locator("#reader .reader-paragraph").count() > 20
    page.get_by_role("button", name="Back to the conversation").click()
    page.wait_for_selector("#question textarea", state="visible")

    answer = ask(page, SARGASSO_QUESTION)
    cited = open_document_from(answer)
    assert page.locator("#reader .reader-document").evaluate("e => getComputedStyle(e).direction") == "ltr"
    page.locator("#reader .reader-versions a", has_text="Arabic").click()
    page.wait_for_function("() => document.querySelector('#reader .reader')?.dataset.key === 'C24/INF/77@ar#2.1'",
                           timeout=VIEW_MS)
    cited = page.locator("#reader .reader-paragraph.cited")
    assert "4300 إرسال غير مرخص" in cited.inner_text() and highlighted(cited)
    page.wait_for_function("() => document.activeElement?.classList.contains('cited')", timeout=VIEW_MS)
    assert in_view(cited)
    assert page.locator("#reader .reader-document").evaluate("e => getComputedStyle(e).direction") == "rtl"
    page.locator("#reader .reader-versions a", has_text="English").wait_for(timeout=VIEW_MS)


def test_a_treaty_article_is_cited_by_its_article_number(page):
    answer = ask(page, "What does the UN Charter say about the right of self-defence against an armed attack?")
    summaries = citation_summaries(answer)
    assert any("Charter of the United Nations" in s and "Article 51" in s for s in summaries), summaries
    cited = answer.locator("details.citation", has_text="Article 51").first
    cited.locator("summary").click()
    assert "inherent right of individual or collective self-defence" in cited.locator(".paragraph-text").inner_text()


def test_a_citation_offers_the_provision_in_its_other_language(page):
    answer = ask(page, "What does the Universal Declaration of Human Rights say about the right to education?")
    cited = answer.locator("details.citation", has_text="Article 26").first
    assert "Universal Declaration of Human Rights" in cited.locator("summary").inner_text()
    cited.locator("summary").click()
    other = cited.locator(".versions a.open-document", has_text="Arabic")
    other.wait_for(timeout=5_000)
    snapshot(page, "test_a_citation_offers_the_provision_in_its_other_language-english-citation")
    other.click()
    page.wait_for_function("() => document.querySelector('#reader .reader')?.dataset.key?.startsWith('A/RES/217(III)@ar#Article 26')",
                           timeout=VIEW_MS)
    shown = page.locator("#reader .reader-paragraph.cited")
    assert "لكل شخص الحق في التعلم" in shown.inner_text() and highlighted(shown)
    assert page.locator("#reader .reader-document").evaluate("e => getComputedStyle(e).direction") == "rtl"


def test_a_link_to_a_paragraph_opens_the_document_view(app, browser):
    """A citation link opened in a new tab (or shared) opens the page on that paragraph."""
    page = open_page(browser, f"{app.url}?doc=C24%2FINF%2F77%40en&p=1.2")
    try:
        cited = page.locator("#reader .reader-paragraph.cited")
        cited.wait_for(timeout=VIEW_MS)
        assert "every six hours" in cited.inner_text()
    finally:
        page.context.close()


def test_copy_answer_with_its_citations(page):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    answer = ask(page, SARGASSO_QUESTION)
    answer.locator(".copy-answer").click()
    answer.locator(".copy-answer .copy-done").wait_for(state="visible", timeout=5_000)
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith(f"Question: {SARGASSO_QUESTION}")
    assert "4,300 unlicensed transmissions in the maritime bands. [1]" in copied
    assert "[1] C24/INF/77: Sargasso Spectrum Monitoring Pilot, paragraph 2.1, 2024-03-04, en" in copied
    assert "<" not in copied  # text, not markup


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


XSS_NAME = '<img src=x onerror="window.__xss=4">.pdf'
XSS_QUESTION = 'Kelpwave <img src=x onerror="window.__xss=5"> buoys <script>window.__xss=6</script>?'


def test_markup_is_shown_as_text_everywhere(page, tmp_path):
    """Markup in a document's title, heading and text, in a file name, and in a question
    shows as text in the answer, its citation, the documents table, the filters, the
    document view and an upload error; no script runs."""
    path = tmp_path / "kelpwave-network.txt"
    path.write_text(KELPWAVE, encoding="utf-8")
    status = upload(page, path)
    assert "added" in status, status
    page.locator("#documents", has_text="kelpwave-network").wait_for(timeout=10_000)
    assert '<img src=x onerror="window.__xss=2">' in page.locator("#documents").inner_text()  # the title

    # The name in the error message. Gradio's upload already drops < and > from file names
    # (render.upload_summary_html escapes names anyway: test_chat_parts).
    refused = tmp_path / XSS_NAME
    refused.write_bytes(b"MZ\x90\x00 an executable under a document's name")
    status = upload(page, refused)
    assert "onerror=" in status and "not a PDF file" in status, status

    go_to_chat(page)
    answer = ask(page, "How many ocean buoys does the Kelpwave Tidal Telemetry Network link?")
    citation = answer.locator("details.citation").first
    citation.locator("summary").click()
    body = citation.locator(".paragraph-text")
    body.wait_for(state="visible", timeout=5_000)
    assert "<script>window.__xss=1</script>" in body.inner_text()
    assert '<img src=x onerror="window.__xss=2">' in body.inner_text()
    assert '<img src=x onerror="window.__xss=2">' in citation.locator("summary").inner_text()  # the title
    page.locator("#filter-document").click()  # the title in the filter's choices
    page.get_by_role("option", name="kelpwave", exact=False).first.wait_for(timeout=5_000)
    page.keyboard.press("Escape")

    asked = ask(page, XSS_QUESTION)
    assert XSS_QUESTION in page.locator("#chat .question").last.inner_text()
    assert XSS_QUESTION in asked.locator(".copy-text").text_content()

    cited = open_document_from(answer)
    assert "<script>window.__xss=1</script>" in cited.inner_text()
    reader = page.locator("#reader")
    assert '<img src=x onerror="window.__xss=2">' in reader.locator(".reader-title").inner_text()
    assert '<b>network</b> <img src=x onerror="window.__xss=3">' in reader.locator(".reader-heading",
                                                                                 has_text="network").inner_text()
    page.wait_for_timeout(500)  # an <img onerror> would have fired by now
    assert page.locator("img[src='x'], #chat script, #reader script, #reader b, #upload-status img").count() == 0
    assert page.evaluate("() => window.__xss") is None


def test_failed_upload_names_the_file_and_why(page, app, tmp_path):
    path = tmp_path / "broken-report.pdf"
    path.write_bytes(b"%PDF-1.7 this is not really a PDF \x00\x01\x02")
    status = upload(page, path)
    assert "Not indexed" in status and "broken-report.pdf" in status, status
    reason = page.locator("#upload-status .upload-errors li").first.inner_text()
    assert len(reason.split(":", 1)[1].strip()) > 5, reason  # a reason, not only the name
    assert not (app.corpus / "broken-report.pdf").exists()  # a file that cannot be indexed is not kept


def test_a_file_that_is_not_what_its_name_says_is_refused_and_leaves_nothing(page, app, tmp_path):
    before = sorted(p.name for p in app.corpus.iterdir())
    executable = tmp_path / "budget-2025.pdf"
    executable.write_bytes(b"MZ\x90\x00\x03" + bytes(range(256)) * 8)  # a Windows executable's start
    noise = tmp_path / "minutes.txt"
    noise.write_bytes(bytes((i * 97 + 13) % 256 for i in range(4096)))
    for path, reason in ((executable, "not a PDF file"), (noise, "not readable text")):
        status = upload(page, path)
        assert f"{path.name}: {reason}" in status, status
    assert sorted(p.name for p in app.corpus.iterdir()) == before  # no copy, no temporary file
    assert not [p for p in (app.data / "gradio").rglob("*") if p.name in ("budget-2025.pdf", "minutes.txt")]


def test_interface_language_switch(page, app):
    page.get_by_label("العربية").check()
    page.wait_for_function("() => document.querySelector('#send').innerText.includes('اسأل')", timeout=10_000)
    page.get_by_role("tab", name="الوثائق").wait_for(timeout=10_000)
    page.wait_for_function("() => document.querySelector('#filter-document input').value === 'كل الوثائق'",
                           timeout=10_000)
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    assert "lang=ar" in page.url
    assert examples_shown(page, EXAMPLES["ar"])
    answer = ask(page, "متى ستعقد قمة المستقبل؟")
    assert "بحسب الوثائق" in answer.inner_text()

    # remembered: a new page on the plain address opens in Arabic, ?lang=en in English
    again = page.context.new_page()
    again.goto(app.url, wait_until="domcontentloaded")
    again.wait_for_function("() => document.querySelector('#send')?.innerText === 'اسأل'", timeout=VIEW_MS)
    assert again.evaluate("() => document.documentElement.dir") == "rtl"
    again.goto(f"{app.url}?lang=en", wait_until="domcontentloaded")
    again.wait_for_function("() => document.querySelector('#send')?.innerText === 'Ask'", timeout=VIEW_MS)
    assert again.evaluate("() => document.documentElement.dir") == "ltr"
    assert examples_shown(again, EXAMPLES["en"])


def test_api_serves_answer_json(app):
    from gradio_client import Client
    client = Client(app.url, verbose=False)
    result = client.predict("What is CSW67?", api_name="/ask")
    assert result["citations"][0]["paragraph"] == "4.1"
    assert result["mode"] == "extractive" and not result["abstained"]
    follow_up = client.predict("And where was it held?", history=[["What is CSW67?", result["search_query"]]],
                               api_name="/ask")
    assert "CSW67" in follow_up["search_query"]


def test_page_events_are_not_an_api(app, tmp_path):
    """Upload, refresh, the document view...: an HTTP client without the page cookie is
    refused every one of them, however it names them, while /ask answers."""
    import httpx
    from gradio_client import Client

    config = httpx.get(f"{app.url}config").json()
    events = [d for d in config["dependencies"] if d.get("api_visibility") != "public"]
    assert len(events) >= 8
    api = f"{app.url}gradio_api"
    files = {"files": ("note.txt", b"The Council notes the report.", "text/plain")}
    assert httpx.post(f"{api}/upload", files=files).status_code == 403
    for event in events:
        body = {"data": [], "fn_index": event["id"], "session_hash": "outsider1", "event_data": None}
        assert httpx.post(f"{api}/queue/join", json=body).status_code == 403, event
        if event.get("api_name"):
            assert httpx.post(f"{api}/call/{event['api_name']}", json={"data": []}).status_code == 403, event
            assert httpx.post(f"{api}/run/{event['api_name']}", json={"data": []}).status_code == 403, event
        # a public name does not smuggle in another event's id
        assert httpx.post(f"{api}/run/ask", json={"data": [], "fn_index": event["id"]}).status_code == 403
    client = Client(app.url, verbose=False)
    upload_event = next(d["id"] for d in events if d["api_name"] == "add_documents")
    with pytest.raises(ValueError):
        client.predict([], "en", fn_index=upload_event)
    assert client.predict("What is CSW67?", api_name="/ask")["citations"][0]["paragraph"] == "4.1"
    assert not (app.corpus / "note.txt").exists()


def test_chat_off_loopback_refuses_to_start_without_logins(app):
    result = subprocess.run([sys.executable, "-m", "assistant.cli", "chat", "--host", "0.0.0.0",
                             "--port", str(_free_port())], cwd=PROJECT, env=chat_env(app.corpus, app.data),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "COUNCIL_CHAT_AUTH" in result.stderr and "reachable from other machines" in result.stderr


def test_logins_guard_the_page_and_the_api(app):
    """With COUNCIL_CHAT_AUTH set, nothing answers without the login; /ask answers with it."""
    import httpx
    from gradio_client import Client

    with running_chat(app.corpus, app.data, app.root / "chat-auth.log",
                      COUNCIL_CHAT_AUTH="delegate:correct horse battery") as url:
        assert httpx.get(f"{url}config").status_code == 401
        assert httpx.post(f"{url}gradio_api/call/ask", json={"data": ["What is CSW67?"]}).status_code == 401
        with pytest.raises(Exception):
            Client(url, verbose=False)
        with pytest.raises(Exception):
            Client(url, auth=("delegate", "wrong"), verbose=False)
        client = Client(url, auth=("delegate", "correct horse battery"), verbose=False)
        assert client.predict("What is CSW67?", api_name="/ask")["citations"][0]["paragraph"] == "4.1"
