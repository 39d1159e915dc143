"""Is a sentence negated? Used by the citation check: "the summit will not be held in
2024" shares every word with "the summit will be held in 2024", and e5 puts the two
side by side, so polarity is compared on its own, across Arabic and English.

A cue list, not a parser: a sentence counts as negated when any clause is. That
errs towards refusing support (a claim then shows as unsupported), never towards
showing a contradiction as cited.
"""
from __future__ import annotations

import re

from index.arabic import normalize

_ENGLISH = re.compile(r"\b(?:not|no|never|without|neither|nor|none|nobody|nothing|nowhere|cannot)\b|n't\b", re.I)
# A particle may carry the conjunction و or ف ("ولم", "فلا"); بلا and بدون are "without".
_ARABIC = re.compile(r"(?<!\w)[وف]?(?:لا|لم|لن|ليس|ليست|ليسا|ليستا|ليسوا|لست|لسنا|غير|دون|بدون|بلا)(?!\w)")
# Phrases built on a negation word that negate nothing: bounds ("no later than", "لا يقل عن"),
# idioms ("not only", "لا سيما" = especially, "لا يزال" = still, "دون حصر" = not limited to) and
# compound adjectives ("غير الحكومية" = non-governmental, "دون الإقليمية" = subregional).
# Written in the normalized spelling (alef forms folded), as the text is matched.
_NOT_NEGATING = re.compile(
    r"\bnot only\b|\b(?:no|not) (?:later|earlier|less|fewer|more) than\b|\bno\.\s*\d|\bwithout delay\b"
    r"|\bno doubt\b|\bnone other than\b"
    r"|(?<!\w)[وف]?لا ?سيما|(?<!\w)[وف]?لا ?بد|لا الحصر|دون حصر|(?<!\w)[وف]?لا (?:يزال|تزال|زال|يزالون|يقل|تقل|يزيد|تزيد)"
    r"|(?<!\w)[وف]?لم (?:يزل|تزل)|(?<!\w)[وف]?(?:غير|دون) ذلك|(?<!\w)[وف]?(?:غير|دون) (?=ال)|ما دون", re.I)


def negated(sentence: str) -> bool:
    text = _NOT_NEGATING.sub(" ", normalize(sentence))
    return bool(_ENGLISH.search(text) or _ARABIC.search(text))
