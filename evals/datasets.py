"""Question sets: gold JSONL files (evals/gold/README.md) and SQuAD-format JSON
(XQuAD), loaded into one Item shape. The one SQuAD loader of the project: the
eval and the retrieval benchmark write the same corpus with the same ids."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from index.language import question_language

Ref = tuple[str, str]      # (document id, paragraph id)
SPLITS = ("dev", "heldout")
ANY_PARAGRAPH = "*"        # a gold reference to a whole document: a SQuAD context is one document


@dataclass
class Item:
    id: str
    question: str
    language: str
    answerable: bool
    gold: list[Ref] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    split: str = "dev"
    dataset: str = ""
    within: str = ""           # asked with the Document filter set to this document ("scope": "document")


def gold_refs(paragraphs, document: str = "") -> list[Ref]:
    """Gold paragraphs as (document, paragraph) pairs. An entry is a paragraph id
    (its document is the item's `document`), a [document, paragraph] pair or a
    {"document", "paragraph"} object."""
    refs: list[Ref] = []
    for entry in paragraphs:
        if isinstance(entry, str):
            if not document:
                raise ValueError(f"paragraph {entry!r} names no document and the item has none")
            ref = (document, entry)
        elif isinstance(entry, dict):
            ref = (str(entry["document"]), str(entry["paragraph"]))
        elif isinstance(entry, (list, tuple)) and len(entry) == 2:
            ref = (str(entry[0]), str(entry[1]))
        else:
            raise ValueError(f"not a paragraph reference: {entry!r}")
        if ref not in refs:
            refs.append(ref)
    return refs


def load_gold(path: Path) -> list[Item]:
    items, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            item = Item(id=str(raw["id"]), question=raw["question"], language=raw["language"],
                        answerable=bool(raw["answerable"]),
                        gold=gold_refs(raw.get("paragraphs", []), raw.get("document", "")),
                        keys=list(raw.get("answers", [])), split=raw.get("split", "dev"), dataset=path.stem,
                        within=raw.get("document", "") if raw.get("scope") == "document" else "")
        except (ValueError, KeyError, TypeError) as error:
            raise SystemExit(f"error: {path}:{number}: {error}")
        if item.split not in SPLITS:
            raise SystemExit(f"error: {path}:{number}: split must be one of {SPLITS}, not {item.split!r}")
        if item.id in seen:
            raise SystemExit(f"error: {path}:{number}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    return items


def squad_document_id(index: int) -> str:
    return f"ctx-{index:03d}"


def load_squad(path: Path, questions_path: Path | None = None) -> tuple[list[str], list[Item]]:
    """SQuAD JSON -> (contexts, items). Context i is document ctx-NNN, the gold of its questions.
    With questions_path, the questions with the same ids come from that parallel file
    (e.g. English questions over Arabic contexts); answers stay those of `path`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    asked = None
    if questions_path:
        parallel = json.loads(questions_path.read_text(encoding="utf-8"))
        asked = {qa["id"]: qa["question"] for article in parallel["data"]
                 for paragraph in article["paragraphs"] for qa in paragraph["qas"]}
    contexts, items = [], []
    name = path.stem + (f"+{questions_path.stem}" if questions_path else "")
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            document = squad_document_id(len(contexts))
            contexts.append(paragraph["context"])
            for qa in paragraph["qas"]:
                question = asked.get(qa["id"]) if asked is not None else qa["question"]
                if question is None:
                    continue
                keys = list(dict.fromkeys(a["text"] for a in qa.get("answers", []) if a.get("text", "").strip()))
                answerable = not qa.get("is_impossible", False) and bool(keys)
                items.append(Item(id=str(qa["id"]), question=question, language=question_language(question),
                                  answerable=answerable, gold=[(document, ANY_PARAGRAPH)] if answerable else [],
                                  keys=keys if answerable else [], split="dev", dataset=name))
    return contexts, items


def write_squad_corpus(folder: Path, contexts: list[str]) -> None:
    """One .txt per context on one line, named by its document id. Unchanged files are not rewritten."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"{squad_document_id(i)}.txt": " ".join(c.split()) + "\n" for i, c in enumerate(contexts)}
    for stale in {p.name for p in folder.glob("*.txt")} - wanted.keys():
        (folder / stale).unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def subsample(items: list[Item], limit: int | None) -> list[Item]:
    """The same N questions every time: the N smallest sha256(id), kept in file order."""
    if not limit or limit >= len(items):
        return items
    chosen = set(sorted(range(len(items)), key=lambda i: hashlib.sha256(items[i].id.encode()).hexdigest())[:limit])
    return [item for i, item in enumerate(items) if i in chosen]
