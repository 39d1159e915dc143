"""`council eval`: ask every gold question through Assistant.ask (the call `council ask`
makes), score it (evals.metrics), write the report (evals.report) and, with
--check, hold it to the thresholds (evals.gate).

    council eval [--gold FILE ...] [--squad FILE [--squad-questions FILE]] [--split dev|heldout]
                 [--out DIR] [--limit N] [--check] [--thresholds FILE] [--llm]

By default every gold set in evals/gold/ is asked of the configured corpus
(docs_corpus/ unless COUNCIL_CORPUS_DIR says otherwise), indexed into the
configured data dir first (incrementally: a rerun embeds nothing new). A SQuAD
file's contexts become one document each, indexed in a store of their own.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from evals import gate, metrics, report
from evals.datasets import ANY_PARAGRAPH, Item, load_gold, load_squad, subsample, write_squad_corpus
from index.config import PROJECT_DIR, Config, LLMEndpoint

GOLD_DIR = PROJECT_DIR / "evals" / "gold"
DEFAULT_OUT = PROJECT_DIR / "evals" / "reports" / "latest"
DEFAULT_THRESHOLDS = PROJECT_DIR / "evals" / "thresholds.json"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="council eval", description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--gold", type=Path, action="append",
                        help="gold JSONL (repeatable; default: every evals/gold/*.jsonl)")
    source.add_argument("--squad", type=Path, help="SQuAD-format JSON: its contexts become the corpus")
    parser.add_argument("--squad-questions", type=Path,
                        help="a parallel SQuAD file whose questions (same ids) are asked instead, e.g. xquad.en.json")
    parser.add_argument("--split", choices=["dev", "heldout"], help="ask only this part of the gold sets")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default: evals/reports/latest)")
    parser.add_argument("--limit", type=int, help="score a deterministic subsample of N questions")
    parser.add_argument("--check", action="store_true", help="exit 1 if a figure is outside its threshold")
    parser.add_argument("--thresholds", type=Path, default=DEFAULT_THRESHOLDS,
                        help="thresholds for --check (default: evals/thresholds.json)")
    parser.add_argument("--llm", action="store_true",
                        help="answer with the LLM that COUNCIL_LLM configures (fails without one)")
    return parser


def main(argv: list[str], config: Config) -> int:
    args = build_parser().parse_args(argv)
    if args.squad_questions and not args.squad:
        return _usage("--squad-questions needs --squad")
    if args.limit is not None and args.limit < 1:
        return _usage("--limit must be at least 1")
    if args.llm and not config.llm.kind:
        return _usage("--llm needs an LLM: set COUNCIL_LLM (openai or ollama) and COUNCIL_LLM_URL")
    if not args.llm and config.llm.kind:
        config = replace(config, llm=LLMEndpoint())  # the committed figures are extractive unless --llm is asked for
    thresholds = None
    if args.check:
        if not args.thresholds.exists():
            return _usage(f"no thresholds file {args.thresholds}")
        thresholds = gate.load(args.thresholds)

    started = time.monotonic()
    if args.squad:
        contexts, items = load_squad(args.squad, args.squad_questions)
        root = config.data_dir / "squad" / args.squad.stem
        write_squad_corpus(root / "corpus", contexts)
        # A store of its own: the SQuAD contexts must not mix with the Council corpus.
        config = replace(config, data_dir=root / "index", corpus_dir=root / "corpus")
        sources = [str(args.squad)] + ([str(args.squad_questions)] if args.squad_questions else [])
    else:
        paths = args.gold or sorted(GOLD_DIR.glob("*.jsonl"))
        items = [item for path in paths for item in load_gold(path)]
        sources = [_relative(p) for p in paths]
    if args.split:
        items = [item for item in items if item.split == args.split]
    items = subsample(items, args.limit)
    if not items:
        return _usage("no questions to ask")

    from assistant.answer import Assistant
    from assistant.cli import progress_bar
    from index.api import Index
    index = Index(config)
    summary = index.sync([config.corpus_dir], progress=progress_bar("indexing"))
    print(f"indexed {config.corpus_dir}: {summary.documents} documents, {summary.paragraphs} paragraphs, "
          f"{summary.embedded} texts embedded, {summary.seconds:.1f} s", file=sys.stderr)
    for error in summary.errors:
        print(f"warning: {error['path']}: {error['error']}", file=sys.stderr)
    warnings = gold_warnings(items, index)
    for warning in warnings[:20]:
        print(f"warning: {warning}", file=sys.stderr)
    assistant = Assistant(config, index)
    records = ask_all(assistant, items)

    result = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sources": sources, "mode": assistant.mode, "embedder": index.embedder.model_name, "k": config.k,
        "limit": args.limit, "split": args.split or "all",
        "corpus": {"documents": len(index.catalog()), "paragraphs": index.count_paragraphs()},
        "duration_s": round(time.monotonic() - started, 1),
        "metrics": report.figures(records), "warnings": warnings, "results": records,
    }
    failures = gate.check(result["metrics"]["groups"], thresholds["groups"]) if thresholds else []
    if thresholds:
        result["check"] = {"thresholds": _relative(args.thresholds), "failures": failures}
    report.write(result, args.out)
    report.print_summary(result, args.out)
    if thresholds:
        if failures:
            print(f"CHECK FAILED: {len(failures)} figure(s) outside their thresholds ({args.thresholds}):")
            for failure in failures:
                print(f"  {failure}")
            return 1
        print(f"check passed: every figure meets its threshold ({args.thresholds})")
    return 0


def gold_warnings(items: list[Item], index) -> list[str]:
    """Gold paragraphs the index does not have, and keys none of an item's gold paragraphs contain."""
    warnings = []
    for item in items:
        texts, absent = [], []
        for document, paragraph in item.gold:
            if paragraph == ANY_PARAGRAPH:
                continue
            found = index.paragraph(document, paragraph)
            if found:
                texts.append(found.text)
            else:
                absent.append(f"{document} ¶{paragraph}")
        if absent:
            warnings.append(f"{item.id}: gold paragraph not in the index: {', '.join(absent)}")
        lost = [k for k in item.keys if texts and not any(metrics.contains_key(t, k) for t in texts)]
        if lost:
            warnings.append(f"{item.id}: key not in any gold paragraph: {', '.join(lost)}")
    return warnings


