"""The web chat: a Gradio Blocks app over one Assistant.

Layout lives in build_ui(); what the page shows is rendered by assistant.render;
the work (answering, indexing, listing documents) goes through ChatApp. Answers
run concurrently (the index and the embedder are safe to share between threads;
the embedder serializes its own model calls), so one user's streaming answer
never holds up another's.

Gradio's API serves the same answers: the `ask` endpoint returns Answer.to_json().
"""
from __future__ import annotations

import filecmp
import os
import re
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

from index.config import Config

# Gradio reads its temp folder when it is imported; keep it with the index.
os.environ.setdefault("GRADIO_TEMP_DIR", str(Config.from_env().data_dir / "gradio"))

import gradio as gr  # noqa: E402

from assistant import render  # noqa: E402
from assistant.answer import Assistant  # noqa: E402
from assistant.model import Answer  # noqa: E402
from assistant.strings import STRINGS, language_name, text  # noqa: E402
from index.language import question_language  # noqa: E402
from index.model import DocumentInfo  # noqa: E402
from index.retrieve import Filters  # noqa: E402
from index.sync import Summary  # noqa: E402

UPLOAD_TYPES = [".txt", ".docx", ".pdf", ".html", ".htm"]
STREAM_UPDATES = 40          # an answer streams in at most this many steps
STREAM_PAUSE = 0.03          # seconds between steps
CONCURRENT_REQUESTS = 32     # requests served at once: a streaming answer mostly waits, it does not compute

EXAMPLES = [
    "When was the policy brief on the Global Digital Compact released?",
    "ما هو CSW67؟",
    "What does resolution 76/307 decide?",
    "متى ستعقد قمة المستقبل؟",
]

CSS = """
#chat [dir], #upload-status [dir] { text-align: start; }  /* Gradio aligns message text left; RTL blocks start right */
#chat .answer-line { margin: 0.15em 0; }
#chat .marker { font-weight: 600; color: var(--color-accent); }
#chat details { margin: 0.4em 0; border: 1px solid var(--border-color-primary); border-radius: 6px; padding: 0.3em 0.6em; }
#chat summary { cursor: pointer; font-weight: 600; }
#chat .paragraph-text { margin-top: 0.4em; line-height: 1.6; }
#chat mark { background: #fde68a; color: inherit; padding: 0 0.1em; }
#chat .source { font-size: 0.85em; opacity: 0.75; margin-top: 0.3em; }
#chat .answer-pending { opacity: 0.7; font-style: italic; }
#question textarea { unicode-bidi: plaintext; text-align: start; }  /* typed Arabic runs right to left */
"""


# --- the work behind the page --------------------------------------------------------

class ChatApp:
    """One Assistant per app, shared by every request."""

    def __init__(self, config: Config):
        self.config = config
        self.assistant = Assistant(config)
        self.index = self.assistant.index

    @property
    def mode(self) -> str:
        return self.assistant.mode

    def ask(self, question: str, filters: Filters = Filters(), history: list[tuple[str, str]] | None = None,
            k: int | None = None) -> Answer:
        return self.assistant.ask(question, k or self.config.k, filters, history or [])

    def catalog(self) -> list[DocumentInfo]:
        return self.index.catalog()

    def sync(self, paths: list[Path], progress=lambda done, total: None) -> Summary:
        """Index.sync on a thread of its own; progress(done, total) is called on the
        caller's thread (Gradio's progress tracker belongs to the request)."""
        state = {"done": 0, "total": 0, "summary": None, "error": None}

        def run() -> None:
            try:
                state["summary"] = self.index.sync(paths, lambda done, total: state.update(done=done, total=total))
            except Exception as error:  # raised again on the caller's thread
                state["error"] = error

        worker = threading.Thread(target=run, name="council-sync", daemon=True)
        worker.start()
        while worker.is_alive():
            progress(state["done"], state["total"])
            worker.join(0.2)
        if state["error"] is not None:
            raise state["error"]
        return state["summary"]

    def index_corpus(self) -> Summary | None:
        """Bring the index in line with config.corpus_dir (cheap when nothing changed)."""
        if not self.config.corpus_dir.is_dir():
            return None
        return self.sync([self.config.corpus_dir])


