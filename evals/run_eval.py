"""Score the assistant on a gold set: retrieval, citations, answer keys, abstention, latency.

    council eval [--gold FILE | --squad FILE [--squad-questions FILE]] [--out DIR] [--limit N]
                 [--check] [--thresholds FILE]
    python -m evals.run_eval ...   (the same options, plus --data-dir)

Every question goes through Assistant.ask, the call `council ask` makes, in one
process (the model loads once). The gold JSONL is scored on the configured corpus
(docs_corpus/ unless COUNCIL_CORPUS_DIR says otherwise), indexed into the configured
data dir first (incrementally: a rerun embeds nothing new). A SQuAD file's contexts
become one document each, indexed in a store of their own under the data dir.

--out DIR gets report.json, report.md and chart.png. A report.json already in DIR
is the baseline report.md shows deltas against; the new report then replaces it.
--check exits 1 naming every figure that fell below its threshold (evals/thresholds.json).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from evals import metrics
from index.config import PROJECT_DIR, Config

DEFAULT_GOLD = PROJECT_DIR / "evals" / "gold" / "council_seed.jsonl"
DEFAULT_OUT = PROJECT_DIR / "evals" / "reports" / "latest"
DEFAULT_THRESHOLDS = PROJECT_DIR / "evals" / "thresholds.json"
CHART = "chart.png"
_MARKER = re.compile(r"\[\d+\]")

# Figures shown in tables and charts, with their labels.
LABELS = {
    "hit@1": "retrieval hit@1", "hit@5": "retrieval hit@5", "mrr@10": "MRR@10", "ndcg@10": "nDCG@10",
    "citation_precision": "citation precision", "citation_recall": "citation recall",
    "key_containment": "answer-key containment (any key)", "key_containment_all": "answer-key containment (all keys)",
    "abstention_precision": "abstention precision", "abstention_recall": "abstention recall",
    "wrong_abstention_rate": "wrong-abstention rate", "latency_p50_ms": "latency p50 (ms)",
    "latency_p95_ms": "latency p95 (ms)",
}
SHORT = {"key_containment": "keys: any", "key_containment_all": "keys: all", "citation_precision": "citation P",
         "citation_recall": "citation R", "abstention_precision": "abstention P", "abstention_recall": "abstention R",
         "wrong_abstention_rate": "wrong abstention", "hit@1": "hit@1", "hit@5": "hit@5",
         "mrr@10": "MRR@10", "ndcg@10": "nDCG@10"}


# --- loading questions ------------------------------------------------------------

def load_gold(path: Path) -> list[dict]:
    """Gold JSONL (evals/gold/README.md) -> items: id, question, language, answerable, gold refs, keys."""
    items, seen = [], set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            item = {"id": str(raw["id"]), "question": raw["question"], "language": raw["language"],
                    "answerable": bool(raw["answerable"]), "document": raw.get("document", ""),
                    "gold": metrics.gold_refs(raw.get("paragraphs", []), raw.get("document", "")),
                    "keys": list(raw.get("answers", []))}
        except (ValueError, KeyError, TypeError) as error:
            raise SystemExit(f"error: {path}:{number}: {error}")
        if item["id"] in seen:
            raise SystemExit(f"error: {path}:{number}: duplicate id {item['id']!r}")
        seen.add(item["id"])
        items.append(item)
    return items


def squad_doc_id(index: int, total: int) -> str:
    return f"ctx-{index:0{max(3, len(str(total - 1)))}d}"


def load_squad(path: Path, questions_path: Path | None = None) -> tuple[list[str], list[dict]]:
    """SQuAD JSON -> (contexts, items). Context i is document ctx-NNN, paragraph "1".
    With questions_path, the questions with the same ids come from that parallel file
    (e.g. English questions over Arabic contexts); answers stay those of `path`."""
    from assistant.phrases import language_of_question
    data = json.loads(path.read_text(encoding="utf-8"))
    asked = {}
    if questions_path:
        parallel = json.loads(questions_path.read_text(encoding="utf-8"))
        asked = {qa["id"]: qa["question"] for article in parallel["data"]
                 for paragraph in article["paragraphs"] for qa in paragraph["qas"]}
    contexts, rows = [], []
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                rows.append((qa, len(contexts)))
            contexts.append(paragraph["context"])
    items, missing = [], 0
    for qa, context in rows:
        question = asked.get(qa["id"]) if questions_path else qa["question"]
        if question is None:
            missing += 1
            continue
        keys = list(dict.fromkeys(a["text"] for a in qa.get("answers", []) if a.get("text", "").strip()))
        answerable = not qa.get("is_impossible", False) and bool(keys)
        document = squad_doc_id(context, len(contexts))
        items.append({"id": str(qa["id"]), "question": question, "language": language_of_question(question),
                      "answerable": answerable, "document": document,
                      "gold": [(document, "1")] if answerable else [], "keys": keys if answerable else []})
    if missing:
        print(f"warning: {missing} questions of {path.name} have no counterpart in {questions_path.name}; skipped",
              file=sys.stderr)
    return contexts, items


def subsample(items: list[dict], limit: int | None) -> list[dict]:
    """The same N questions every time: the N smallest sha256(id), kept in file order."""
    if not limit or limit >= len(items):
        return items
    chosen = set(sorted(range(len(items)), key=lambda i: hashlib.sha256(items[i]["id"].encode()).hexdigest())[:limit])
    return [item for i, item in enumerate(items) if i in chosen]


def write_squad_corpus(folder: Path, contexts: list[str]) -> None:
    """One .txt per context on one line: no numbering and no blank line, so the
    Council parser makes it a single paragraph "1". Unchanged files are not rewritten."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {f"{squad_doc_id(i, len(contexts))}.txt": " ".join(c.split()) + "\n" for i, c in enumerate(contexts)}
    for stale in {p.name for p in folder.glob("*.txt")} - wanted.keys():
        (folder / stale).unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


