"""Bad questions, bad command lines, a damaged lexical index, two indexers at once, and a
running reader while another process re-indexes: a clear answer or message every time,
never a traceback, and nothing indexed is lost."""
from __future__ import annotations

import fcntl
import json
import subprocess
import sys
import time

import pytest

from assistant.answer import MAX_QUESTION_CHARS, Assistant
from index.api import VERSION_TTL, Index
from index.config import Config
from tests.conftest import PROJECT

SEES_WITHIN = 20.0         # seconds a running reader may take to see another process's change

DOC = """\t3 June 2025
\tReport by the Secretary-General
\tHarbour radio
1\tStations
1.1\tITU and the port authority of Velmora opened a coastal radio station on the north pier in 2025.
1.2\tThe station relays distress calls from fishing boats to the rescue centre.
"""


def council(*args, data_dir, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "assistant.cli", "--data-dir", str(data_dir), *args], input=stdin,
                          capture_output=True, text=True, cwd=PROJECT, timeout=600)


@pytest.fixture(scope="module")
def assistant(seed_config, seed_index):
    return Assistant(seed_config, seed_index)


@pytest.mark.parametrize("question, says", [
    ("", "type a question"),
    ("   \t\n ", "type a question"),
    ("?!…", "no words"),
    ("🙂🙂 👍", "no words"),
    ("؟!", "لا يحتوي هذا السؤال على كلمات"),
    ("x" * (MAX_QUESTION_CHARS + 1), "too long"),
])
def test_questions_with_nothing_to_search_get_a_message_not_an_answer(assistant, question, says):
    answer = assistant.ask(question)
    assert answer.abstained and not answer.citations and not answer.retrieved
    assert says in answer.text


def test_control_and_bidi_override_characters_do_not_change_the_answer(assistant):
    plain = assistant.ask("What does resolution 76/307 decide?")
    dressed = assistant.ask("\u202eWhat does\u0007 resolution\u200f 76/307 decide?\u202c")
    assert dressed.question == plain.question
    assert [c.hit.key for c in dressed.citations] == [c.hit.key for c in plain.citations]


def test_a_question_pasting_thousands_of_codes_is_answered_without_crashing(assistant):
    codes = " ".join(f"C{n // 100}/INF/{n % 100}" for n in range(3000))
    answer = assistant.ask(f"Which of these documents mention outer space? {codes}"[:MAX_QUESTION_CHARS])
    assert answer.text  # an answer or an abstention, and the process is alive


def test_bad_command_line_values_get_a_clear_message(tmp_path):
    for args, message in ((["search", "x", "--year", "abc"], "four digits"), (["search", "x", "--k", "0"], "between 1"),
                          (["ask", "x", "--k", "many"], "whole number")):
        done = council(*args, data_dir=tmp_path)
        assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_jsonl_batch_reports_a_bad_line_and_goes_on(seed_config):
    lines = ['{"id": 1, "question": "ما هو CSW67؟"}', "not json at all", '{"id": 3, "question": 42}',
             '["a", "list"]', '{"id": 5, "question": "What does resolution 76/307 decide?"}']
    done = council("ask", "--jsonl", data_dir=seed_config.data_dir, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o.get("id") for o in out] == [1, None, None, None, 5]
    assert [o["line"] for o in out if "error" in o] == [2, 3, 4]
    assert out[0]["citations"] and out[4]["citations"]


def test_a_damaged_lexical_index_is_rebuilt_from_the_store(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbour.txt").write_text(DOC, encoding="utf-8")
    config = Config.from_env(data_dir=tmp_path / "data", corpus_dir=corpus)
    Index(config).sync([corpus])
    (config.data_dir / "lexical.sqlite").write_bytes(b"this is not a database" * 100)
    for suffix in ("-wal", "-shm"):
        (config.data_dir / f"lexical.sqlite{suffix}").unlink(missing_ok=True)
    hits = Index(config).search("Velmora north pier", k=1)
    assert hits[0].paragraph == "1.1" and hits[0].lexical_rank == 1


def test_a_second_indexer_waits_for_the_one_holding_the_lock(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbour.txt").write_text(DOC, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    with open(data / "index.lock", "a+") as holder:  # this test is the first indexer
        fcntl.flock(holder, fcntl.LOCK_EX)
        holder.write("process test-holder")
        holder.flush()
        second = subprocess.Popen([sys.executable, "-m", "assistant.cli", "--data-dir", str(data), "index", "--json",
                                   str(corpus)], cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(8)
        assert second.poll() is None, "the second indexer must wait, not write beside the first"
        holder.truncate(0)
        fcntl.flock(holder, fcntl.LOCK_UN)
    out, err = second.communicate(timeout=600)
    assert second.returncode == 0 and json.loads(out)["added"] == 3
    assert "waiting for the index lock" in err and "test-holder" in err


def test_a_running_reader_sees_another_process_add_change_and_remove_paragraphs(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbour.txt").write_text(DOC, encoding="utf-8")
    config = Config.from_env(data_dir=tmp_path / "data", corpus_dir=corpus)
    reader = Index(config)
    reader.sync([corpus])
    assert reader.search("distress calls rescue centre", k=1)[0].paragraph == "1.2"

    (corpus / "harbour.txt").write_text(DOC.replace("1.2\tThe station relays distress calls from fishing boats to the "
                                                    "rescue centre.\n", ""), encoding="utf-8")
    (corpus / "lighthouse.txt").write_text(DOC.replace("Harbour radio", "Lighthouse beacons").replace(
        "coastal radio station on the north pier", "solar lighthouse beacon on Kestrel island"), encoding="utf-8")
    assert council("index", str(corpus), data_dir=config.data_dir).returncode == 0
    time.sleep(VERSION_TTL + 0.2)
    # Answering from the new paragraph at once needs its sentences' vectors, which this
    # reader's vector index does not hold yet: they come from the shared embedding cache.
    new = reader.search("solar lighthouse beacon on Kestrel island", k=1)[0]
    sentences = reader.sentences([new])[new.key]
    assert [s.text for s in sentences] == ["ITU and the port authority of Velmora opened a solar lighthouse beacon on "
                                           "Kestrel island in 2025."]
    assert sentences[0].vector @ reader.embed_passage(sentences[0].as_read) > 0.999
    # The removed paragraph is gone at once, without an error (no search fails on it).
    for hit in reader.search("distress calls rescue centre", k=5):
        assert hit.key != ("harbour", "1.2")
    # The new one is found lexically at once, and by the vectors once they have reloaded
    # (in the background, while searches go on): within seconds.
    deadline = time.monotonic() + SEES_WITHIN
    while True:
        found = reader.search("solar lighthouse beacon on Kestrel island", k=1)[0]
        assert (found.document, found.paragraph) == ("lighthouse", "1.1")
        if found.dense_rank is not None or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert found.dense_rank is not None and found.lexical_rank is not None
