"""LLM endpoints on loopback for tests, reached over real HTTP by the product's real
clients: one replies to every chat completion with a scripted text, one accepts
connections and never answers (to time out against)."""
from __future__ import annotations

import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

POLL = 0.2                 # seconds between a stalled connection's checks for the client hanging up
STALL_LIMIT = 120.0        # a stalled connection is dropped after this long even if the client never gives up
_PARAGRAPH_MARKER = re.compile(r"\[¶([\w.]+)\]")


def cite_paragraphs(template: str) -> Callable[[str], str]:
    """A reply that cites paragraphs by id: "[¶2.2]" becomes the [n] that the prompt gave
    paragraph 2.2, so a scripted reply cites the intended paragraph wherever retrieval ranked it."""
    def reply(prompt: str) -> str:
        def marker(match: re.Match) -> str:
            numbered = re.search(rf"^\[(\d+)\] \([^)]*, paragraph {re.escape(match.group(1))}\)$", prompt, re.M)
            assert numbered, f"paragraph {match.group(1)} is not in the prompt"
            return f"[{numbered.group(1)}]"
        return _PARAGRAPH_MARKER.sub(marker, template)
    return reply


class ScriptedEndpoint:
    """An OpenAI-compatible chat-completions endpoint that answers `reply(prompt)`."""

    def __init__(self, reply: Callable[[str], str]):
        self.prompts: list[str] = []
        self.replies: list[str] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                prompt = body["messages"][-1]["content"]
                endpoint.prompts.append(prompt)
                endpoint.replies.append(reply(prompt))
                payload = json.dumps({
                    "id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": endpoint.replies[-1]},
                                 "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self._server.server_port}/v1"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class StalledEndpoint:
    """Accepts every connection, reads what comes, never answers. Records how long each
    client held its connection before giving up, to check timeouts and retries."""

    def __init__(self):
        self.held: list[float] = []          # seconds each finished connection was held by its client
        self.accepted = 0
        self._stop = threading.Event()
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(POLL)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            threading.Thread(target=self._stall, args=(connection,), daemon=True).start()

    def _stall(self, connection: socket.socket) -> None:
        started = time.monotonic()
        connection.settimeout(POLL)
        with connection:
            while not self._stop.is_set() and time.monotonic() - started < STALL_LIMIT:
                try:
                    if not connection.recv(65536):  # the client hung up
                        break
                except TimeoutError:
                    continue
                except OSError:
                    break
        self.held.append(time.monotonic() - started)

    def wait_closed(self, count: int, limit: float = 5.0) -> None:
        """Wait (a little) until `count` connections have been given up by their clients."""
        deadline = time.monotonic() + limit
        while len(self.held) < count and time.monotonic() < deadline:
            time.sleep(POLL / 4)

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join()
        self._socket.close()
