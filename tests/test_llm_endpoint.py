"""A generative answer through the real OpenAI-compatible client, against a local
HTTP endpoint that replies with a scripted completion: what is tested is what the
assistant does with an LLM's output (citations checked, unsupported ones dropped)."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.answer import Assistant
from index.config import Config

REPLY = ("The Summit of the Future will be held in September 2024 [1]. "
         "It will take place on the Moon with free ice cream [2].")


class ScriptedCompletions(BaseHTTPRequestHandler):
    prompts: list[str] = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ScriptedCompletions.prompts.append(body["messages"][-1]["content"])
        payload = json.dumps({
            "id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedCompletions)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/v1"
    server.shutdown()


def test_llm_answer_keeps_supported_citations_and_flags_the_rest(seed_config, seed_index, endpoint):
    config = Config.from_env(data_dir=seed_config.data_dir, llm="openai", llm_url=endpoint, llm_model="local")
    answer = Assistant(config, seed_index).ask("متى ستعقد قمة المستقبل؟", k=3)

    prompt = ScriptedCompletions.prompts[-1]
    assert "Question: متى ستعقد قمة المستقبل؟" in prompt and "Answer in Arabic" in prompt
    assert "[1] (council-2023-un-cooperation-report-ar, paragraph 2.2)" in prompt
    assert answer.mode == "llm:openai:local"
    assert [c.hit.paragraph for c in answer.citations] == ["2.2"]
    assert answer.text.splitlines()[0].endswith("[1]")
    assert answer.unsupported == ["It will take place on the Moon with free ice cream."]
    assert not answer.abstained