def document_rows(catalog: list[DocumentInfo]) -> list[dict]:
    """One row per indexed document."""
    return [{"document": d.id, "title": d.title, "language": d.language, "date": d.date, "year": d.year,
             "paragraphs": d.paragraphs, "indexed_at": d.indexed_at} for d in catalog]


def place_upload(source: Path, corpus_dir: Path, taken_ids: set[str] = frozenset()) -> tuple[Path, bool]:
    """Copy an uploaded file into the corpus without overwriting or shadowing another.
    Returns (where it is, whether a new file was written). The same bytes under the
    same name reuse the existing file. Otherwise a name whose stem is taken (report.txt
    when report.txt or report.docx exists, or a document with id "report" is indexed:
    a file's stem is its document id) becomes report-2.txt, report-3.txt, ..."""
    name = re.sub(r"^[.\s]+", "", Path(source.name).name) or "document.txt"  # dotfiles are not indexed
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, n = stem, 2
    while True:
        target = corpus_dir / f"{candidate}{suffix}"
        if target.is_file() and filecmp.cmp(source, target, shallow=False):
            return target, False
        if candidate not in taken_ids and not _stem_in_use(corpus_dir, candidate):
            break
        candidate, n = f"{stem}-{n}", n + 1
    corpus_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target, True


def _stem_in_use(folder: Path, stem: str) -> bool:
    return folder.is_dir() and any(p.stem == stem for p in folder.iterdir() if p.suffix.lower() in UPLOAD_TYPES)


# --- what each control shows ------------------------------------------------------------

def labels(ui: str) -> dict:
    words = {key: text(key, ui) for key in STRINGS}
    words.update(document=words["filter_document"], language=words["filter_language"], year=words["filter_year"],
                 columns=[words[f"col_{c}"] for c in ("document", "title", "language", "date", "paragraphs", "indexed")])
    return words


def filter_choices(rows: list[dict], ui: str) -> dict[str, list[tuple[str, str]]]:
    words = labels(ui)
    documents = [(f"{r['document']} — {r['title'][:60]}" if r["title"] else r["document"], r["document"]) for r in rows]
    languages = sorted({r["language"] for r in rows if r["language"]})
    years = sorted({str(r["year"]) for r in rows if r["year"]}, reverse=True)
    return {
        "document": [(words["all_documents"], "")] + documents,
        "language": [(words["all_languages"], "")] + [(f"{language_name(code, ui)} ({code})", code)
                                                      for code in languages],
        "year": [(words["all_years"], "")] + [(y, y) for y in years],
    }


def documents_table(rows: list[dict], ui: str) -> dict:
    """Dataframe value: localized headers, one row per document."""
    keys = ["document", "title", "language", "date", "paragraphs", "indexed_at"]
    return {"headers": labels(ui)["columns"], "data": [[row[k] for k in keys] for row in rows]}


def filters_from(document: str | None, language: str | None, year: str | int | None) -> Filters:
    year = str(year or "").strip()
    return Filters(document=document or "", language=language or "", year=int(year) if year.isdigit() else 0)


def mode_text(mode: str, ui: str) -> str:
    return f"{labels(ui)['mode']}: `{mode}`"