# --- indexing ---------------------------------------------------------------------

def prepare_index(config: Config, corpus: Path):
    """Sync `corpus` into config's store; returns the Retriever and {(doc, para): text}."""
    from index.retrieve import Retriever
    from index.sync import sync
    retriever = Retriever(config)
    started = time.monotonic()
    summary = sync(retriever, [corpus], progress=_bar("indexing", "chunk"))
    print(f"indexed {corpus}: {summary.documents} documents, {summary.paragraphs} paragraphs, "
          f"{summary.embedded} chunks embedded, {time.monotonic() - started:.1f} s", file=sys.stderr)
    for error in summary.errors:
        print(f"warning: {error['path']}: {error['error']}", file=sys.stderr)
    paragraphs = {(m["document"], m["paragraph"]): m["paragraph_text"] for m in retriever.store.manifest().values()}
    return retriever, paragraphs


def gold_warnings(items: list[dict], paragraphs: dict[tuple[str, str], str]) -> list[str]:
    """Gold paragraphs the index does not have, and keys none of an item's gold paragraphs contain."""
    warnings = []
    for item in items:
        absent = [f"{d} ¶{p}" for d, p in item["gold"] if (d, p) not in paragraphs]
        if absent:
            warnings.append(f"{item['id']}: gold paragraph not in the index: {', '.join(absent)}")
        texts = [paragraphs[ref] for ref in item["gold"] if ref in paragraphs]
        if texts:
            lost = [k for k in item["keys"] if not any(metrics.contains_key(t, k) for t in texts)]
            if lost:
                warnings.append(f"{item['id']}: key not in any gold paragraph: {', '.join(lost)}")
    return warnings


def _bar(description: str, unit: str):
    from tqdm import tqdm
    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=description, unit=unit, file=sys.stderr, disable=total < 8)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()
    return update


# --- asking -----------------------------------------------------------------------

def answer_text_for_keys(text: str) -> str:
    """The answer without its [n] markers and the assistant's fixed intro line, so a
    key such as "1" or "الوثائق" is not found in the scaffolding."""
    from assistant.phrases import PHRASES
    for phrases in PHRASES.values():
        intro = phrases.get("intro", "")
        if intro and text.startswith(intro):
            text = text[len(intro):]
    return _MARKER.sub(" ", text)


