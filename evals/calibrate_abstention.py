"""Print the abstention signals on calibration questions and how candidate floors
would decide, so the floors in assistant/abstain.py are chosen from figures.

    python -m evals.calibrate_abstention [QUESTIONS.jsonl]

QUESTIONS (default evals/calibration/abstention.jsonl, written apart from the
gold set) holds {"id", "question", "answerable"} lines, asked of the configured
index. Run it against other corpora too (e.g. COUNCIL_DATA_DIR of a SQuAD eval):
a floor that only fits one corpus is no floor.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.abstain import margin, missing_identifiers
from assistant.answer import Assistant
from assistant.extractive import score_sentences
from index.arabic import script
from index.config import Config

DEFAULT = Path(__file__).parent / "calibration" / "abstention.jsonl"
SIMILARITY_FLOORS = (0.76, 0.77, 0.78, 0.79, 0.80, 0.81, 0.82, 0.83, 0.84, 0.85)
MARGIN_FLOORS = (0.035, 0.04, 0.045, 0.05, 0.055)


def main(path: Path = DEFAULT) -> None:
    assistant = Assistant(Config.from_env())
    retriever = assistant.retriever
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        question = item["question"]
        vector = retriever.embedder.get_query_embedding(question)
        hits = retriever.search(question, k=5)
        best = score_sentences(question, vector, hits, assistant.cache)[0]
        same = script(question) == script(hits[best.hit_index].text)
        rows.append((item["answerable"], same, best.similarity, margin(vector, best.similarity, retriever),
                     bool(missing_identifiers(question, retriever))))
        print(f"{item['id']:10} answerable={item['answerable']!s:5} same_script={same!s:5} "
              f"similarity={rows[-1][2]:.3f} margin={rows[-1][3]:.3f} missing_identifier={rows[-1][4]}")
    for same in (True, False):
        subset = [r for r in rows if r[1] == same]
        print(f"\n{'same' if same else 'cross'}-script ({len(subset)} questions): right decisions when abstaining "
              "below both floors (rows: soft similarity floor; columns: margin floor; the hard floor goes "
              "below the lowest answerable similarity)")
        print("       " + " ".join(f"{m:>6}" for m in MARGIN_FLOORS))
        for floor in SIMILARITY_FLOORS:
            right = [sum(((s < floor and m < mf) or missing) == (not answerable)
                         for answerable, _, s, m, missing in subset) for mf in MARGIN_FLOORS]
            print(f"  {floor:.2f} " + " ".join(f"{r:>6}" for r in right))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