def stream_steps(text: str) -> list[str]:
    """Growing prefixes of the answer, a word (or a few) at a time."""
    words = re.findall(r"\S+\s*", text)
    step = max(1, -(-len(words) // STREAM_UPDATES))
    return ["".join(words[:end]) for end in range(step, len(words) + step, step)]


# --- the page ---------------------------------------------------------------------------------

def build_ui(app: ChatApp) -> gr.Blocks:
    with gr.Blocks(title="ITU Council assistant", delete_cache=(3600, 86400)) as demo:
        ui = layout(app)
        wire(app, ui, demo)
        gr.api(api_ask(app), api_name="ask")
    return demo


def layout(app: ChatApp) -> SimpleNamespace:
    """The components, placed; no behaviour. Labels start in English."""
    words = labels("en")
    rows = document_rows(app.catalog())
    choices = filter_choices(rows, "en")
    ui = SimpleNamespace(turns=gr.State([]))  # [question, search query] of earlier answers: follow-ups use them
    with gr.Row(equal_height=True):
        ui.title = gr.Markdown(words["title"], elem_id="title")
        ui.ui_language = gr.Radio([("English", "en"), ("العربية", "ar")], value="en", elem_id="ui-language",
                                  label="Interface language · لغة الواجهة", scale=0, min_width=220)
    with gr.Tabs():
        with gr.Tab(words["tab_chat"], id="chat-tab") as ui.chat_tab:
            with gr.Row():
                with gr.Column(scale=4):
                    ui.chatbot = gr.Chatbot(label=words["chatbot"], elem_id="chat", height=560,
                                            render_markdown=False, sanitize_html=True, allow_tags=False,
                                            latex_delimiters=[], feedback_options=None)
                    with gr.Row():
                        ui.question = gr.Textbox(label=words["question"], placeholder=words["placeholder"],
                                                 elem_id="question", scale=5, lines=1, max_lines=4)
                        ui.send = gr.Button(words["send"], variant="primary", elem_id="send", scale=1)
                    ui.clear = gr.Button(words["clear"], elem_id="clear", size="sm")
                    ui.examples = gr.Examples([[q] for q in EXAMPLES], inputs=[ui.question], label=words["examples"])
                with gr.Column(scale=1, min_width=240):
                    with gr.Accordion(words["filters"], open=True) as ui.filters:
                        ui.document = gr.Dropdown(choices["document"], value="", label=words["document"],
                                                  elem_id="filter-document")
                        ui.language = gr.Dropdown(choices["language"], value="", label=words["language"],
                                                  elem_id="filter-language")
                        ui.year = gr.Dropdown(choices["year"], value="", label=words["year"], elem_id="filter-year")
                    ui.mode = gr.Markdown(mode_text(app.mode, "en"), elem_id="mode")
        with gr.Tab(words["tab_docs"], id="docs-tab") as ui.docs_tab:
            ui.docs_intro = gr.Markdown(words["docs_intro"])
            ui.upload = gr.File(label=words["upload"], file_count="multiple", file_types=UPLOAD_TYPES,
                                elem_id="upload")
            ui.upload_status = gr.HTML("", elem_id="upload-status")
            ui.table = gr.Dataframe(value=documents_table(rows, "en"), label=words["table"], interactive=False,
                                    elem_id="documents", wrap=True, show_search="search",
                                    column_widths=["22%", "36%", "8%", "10%", "9%", "15%"])
            ui.refresh = gr.Button(words["refresh"], size="sm", elem_id="refresh")
    return ui


def wire(app: ChatApp, ui: SimpleNamespace, demo: gr.Blocks) -> None:
    """The events. Handlers are closures over `app`; they return values or gr.update()s."""
    private = {"api_visibility": "private"}  # the API is `ask` (api_ask), not the page's own events

    def respond(text, chat, earlier, document, language, year):
        yield from answer_stream(app, text, chat, earlier, filters_from(document, language, year))

    ask_inputs = [ui.question, ui.chatbot, ui.turns, ui.document, ui.language, ui.year]
    ask_outputs = [ui.chatbot, ui.turns, ui.question]
    ui.question.submit(respond, ask_inputs, ask_outputs, show_progress="hidden", **private)
    ui.send.click(respond, ask_inputs, ask_outputs, show_progress="hidden", **private)
    ui.clear.click(lambda: ([], [], ""), None, [ui.chatbot, ui.turns, ui.question], **private)

    listing = [ui.table, ui.document, ui.language, ui.year]

    def refreshed(language):
        return refresh_updates(app, language)

    def add_documents(files, language, progress=gr.Progress()):
        status = index_uploads(app, files or [], language, progress)
        return (status, None, *refresh_updates(app, language))

    ui.upload.upload(add_documents, [ui.upload, ui.ui_language], [ui.upload_status, ui.upload, *listing], **private)
    ui.refresh.click(refreshed, [ui.ui_language], listing, **private)
    demo.load(refreshed, [ui.ui_language], listing, **private)  # documents added since the app started

    labelled = {"title": ui.title, "chat_tab": ui.chat_tab, "docs_tab": ui.docs_tab, "chatbot": ui.chatbot,
                "question": ui.question, "send": ui.send, "clear": ui.clear, "examples": ui.examples.dataset,
                "filters": ui.filters, "mode": ui.mode, "docs_intro": ui.docs_intro, "upload": ui.upload,
                "refresh": ui.refresh}

    def relabel(language):
        updates = {labelled[name]: update for name, update in label_updates(language, app.mode).items()}
        return {**updates, **dict(zip(listing, refresh_updates(app, language)))}

    ui.ui_language.change(relabel, [ui.ui_language], [*labelled.values(), *listing], **private)


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
    chat = list(chat or []) + [{"role": "user", "content": render.question_html(text)},
                               {"role": "assistant", "content": render.pending_html(question_language(text))}]
    yield chat, earlier, ""
    history = [tuple(turn) for turn in earlier or []]
    try:
        answer = app.ask(text, filters, history)
    except Exception as error:  # show it in the conversation; the app keeps running
        chat[-1]["content"] = render.streaming_html(f"Error: {error}", "en")
        yield chat, earlier, ""
        return
    for partial in stream_steps(answer.text):
        chat[-1]["content"] = render.streaming_html(partial, answer.language)
        yield chat, earlier, ""
        time.sleep(STREAM_PAUSE)
    chat[-1]["content"] = render.answer_html(answer)
    yield chat, list(earlier or []) + [[text, answer.search_query]], ""


def index_uploads(app: ChatApp, files: list, ui: str, progress) -> str:
    """Copy the uploaded files into the corpus, index them, and describe the outcome."""
    words = labels(ui)
    if not files:
        return render.upload_summary_html([words["nothing"]], [], ui)
    notes, placed = [], {}
    taken = {row["document"] for row in document_rows(app.catalog())}
    for file in files:
        source = Path(file if isinstance(file, str) else file.name)
        target, written = place_upload(source, app.config.corpus_dir, taken)
        taken.add(target.stem)
        placed[str(target.resolve())] = (target, written)
        if target.name != source.name:
            notes.append(words["saved_as"].format(name=source.name, saved=target.name))
    progress(0, desc=words["indexing"])

    def report(done: int, total: int) -> None:
        progress((done, total) if total else 0, desc=words["indexing"], unit="chunks")

    summary = app.sync([target for target, _ in placed.values()], report)
    failures = []
    for error in summary.errors:
        target, written = placed.get(str(Path(error["path"]).resolve()), (Path(error["path"]), False))
        failures.append((target.name, error["error"]))
        if written:  # a copy that cannot be indexed would fail again at every start
            target.unlink(missing_ok=True)
    lines = [words["summary"].format(**summary.to_json())] + notes
    if failures:
        lines.append(words["failed"])
    return render.upload_summary_html(lines, failures, ui)


def refresh_updates(app: ChatApp, ui: str) -> list:
    """The documents table and the three filters, rebuilt from the index."""
    rows = document_rows(app.catalog())
    choices = filter_choices(rows, ui)
    words = labels(ui)
    return [gr.update(value=documents_table(rows, ui), label=words["table"]),
            gr.update(choices=choices["document"], label=words["document"]),
            gr.update(choices=choices["language"], label=words["language"]),
            gr.update(choices=choices["year"], label=words["year"])]


def label_updates(ui: str, mode: str) -> dict[str, dict]:
    """Every interface label in the chosen language, by control name."""
    words = labels(ui)
    return {
        "title": gr.update(value=words["title"], rtl=ui == "ar"),
        "chat_tab": gr.update(label=words["tab_chat"]),
        "docs_tab": gr.update(label=words["tab_docs"]),
        "chatbot": gr.update(label=words["chatbot"]),
        "question": gr.update(label=words["question"], placeholder=words["placeholder"]),
        "send": gr.update(value=words["send"]),
        "clear": gr.update(value=words["clear"]),
        "examples": gr.update(label=words["examples"]),
        "filters": gr.update(label=words["filters"]),
        "mode": gr.update(value=mode_text(mode, ui)),
        "docs_intro": gr.update(value=words["docs_intro"], rtl=ui == "ar"),
        "upload": gr.update(label=words["upload"]),
        "refresh": gr.update(value=words["refresh"]),
    }


def launch(app: ChatApp, host: str = "127.0.0.1", port: int = 7860, **kwargs) -> gr.Blocks:
    demo = build_ui(app)
    demo.queue(default_concurrency_limit=CONCURRENT_REQUESTS)
    demo.launch(server_name=host, server_port=port, share=False, theme=gr.themes.Soft(), css=CSS,
                show_error=True, **kwargs)
    return demo