def ask_all(assistant, items: list[dict]) -> list[dict]:
    """Ask every item through Assistant.ask; one result record each (see evals.metrics)."""
    from tqdm import tqdm
    k = assistant.config.k
    # Untimed warm-up: the lexical index loads and the query encoder runs once.
    _ = assistant.retriever.lexical
    assistant.retriever.embedder.get_query_embedding("warm-up")
    records = []
    for item in tqdm(items, desc="eval", unit="q", file=sys.stderr):
        answer = assistant.ask(item["question"], k=k)
        retrieved = [(h.document, h.paragraph) for h in answer.retrieved]
        ranking = list(retrieved)
        gold = set(item["gold"])
        if gold and k < metrics.RANK_DEPTH and not gold <= set(ranking):
            # Ranks k+1..10 for MRR@10/nDCG@10: the same deterministic search, deeper. Run only
            # when a gold paragraph is missing from the top k, since it cannot change them.
            deeper = assistant.retriever.search(answer.search_query or item["question"], k=metrics.RANK_DEPTH)
            ranking += [r for r in ((h.document, h.paragraph) for h in deeper) if r not in ranking]
        cited = [(c.hit.document, c.hit.paragraph) for c in answer.citations]
        found = [] if answer.abstained else metrics.keys_found(answer_text_for_keys(answer.text), item["keys"])
        records.append({
            "id": item["id"], "question": item["question"], "language": item["language"],
            "answerable": item["answerable"], "mode": answer.mode,
            "gold": [list(r) for r in item["gold"]], "keys": item["keys"],
            "retrieved": [list(r) for r in retrieved], "ranking": [list(r) for r in ranking[:metrics.RANK_DEPTH]],
            "rank": metrics.first_relevant_rank(ranking, item["gold"]) if item["gold"] else None,
            "cited": [list(r) for r in cited],
            "cited_relevant": metrics.citation_relevance(cited, [c.hit.text for c in answer.citations],
                                                         item["gold"], item["keys"]),
            "abstained": answer.abstained, "answer": answer.text, "keys_found": found,
            "latency_ms": answer.timings_ms.get("total"),
        })
    return records


# --- report -----------------------------------------------------------------------

def figures_of(records: list[dict]) -> dict:
    return {"overall": metrics.summarize(records),
            "by_language": metrics.by_group(records, lambda r: r["language"]),
            "by_mode": metrics.by_group(records, lambda r: r["mode"])}


def flat_groups(figures: dict) -> dict[str, dict]:
    """{"overall": ..., "ar": ..., "en": ..., "mode:extractive": ...}: the groups thresholds name."""
    groups = {"overall": figures["overall"], **figures["by_language"]}
    groups.update({f"mode:{m}": f for m, f in figures["by_mode"].items()})
    return groups


