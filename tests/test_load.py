"""Load: simulated users asking at once through the Gradio API, against `mentorprep serve` on the
small real model. Run with `make test-load` (it takes a few minutes; `make test` skips it).

Where the model runs (`make test-load LOAD_SERVER=...`, docs/benchmarks.md):
- `inprocess` (default): llama.cpp inside the app, one answer at a time;
- `llama_cpp`: llama_cpp.server, llama.cpp's Python server (one request at a time);
- `xllamacpp`: llama.cpp's own server from the xllamacpp wheel, MENTORPREP_LOAD_SLOTS parallel
  slots (default 4) with continuous batching; the app sends as many requests at once;
- `url`: any OpenAI-compatible server at MENTORPREP_LOAD_OPENAI_URL (e.g. vLLM on a GPU), with
  MENTORPREP_LOAD_SLOTS requests at once and MENTORPREP_LOAD_OPENAI_MODEL.

Checks: no errors, no lost or crossed conversations (every stored question is its user's own,
every answer complete), and that waiting users are told their place in the queue. Prints the
throughput and the wait figures for the closing note; there are no timing assertions.
"""

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import pytest

from tests.conftest import free_port, stop_process, wait_for_http
from tests.test_browser import Server

pytestmark = [pytest.mark.load, pytest.mark.slow, pytest.mark.real_model]

USERS = int(os.environ.get("MENTORPREP_LOAD_USERS", "16"))
SECONDS = float(os.environ.get("MENTORPREP_LOAD_SECONDS", "120"))
MODEL_SERVER = os.environ.get("MENTORPREP_LOAD_SERVER", "inprocess")
SLOTS = int(os.environ.get("MENTORPREP_LOAD_SLOTS", "4"))
OPENAI_URL = os.environ.get("MENTORPREP_LOAD_OPENAI_URL", "")
OPENAI_MODEL = os.environ.get("MENTORPREP_LOAD_OPENAI_MODEL", "")
QUESTIONS = [
    "How do I ask someone to mentor me?",
    "What should I bring to a first mentor meeting?",
    "How do I follow up when a mentor does not reply?",
    "How do I take critical feedback well?",
]


def simulated_user(url: str, index: int, deadline: float, record: dict) -> None:
    from gradio_client import Client
    from gradio_client.utils import Status

    client = Client(url, verbose=False)
    asked = 0
    while time.monotonic() < deadline:
        marker = f"user{index:02d}-q{asked:02d}"
        question = f"[{marker}] {QUESTIONS[(index + asked) % len(QUESTIONS)]}"
        submitted = time.monotonic()
        job = client.submit(question, [], api_name="/ask")
        started, ranks = None, []
        while not job.done():
            status = job.status()
            if status.code == Status.IN_QUEUE and status.rank is not None:
                ranks.append(status.rank)
            elif status.code in (Status.PROCESSING, Status.ITERATING) and started is None:
                started = time.monotonic()
            time.sleep(0.05)
        try:
            chat, *_ = job.result()
        except Exception as exc:  # counted, not raised: the test reports every error at the end
            record["errors"].append(f"{marker}: {type(exc).__name__}: {exc}")
            asked += 1
            continue
        finished = time.monotonic()
        asked += 1
        texts = " ".join(str(m.get("content", "")) for m in chat)
        others = [m for m in _markers(texts) if not m.startswith(f"user{index:02d}")]
        with record["lock"]:
            record["asks"].append(
                {
                    "user": index,
                    "marker": marker,
                    "wait": (started or finished) - submitted,
                    "latency": finished - submitted,
                    "ranks": ranks,
                    "answer": str(chat[-1].get("content", "")) if chat else "",
                    "crossed": others,
                }
            )


def _markers(text: str) -> list[str]:
    import re

    return re.findall(r"user\d\d-q\d\d", text)


