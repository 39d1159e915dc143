"""The web chat: a Gradio Blocks page over one ChatApp.

This module places the components and serves the page; assistant.chat_events
says what they do, assistant.render and assistant.reader what they show, and
static/page.css and static/page.js make one page of it from 360 px phones to wide
screens, left to right in English and mirrored in Arabic. Answers run
concurrently (the index and the embedder are safe to share between threads; the
embedder serializes its own model calls), so one user's streaming answer never
holds up another's.

Gradio's API serves the same answers: the `ask` endpoint returns Answer.to_json().
Nothing else is callable from outside the page (assistant.access).
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from types import SimpleNamespace

from index.config import Config

# Gradio reads its temp folder when it is imported; keep it with the index.
os.environ.setdefault("GRADIO_TEMP_DIR", str(Config.from_env().data_dir / "gradio"))

import gradio as gr  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from assistant import reader, render  # noqa: E402
from assistant.access import LOOPBACK_NAMES, PageGate, is_loopback  # noqa: E402
from assistant.chat_app import ChatApp  # noqa: E402
from assistant.chat_events import (CHAT_TAB, DOCS_TAB, READER_TAB, api_ask, example_samples,  # noqa: E402
                                   filter_choices, labels, language_choices, mode_text, wire)
from assistant.uploads import MEGABYTE, UPLOAD_TYPES  # noqa: E402

CONCURRENT_REQUESTS = 32     # requests served at once: a streaming answer mostly waits, it does not compute
STATIC = Path(__file__).resolve().parent / "static"
CHAT_HEIGHT = "clamp(320px, 62vh, 640px)"  # the conversation fills most of a phone screen, not all of it


def build_ui(app: ChatApp) -> gr.Blocks:
    with gr.Blocks(title="ITU Council assistant", delete_cache=(3600, 86400)) as demo:
        ui = layout(app)
        wire(app, ui, demo)
        gr.api(api_ask(app), api_name="ask")
    return demo


def layout(app: ChatApp) -> SimpleNamespace:
    """The components, placed; no behaviour. Labels start in English; page_setup
    (chat_events) switches them when the page loads in Arabic."""
    words = labels("en")
    catalog = app.catalog()
    choices = filter_choices(catalog, "en")
    ui = SimpleNamespace(turns=gr.State([]),       # [question, search query] of earlier answers: follow-ups use them
                         reader_at=gr.State(None))  # {"document", "paragraph"} the document view shows
    with gr.Row(elem_id="header"):
        ui.title = gr.Markdown(words["title"], elem_id="title")
        ui.ui_language = gr.Radio(language_choices(), value="en", label=words["ui_language"], elem_id="ui-language",
                                  scale=0, min_width=200)
    with gr.Tabs(elem_id="tabs", selected=CHAT_TAB) as ui.tabs:
        with gr.Tab(words["tab_chat"], id=CHAT_TAB, elem_id="chat-tab") as ui.chat_tab:
            with gr.Row(elem_id="chat-row"):
                with gr.Column(scale=4, min_width=300, elem_id="conversation"):
                    ui.chatbot = gr.Chatbot(label=words["chatbot"], elem_id="chat", height=CHAT_HEIGHT,
                                            render_markdown=False, sanitize_html=True, allow_tags=False,
                                            latex_delimiters=[], feedback_options=None, buttons=[])
                    with gr.Row(elem_id="ask-row"):
                        ui.question = gr.Textbox(label=words["question"], placeholder=words["placeholder"],
                                                 elem_id="question", scale=5, lines=1, max_lines=4, min_width=200)
                        ui.send = gr.Button(words["send"], variant="primary", elem_id="send", scale=1, min_width=88)
                    ui.clear = gr.Button(words["clear"], elem_id="clear", size="sm")
                    ui.examples = gr.Examples(example_samples("en"), inputs=[ui.question], label=words["examples"],
                                              elem_id="examples")
                with gr.Column(scale=1, min_width=240, elem_id="sidebar"):
                    with gr.Accordion(words["filters"], open=True, elem_id="filters") as ui.filters:
                        ui.document = gr.Dropdown(choices["document"], value="", label=words["document"],
                                                  elem_id="filter-document")
                        ui.language = gr.Dropdown(choices["language"], value="", label=words["language"],
                                                  elem_id="filter-language")
                        ui.year = gr.Dropdown(choices["year"], value="", label=words["year"], elem_id="filter-year")
                    ui.mode = gr.Markdown(mode_text(app.mode, "en"), elem_id="mode")
        with gr.Tab(words["tab_docs"], id=DOCS_TAB, elem_id="docs-tab") as ui.docs_tab:
            ui.docs_intro = gr.Markdown(words["docs_intro"])
            ui.upload = gr.File(label=words["upload"], file_count="multiple", file_types=list(UPLOAD_TYPES),
                                elem_id="upload")
            ui.upload_status = gr.HTML("", elem_id="upload-status")
            ui.table = gr.HTML(render.documents_html(catalog, "en"), elem_id="documents")
            ui.refresh = gr.Button(words["refresh"], size="sm", elem_id="refresh")
        with gr.Tab(words["tab_reader"], id=READER_TAB, elem_id="reader-tab") as ui.reader_tab:
            ui.back = gr.Button(words["back_to_chat"], size="sm", elem_id="back-to-chat")
            ui.reader = gr.HTML(reader.notice_html(words["reader_empty"], "en"), elem_id="reader")
    # Present in the page, never shown: page.js feeds them (see chat_events.JS_*).
    ui.viewport = gr.Number(visible="hidden", elem_id="viewport-width")
    ui.reader_request = gr.Textbox(visible="hidden", elem_id="reader-request")
    ui.reader_open = gr.Button(visible="hidden", elem_id="reader-open")
    return ui


def public_endpoints(demo: gr.Blocks) -> dict[int, str]:
    """The ids (what a queue/join call names as fn_index) and api names of the events an API
    client may call."""
    return {fn._id: fn.api_name for fn in demo.fns.values() if fn.api_visibility == "public"}


def launch(app: ChatApp, host: str = "127.0.0.1", port: int = 7860,
           logins: list[tuple[str, str]] | None = None, **kwargs) -> gr.Blocks:
    demo = build_ui(app)
    demo.queue(default_concurrency_limit=CONCURRENT_REQUESTS)
    gate = Middleware(PageGate, public=public_endpoints(demo), token=secrets.token_urlsafe(32),
                      hosts=LOOPBACK_NAMES | {host} if is_loopback(host) else None)
    script = (STATIC / "page.js").read_text(encoding="utf-8")
    demo.launch(server_name=host, server_port=port, share=False, auth=logins, theme=gr.themes.Soft(),
                css=(STATIC / "page.css").read_text(encoding="utf-8"), head=f"<script>{script}</script>",
                app_kwargs={"middleware": [gate]}, max_file_size=app.config.upload_max_mb * MEGABYTE,
                show_error=True, **kwargs)
    return demo
