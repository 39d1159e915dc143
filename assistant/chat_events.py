"""What the web chat's controls do and show: the event handlers, wired to the
components that assistant.chat_ui lays out.

Every event is private to the page (api_visibility="private"; access.PageGate
refuses it to any caller without the page cookie); the one API is `ask`.
Behaviour that belongs in the browser (the page direction, the remembered
language, opening a citation, copying an answer) lives in static/page.js; the
`js=` snippets here only call it.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from types import SimpleNamespace

import gradio as gr

from assistant import reader, render
from assistant.chat_app import ChatApp
from assistant.strings import EXAMPLES, STRINGS, language_name, text
from assistant.uploads import Refusal, discard
from index.language import question_language
from index.model import DocumentInfo
from index.retrieve import Filters

UI_LANGUAGES = ("en", "ar")
STREAM_UPDATES = 40          # an answer streams in at most this many steps
STREAM_PAUSE = 0.03          # seconds between steps
WIDE_SCREEN_PX = 768         # from this viewport width the filters start open beside the conversation
CHAT_TAB, DOCS_TAB, READER_TAB = "chat-tab", "docs-tab", "reader-tab"
PRIVATE = {"api_visibility": "private"}

# Calls into static/page.js. A `js=` function's return values are the event's inputs.
JS_PAGE_SETUP = "(language, width, request) => council.pageSetup(language)"
JS_APPLY_LANGUAGE = "(language, at) => [council.applyLanguage(language), at]"
JS_OPENING = "(request, language) => [council.takeOpening(), language]"
JS_SHOW_CITED = "() => council.showCited()"


# --- what each control shows ----------------------------------------------------------

def labels(ui: str) -> dict:
    words = {key: text(key, ui) for key in STRINGS}
    words.update(document=words["filter_document"], language=words["filter_language"], year=words["filter_year"])
    return words


def language_choices() -> list[tuple[str, str]]:
    """Each interface language named in itself."""
    return [(language_name(code, code), code) for code in UI_LANGUAGES]


def ui_language(value: str | None) -> str:
    return value if value in UI_LANGUAGES else UI_LANGUAGES[0]


def filter_choices(catalog: list[DocumentInfo], ui: str) -> dict[str, list[tuple[str, str]]]:
    words = labels(ui)
    documents = [(f"{d.id} — {d.title[:60]}" if d.title else d.id, d.id) for d in catalog]
    languages = sorted({d.language for d in catalog if d.language})
    years = sorted({d.year for d in catalog if d.year}, reverse=True)
    return {
        "document": [(words["all_documents"], "")] + documents,
        "language": [(words["all_languages"], "")] + [(f"{language_name(code, ui)} ({code})", code)
                                                      for code in languages],
        "year": [(words["all_years"], "")] + [(y, y) for y in years],
    }


def filters_from(document: str | None, language: str | None, year: str | int | None) -> Filters:
    year = str(year or "").strip()
    return Filters(document=document or "", language=language or "", year=int(year) if year.isdigit() else 0)


def mode_text(mode: str, ui: str) -> str:
    return f"{labels(ui)['mode']}: `{mode}`"


def example_samples(ui: str) -> list[list[str]]:
    return [[question] for question in EXAMPLES[ui]]


def stream_steps(text: str) -> list[str]:
    """Growing prefixes of the answer, a word (or a few) at a time."""
    words = re.findall(r"\S+\s*", text)
    step = max(1, -(-len(words) // STREAM_UPDATES))
    return ["".join(words[:end]) for end in range(step, len(words) + step, step)]


# --- the events ------------------------------------------------------------------------

def wire(app: ChatApp, ui: SimpleNamespace, demo: gr.Blocks) -> None:
    """Handlers are closures over `app`; they return values or gr.update()s."""

    def respond(text, chat, earlier, document, language, year):
        yield from answer_stream(app, text, chat, earlier, filters_from(document, language, year))

    ask_inputs = [ui.question, ui.chatbot, ui.turns, ui.document, ui.language, ui.year]
    ask_outputs = [ui.chatbot, ui.turns, ui.question]
    ui.question.submit(respond, ask_inputs, ask_outputs, show_progress="hidden", **PRIVATE)
    ui.send.click(respond, ask_inputs, ask_outputs, show_progress="hidden", **PRIVATE)
    ui.clear.click(lambda: ([], [], ""), None, [ui.chatbot, ui.turns, ui.question], **PRIVATE)

    listing = [ui.table, ui.document, ui.language, ui.year]

    def add_documents(files, language, progress=gr.Progress()):
        status = index_uploads(app, files or [], language, progress)
        return (status, None, *refresh_updates(app, language))

    ui.upload.upload(add_documents, [ui.upload, ui.ui_language], [ui.upload_status, ui.upload, *listing], **PRIVATE)
    ui.refresh.click(lambda language: refresh_updates(app, language), [ui.ui_language], listing, **PRIVATE)

    def open_document(request, language):
        at = opening(request)
        return reader_html(app, at, ui_language(language)), at, gr.Tabs(selected=READER_TAB)

    reader_outputs = [ui.reader, ui.reader_at, ui.tabs]
    ui.reader_open.click(open_document, [ui.reader_request, ui.ui_language], reader_outputs, js=JS_OPENING,
                         **PRIVATE).then(None, js=JS_SHOW_CITED)
    ui.back.click(lambda: gr.Tabs(selected=CHAT_TAB), None, [ui.tabs], **PRIVATE)

    def page_setup(language, width, request):
        """On load: the remembered interface language, the filters folded on a small
        screen, the documents added since the app started, and the document view when
        the address names a paragraph (?doc=...&p=...)."""
        language = ui_language(language)
        at = opening(request)
        shown = (reader_html(app, at, language), at, gr.Tabs(selected=READER_TAB)) if at else (gr.update(),) * 3
        return (language, gr.update(open=(width or 0) >= WIDE_SCREEN_PX), *shown, *refresh_updates(app, language))

    demo.load(page_setup, [ui.ui_language, ui.viewport, ui.reader_request],
              [ui.ui_language, ui.filters, *reader_outputs, *listing], js=JS_PAGE_SETUP,
              **PRIVATE).then(None, js=JS_SHOW_CITED)

    labelled = {"title": ui.title, "ui_language": ui.ui_language, "chat_tab": ui.chat_tab, "docs_tab": ui.docs_tab,
                "reader_tab": ui.reader_tab, "chatbot": ui.chatbot, "question": ui.question, "send": ui.send,
                "clear": ui.clear, "examples": ui.examples.dataset, "filters": ui.filters, "mode": ui.mode,
                "docs_intro": ui.docs_intro, "upload": ui.upload, "refresh": ui.refresh, "back": ui.back}

    def relabel(language, at):
        language = ui_language(language)
        updates = {labelled[name]: update for name, update in label_updates(language, app.mode).items()}
        return {**updates, ui.reader: reader_html(app, at, language),
                **dict(zip(listing, refresh_updates(app, language)))}

    ui.ui_language.change(relabel, [ui.ui_language, ui.reader_at], [*labelled.values(), ui.reader, *listing],
                          js=JS_APPLY_LANGUAGE, **PRIVATE)


def api_ask(app: ChatApp):
    def ask(question: str, document: str = "", language: str = "", year: str = "", k: int = 5,
            history: list[list[str]] | None = None) -> dict:
        """Answer a question from the indexed Council documents: Answer.to_json(). Filters
        are optional; history holds earlier [question, search_query] pairs (each answer's
        search_query) so that a follow-up question builds on them."""
        turns = [(q, s) for q, s in (history or [])]
        return app.ask(question, filters_from(document, language, year), turns, k).to_json()
    return ask


def answer_stream(app: ChatApp, text: str, chat: list, earlier: list, filters: Filters):
    """Yield (chat, turns, question box) as the answer streams in, then the final
    rendering with citations."""
    text = (text or "").strip()
    if not text:
        yield chat, earlier, ""
        return
    language = question_language(text)
    chat = list(chat or []) + [{"role": "user", "content": render.question_html(text)},
                               {"role": "assistant", "content": render.pending_html(language)}]
    yield chat, earlier, ""
    history = [tuple(turn) for turn in earlier or []]
    try:
        answer = app.ask(text, filters, history)
    except Exception as error:  # show it in the conversation; the app keeps running
        chat[-1]["content"] = render.streaming_html(labels(language)["error"].format(error=error), language)
        yield chat, earlier, ""
        return
    for partial in stream_steps(answer.text):
        chat[-1]["content"] = render.streaming_html(partial, answer.language)
        yield chat, earlier, ""
        time.sleep(STREAM_PAUSE)
    chat[-1]["content"] = render.answer_html(answer)
    yield chat, list(earlier or []) + [[text, answer.search_query]], ""


# --- the document view -------------------------------------------------------------------

def opening(request: str | None) -> dict | None:
    """{"document", "paragraph"} from the page script's JSON, or None."""
    try:
        at = json.loads(request or "null")
    except ValueError:
        return None
    if not isinstance(at, dict) or not isinstance(at.get("document"), str) or not at["document"]:
        return None
    paragraph = at.get("paragraph")
    return {"document": at["document"], "paragraph": paragraph if isinstance(paragraph, str) else ""}


