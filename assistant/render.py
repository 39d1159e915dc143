"""Answers, citations and upload summaries as HTML for the web chat.

Every piece of document or user text goes through html.escape here, before it
is put in markup: a document that contains <script> or <img onerror> shows it as
text. Gradio's own sanitizer is a second line, not the first. Every text block
carries a direction (dir="auto", or rtl for Arabic) so Arabic reads right to
left and English left to right, block by block, in a mixed conversation.

The page's script (assistant/static/page.js) gives the markup made here its
behaviour: an `a.open-document` opens the document view at the paragraph its
address names, a `button.copy-answer` copies the `.copy-text` of its answer.
(Gradio's sanitizer drops data-* attributes from chat messages: addresses and
classes carry what the script needs.)
"""
from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from assistant.model import MARKER, Answer, Citation
from assistant.sources import paragraph_number, plain_text, source_name
from assistant.strings import language_name, text as words
from index.model import DocumentInfo, Hit
from index.sentences import split_sentences

CLOSEST_SHOWN = 3  # paragraphs listed under an abstention


def esc(text: str) -> str:
    return html.escape(text or "", quote=True)


def text_html(text: str) -> str:
    """Escaped text whose line breaks survive (no blank lines: the chat's renderer
    must see one HTML block)."""
    return "<br>".join(esc(line) for line in (text or "").split("\n"))


def direction(language: str) -> str:
    return "rtl" if language == "ar" else "ltr"


def _block(inner_html: str, css_class: str, dir_: str = "auto", lang: str = "") -> str:
    lang_attr = f' lang="{esc(lang)}"' if lang else ""
    return f'<div class="{css_class}" dir="{dir_}"{lang_attr}>{inner_html}</div>'


# --- the user's side ---------------------------------------------------------------

def question_html(question: str) -> str:
    return _block(text_html(question), "question")


# --- the answer, while it streams and when it is done ------------------------------

def pending_html(language: str) -> str:
    return _block(esc(words("thinking", language)), "answer answer-pending", direction(language), language)


def streaming_html(partial_text: str, language: str) -> str:
    """The answer text received so far: escaped, one block per line."""
    return _block(_answer_lines(partial_text), "answer answer-streaming", direction(language), language)


def answer_html(answer: Answer) -> str:
    """The final rendering: the answer with its [n] markers, then one expandable
    citation per marker; or, when abstaining, the message and the closest paragraphs."""
    parts = [_answer_lines(answer.text)]
    if answer.unsupported:
        parts.append(_unsupported_html(answer))
    if answer.citations:
        parts.append('<div class="citations">' + "".join(citation_html(c, answer.language)
                                                          for c in answer.citations) + "</div>")
    if answer.abstained and answer.retrieved:
        parts.append('<div class="closest">' + "".join(
            hit_details_html(hit, f"{n}.", answer.language, css_class="closest-paragraph")
            for n, hit in enumerate(answer.retrieved[:CLOSEST_SHOWN], 1)) + "</div>")
    parts.append(copy_html(answer))
    state = "answer-abstained" if answer.abstained else "answer-cited"
    return _block("".join(parts), f"answer answer-final {state}", direction(answer.language), answer.language)


def copy_html(answer: Answer) -> str:
    """A button that copies the answer with its sources as plain text (assistant.sources),
    which travels with the answer in an element the page does not display. The button
    holds both its labels; the page shows the second once it has copied."""
    return (f'<div class="answer-tools"><button type="button" class="copy-answer">'
            f'<span class="copy-label">{esc(words("copy", answer.language))}</span>'
            f'<span class="copy-done">{esc(words("copied", answer.language))}</span></button></div>'
            f'<pre class="copy-text" dir="auto">{esc(plain_text(answer))}</pre>')


def _answer_lines(text: str) -> str:
    return "".join(_block(_with_markers(line), "answer-line") for line in text.split("\n") if line.strip())


def _with_markers(line: str) -> str:
    """Escape a line, then make its [n] markers stand out (digits only: safe)."""
    return MARKER.sub(r'<span class="marker">[\1]</span>', esc(line))


def _unsupported_html(answer: Answer) -> str:
    items = "".join(f'<li dir="auto">{esc(s)}</li>' for s in answer.unsupported)
    return (f'<div class="unsupported" dir="auto"><strong>{esc(words("unsupported", answer.language))}'
            f"</strong><ul>{items}</ul></div>")


# --- citations ----------------------------------------------------------------------

def citation_html(citation: Citation, language: str) -> str:
    return hit_details_html(citation.hit, f"[{citation.n}]", language, quote=citation.quote)


