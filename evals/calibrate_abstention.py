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

from assistant.abstain import decided, margin
from assistant.calibration import Floors, calibration
from assistant.answer import Assistant, declined_by_name, unnamed_wording
from assistant.extractive import PARAGRAPHS_READ, score_sentences
from assistant.question import analyse
from index.config import Config
from index.language import script

DEFAULT = Path(__file__).parent / "calibration" / "abstention.jsonl"
SIMILARITY_FLOORS = [round(0.74 + 0.01 * i, 2) for i in range(14)]


def _judgement(index, question, vector, hits, sentences) -> dict:
    scored = score_sentences(question, vector, hits, sentences)
    best = scored[0] if scored else None
    return {"same_script": bool(best) and script(question.text) == script(hits[best.hit_index].text),
            "similarity": best.similarity if best else 0.0,
            "margin": margin(vector, best.similarity, index) if best else 0.0,
            "decided": decided(question, hits, scored, index)}


def signals(assistant: Assistant, text: str) -> dict:
    """What Assistant.ask weighs: the question judged whole and, when it names the top
    paragraph's document, without the naming words too (abstaining only if both would);
    a provision it cites by number that no document has declines it by name."""
    index = assistant.index
    vector = index.embed_query(text)
    hits = index.search(text, k=5, vector=vector)
    sentences = index.sentences(hits[:PARAGRAPHS_READ])
    judgements = [_judgement(index, analyse(text), vector, hits, sentences)]
    wording = unnamed_wording(index, text, hits)
    if wording:
        judgements.append(_judgement(index, analyse(text, wording), index.embed_query(wording), hits, sentences))
    return {**judgements[0], "judgements": judgements, "declined_by_name": bool(declined_by_name(index, text))}


def _abstains(row: dict, hard: float, soft: float, floors: Floors) -> bool:
    def judged(j: dict) -> bool:
        if j["decided"] is not None:
            return j["decided"]
        return j["similarity"] < hard or (j["similarity"] < soft and j["margin"] < floors.margin)
    return row["declined_by_name"] or all(judged(j) for j in row["judgements"])


def curve(rows: list[dict], floors: Floors) -> list[tuple[float, float | None, float | None, float | None]]:
    """(soft similarity floor, abstention precision, abstention recall, wrong-abstention rate) of the
    rule in assistant/abstain.py with the soft floor moved and the hard floor kept as far below it
    as it is now."""
    points = []
    unanswerable = sum(not r["answerable"] for r in rows)
    answerable = len(rows) - unanswerable
    for soft in SIMILARITY_FLOORS:
        hard = soft - (floors.soft - floors.hard)
        abstained = [r for r in rows if _abstains(r, hard, soft, floors)]
        right = sum(not r["answerable"] for r in abstained)
        points.append((soft, right / len(abstained) if abstained else None,
                       right / unanswerable if unanswerable else None,
                       (len(abstained) - right) / answerable if answerable else None))
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
        verdict = "declined by name" if row["declined_by_name"] else {True: "abstains", False: "answers",
                                                                        None: "floors decide"}[row["decided"]]
        print(f"{row['id']:10} answerable={row['answerable']!s:5} same_script={row['same_script']!s:5} "
              f"similarity={row['similarity']:.3f} margin={row['margin']:.3f} rules: {verdict}"
              + (" (also judged without the document's name)" if len(row["judgements"]) > 1 else ""))
    calibrated = calibration(assistant.index.embedder.model_name)
    for same, floors in ((True, calibrated.same_script), (False, calibrated.cross_script)):
        subset = [r for r in rows if r["same_script"] == same]
        print(f"\n{'same' if same else 'cross'}-script questions: {len(subset)} "
              f"({sum(not r['answerable'] for r in subset)} unanswerable); current floors {floors}")
        print(f"  soft floor   precision   recall   wrong abstentions   (hard floor {floors.soft - floors.hard:.2f} "
              f"below, margin {floors.margin:.3f})")
        for floor, *figures in curve(subset, floors):
            print(f"  {floor:>10.2f} " + " ".join(f"{v if v is not None else float('nan'):>10.3f}" for v in figures))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
