"""An eval run written down: report.json (every figure, one line per question),
report.md (tables per question set and split, failures, deltas against the
previous report in the folder) and chart.png."""
from __future__ import annotations

import json
from pathlib import Path

from evals.metrics import HIGHER_IS_BETTER, summarize

CHART = "chart.png"
LANGUAGES = ("all", "ar", "en")
LABELS = {
    "hit@1": "retrieval hit@1", "hit@5": "retrieval hit@5", "mrr@10": "MRR@10", "ndcg@10": "nDCG@10",
    "citation_precision": "citation precision", "citation_recall": "citation recall",
    "key_containment": "answer-key containment (any key)", "key_containment_all": "answer-key containment (all keys)",
    "abstention_precision": "abstention precision", "abstention_recall": "abstention recall",
    "wrong_abstention_rate": "wrong-abstention rate", "unsupported_rate": "unsupported sentences (LLM)",
    "llm_failure_rate": "LLM failures (extractive fallback)",
    "latency_p50_ms": "latency p50 (ms)", "latency_p95_ms": "latency p95 (ms)",
}
SHORT = {"key_containment": "keys: any", "key_containment_all": "keys: all", "citation_precision": "citation P",
         "citation_recall": "citation R", "abstention_precision": "abstention P", "abstention_recall": "abstention R",
         "wrong_abstention_rate": "wrong abstention", "hit@1": "hit@1", "hit@5": "hit@5",
         "mrr@10": "MRR@10", "ndcg@10": "nDCG@10"}


def group_name(dataset: str, split: str, language: str) -> str:
    return f"{dataset}/{split}/{language}"


def figures(records: list[dict]) -> dict:
    """summarize() for every (question set, split, language) group, "all" included."""
    groups: dict[str, list[dict]] = {}
    for r in records:
        for split in ("all", r["split"]):
            for language in ("all", r["language"]):
                groups.setdefault(group_name(r["dataset"], split, language), []).append(r)
    return {"groups": {name: summarize(groups[name]) for name in sorted(groups)}}


def write(result: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    previous = None
    if (out / "report.json").exists():
        try:
            previous = json.loads((out / "report.json").read_text(encoding="utf-8"))
        except ValueError:
            previous = None
    write_chart(result, out / CHART)
    (out / "report.md").write_text(markdown(result, previous), encoding="utf-8")
    (out / "report.json").write_text(as_json(result), encoding="utf-8")


def as_json(result: dict) -> str:
    """The figures indented, each per-question result on one line: a committed
    report stays short and its diffs show which questions changed."""
    head = json.dumps({k: v for k, v in result.items() if k != "results"}, ensure_ascii=False, indent=1)
    results = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in result["results"])
    return head[:-2] + ',\n "results": [\n' + results + "\n ]\n}\n"


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
    arrow = "▲" if (change > 0) == (metric in HIGHER_IS_BETTER) else "▼"  # ▲ better, ▼ worse
    return f" ({change:+.0f} {arrow})" if metric.endswith("_ms") else f" ({change:+.3f} {arrow})"


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return (text[: n - 1] + "…" if len(text) > n else text).replace("|", "\\|")


def _ref(ref) -> str:
    return f"{ref[0]} ¶{ref[1]}"


def datasets_in(result: dict) -> list[str]:
    return sorted({r["dataset"] for r in result["results"]})


def markdown(result: dict, previous: dict | None) -> str:
    groups = result["metrics"]["groups"]
    before = (previous or {}).get("metrics", {}).get("groups", {})
    lines = ["# Evaluation report", "",
             f"- Run: {result['created']} · mode `{result['mode']}` · embedder `{result['embedder']}` · k={result['k']}",
             f"- Question sets: {', '.join(result['sources'])}" + (f" · split {result['split']}" if result["split"] != "all" else "")
             + (f" · a deterministic subsample of {result['limit']}" if result.get("limit") else ""),
             f"- Corpus: {result['corpus']['documents']} documents, {result['corpus']['paragraphs']} paragraphs"
             f" · run time {result['duration_s']:.0f} s"]
    if previous:
        lines.append(f"- Deltas in brackets (▲ better, ▼ worse) are against the previous report in this folder "
                     f"({previous.get('created', '?')}, mode `{previous.get('mode', '?')}`).")
    if result.get("check"):
        check = result["check"]
        lines.append(f"- Threshold check ({check['thresholds']}): " +
                     ("**passed**" if not check["failures"] else f"**FAILED** ({len(check['failures'])})"))
        lines += [f"  - {f}" for f in check["failures"]]
    for dataset in datasets_in(result):
        columns = [(f"{split} · {language}", group_name(dataset, split, language))
                   for split in ("dev", "heldout") for language in LANGUAGES
                   if group_name(dataset, split, language) in groups]
        lines += ["", f"## {dataset}", "", "Held-out questions were written apart and no heuristic was fitted to them;"
                  " dev questions were used for tuning.", "",
                  "| metric | " + " | ".join(name for name, _ in columns) + " |", "|---|" + "---:|" * len(columns)]
        for metric, label in LABELS.items():
            cells = [_fmt(groups[g].get(metric), metric) + _delta(groups[g].get(metric), before.get(g, {}).get(metric), metric)
                     for _, g in columns]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        lines.append("| questions (answerable / unanswerable) | " + " | ".join(
            f"{groups[g]['questions']} ({groups[g]['answerable']} / {groups[g]['unanswerable']})" for _, g in columns) + " |")
    lines += ["", f"![main figures per question set and language; latency]({CHART})", ""]
    lines += failures(result["results"])
    if result.get("warnings"):
        lines += ["## Gold-set warnings", ""] + [f"- {w}" for w in result["warnings"]] + [""]
    return "\n".join(lines)