def _relative(path: Path | None) -> str | None:
    if path is None:
        return None
    path = path.resolve()
    try:
        return str(path.relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def _fmt(value, metric: str) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if metric.endswith("_ms") else f"{value:.3f}"


def _delta(value, before, metric: str) -> str:
    if value is None or before is None:
        return ""
    change = value - before
    if abs(change) < (0.5 if metric.endswith("_ms") else 0.0005):
        return " (±0)"
    arrow = "▲" if (change > 0) == (metric in metrics.HIGHER_IS_BETTER) else "▼"  # ▲ better, ▼ worse
    return f" ({change:+.0f} {arrow})" if metric.endswith("_ms") else f" ({change:+.3f} {arrow})"


def _ref(ref, document: str) -> str:
    """"2.2" when the corpus is one document (document == its id), else "doc:2.2"."""
    d, p = ref
    return p if d == document else f"{d}:{p}"


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return (text[: n - 1] + "…" if len(text) > n else text).replace("|", "\\|")


def write_markdown(report: dict, previous: dict | None, path: Path) -> None:
    figures, dataset = report["metrics"], report["dataset"]
    groups = [("all", figures["overall"])] + list(figures["by_language"].items())
    before_groups = {}
    if previous:
        prev = previous.get("metrics", {})
        before_groups = {"all": prev.get("overall", {}), **prev.get("by_language", {})}
    lines = [f"# Evaluation report: {dataset['name']}", "",
             f"- Run: {report['created']} · mode `{report['mode']}` · embedder `{report['embedder']}` · k={report['k']}",
             f"- Questions: {figures['overall']['questions']} ({figures['overall']['answerable']} answerable, "
             f"{figures['overall']['unanswerable']} unanswerable)"
             + (f", a deterministic subsample of {dataset['limit']}" if dataset.get("limit") else ""),
             f"- Corpus: {report['corpus']['documents']} documents, {report['corpus']['paragraphs']} paragraphs"
             f" · run time {report['duration_s']:.0f} s"]
    if previous:
        same = previous.get("dataset", {}).get("name") == dataset["name"] and \
            previous.get("dataset", {}).get("limit") == dataset.get("limit")
        lines.append(f"- Deltas in brackets (▲ better, ▼ worse) are against the previous report in this folder "
                     f"({previous.get('created', '?')}, mode `{previous.get('mode', '?')}`)" + ("" if same else
                     f" — **on a different question set** ({previous.get('dataset', {}).get('name')})") + ".")
    if report.get("check"):
        check = report["check"]
        lines.append(f"- Threshold check ({check['thresholds']}): " +
                     ("**passed**" if not check["failures"] else f"**FAILED** ({len(check['failures'])})"))
        lines += [f"  - {f}" for f in check["failures"]]
    lines += ["", "## Figures", "",
              "| metric | " + " | ".join(name for name, _ in groups) + " |",
              "|---|" + "---:|" * len(groups)]
    for metric, label in LABELS.items():
        cells = [_fmt(f.get(metric), metric) + _delta(f.get(metric), before_groups.get(name, {}).get(metric), metric)
                 for name, f in groups]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["| questions (answerable / unanswerable) | " +
              " | ".join(f"{f['questions']} ({f['answerable']} / {f['unanswerable']})" for _, f in groups) + " |",
              "", f"![metrics per language, latency]({CHART})", ""]
    lines += _failure_sections(report["results"], single_document=report["corpus"]["documents"] == 1)
    if report.get("warnings"):
        lines += ["## Gold-set warnings", ""] + [f"- {w}" for w in report["warnings"]] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _failure_sections(results: list[dict], single_document: bool) -> list[str]:
    def doc(r):
        return r["gold"][0][0] if r["gold"] and single_document else ""

    wrong_top = [r for r in results if r["gold"] and r["rank"] != 1]
    missed = [r for r in results if r["answerable"] and r["keys"] and not r["abstained"] and not r["keys_found"]]
    wrong_abstain = [r for r in results if r["answerable"] and r["abstained"]]
    false_answer = [r for r in results if not r["answerable"] and not r["abstained"]]
    out = ["## Failures", ""]
    out += [f"### Wrong top-1 paragraph ({len(wrong_top)})", "",
            "| id | lang | question | gold | rank | retrieved |", "|---|---|---|---|---:|---|"]
    out += [f"| {r['id']} | {r['language']} | {_short(r['question'], 80)} | "
            f"{', '.join(_ref(g, doc(r)) for g in r['gold'])} | {r['rank'] or '>10'} | "
            f"{', '.join(_ref(g, doc(r)) for g in r['retrieved'])} |" for r in wrong_top]
    out += ["", f"### Answered without any answer key ({len(missed)})", "",
            "| id | lang | question | keys | cited | answer |", "|---|---|---|---|---|---|"]
    out += [f"| {r['id']} | {r['language']} | {_short(r['question'], 70)} | {_short(' / '.join(r['keys']), 50)} | "
            f"{', '.join(_ref(c, doc(r)) for c in r['cited'])} | {_short(r['answer'])} |" for r in missed]
    out += ["", f"### Wrong abstentions on answerable questions ({len(wrong_abstain)})", "",
            "| id | lang | question | gold | rank |", "|---|---|---|---|---:|"]
    out += [f"| {r['id']} | {r['language']} | {_short(r['question'])} | "
            f"{', '.join(_ref(g, doc(r)) for g in r['gold'])} | {r['rank'] or '>10'} |" for r in wrong_abstain]
    out += ["", f"### Answers to unanswerable questions ({len(false_answer)})", "",
            "| id | lang | question | cited | answer |", "|---|---|---|---|---|"]
    out += [f"| {r['id']} | {r['language']} | {_short(r['question'], 80)} | "
            f"{', '.join(_ref(c, c[0] if single_document else '') for c in r['cited'])} | {_short(r['answer'])} |"
            for r in false_answer]
    return out + [""]


def report_json(report: dict) -> str:
    """The figures indented, each per-question result on one line: a committed
    report stays short and its diffs show which questions changed."""
    head = json.dumps({k: v for k, v in report.items() if k != "results"}, ensure_ascii=False, indent=1)
    results = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in report["results"])
    return head[:-2] + ',\n "results": [\n' + results + "\n ]\n}\n"


