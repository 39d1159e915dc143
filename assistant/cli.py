"""`council`: index, search, ask, chat, eval. Each subcommand is a thin shell over
the same functions the web chat and the evals call."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from index.config import Config

MAX_K = 50                 # paragraphs a search may return
_CONTROL = re.compile("[\x00-\x1f\x7f]")


def one_line(text: str) -> str:
    """Control characters (a newline in a file name) escaped: one error, one line."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


def progress_bar(description: str, unit: str = "text"):
    """A progress(done, total) callback drawing a bar on stderr (none for small jobs)."""
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


def _open_index(config: Config, rebuild: bool = False):
    from index.api import Index
    from index.store import EmbedderMismatch
    try:
        return Index(config, rebuild=rebuild)
    except EmbedderMismatch as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2)


def cmd_index(args, config: Config) -> int:
    index = _open_index(config, rebuild=args.rebuild)
    paths = [Path(p) for p in args.paths] or [config.corpus_dir]
    summary = index.sync(paths, progress=progress_bar("embedding"))
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False))
    else:
        print(f"{summary.documents} documents, {summary.paragraphs} paragraphs: {summary.added} added, "
              f"{summary.updated} updated, {summary.removed} removed, {summary.unchanged} unchanged; "
              f"{summary.embedded} texts embedded in {summary.seconds:.1f} s")
    for error in summary.errors:
        print(one_line(f"error: {error['path']}: {error['error']}"), file=sys.stderr)
    return 1 if summary.errors else 0


def _filters(args):
    from index.retrieve import Filters
    return Filters(document=args.document, symbol=args.symbol, language=args.language, year=args.year or 0)


def cmd_search(args, config: Config) -> int:
    from assistant.answer import clean_question
    index = _open_index(config)
    hits = index.search(clean_question(args.query), k=args.k, filters=_filters(args)) if args.query.strip() else []
    if args.json:
        print(json.dumps([h.to_json() for h in hits], ensure_ascii=False, indent=1))
        return 0
    if not hits:
        print("no matching paragraph (nothing indexed yet? run `council index`; or loosen the filters)", file=sys.stderr)
    for n, hit in enumerate(hits, 1):
        label = f" (printed {hit.label})" if hit.label and hit.label != hit.paragraph else ""
        print(f"[{n}] {hit.document} ¶{hit.paragraph}{label} [{hit.language}] score {hit.score:.4f} "
              f"dense #{hit.dense_rank} lexical #{hit.lexical_rank}")
        print(f"    {' > '.join([hit.title, *hit.headings])}")
        print("    " + hit.text.replace("\n", "\n    "))
    return 0


def cmd_ask(args, config: Config) -> int:
    from assistant.answer import Assistant
    assistant = Assistant(config, _open_index(config))
    filters = _filters(args)
    if args.jsonl:
        # One process for the whole batch: the model and index load once. A bad line
        # gets an error object of its own; the batch goes on.
        for number, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("question"), str):
                    raise ValueError('expected an object with a string "question"')
            except ValueError as error:
                print(json.dumps({"line": number, "error": f"not a question: {error}"}), flush=True)
                continue
            answer = assistant.ask(item["question"], k=args.k, filters=filters)
            print(json.dumps({"id": item.get("id"), **answer.to_json()}, ensure_ascii=False), flush=True)
        return 0
    if args.question is None:
        print("error: give a QUESTION, or --jsonl to read questions from standard input", file=sys.stderr)
        return 2
    answer = assistant.ask(args.question, k=args.k, filters=filters)
    if args.json:
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(answer.text)
    for citation in answer.citations:
        hit = citation.hit
        print(f"\n[{citation.n}] {hit.title or hit.document}, paragraph {hit.paragraph}"
              f"{f' (printed {hit.label})' if hit.label and hit.label != hit.paragraph else ''}, {hit.language}, {hit.date}")
        print("    " + hit.text.replace("\n", "\n    "))
    if answer.abstained and answer.retrieved:
        for hit in answer.retrieved[:3]:
            print(f"\n- {hit.document} ¶{hit.paragraph}: {hit.text[:200]}")
    return 0