def hit_details_html(hit: Hit, tag: str, language: str, quote: str = "", css_class: str = "citation") -> str:
    """A <details> whose summary names the paragraph and whose body is its full
    text, with the supporting sentence marked."""
    summary = f'<summary dir="{direction(hit.language)}">{esc(tag)} {citation_heading_html(hit, language)}</summary>'
    body = _block(highlight(hit.text, quote), "paragraph-text", direction(hit.language), hit.language)
    source = (f'{esc(words("document", language))}: <code>{esc(hit.document)}</code> '
              f'{open_document_link(hit.document, hit.paragraph, esc(words("open_document", language)))}')
    if hit.versions:  # the same provision in its other language versions
        links = " ".join(open_document_link(document, hit.paragraph, esc(language_name(code, language)))
                         for code, document in sorted(hit.versions.items()))
        source += f' · <span class="versions">{esc(words("other_language", language))} {links}</span>'
    return f'<details class="{css_class}">{summary}{body}{_block(source, "source")}</details>'


def open_document_link(document: str, paragraph: str, label_html: str) -> str:
    """A link to the document view at one paragraph: the page script opens it in place;
    opened in a new tab, its address opens the page on that paragraph."""
    address = esc("?" + urlencode({"doc": document, "p": paragraph}))
    return f'<a class="open-document" href="{address}">{label_html}</a>'


def citation_heading_html(hit: Hit, language: str) -> str:
    """Title or symbol, paragraph number (and printed label if different), date,
    language; each part isolated (<bdi>) so a date keeps its order in Arabic text."""
    parts = [f'<bdi class="title">{esc(source_name(hit))}</bdi>', f"<bdi>{esc(paragraph_number(hit, language))}</bdi>"]
    parts += [f'<bdi dir="ltr">{esc(p)}</bdi>' for p in (hit.date, hit.language) if p]
    return " · ".join(parts)


def highlight(text: str, quote: str) -> str:
    """Escaped paragraph text with the quote's sentences wrapped in <mark>.

    A quote may join several sentences of the paragraph, and the paragraph may
    space them differently, so each sentence is found with flexible whitespace;
    matching happens on the raw text and every piece is escaped separately."""
    spans = sorted(_quote_spans(text, quote))
    out, position = [], 0
    for start, end in spans:
        if start < position:
            continue
        out.append(text_html(text[position:start]))
        out.append(f"<mark>{text_html(text[start:end])}</mark>")
        position = end
    out.append(text_html(text[position:]))
    return "".join(out)


def _quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    spans = []
    for sentence in split_sentences(quote or ""):
        pieces = sentence.split()
        if not pieces:
            continue
        match = re.search(r"\s+".join(re.escape(w) for w in pieces), text)
        if match:
            spans.append(match.span())
    return spans


# --- the documents tab ------------------------------------------------------------------

DOCUMENT_COLUMNS = ("document", "title", "language", "date", "paragraphs", "indexed")


def documents_html(documents: list[DocumentInfo], ui_language: str) -> str:
    """The indexed documents as a table that scrolls sideways on a narrow screen rather
    than squeezing its columns; each title reads in its own direction."""
    head = "".join(f'<th scope="col">{esc(words(f"col_{c}", ui_language))}</th>' for c in DOCUMENT_COLUMNS)
    rows = "".join(
        f'<tr><td><code>{esc(d.id)}</code></td><td dir="auto">{esc(d.title)}</td><td>{esc(d.language)}</td>'
        f'<td><bdi dir="ltr">{esc(d.date)}</bdi></td><td>{d.paragraphs}</td>'
        f'<td><bdi dir="ltr">{esc(d.indexed_at[:16].replace("T", " "))}</bdi></td></tr>' for d in documents)
    return (f'<div class="documents-list" dir="{direction(ui_language)}"><table><caption>'
            f'{esc(words("table", ui_language))}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>'
            f"</table></div>")


def upload_summary_html(lines: list[str], failures: list[tuple[str, str]], ui_language: str) -> str:
    """The sync summary lines and each failed file with its reason, escaped."""
    dir_ = direction(ui_language)
    out = "".join(_block(esc(line), "upload-line", dir_) for line in lines)
    if failures:
        items = "".join(f'<li dir="auto"><code>{esc(name)}</code>: {esc(reason)}</li>' for name, reason in failures)
        out += f'<ul class="upload-errors" dir="{dir_}">{items}</ul>'
    return _block(out, "upload-summary", dir_)