def reader_html(app: ChatApp, at: dict | None, ui: str) -> str:
    if not at:
        return reader.notice_html(labels(ui)["reader_empty"], ui)
    paragraphs, versions = app.document(at["document"])
    return reader.document_html(paragraphs, at["paragraph"], versions, ui)


# --- the documents tab -------------------------------------------------------------------

def index_uploads(app: ChatApp, files: list, ui: str, progress) -> str:
    """Check, store and index the uploaded files, and describe the outcome. The web
    server's own copies are removed whatever happens to them."""
    words = labels(ui)
    if not files:
        return render.upload_summary_html([words["nothing"]], [], ui)
    paths = [Path(file if isinstance(file, str) else file.name) for file in files]
    progress(0, desc=words["indexing"])

    def report(done: int, total: int) -> None:
        progress((done, total) if total else 0, desc=words["indexing"], unit="chunks")

    try:
        outcome = app.add_uploads([(path, path.name) for path in paths], report)
    finally:
        temp_root = Path(os.environ.get("GRADIO_TEMP_DIR", ""))
        for path in paths:
            discard(path, temp_root)
    lines = [words["summary"].format(**outcome.summary.to_json())] if outcome.summary else []
    lines += [words["saved_as"].format(name=name, saved=saved) for name, saved in outcome.renamed]
    failures = [(name, text(why.key, ui, **why.values) if isinstance(why, Refusal) else why)
                for name, why in outcome.failed]
    if failures:
        lines.append(words["failed"])
    return render.upload_summary_html(lines, failures, ui)