@contextmanager
def model_server(kind: str, model_path, log_dir):
    """The app's settings for `kind`, with its model server running (none for `inprocess`)."""
    if kind == "inprocess":
        yield {}
        return
    if kind == "url":
        if not OPENAI_URL:
            pytest.fail("LOAD_SERVER=url needs MENTORPREP_LOAD_OPENAI_URL")
        yield {
            "MENTORPREP_BACKEND": "openai",
            "MENTORPREP_OPENAI_BASE_URL": OPENAI_URL,
            "MENTORPREP_OPENAI_MODEL": OPENAI_MODEL,
            "MENTORPREP_CONCURRENCY": str(SLOTS),
            "MENTORPREP_REQUEST_TIMEOUT": "600",
        }
        return
    port = free_port()
    command = {
        # as in docs/deploy.md (tests/support/deployment.py)
        "llama_cpp": [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model_path),
            "--model_alias",
            "mentorprep",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--n_ctx",
            "4096",
            "--n_threads",
            "2",
            "--interrupt_requests",
            "False",
            "--verbose",
            "False",
        ],
        "xllamacpp": [
            sys.executable,
            "-m",
            "tests.support.xllamacpp_server",
            "--model",
            str(model_path),
            "--port",
            str(port),
            "--parallel",
            str(SLOTS),
            "--ctx-per-slot",
            "4096",
            "--threads",
            "2",
        ],
    }[kind]
    process = subprocess.Popen(
        command, stdout=(log_dir / "model-server.log").open("w"), stderr=subprocess.STDOUT
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/v1/models", process, timeout=120)
        yield {
            "MENTORPREP_BACKEND": "openai",
            "MENTORPREP_OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1",
            "MENTORPREP_CONCURRENCY": "1" if kind == "llama_cpp" else str(SLOTS),
            "MENTORPREP_CONTEXT_SIZE": "4096",
            # a request may wait its turn in the server: not a timeout
            "MENTORPREP_REQUEST_TIMEOUT": "600",
        }
    finally:
        stop_process(process)


def test_sixteen_users_for_two_minutes(tmp_path, small_model_path):
    with model_server(MODEL_SERVER, small_model_path, tmp_path) as backend:
        _sixteen_users(tmp_path, backend)


def _sixteen_users(tmp_path, backend: dict) -> None:
    server = Server(tmp_path, "small", {"MENTORPREP_MAX_TOKENS": "24", **backend})
    server.start()
    record = {"asks": [], "errors": [], "lock": threading.Lock()}
    try:
        start = time.monotonic()
        deadline = start + SECONDS
        users = [
            threading.Thread(target=simulated_user, args=(server.url, i, deadline, record))
            for i in range(USERS)
        ]
        for user in users:
            user.start()
        for user in users:
            user.join(timeout=SECONDS + 600)
        elapsed = time.monotonic() - start
    finally:
        server.stop()

    asks = record["asks"]
    waits = sorted(a["wait"] for a in asks)
    latencies = sorted(a["latency"] for a in asks)
    figures = {
        "model_server": MODEL_SERVER,
        "app_concurrency": backend.get("MENTORPREP_CONCURRENCY", "1"),
        "users": USERS,
        "seconds": round(elapsed, 1),
        "answers": len(asks),
        "errors": len(record["errors"]),
        "answers_per_minute": round(len(asks) / elapsed * 60, 1),
        "wait_p50_s": round(statistics.median(waits), 2) if waits else None,
        "wait_p95_s": round(waits[int(0.95 * (len(waits) - 1))], 2) if waits else None,
        "latency_p50_s": round(statistics.median(latencies), 2) if asks else None,
        "latency_p95_s": round(latencies[int(0.95 * (len(latencies) - 1))], 2) if asks else None,
        "max_queue_rank_seen": max((r for a in asks for r in a["ranks"]), default=None),
    }
    print("\nload test:", json.dumps(figures))

    assert not record["errors"], record["errors"][:5]
    assert len(asks) >= USERS, "every user got at least one answer"
    assert all(a["answer"].strip() and "⚠️" not in a["answer"] for a in asks)
    assert not [a for a in asks if a["crossed"]], "a user saw another user's question"
    # waiting users were told their place in the queue
    assert figures["max_queue_rank_seen"] is not None and figures["max_queue_rank_seen"] >= 1

    # the store: every question is stored once, under its own user, with a complete answer
    db = sqlite3.connect(tmp_path / "mentorprep.db")
    rows = db.execute(
        "SELECT c.user_id, m.role, m.content, m.status FROM messages m "
        "JOIN conversations c ON c.id = m.conversation_id ORDER BY m.id"
    ).fetchall()
    questions = [(user, content) for user, role, content, _ in rows if role == "user"]
    stored = {m for _, content in questions for m in _markers(content)}
    assert {a["marker"] for a in asks} <= stored, "an answered question is missing from history"
    owners: dict[str, set[str]] = {}
    for user, content in questions:
        for marker in _markers(content):
            owners.setdefault(marker[:6], set()).add(user)
    assert all(len(users) == 1 for users in owners.values()), "conversations were crossed"
    assert len({next(iter(u)) for u in owners.values()}) == len(owners), "users shared an id"
    statuses = [status for _, role, _, status in rows if role == "assistant"]
    assert statuses.count("complete") >= len(asks)