def ask_all(assistant, items: list[Item]) -> list[dict]:
    """Ask every item through Assistant.ask; one result record each (see evals.metrics)."""
    from tqdm import tqdm

    from index.retrieve import Filters
    k = assistant.config.k
    assistant.index.search("warm-up", k=1)  # untimed: the first query loads what every later one reuses
    records = []
    for item in tqdm(items, desc="eval", unit="q", file=sys.stderr):
        filters = Filters(document=item.within)
        answer = assistant.ask(item.question, k=k, filters=filters)
        retrieved = [h.key for h in answer.retrieved]
        ranking = list(retrieved)
        if item.gold and k < metrics.RANK_DEPTH and not metrics.first_relevant_rank(ranking, item.gold, k):
            # Ranks k+1..10 for MRR@10/nDCG@10: the same deterministic search, deeper. Run only
            # when no gold paragraph is in the top k, since it cannot change them.
            deeper = assistant.index.search(answer.search_query or item.question, k=metrics.RANK_DEPTH, filters=filters)
            ranking += [h.key for h in deeper if h.key not in ranking]
        cited = [c.hit.key for c in answer.citations]
        found = [] if answer.abstained else metrics.keys_found(answer_text_for_keys(answer.text), item.keys)
        records.append({
            "id": item.id, "dataset": item.dataset, "split": item.split, "question": item.question,
            "language": item.language, "answerable": item.answerable, "mode": answer.mode,
            "gold": [list(r) for r in item.gold], "keys": item.keys,
            "retrieved": [list(r) for r in retrieved], "ranking": [list(r) for r in ranking[:metrics.RANK_DEPTH]],
            "rank": metrics.first_relevant_rank(ranking, item.gold) if item.gold else None,
            "cited": [list(r) for r in cited], "cited_relevant": metrics.citation_relevance(cited, item.gold),
            "abstained": answer.abstained, "answer": answer.text, "keys_found": found,
            "sentences": sentences(answer),
            "unsupported": len(answer.unsupported), "llm_error": answer.llm_error,
            "latency_ms": answer.timings_ms.get("total"),
        })
    return records


def sentences(answer) -> int:
    """The answer's sentences, the denominator of the unsupported rate. An LLM answer
    whose sentences were all flagged counts as abstained, yet they were written; an
    answer that fell back from a failed LLM to the extractive one holds no LLM sentence."""
    if answer.llm_error or (answer.abstained and not answer.unsupported):
        return 0
    return len(answer_lines(answer.text))


def answer_lines(text: str) -> list[str]:
    """The answer's own lines: its sentences, without the fixed intro line."""
    return [line for line in answer_text_for_keys(text).splitlines() if line.strip()]


def answer_text_for_keys(text: str) -> str:
    """The answer without its [n] markers and the assistant's fixed intro line, so a
    key such as "1" or "الوثائق" is not found in the scaffolding."""
    from assistant.model import strip_markers
    from assistant.strings import STRINGS
    for intro in STRINGS["intro"].values():
        if text.startswith(intro):
            text = text[len(intro):]
    return strip_markers(text)


def _relative(path: Path) -> str:
    path = path.resolve()
    try:
        return str(path.relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def _usage(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2
