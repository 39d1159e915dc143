"""Every word the assistant and its web page say, English and Arabic side by side, kept
as data in strings.json: a translator edits one file and no code."""
from __future__ import annotations

import json
from pathlib import Path

_DATA = json.loads((Path(__file__).with_name("strings.json")).read_text(encoding="utf-8"))
STRINGS: dict[str, dict[str, str]] = _DATA["strings"]
EXAMPLES: dict[str, list[str]] = _DATA["examples"]          # example questions, in the interface language
LANGUAGE_NAMES: dict[str, dict[str, str]] = _DATA["language_names"]


def text(key: str, language: str, **values) -> str:
    """The string `key` in `language` (English when it has no such version), filled in."""
    entry = STRINGS[key]
    string = entry.get(language, entry["en"])
    return string.format(**values) if values else string


def language_name(code: str, language: str) -> str:
    """The name of language `code`, written in `language`."""
    return LANGUAGE_NAMES.get(code, {}).get(language, code)
