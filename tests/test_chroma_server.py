"""A Chroma server instead of the embedded store is a configuration change:
`chroma run` (shipped with chromadb) on loopback, COUNCIL_CHROMA_URL pointing at it."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT, SEED


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_url(tmp_path):
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(tmp_path / "server"),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("chroma run did not start listening within 60 s")
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


def test_index_and_ask_against_a_chroma_server(tmp_path, chroma_url):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / SEED.name).write_bytes(SEED.read_bytes())
    env = {"COUNCIL_CHROMA_URL": chroma_url, "COUNCIL_DATA_DIR": str(tmp_path / "data")}

    def council(*args):
        return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                              cwd=PROJECT, env={**os.environ, **env}, timeout=600)

    indexed = council("index", str(corpus), "--json")
    assert indexed.returncode == 0, indexed.stderr
    assert json.loads(indexed.stdout)["added"] == 33
    assert not (tmp_path / "data" / "chroma").exists(), "the embedded store must not be used"
    asked = council("ask", "What does resolution 76/307 decide?", "--json")
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["citations"][0]["paragraph"] == "2.2"
