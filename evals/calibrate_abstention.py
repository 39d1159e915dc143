"""Print the abstention signals on the calibration questions and how each floor
would decide, so the floors in assistant/abstain.py are chosen from figures.

    python -m evals.calibrate_abstention [evals/calibration/abstention.jsonl]

The calibration questions are written apart from the gold set, which judges the
result: tuning on the gold set would grade our own homework.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.abstain import missing_identifiers
from assistant.answer import Assistant
from assistant.extractive import score_sentences
from index.arabic import script
from index.config import Config

DEFAULT = Path(__file__).parent / "calibration" / "abstention.jsonl"


def main(path: Path = DEFAULT) -> None:
    assistant = Assistant(Config.from_env())
    retriever = assistant.retriever
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        question = item["question"]
        hits = retriever.search(question, k=5)
        sentences = score_sentences(question, retriever.embedder.get_query_embedding(question), hits, assistant.cache)
        best = sentences[0]
        same = script(question) == script(hits[best.hit_index].text)
        missing = missing_identifiers(question, retriever)
        rows.append((item, best.similarity, same, missing))
        print(f"{item['id']:10} answerable={item['answerable']!s:5} same_script={same!s:5} "
              f"similarity={best.similarity:.3f} missing_identifiers={missing}")
    for same in (True, False):
        print(f"\n{'same' if same else 'cross'}-script floor: accuracy of abstain-below-floor")
        for floor in [x / 100 for x in range(74, 90)]:
            subset = [(i, s, m) for i, s, sm, m in rows if sm == same]
            right = sum((s < floor or bool(m)) == (not i["answerable"]) for i, s, m in subset)
            print(f"  {floor:.2f}: {right}/{len(subset)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