def write_chart(report: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures = report["metrics"]
    groups = [(f"{mode} · all", figures["by_mode"][mode]) for mode in figures["by_mode"]]
    groups += [(f"{report['mode']} · {lang}", f) for lang, f in figures["by_language"].items()]
    color = {label: f"C{n}" for n, (label, _) in enumerate(groups)}
    language_color = {lang: color[f"{report['mode']} · {lang}"] for lang in figures["by_language"]}
    panels = [("Retrieval", ["hit@1", "hit@5", "mrr@10", "ndcg@10"]),
              ("Answers", ["citation_precision", "citation_recall", "key_containment", "key_containment_all",
                           "abstention_precision", "abstention_recall", "wrong_abstention_rate"])]
    fig, axes = plt.subplots(3, 1, figsize=(11, 12), gridspec_kw={"height_ratios": [1, 1.2, 0.9]})
    width = 0.8 / max(1, len(groups))
    for ax, (title, names) in zip(axes, panels):
        for g, (label, f) in enumerate(groups):
            xs = [i + (g - (len(groups) - 1) / 2) * width for i in range(len(names))]
            values = [f.get(n) if f.get(n) is not None else 0.0 for n in names]
            bars = ax.bar(xs, values, width, label=label, color=color[label])
            ax.bar_label(bars, labels=[_fmt(f.get(n), n) for n in names], fontsize=7, padding=1)
        ax.set_xticks(range(len(names)), [SHORT[n] for n in names], fontsize=9)
        ax.set_ylim(0, 1.25)
        ax.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
        ax.set_title(title)
        ax.legend(fontsize=8, loc="upper right", ncol=len(groups))
        ax.grid(axis="y", alpha=0.3)
    ax = axes[2]
    by_language: dict[str, list[float]] = {}
    for r in report["results"]:
        if r.get("latency_ms") is not None:
            by_language.setdefault(r["language"], []).append(r["latency_ms"])
    if by_language:
        ax.hist(list(by_language.values()), bins=30, label=list(by_language), stacked=True,
                color=[language_color.get(lang, "gray") for lang in by_language])
        for name, style in (("latency_p50_ms", "--"), ("latency_p95_ms", ":")):
            value = figures["overall"].get(name)
            if value is not None:
                ax.axvline(value, color="black", linestyle=style, label=f"{name[8:11]} {value:.0f} ms")
        ax.legend(fontsize=8)
    ax.set_title("Latency per question (Assistant.ask total)")
    ax.set_xlabel("ms")
    ax.set_ylabel("questions")
    fig.suptitle(f"{report['dataset']['name']} · {report['created'][:16]}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# --- thresholds -------------------------------------------------------------------

def load_thresholds(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    if "thresholds" not in data:
        raise SystemExit(f"error: {path} has no \"thresholds\" object")
    return data


# --- main -------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--gold", type=Path, help=f"gold JSONL (default: {_relative(DEFAULT_GOLD)})")
    source.add_argument("--squad", type=Path, help="SQuAD-format JSON: its contexts become the corpus")
    parser.add_argument("--squad-questions", type=Path,
                        help="a parallel SQuAD file whose questions (same ids) are asked instead, e.g. xquad.en.json")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="report folder (default: evals/reports/latest)")
    parser.add_argument("--limit", type=int, help="score a deterministic subsample of N questions")
    parser.add_argument("--check", action="store_true", help="exit 1 if a figure is below its threshold")
    parser.add_argument("--thresholds", type=Path, default=DEFAULT_THRESHOLDS,
                        help="thresholds for --check (default: evals/thresholds.json)")


def run(args: argparse.Namespace, config: Config) -> int:
    if args.squad_questions and not args.squad:
        print("error: --squad-questions needs --squad", file=sys.stderr)
        return 2
    if args.limit is not None and args.limit < 1:
        print("error: --limit must be at least 1", file=sys.stderr)
        return 2
    thresholds = None
    if args.check:
        if not args.thresholds.exists():
            print(f"error: no thresholds file {args.thresholds}", file=sys.stderr)
            return 2
        thresholds = load_thresholds(args.thresholds)

    started = time.monotonic()
    if args.squad:
        contexts, items = load_squad(args.squad, args.squad_questions)
        name = args.squad.name + (f" + questions of {args.squad_questions.name}" if args.squad_questions else "")
        root = config.data_dir / "squad" / args.squad.stem
        corpus = root / "corpus"
        write_squad_corpus(corpus, contexts)
        # A store of its own: the SQuAD contexts must not mix with the Council corpus.
        config = replace(config, data_dir=root / "index", corpus_dir=corpus)
        dataset = {"kind": "squad", "name": name, "path": _relative(args.squad),
                   "questions_path": _relative(args.squad_questions)}
    else:
        gold_path = args.gold or DEFAULT_GOLD
        items = load_gold(gold_path)
        corpus = config.corpus_dir
        dataset = {"kind": "gold", "name": gold_path.name, "path": _relative(gold_path),
                   "corpus": _relative(corpus)}
    dataset["questions_in_file"] = len(items)
    dataset["limit"] = args.limit if args.limit and args.limit < len(items) else None
    items = subsample(items, args.limit)
    if not items:
        print("error: no questions to ask", file=sys.stderr)
        return 2

    if thresholds is not None and thresholds.get("dataset") not in (None, dataset["name"]):
        print(f"error: {args.thresholds} holds thresholds for {thresholds['dataset']!r}, not {dataset['name']!r}; "
              "pass --thresholds FILE for this question set", file=sys.stderr)
        return 2

    from assistant.answer import Assistant
    retriever, paragraphs = prepare_index(config, corpus)
    warnings = gold_warnings(items, paragraphs)
    for warning in warnings[:20]:
        print(f"warning: {warning}", file=sys.stderr)
    assistant = Assistant(config, retriever)
    if thresholds is not None and thresholds.get("mode") not in (None, assistant.mode):
        print(f"warning: the thresholds were measured in mode {thresholds['mode']!r}; this run is {assistant.mode!r}",
              file=sys.stderr)

    records = ask_all(assistant, items)
    figures = figures_of(records)
    report = {
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "dataset": dataset, "mode": assistant.mode, "embedder": config.embedder, "k": config.k,
        "corpus": {"documents": len({d for d, _ in paragraphs}), "paragraphs": len(paragraphs)},
        "duration_s": round(time.monotonic() - started, 1),
        "metrics": figures, "warnings": warnings, "results": records,
    }
    failures: list[str] = []
    if thresholds is not None:
        failures = metrics.check_thresholds(flat_groups(figures), thresholds["thresholds"])
        report["check"] = {"thresholds": _relative(args.thresholds), "failures": failures}

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    previous = None
    if (out / "report.json").exists():
        try:
            previous = json.loads((out / "report.json").read_text(encoding="utf-8"))
        except ValueError:
            print(f"warning: {out / 'report.json'} is not valid JSON; no deltas", file=sys.stderr)
    write_chart(report, out / CHART)
    write_markdown(report, previous, out / "report.md")
    (out / "report.json").write_text(report_json(report), encoding="utf-8")

    _print_summary(figures, out)
    if thresholds is not None:
        if failures:
            print(f"CHECK FAILED: {len(failures)} figure(s) outside their thresholds ({args.thresholds}):")
            for failure in failures:
                print(f"  {failure}")
            return 1
        print(f"check passed: every figure meets its threshold ({args.thresholds})")
    return 0


def _print_summary(figures: dict, out: Path) -> None:
    groups = [("all", figures["overall"])] + list(figures["by_language"].items())
    print(f"{'metric':<36}" + "".join(f"{name:>10}" for name, _ in groups))
    for metric, label in LABELS.items():
        print(f"{label:<36}" + "".join(f"{_fmt(f.get(metric), metric):>10}" for _, f in groups))
    print(f"report: {out / 'report.md'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.run_eval", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="where the index lives (env COUNCIL_DATA_DIR)")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args, Config.from_env(data_dir=args.data_dir))


if __name__ == "__main__":
    sys.exit(main())