def cmd_chat(args, config: Config) -> int:
    """Index config.corpus_dir (incremental: cheap when nothing changed), then serve the web chat.
    Off loopback, refuse to start without logins (assistant.access)."""
    import os
    from assistant.access import AccessError, chat_logins
    try:
        logins = chat_logins(args.host)
    except AccessError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    # Gradio picks its temp folder when imported: keep it with this index.
    os.environ["GRADIO_TEMP_DIR"] = str(config.data_dir / "gradio")
    from assistant.chat_app import ChatApp
    from assistant.chat_ui import launch
    from index.store import EmbedderMismatch
    try:
        app = ChatApp(config)
    except EmbedderMismatch as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    summary = app.index_corpus()
    if summary is None:
        print(f"note: {config.corpus_dir} does not exist; add documents in the Documents tab", file=sys.stderr)
    else:
        print(f"index: {summary.documents} documents, {summary.paragraphs} paragraphs: {summary.added} added, "
              f"{summary.updated} updated, {summary.removed} removed; {summary.embedded} texts embedded "
              f"in {summary.seconds:.1f} s", file=sys.stderr)
        for error in summary.errors:
            print(f"error: {error['path']}: {error['error']}", file=sys.stderr)
    launch(app, host=args.host, port=args.port, logins=logins)
    return 0


def cmd_eval(args, config: Config) -> int:
    """Score the assistant on gold sets (evals/README.md). The harness is imported only here:
    the product does not depend on it."""
    from evals.runner import main as run_eval
    return run_eval(args.eval_args, config)


def _positive(upper: int):
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}")
        if not 1 <= number <= upper:
            raise argparse.ArgumentTypeError(f"must be between 1 and {upper}, not {number}")
        return number
    return parse


def _year(value: str) -> int:
    if not (value.isdigit() and len(value) == 4):
        raise argparse.ArgumentTypeError(f"a year is four digits, like 2023, not {value!r}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="council", description=__doc__)
    parser.add_argument("--data-dir", help="where the index lives (env COUNCIL_DATA_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index documents incrementally (default: docs_corpus/)")
    p.add_argument("paths", nargs="*")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--rebuild", action="store_true", help="drop the index and build it anew")
    p.set_defaults(run=cmd_index)

    p = sub.add_parser("search", help="ranked paragraphs for a query")
    p.add_argument("query")
    _add_retrieval_options(p)
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("ask", help="answer a question with cited paragraphs")
    p.add_argument("question", nargs="?")
    p.add_argument("--jsonl", action="store_true", help='read {"id","question"} lines on stdin, write one result line each')
    _add_retrieval_options(p)
    p.set_defaults(run=cmd_ask)

    p = sub.add_parser("chat", help="web chat (indexes the corpus first when it is missing or stale)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1); any other needs COUNCIL_CHAT_AUTH or "
                        "COUNCIL_CHAT_AUTH_FILE logins")
    p.add_argument("--port", type=int, default=7860)
    p.set_defaults(run=cmd_chat)

    # Its options belong to evals.runner, parsed there: the product does not import the harness.
    p = sub.add_parser("eval", add_help=False, help="score the assistant on gold sets; `council eval --help` for options")
    p.set_defaults(run=cmd_eval)
    return parser


def _add_retrieval_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--k", type=_positive(MAX_K), default=5, help=f"paragraphs to return (1 to {MAX_K})")
    p.add_argument("--json", action="store_true")
    p.add_argument("--document", default="", help="only this document id")
    p.add_argument("--symbol", default="", help="only documents with this symbol (all their language versions)")
    p.add_argument("--language", default="", help="only documents in this language (ar, en, ...)")
    p.add_argument("--year", type=_year, default=0, help="only documents of this year")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command == "eval":
        args.eval_args = rest
    elif rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        config = Config.from_env(data_dir=Path(args.data_dir) if args.data_dir else None)
    except ValueError as error:  # a setting in the environment that is not a number
        parser.error(str(error))
    return args.run(args, config)


if __name__ == "__main__":
    sys.exit(main())
