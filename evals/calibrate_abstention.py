"""The abstention rule on calibration questions: each question's signals, and the
precision/recall of abstaining along a range of floors, so the floors in
assistant/abstain.py are chosen from a curve, not one point.

    python -m evals.calibrate_abstention [QUESTIONS.jsonl]

QUESTIONS (default evals/calibration/abstention.jsonl, written apart from the
gold sets) holds {"id", "question", "answerable"} lines, asked of the configured
index. Run it against other corpora too (e.g. the data dir of a SQuAD eval):
a floor that only fits one corpus is no floor.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from assistant.abstain import CROSS_SCRIPT, SAME_SCRIPT, margin, missing_key_terms
from assistant.answer import Assistant
from assistant.extractive import PARAGRAPHS_READ, score_sentences
from assistant.question import analyse
from index.config import Config
from index.language import script

DEFAULT = Path(__file__).parent / "calibration" / "abstention.jsonl"
SIMILARITY_FLOORS = [round(0.74 + 0.01 * i, 2) for i in range(13)]


def signals(assistant: Assistant, text: str) -> dict:
    index = assistant.index
    question = analyse(text)
    vector = index.embed_query(text)
    hits = index.search(text, k=5, vector=vector)
    scored = score_sentences(question, vector, hits, index.sentences(hits[:PARAGRAPHS_READ]))
    best = scored[0] if scored else None
    return {"same_script": bool(best) and script(text) == script(hits[best.hit_index].text),
            "similarity": best.similarity if best else 0.0,
            "margin": margin(vector, best.similarity, index) if best else 0.0,
            "missing_key_term": bool(missing_key_terms(question, hits))}


def curve(rows: list[dict], margin_floor: float) -> list[tuple[float, float | None, float | None]]:
    """(similarity floor, abstention precision, abstention recall) when abstaining below the
    floor unless the margin clears `margin_floor`, or when an identifier is missing."""
    points = []
    for floor in SIMILARITY_FLOORS:
        abstained = [r for r in rows if r["missing_key_term"] or (r["similarity"] < floor and r["margin"] < margin_floor)]
        right = sum(not r["answerable"] for r in abstained)
        unanswerable = sum(not r["answerable"] for r in rows)
        points.append((floor, right / len(abstained) if abstained else None, right / unanswerable if unanswerable else None))
    return points


def main(path: Path = DEFAULT) -> None:
    assistant = Assistant(Config.from_env())
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        row = {"id": item["id"], "answerable": item["answerable"], **signals(assistant, item["question"])}
        rows.append(row)
        print(f"{row['id']:10} answerable={row['answerable']!s:5} same_script={row['same_script']!s:5} "
              f"similarity={row['similarity']:.3f} margin={row['margin']:.3f} missing_key_term={row['missing_key_term']}")
    for same, floors in ((True, SAME_SCRIPT), (False, CROSS_SCRIPT)):
        subset = [r for r in rows if r["same_script"] == same]
        print(f"\n{'same' if same else 'cross'}-script questions: {len(subset)} "
              f"({sum(not r['answerable'] for r in subset)} unanswerable); current floors {floors}")
        print("  similarity floor   precision   recall   (margin floor {:.3f})".format(floors.margin))
        for floor, precision, recall in curve(subset, floors.margin):
            print(f"  {floor:>16.2f} {precision if precision is not None else float('nan'):>11.3f} "
                  f"{recall if recall is not None else float('nan'):>8.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
