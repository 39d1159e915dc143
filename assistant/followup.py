"""Follow-up questions ("and when was it released?") made self-contained for retrieval."""
from __future__ import annotations

import re

from index.arabic import STOPWORDS, normalize

# Short questions, or ones that open like a continuation, lean on the previous turn.
_CONTINUATION = re.compile(r"^\s*(and|also|what about|how about|و|وماذا|وما|وكيف|ومتى|وأين|وهل|ومن)\b|^\s*و",
                           re.I)
_PRONOUN = re.compile(r"\b(it|its|they|them|their|this|that|these|those|he|she)\b"
                      r"|(?:^|\s)(هو|هي|هم|ذلك|هذا|هذه|تلك)(?=\s|[؟?]|$)|\w{2,}ها(?=\s|[؟?]|$)", re.I)
SHORT = 6

CONDENSE_PROMPT = (
    "Given the conversation below and a follow-up question, rewrite the follow-up as a standalone "
    "question in its own language. Reply with the question only.\n\n{history}\nFollow-up: {question}\n"
    "Standalone question:")


def content_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[\w/.-]+", normalize(text)) if w.lower() not in STOPWORDS and len(w) > 1]


def is_followup(question: str) -> bool:
    words = content_words(question)
    return bool(_CONTINUATION.match(question)) or len(words) <= SHORT and bool(_PRONOUN.search(question))


def resolve_followup(question: str, history: list[tuple[str, str]], llm=None) -> str:
    """The question to search with. Without an LLM, a follow-up carries the previous
    turn's key terms; with one, the LLM condenses the conversation into one question."""
    if not history or not is_followup(question):
        return question
    if llm is not None:
        lines = "\n".join(f"User: {q}" for q, _ in history[-3:])
        return llm.complete(CONDENSE_PROMPT.format(history=lines, question=question)).text.strip() or question
    previous = history[-1][1]
    carried = [w for w in content_words(previous) if w not in content_words(question)]
    return f"{question} ({' '.join(carried)})" if carried else question
