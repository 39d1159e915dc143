"""A cited paragraph named for a reader (its document, its number), and an answer
with its sources as plain text, for a delegate to paste into a note.

The web chat's citation headings and its copy button both name sources here, so
what is copied reads like what is shown.
"""
from __future__ import annotations

from assistant.model import Answer
from assistant.strings import text as words
from index.model import Hit


def source_name(hit: Hit) -> str:
    """"SYMBOL: Title", or whichever of the two the document has, else its id."""
    if hit.symbol and hit.title:
        return f"{hit.symbol}: {hit.title}"
    return hit.title or hit.symbol or hit.document


def paragraph_number(hit: Hit, language: str) -> str:
    """"paragraph 2.3 (printed 3.2)"; a front-matter block is named by its heading."""
    if hit.paragraph.startswith("front."):
        number = hit.section_title or hit.label or hit.paragraph
        return f"{number} ({hit.label})" if hit.label and hit.label != number else number
    number = f"{words('paragraph', language)} {hit.paragraph}"
    if hit.label and hit.label != hit.paragraph:
        number += f" ({words('printed', language)} {hit.label})"
    return number


def plain_text(answer: Answer) -> str:
    """The question, the answer with its [n] markers, then one line per source
    (document, paragraph, date, language) followed by the quoted sentences.
    Labels are in the answer's language, like the rest of its words."""
    language = answer.language
    lines = [f"{words('copy_question', language)}: {answer.question}", "",
             f"{words('copy_answer', language)}:", answer.text.strip()]
    if answer.citations:
        lines += ["", f"{words('copy_sources', language)}:"]
        for citation in answer.citations:
            hit = citation.hit
            details = ", ".join(p for p in (source_name(hit), paragraph_number(hit, language), hit.date, hit.language)
                                if p)
            lines.append(f"[{citation.n}] {details}")
            if citation.quote:
                lines.append(f"    “{' '.join(citation.quote.split())}”")
    return "\n".join(lines)
