"""The document view: a whole indexed document as HTML, opened at one paragraph.

The cited paragraph is marked (class "cited", data-key "document#paragraph") for
the page script to scroll to; the section headings above each run of paragraphs
come from Paragraph.headings; the document reads in its own direction whatever
the interface language. Other language versions of the same symbol are links to
the same paragraph there (paragraph ids are the same in every version).

Every document text, title, heading and id is escaped (assistant.render.esc):
this markup goes into the page unsanitized.
"""
from __future__ import annotations

from assistant.render import direction, esc, open_document_link, text_html
from assistant.strings import language_name, text as words
from index.model import DocumentInfo, Hit


def document_html(paragraphs: list[Hit], cited: str, versions: list[DocumentInfo], ui: str) -> str:
    """The document of `paragraphs` (all of it, in order) with paragraph `cited` marked."""
    if not paragraphs:
        return notice_html(words("reader_missing", ui), ui)
    first = paragraphs[0]
    return (f'<div class="reader" dir="{direction(ui)}" data-key="{esc(reader_key(first.document, cited))}">'
            f"{_header_html(first, cited, versions, ui)}"
            f'<article class="reader-document" dir="{direction(first.language)}" lang="{esc(first.language)}" '
            f'tabindex="0">{_body_html(paragraphs, cited, ui)}</article></div>')


def notice_html(message: str, ui: str) -> str:
    """What the view shows when no document is open, or the one asked for is gone."""
    return f'<div class="reader reader-notice" dir="{direction(ui)}"><p>{esc(message)}</p></div>'


def reader_key(document: str, paragraph: str) -> str:
    """Names one opening of the view, so the page script scrolls only once the view shows it."""
    return f"{document}#{paragraph}"


def _header_html(first: Hit, cited: str, versions: list[DocumentInfo], ui: str) -> str:
    title = first.title or first.symbol or first.document
    facts = [first.symbol, first.date, language_name(first.language, ui)]
    meta = " · ".join(f'<bdi dir="auto">{esc(fact)}</bdi>' for fact in facts if fact)
    header = (f'<h2 class="reader-title" dir="{direction(first.language)}" lang="{esc(first.language)}">'
              f"{esc(title)}</h2><p class=\"reader-meta\">{meta}</p>")
    if versions:
        links = " · ".join(open_document_link(v.id, cited, esc(language_name(v.language, ui) or v.id))
                           for v in versions)
        header += f'<p class="reader-versions">{esc(words("other_language", ui))} {links}</p>'
    return f'<header class="reader-header">{header}</header>'


def _body_html(paragraphs: list[Hit], cited: str, ui: str) -> str:
    """Each paragraph under the headings that changed since the one before it."""
    out, above = [], []
    for hit in paragraphs:
        depth = _shared_depth(above, hit.headings)
        out += [f'<h{min(3 + level, 6)} class="reader-heading">{esc(heading)}</h{min(3 + level, 6)}>'
                for level, heading in enumerate(hit.headings) if level >= depth]
        above = hit.headings
        out.append(_paragraph_html(hit, hit.paragraph == cited, ui))
    return "".join(out)


def _shared_depth(above: list[str], headings: list[str]) -> int:
    depth = 0
    while depth < min(len(above), len(headings)) and above[depth] == headings[depth]:
        depth += 1
    return depth


def _paragraph_html(hit: Hit, cited: bool, ui: str) -> str:
    """A numbered paragraph shows its number (and the printed one when they differ); a
    front-matter block is already named by its heading."""
    number = ""
    if not hit.paragraph.startswith("front."):
        # isolated in the interface's direction: inside an Arabic document "(printed 1)" would show as "(1 printed)"
        printed = f' <small><bdi dir="{direction(ui)}">({esc(words("printed", ui))} {esc(hit.label)})</bdi></small>' \
            if hit.label and hit.label != hit.paragraph else ""
        number = f'<span class="reader-number"><bdi dir="ltr">{esc(hit.paragraph)}</bdi>{printed}</span>'
    classes = "reader-paragraph cited" if cited else "reader-paragraph"
    return (f'<div class="{classes}" data-key="{esc(reader_key(hit.document, hit.paragraph))}" tabindex="-1">'
            f'{number}<div class="reader-text">{text_html(hit.text)}</div></div>')