def refresh_updates(app: ChatApp, ui: str) -> list:
    """The documents table and the three filters, rebuilt from the index."""
    catalog = app.catalog()
    choices = filter_choices(catalog, ui)
    words = labels(ui)
    return [render.documents_html(catalog, ui),
            gr.update(choices=choices["document"], label=words["document"]),
            gr.update(choices=choices["language"], label=words["language"]),
            gr.update(choices=choices["year"], label=words["year"])]


def label_updates(ui: str, mode: str) -> dict[str, dict]:
    """Every interface label in the chosen language, by control name. Components that
    set their own direction (Markdown, Textbox, Chatbot) are told it too."""
    words, rtl = labels(ui), ui == "ar"
    return {
        "title": gr.update(value=words["title"], rtl=rtl),
        "ui_language": gr.update(label=words["ui_language"]),
        "chat_tab": gr.update(label=words["tab_chat"]),
        "docs_tab": gr.update(label=words["tab_docs"]),
        "reader_tab": gr.update(label=words["tab_reader"]),
        "chatbot": gr.update(label=words["chatbot"], rtl=rtl),
        "question": gr.update(label=words["question"], placeholder=words["placeholder"], rtl=rtl),
        "send": gr.update(value=words["send"]),
        "clear": gr.update(value=words["clear"]),
        "examples": gr.update(label=words["examples"], samples=example_samples(ui)),
        "filters": gr.update(label=words["filters"]),
        "mode": gr.update(value=mode_text(mode, ui), rtl=rtl),
        "docs_intro": gr.update(value=words["docs_intro"], rtl=rtl),
        "upload": gr.update(label=words["upload"]),
        "refresh": gr.update(value=words["refresh"]),
        "back": gr.update(value=words["back_to_chat"]),
    }