# The failure tables of report.md: title, which records, and the columns after id and split.
FAILURES = [
    ("Wrong top-1 paragraph", lambda r: r["gold"] and r["rank"] != 1, ("question", "gold", "rank", "retrieved")),
    ("Answered without any answer key",
     lambda r: r["answerable"] and r["keys"] and not r["abstained"] and not r["keys_found"],
     ("question", "keys", "cited", "answer")),
    ("Wrong abstentions on answerable questions", lambda r: r["answerable"] and r["abstained"],
     ("question", "gold", "rank")),
    ("Answers to unanswerable questions", lambda r: not r["answerable"] and not r["abstained"],
     ("question", "cited", "answer")),
]
CELLS = {
    "question": lambda r: _short(r["question"], 80),
    "gold": lambda r: ", ".join(map(_ref, r["gold"])),
    "rank": lambda r: str(r["rank"] or ">10"),
    "retrieved": lambda r: ", ".join(map(_ref, r["retrieved"][:3])),
    "keys": lambda r: _short(" / ".join(r["keys"]), 50),
    "cited": lambda r: ", ".join(map(_ref, r["cited"])),
    "answer": lambda r: _short(r["answer"]),
}


def failures(results: list[dict]) -> list[str]:
    out = ["## Failures"]
    for title, selects, columns in FAILURES:
        chosen = [r for r in results if selects(r)]
        out += ["", f"### {title} ({len(chosen)})", "", "| id | split | " + " | ".join(columns) + " |",
                "|---|---|" + "---|" * len(columns)]
        out += ["| " + " | ".join([r["id"], r["split"], *(CELLS[c](r) for c in columns)]) + " |" for r in chosen]
    return out + [""]


def print_summary(result: dict, out: Path) -> None:
    groups = result["metrics"]["groups"]
    for dataset in datasets_in(result):
        columns = [(f"{split[:4]}·{language}", group_name(dataset, split, language))
                   for split in ("dev", "heldout") for language in LANGUAGES
                   if group_name(dataset, split, language) in groups]
        print(f"\n{dataset}")
        print(f"{'metric':<36}" + "".join(f"{name:>11}" for name, _ in columns))
        for metric, label in LABELS.items():
            print(f"{label:<36}" + "".join(f"{_fmt(groups[g].get(metric), metric):>11}" for _, g in columns))
    print(f"report: {out / 'report.md'}")


def write_chart(result: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    groups = result["metrics"]["groups"]
    shown = [(f"{dataset} · {split}", group_name(dataset, split, "all"))
             for dataset in datasets_in(result) for split in ("dev", "heldout")
             if group_name(dataset, split, "all") in groups]
    panels = [("Retrieval", ["hit@1", "hit@5", "mrr@10", "ndcg@10"]),
              ("Answers", ["citation_precision", "citation_recall", "key_containment", "key_containment_all",
                           "abstention_precision", "abstention_recall", "wrong_abstention_rate"])]
    fig, axes = plt.subplots(3, 1, figsize=(11, 12), gridspec_kw={"height_ratios": [1, 1.2, 0.9]})
    width = 0.8 / max(1, len(shown))
    for ax, (title, names) in zip(axes, panels):
        for g, (label, name) in enumerate(shown):
            figures = groups[name]
            xs = [i + (g - (len(shown) - 1) / 2) * width for i in range(len(names))]
            bars = ax.bar(xs, [figures.get(n) or 0.0 for n in names], width, label=label, color=f"C{g}")
            ax.bar_label(bars, labels=[_fmt(figures.get(n), n) for n in names], fontsize=7, padding=1)
        ax.set_xticks(range(len(names)), [SHORT[n] for n in names], fontsize=9)
        ax.set_ylim(0, 1.25)
        ax.set_title(title)
        ax.legend(fontsize=8, loc="upper right", ncol=max(1, len(shown)))
        ax.grid(axis="y", alpha=0.3)
    ax = axes[2]
    latencies = [r["latency_ms"] for r in result["results"] if r.get("latency_ms") is not None]
    if latencies:
        ax.hist(latencies, bins=30, color="gray")
    ax.set_title("Latency per question (Assistant.ask total; this machine, this run)")
    ax.set_xlabel("ms")
    ax.set_ylabel("questions")
    fig.suptitle(f"{', '.join(datasets_in(result))} · {result['created'][:16]}")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
